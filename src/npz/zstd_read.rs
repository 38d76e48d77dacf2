//! A zstd member read to its end, decoded straight into the caller's
//! buffer.
//!
//! zstd's streaming decoder decodes every block into a window buffer of its
//! own and copies it out from there. When a read runs to the member's end
//! and the member is one zstd frame that declares the member's size, the
//! frame is decoded here block by block (zstd's buffer-less API) with each
//! block's output placed directly in the caller's buffer, one copy of the
//! whole member fewer. The bytes before the read (the .npy header) are
//! decoded into a small scratch buffer, which the decoder then keeps as the
//! history that lies outside the caller's buffer. The CRC-32 is taken block
//! by block while the block is in cache. When the read is big enough for
//! two threads ([`threads_for`]), a helper thread takes the CRC instead, in
//! runs of 1 MiB behind the decoder, and reads the compressed bytes 1 MiB
//! ahead of it (from archives not in memory), so that the decoding thread
//! only decodes.
//!
//! Members of any other shape (a first frame without its content size, or
//! one whose size disagrees with the directory, as when several frames
//! split the member) are left to the streaming decoder. Like it, and like
//! Python's zipfile, this reads the first frame only: bytes after it are
//! ignored.

use super::compressed::CompressedBytes;
use crate::error::Result;
use crate::io::threads_for;
use crate::{bail, err};
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use zstd::zstd_safe::zstd_sys;

/// zstd's largest block output (128 KiB): a block that ends past the read's
/// start fits in a scratch buffer this much longer than the bytes before it.
const BLOCK_MAX: usize = 128 << 10;
/// Compressed bytes read ahead at a time from archives not in memory; a
/// compressed block (at most [`BLOCK_MAX`] plus its 3-byte header) fits.
const READ_AHEAD: usize = 1 << 20;
/// Smaller members are left to the streaming decoder: the copy saved is
/// small, and the buffers here (about 1.2 MiB at most on one thread; with
/// the helper thread, two read-ahead chunks of 1 MiB and at most one step
/// put together, besides) could exceed them.
const MIN_SIZE: u64 = 4 << 20;
/// Reads that start further into the member than this (past any .npy
/// header) are left to the streaming decoder.
const AT_MAX: u64 = 1 << 20;
/// The longest zstd frame header.
const FRAME_HEADER_MAX: usize = 18;

/// Decode member bytes `at ..` of a zstd member of `size` bytes into `buf`
/// (exactly the rest of the member), returning the CRC-32 of the whole
/// member, or `None` (with `buf` untouched) when the member is not one
/// frame declaring `size` bytes and the streaming decoder must read it.
/// A read big enough for two threads ([`threads_for`]) has a second thread
/// take the CRC behind the decoder and read compressed bytes ahead of it.
pub(super) fn read_to_end(
    c: CompressedBytes<'_>,
    size: u64,
    at: u64,
    buf: &mut [u8],
) -> Result<Option<crc32fast::Hasher>> {
    let helpers = threads_for(buf.len()) >= 2;
    read_to_end_with(c, size, at, buf, helpers)
}

fn read_to_end_with(
    c: CompressedBytes<'_>,
    size: u64,
    at: u64,
    buf: &mut [u8],
    helpers: bool,
) -> Result<Option<crc32fast::Hasher>> {
    if at.checked_add(buf.len() as u64) != Some(size) || at > AT_MAX || size < MIN_SIZE {
        return Ok(None);
    }
    let len = c.len();
    let mut input = Input { src: c, used: 0 };
    let head = input.peek(FRAME_HEADER_MAX.min(len as usize))?;
    if declared_size(head) != Some(size) {
        return Ok(None);
    }
    let at = at as usize;
    let out = Out {
        ptr: buf.as_mut_ptr(),
        len: buf.len(),
    };
    if !helpers {
        return decode_alone(&mut input, size, at, out).map(Some);
    }
    let src = input.src.again();
    let (in_memory, clen) = (src.in_memory(), src.len());
    let link = Link::default();
    std::thread::scope(|sc| {
        let (link, src) = (&link, &src);
        let spawned = std::thread::Builder::new().spawn_scoped(sc, move || helper(link, src, out));
        let Ok(helper) = spawned else {
            return decode_alone(&mut input, size, at, out).map(Some);
        };
        let head = {
            // Closed however the decode ends, so that the helper stops.
            let _close = Close(link);
            let mut runs = Runs {
                link,
                from: 0,
                to: 0,
            };
            let mut done = |from: usize, n: usize| runs.add(from, n);
            let head = if in_memory {
                decode(&mut input, size, at, out, &mut done)
            } else {
                let mut ahead = Ahead::start(link, clen);
                decode(&mut ahead, size, at, out, &mut done)
            };
            runs.flush();
            head
        };
        let tail = helper
            .join()
            .map_err(|_| err!(Io, "the thread helping to read the zstd member stopped"))?;
        let mut crc = head?;
        crc.combine(&tail);
        Ok(Some(crc))
    })
}

/// The helper thread of a read: does the jobs asked, in order, until the
/// decoder closes the link; the CRC of the runs it was given.
fn helper(link: &Link, src: &CompressedBytes<'_>, out: Out) -> crc32fast::Hasher {
    let _gone = Gone(link);
    let mut h = crc32fast::Hasher::new();
    while let Some(job) = link.next_job() {
        match job {
            // SAFETY: runs of `buf` the decoder has finished and no longer
            // writes; `buf` outlives the read's threads.
            Job::Crc(from, n) => h.update(unsafe { out.finished(from, n) }),
            Job::Read(pos, mut b) => link.put_chunk(src.read_at(pos, &mut b).map(|()| b)),
        }
    }
    h
}

/// Jobs one way and chunks of compressed bytes the other, between the
/// decoding thread and its helper, under one lock (a few lock rounds per
/// MiB decoded).
#[derive(Default)]
struct Link {
    state: Mutex<Queues>,
    /// A job was queued, or the link closed.
    to_helper: Condvar,
    /// A chunk was read, or the helper stopped.
    to_decoder: Condvar,
}

#[derive(Default)]
struct Queues {
    jobs: VecDeque<Job>,
    /// The decoder asks for nothing more.
    closed: bool,
    chunks: VecDeque<Result<Vec<u8>>>,
    /// The helper has stopped (its jobs done, or by a panic).
    gone: bool,
}

impl Link {
    fn lock(&self) -> MutexGuard<'_, Queues> {
        // Nothing here panics while holding the lock; a poisoned one still
        // holds whole queues.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn send(&self, job: Job) {
        self.lock().jobs.push_back(job);
        self.to_helper.notify_one();
    }

    /// The next job, waiting for one; `None` once the link is closed and
    /// every job is done.
    fn next_job(&self) -> Option<Job> {
        self.wait(&self.to_helper, |q| match q.jobs.pop_front() {
            Some(job) => Some(Some(job)),
            None => q.closed.then_some(None),
        })
    }

    fn put_chunk(&self, c: Result<Vec<u8>>) {
        self.lock().chunks.push_back(c);
        self.to_decoder.notify_one();
    }

    /// The next chunk read, waiting for it; `None` if the helper stopped
    /// first.
    fn take_chunk(&self) -> Option<Result<Vec<u8>>> {
        self.wait(&self.to_decoder, |q| match q.chunks.pop_front() {
            Some(c) => Some(Some(c)),
            None => q.gone.then_some(None),
        })
    }

    /// Wait on `cv` until `answer` has one.
    fn wait<T>(&self, cv: &Condvar, mut answer: impl FnMut(&mut Queues) -> Option<T>) -> T {
        let mut q = self.lock();
        loop {
            if let Some(t) = answer(&mut q) {
                return t;
            }
            q = cv.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
    }
}

/// Closes the link when dropped (the decode over, or unwinding).
struct Close<'a>(&'a Link);

impl Drop for Close<'_> {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.to_helper.notify_one();
    }
}

/// Marks the helper stopped when dropped, so that a decoder waiting for a
/// chunk wakes even if the helper panicked.
struct Gone<'a>(&'a Link);

impl Drop for Gone<'_> {
    fn drop(&mut self) {
        self.0.lock().gone = true;
        self.0.to_decoder.notify_one();
    }
}

/// [`decode`] with the CRC taken on this thread; the CRC of the member.
fn decode_alone(input: &mut Input, size: u64, at: usize, out: Out) -> Result<crc32fast::Hasher> {
    let mut tail = crc32fast::Hasher::new();
    // SAFETY: `done` is handed runs of `buf` the decoder has finished.
    let mut done = |from, n| tail.update(unsafe { out.finished(from, n) });
    let mut crc = decode(input, size, at, out, &mut done)?;
    crc.combine(&tail);
    Ok(crc)
}

/// What the helper thread of a read does, in the order asked.
enum Job {
    /// The CRC of `buf[from .. from + n]`, which the decoder has finished.
    Crc(usize, usize),
    /// Fill the buffer with the compressed bytes from this offset on.
    Read(u64, Vec<u8>),
}

/// The caller's buffer as a pointer: the decoder writes ahead in it while
/// the CRC is taken behind, never over the same bytes at once.
#[derive(Clone, Copy)]
struct Out {
    ptr: *mut u8,
    len: usize,
}

// SAFETY: `Out` only names the caller's buffer, which outlives the threads
// of a read; which bytes each side touches is set out at each use.
unsafe impl Send for Out {}
unsafe impl Sync for Out {}

impl Out {
    /// The buffer from `from` on, for the decoder to write.
    ///
    /// SAFETY: no other thread reads or writes bytes at or past `from`
    /// while the slice lives, and `from <= len`.
    unsafe fn rest<'x>(self, from: usize) -> &'x mut [u8] {
        std::slice::from_raw_parts_mut(self.ptr.add(from), self.len - from)
    }

    /// Bytes `from .. from + n`, which the decoder has finished.
    ///
    /// SAFETY: they lie inside the buffer and nothing writes them while the
    /// slice lives.
    unsafe fn finished<'x>(self, from: usize, n: usize) -> &'x [u8] {
        std::slice::from_raw_parts(self.ptr.add(from), n)
    }
}

/// Finished runs of the caller's buffer, sent to the CRC thread about
/// [`CRC_RUN`] bytes at a time, in order.
struct Runs<'a> {
    link: &'a Link,
    from: usize,
    to: usize,
}

/// Bytes of output handed to the CRC thread at once.
const CRC_RUN: usize = 1 << 20;

impl Runs<'_> {
    fn add(&mut self, from: usize, n: usize) {
        if self.to == self.from {
            self.from = from;
            self.to = from;
        }
        debug_assert_eq!(from, self.to, "runs come in order");
        self.to += n;
        if self.to - self.from >= CRC_RUN {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.to > self.from {
            self.link.send(Job::Crc(self.from, self.to - self.from));
            self.from = self.to;
        }
    }
}

/// Decode the frame: the bytes before `at` into a scratch buffer (their
/// CRC is returned), the rest into `out`, handing each finished run of
/// `out` to `done` as (offset, length), in order.
fn decode(
    input: &mut dyn Steps,
    size: u64,
    at: usize,
    out: Out,
    done: &mut dyn FnMut(usize, usize),
) -> Result<crc32fast::Hasher> {
    let dctx = Dctx::new()?;
    let mut crc = crc32fast::Hasher::new();
    // The bytes before `at`, and the block that crosses it.
    let mut scratch = if at > 0 {
        vec![0u8; at + BLOCK_MAX]
    } else {
        Vec::new()
    };
    let mut made = 0usize;
    loop {
        let want = dctx.next_input();
        if want == 0 {
            break;
        }
        let src = input.take(want, made as u64, size)?;
        let n = if made < at {
            let n = dctx.decode(&mut scratch[made..], src)?;
            crc.update(&scratch[made..made + n]);
            if made + n > at {
                let spill = made + n - at;
                if spill > out.len {
                    return Err(past(size));
                }
                // SAFETY: nothing of `out` was handed on yet.
                let dst = unsafe { out.rest(0) };
                dst[..spill].copy_from_slice(&scratch[at..made + n]);
            }
            n
        } else {
            let off = made - at;
            // SAFETY: `done` was handed only bytes before `off`; the
            // decoder never writes more than the slice (`off <= len`, as
            // every earlier step stayed inside it).
            let n = dctx.decode(unsafe { out.rest(off) }, src)?;
            done(off, n);
            n
        };
        made += n;
    }
    if made as u64 != size {
        bail!(
            Zip,
            "zstd stream ended after {made} bytes but the member declares {size}"
        );
    }
    Ok(crc)
}

/// The content size a zstd frame header at the start of `b` declares, if
/// `b` starts with a whole header of an ordinary (not skippable) frame that
/// records it.
pub(super) fn declared_size(b: &[u8]) -> Option<u64> {
    // SAFETY: a zeroed header is a valid value of this plain C struct, and
    // zstd reads only `b.len()` bytes of `b`.
    let mut h: zstd_sys::ZSTD_FrameHeader = unsafe { std::mem::zeroed() };
    let r = unsafe { zstd_sys::ZSTD_getFrameHeader(&mut h, b.as_ptr().cast(), b.len()) };
    if r != 0 || h.frameType != zstd_sys::ZSTD_FrameType_e::ZSTD_frame {
        return None;
    }
    (h.frameContentSize != zstd_sys::ZSTD_CONTENTSIZE_UNKNOWN as u64).then_some(h.frameContentSize)
}

fn past(size: u64) -> crate::error::Error {
    err!(
        Zip,
        "zstd stream inflates past its declared size of {size} bytes"
    )
}

/// A zstd decoding context used through the buffer-less API.
struct Dctx(std::ptr::NonNull<zstd_sys::ZSTD_DCtx>);

impl Dctx {
    fn new() -> Result<Dctx> {
        // SAFETY: plain constructor; NULL means out of memory.
        let p = unsafe { zstd_sys::ZSTD_createDCtx() };
        let d = Dctx(
            std::ptr::NonNull::new(p).ok_or_else(|| err!(Alloc, "cannot make a zstd decoder"))?,
        );
        // SAFETY: a live context.
        let r = unsafe { zstd_sys::ZSTD_decompressBegin(d.0.as_ptr()) };
        check(r)?;
        Ok(d)
    }

    /// The exact number of compressed bytes the next step takes; 0 once
    /// the frame has ended.
    fn next_input(&self) -> usize {
        // SAFETY: a live context.
        unsafe { zstd_sys::ZSTD_nextSrcSizeToDecompress(self.0.as_ptr()) }
    }

    /// One step: `src` (exactly [`Dctx::next_input`] bytes) in, the bytes
    /// made written to the front of `dst`, which zstd never writes past.
    /// Output of earlier steps that was not directly before `dst` stays
    /// the history the decoder refers back to, so it must still be there.
    fn decode(&self, dst: &mut [u8], src: &[u8]) -> Result<usize> {
        // SAFETY: both buffers are valid for their lengths; the context's
        // history (the scratch buffer and the caller's buffer) outlives the
        // context, which is dropped at the end of `read_to_end`.
        let r = unsafe {
            zstd_sys::ZSTD_decompressContinue(
                self.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
            )
        };
        check(r)
    }
}

impl Drop for Dctx {
    fn drop(&mut self) {
        // SAFETY: made by ZSTD_createDCtx, freed once.
        unsafe {
            zstd_sys::ZSTD_freeDCtx(self.0.as_ptr());
        }
    }
}

/// zstd's result code as a result; a destination too small means the
/// frame makes more bytes than the member declares.
fn check(r: usize) -> Result<usize> {
    // SAFETY: pure functions of the code.
    if unsafe { zstd_sys::ZSTD_isError(r) } == 0 {
        return Ok(r);
    }
    if unsafe { zstd_sys::ZSTD_getErrorCode(r) }
        == zstd_sys::ZSTD_ErrorCode::ZSTD_error_dstSize_tooSmall
    {
        bail!(Zip, "zstd stream inflates past the member's declared size");
    }
    let name = unsafe { std::ffi::CStr::from_ptr(zstd_sys::ZSTD_getErrorName(r)) };
    bail!(Zip, "corrupt zstd stream: {}", name.to_string_lossy())
}

/// The member's compressed bytes, consumed in order.
struct Input<'a> {
    src: CompressedBytes<'a>,
    /// Compressed bytes consumed.
    used: u64,
}

impl Input<'_> {
    /// Up to `n` bytes from the current position, not consumed.
    fn peek(&mut self, n: usize) -> Result<&[u8]> {
        // Only what is asked: the helper thread reads the rest itself.
        let b = self.src.get(self.used, u64::MAX, n, n)?;
        Ok(&b[..n.min(b.len())])
    }
}

/// The compressed bytes of the frame, taken in order, one decoding step at
/// a time.
trait Steps {
    /// Exactly `n` bytes, consumed; `made` and `size` for the message when
    /// the compressed data ends first.
    fn take(&mut self, n: usize, made: u64, size: u64) -> Result<&[u8]>;
}

/// Whether a step of `n` bytes fits in the `left` compressed bytes and in
/// the longest step read here.
fn check_step(n: usize, left: u64, made: u64, size: u64) -> Result<()> {
    if n as u64 > left {
        bail!(
            Zip,
            "truncated zstd stream: the compressed data ends after {made} of the {size} bytes the member declares"
        );
    }
    if n > READ_AHEAD {
        bail!(
            Zip,
            "corrupt zstd stream: a step of {n} bytes is longer than any zstd block"
        );
    }
    Ok(())
}

impl Steps for Input<'_> {
    fn take(&mut self, n: usize, made: u64, size: u64) -> Result<&[u8]> {
        check_step(n, self.src.len() - self.used, made, size)?;
        let at = self.used;
        self.used += n as u64;
        Ok(&self.src.get(at, u64::MAX, n, READ_AHEAD)?[..n])
    }
}

/// Compressed bytes read by the helper thread ahead of the decoder, in
/// chunks of [`READ_AHEAD`] bytes, [`CHUNKS_AHEAD`] of them asked for
/// before they are needed; a step that crosses from one chunk into the next
/// is put together in a side buffer.
struct Ahead<'a> {
    link: &'a Link,
    cur: Vec<u8>,
    /// The member offset of `cur[0]`.
    cur_at: u64,
    /// Where the next chunk to ask for starts.
    ask_at: u64,
    side: Vec<u8>,
    used: u64,
    len: u64,
}

/// Chunks asked for ahead of the one being decoded.
const CHUNKS_AHEAD: usize = 1;

impl<'a> Ahead<'a> {
    fn start(link: &'a Link, len: u64) -> Ahead<'a> {
        let mut a = Ahead {
            link,
            cur: Vec::new(),
            cur_at: 0,
            ask_at: 0,
            side: Vec::new(),
            used: 0,
            len,
        };
        for _ in 0..CHUNKS_AHEAD {
            a.ask(Vec::new());
        }
        a
    }

    /// Ask for the next chunk to be read into `b`.
    fn ask(&mut self, mut b: Vec<u8>) {
        if self.ask_at < self.len {
            let n = (self.len - self.ask_at).min(READ_AHEAD as u64) as usize;
            b.resize(n, 0);
            self.link.send(Job::Read(self.ask_at, b));
            self.ask_at += n as u64;
        }
    }

    /// Move on to the next chunk, and ask for one more.
    fn next(&mut self) -> Result<()> {
        let chunk = self
            .link
            .take_chunk()
            .ok_or_else(|| err!(Io, "the thread reading the zstd member ahead stopped"))??;
        self.cur_at += self.cur.len() as u64;
        let old = std::mem::replace(&mut self.cur, chunk);
        self.ask(old);
        Ok(())
    }
}

impl Steps for Ahead<'_> {
    fn take(&mut self, n: usize, made: u64, size: u64) -> Result<&[u8]> {
        check_step(n, self.len - self.used, made, size)?;
        let end = self.used + n as u64;
        if self.used >= self.cur_at + self.cur.len() as u64 {
            self.next()?;
        }
        let from = (self.used - self.cur_at) as usize;
        self.used = end;
        if end <= self.cur_at + self.cur.len() as u64 {
            return Ok(&self.cur[from..from + n]);
        }
        // The step runs into the next chunk (it is at most one chunk long).
        self.side.clear();
        self.side.extend_from_slice(&self.cur[from..]);
        self.next()?;
        let rest = n - self.side.len();
        let Some(more) = self.cur.get(..rest) else {
            bail!(Io, "the zstd member's compressed bytes were read short");
        };
        self.side.extend_from_slice(more);
        Ok(&self.side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ByteSource, MemorySource};

    /// An archive not in memory: bytes served by `read_at` only, from
    /// `skip` bytes on (so the member starts part way in).
    struct Unmapped(Vec<u8>);

    impl ByteSource for Unmapped {
        fn size(&self) -> u64 {
            self.0.len() as u64
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
            buf.copy_from_slice(&self.0[offset as usize..][..buf.len()]);
            Ok(())
        }
    }

    /// 6 MB of bytes with 6 random bits each and runs that repeat, and a
    /// frame of them made in one go: about 4 MB of compressed blocks, so
    /// steps cross the read-ahead chunks.
    fn member() -> (Vec<u8>, Vec<u8>) {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let data: Vec<u8> = (0..6_000_000u32)
            .map(|i| {
                if i % 4096 < 512 {
                    return (i / 7 % 251) as u8;
                }
                (xorshift(&mut x) >> 58) as u8
            })
            .collect();
        let frame = zstd::bulk::compress(&data, 1).unwrap();
        assert!(frame.len() > 3 * READ_AHEAD, "{} bytes", frame.len());
        (data, frame)
    }

    /// The next value of a xorshift generator.
    fn xorshift(x: &mut u64) -> u64 {
        *x ^= *x << 13;
        *x ^= *x >> 7;
        *x ^= *x << 17;
        *x
    }

    #[test]
    fn declared_size_of_frame_headers() {
        let (data, frame) = member();
        assert_eq!(declared_size(&frame[..FRAME_HEADER_MAX]), Some(6_000_000));
        // Cut inside the header; another magic; a skippable frame.
        assert_eq!(declared_size(&frame[..5]), None);
        assert_eq!(declared_size(b"PK\x03\x04 and more bytes"), None);
        let skippable = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4];
        assert_eq!(declared_size(&skippable), None);
        // zstd's streaming compressor records no size.
        let mut e = zstd::stream::Encoder::new(Vec::new(), 1).unwrap();
        std::io::Write::write_all(&mut e, &data[..1000]).unwrap();
        assert_eq!(declared_size(&e.finish().unwrap()), None);
    }

    #[test]
    fn decodes_into_the_buffer_from_any_start() {
        let (data, frame) = member();
        let mut archive = vec![9u8; 77];
        archive.extend_from_slice(&frame);
        let sources: [Box<dyn ByteSource>; 2] = [
            Box::new(MemorySource::new(archive.clone())),
            Box::new(Unmapped(archive)),
        ];
        for src in &sources {
            let c = || CompressedBytes::new(&**src, 77, frame.len() as u64);
            for helpers in [false, true] {
                for at in [0usize, 1, 128, 200_000] {
                    let mut buf = vec![0u8; data.len() - at];
                    let crc =
                        read_to_end_with(c(), data.len() as u64, at as u64, &mut buf, helpers)
                            .unwrap()
                            .expect("decoded here");
                    assert!(buf == data[at..], "at {at}, helpers {helpers}");
                    let want = crc32fast::hash(&data);
                    assert_eq!(crc.finalize(), want, "at {at}, helpers {helpers}");
                }
            }
        }
    }

    /// Steps that end exactly at a chunk's end, start at one, fill one
    /// whole, cross one and end at the last short one, read ahead by a
    /// helper: each is the bytes asked for; one more is a truncation.
    #[test]
    fn read_ahead_steps_at_and_across_chunk_ends() {
        let r = READ_AHEAD;
        let len = 3 * r + 1000;
        let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
        let src = Unmapped(data.clone());
        let c = CompressedBytes::new(&src, 0, len as u64);
        let link = Link::default();
        let nothing = Out {
            ptr: std::ptr::null_mut(),
            len: 0,
        };
        std::thread::scope(|sc| {
            let (link, c) = (&link, &c);
            sc.spawn(move || helper(link, c, nothing));
            let _close = Close(link);
            let mut a = Ahead::start(link, len as u64);
            let mut pos = 0;
            for n in [r - 3, 3, r, 5, r - 10, 1005] {
                let got = a.take(n, 0, 0).unwrap();
                assert!(got == &data[pos..pos + n], "step of {n} at {pos}");
                pos += n;
            }
            assert_eq!(pos, len);
            let e = a.take(1, 5, 6).unwrap_err();
            assert!(e.message().contains("truncated zstd stream"), "{e}");
        });
    }

    /// An archive whose reads from byte `from` on fail, or panic.
    struct Failing {
        bytes: Vec<u8>,
        from: usize,
        panics: bool,
    }

    impl ByteSource for Failing {
        fn size(&self) -> u64 {
            self.bytes.len() as u64
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
            if offset as usize + buf.len() > self.from {
                assert!(!self.panics, "read_at panics");
                bail!(Io, "read failed at {offset}");
            }
            buf.copy_from_slice(&self.bytes[offset as usize..][..buf.len()]);
            Ok(())
        }
    }

    /// Damage found with the helper threads is the error the one-thread
    /// read gives: cut short, a changed byte, a failed read.
    #[test]
    fn damage_is_reported_with_or_without_helpers() {
        let (data, frame) = member();
        let n = data.len() as u64;
        let run = |src: &dyn ByteSource, clen: u64, helpers: bool| {
            let mut buf = vec![0u8; data.len()];
            let c = CompressedBytes::new(src, 0, clen);
            read_to_end_with(c, n, 0, &mut buf, helpers).map(|r| r.map(|c| c.finalize()))
        };
        let cut = (frame.len() - 1000) as u64;
        let mut bad = frame.clone();
        let mid = frame.len() / 2;
        bad[mid] ^= 0x55;
        bad[mid + 1] ^= 0xaa;
        for helpers in [false, true] {
            // Cut short.
            let e = run(&Unmapped(frame.clone()), cut, helpers).unwrap_err();
            assert!(e.message().contains("truncated zstd stream"), "{e}");
            let e = run(&MemorySource::new(frame.clone()), cut, helpers).unwrap_err();
            assert!(e.message().contains("truncated zstd stream"), "{e}");
            // Changed bytes: an error, or a wrong CRC for the caller to see.
            match run(&Unmapped(bad.clone()), frame.len() as u64, helpers) {
                Err(e) => assert!(e.message().contains("zstd"), "{e}"),
                Ok(crc) => assert_ne!(crc, Some(crc32fast::hash(&data))),
            }
            // A read that fails half way.
            let failing = Failing {
                bytes: frame.clone(),
                from: mid,
                panics: false,
            };
            let e = run(&failing, frame.len() as u64, helpers).unwrap_err();
            assert_eq!(e.status(), crate::Status::Io, "{e}");
            assert!(e.message().contains("read failed"), "{e}");
        }
    }

    /// Any changed byte gives the same outcome with or without the helper
    /// thread, from memory and read by position: the same CRC, or the
    /// same error.
    #[test]
    fn changed_bytes_read_alike_with_or_without_helpers() {
        let (data, frame) = member();
        let n = data.len() as u64;
        // Where each block starts: its header, then its literals' header.
        // SAFETY: zstd reads only the frame's bytes.
        let mut pos = unsafe { zstd_sys::ZSTD_frameHeaderSize(frame.as_ptr().cast(), frame.len()) };
        let mut starts = Vec::new();
        while pos + 3 <= frame.len() {
            starts.push(pos);
            let h = u32::from_le_bytes([frame[pos], frame[pos + 1], frame[pos + 2], 0]);
            let rle = (h >> 1) & 3 == 1;
            pos += 3 + if rle { 1 } else { (h >> 3) as usize };
        }
        assert!(starts.len() > 30, "{} blocks", starts.len());
        let mut x = 0x2545_f491_4f6c_dd1du64;
        let mut errors = 0;
        for i in 0..32 {
            let x = xorshift(&mut x);
            let mut bad = frame.clone();
            // Bytes of block and literals headers, and anywhere.
            let at = match i % 2 {
                0 => starts[(x % starts.len() as u64) as usize] + (x >> 8) as usize % 6,
                _ => (x % frame.len() as u64) as usize,
            };
            bad[at] ^= 1 << (x >> 61);
            let sources: [Box<dyn ByteSource>; 2] = [
                Box::new(MemorySource::new(bad.clone())),
                Box::new(Unmapped(bad)),
            ];
            let mut outcomes = Vec::new();
            for src in &sources {
                for helpers in [false, true] {
                    let mut buf = vec![0u8; data.len()];
                    let c = CompressedBytes::new(&**src, 0, frame.len() as u64);
                    outcomes.push(
                        read_to_end_with(c, n, 0, &mut buf, helpers)
                            .map(|r| r.map(|c| c.finalize()))
                            .map_err(|e| (e.status(), e.message().to_string())),
                    );
                }
            }
            assert!(
                outcomes.iter().all(|o| *o == outcomes[0]),
                "byte {at}: {outcomes:?}"
            );
            errors += outcomes[0].is_err() as usize;
        }
        // Both kinds of outcome were compared.
        assert!((4..32).contains(&errors), "{errors} errors");
    }

    /// A helper that panics while reading ahead stops the read with an
    /// error: the decoder waiting for its chunk wakes, nothing hangs.
    #[test]
    fn a_helper_that_panics_is_an_error() {
        let (data, frame) = member();
        let src = Failing {
            bytes: frame.clone(),
            from: frame.len() / 2,
            panics: true,
        };
        let c = CompressedBytes::new(&src, 0, frame.len() as u64);
        let mut buf = vec![0u8; data.len()];
        let e = read_to_end_with(c, data.len() as u64, 0, &mut buf, true).unwrap_err();
        assert_eq!(e.status(), crate::Status::Io, "{e}");
        assert!(
            e.message()
                .contains("the thread helping to read the zstd member stopped"),
            "{e}"
        );
    }

    #[test]
    fn other_members_are_left_to_the_streaming_decoder() {
        let (data, frame) = member();
        let src = MemorySource::new(frame.clone());
        let c = || CompressedBytes::new(&src, 0, frame.len() as u64);
        let n = data.len() as u64;
        let mut buf = vec![0u8; data.len()];
        // The frame's size is not the member's; the read does not reach
        // the end; the read starts too far in.
        assert!(read_to_end(c(), n + 1, 1, &mut buf).unwrap().is_none());
        assert!(read_to_end(c(), n + 1, 0, &mut buf).unwrap().is_none());
        let far = AT_MAX as usize + 1;
        assert!(read_to_end(c(), n, far as u64, &mut buf[far..])
            .unwrap()
            .is_none());
        // A small member.
        let small = zstd::bulk::compress(&data[..1000], 1).unwrap();
        let src = MemorySource::new(small.clone());
        let c = || CompressedBytes::new(&src, 0, small.len() as u64);
        assert!(read_to_end(c(), 1000, 0, &mut buf[..1000])
            .unwrap()
            .is_none());
        assert!(buf.iter().all(|&b| b == 0), "the buffer is untouched");
    }
}
