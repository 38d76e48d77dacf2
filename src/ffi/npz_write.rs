//! `npz_writer`: writing .npz archives, member by member.

use super::args::{self, bytes, DTypeShape};
use super::boundary::{close, new_handle, status};
use super::codes::{self, npyio_compression, npyio_status, npyio_type, npz_writer_options};
use super::dtype::npyio_dtype;
use super::handle::{self, writer_handle, Handle};
use super::npz::member_name;
use crate::npz::NpzWriter;
use std::ffi::{c_char, c_void};

/// An .npz archive being written (opaque). Belongs to one thread at a time.
/// Ended by exactly one of `npz_writer_finish` or `npz_writer_discard`.
///
/// \ingroup npyio_npz_write
pub struct npz_writer {
    w: NpzWriter,
}

writer_handle!(npz_writer, NpzWriter);

/// Start writing an .npz archive at `path`, like `np.savez`: members are
/// written to a temporary file in the same directory, which `npz_writer_finish`
/// renames over `path`. A FIFO, a device or a descriptor (`/dev/stdout`)
/// is written in place as a stream, as `npy_save` says: streamed and
/// deflate members then carry their CRC and sizes in a data descriptor
/// after their data, as Python's zipfile writes to an unseekable file.
/// Same as `npz_writer_open_ex(path, 0, -1, out)`.
///
/// Ownership: `path` is read during the call only. On success `*out`
/// receives a new writer owned by the caller, to be ended by exactly one
/// of `npz_writer_finish` or `npz_writer_discard`; on failure `*out` is
/// left as it was.
///
/// NULL: `path` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty, a directory, a socket
///   or a descriptor open only for reading.
/// - `NPYIO_ERR_IO` (-3): the archive or its temporary file cannot be
///   created.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// paths; the writer then belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open(
    path: *const c_char,
    out: *mut *mut npz_writer,
) -> npyio_status {
    npz_writer_open_ex(path, 0, -1, out)
}

/// `npz_writer_open` with options: `flags` may combine `NPYIO_SAVE_FSYNC`
/// (fsync the archive and its directory on finish), `NPYIO_NPZ_ALIGN`
/// (64-byte aligned stored members) and `NPYIO_NPZ_COMPRESSED` (members
/// added with `npz_writer_add_typed` are deflated); `level` is the deflate level 0–9 for
/// `NPYIO_DEFLATE` members, or -1 for NumPy's default (6). Unknown flags or
/// levels give `NPYIO_ERR_INVALID_ARG`.
///
/// Ownership: as `npz_writer_open`.
///
/// NULL: `path` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty, a directory, a socket
///   or a descriptor open only for reading; unknown bits in `flags`;
///   `level` not -1 and not in 0..9.
/// - `NPYIO_ERR_IO` (-3): the archive or its temporary file cannot be
///   created.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: as `npz_writer_open`.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open_ex(
    path: *const c_char,
    flags: u32,
    level: i32,
    out: *mut *mut npz_writer,
) -> npyio_status {
    new_handle(out, || {
        let path = args::path(path)?;
        NpzWriter::create(path, npz_writer_options(flags, level)?)
    })
}

/// Add a whole array as member `name` + ".npy" (as `np.savez(f, name=a)`
/// names it). `data` holds `len` bytes in storage order (C, or Fortran if
/// `fortran_order`) and the dtype's byte order; `len` must equal
/// product(shape) × itemsize (`NPYIO_ERR_SIZE_MISMATCH`). `compression` is
/// `NPYIO_STORED` (the member is byte-identical to `np.savez`'s),
/// `NPYIO_DEFLATE` (large members are compressed on all cores) or
/// `NPYIO_ZSTD` (Zstandard; large members compressed on all cores; see
/// `npz_writer_set_level` and which Pythons read it).
///
/// Ownership: `name`, `dtype`, `shape` and `data` are read during the call
/// only; nothing is kept (the dtype may be freed afterwards).
///
/// NULL: `w`, `name` and `dtype` must not be NULL; `shape` may be NULL when
/// `ndim` is 0, and `data` when `len` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w`, `name` or `dtype` is NULL, `shape` is
///   NULL with `ndim` > 0, or `data` is NULL with `len` > 0.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not valid UTF-8.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `name` is empty, longer than 65535
///   bytes with its `.npy`, or already in the archive; `ndim` exceeds
///   NumPy's 64 dimensions; a subarray dtype; `compression` is not
///   `NPYIO_STORED`, `NPYIO_DEFLATE` or `NPYIO_ZSTD`.
/// - `NPYIO_ERR_OVERFLOW` (-9): product(shape) × itemsize overflows 64
///   bits, or the header would be too long.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): `len` is not product(shape) ×
///   itemsize.
/// - `NPYIO_ERR_STATE` (-23): a member started with `npz_writer_begin` is
///   still open, or the writer failed before.
/// - `NPYIO_ERR_IO` (-3): writing or compressing failed; the writer then
///   only accepts `npz_writer_finish` (which reports the failure) or
///   `npz_writer_discard`.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn npz_writer_add(
    w: *mut npz_writer,
    name: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const c_void,
    len: usize,
    compression: npyio_compression,
) -> npyio_status {
    status(|| {
        let w = npz_writer::arg_mut(w, "w")?;
        let name = member_name(name)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        let data = bytes(data, len, "data")?;
        let c = codes::compression(compression)?;
        w.w.add(name, a.dtype, a.shape, fortran_order, data, c)
    })
}

/// Add a C-order array of element type `type` (`NPYIO_BOOL` ...
/// `NPYIO_COMPLEX128`, host byte order) as member `name` + ".npy", as
/// `np.savez` writes it, or `np.savez_compressed` when the writer was opened
/// with `NPYIO_NPZ_COMPRESSED` (`npz_writer_open_ex`): the member's bytes
/// are those `npy_save_typed` writes for the same array. `data` holds the
/// `len` bytes of the elements in C order; `len` must be exactly
/// product(shape) × the type's size. `ndim` 0 adds a 0-d array.
///
/// Ownership: the writer stays the caller's; `name`, `shape` and `data`
/// are read during the call only.
///
/// NULL: `w` and `name` are required; `shape` may be NULL when `ndim` is 0,
/// `data` when `len` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` or `name` is NULL, or `shape` or
///   `data` where they are required.
/// - `NPYIO_ERR_INVALID_ARG` (-13): an unknown type code, `ndim` over 64,
///   an empty, duplicate or NUL-holding name.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not UTF-8.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): `len` is not the array's size;
///   nothing is added.
/// - `NPYIO_ERR_OVERFLOW` (-9): the shape's size overflows 64 bits.
/// - `NPYIO_ERR_STATE` (-23): a streamed member is open.
/// - `NPYIO_ERR_IO` (-3): writing failed; the writer then only accepts
///   `npz_writer_finish` (which reports it) or `npz_writer_discard`.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_add_typed(
    w: *mut npz_writer,
    name: *const c_char,
    r#type: npyio_type,
    ndim: usize,
    shape: *const u64,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    status(|| {
        let w = npz_writer::arg_mut(w, "w")?;
        let name = member_name(name)?;
        let ty = codes::elem_type(r#type)?;
        let shape = args::shape(ndim, shape)?;
        let data = bytes(data, len, "data")?;
        w.w.add_array(name, ty.dtype(), shape, data)
    })
}

/// Set the compression level of the members of `compression` that `w`
/// writes from now on: for `NPYIO_DEFLATE` a zlib level 0–9, or -1 for
/// NumPy's default (6; the level `npz_writer_open_ex` set); for
/// `NPYIO_ZSTD` a zstd level 1–22, a negative fast level down to -131072,
/// or 0 for the default (1, the initial level; zstd's own is 3). A member
/// already begun keeps its level.
///
/// Ownership: `w` is borrowed for the call; it must be NULL or a writer
/// not yet finished or discarded.
///
/// NULL: `w` NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): an unknown compression, `NPYIO_STORED`
///   (which has no level) or a level out of range.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: like every writer function, call it from one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_set_level(
    w: *mut npz_writer,
    compression: npyio_compression,
    level: i32,
) -> npyio_status {
    status(|| {
        let w = npz_writer::arg_mut(w, "w")?;
        let c = codes::compression(compression)?;
        w.w.set_level(c, level)
    })
}

/// Start a member written in pieces (for arrays larger than memory):
/// follow with `npz_writer_write` calls totalling product(shape) × itemsize
/// bytes, then `npz_writer_end`. Nothing buffers the member.
///
/// Ownership: `name`, `dtype` and `shape` are read during the call only
/// (the dtype may be freed afterwards).
///
/// NULL: `w`, `name` and `dtype` must not be NULL; `shape` may be NULL when
/// `ndim` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w`, `name` or `dtype` is NULL, or `shape`
///   is NULL with `ndim` > 0.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not valid UTF-8.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `name` is empty, longer than 65535
///   bytes with its `.npy`, or already in the archive; `ndim` exceeds
///   NumPy's 64 dimensions; a subarray dtype; `compression` is not
///   `NPYIO_STORED`, `NPYIO_DEFLATE` or `NPYIO_ZSTD`.
/// - `NPYIO_ERR_OVERFLOW` (-9): product(shape) × itemsize overflows 64
///   bits, or the header would be too long.
/// - `NPYIO_ERR_STATE` (-23): a member is already open, or the writer
///   failed before.
/// - `NPYIO_ERR_IO` (-3): writing the member's headers failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_begin(
    w: *mut npz_writer,
    name: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    compression: npyio_compression,
) -> npyio_status {
    status(|| {
        let w = npz_writer::arg_mut(w, "w")?;
        let name = member_name(name)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        let c = codes::compression(compression)?;
        w.w.begin(name, a.dtype, a.shape, fortran_order, c)
    })
}

/// Append data to the member started with `npz_writer_begin`, in storage
/// order and the dtype's byte order; pieces may split items anywhere.
///
/// Ownership: `data` is read during the call only.
///
/// NULL: `w` must not be NULL; `data` may be NULL when `len` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL, or `data` is NULL with `len`
///   > 0.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): more bytes than the member has left.
/// - `NPYIO_ERR_STATE` (-23): no member is open, or the writer failed
///   before.
/// - `NPYIO_ERR_IO` (-3): writing or compressing failed (the writer then
///   only accepts finish, which reports it, or discard).
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_write(
    w: *mut npz_writer,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    handle::write(w, data, len)
}

/// End the member started with `npz_writer_begin`: too few bytes written
/// give `NPYIO_ERR_SIZE_MISMATCH` (and the writer then only accepts
/// discard or a failing finish).
///
/// Ownership: nothing is passed but the writer.
///
/// NULL: `w` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): fewer bytes were written than the
///   member's array holds.
/// - `NPYIO_ERR_STATE` (-23): no member is open, or the writer failed
///   before.
/// - `NPYIO_ERR_IO` (-3): writing the member's end failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_end(w: *mut npz_writer) -> npyio_status {
    status(|| npz_writer::arg_mut(w, "w")?.w.end())
}

/// Write the central directory (zip64 records when needed, exactly as
/// Python's zipfile) and rename the archive over the target. The writer is
/// freed whatever the result; on error the temporary file is removed and an
/// existing file at the path is untouched.
///
/// Ownership: `w` is consumed: invalid after the call, whatever it
/// returns. It must not have been finished or discarded before.
///
/// NULL: `w` NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `w` is NULL.
/// - `NPYIO_ERR_STATE` (-23): a member started with `npz_writer_begin` was
///   not ended.
/// - `NPYIO_ERR_IO` (-3): writing the directory, fsync or the rename
///   failed.
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14) or `NPYIO_ERR_IO` (-3): an earlier
///   call failed with it (`npz_writer_end`, a write); it is reported again.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: a writer belongs to one thread at a time.
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_finish(w: *mut npz_writer) -> npyio_status {
    handle::finish(w)
}

/// Abandon an archive: remove its temporary file, keep any old file at the
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
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_discard(w: *mut npz_writer) {
    close(w)
}
