//! `npy_save` and `npy_writer`: writing .npy files, whole or in pieces.

use super::args::{self, bytes, DTypeShape};
use super::boundary::{close, new_handle, status};
use super::codes::{elem_type, npyio_status, npyio_type, save_options};
use super::dtype::npyio_dtype;
use super::handle::{self, writer_handle};
use crate::NpyWriter;
use std::ffi::{c_char, c_void};

/// A .npy file being written in pieces (opaque). Created by
/// `npy_writer_create`, ended by exactly one of `npy_writer_finish` or
/// `npy_writer_discard`. Belongs to one thread at a time.
pub struct npy_writer {
    w: NpyWriter,
}

writer_handle!(npy_writer, NpyWriter);

/// Write an array to `path` as `np.save` does, byte for byte: the same
/// format version, header text, padding and alignment. `data` holds `len`
/// bytes in storage order (C order, or Fortran order if `fortran_order`),
/// in the dtype's byte order; `len` must equal product(shape) × itemsize,
/// else `NPYIO_ERR_SIZE_MISMATCH`. `shape` may be NULL when `ndim` is 0, and
/// `data` when `len` is 0. Like NumPy, `fortran_order` is recorded as false
/// when the array is also C-contiguous (at most one dimension > 1, or empty).
/// The file is written to a temporary file in the same directory and renamed
/// over `path` only when complete: on any error an existing file is left
/// untouched and the temporary file removed. A `path` that is (or links
/// to) a FIFO or a character or block device, or names one of the
/// process's descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`),
/// is written in place and in order, with no temporary file and no rename:
/// atomicity cannot apply there, and a failed save leaves what was already
/// written. A FIFO blocks until a reader opens it; a reader that leaves
/// gives `NPYIO_ERR_IO` (EPIPE), never SIGPIPE. Errors: `NPYIO_ERR_NULL_ARG`,
/// `NPYIO_ERR_INVALID_ARG` (also a socket, a directory, or a descriptor
/// open only for reading), `NPYIO_ERR_OVERFLOW`, `NPYIO_ERR_SIZE_MISMATCH`,
/// `NPYIO_ERR_IO`. Thread-safe (for different paths).
///
/// # Safety
/// Pointers must be NULL or valid for the lengths given.
#[no_mangle]
pub unsafe extern "C" fn npy_save(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    npy_save_ex(path, dtype, ndim, shape, fortran_order, data, len, 0)
}

/// Write a C-order array of element type `type` (`NPYIO_BOOL` ...
/// `NPYIO_COMPLEX128`, in the host's byte order) to `path`, byte-identical
/// to `np.save(path, a)` of that array: `npy_save` with the type's dtype
/// and no dtype to parse or free. `data` holds the `len` bytes of the
/// array's elements in C order; `len` must be exactly product(shape) ×
/// the type's size. `ndim` 0 saves a 0-d array (`shape` may then be NULL),
/// a zero in `shape` an empty one. Written atomically, as `npy_save` says:
/// on any error an existing file at `path` is left untouched.
///
/// Ownership: nothing is kept; `path`, `shape` and `data` are read during
/// the call only.
///
/// NULL: `path` is required; `shape` may be NULL when `ndim` is 0, `data`
/// when `len` is 0.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (a required pointer), `NPYIO_ERR_INVALID_ARG`
/// (an unknown type code, `ndim` over 64, an empty path, a directory or a
/// socket as `path`), `NPYIO_ERR_SIZE_MISMATCH` (`len` is not the array's
/// size in bytes; nothing is written), `NPYIO_ERR_OVERFLOW` (the shape's
/// size overflows 64 bits), `NPYIO_ERR_IO` (the file system; also a
/// directory on the path that does not exist, `npyio_last_errno` then
/// `ENOENT`).
///
/// Threads: thread-safe, for different paths.
#[no_mangle]
#[allow(clippy::missing_safety_doc)] // the caller's obligations: Ownership and NULL above
pub unsafe extern "C" fn npy_save_typed(
    path: *const c_char,
    r#type: npyio_type,
    ndim: usize,
    shape: *const u64,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    status(|| {
        let path = args::path(path)?;
        let ty = elem_type(r#type)?;
        let shape = args::shape(ndim, shape)?;
        let data = bytes(data, len, "data")?;
        crate::save_typed(path, ty, shape, data, crate::SaveOptions::default())
    })
}

/// `npy_save` with flags: `NPYIO_SAVE_FSYNC` makes the file and its
/// directory durable (fsync) before returning. Unknown flags give
/// `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// As `npy_save`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn npy_save_ex(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const c_void,
    len: usize,
    flags: u32,
) -> npyio_status {
    status(|| {
        let path = args::path(path)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        let data = bytes(data, len, "data")?;
        let opts = save_options(flags)?;
        crate::save(path, a.dtype, a.shape, fortran_order, data, opts)
    })
}

/// Start writing an array of known dtype, shape and order to `path` in
/// pieces (`npy_writer_write`), for arrays larger than memory. The header is
/// written at once; data goes to a temporary file in the same directory
/// until `npy_writer_finish` renames it over `path` (a FIFO, a device or a
/// descriptor is written in place as the data comes, as `npy_save` says).
/// On success `*out` receives the writer. Errors as `npy_save`.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_create(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    out: *mut *mut npy_writer,
) -> npyio_status {
    npy_writer_create_ex(path, dtype, ndim, shape, fortran_order, 0, out)
}

/// `npy_writer_create` with flags (`NPYIO_SAVE_FSYNC`).
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_create_ex(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    flags: u32,
    out: *mut *mut npy_writer,
) -> npyio_status {
    new_handle(out, || {
        let path = args::path(path)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        let opts = save_options(flags)?;
        NpyWriter::create(path, a.dtype, a.shape, fortran_order, opts)
    })
}

/// Append `len` bytes of data (storage order). Writing more than the array
/// holds gives `NPYIO_ERR_SIZE_MISMATCH` and writes nothing. After an I/O
/// error the writer only accepts `npy_writer_finish` (which reports the
/// error) or `npy_writer_discard`; further writes give `NPYIO_ERR_STATE`.
///
/// # Safety
/// `w` must be a valid writer; `data` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_write(
    w: *mut npy_writer,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    handle::write(w, data, len)
}

/// Finish: check that exactly product(shape) × itemsize bytes were written
/// (else `NPYIO_ERR_SIZE_MISMATCH`), then commit the file by renaming it over
/// the target. The writer is freed whatever the result; on error the
/// temporary file is removed and any old file at the path is untouched.
/// NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_finish(w: *mut npy_writer) -> npyio_status {
    handle::finish(w)
}

/// Abandon a writer: remove its temporary file, keep any old file at the
/// path, free the writer. NULL is fine.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_discard(w: *mut npy_writer) {
    close(w)
}
