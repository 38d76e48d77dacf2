//! Raw deflate streams that can start at any block of a stream and stop at
//! block ends (zlib-rs's own interface: `inflatePrime`, a preset window,
//! `Z_BLOCK`), and a test for "a dynamic-Huffman block starts at this bit",
//! which is how a stream is split into pieces inflated at once.

use super::segment::CODE_LENGTH_ORDER;
use zlib_rs::c_api::z_stream;
use zlib_rs::inflate::{self, InflateStream};
use zlib_rs::{InflateConfig, InflateFlush, ReturnCode};

/// The deflate window: no back-reference reaches further.
pub(super) const WINDOW: usize = 32 << 10;

/// A raw deflate decoder positioned at some bit of a compressed stream.
pub(super) struct Raw {
    z: Box<z_stream>,
    /// The bit position of the first byte the decoder reads through
    /// `next_in` (its `total_in` counts from there).
    bit_base: u64,
}

/// What one [`Raw::run`] call did.
pub(super) struct Ran {
    pub used: usize,
    pub made: usize,
    /// The final block ended.
    pub ended: bool,
}

impl Raw {
    /// A decoder at the start of a stream (bit 0).
    pub(super) fn new() -> Option<Raw> {
        let mut z = Box::new(z_stream::default());
        let config = InflateConfig { window_bits: -15 };
        if inflate::init(&mut z, config) != ReturnCode::Ok {
            return None;
        }
        Some(Raw { z, bit_base: 0 })
    }

    /// A decoder whose first block starts at bit `bit`, the byte holding
    /// that bit being `byte`, with `window` (at most [`WINDOW`] bytes) as
    /// what the stream produced before. Input is then given from byte
    /// `bit / 8` when `bit` is a multiple of 8, else from the byte after.
    pub(super) fn at(bit: u64, byte: u8, window: &[u8]) -> Option<Raw> {
        let mut r = Raw::new()?;
        let skip = (bit % 8) as i32;
        r.bit_base = bit;
        if skip != 0 {
            r.bit_base = (bit / 8 + 1) * 8;
            let v = i32::from(byte >> skip);
            if inflate::prime(r.stream(), 8 - skip, v) != ReturnCode::Ok {
                return None;
            }
        }
        if !window.is_empty() && inflate::set_dictionary(r.stream(), window) != ReturnCode::Ok {
            return None;
        }
        Some(r)
    }

    fn stream(&mut self) -> &mut InflateStream<'static> {
        // SAFETY: `z` was initialised by `inflate::init` (it is only made in
        // `Raw::new`), so it is a valid inflate stream until `Drop` ends it.
        unsafe { InflateStream::from_stream_mut(&mut *self.z) }
            .expect("an initialised inflate stream")
    }

    /// The compressed byte the decoder reads next.
    pub(super) fn next_byte(&self) -> u64 {
        self.bit_base / 8 + self.z.total_in
    }

    /// The bit the decoder has read up to; at a block boundary (see
    /// [`Raw::at_boundary`]) the first bit of the next block.
    pub(super) fn bit(&self) -> u64 {
        self.bit_base + self.z.total_in * 8 - (self.z.data_type & 63) as u64
    }

    /// The last call stopped right after a block's end (with `block` set).
    pub(super) fn at_boundary(&self) -> bool {
        self.z.data_type & 128 != 0
    }

    /// Inflate from `input` into `out_len` bytes at `out`; with `block`,
    /// stop at the end of the current block. `None`: the data is not a
    /// valid deflate stream.
    ///
    /// # Safety
    /// `out` must be valid for writes of `out_len` bytes.
    pub(super) unsafe fn run(
        &mut self,
        input: &[u8],
        out: *mut u8,
        out_len: usize,
        block: bool,
    ) -> Option<Ran> {
        let max = u32::MAX as usize;
        let input = &input[..input.len().min(max)];
        let out_len = out_len.min(max);
        let mut scratch = 0u8;
        let out = if out.is_null() {
            &mut scratch as *mut u8
        } else {
            out
        };
        self.z.next_in = input.as_ptr();
        self.z.avail_in = input.len() as u32;
        self.z.next_out = out;
        self.z.avail_out = out_len as u32;
        let flush = if block {
            InflateFlush::Block
        } else {
            InflateFlush::NoFlush
        };
        // SAFETY: the stream is initialised; `next_in`/`avail_in` describe
        // `input`, and `next_out`/`avail_out` memory the caller lends.
        let rc = unsafe { inflate::inflate(self.stream(), flush) };
        let used = input.len() - self.z.avail_in as usize;
        let made = out_len - self.z.avail_out as usize;
        self.z.next_in = std::ptr::null();
        self.z.avail_in = 0;
        match rc {
            ReturnCode::Ok | ReturnCode::BufError => Some(Ran {
                used,
                made,
                ended: false,
            }),
            ReturnCode::StreamEnd => Some(Ran {
                used,
                made,
                ended: true,
            }),
            _ => None,
        }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        inflate::end(self.stream());
    }
}

/// Bits of `data` read least significant first, from a bit position.
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    /// The next `n` (at most 32) bits.
    fn get(&mut self, n: u32) -> Option<u32> {
        let byte = self.pos / 8;
        let word = match self.data.get(byte..byte + 8) {
            Some(w) => u64::from_le_bytes(w.try_into().ok()?),
            None => {
                let mut w = [0u8; 8];
                let have = self.data.get(byte..)?;
                w[..have.len()].copy_from_slice(have);
                // Bits past the end are not there to read.
                if (self.pos % 8) as u32 + n > have.len() as u32 * 8 {
                    return None;
                }
                u64::from_le_bytes(w)
            }
        };
        let shift = self.pos % 8;
        self.pos += n as usize;
        Some(((word >> shift) & ((1u64 << n) - 1)) as u32)
    }
}

/// A canonical Huffman code: how many codes of each length, and the
/// symbols in code order.
struct Code {
    count: [u16; 16],
    symbol: [u16; 320],
}

/// How a set of code lengths fills the code space.
#[derive(PartialEq)]
enum Fill {
    Complete,
    /// One code of length 1, or none (the incomplete codes zlib accepts
    /// outside the code-length code).
    Single,
    Other,
}

impl Code {
    fn new(lengths: &[u8]) -> (Code, Fill) {
        let mut c = Code {
            count: [0; 16],
            symbol: [0; 320],
        };
        for &l in lengths {
            c.count[l as usize] += 1;
        }
        let mut left: i32 = 1;
        for len in 1..16 {
            left = (left << 1) - i32::from(c.count[len]);
            if left < 0 {
                return (c, Fill::Other);
            }
        }
        let used = lengths.len() as u16 - c.count[0];
        let fill = match left {
            0 => Fill::Complete,
            _ if used == 0 || (used == 1 && c.count[1] == 1) => Fill::Single,
            _ => Fill::Other,
        };
        let mut offs = [0u16; 16];
        for len in 1..15 {
            offs[len + 1] = offs[len] + c.count[len];
        }
        for (s, &l) in lengths.iter().enumerate() {
            if l != 0 {
                c.symbol[offs[l as usize] as usize] = s as u16;
                offs[l as usize] += 1;
            }
        }
        (c, fill)
    }

    fn decode(&self, bits: &mut Bits) -> Option<u16> {
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..16 {
            code |= bits.get(1)? as i32;
            let n = i32::from(self.count[len]);
            if code - n < first {
                return self.symbol.get((index + code - first) as usize).copied();
            }
            index += n;
            first = (first + n) << 1;
            code <<= 1;
        }
        None
    }
}

/// Whether a dynamic-Huffman block that is not the stream's last, and
/// whose header zlib accepts, starts at bit `bit` of `data`: the block
/// type, the counts, a complete code-length code, code lengths that
/// decode without overrunning, a complete literal/length code with an
/// end-of-block code, and a complete (or single) distance code. Bits past
/// the end of `data` make it false. (Not [`super::segment`]'s table
/// reader: that one trusts a compressor's output, reads zeros past the
/// end and builds lookup tables, while this runs at every bit of a search
/// and must refuse what zlib refuses, allocating nothing.)
pub(super) fn dynamic_block_at(data: &[u8], bit: usize) -> bool {
    dynamic_header(&mut Bits { data, pos: bit }).is_some()
}

fn dynamic_header(b: &mut Bits) -> Option<()> {
    // BFINAL 0, BTYPE 2 (dynamic), read as three bits: 0b100.
    if b.get(3)? != 0b100 {
        return None;
    }
    let nlen = b.get(5)? as usize + 257;
    let ndist = b.get(5)? as usize + 1;
    let ncode = b.get(4)? as usize + 4;
    if nlen > 286 || ndist > 30 {
        return None;
    }
    let mut cl = [0u8; 19];
    for &i in &CODE_LENGTH_ORDER[..ncode] {
        cl[i] = b.get(3)? as u8;
    }
    let (clc, fill) = Code::new(&cl);
    if fill != Fill::Complete {
        return None;
    }
    let mut lengths = [0u8; 286 + 30];
    let mut i = 0;
    while i < nlen + ndist {
        let sym = clc.decode(b)?;
        let (value, times) = match sym {
            0..=15 => (sym as u8, 1),
            16 => (*lengths[..i].last()?, 3 + b.get(2)? as usize),
            17 => (0, 3 + b.get(3)? as usize),
            _ => (0, 11 + b.get(7)? as usize),
        };
        if i + times > nlen + ndist {
            return None;
        }
        lengths[i..i + times].fill(value);
        i += times;
    }
    if lengths[256] == 0 {
        return None;
    }
    if Code::new(&lengths[..nlen]).1 == Fill::Other {
        return None;
    }
    if Code::new(&lengths[nlen..nlen + ndist]).1 == Fill::Other {
        return None;
    }
    Some(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    pub(crate) fn deflate(data: &[u8], level: u32) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    /// `n` float64: random in [0, 1) (kind 0), 0, 1, 2, ... (kind 1),
    /// repeating halves (kind 2), or every third random and the others
    /// their index (kind 3).
    pub(crate) fn doubles(n: usize, kind: u32) -> Vec<u8> {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut v = Vec::with_capacity(n * 8);
        for i in 0..n {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let random = (x >> 11) as f64 / (1u64 << 53) as f64;
            let f = match kind {
                0 => random,
                1 => i as f64,
                2 => (i % 1000) as f64 * 0.5,
                _ if i % 3 == 0 => random,
                _ => i as f64,
            };
            v.extend_from_slice(&f.to_le_bytes());
        }
        v
    }

    /// Every block end zlib-rs stops at (with `Z_BLOCK`) is where our test
    /// finds a dynamic block (the stream has no other kind here), and a
    /// stream started there with the right window goes on to the same end.
    #[test]
    fn block_ends_are_dynamic_block_starts() {
        let data = doubles(200_000, 3);
        let c = deflate(&data, 6);
        let mut r = Raw::new().unwrap();
        let mut out = vec![0u8; data.len()];
        let mut made = 0;
        let mut ends = Vec::new();
        loop {
            let at = r.next_byte() as usize;
            let ran =
                unsafe { r.run(&c[at..], out.as_mut_ptr().add(made), out.len() - made, true) }
                    .unwrap();
            made += ran.made;
            if ran.ended {
                break;
            }
            if r.at_boundary() {
                ends.push((r.bit(), made));
            }
        }
        assert_eq!(out, data);
        assert!(ends.len() > 5, "{} blocks", ends.len());
        // zlib-rs stops once more after the last block, at the stream's
        // end; the last block is marked final (BFINAL), which the test
        // refuses.
        let n = ends.len();
        for &(bit, _) in &ends[..n - 2] {
            assert!(dynamic_block_at(&c, bit as usize), "block at bit {bit}");
        }
        let last = ends[n - 2].0;
        assert!(!dynamic_block_at(&c, last as usize));
        assert_eq!((c[(last / 8) as usize] >> (last % 8)) & 1, 1);
        // Start in the middle, with the window before it.
        let (bit, done) = ends[ends.len() / 2];
        let window = &data[done - WINDOW..done];
        let mut r = Raw::at(bit, c[(bit / 8) as usize], window).unwrap();
        let mut rest = vec![0u8; data.len() - done];
        let start = r.next_byte() as usize;
        let ran = unsafe { r.run(&c[start..], rest.as_mut_ptr(), rest.len(), false) }.unwrap();
        assert!(ran.ended);
        assert_eq!(ran.made, rest.len());
        assert_eq!(rest, data[done..]);
    }

    #[test]
    fn headers_that_are_not_blocks() {
        // Too short, wrong type, last block.
        assert!(!dynamic_block_at(&[], 0));
        assert!(!dynamic_block_at(&[0b010], 0));
        assert!(!dynamic_block_at(&[0b101, 0, 0, 0], 0));
        // A stored block and a fixed block.
        assert!(!dynamic_block_at(&deflate(b"ab", 0), 0));
        assert!(!dynamic_block_at(&deflate(b"ab", 1), 0));
        // Random bytes rarely hold one; all zeros and all ones never.
        assert!((0..4096).all(|b| !dynamic_block_at(&[0u8; 600], b)));
        assert!((0..4096).all(|b| !dynamic_block_at(&[0xffu8; 600], b)));
    }
}
