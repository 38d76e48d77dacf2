//! A member's compressed bytes, read by position: in place when the
//! archive is held in memory, else read ahead in pieces into a buffer that
//! is reused.

use crate::error::Result;
use crate::io::ByteSource;

pub(super) struct CompressedBytes<'a> {
    archive: &'a dyn ByteSource,
    /// Where the member's compressed bytes start in the archive.
    start: u64,
    /// How many there are.
    len: u64,
    whole: Option<&'a [u8]>,
    buf: Vec<u8>,
    /// The member offset of `buf[0]`.
    at: u64,
}

impl<'a> CompressedBytes<'a> {
    /// The `len` compressed bytes at `start` in `archive`.
    pub(super) fn new(archive: &'a dyn ByteSource, start: u64, len: u64) -> CompressedBytes<'a> {
        CompressedBytes {
            archive,
            start,
            len,
            whole: archive.slice(start, len),
            buf: Vec::new(),
            at: 0,
        }
    }

    pub(super) fn len(&self) -> u64 {
        self.len
    }

    /// The same compressed bytes, with a read-ahead buffer of its own (for
    /// another thread).
    pub(super) fn again(&self) -> CompressedBytes<'a> {
        CompressedBytes::new(self.archive, self.start, self.len)
    }

    /// Whether the archive is held in memory (then [`CompressedBytes::get`]
    /// lends its bytes in place).
    pub(super) fn in_memory(&self) -> bool {
        self.whole.is_some()
    }

    /// Fill `buf` with the compressed bytes from `pos` on (all inside the
    /// member), read from the archive, bypassing the read-ahead buffer.
    pub(super) fn read_at(&self, pos: u64, buf: &mut [u8]) -> Result<()> {
        self.archive.read_at(self.start + pos, buf)
    }

    /// The bytes from `pos` on, none at or past `limit`: all of them when
    /// the archive is in memory; else at least `min` of them (fewer only
    /// where they end) and those read ahead with them, a read of about
    /// `want` bytes from `pos` when the buffer does not already hold them.
    pub(super) fn get(&mut self, pos: u64, limit: u64, min: usize, want: usize) -> Result<&[u8]> {
        let end = limit.min(self.len);
        if pos >= end {
            return Ok(&[]);
        }
        if let Some(w) = self.whole {
            return Ok(&w[pos as usize..end as usize]);
        }
        let held = self.at + self.buf.len() as u64;
        let need = (pos + min as u64).min(self.len);
        if pos < self.at || pos >= held || need > held {
            let n = (self.len - pos).min(want.max(min) as u64) as usize;
            self.buf.resize(n, 0);
            self.archive.read_at(self.start + pos, &mut self.buf)?;
            self.at = pos;
        }
        let from = (pos - self.at) as usize;
        let to = ((end - self.at) as usize).min(self.buf.len());
        Ok(&self.buf[from..to])
    }
}
