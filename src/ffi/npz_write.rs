//! `npz_writer`: writing .npz archives, member by member.

use super::args::{self, bytes, DTypeShape};
use super::boundary::{close, new_handle, status};
use super::codes::{self, npyio_compression, npyio_status, npz_writer_options};
use super::dtype::npyio_dtype;
use super::handle::{self, writer_handle, Handle};
use super::npz::member_name;
use crate::npz::NpzWriter;
use std::ffi::{c_char, c_void};

/// An .npz archive being written (opaque). Belongs to one thread at a time.
/// Ended by exactly one of `npz_writer_finish` or `npz_writer_discard`.
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
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open(
    path: *const c_char,
    out: *mut *mut npz_writer,
) -> npyio_status {
    npz_writer_open_ex(path, 0, -1, out)
}

/// `npz_writer_open` with options: `flags` may combine `NPYIO_SAVE_FSYNC`
/// (fsync the archive and its directory on finish) and `NPYIO_NPZ_ALIGN`
/// (64-byte aligned stored members); `level` is the deflate level 0–9 for
/// `NPYIO_DEFLATE` members, or -1 for NumPy's default (6). Unknown flags or
/// levels give `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
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
/// `npz_writer_set_level` and which Pythons read it). Empty names,
/// names with NUL bytes and duplicate names give `NPYIO_ERR_INVALID_ARG`.
/// After an I/O error the writer only accepts finish (which reports it) or
/// discard.
///
/// # Safety
/// Pointers must be NULL or valid for the lengths given.
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

/// Set the compression level of the members of `compression` that `w`
/// writes from now on: for `NPYIO_DEFLATE` a zlib level 0–9, or -1 for
/// NumPy's default (6; the level `npz_writer_open_ex` set); for
/// `NPYIO_ZSTD` a zstd level 1–22, a negative fast level down to -131072,
/// or 0 for zstd's default (3, the initial level). A member already begun
/// keeps its level.
///
/// Ownership: `w` is borrowed for the call; it must be NULL or a writer
/// not yet finished or discarded.
///
/// NULL: `w` NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1) for NULL `w`; `NPYIO_ERR_INVALID_ARG`
/// (-13) for an unknown compression, `NPYIO_STORED` (which has no level) or
/// a level out of range.
///
/// Threads: like every writer function, call it from one thread at a time.
#[no_mangle]
#[allow(clippy::missing_safety_doc)] // the obligations are under Ownership
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
/// bytes, then `npz_writer_end`. Nothing buffers the member. Errors as
/// `npz_writer_add`, and `NPYIO_ERR_STATE` if a member is already open.
///
/// # Safety
/// Pointers must be NULL or valid.
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

/// Append data to the member started with `npz_writer_begin`. More bytes
/// than the array holds give `NPYIO_ERR_SIZE_MISMATCH`; no open member gives
/// `NPYIO_ERR_STATE`.
///
/// # Safety
/// `w` must be valid; `data` must point to `len` readable bytes.
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
/// # Safety
/// `w` must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_end(w: *mut npz_writer) -> npyio_status {
    status(|| npz_writer::arg_mut(w, "w")?.w.end())
}

/// Write the central directory (zip64 records when needed, exactly as
/// Python's zipfile) and rename the archive over the target. The writer is
/// freed whatever the result; on error the temporary file is removed and an
/// existing file at the path is untouched. NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_finish(w: *mut npz_writer) -> npyio_status {
    handle::finish(w)
}

/// Abandon an archive: remove its temporary file, keep any old file at the
/// path, free the writer. NULL is fine.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_discard(w: *mut npz_writer) {
    close(w)
}
