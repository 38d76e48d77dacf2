//! Appending rows along axis 0 to a .npy file, so that the file is at
//! every instant either the old array or the new one.
//!
//! Two ways, chosen per call:
//!
//! - **In place**, when the new header fits in the old one's bytes (NumPy
//!   pads every header with room for 21 digits of the first dimension, for
//!   exactly this) and the bytes that change lie within one 512-byte
//!   sector: the rows are written after the old data and made durable
//!   (fdatasync); only then is the header rewritten, with one `pwrite` of
//!   the changed bytes, and synced again. Before that write the header
//!   still describes the old array, and bytes after an array's data are
//!   ignored by every reader (NumPy included); after it, the new one. The
//!   write itself cannot be torn: it is one system call on one page of
//!   the page cache, which a killed process either made or did not make;
//!   and a 512-byte sector is the smallest unit block storage writes, whole
//!   or not at all, so a power cut leaves the old bytes or the new.
//! - **By copy**, otherwise (a header from another writer without growth
//!   room, a legacy 16-byte-aligned header, a shape too long for format
//!   1.0): a new file with np.save's header (format 2.0 if need be), the
//!   old data and the new rows is written under a temporary name, synced,
//!   and renamed over the old one. The rename is atomic; a temporary file
//!   may be left behind by a crash, never a broken target.
//!
//! Appends to one file are serialised with an exclusive `flock` on it, so
//! several processes may append at once; an append that waited for one
//! which replaced the file starts again on the new file. The guarantee is
//! about crashes: a reader that reads the header while it is rewritten in
//! place may see some old and some new bytes (the kernel does not order a
//! read and a write of the same page), so readers running alongside
//! appends hold a shared `flock` while they read the header.

use super::open::read_file_header;
use super::rw::refuse_special;
use crate::error::{Error, Result};
use crate::header::{checked_nbytes, effective_fortran, ArraySpec, Header};
use crate::io::{pread_exact, pwrite_all, try_alloc, AtomicFile};
use crate::{bail, err};
use std::fs::File;
use std::path::Path;

/// The sector whose writes storage never tears.
const SECTOR: usize = 512;

/// Bytes of old data copied at a time when the file is rewritten.
const COPY_CHUNK: u64 = 8 << 20;

/// The steps of an append, in order, for tests that stop a process at
/// each one and check what the file is then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppendStep {
    /// The file is open, locked and its header read; nothing written.
    Locked,
    /// In place: the rows are written after the old data, not yet synced.
    RowsWritten,
    /// In place: the rows are durable; the header is still the old one.
    RowsSynced,
    /// In place: the header is rewritten, not yet synced.
    HeaderWritten,
    /// In place: done and durable.
    HeaderSynced,
    /// By copy: the temporary file is created, empty.
    CopyCreated,
    /// By copy: the new header is written to the temporary file.
    CopyHeader,
    /// By copy: the old data is copied to the temporary file.
    CopyOldData,
    /// By copy: the new rows are written to the temporary file.
    CopyRows,
    /// By copy: the temporary file is synced and renamed over the old one.
    CopyRenamed,
}

/// Append rows along axis 0 to the .npy file at `path`: `data` holds whole
/// rows (a multiple of `product(shape[1:]) × itemsize` bytes) in the
/// file's byte order. The file must be in C order (or 1-D). Returns the new
/// length of axis 0. See the module documentation for how the file stays
/// loadable throughout.
///
/// Errors: `InvalidArg` for a 0-d or Fortran-order array or anything but a
/// regular file, `SizeMismatch` for data that is not whole rows,
/// `Overflow` when the new shape overflows, `NotFound` when the file does
/// not exist, the errors of [`crate::NpyFile::open`] for the file's header,
/// `Io`.
pub fn append_rows(path: impl AsRef<Path>, data: &[u8]) -> Result<u64> {
    append_rows_stepped(path, data, &mut |_| {})
}

/// [`append_rows`], calling `step` after each [`AppendStep`]: for tests
/// that kill the process at each step. Not part of the API.
#[doc(hidden)]
pub fn append_rows_stepped(
    path: impl AsRef<Path>,
    data: &[u8],
    step: &mut dyn FnMut(AppendStep),
) -> Result<u64> {
    let path = path.as_ref();
    let name = path.display().to_string();
    refuse_special(path)?;
    let file = open_locked(path, &name)?;
    let fh = read_file_header(&file).map_err(|e| e.context(&name))?;
    step(AppendStep::Locked);
    // Errors of the temporary file name the path already; the others get it.
    append_locked(path, &name, &file, &fh.header, fh.len, data, step).map_err(|e| {
        if e.message().starts_with(&name) {
            e
        } else {
            e.context(&name)
        }
    })
}

/// Open `path` read-write and take an exclusive lock on it; if the file
/// was replaced while waiting for the lock (another append renamed a new
/// file over it), start again with the new one.
fn open_locked(path: &Path, name: &str) -> Result<File> {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::io::AsRawFd;
    for _ in 0..1000 {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| Error::open(format!("{name}: open for appending"), e))?;
        let meta = file
            .metadata()
            .map_err(|e| Error::io(format!("{name}: stat"), e))?;
        if !meta.is_file() {
            bail!(InvalidArg, "{name}: is not a regular file");
        }
        loop {
            // SAFETY: flock on a descriptor we own; no memory involved.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } == 0 {
                break;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                return Err(Error::io(format!("{name}: locking for appending"), e));
            }
        }
        match std::fs::metadata(path) {
            Ok(now) if now.dev() == meta.dev() && now.ino() == meta.ino() => return Ok(file),
            _ => continue,
        }
    }
    Err(err!(
        Io,
        "{name}: the file kept being replaced while waiting to append"
    ))
}

fn append_locked(
    path: &Path,
    name: &str,
    file: &File,
    h: &Header,
    len: u64,
    data: &[u8],
    step: &mut dyn FnMut(AppendStep),
) -> Result<u64> {
    if h.shape.is_empty() {
        bail!(InvalidArg, "append_rows: a 0-d array has no rows to add to");
    }
    if effective_fortran(&h.shape, h.fortran_order) {
        bail!(
            InvalidArg,
            "append_rows: the array is in Fortran order; rows can be appended only to C-order or 1-D arrays"
        );
    }
    let isz = h.dtype.itemsize();
    let mut one = h.shape.clone();
    one[0] = 1;
    let row = checked_nbytes(&one, isz)?;
    let d0 = h.shape[0];
    if data.is_empty() {
        return Ok(d0);
    }
    if row == 0 || data.len() as u64 % row != 0 {
        bail!(
            SizeMismatch,
            "append_rows: {} bytes are not a whole number of rows of {row} bytes",
            data.len()
        );
    }
    let added = data.len() as u64 / row;
    let mut shape = h.shape.clone();
    shape[0] = d0.checked_add(added).ok_or_else(|| {
        err!(
            Overflow,
            "append_rows: {d0} + {added} rows overflow 64 bits"
        )
    })?;
    let spec = ArraySpec::new(&h.dtype, &shape, h.fortran_order)?;
    let old_end = h.data_offset + h.nbytes();
    debug_assert!(old_end <= len);

    // The old header's bytes (bounded by the file, which holds them).
    let hl = h.data_offset as usize;
    let mut old = try_alloc(hl)?;
    pread_exact(file, &mut old, 0).map_err(|e| Error::io("reading the header", e))?;
    if let Some(new) = spec.header_bytes_sized(h.version, hl) {
        if let Some((a, b)) = changed(&old, &new) {
            if a / SECTOR == (b - 1) / SECTOR {
                pwrite_all(file, data, old_end)
                    .map_err(|e| Error::io("writing the new rows", e))?;
                step(AppendStep::RowsWritten);
                file.sync_data()
                    .map_err(|e| Error::io("fdatasync of the new rows", e))?;
                step(AppendStep::RowsSynced);
                pwrite_all(file, &new[a..b], a as u64)
                    .map_err(|e| Error::io("rewriting the header", e))?;
                step(AppendStep::HeaderWritten);
                file.sync_data()
                    .map_err(|e| Error::io("fdatasync of the header", e))?;
                step(AppendStep::HeaderSynced);
                return Ok(shape[0]);
            }
        }
    }

    // By copy: np.save's header for the new shape, then the old data and
    // the new rows, renamed over the old file.
    let header = spec.header_bytes()?;
    let mut t = AtomicFile::create(path, true)?;
    step(AppendStep::CopyCreated);
    t.write_all(&header)?;
    step(AppendStep::CopyHeader);
    let n = h.nbytes();
    let mut buf = try_alloc(n.min(COPY_CHUNK) as usize)?;
    let mut done = 0u64;
    while done < n {
        let k = (n - done).min(COPY_CHUNK) as usize;
        pread_exact(file, &mut buf[..k], h.data_offset + done)
            .map_err(|e| Error::io(format!("{name}: reading the old data to copy it"), e))?;
        t.write_all(&buf[..k])?;
        done += k as u64;
    }
    step(AppendStep::CopyOldData);
    t.write_all(data)?;
    step(AppendStep::CopyRows);
    t.commit()?;
    step(AppendStep::CopyRenamed);
    Ok(shape[0])
}

/// The range `a..b` of the bytes that differ between `old` and `new` (of
/// the same length), if any do.
fn changed(old: &[u8], new: &[u8]) -> Option<(usize, usize)> {
    let a = old.iter().zip(new).position(|(x, y)| x != y)?;
    let b = old.len()
        - old
            .iter()
            .rev()
            .zip(new.iter().rev())
            .position(|(x, y)| x != y)?;
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::changed;

    #[test]
    fn changed_range() {
        assert_eq!(changed(b"abcdef", b"abcdef"), None);
        assert_eq!(changed(b"abcdef", b"aXcdYf"), Some((1, 5)));
        assert_eq!(changed(b"abcdef", b"Xbcdef"), Some((0, 1)));
        assert_eq!(changed(b"abcdef", b"abcdeX"), Some((5, 6)));
    }
}
