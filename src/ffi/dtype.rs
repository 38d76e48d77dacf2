//! `npyio_dtype`: parsed dtypes.

use super::args::utf8;
use super::boundary::{close, getter, new_handle};
use super::codes::{npyio_status, npyio_type};
use super::handle::{Handle, Owned};
use crate::dtype::{Layout, ScalarKind};
use crate::{DType, Type};
use std::ffi::{c_char, CString};
use std::sync::OnceLock;

/// A parsed NumPy dtype (opaque). Created by `npyio_dtype_parse` (owned by
/// the caller, freed with `npyio_dtype_free`) or borrowed from an open
/// array with `npy_dtype` (valid until that array is closed; never free
/// it). Immutable, so it may be used from several threads at once.
///
/// \ingroup npyio_dtypes
pub struct npyio_dtype {
    pub(crate) dt: DType,
    /// The descr text, made on first request (most handles never ask).
    descr: std::sync::OnceLock<CString>,
    /// The type string (`dtype.str`), made on first request.
    typestr: std::sync::OnceLock<CString>,
}

impl From<DType> for npyio_dtype {
    fn from(dt: DType) -> npyio_dtype {
        npyio_dtype {
            dt,
            descr: std::sync::OnceLock::new(),
            typestr: std::sync::OnceLock::new(),
        }
    }
}

impl npyio_dtype {
    fn descr(&self) -> &CString {
        // Fallible: a record's descr is as long as its header. The string has
        // room for the NUL, so making the C string does not allocate again.
        self.descr.get_or_init(|| {
            CString::new(self.dt.try_descr().unwrap_or_default()).unwrap_or_default()
        })
    }
}

impl Handle for npyio_dtype {}
// Parsed dtypes are owned by the caller; those `npy_dtype` returns are
// borrowed from their array and never freed.
impl Owned for npyio_dtype {}

/// Parse a dtype from its header text or a type string, as NumPy reads the
/// `'descr'` of a .npy header: a quoted type string (`'<f8'`), a bare one
/// (`<f8`, `int32`, `<U5`, `<M8[ns]`), or a record as a list of fields
/// (`[('x', '<f4'), ('y', '<i8', (2,))]`). Surrounding whitespace is
/// ignored.
///
/// Ownership: `descr` is read during the call only. On success `*out`
/// receives a new dtype owned by the caller, to be freed with
/// `npyio_dtype_free`; on failure `*out` is left as it was.
///
/// NULL: `descr` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `descr` or `out` is NULL.
/// - `NPYIO_ERR_ENCODING` (-15): `descr` is not valid UTF-8.
/// - `NPYIO_ERR_BAD_DTYPE` (-7): not a dtype NumPy would accept in a header
///   (unknown type string, bad field list, ...).
/// - `NPYIO_ERR_BAD_HEADER` (-6): a quoted or bracketed text that is not a
///   valid Python literal.
/// - `NPYIO_ERR_OBJECT_DTYPE` (-8): the dtype is or contains `O` (Python
///   objects).
/// - `NPYIO_ERR_OVERFLOW` (-9): the item size overflows 64 bits.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for a large record.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_parse(
    descr: *const c_char,
    out: *mut *mut npyio_dtype,
) -> npyio_status {
    new_handle(out, || DType::parse(utf8(descr, "descr", "dtype text")?))
}

/// The dtype's descr, exactly as `np.save` writes it in a header. That is
/// the text after the `'descr'` key, e.g. `'<f8'` (quotes included) or
/// `[('x', '<f4')]`.
///
/// Ownership: the string belongs to the dtype and lives until the dtype is
/// freed (`npyio_dtype_free`) or, for a dtype from `npy_dtype`, until its
/// array is closed. Never free it.
///
/// NULL: returns NULL when `d` is NULL.
///
/// Errors: none; an empty string if there is no memory for the text (a
/// record's descr is as long as the header it came from).
///
/// Threads: may be called from several threads at once on one dtype (the
/// text is made once, on first request).
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_descr(d: *const npyio_dtype) -> *const c_char {
    getter(|| Some(npyio_dtype::peek(d)?.descr().as_ptr()))
}

/// The size of one item in bytes, as NumPy's `dtype.itemsize`.
///
/// Ownership: `d` is borrowed for the call only.
///
/// NULL: `d` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one dtype.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_itemsize(d: *const npyio_dtype) -> usize {
    getter(|| Some(npyio_dtype::peek(d)?.dt.itemsize()))
}

/// NumPy's `dtype.kind` as a character: `b` bool, `i` signed integer, `u`
/// unsigned integer, `f` float, `c` complex, `S` bytes, `U` unicode, `V`
/// void, records and subarrays, `M` datetime64, `m` timedelta64.
///
/// Ownership: `d` is borrowed for the call only.
///
/// NULL: `d` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one dtype.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_kind(d: *const npyio_dtype) -> c_char {
    getter(|| {
        let kind = match npyio_dtype::peek(d)?.dt.layout() {
            Layout::Scalar { kind, .. } => *kind,
            // Records and subarrays are kind 'V' in NumPy.
            _ => ScalarKind::Void,
        };
        Some(kind.char() as c_char)
    })
}

/// The byte order character of the dtype, as in its descr: `<` little
/// endian, `>` big endian, or `|` not applicable (single bytes, `S`, `V`,
/// subarrays, and records, whose fields each have their own).
///
/// Ownership: `d` is borrowed for the call only.
///
/// NULL: `d` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one dtype.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_byteorder(d: *const npyio_dtype) -> c_char {
    getter(|| {
        let c = match npyio_dtype::peek(d)?.dt.layout() {
            Layout::Scalar { order, .. } => order.char(),
            _ => '|',
        };
        Some(c as c_char)
    })
}

/// Whether the dtype has named fields (a structured dtype, NumPy's
/// `dtype.names is not None`).
///
/// Ownership: `d` is borrowed for the call only.
///
/// NULL: `d` may be NULL: the result is then false.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one dtype.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_is_record(d: *const npyio_dtype) -> bool {
    getter(|| {
        Some(matches!(
            npyio_dtype::peek(d)?.dt.layout(),
            Layout::Record(_)
        ))
    })
}

/// Free a dtype made by `npyio_dtype_parse`, and the descr string
/// `npyio_dtype_descr` returned for it.
///
/// Ownership: `d` must come from `npyio_dtype_parse` and not have been
/// freed; it is invalid afterwards. Never pass a dtype borrowed from
/// `npy_dtype`: it belongs to its array. Arrays and files written with the
/// dtype do not keep it, so it may be freed as soon as those calls return.
///
/// NULL: `d` may be NULL (nothing happens).
///
/// Errors: none.
///
/// Threads: no other thread may use `d` during or after the call.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_free(d: *mut npyio_dtype) {
    close(d)
}

/// The dtype of a numeric element type, in the host's byte order: for
/// `NPYIO_FLOAT64` the dtype `<f8`, as `npyio_dtype_parse("<f8")` would
/// give, without parsing or freeing. Pass it wherever a dtype is taken
/// (`npy_save`, `npz_writer_add`, ...).
///
/// Ownership: the dtype is the library's, static: it lives until the
/// process ends and is never freed (do not pass it to `npyio_dtype_free`).
/// The same pointer comes back for the same type.
///
/// NULL: returns NULL when `type` is not one of `NPYIO_BOOL` ...
/// `NPYIO_COMPLEX128`.
///
/// Errors: none (NULL for an unknown type; this thread's last error is left
/// as it was).
///
/// Threads: may be called from any thread; the dtypes are made once, on
/// first use, and are immutable.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub extern "C" fn npyio_type_dtype(r#type: npyio_type) -> *const npyio_dtype {
    getter(|| {
        static DTYPES: OnceLock<Vec<npyio_dtype>> = OnceLock::new();
        let t = Type::from_code(r#type)?;
        let all =
            DTYPES.get_or_init(|| Type::ALL.iter().map(|t| t.dtype().clone().into()).collect());
        Some(&all[t as usize - 1] as *const npyio_dtype)
    })
}

/// Whether two dtypes are equal as NumPy's `==` on dtypes says: the same
/// kind, size, byte order (`<f8` is not `>f8`; `|u1` is `<u1`), datetime
/// unit, and for records the same field names, titles, offsets, types and
/// item size (field order and padding included).
///
/// Ownership: both dtypes are borrowed for the call.
///
/// NULL: returns false if either dtype is NULL; a non-NULL one must be a
/// valid dtype.
///
/// Errors: none.
///
/// Threads: may be called from any thread; dtypes are immutable.
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_equal(a: *const npyio_dtype, b: *const npyio_dtype) -> bool {
    getter(|| Some(npyio_dtype::peek(a)?.dt == npyio_dtype::peek(b)?.dt))
}

/// The dtype's type string, NumPy's `dtype.str`: `<f8`, `|u1`, `<U5`,
/// `<M8[ns]`, and `|V<itemsize>` for records (no quotes; compare
/// `npyio_dtype_descr`, which is what a header holds).
///
/// Ownership: the string is owned by the dtype and lives until it is freed
/// (or, for a dtype from `npy_dtype`, its array is closed; for one from
/// `npyio_type_dtype`, for the whole process).
///
/// NULL: returns NULL for a NULL dtype; otherwise `d` must be a valid dtype.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one dtype (the
/// string is made once, on first request).
///
/// \ingroup npyio_dtypes
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_str(d: *const npyio_dtype) -> *const c_char {
    getter(|| {
        let d = npyio_dtype::peek(d)?;
        Some(
            d.typestr
                .get_or_init(|| CString::new(d.dt.typestr()).unwrap_or_default())
                .as_ptr(),
        )
    })
}
