//! `npyio_dtype`: parsed dtypes.

use super::{arg, getter, give, guard, npyio_status, out_arg};
use crate::dtype::{ByteOrder, DType, Layout, ScalarKind};
use crate::err;
use std::ffi::{c_char, CStr, CString};

/// A parsed NumPy dtype (opaque). Created by `npyio_dtype_parse` (owned by
/// the caller, freed with `npyio_dtype_free`) or borrowed from an open
/// array with `npy_dtype` (valid until that array is closed; never free
/// it). Immutable, so it may be used from several threads at once.
pub struct npyio_dtype {
    pub(crate) dt: DType,
    /// The descr text, made on first request (most handles never ask).
    descr: std::sync::OnceLock<CString>,
}

impl npyio_dtype {
    pub(crate) fn new(dt: DType) -> npyio_dtype {
        npyio_dtype {
            dt,
            descr: std::sync::OnceLock::new(),
        }
    }

    fn descr(&self) -> &CString {
        // Fallible: a record's descr is as long as its header. The string has
        // room for the NUL, so making the C string does not allocate again.
        self.descr.get_or_init(|| {
            CString::new(self.dt.try_descr().unwrap_or_default()).unwrap_or_default()
        })
    }
}

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
    guard(|| {
        out_arg(out, "out")?;
        if descr.is_null() {
            return Err(err!(NullArg, "argument 'descr' is NULL"));
        }
        let text = CStr::from_ptr(descr)
            .to_str()
            .map_err(|_| err!(Encoding, "dtype text is not valid UTF-8"))?;
        give(out, npyio_dtype::new(DType::parse(text)?));
        Ok(())
    })
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
    getter(std::ptr::null(), || match d.as_ref() {
        Some(d) => d.descr().as_ptr(),
        None => std::ptr::null(),
    })
}

/// The size of one item in bytes (`dtype.itemsize`); 0 for a NULL dtype.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_itemsize(d: *const npyio_dtype) -> usize {
    d.as_ref().map(|d| d.dt.itemsize()).unwrap_or(0)
}

/// NumPy's `dtype.kind` as a character: `'b'` bool, `'i'` signed, `'u'`
/// unsigned, `'f'` float, `'c'` complex, `'S'` bytes, `'U'` unicode, `'V'`
/// void and records, `'M'` datetime64, `'m'` timedelta64; 0 for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_kind(d: *const npyio_dtype) -> c_char {
    let Some(d) = d.as_ref() else { return 0 };
    let k = match d.dt.layout() {
        Layout::Scalar { kind, .. } => match kind {
            ScalarKind::Bool => b'b',
            ScalarKind::Int => b'i',
            ScalarKind::UInt => b'u',
            ScalarKind::Float => b'f',
            ScalarKind::Complex => b'c',
            ScalarKind::Bytes => b'S',
            ScalarKind::Unicode => b'U',
            ScalarKind::Void => b'V',
            ScalarKind::Datetime => b'M',
            ScalarKind::Timedelta => b'm',
        },
        _ => b'V',
    };
    k as c_char
}

/// The byte order character of a scalar dtype: `'<'`, `'>'`, or `'|'` (not
/// applicable: single bytes, `S`, `V`, and records, whose fields each have
/// their own); 0 for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_byteorder(d: *const npyio_dtype) -> c_char {
    let Some(d) = d.as_ref() else { return 0 };
    let c = match d.dt.layout() {
        Layout::Scalar {
            order: ByteOrder::Little,
            ..
        } => b'<',
        Layout::Scalar {
            order: ByteOrder::Big,
            ..
        } => b'>',
        _ => b'|',
    };
    c as c_char
}

/// True if the dtype has named fields (a structured dtype); false for NULL.
///
/// # Safety
/// `d` must be NULL or a valid dtype.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_is_record(d: *const npyio_dtype) -> bool {
    d.as_ref()
        .is_some_and(|d| matches!(d.dt.layout(), Layout::Record(_)))
}

/// Free a dtype made by `npyio_dtype_parse`. NULL is fine. Never pass a
/// dtype borrowed from `npy_dtype`.
///
/// # Safety
/// `d` must be NULL or a dtype from `npyio_dtype_parse` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn npyio_dtype_free(d: *mut npyio_dtype) {
    if !d.is_null() {
        let _ = super::quietly(|| drop(Box::from_raw(d)));
    }
}

/// Check a dtype argument.
pub(crate) unsafe fn dtype_arg<'a>(d: *const npyio_dtype) -> crate::error::Result<&'a DType> {
    Ok(&arg(d, "dtype")?.dt)
}
