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

/// Parse a dtype from its header text or a type string: `"'<f8'"`,
/// `"<f8"`, `"int32"`, `"<U5"`, `"<M8[ns]"`, or a record
/// `"[('x', '<f4'), ('y', '<i8', (2,))]"`. On success `*out` receives a new
/// dtype owned by the caller (free it with `npyio_dtype_free`). Errors:
/// `NPYIO_ERR_NULL_ARG`, `NPYIO_ERR_BAD_DTYPE`, `NPYIO_ERR_BAD_HEADER` (not a
/// literal), `NPYIO_ERR_OBJECT_DTYPE`. Thread-safe.
///
/// # Safety
/// `descr` must be NULL or a NUL-terminated string; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_parse(
    descr: *const c_char,
    out: *mut *mut npyio_dtype,
) -> npyio_status {
    new_handle(out, || DType::parse(utf8(descr, "descr", "dtype text")?))
}

/// The descr exactly as `np.save` writes it after `'descr': ` in a header,
/// e.g. `'<f8'` (with the quotes) or `[('x', '<f4')]`. The string is owned by
/// the dtype and lives until it is freed (or its array closed). NULL for a
/// NULL dtype; an empty string if there is no memory for it (a record's
/// descr is as long as the header it came from).
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_descr(d: *const npyio_dtype) -> *const c_char {
    getter(|| Some(npyio_dtype::peek(d)?.descr().as_ptr()))
}

/// The size of one item in bytes (`dtype.itemsize`); 0 for a NULL dtype.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_itemsize(d: *const npyio_dtype) -> usize {
    getter(|| Some(npyio_dtype::peek(d)?.dt.itemsize()))
}

/// NumPy's `dtype.kind` as a character: `'b'` bool, `'i'` signed, `'u'`
/// unsigned, `'f'` float, `'c'` complex, `'S'` bytes, `'U'` unicode, `'V'`
/// void and records, `'M'` datetime64, `'m'` timedelta64; 0 for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
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

/// The byte order character of a scalar dtype: `'<'`, `'>'`, or `'|'` (not
/// applicable: single bytes, `S`, `V`, and records, whose fields each have
/// their own); 0 for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
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

/// True if the dtype has named fields (a structured dtype); false for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_is_record(d: *const npyio_dtype) -> bool {
    getter(|| {
        Some(matches!(
            npyio_dtype::peek(d)?.dt.layout(),
            Layout::Record(_)
        ))
    })
}

/// Free a dtype made by `npyio_dtype_parse`. NULL is fine. Never pass a
/// dtype borrowed from `npy_dtype`.
///
/// # Safety
/// `d` must be NULL or a dtype from `npyio_dtype_parse` not yet freed.
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
#[no_mangle]
#[allow(clippy::missing_safety_doc)] // obligations: "Ownership" and "NULL" above
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
#[no_mangle]
#[allow(clippy::missing_safety_doc)] // obligations: "Ownership" and "NULL" above
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
