//! One deflate member inflated on several threads, for archives from any
//! writer (the stream has no index).
//!
//! The compressed bytes are cut into as many pieces as threads. The thread
//! of each piece but the first looks, from the piece's first byte on, for
//! a bit where a dynamic-Huffman block starts ([`dynamic_block_at`]) and
//! inflates from there without knowing the 32 KiB the stream produced
//! before: it inflates twice, with two made-up windows whose bytes at each
//! position differ, so that every output byte that came from the unknown
//! window differs between the two runs and tells which window position it
//! came from. Once the last 32 KiB of its output agree, nothing can refer
//! to the unknown window any more and one run goes on alone. The thread
//! before it inflates up to the bit the piece starts at and must stop at a
//! block end exactly there, which proves the start was a real block; then
//! the window is known, the bytes that came from it are filled in, and the
//! piece is copied into place. Anything unexpected (no block start found,
//! a start that was not a block, damaged data, a CRC mismatch) makes the
//! caller inflate the member in one pass, which also names any damage.

use super::compressed::CompressedBytes;
use super::raw_deflate::{dynamic_block_at, Raw, WINDOW};
use crate::io::ByteSource;
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Compressed bytes read per positional read.
const IN_PIECE: usize = 256 << 10;
/// Uncompressed bytes made per call (their CRC is taken while in cache).
const OUT_PIECE: usize = 256 << 10;
/// How far past its first byte a piece looks for a block start.
const SEARCH: u64 = 4 << 20;
/// How much output a piece inflates twice at its first start before it
/// moves to its later one when the output still depends on the window.
const PROBE: usize = 512 << 10;
/// Most output a candidate start's first block may make (a real block of
/// zlib makes at most about 4 MiB), and most output all the failed
/// candidates of one piece may make before the piece gives up: a stream
/// made to look like block starts everywhere costs bounded work.
const TRIAL_MAX: usize = 8 << 20;
const TRIAL_BUDGET: usize = 32 << 20;
/// Compressed bytes per thread below which more threads do not pay.
pub(super) const MIN_PIECE: u64 = 1 << 20;

/// The member to inflate.
pub(super) struct Job<'a> {
    pub archive: &'a dyn ByteSource,
    /// Where the compressed bytes start in the archive.
    pub data_start: u64,
    pub csize: u64,
    /// The uncompressed size and CRC-32 the directory declares.
    pub size: u64,
    pub crc: u32,
}

/// Compressed bytes of the member, read by position.
struct Input<'a> {
    job: &'a Job<'a>,
    src: CompressedBytes<'a>,
}

impl<'a> Input<'a> {
    fn new(job: &'a Job<'a>) -> Input<'a> {
        Input {
            job,
            src: CompressedBytes::new(job.archive, job.data_start, job.csize),
        }
    }

    /// Compressed bytes from `pos` on, not at or past `limit`: all of them
    /// when the archive is in memory, else up to [`IN_PIECE`].
    fn get(&mut self, pos: u64, limit: u64) -> Option<&[u8]> {
        self.src.get(pos, limit, 1, IN_PIECE).ok()
    }
}

/// Where inflated bytes go.
trait Out {
    /// Room for the next call, empty when the output is full; `None` when
    /// no memory could be had.
    fn room(&mut self) -> Option<(*mut u8, usize)>;
    /// The `n` bytes just written into the room.
    fn commit(&mut self, n: usize) -> &[u8];
}

/// The whole member: bytes before `at` (the .npy header) into `head`, the
/// rest into the caller's buffer.
struct MemberOut<'b> {
    head: Vec<u8>,
    buf: &'b mut [u8],
    pos: usize,
}

impl Out for MemberOut<'_> {
    fn room(&mut self) -> Option<(*mut u8, usize)> {
        let (at, pos) = (self.head.len(), self.pos);
        let s = if pos < at {
            &mut self.head[pos..]
        } else {
            &mut self.buf[pos - at..]
        };
        Some((s.as_mut_ptr(), s.len().min(OUT_PIECE)))
    }
    fn commit(&mut self, n: usize) -> &[u8] {
        let (at, pos) = (self.head.len(), self.pos);
        self.pos += n;
        if pos < at {
            &self.head[pos..pos + n]
        } else {
            &self.buf[pos - at..pos - at + n]
        }
    }
}

/// A piece's own output, growing up to `cap` bytes.
struct VecOut<'v> {
    v: &'v mut Vec<u8>,
    cap: usize,
}

impl Out for VecOut<'_> {
    fn room(&mut self) -> Option<(*mut u8, usize)> {
        let want = OUT_PIECE.min(self.cap.saturating_sub(self.v.len()));
        if self.v.capacity() - self.v.len() < want {
            let grow = want.max(self.v.capacity() / 2).min(self.cap - self.v.len());
            self.v.try_reserve_exact(grow).ok()?;
        }
        let spare: &mut [MaybeUninit<u8>] = self.v.spare_capacity_mut();
        Some((spare.as_mut_ptr().cast(), want))
    }
    fn commit(&mut self, n: usize) -> &[u8] {
        let len = self.v.len();
        // SAFETY: the decoder wrote `n` bytes into the spare capacity.
        unsafe { self.v.set_len(len + n) };
        &self.v[len..]
    }
}

/// Where a piece starts, handed once from its thread to the one before it
/// (`None`: it found no start). Never waited for: a thread that reaches
/// the next piece's cut before its start was handed over goes on alone.
#[derive(Default)]
struct Slot {
    v: Mutex<Option<Option<u64>>>,
}

impl Slot {
    /// Hand over `v`, unless something was handed over already.
    fn put(&self, v: Option<u64>) {
        let mut g = self.v.lock().unwrap_or_else(|p| p.into_inner());
        if g.is_none() {
            *g = Some(v);
        }
    }

    /// What was handed over, if anything was yet.
    fn try_get(&self) -> Option<Option<u64>> {
        *self.v.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Which pieces are still wanted: those before `from` (the first, 0,
/// always is).
struct Stop {
    from: AtomicUsize,
}

/// One thread's piece number and the shared [`Stop`].
#[derive(Clone, Copy)]
struct Who<'a> {
    me: usize,
    stop: &'a Stop,
}

impl Who<'_> {
    fn stopped(&self) -> bool {
        self.stop.from.load(Ordering::Relaxed) <= self.me
    }

    /// The next piece's start, reached at its cut: taken if its thread has
    /// handed it over by now; otherwise that piece and those after it are
    /// given up (this thread got there first: it goes on alone).
    fn next_start(&self, next: Option<&Slot>) -> Option<u64> {
        let next = next?;
        #[cfg(test)]
        while tests::WAIT.load(Ordering::Relaxed) && next.try_get().is_none() {
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        next.try_get().unwrap_or_else(|| {
            self.stop.from.fetch_min(self.me + 1, Ordering::Relaxed);
            None
        })
    }
}

/// Hands `None` over when dropped before anything else was (a piece's
/// thread returning early, or unwinding).
struct Publish<'a>(&'a Slot);

impl Drop for Publish<'_> {
    fn drop(&mut self) {
        self.0.put(None);
    }
}

/// How a piece ended.
#[derive(Clone, Copy, PartialEq, Debug)]
enum End {
    /// At a block end exactly at this bit, where the next piece starts.
    Landed(u64),
    /// At the end of the stream.
    Ended,
}

/// One decode call into `out`; `None` on bad data or no room.
fn call(
    raw: &mut Raw,
    input: &mut Input,
    limit: u64,
    out: &mut dyn Out,
    block: bool,
    each: &mut dyn FnMut(&[u8]),
) -> Option<(usize, usize, bool)> {
    let pos = raw.next_byte();
    let inp = input.get(pos, limit)?;
    let (ptr, len) = out.room()?;
    // SAFETY: `room` lends `len` writable bytes at `ptr`.
    let ran = unsafe { raw.run(inp, ptr, len, block) }?;
    if len == 0 && ran.made > 0 {
        return None;
    }
    each(out.commit(ran.made));
    Some((ran.used, ran.made, ran.ended))
}

/// Inflate with `raw` into `out` until the stream ends or, once the next
/// piece's first bit is known (`next`, awaited when the input reaches
/// `soft` bytes, before which no block can start it), until a block ends
/// exactly there. A start the stream passes is not a block: go on to the
/// end. `each` sees every byte made, in order.
fn drive(
    raw: &mut Raw,
    input: &mut Input,
    out: &mut dyn Out,
    soft: u64,
    next: Option<&Slot>,
    who: Who,
    each: &mut dyn FnMut(&[u8]),
) -> Option<End> {
    let csize = input.job.csize;
    let mut next = next;
    let mut target: Option<u64> = None;
    loop {
        if who.stopped() {
            return None;
        }
        let waiting = next.is_some();
        let limit = if waiting { soft } else { csize };
        let (used, made, ended) = call(raw, input, limit, out, target.is_some(), each)?;
        if ended {
            return Some(End::Ended);
        }
        if let Some(b) = target {
            if raw.at_boundary() {
                let bit = raw.bit();
                if bit == b {
                    return Some(End::Landed(b));
                }
                if bit > b {
                    target = None;
                }
            }
        }
        if used == 0 && made == 0 && !raw.at_boundary() {
            if !waiting || raw.next_byte() < soft.min(csize) {
                // No progress with input left and room: damaged, or cut short.
                return None;
            }
            target = who.next_start(next.take());
        }
    }
}

/// The two made-up windows: byte `p` of the first is `p % 256`; of the
/// second, `p % 256 + 1 + p / 256` (mod 256), never the same as the first.
fn windows() -> (Vec<u8>, Vec<u8>) {
    let a = (0..WINDOW).map(|p| p as u8).collect();
    let b = (0..WINDOW)
        .map(|p| (p as u8).wrapping_add(1).wrapping_add((p >> 8) as u8))
        .collect();
    (a, b)
}

/// One piece inflated from the block it starts at.
struct Piece {
    start: u64,
    out: Vec<u8>,
    /// The second run's bytes over the part that may depend on the window.
    alt: Vec<u8>,
    end: End,
}

/// A piece's two runs, from the block `start`, after whole blocks.
struct Dual {
    start: u64,
    a: Raw,
    b: Raw,
    out: Vec<u8>,
    alt: Vec<u8>,
    ended: bool,
}

impl Dual {
    /// One more block on both runs; `None` if they do not agree on it.
    fn block(&mut self, input: &mut Input, cap: usize) -> Option<()> {
        let ea = one_block(&mut self.a, input, &mut self.out, cap)?;
        let eb = one_block(&mut self.b, input, &mut self.alt, cap)?;
        self.ended = ea;
        (ea == eb && self.a.bit() == self.b.bit() && self.out.len() == self.alt.len()).then_some(())
    }

    /// The last window of output agrees: nothing later can depend on the
    /// unknown window.
    fn clean(&self) -> bool {
        let n = self.out.len();
        n >= WINDOW && self.out[n - WINDOW..] == self.alt[n - WINDOW..]
    }
}

/// Decode one block with `raw` into `v` (bounded by `cap`); whether it was
/// the last.
fn one_block(raw: &mut Raw, input: &mut Input, v: &mut Vec<u8>, cap: usize) -> Option<bool> {
    let mut out = VecOut { v, cap };
    loop {
        let (used, made, ended) = call(raw, input, u64::MAX, &mut out, true, &mut |_| {})?;
        if ended || raw.at_boundary() {
            return Some(ended);
        }
        if used == 0 && made == 0 {
            return None;
        }
    }
}

/// Look from byte `from` (up to [`SEARCH`] bytes, not at or past `stop`)
/// for a block start where both runs decode a first block.
fn find_start(input: &mut Input, from: u64, stop: u64, who: Who) -> Option<Dual> {
    let cap = usize::try_from(input.job.size).ok()?.min(TRIAL_MAX);
    let (wa, wb) = windows();
    let mut bit = from * 8;
    let stop = (from + SEARCH).min(stop) * 8;
    let mut budget = TRIAL_BUDGET;
    while bit < stop && !who.stopped() {
        let byte = bit / 8;
        let data = input.get(byte, u64::MAX)?;
        let span = data.len().saturating_sub(1024).max(1) as u64 * 8;
        let found = (bit % 8..span.min(stop - byte * 8))
            .find(|&i| dynamic_block_at(data, i as usize))
            .map(|i| byte * 8 + i);
        let Some(start) = found else {
            bit = byte * 8 + span;
            continue;
        };
        let first = data[((start - byte * 8) / 8) as usize];
        let mut d = Dual {
            start,
            a: Raw::at(start, first, &wa)?,
            b: Raw::at(start, first, &wb)?,
            out: Vec::new(),
            alt: Vec::new(),
            ended: false,
        };
        if d.block(input, cap).is_some() {
            return Some(d);
        }
        budget = budget.checked_sub(d.out.len().max(d.alt.len()).max(1))?;
        bit = start + 1;
    }
    None
}

/// The work of the thread of the piece from byte `from` (or, if its output
/// keeps depending on the unknown window, from byte `later`, where less is
/// left to do twice; with no `later`, inflating twice does not pay and the
/// piece gives up): find a block start, publish it to the thread before
/// (`None` when there is none), inflate until the next piece's start
/// (awaited at byte `soft`) or the end.
fn piece(
    job: &Job,
    (from, later, soft): (u64, Option<u64>, u64),
    publish: &Slot,
    next: Option<&Slot>,
    who: Who,
) -> Option<Piece> {
    let publish = Publish(publish);
    let mut input = Input::new(job);
    let cap = usize::try_from(job.size).ok()?;
    let mut d = find_start(&mut input, from, soft, who)?;
    reserve(&mut d.out, job, from, soft);
    reserve(&mut d.alt, job, from, soft);
    let mut clean = d.clean();
    while !clean && !d.ended && d.out.len() < PROBE {
        d.block(&mut input, cap)?;
        clean = d.clean();
    }
    if !clean && !d.ended {
        let later = later?;
        if let Some(l) = find_start(&mut input, later, soft, who) {
            d = l;
            reserve(&mut d.out, job, later, soft);
            reserve(&mut d.alt, job, later, soft);
        }
    }
    publish.0.put(Some(d.start));
    // Both runs, block by block, while output may depend on the window.
    let mut next = next;
    let mut target = None;
    let mut checked = d.out.len();
    let mut end = None;
    while !clean {
        if d.ended {
            end = Some(End::Ended);
            break;
        }
        let bit = d.a.bit();
        if next.is_some() && bit >= soft * 8 {
            target = who.next_start(next.take());
        }
        if let Some(b) = target {
            if bit == b {
                end = Some(End::Landed(b));
                break;
            }
            if bit > b {
                target = None;
            }
        }
        if who.stopped() {
            return None;
        }
        d.block(&mut input, cap)?;
        if d.out.len() >= checked + (1 << 20) {
            checked = d.out.len();
            clean = d.clean();
        }
    }
    let Dual {
        start,
        mut a,
        mut out,
        alt,
        ..
    } = d;
    let end = match end {
        Some(e) => e,
        None if target == Some(a.bit()) => End::Landed(a.bit()),
        None => {
            // A start already handed over and not yet reached is kept.
            let known = Slot::default();
            if let Some(b) = target {
                known.put(Some(b));
                next = Some(&known);
            }
            let mut vo = VecOut { v: &mut out, cap };
            drive(&mut a, &mut input, &mut vo, soft, next, who, &mut |_| {})?
        }
    };
    Some(Piece {
        start,
        out,
        alt,
        end,
    })
}

/// Room in `v` for about what compressed bytes `from..to` inflate to (in
/// the member's average ratio, and a quarter more), advised for huge pages.
fn reserve(v: &mut Vec<u8>, job: &Job, from: u64, to: u64) {
    let share = to.saturating_sub(from) as f64 / job.csize.max(1) as f64;
    let want = ((job.size as f64 * share * 1.25) as usize).min(job.size as usize);
    if want > v.len() && v.try_reserve_exact(want - v.len()).is_ok() {
        crate::io::advise_huge_spare(v);
    }
}

fn word(b: &[u8]) -> u64 {
    u64::from_le_bytes(b.try_into().expect("8-byte chunk"))
}

/// Copy `out` to `dst`, taking the bytes that came from the window (where
/// `alt` differs) from `window`. False if a pair names no position.
fn place(dst: &mut [u8], out: &[u8], alt: &[u8], window: &[u8; WINDOW]) -> bool {
    let n = alt.len().min(out.len());
    let mut bad = false;
    let words = dst[..n].chunks_exact_mut(8).zip(out[..n].chunks_exact(8));
    for ((d, o), b) in words.zip(alt.chunks_exact(8)) {
        let (o, b) = (word(o), word(b));
        let d8: &mut [u8; 8] = d.try_into().expect("8-byte chunk");
        *d8 = o.to_le_bytes();
        // Fix up the bytes where the runs differ, one set bit per byte.
        let mut diff = ((o ^ b) & 0x7f7f_7f7f_7f7f_7f7f).wrapping_add(0x7f7f_7f7f_7f7f_7f7f);
        diff = (diff | o ^ b) & 0x8080_8080_8080_8080;
        while diff != 0 {
            let i = (diff.trailing_zeros() / 8) as usize;
            diff &= diff - 1;
            let (ob, bb) = ((o >> (8 * i)) as u8, (b >> (8 * i)) as u8);
            let hi = bb.wrapping_sub(ob).wrapping_sub(1);
            bad |= hi > 127;
            d8[i] = window[usize::from(hi & 127) << 8 | usize::from(ob)];
        }
    }
    let tail = n / 8 * 8;
    for ((d, &o), &b) in dst[tail..n]
        .iter_mut()
        .zip(&out[tail..n])
        .zip(&alt[tail..n])
    {
        let hi = b.wrapping_sub(o).wrapping_sub(1);
        bad |= o != b && hi > 127;
        *d = if o == b {
            o
        } else {
            window[usize::from(hi & 127) << 8 | usize::from(o)]
        };
    }
    dst[n..].copy_from_slice(&out[n..]);
    !bad
}

/// [`place`] on `threads` threads, each taking the CRC of its part; the
/// CRC of all of `dst`.
fn place_all(
    dst: &mut [u8],
    p: &Piece,
    window: &[u8; WINDOW],
    threads: usize,
) -> Option<crc32fast::Hasher> {
    let per = dst.len().div_ceil(threads).max(1 << 20);
    // Each part in pieces, so that the CRC reads bytes still in cache.
    let work = |(i, d): (usize, &mut [u8])| {
        let mut crc = crc32fast::Hasher::new();
        let mut ok = true;
        for (j, d) in d.chunks_mut(OUT_PIECE).enumerate() {
            let from = i * per + j * OUT_PIECE;
            let alt = &p.alt[from.min(p.alt.len())..p.alt.len().min(from + d.len())];
            ok &= place(d, &p.out[from..from + d.len()], alt, window);
            crc.update(d);
        }
        ok.then_some(crc)
    };
    let parts: Vec<Option<crc32fast::Hasher>> = std::thread::scope(|sc| {
        let mut parts = dst.chunks_mut(per).enumerate();
        let head = parts.next();
        let handles: Vec<_> = parts.map(|x| sc.spawn(move || work(x))).collect();
        let mut all = vec![head.and_then(work)];
        all.extend(handles.into_iter().map(|h| h.join().ok().flatten()));
        all
    });
    let mut crc = crc32fast::Hasher::new();
    for c in parts {
        crc.combine(&c?);
    }
    Some(crc)
}

/// What [`inflate`] did, for tests: how many pieces were inflated by
/// their own threads and joined.
pub(super) struct Done {
    #[cfg_attr(not(test), allow(dead_code))]
    pub joined: usize,
}

/// Inflate the whole member on `threads` threads, its bytes from `at` on
/// into `buf` (exactly the rest of the member). `None`: not done this way
/// (see the module's description); the caller inflates in one pass.
pub(super) fn inflate(job: &Job, at: usize, buf: &mut [u8], threads: usize) -> Option<Done> {
    let size = usize::try_from(job.size).ok()?;
    if at.checked_add(buf.len())? != size || threads < 2 {
        return None;
    }
    let t = threads as u64;
    // Even cuts, and the later ones used when a piece's output keeps
    // depending on the unknown window (then it is inflated twice, so each
    // such piece gets half what the first gets). On two threads that
    // gains too little over one pass (two thirds of the time at best, less
    // the placing), so such a piece gives up there.
    let cut = |k: u64| job.csize * k / t;
    let later = |k: u64| (t > 2).then(|| job.csize * (k + 1) / (t + 1));
    let stop = Stop {
        from: AtomicUsize::new(usize::MAX),
    };
    // starts[i]: where piece i + 1 starts.
    let starts: Vec<Slot> = (1..t).map(|_| Slot::default()).collect();
    let mut out = MemberOut {
        head: vec![0u8; at],
        buf,
        pos: 0,
    };
    std::thread::scope(|sc| {
        let stop = &stop;
        let mut handles = Vec::new();
        for (i, slot) in starts.iter().enumerate() {
            let k = i as u64 + 1;
            let soft = if k + 1 < t { cut(k + 1) } else { job.csize };
            let next = starts.get(i + 1);
            let span = (cut(k), later(k), soft);
            let h = std::thread::Builder::new().spawn_scoped(sc, move || {
                piece(job, span, slot, next, Who { me: i + 1, stop })
            });
            if h.is_err() {
                slot.put(None);
            }
            handles.push(h.ok());
        }
        let mut crc = crc32fast::Hasher::new();
        let first = (|| {
            let mut raw = Raw::new()?;
            let mut input = Input::new(job);
            let mut each = |s: &[u8]| crc.update(s);
            drive(
                &mut raw,
                &mut input,
                &mut out,
                cut(1),
                starts.first(),
                Who { me: 0, stop },
                &mut each,
            )
        })();
        if !matches!(first, Some(End::Landed(_))) {
            stop.from.store(1, Ordering::Relaxed);
        }
        let pieces: Vec<Option<Piece>> = handles
            .into_iter()
            .map(|h| h.and_then(|h| h.join().ok().flatten()))
            .collect();
        let (end, joined) = assemble(job, &mut out, first?, pieces, &mut crc, threads)?;
        (end == End::Ended && out.pos == size && crc.finalize() == job.crc)
            .then_some(Done { joined })
    })
}

/// Put the pieces after the first in place, in order, from where the first
/// stopped; where a piece is missing, inflate on from its start here.
/// Returns how the last part ended and how many pieces were joined.
fn assemble(
    job: &Job,
    out: &mut MemberOut,
    first: End,
    pieces: Vec<Option<Piece>>,
    crc: &mut crc32fast::Hasher,
    threads: usize,
) -> Option<(End, usize)> {
    let mut end = first;
    let mut joined = 0;
    let mut pieces = pieces.into_iter();
    while let End::Landed(bit) = end {
        let at = out.head.len();
        let pos = out.pos;
        if pos < at + WINDOW {
            return None;
        }
        let mut window = [0u8; WINDOW];
        window.copy_from_slice(&out.buf[pos - at - WINDOW..pos - at]);
        match pieces.next().flatten() {
            Some(p) if p.start == bit => {
                let n = p.out.len();
                let dst = out.buf.get_mut(pos - at..pos - at + n)?;
                crc.combine(&place_all(dst, &p, &window, threads)?);
                out.pos += n;
                joined += 1;
                end = p.end;
            }
            _ => {
                // Inflate on from the piece's start with the known window.
                let mut input = Input::new(job);
                let byte = input.get(bit / 8, u64::MAX)?.first().copied()?;
                let mut raw = Raw::at(bit, byte, &window)?;
                let all = Stop {
                    from: AtomicUsize::new(usize::MAX),
                };
                let mut each = |s: &[u8]| crc.update(s);
                end = drive(
                    &mut raw,
                    &mut input,
                    out,
                    0,
                    None,
                    Who { me: 0, stop: &all },
                    &mut each,
                )?;
            }
        }
    }
    Some((end, joined))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::MemorySource;
    use crate::npz::raw_deflate::tests::{deflate, doubles};

    /// Threads wait for the next piece's start instead of going on alone
    /// (so that how many pieces join does not depend on timing).
    pub(super) static WAIT: std::sync::atomic::AtomicBool =
        std::sync::atomic::AtomicBool::new(false);

    fn run(data: &[u8], c: Vec<u8>, at: usize, threads: usize) -> (Option<Done>, Vec<u8>) {
        WAIT.store(true, Ordering::Relaxed);
        run_crc(data, c, at, threads, crc32fast::hash(data))
    }

    /// Inflate `c` as a member declaring `data`'s size and `crc`.
    fn run_crc(
        data: &[u8],
        c: Vec<u8>,
        at: usize,
        threads: usize,
        crc: u32,
    ) -> (Option<Done>, Vec<u8>) {
        let csize = c.len() as u64;
        let src = MemorySource::new(c);
        let job = Job {
            archive: &src,
            data_start: 0,
            csize,
            size: data.len() as u64,
            crc,
        };
        let mut buf = vec![0u8; data.len() - at];
        let done = inflate(&job, at, &mut buf, threads);
        (done, buf)
    }

    #[test]
    fn pieces_join_into_the_member() {
        for kind in 0..3 {
            let data = doubles(3_000_000, kind);
            let c = deflate(&data, 6);
            for threads in [2, 3, 4] {
                let (done, buf) = run(&data, c.clone(), 128, threads);
                let done = done.unwrap_or_else(|| panic!("kind {kind}, {threads} threads"));
                // Random doubles stop depending on the window at once; the
                // others never do, and two threads leave them to the first.
                let joined = if kind > 0 && threads == 2 {
                    0
                } else {
                    threads - 1
                };
                assert_eq!(done.joined, joined, "kind {kind}, {threads} threads");
                assert!(buf == data[128..], "kind {kind}, {threads} threads");
            }
        }
    }

    #[test]
    fn the_window_is_filled_in() {
        // Text that repeats from far back: the pieces' first bytes copy
        // from before their start.
        let line: Vec<u8> = (0..20_000u32)
            .flat_map(|i| format!("{} {}\n", i % 97, i % 89).into_bytes())
            .collect();
        let data: Vec<u8> = line.iter().copied().cycle().take(24 << 20).collect();
        let c = deflate(&data, 9);
        let (done, buf) = run(&data, c, 0, 3);
        assert_eq!(done.unwrap().joined, 2);
        assert!(buf == data);
    }

    #[test]
    fn damage_is_left_to_the_one_pass_reader() {
        let data = doubles(2_000_000, 0);
        let mut c = deflate(&data, 6);
        // A flipped bit late in the stream, and a stream cut short.
        let n = c.len();
        c[n * 3 / 4] ^= 0x10;
        assert!(run(&data, c.clone(), 0, 2).0.is_none());
        let c = deflate(&data, 6);
        assert!(run(&data, c[..n / 2 + 100].to_vec(), 0, 2).0.is_none());
        // A wrong CRC or size.
        let c = deflate(&data, 6);
        assert!(run(&data[..data.len() - 8], c.clone(), 0, 2).0.is_none());
        let mut other = data.clone();
        other[5] ^= 1;
        assert!(run_crc(&data, c, 0, 2, crc32fast::hash(&other)).0.is_none());
    }

    #[test]
    fn streams_without_dynamic_blocks_are_left_alone() {
        // Level 0: stored blocks only; no piece finds a start, and the
        // first inflates it all.
        let data = doubles(1_000_000, 0);
        let (done, buf) = run(&data, deflate(&data, 0), 0, 2);
        assert_eq!(done.unwrap().joined, 0);
        assert!(buf == data);
    }
}
