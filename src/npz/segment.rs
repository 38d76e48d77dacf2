//! Deflate segments that concatenate into one stream.
//!
//! libdeflate compresses a whole buffer into a complete raw deflate stream
//! (RFC 1951) whose last block carries the BFINAL bit. To compress blocks
//! of a member on several cores and write them one after another as a
//! single stream, every block but the member's end must be non-final and
//! end on a byte boundary, as a zlib sync flush leaves it.
//! [`unfinalize`] does that: it walks the stream's blocks (decoding Huffman
//! symbols without producing output) to find the final block's header and
//! the end of its last code, clears BFINAL, and appends an empty stored
//! block, which pads to a byte boundary.

/// Why a stream could not be walked. Only a bug in the compressor (or in
/// this walker) can produce one; callers report it as an internal error.
pub(crate) type WalkError = &'static str;

/// Reads bits least-significant first, as deflate packs them.
struct Bits<'a> {
    data: &'a [u8],
    /// Next byte of `data` to load into `buf`.
    next: usize,
    buf: u64,
    /// Valid bits in `buf`.
    n: u32,
}

impl<'a> Bits<'a> {
    fn new(data: &'a [u8]) -> Bits<'a> {
        Bits {
            data,
            next: 0,
            buf: 0,
            n: 0,
        }
    }

    /// Bits consumed so far.
    fn pos(&self) -> usize {
        self.next * 8 - self.n as usize
    }

    /// Top up `buf` to at least 56 bits. Past the end of the data zero bits
    /// are supplied; `pos` then exceeds the data's length, which the walker
    /// checks at the end.
    #[inline]
    fn refill(&mut self) {
        if self.next + 8 <= self.data.len() {
            let mut w = [0u8; 8];
            w.copy_from_slice(&self.data[self.next..self.next + 8]);
            self.buf |= u64::from_le_bytes(w) << self.n;
            let k = (63 - self.n) / 8;
            self.next += k as usize;
            self.n += k * 8;
        } else {
            while self.n <= 56 {
                let b = self.data.get(self.next).copied().unwrap_or(0);
                self.buf |= (b as u64) << self.n;
                self.next += 1;
                self.n += 8;
            }
        }
    }

    #[inline]
    fn take(&mut self, k: u32) -> u32 {
        if self.n < k {
            self.refill();
        }
        let v = (self.buf & ((1u64 << k) - 1)) as u32;
        self.buf >>= k;
        self.n -= k;
        v
    }

    /// Skip to the next byte boundary.
    fn align(&mut self) {
        let r = self.n % 8;
        self.buf >>= r;
        self.n -= r;
    }

    /// Jump to byte `byte`, dropping buffered bits.
    fn seek_byte(&mut self, byte: usize) {
        self.next = byte;
        self.buf = 0;
        self.n = 0;
    }
}

/// Bits resolved by one lookup in a [`Huffman`] table.
const FAST_BITS: u32 = 10;
const MAX_BITS: usize = 15;

/// A canonical Huffman decoder: a table for codes up to [`FAST_BITS`]
/// long, and the counts for decoding longer ones bit by bit.
struct Huffman {
    /// `symbol << 4 | length`, or 0 where a longer code (or none) starts.
    fast: Vec<u16>,
    count: [u16; MAX_BITS + 1],
    /// Symbols ordered by code.
    symbols: Vec<u16>,
}

impl Huffman {
    fn new(lengths: &[u8]) -> Result<Huffman, WalkError> {
        let mut count = [0u16; MAX_BITS + 1];
        for &l in lengths {
            count[l as usize] += 1;
        }
        count[0] = 0;
        // Reject over-subscribed codes; incomplete ones are legal.
        let mut left: i32 = 1;
        for &c in &count[1..] {
            left = left * 2 - c as i32;
            if left < 0 {
                return Err("over-subscribed Huffman code");
            }
        }
        let mut offs = [0u16; MAX_BITS + 2];
        for l in 1..=MAX_BITS {
            offs[l + 1] = offs[l] + count[l];
        }
        let mut symbols = vec![0u16; offs[MAX_BITS + 1] as usize];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0 {
                symbols[offs[l as usize] as usize] = sym as u16;
                offs[l as usize] += 1;
            }
        }
        let mut fast = vec![0u16; 1 << FAST_BITS];
        let mut code: u32 = 0;
        let mut idx = 0usize;
        for len in 1..=MAX_BITS as u32 {
            for _ in 0..count[len as usize] {
                if len <= FAST_BITS {
                    let rev = code.reverse_bits() >> (32 - len);
                    let entry = (symbols[idx] << 4) | len as u16;
                    let mut f = rev as usize;
                    while f < fast.len() {
                        fast[f] = entry;
                        f += 1 << len;
                    }
                }
                code += 1;
                idx += 1;
            }
            code <<= 1;
        }
        Ok(Huffman {
            fast,
            count,
            symbols,
        })
    }

    #[inline]
    fn decode(&self, b: &mut Bits) -> Result<u16, WalkError> {
        if b.n < MAX_BITS as u32 {
            b.refill();
        }
        let e = self.fast[(b.buf & ((1 << FAST_BITS) - 1)) as usize];
        if e != 0 {
            let len = (e & 15) as u32;
            b.buf >>= len;
            b.n -= len;
            return Ok(e >> 4);
        }
        // Longer code: canonical decoding, one bit at a time.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_BITS {
            code |= ((b.buf >> (len - 1)) & 1) as i32;
            let c = self.count[len] as i32;
            if code - first < c {
                b.buf >>= len;
                b.n -= len as u32;
                return Ok(self.symbols[(index + code - first) as usize]);
            }
            index += c;
            first = (first + c) << 1;
            code <<= 1;
        }
        Err("invalid Huffman code")
    }
}

const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
/// The order in which a dynamic block lists the code-length code's lengths.
pub(super) const CODE_LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

fn dynamic_tables(b: &mut Bits) -> Result<(Huffman, Huffman), WalkError> {
    let nlit = b.take(5) as usize + 257;
    let ndist = b.take(5) as usize + 1;
    let ncode = b.take(4) as usize + 4;
    if nlit > 286 || ndist > 30 {
        return Err("too many length or distance codes");
    }
    let mut cl = [0u8; 19];
    for &i in &CODE_LENGTH_ORDER[..ncode] {
        cl[i] = b.take(3) as u8;
    }
    let clh = Huffman::new(&cl)?;
    let mut lengths = [0u8; 286 + 30];
    let mut i = 0;
    while i < nlit + ndist {
        let sym = clh.decode(b)?;
        let (val, rep) = match sym {
            0..=15 => (sym as u8, 1),
            16 => {
                if i == 0 {
                    return Err("repeat with no previous length");
                }
                (lengths[i - 1], 3 + b.take(2) as usize)
            }
            17 => (0, 3 + b.take(3) as usize),
            18 => (0, 11 + b.take(7) as usize),
            _ => return Err("invalid code length code"),
        };
        if i + rep > nlit + ndist {
            return Err("code lengths overrun");
        }
        lengths[i..i + rep].fill(val);
        i += rep;
    }
    if lengths[256] == 0 {
        return Err("no end-of-block code");
    }
    Ok((
        Huffman::new(&lengths[..nlit])?,
        Huffman::new(&lengths[nlit..nlit + ndist])?,
    ))
}

fn fixed_tables() -> (Huffman, Huffman) {
    let mut l = [0u8; 288];
    l[..144].fill(8);
    l[144..256].fill(9);
    l[256..280].fill(7);
    l[280..].fill(8);
    let lit = Huffman::new(&l).expect("fixed literal code");
    let dist = Huffman::new(&[5u8; 30]).expect("fixed distance code");
    (lit, dist)
}

/// Skip one compressed block's symbols up to and including end-of-block.
fn skip_symbols(b: &mut Bits, lit: &Huffman, dist: &Huffman) -> Result<(), WalkError> {
    let limit = b.data.len() * 8;
    loop {
        if b.pos() > limit {
            return Err("stream ends inside a block");
        }
        let sym = lit.decode(b)?;
        match sym {
            0..=255 => {}
            256 => return Ok(()),
            257..=285 => {
                b.take(LENGTH_EXTRA[(sym - 257) as usize] as u32);
                let d = dist.decode(b)?;
                let extra = *DIST_EXTRA.get(d as usize).ok_or("invalid distance code")?;
                b.take(extra as u32);
            }
            _ => return Err("invalid literal/length code"),
        }
    }
}

/// Make the complete raw deflate stream in `stream` a non-final segment
/// ending on a byte boundary (see the module documentation).
pub(crate) fn unfinalize(stream: &mut Vec<u8>) -> Result<(), WalkError> {
    let (final_header, end) = walk(stream)?;
    stream[final_header / 8] &= !(1u8 << (final_header % 8));
    // Then an empty stored block: 3 zero bits (BFINAL=0, BTYPE=00), zero
    // padding to the byte boundary, LEN=0, NLEN=0xffff.
    let partial = (end % 8 != 0).then(|| stream[end / 8] & ((1u8 << (end % 8)) - 1));
    stream.truncate(end / 8);
    match partial {
        Some(p) if end % 8 <= 5 => stream.push(p),
        Some(p) => stream.extend_from_slice(&[p, 0]),
        None => stream.push(0),
    }
    stream.extend_from_slice(&[0, 0, 0xff, 0xff]);
    Ok(())
}

/// Walk a complete raw deflate stream: the bit position of its final
/// block's header and the bit position just after that block.
fn walk(stream: &[u8]) -> Result<(usize, usize), WalkError> {
    let mut b = Bits::new(stream);
    loop {
        let header = b.pos();
        let last = b.take(1) == 1;
        match b.take(2) {
            0 => {
                b.align();
                let at = b.pos() / 8;
                let hdr = stream.get(at..at + 4).ok_or("stored block past the end")?;
                let len = u16::from_le_bytes([hdr[0], hdr[1]]);
                if len != !u16::from_le_bytes([hdr[2], hdr[3]]) {
                    return Err("stored block length check failed");
                }
                b.seek_byte(at + 4 + len as usize);
            }
            1 => {
                let (lit, dist) = fixed_tables();
                skip_symbols(&mut b, &lit, &dist)?;
            }
            2 => {
                let (lit, dist) = dynamic_tables(&mut b)?;
                skip_symbols(&mut b, &lit, &dist)?;
            }
            _ => return Err("reserved block type"),
        }
        if b.pos() > stream.len() * 8 {
            return Err("stream ends inside a block");
        }
        if last {
            let end = b.pos();
            if end.div_ceil(8) != stream.len() {
                return Err("bytes after the final block");
            }
            return Ok((header, end));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(data)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    /// Data sets that make libdeflate choose stored, fixed and dynamic
    /// blocks, long and short codes, and every end-bit position.
    fn samples() -> Vec<Vec<u8>> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rnd = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect()
        };
        let mut v = vec![
            Vec::new(),
            vec![7u8],
            b"abc".to_vec(),
            rnd(100_000),
            vec![0u8; 300_000],
            (0..400_000u32)
                .flat_map(|i| (i as f64).to_le_bytes())
                .collect(),
        ];
        // Skewed bytes: long codes for rare symbols.
        v.push(
            rnd(200_000)
                .iter()
                .map(|&b| b.leading_zeros() as u8 * 31)
                .collect(),
        );
        for n in 1..40 {
            v.push(rnd(n * 37).iter().map(|b| b % 5).collect());
        }
        v
    }

    #[test]
    fn segments_concatenate_into_one_stream() {
        for level in [0, 1, 6, 9, 12] {
            let mut c =
                libdeflater::Compressor::new(libdeflater::CompressionLvl::new(level).unwrap());
            let parts = samples();
            let mut stream = Vec::new();
            let mut want = Vec::new();
            let mut end_bits = [false; 8];
            for p in &parts {
                let mut out = vec![0u8; c.deflate_compress_bound(p.len())];
                let n = c.deflate_compress(p, &mut out).unwrap();
                out.truncate(n);
                // The stream alone inflates to the part.
                assert_eq!(inflate(&out), *p);
                end_bits[walk(&out).unwrap().1 % 8] = true;
                unfinalize(&mut out).unwrap();
                stream.extend_from_slice(&out);
                want.extend_from_slice(p);
            }
            // A final empty block ends the joined stream.
            stream.extend_from_slice(&[3, 0]);
            assert_eq!(inflate(&stream), want, "level {level}");
            if level > 0 {
                // Every bit position of the end within its byte came up.
                assert_eq!(end_bits, [true; 8], "level {level}");
            }
        }
    }

    #[test]
    fn damaged_streams_are_errors() {
        let mut c = libdeflater::Compressor::new(libdeflater::CompressionLvl::new(6).unwrap());
        let data: Vec<u8> = (0..50_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut out = vec![0u8; c.deflate_compress_bound(data.len())];
        let n = c.deflate_compress(&data, &mut out).unwrap();
        out.truncate(n);
        assert!(walk(&out[..n / 2]).is_err());
        let mut extra = out.clone();
        extra.push(0);
        assert_eq!(walk(&extra), Err("bytes after the final block"));
        assert_eq!(walk(&[0x07]), Err("reserved block type"));
        assert!(walk(&[0x01, 0x05, 0x00, 0x05, 0x00]).is_err());
    }
}
