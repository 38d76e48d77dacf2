//! Where the rows go: one vector holding the whole .npy in memory, or a
//! .npy file written as the text streams in; and the block reader that
//! feeds a stream of text to the loader.

use super::loader::{Loader, RowSink};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::io::AtomicFile;
use crate::npy::NpyFile;
use crate::text::result::{in_memory, npy_header};
use crate::{bail, err};
use std::io::Read;

/// Rows written into one vector holding the whole .npy: the header's
/// space is reserved first, rows are parsed in place after it.
pub(super) struct MemorySink {
    buf: Vec<u8>,
    row_size: usize,
    /// The bytes reserved for the header.
    hdr: usize,
    /// The bytes of rows committed.
    used: usize,
}

impl MemorySink {
    /// A sink for `loader`'s result with room for the prologue's first row
    /// (which it takes) and `more_rows` rows. The header's space is that of
    /// a result of at least two rows, whose row count's digits do not
    /// change its length (NumPy pads the shape for growth).
    pub(super) fn new(loader: &mut Loader, ndmin: u8, more_rows: u64) -> Result<MemorySink> {
        let dtype = &loader.layout.dtype;
        let hdr = npy_header(dtype, &loader.layout.shape(2, ndmin))?.1.len();
        let row_size = loader.layout.row_size();
        let first = std::mem::take(&mut loader.first_row);
        let cap = (more_rows as usize)
            .checked_mul(row_size)
            .and_then(|n| n.checked_add(hdr + first.len()))
            .ok_or_else(|| err!(Overflow, "the result does not fit the address space"))?;
        let mut buf = Vec::new();
        buf.try_reserve_exact(cap)
            .map_err(|_| err!(Alloc, "cannot allocate {cap} bytes for the result"))?;
        buf.resize(hdr, 0);
        buf.extend_from_slice(&first);
        Ok(MemorySink {
            used: first.len(),
            buf,
            row_size,
            hdr,
        })
    }

    /// The array: the rows under the header of `dtype` and `shape`.
    pub(super) fn finish(self, dtype: &DType, shape: &[u64]) -> Result<NpyFile> {
        let (header, h) = npy_header(dtype, shape)?;
        let mut buf = self.buf;
        buf.truncate(self.hdr + self.used);
        let buf = if h.len() == self.hdr {
            buf[..self.hdr].copy_from_slice(&h);
            buf
        } else {
            // Only results of at most one row change the header's length.
            let mut v = h;
            v.extend_from_slice(&buf[self.hdr..]);
            v
        };
        in_memory(header, buf)
    }
}

impl RowSink for MemorySink {
    fn region(&mut self, rows: usize) -> Result<&mut [u8]> {
        let start = self.hdr + self.used;
        let need = rows
            .checked_mul(self.row_size)
            .and_then(|n| n.checked_add(start))
            .ok_or_else(|| err!(Overflow, "the result does not fit the address space"))?;
        if self.buf.len() < need {
            self.buf
                .try_reserve_exact(need - self.buf.len())
                .map_err(|_| err!(Alloc, "cannot allocate {need} bytes for the result"))?;
            self.buf.resize(need, 0);
        }
        Ok(&mut self.buf[start..need])
    }
    fn commit(&mut self, rows: usize) -> Result<()> {
        self.used += rows * self.row_size;
        Ok(())
    }
}

/// Rows appended to a .npy file being written: its header (sized for a
/// result of at least two rows) first, completed at the end.
pub(super) struct NpyFileSink {
    pub(super) file: AtomicFile,
    buf: Vec<u8>,
    row_size: usize,
    /// The first row written, kept for a header whose length changes.
    pub(super) first_row: Vec<u8>,
    /// The length of the header written first.
    pub(super) header_len: usize,
}

impl NpyFileSink {
    /// Start `file` with the header of `loader`'s result, then the
    /// prologue's first row (which it takes).
    pub(super) fn new(mut file: AtomicFile, loader: &mut Loader, ndmin: u8) -> Result<NpyFileSink> {
        let (_, hdr) = npy_header(&loader.layout.dtype, &loader.layout.shape(2, ndmin))?;
        file.write_all(&hdr)?;
        let mut s = NpyFileSink {
            file,
            buf: Vec::new(),
            row_size: loader.layout.row_size(),
            first_row: Vec::new(),
            header_len: hdr.len(),
        };
        if !loader.first_row.is_empty() {
            let first = std::mem::take(&mut loader.first_row);
            s.region(1)?.copy_from_slice(&first);
            s.commit(1)?;
        }
        Ok(s)
    }
}

impl RowSink for NpyFileSink {
    fn region(&mut self, rows: usize) -> Result<&mut [u8]> {
        let need = rows
            .checked_mul(self.row_size)
            .ok_or_else(|| err!(Overflow, "block too large"))?;
        self.buf.clear();
        self.buf
            .try_reserve_exact(need)
            .map_err(|_| err!(Alloc, "cannot allocate {need} bytes"))?;
        self.buf.resize(need, 0);
        Ok(&mut self.buf[..])
    }
    fn commit(&mut self, rows: usize) -> Result<()> {
        let n = rows * self.row_size;
        if self.first_row.len() < self.row_size {
            let take = (self.row_size - self.first_row.len()).min(n);
            self.first_row.extend_from_slice(&self.buf[..take]);
        }
        let data = std::mem::take(&mut self.buf);
        let r = self.file.write_all(&data[..n]);
        self.buf = data;
        r
    }
}

/// Read `input` in blocks of `block` bytes and parse them: the prologue
/// (skiprows, the first row), then `start` makes the sink, then the rows
/// of each block go into it. A row longer than `max_row` bytes (if given)
/// is an error; otherwise the buffer grows, fallibly, to hold it.
pub(super) fn stream_blocks<S: RowSink>(
    ld: &mut Loader,
    input: &mut impl Read,
    block: usize,
    max_row: Option<usize>,
    start: impl FnOnce(&mut Loader) -> Result<S>,
) -> Result<S> {
    let mut start = Some(start);
    let mut sink: Option<S> = None;
    let mut buf: Vec<u8> = Vec::new();
    let mut eof = false;
    loop {
        if !eof {
            let old = buf.len();
            let want = block.max(old);
            buf.try_reserve(want)
                .map_err(|_| err!(Alloc, "cannot allocate {} bytes", old + want))?;
            buf.resize(old + want, 0);
            let mut got = 0;
            while got < want {
                let n = match input.read(&mut buf[old + got..]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(Error::io("read", e)),
                };
                if n == 0 {
                    eof = true;
                    break;
                }
                got += n;
            }
            buf.truncate(old + got);
        }
        if sink.is_none() {
            let (consumed, done) = ld.prologue(&buf, eof)?;
            buf.drain(..consumed);
            if !done {
                if eof {
                    bail!(Parse, "unexpected end of text");
                }
                continue;
            }
            let f = start
                .take()
                .ok_or_else(|| err!(State, "output already started"))?;
            sink = Some(f(ld)?);
        }
        let s = sink.as_mut().ok_or_else(|| err!(State, "no output"))?;
        let consumed = ld.body(&buf, eof, s)?;
        buf.drain(..consumed);
        if eof {
            break;
        }
        if let Some(m) = max_row {
            if buf.len() > m {
                bail!(
                    Limit,
                    "line {}: a row longer than {} MiB (an unterminated quote?)",
                    ld.line + 1,
                    m >> 20
                );
            }
        }
    }
    sink.ok_or_else(|| err!(State, "no output"))
}
