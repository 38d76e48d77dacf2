//! .npy files written by position: a full-size file made at once, then
//! filled row by row, from many threads or processes at a time.
//!
//! A row is one index along axis 0, as for [`NpyFile::read_rows`]: a slab
//! of `count` rows has shape `(count, shape[1], ...)` and
//! [`NpyFile::rows_nbytes`]`(count)` bytes. A 1-D array's rows are its
//! elements; a 0-d array has no rows. In a C-order file a slab is one
//! contiguous range; in a Fortran-order file it is given in Fortran order
//! (the bytes of `np.asfortranarray(a[first:first+count])`) and lands as
//! `product(shape[1:])` runs of `count` items. Either way, disjoint rows are
//! disjoint bytes of the file, so writers of disjoint rows never touch the
//! same byte.

use super::open::read_file_header;
use super::{NpyFile, Source};
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::header::{effective_fortran, ArraySpec};
use crate::io::{pwrite_all, AtomicFile, FileSource};
use crate::{bail, err};
use std::path::Path;

/// Refuse anything but a regular file (or nothing) at `path`: rows are
/// written by position, which a FIFO or a device cannot take.
pub(super) fn refuse_special(path: &Path) -> Result<()> {
    if let Some(kind) = crate::io::special_target(path) {
        bail!(
            InvalidArg,
            "{}: is a {kind}; rows can be written by position only to a regular file",
            path.display()
        );
    }
    Ok(())
}

impl NpyFile {
    /// Create a .npy file of full size for positional writes, like
    /// `open_memmap(path, mode='w+', ...)` without the map: the header is
    /// exactly what `np.save` writes and the data is reserved as a hole
    /// (ftruncate; it reads as zeros and takes disk space only as rows are
    /// written). The file is made under a temporary name and renamed over
    /// `path` once complete, so `path` is at every instant either the old
    /// file or the new, loadable one. Fill it with
    /// [`NpyFile::write_rows`]; other threads and processes may open it
    /// with [`NpyFile::open_rw`] and write other rows at the same time.
    pub fn create(
        path: impl AsRef<Path>,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
    ) -> Result<NpyFile> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let ctx = |e: Error| e.context(&name);
        let spec = ArraySpec::new(dtype, shape, fortran_order).map_err(ctx)?;
        let (h, hb) = spec.encode().map_err(ctx)?;
        let total = (hb.len() as u64)
            .checked_add(spec.nbytes())
            .ok_or_else(|| ctx(err!(Overflow, "file size overflows 64 bits")))?;
        refuse_special(path)?;
        let mut f = AtomicFile::create(path, false)?;
        f.write_all(&hb)?;
        f.file()
            .set_len(total)
            .map_err(|e| Error::io(format!("{name}: setting the length to {total} bytes"), e))?;
        let file = f.commit_keep()?;
        let start = h.data_offset;
        NpyFile::new(
            h,
            Source::Write(FileSource::with_len(file, total)),
            start,
            name,
        )
    }

    /// Open an existing .npy file for positional writes of rows (and
    /// reads). The header is read and checked as [`NpyFile::open`] checks
    /// it; the file must hold all its data. Reads go to the file each time
    /// (nothing is cached), so they see rows others wrote meanwhile. A file
    /// that does not exist is [`Status::NotFound`](crate::Status::NotFound).
    pub fn open_rw(path: impl AsRef<Path>) -> Result<NpyFile> {
        let path = path.as_ref();
        let name = path.display().to_string();
        refuse_special(path)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::open(format!("{name}: open for writing"), e))?;
        let meta = file
            .metadata()
            .map_err(|e| Error::io(format!("{name}: stat"), e))?;
        if !meta.is_file() {
            bail!(InvalidArg, "{name}: is not a regular file");
        }
        let fh = read_file_header(&file).map_err(|e| e.context(&name))?;
        let start = fh.header.data_offset;
        NpyFile::new(
            fh.header,
            Source::Write(FileSource::with_len(file, fh.len)),
            start,
            name,
        )
    }

    /// True for files open for [`NpyFile::write_rows`] (made by
    /// [`NpyFile::create`] or opened with [`NpyFile::open_rw`]).
    pub fn is_open_for_writes(&self) -> bool {
        matches!(self.source, Source::Write(_))
    }

    /// Write rows `first .. first + count` along axis 0 (see the module
    /// documentation for what a row is) from `data`, which must hold
    /// exactly [`NpyFile::rows_nbytes`]`(count)` bytes in the file's
    /// storage order and byte order. Positional writes (pwrite): several
    /// threads (through `&self`) and processes (each with its own
    /// [`NpyFile::open_rw`]) may write disjoint rows at the same time.
    ///
    /// Errors: `State` for an array not open for writes, `InvalidArg` for
    /// a 0-d array or rows past the end, `SizeMismatch` when `data` is not
    /// the slab's size, `Io` when the write fails.
    pub fn write_rows(&self, first: u64, count: u64, data: &[u8]) -> Result<()> {
        self.write_rows_inner(first, count, data)
            .map_err(|e| e.context(&self.name))
    }

    fn write_rows_inner(&self, first: u64, count: u64, data: &[u8]) -> Result<()> {
        let Source::Write(src) = &self.source else {
            bail!(
                State,
                "write_rows: the array was not opened for writes (open it read-write or create it)"
            );
        };
        let h = &self.header;
        if h.shape.is_empty() {
            bail!(InvalidArg, "write_rows: a 0-d array has no rows");
        }
        let d0 = h.shape[0];
        if first.checked_add(count).is_none_or(|end| end > d0) {
            bail!(
                InvalidArg,
                "write_rows: rows {first}..{} are past the end of the array's {d0} rows",
                first.saturating_add(count)
            );
        }
        let nb = self.rows_nbytes(count)?;
        if data.len() as u64 != nb {
            bail!(
                SizeMismatch,
                "write_rows: {} bytes given for {count} rows of {} bytes each ({nb} bytes)",
                data.len(),
                self.rows_nbytes(1)?
            );
        }
        if nb == 0 {
            return Ok(());
        }
        let file = src.handle();
        let io = |e| {
            Error::io(
                format!("write_rows: writing rows {first}..{}", first + count),
                e,
            )
        };
        let isz = h.dtype.itemsize() as u64;
        if !effective_fortran(&h.shape, h.fortran_order) || count == d0 {
            // One contiguous range: C order, or every row of a Fortran array.
            let at = self.start + first * self.rows_nbytes(1)?;
            return pwrite_all(file, data, at).map_err(io);
        }
        // Fortran order: the first axis varies fastest, so the slab is one
        // run of `count` items per index of the other axes, in the file as
        // in `data`.
        let run = (count * isz) as usize;
        let stride = d0 * isz;
        let mut at = self.start + first * isz;
        for piece in data.chunks(run) {
            pwrite_all(file, piece, at).map_err(io)?;
            at += stride;
        }
        Ok(())
    }
}
