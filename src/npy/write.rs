//! Writing .npy files exactly as `np.save` does, atomically.

use crate::dtype::{DType, Type};
use crate::error::{Error, Result};
use crate::header::ArraySpec;
use crate::io::{AtomicFile, QuickSave};
use crate::{bail, err};
use std::path::Path;

/// Files at least this large get their blocks reserved before writing.
const PREALLOCATE_FROM: u64 = 1 << 20;

/// Options for saving.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SaveOptions {
    /// fsync the file and its directory before returning from commit.
    pub fsync: bool,
}

/// Write `data` (the array's bytes in storage order: C order, or Fortran
/// order when `fortran_order`) as a .npy file at `path`.
///
/// The file is written to a temporary file in the same directory and renamed
/// over `path` only when complete; on any error the old file is untouched.
/// A small array (under 1 MiB, without `fsync`) takes a short way to a
/// new path: the temporary file is renamed with `RENAME_NOREPLACE` before
/// the target is looked at.
/// A FIFO, a device or one of the process's descriptors (`/dev/stdout`) is
/// written in place instead, in order (see [`crate::io::AtomicFile`]).
/// The output is byte-identical to `np.save` for the same array.
pub fn save(
    path: impl AsRef<Path>,
    dtype: &DType,
    shape: &[u64],
    fortran_order: bool,
    data: &[u8],
    opts: SaveOptions,
) -> Result<()> {
    let path = path.as_ref();
    let spec =
        ArraySpec::new(dtype, shape, fortran_order).map_err(|e| e.context(path.display()))?;
    if !opts.fsync && data.len() as u64 == spec.nbytes() && spec.nbytes() < PREALLOCATE_FROM {
        let header = spec.header_bytes().map_err(|e| e.context(path.display()))?;
        if let Some(mut q) = QuickSave::create(path) {
            if q.write2(&header, data) && q.commit() {
                return Ok(());
            }
        }
    }
    let mut w = NpyWriter::with_spec(path, spec, opts)?;
    w.write(data)?;
    w.finish()
}

/// Write a C-order array of one of the numeric [`Type`]s, in the host's
/// byte order, as `np.save` writes it: [`save`] with `ty`'s dtype.
///
/// `data` must hold exactly product(`shape`) × itemsize bytes
/// ([`Status::SizeMismatch`](crate::Status::SizeMismatch) otherwise, checked
/// before anything is written); `shape` has at most
/// [`MAX_NDIM`](crate::MAX_NDIM) dimensions. Written atomically, as [`save`].
pub fn save_typed(
    path: impl AsRef<Path>,
    ty: Type,
    shape: &[u64],
    data: &[u8],
    opts: SaveOptions,
) -> Result<()> {
    let path = path.as_ref();
    let dtype = ty.dtype();
    let spec = ArraySpec::new(dtype, shape, false).map_err(|e| e.context(path.display()))?;
    if data.len() as u64 != spec.nbytes() {
        bail!(
            SizeMismatch,
            "{}: data is {} bytes but shape {} of {ty} needs {}",
            path.display(),
            data.len(),
            crate::pytext::shape_repr(shape),
            spec.nbytes()
        );
    }
    save(path, dtype, shape, false, data, opts)
}

/// A .npy file being written in pieces (for arrays larger than memory).
///
/// `finish` commits it; dropping it or `discard` removes the temporary file
/// and leaves any previous file at the path untouched.
#[derive(Debug)]
pub struct NpyWriter {
    file: AtomicFile,
    /// The header, written together with the first data (one system call).
    header: Option<Vec<u8>>,
    expected: u64,
    written: u64,
    failed: Option<Error>,
}

impl NpyWriter {
    /// Start writing an array of known dtype, shape and order.
    pub fn create(
        path: impl AsRef<Path>,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
        opts: SaveOptions,
    ) -> Result<NpyWriter> {
        let path = path.as_ref();
        let spec =
            ArraySpec::new(dtype, shape, fortran_order).map_err(|e| e.context(path.display()))?;
        NpyWriter::with_spec(path, spec, opts)
    }

    /// Start writing an array of known dtype, shape and order to `sink`, a
    /// writer the caller supplies (as `np.save` to a file object): the
    /// bytes go to it in order, header first, and `finish` flushes it.
    /// Nothing is rewritten, so a failed or discarded writer leaves what
    /// was written. `name` names the sink in messages.
    pub fn to_sink(
        sink: impl std::io::Write + Send + 'static,
        name: &str,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
    ) -> Result<NpyWriter> {
        let spec = ArraySpec::new(dtype, shape, fortran_order).map_err(|e| e.context(name))?;
        let header = spec.header_bytes().map_err(|e| e.context(name))?;
        Ok(NpyWriter {
            file: AtomicFile::to_sink(Box::new(sink), name),
            header: Some(header),
            expected: spec.nbytes(),
            written: 0,
            failed: None,
        })
    }

    /// Start writing an array already described and checked.
    pub fn with_spec(
        path: impl AsRef<Path>,
        spec: ArraySpec,
        opts: SaveOptions,
    ) -> Result<NpyWriter> {
        let path = path.as_ref();
        let expected = spec.nbytes();
        let header = spec.header_bytes().map_err(|e| e.context(path.display()))?;
        let mut file = AtomicFile::create(path, opts.fsync)?;
        let total = header.len() as u64 + expected;
        if total >= PREALLOCATE_FROM {
            file.preallocate_hint(total);
        }
        Ok(NpyWriter {
            file,
            header: Some(header),
            expected,
            written: 0,
            failed: None,
        })
    }

    /// Bytes still expected before `finish`.
    pub fn remaining(&self) -> u64 {
        self.expected - self.written
    }

    /// Append the next piece of data.
    pub fn write(&mut self, data: &[u8]) -> Result<()> {
        if let Some(e) = &self.failed {
            bail!(
                State,
                "{}: writer already failed: {}",
                self.file.target().display(),
                e.message()
            );
        }
        if data.len() as u64 > self.remaining() {
            bail!(
                SizeMismatch,
                "{}: {} more bytes would exceed the array's {} bytes ({} already written)",
                self.file.target().display(),
                data.len(),
                self.expected,
                self.written
            );
        }
        let r = match self.header.take() {
            Some(h) => self.file.write_all2(&h, data),
            None => self.file.write_all(data),
        };
        if let Err(e) = r {
            self.failed = Some(e.clone());
            return Err(e);
        }
        self.written += data.len() as u64;
        Ok(())
    }

    /// Check the size and commit the file. The writer is consumed either way;
    /// on error the temporary file is removed.
    pub fn finish(mut self) -> Result<()> {
        if let Some(e) = self.failed {
            return Err(e);
        }
        if self.written != self.expected {
            return Err(err!(
                SizeMismatch,
                "{}: {} data bytes written but the array needs {}",
                self.file.target().display(),
                self.written,
                self.expected
            ));
        }
        if let Some(h) = self.header.take() {
            self.file.write_all(&h)?;
        }
        self.file.commit()
    }

    /// Abandon the file: remove the temporary file, keep any old file.
    pub fn discard(self) {}
}
