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
///
/// \ingroup npyio_npy_write
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
/// gives `NPYIO_ERR_IO` (EPIPE), never SIGPIPE.
///
/// Ownership: `path`, `dtype`, `shape` and `data` are read during the call
/// only; nothing is kept (the dtype may be freed afterwards).
///
/// NULL: `path` and `dtype` must not be NULL; `shape` may be NULL when
/// `ndim` is 0, and `data` when `len` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `dtype` is NULL, `shape` is
///   NULL with `ndim` > 0, or `data` is NULL with `len` > 0.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty, a directory, a socket
///   or a descriptor open only for reading; `ndim` exceeds NumPy's 64
///   dimensions; the dtype is a subarray dtype (give its shape in `shape`).
/// - `NPYIO_ERR_OVERFLOW` (-9): product(shape) × itemsize overflows 64
///   bits, or the header would be too long for any format version.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): `len` is not product(shape) ×
///   itemsize.
/// - `NPYIO_ERR_IO` (-3): creating, writing, renaming the file (or its
///   temporary file) failed; a FIFO's reader left (EPIPE).
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// paths.
///
/// \ingroup npyio_npy_write
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
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): a required pointer is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): an unknown type code, `ndim` over 64,
///   an empty path, a directory or a socket as `path`.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): `len` is not the array's size in
///   bytes; nothing is written.
/// - `NPYIO_ERR_OVERFLOW` (-9): the shape's size overflows 64 bits.
/// - `NPYIO_ERR_IO` (-3): the file system failed; also a directory on the
///   path that does not exist (`npyio_last_errno` then gives `ENOENT`).
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: thread-safe, for different paths.
///
/// \ingroup npyio_npy_write
#[no_mangle]
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
/// directory durable (fsync) before returning; 0 is `npy_save`.
///
/// Ownership: as `npy_save`.
///
/// NULL: as `npy_save`.
///
/// Errors: as `npy_save`, and `NPYIO_ERR_INVALID_ARG` (-13) for unknown
/// bits in `flags`; a failed fsync is `NPYIO_ERR_IO` (-3).
///
/// Threads: as `npy_save`.
///
/// \ingroup npyio_npy_write
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
/// pieces (`npy_writer_write`), for arrays larger than memory; the file is
/// byte-identical to `np.save`'s. The header goes out with the first data
/// (or at finish, for an empty array); everything goes to a temporary file
/// in the same directory until `npy_writer_finish` renames it over `path`
/// (a FIFO, a device or a descriptor is written in place as the data
/// comes, as `npy_save` says).
///
/// Ownership: `path`, `dtype` and `shape` are read during the call only
/// (the dtype may be freed afterwards). On success `*out` receives a new
/// writer owned by the caller, to be ended by exactly one of
/// `npy_writer_finish` or `npy_writer_discard`; on failure `*out` is left
/// as it was.
///
/// NULL: `path`, `dtype` and `out` must not be NULL; `shape` may be NULL
/// when `ndim` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path`, `dtype` or `out` is NULL, or
///   `shape` is NULL with `ndim` > 0.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty, a directory, a socket
///   or a descriptor open only for reading; `ndim` exceeds NumPy's 64
///   dimensions; a subarray dtype.
/// - `NPYIO_ERR_OVERFLOW` (-9): product(shape) × itemsize overflows 64
///   bits, or the header would be too long.
/// - `NPYIO_ERR_IO` (-3): the file or its temporary file cannot be
///   created.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// paths; the writer then belongs to one thread at a time.
///
/// \ingroup npyio_npy_write
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

/// `npy_writer_create` with flags: `NPYIO_SAVE_FSYNC` makes
/// `npy_writer_finish` fsync the file and its directory before it returns;
/// 0 is `npy_writer_create`.
///
/// Ownership: as `npy_writer_create`.
///
/// NULL: as `npy_writer_create`.
///
/// Errors: as `npy_writer_create`, and `NPYIO_ERR_INVALID_ARG` (-13) for
/// unknown bits in `flags`.
///
/// Threads: as `npy_writer_create`.
///
/// \ingroup npyio_npy_write
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

/// Append `len` bytes of data, in storage order and the dtype's byte
/// order; pieces may split items anywhere.
///
/// Ownership: `data` is read during the call only.
///
/// NULL: `w` must not be NULL; `data` may be NULL when `len` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL, or `data` is NULL with `len`
///   > 0.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): more bytes than the array has left;
///   nothing is written and the writer stays usable.
/// - `NPYIO_ERR_IO` (-3): writing failed; the writer then only accepts
///   `npy_writer_finish` (which reports this error again) or
///   `npy_writer_discard`.
/// - `NPYIO_ERR_STATE` (-23): an earlier write failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npy_write
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
///
/// Ownership: `w` is consumed: invalid after the call, whatever it
/// returns. It must not have been finished or discarded before.
///
/// NULL: `w` NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): fewer bytes were written than the
///   array holds.
/// - `NPYIO_ERR_IO` (-3): writing, fsync or the rename failed, or an
///   earlier write had failed (its error is reported again).
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_writer_finish(w: *mut npy_writer) -> npyio_status {
    handle::finish(w)
}

/// Abandon a writer: remove its temporary file, keep any old file at the
/// path, free the writer. A FIFO, a device or a descriptor keeps what was
/// already written to it.
///
/// Ownership: `w` is consumed: invalid after the call. It must not have
/// been finished or discarded before.
///
/// NULL: `w` may be NULL (nothing happens).
///
/// Errors: none.
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_writer_discard(w: *mut npy_writer) {
    close(w)
}
