//! One archive member's bytes as a [`ByteSource`]: read in place (stored)
//! or decompressed (deflate, bzip2, LZMA, zstd), with the member's CRC-32
//! checked.

use super::codec::Decoder;
use super::compressed::CompressedBytes;
use super::directory::Entry;
use super::inflate_par;
use super::zip::{DEFLATED, STORED, ZSTD};
use super::zstd_read;
use crate::bail;
use crate::error::Result;
use crate::io::{read_in_pieces, threads_for, ByteSource, OnPiece};
use std::fs::File;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Compressed bytes read per positional read while inflating: at most this
/// many, at least [`INFLATE_IN_MIN`], about as many as the bytes asked for.
const INFLATE_IN: usize = 256 << 10;
const INFLATE_IN_MIN: usize = 4 << 10;
/// Uncompressed bytes made per decompress call, so that their CRC is taken
/// while they are still in cache.
const INFLATE_OUT: usize = 256 << 10;
/// Reads from at most this far into a deflate member (past an .npy header)
/// to its end may be inflated on several threads.
const MAX_HEAD: u64 = 1 << 20;

/// The uncompressed bytes of one member (for an .npy member, the whole .npy
/// file). Reads are positional; those that come in order continue where
/// the last one stopped, carrying the CRC along (and, for deflate members,
/// the stream). A read that ends at the check point checks the CRC of the
/// whole member, and, for deflate members, that the stream ends exactly at
/// the declared size.
pub(crate) struct Member {
    archive: Arc<dyn ByteSource>,
    entry: Entry,
    /// Where the member's bytes start in the archive.
    data_start: u64,
    /// A read that ends here checks the whole member (`u64::MAX`: none does).
    check_at: u64,
    /// A stored member's CRC was found right: it is not checked again.
    verified: AtomicBool,
    /// Where the last read in order stopped.
    progress: Mutex<Option<Progress>>,
}

/// How far reads in order have come: the CRC of the bytes before `next`
/// and, for a deflate member, the stream positioned there.
struct Progress {
    next: u64,
    crc: crc32fast::Hasher,
    stream: Option<Stream>,
}

/// A compressed stream part way through a member. What was read ahead of
/// it is not kept: a later read reads the archive again from `consumed`.
struct Stream {
    d: Decoder,
    /// Compressed bytes consumed.
    consumed: u64,
    /// The stream's end was reached.
    ended: bool,
}

impl Member {
    /// The member described by `entry`, whose bytes start at `data_start`
    /// in `archive` (the local header was checked). No read checks the CRC
    /// until [`Member::check_at`] says where.
    pub(crate) fn new(archive: Arc<dyn ByteSource>, entry: Entry, data_start: u64) -> Member {
        Member {
            archive,
            entry,
            data_start,
            check_at: u64::MAX,
            verified: AtomicBool::new(false),
            progress: Mutex::new(None),
        }
    }

    /// Reads that end at `at` check the whole member: the end of the array
    /// data for .npy members, the member's size for raw reads.
    pub(crate) fn check_at(mut self, at: u64) -> Member {
        self.check_at = at;
        self
    }

    pub(crate) fn entry(&self) -> &Entry {
        &self.entry
    }

    pub(crate) fn is_stored(&self) -> bool {
        self.entry.method == STORED
    }

    /// Compare a CRC over the whole member with the directory's.
    fn compare(&self, crc: crc32fast::Hasher) -> Result<()> {
        let got = crc.finalize();
        if got != self.entry.crc {
            bail!(
                Crc,
                "CRC-32 mismatch: computed {got:08x}, the archive says {:08x} (the member is damaged)",
                self.entry.crc
            );
        }
        Ok(())
    }

    /// Take the progress of the reads in order, if `usable` for this read.
    fn take_progress(&self, usable: impl Fn(&Progress) -> bool) -> Option<Progress> {
        let mut p = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        p.take_if(|p| usable(p))
    }

    /// Leave the progress of a read for the next one.
    fn park(&self, p: Progress) {
        *self.progress.lock().unwrap_or_else(|p| p.into_inner()) = Some(p);
    }

    /// Add stored bytes `from..to` to `crc`.
    fn crc_range(&self, crc: &mut crc32fast::Hasher, from: u64, to: u64) -> Result<()> {
        if let Some(s) = self.archive.slice(self.data_start + from, to - from) {
            crc.update(s);
            return Ok(());
        }
        let mut buf = vec![0u8; ((to - from) as usize).min(1 << 20)];
        let mut off = from;
        while off < to {
            let n = ((to - off) as usize).min(buf.len());
            self.archive.read_at(self.data_start + off, &mut buf[..n])?;
            crc.update(&buf[..n]);
            off += n as u64;
        }
        Ok(())
    }

    fn read_stored(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.archive.read_at(self.data_start + offset, buf)?;
        if self.verified.load(Ordering::Relaxed) {
            return Ok(());
        }
        let end = offset + buf.len() as u64;
        let check = end == self.check_at;
        // The CRC of the bytes before this read: carried from the read in
        // order before it, or taken now when this read checks.
        let before = match self.take_progress(|p| p.next == offset) {
            Some(p) => Some(p.crc),
            None if offset == 0 => Some(crc32fast::Hasher::new()),
            None if check => {
                let mut crc = crc32fast::Hasher::new();
                self.crc_range(&mut crc, 0, offset)?;
                Some(crc)
            }
            None => None,
        };
        let Some(mut crc) = before else {
            return Ok(());
        };
        crc.update(buf);
        if !check {
            self.park(Progress {
                next: end,
                crc,
                stream: None,
            });
            return Ok(());
        }
        self.crc_range(&mut crc, end, self.entry.size)?;
        self.compare(crc)?;
        self.verified.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// Inflate member bytes `at ..` into `buf`, `chunk` bytes at a
    /// time, each handed to `each` once inflated.
    fn read_deflated(&self, at: u64, buf: &mut [u8], chunk: usize, each: OnPiece) -> Result<()> {
        if self.inflate_on_threads(at, buf) {
            buf.chunks_mut(chunk.max(1)).for_each(each);
            return Ok(());
        }
        let mut inf = Inflater::resume(self, at)?;
        inf.skip(at - inf.produced)?;
        for piece in buf.chunks_mut(chunk.max(1)) {
            inf.fill(piece)?;
            each(piece);
        }
        if at + buf.len() as u64 == self.check_at {
            inf.finish()
        } else {
            inf.park();
            Ok(())
        }
    }

    /// The member's compressed bytes.
    fn compressed(&self) -> CompressedBytes<'_> {
        CompressedBytes::new(&*self.archive, self.data_start, self.entry.compressed_size)
    }

    /// A read of a big deflate member from near its start to its end, on
    /// several threads ([`super::inflate_par`]); false when not done that
    /// way (then nothing was checked and `buf` holds nothing useful).
    fn inflate_on_threads(&self, at: u64, buf: &mut [u8]) -> bool {
        let e = &self.entry;
        let end = at + buf.len() as u64;
        if e.method != DEFLATED || end != self.check_at || end != e.size || at > MAX_HEAD {
            return false;
        }
        let pieces = (e.compressed_size / inflate_par::MIN_PIECE).max(1) as usize;
        let threads = threads_for(buf.len()).min(pieces);
        if threads < 2 {
            return false;
        }
        let job = inflate_par::Job {
            archive: &*self.archive,
            data_start: self.data_start,
            csize: e.compressed_size,
            size: e.size,
            crc: e.crc,
        };
        inflate_par::inflate(&job, at as usize, buf, threads).is_some()
    }
}

impl Member {
    /// A zstd member read to its end that checks the CRC, decoded straight
    /// into `buf` when it is one frame declaring its size (see
    /// [`zstd_read`]); `None` leaves the read to the streaming decoder.
    fn read_zstd_to_end(
        &self,
        at: u64,
        buf: &mut [u8],
        chunk: usize,
        each: OnPiece,
    ) -> Option<Result<()>> {
        let e = &self.entry;
        if e.method != ZSTD || at + buf.len() as u64 != self.check_at || self.check_at != e.size {
            return None;
        }
        let crc = match zstd_read::read_to_end(self.compressed(), e.size, at, buf) {
            Ok(Some(crc)) => crc,
            Ok(None) => return None,
            Err(err) => return Some(Err(err)),
        };
        Some(self.compare(crc).map(|()| {
            buf.chunks_mut(chunk.max(1)).for_each(each);
        }))
    }
}

impl ByteSource for Member {
    fn size(&self) -> u64 {
        self.entry.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.read_chunks(offset, buf, usize::MAX, &mut |_| {})
    }

    fn read_chunks(&self, offset: u64, buf: &mut [u8], chunk: usize, each: OnPiece) -> Result<()> {
        let size = self.entry.size;
        if offset
            .checked_add(buf.len() as u64)
            .is_none_or(|end| end > size)
        {
            bail!(Truncated, "read past the member's {size} bytes");
        }
        if self.is_stored() {
            read_in_pieces(offset, buf, chunk, each, &mut |at, piece| {
                self.read_stored(at, piece)
            })
        } else if let Some(r) = self.read_zstd_to_end(offset, buf, chunk, each) {
            r
        } else {
            self.read_deflated(offset, buf, chunk, each)
        }
    }

    /// Stored members of archives in memory only.
    fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        if !self.is_stored() {
            return None;
        }
        self.archive.slice(self.data_start + offset, len)
    }

    /// Stored members of archive files only.
    fn file(&self) -> Option<(&File, u64)> {
        if !self.is_stored() {
            return None;
        }
        let (file, base) = self.archive.file()?;
        Some((file, base + self.data_start))
    }

    /// The whole member's CRC (once for stored members; a deflate member is
    /// inflated to its end).
    fn verify(&self) -> Result<()> {
        if !self.is_stored() {
            return Inflater::new(self)?.finish();
        }
        if self.verified.load(Ordering::Relaxed) {
            return Ok(());
        }
        let mut crc = crc32fast::Hasher::new();
        self.crc_range(&mut crc, 0, self.entry.size)?;
        self.compare(crc)?;
        self.verified.store(true, Ordering::Relaxed);
        Ok(())
    }

    fn is_compressed(&self) -> bool {
        !self.is_stored()
    }
}

/// Inflates a deflate member from its start, checking sizes and the CRC.
struct Inflater<'a> {
    m: &'a Member,
    /// Uncompressed bytes produced.
    produced: u64,
    crc: crc32fast::Hasher,
    s: Stream,
    src: CompressedBytes<'a>,
}

impl<'a> Inflater<'a> {
    fn new(m: &'a Member) -> Result<Inflater<'a>> {
        let e = &m.entry;
        Ok(Inflater {
            m,
            produced: 0,
            crc: crc32fast::Hasher::new(),
            s: Stream {
                d: Decoder::new(e.method, e.size, e.flags)?,
                consumed: 0,
                ended: false,
            },
            src: m.compressed(),
        })
    }

    /// Continue where the member's last read stopped if that is at or
    /// before `start`; otherwise start from the beginning.
    fn resume(m: &'a Member, start: u64) -> Result<Inflater<'a>> {
        match m.take_progress(|p| p.next <= start) {
            Some(Progress {
                next,
                crc,
                stream: Some(s),
            }) => Ok(Inflater {
                m,
                produced: next,
                crc,
                s,
                src: m.compressed(),
            }),
            _ => Inflater::new(m),
        }
    }

    /// Leave the stream with the member for the next read in order.
    fn park(self) {
        self.m.park(Progress {
            next: self.produced,
            crc: self.crc,
            stream: Some(self.s),
        });
    }

    /// One decompress call into `out`; returns (input used, output made),
    /// and marks the stream ended when it ends. Compressed bytes are read
    /// about as many at a time as the output asked for.
    fn step(&mut self, out: &mut [u8]) -> Result<(usize, usize)> {
        let want = out.len().clamp(INFLATE_IN_MIN, INFLATE_IN);
        let input = self.src.get(self.s.consumed, u64::MAX, 1, want)?;
        let step = self.s.d.run(input, out)?;
        let s = &mut self.s;
        s.consumed += step.used as u64;
        if step.ended {
            s.ended = true;
        }
        Ok((step.used, step.made))
    }

    /// The stream ends without a marker here (LZMA without its end marker,
    /// at the declared size).
    fn ends_here(&self) -> bool {
        self.s.d.ends_at_size() && self.produced == self.m.entry.size
    }

    /// Produce exactly `out.len()` bytes.
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let size = self.m.entry.size;
        if self.produced + out.len() as u64 > size {
            bail!(Truncated, "read past the member's {size} bytes");
        }
        let name = self.s.d.name();
        let mut done = 0;
        while done < out.len() {
            if self.s.ended {
                bail!(
                    Zip,
                    "{name} stream ended after {} bytes but the member declares {size}",
                    self.produced
                );
            }
            let end = out.len().min(done + INFLATE_OUT);
            let (used, made) = self.step(&mut out[done..end])?;
            self.crc.update(&out[done..done + made]);
            done += made;
            self.produced += made as u64;
            if !self.s.ended && used == 0 && made == 0 {
                if self.s.consumed == self.m.entry.compressed_size {
                    bail!(
                        Zip,
                        "truncated {name} stream: the compressed data ends after {} of the {size} bytes the member declares",
                        self.produced
                    );
                }
                bail!(Zip, "corrupt {name} stream: no progress");
            }
        }
        Ok(())
    }

    fn skip(&mut self, mut n: u64) -> Result<()> {
        let mut scratch = vec![0u8; (n as usize).min(256 << 10)];
        while n > 0 {
            let k = (n as usize).min(scratch.len());
            self.fill(&mut scratch[..k])?;
            n -= k as u64;
        }
        Ok(())
    }

    /// Inflate the rest, then check the stream ends exactly at the declared
    /// sizes and the CRC matches.
    fn finish(&mut self) -> Result<()> {
        let rest = self.m.entry.size - self.produced;
        self.skip(rest)?;
        let name = self.s.d.name();
        // The stream must end exactly here: one more byte of output is too many.
        while !self.s.ended && !self.ends_here() {
            let mut one = [0u8; 1];
            let (used, made) = self.step(&mut one)?;
            if made > 0 {
                bail!(
                    Zip,
                    "{name} stream inflates past its declared size of {} bytes",
                    self.m.entry.size
                );
            }
            if !self.s.ended && used == 0 {
                if self.s.consumed == self.m.entry.compressed_size {
                    bail!(
                        Zip,
                        "truncated {name} stream: the compressed data ends before the stream's end marker"
                    );
                }
                bail!(
                    Zip,
                    "corrupt {name} stream: it does not end at the declared size"
                );
            }
        }
        self.m.compare(self.crc.clone())
    }
}
