//! Typed reads: an array or an archive member converted to a numeric
//! element type (`npyio_type`) with NumPy's casting rules
//! (`npyio_casting`), into the caller's buffer; loads of a whole array
//! into memory the library owns.
//!
//! The callers' obligations for each function are in its "Ownership" and
//! "NULL" paragraphs, which the header carries (no separate safety section).

use super::args::{self, bytes_mut};
use super::boundary::{new_handle, status};
use super::codes::{casting, elem_type, load_type, npyio_casting, npyio_status, npyio_type};
use super::handle::Handle;
use super::npy::npy_file;
use super::npz::{member_name, npz_file};
use crate::{Casting, NpyFile};
use std::ffi::{c_char, c_void};

/// Read the whole array into `dst` as element type `type`, in the host's
/// byte order and C order, with the values `a.astype(type,
/// casting="safe")` gives: int32 to float64 works, float64 to int32 and
/// int32 to int16 are refused. `npy_read_as_ex` takes the casting rule.
///
/// Ownership: `dst` is the caller's, written only during the call; it
/// must hold `npy_count(f) * npyio_dtype_itemsize(npyio_type_dtype(type))`
/// bytes (`len` says how many it has).
///
/// NULL: `f` may not be NULL; `dst` may be NULL only when `len` is 0
/// (an empty array). Otherwise `f` must be a live handle and `dst` must
/// point to `len` writable bytes.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) for a
/// `type` that is not one of `NPYIO_BOOL` ... `NPYIO_COMPLEX128` (the
/// message names the value); `NPYIO_ERR_CAST` (-24) when NumPy's rule
/// refuses the cast, or the array is not numeric (the message names both
/// dtypes, e.g. `cannot cast <f8 (float64) to <i4 (int32) under the
/// casting rule 'safe'`); `NPYIO_ERR_BUFFER_TOO_SMALL` (-12) when `len` is
/// short; `NPYIO_ERR_OVERFLOW` (-9) when the converted size overflows;
/// `NPYIO_ERR_ALLOC` (-16); `NPYIO_ERR_IO` (-3), `NPYIO_ERR_TRUNCATED`
/// (-10), `NPYIO_ERR_CRC` (-18) as for `npy_read_into`. The cast is
/// checked before anything is read.
///
/// Threads: may be called from several threads at once on one `npy_file`
/// (reads are positional).
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_read_as(
    f: *const npy_file,
    r#type: npyio_type,
    dst: *mut c_void,
    len: usize,
) -> npyio_status {
    npy_read_as_ex(f, r#type, dst, len, Casting::Safe as npyio_casting)
}

/// `npy_read_as` with NumPy's casting rule `casting`: `NPYIO_CASTING_NO`
/// (the same type in the same byte order), `NPYIO_CASTING_EQUIV` (the same
/// type, any byte order), `NPYIO_CASTING_SAFE`, `NPYIO_CASTING_SAME_KIND`
/// (also float64 to float32, int64 to int8) or `NPYIO_CASTING_UNSAFE`
/// (anything). Values equal NumPy's `astype` on x86-64 for every pair of
/// the fourteen types, NaN, infinities and overflow included: integers
/// wrap; to bool is "not zero" (NaN is true); complex to real keeps the
/// real part; a float that is NaN or out of range becomes the x86-64
/// conversion's "integer indefinite" (the most negative int32 or int64;
/// int8, int16, uint8, uint16 take the low bits of the int32 conversion;
/// NaN to uint32 is 2^31 (0 from float16), to uint64 2^63; 2^32 to
/// uint32 is 0).
///
/// Ownership: as `npy_read_as`.
///
/// NULL: as `npy_read_as`.
///
/// Errors: as `npy_read_as`; also `NPYIO_ERR_INVALID_ARG` (-13) for an
/// unknown `casting` (the message names the value) and
/// `NPYIO_ERR_UNSUPPORTED` (-19) for a non-numeric array (strings, dates,
/// records, long doubles) under `NPYIO_CASTING_SAME_KIND` or
/// `NPYIO_CASTING_UNSAFE`, which NumPy would convert but this library
/// does not.
///
/// Threads: as `npy_read_as`.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_read_as_ex(
    f: *const npy_file,
    r#type: npyio_type,
    dst: *mut c_void,
    len: usize,
    casting: npyio_casting,
) -> npyio_status {
    status(|| {
        let f = npy_file::arg(f, "f")?;
        let ty = elem_type(r#type)?;
        let rule = self::casting(casting)?;
        let dst = bytes_mut(dst, len, "dst")?;
        f.file.read_as(ty, dst, rule)
    })
}

/// Read member `name` of an archive (`"x"` or `"x.npy"`) into `dst` as
/// element type `type`, as `npy_read_as` reads an array (casting rule
/// safe): one call per member, without opening it.
///
/// Ownership: `name` is borrowed for the call; `dst` as in `npy_read_as`
/// (the member's element count times the type's size).
///
/// NULL: `z` and `name` may not be NULL; `dst` only when `len` is 0.
/// Otherwise `z` must be a live archive, `name` a NUL-terminated string and
/// `dst` must point to `len` writable bytes.
///
/// Errors: as `npy_read_as`; `NPYIO_ERR_NOT_FOUND` (-20) when the archive
/// has no such member; `NPYIO_ERR_ENCODING` (-15) for a name that is not
/// UTF-8; errors of the member's header as `npz_open_member`.
///
/// Threads: may be called from several threads at once on one `npz_file`.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_read_as(
    z: *const npz_file,
    name: *const c_char,
    r#type: npyio_type,
    dst: *mut c_void,
    len: usize,
) -> npyio_status {
    npz_read_as_ex(z, name, r#type, dst, len, Casting::Safe as npyio_casting)
}

/// `npz_read_as` with NumPy's casting rule `casting`, as `npy_read_as_ex`.
///
/// Ownership: as `npz_read_as`.
///
/// NULL: as `npz_read_as`.
///
/// Errors: as `npz_read_as` and `npy_read_as_ex`.
///
/// Threads: as `npz_read_as`.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_read_as_ex(
    z: *const npz_file,
    name: *const c_char,
    r#type: npyio_type,
    dst: *mut c_void,
    len: usize,
    casting: npyio_casting,
) -> npyio_status {
    status(|| {
        let z = npz_file::arg(z, "z")?;
        let name = member_name(name)?;
        let ty = elem_type(r#type)?;
        let rule = self::casting(casting)?;
        let dst = bytes_mut(dst, len, "dst")?;
        z.z.read_as(name, ty, dst, rule)
    })
}

/// Load the whole .npy file at `path` into memory the library owns, as
/// `np.load(path).astype(type, casting="safe")` gives it: converted to
/// `type` (refusals as `npy_read_as`), in the host's byte order and C
/// order. With `NPYIO_TYPE_STORED` the stored dtype is kept (any dtype,
/// records included), converted only to the host byte order and C order.
/// `npy_data(*out)` points at the data (`npy_nbytes(*out)` bytes);
/// `npy_dtype`, `npy_shape` and the other getters describe it
/// (`npy_fortran_order` false, `npy_data_offset` 0). Arrays of 4 MiB or
/// more are placed as NumPy places big arrays: 2 MiB-aligned, advised for
/// transparent huge pages; smaller ones are 16-byte aligned.
///
/// Ownership: on success `*out` receives a handle owned by the caller;
/// `npy_close` frees it and the data. `path` is borrowed for the call.
///
/// NULL: `path` and `out` may not be NULL; `path` must be a
/// NUL-terminated string and `out` writable.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) for a
/// `type` that is neither a type code nor `NPYIO_TYPE_STORED`;
/// `NPYIO_ERR_CAST` (-24) when the safe rule refuses the cast (checked
/// before the data is read); `NPYIO_ERR_ALLOC` (-16); `NPYIO_ERR_OVERFLOW`
/// (-9); and every error of `npy_open` and `npy_read_into`. `*out` is left
/// as it was on failure.
///
/// Threads: may be called from any thread; the loaded array is read-only
/// (`npy_data_mut` is NULL) and may be read from several threads at once.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_load(
    path: *const c_char,
    r#type: npyio_type,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        let path = args::path(path)?;
        NpyFile::load(path, load_type(r#type)?)
    })
}

/// Load member `name` of an archive (`"x"` or `"x.npy"`) into memory the
/// library owns, as `npy_load` loads a file: converted to `type` with the
/// safe rule, or in its stored dtype with `NPYIO_TYPE_STORED`; host byte
/// order, C order; reached with `npy_data`.
///
/// Ownership: on success `*out` receives a handle owned by the caller,
/// independent of the archive (it may be closed first); `npy_close` frees
/// it. `name` is borrowed for the call.
///
/// NULL: `z`, `name` and `out` may not be NULL; `z` must be a live
/// archive, `name` a NUL-terminated string and `out` writable.
///
/// Errors: as `npy_load`; `NPYIO_ERR_NOT_FOUND` (-20) when the archive has
/// no such member; `NPYIO_ERR_ENCODING` (-15) for a name that is not
/// UTF-8; errors of the member as `npz_open_member`.
///
/// Threads: may be called from several threads at once on one `npz_file`.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_load(
    z: *const npz_file,
    name: *const c_char,
    r#type: npyio_type,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        let z = npz_file::arg(z, "z")?;
        let name = member_name(name)?;
        z.z.load(name, load_type(r#type)?)
    })
}
