//! Arguments from C: pointers checked and turned into Rust values.
//!
//! Caller memory ([`bytes`], [`bytes_mut`], and [`Borrowed`] for memory a
//! handle keeps), strings ([`path`], [`utf8`], [`opt_utf8`]), an array's
//! description ([`DTypeShape`]: the dtype, `ndim` and `shape` arguments
//! together) and out-parameters ([`Out`], the only way a value is written
//! for the caller).

use super::dtype::npyio_dtype;
use super::handle::{Handle, Owned};
use crate::error::{Error, Result};
use crate::{err, DType, MAX_NDIM};
use std::ffi::{c_char, c_void, CStr};
use std::fmt::Display;
use std::path::Path;
use std::ptr::NonNull;

/// The error for a NULL argument.
pub(crate) fn null_arg(name: &str) -> Error {
    err!(NullArg, "argument '{name}' is NULL")
}

/// A slice of caller memory from (pointer, length); NULL is fine for
/// length 0.
///
/// Safety: `p` must be NULL or point to `len` readable bytes that live for `'a`.
unsafe fn slice<'a, T>(p: *const T, len: usize, name: &str, what: &str) -> Result<&'a [T]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(err!(NullArg, "argument '{name}' is NULL with {what} {len}"));
    }
    Ok(std::slice::from_raw_parts(p, len))
}

/// The caller's bytes: `len` at `p`; NULL is fine for length 0.
///
/// Safety: `p` must be NULL or point to `len` readable bytes that live for `'a`.
pub(crate) unsafe fn bytes<'a>(p: *const c_void, len: usize, name: &str) -> Result<&'a [u8]> {
    slice(p as *const u8, len, name, "length")
}

/// The caller's writable bytes: `len` at `p`; NULL is fine for length 0.
///
/// Safety: `p` must be NULL or point to `len` writable bytes that live for `'a`
/// and that nothing else reads or writes meanwhile.
pub(crate) unsafe fn bytes_mut<'a>(p: *mut c_void, len: usize, name: &str) -> Result<&'a mut [u8]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(err!(NullArg, "argument '{name}' is NULL with length {len}"));
    }
    Ok(std::slice::from_raw_parts_mut(p as *mut u8, len))
}

/// Caller memory a handle keeps reading after the call that received it
/// (`npy_open_memory`, `npz_open_memory`): the caller promises the bytes
/// stay valid and unchanged until the handle and everything opened from
/// it are closed.
pub(crate) struct Borrowed {
    ptr: *const u8,
    len: usize,
}

// SAFETY: the bytes are only read, and the caller keeps them valid and
// unchanged for as long as any handle holding them is open.
unsafe impl Send for Borrowed {}
unsafe impl Sync for Borrowed {}

impl Borrowed {
    /// `len` bytes at `p`, checked as [`bytes`] checks them.
    ///
    /// Safety: `p` must be NULL or point to `len` readable bytes that stay valid
    /// and unchanged until every handle holding them is closed.
    pub(crate) unsafe fn new(p: *const c_void, len: usize, name: &str) -> Result<Borrowed> {
        bytes(p, len, name)?;
        Ok(Borrowed {
            ptr: p as *const u8,
            len,
        })
    }
}

impl AsRef<[u8]> for Borrowed {
    fn as_ref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: checked non-NULL in `new`; valid as its caller promised.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// A path from a C string (`argument 'path'`); empty is `InvalidArg`.
///
/// Safety: `p` must be NULL or a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn path<'a>(p: *const c_char) -> Result<&'a Path> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path_c(p)?.to_bytes();
    Ok(Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

/// [`path`], as the C string it is.
///
/// Safety: as [`path`].
pub(crate) unsafe fn path_c<'a>(p: *const c_char) -> Result<&'a CStr> {
    if p.is_null() {
        return Err(null_arg("path"));
    }
    let c = CStr::from_ptr(p);
    if c.is_empty() {
        return Err(err!(InvalidArg, "argument 'path' is empty"));
    }
    Ok(c)
}

/// A UTF-8 C string, or `None` for NULL; `what` names it when it is not
/// UTF-8 (`NPYIO_ERR_ENCODING`).
///
/// Safety: `p` must be NULL or a NUL-terminated string that lives for `'a`.
pub(crate) unsafe fn opt_utf8<'a>(p: *const c_char, what: impl Display) -> Result<Option<&'a str>> {
    if p.is_null() {
        return Ok(None);
    }
    CStr::from_ptr(p)
        .to_str()
        .map(Some)
        .map_err(|_| err!(Encoding, "{what} is not valid UTF-8"))
}

/// A UTF-8 C string argument named `name`; NULL is `NPYIO_ERR_NULL_ARG`.
///
/// Safety: as [`opt_utf8`].
pub(crate) unsafe fn utf8<'a>(p: *const c_char, name: &str, what: impl Display) -> Result<&'a str> {
    opt_utf8(p, what)?.ok_or_else(|| null_arg(name))
}

/// An array's description as exports receive it: a dtype handle and `ndim`
/// dimensions at `shape`.
pub(crate) struct DTypeShape<'a> {
    /// The dtype.
    pub dtype: &'a DType,
    /// The shape; empty for a 0-d array.
    pub shape: &'a [u64],
}

impl<'a> DTypeShape<'a> {
    /// The (dtype, ndim, shape) arguments; `shape` may be NULL when `ndim`
    /// is 0, and `ndim` may not exceed NumPy's maximum.
    ///
    /// Safety: `dtype` must be NULL or a live dtype; `shape` NULL or `ndim` readable
    /// values; both for `'a`.
    pub(crate) unsafe fn new(
        dtype: *const npyio_dtype,
        ndim: usize,
        shape: *const u64,
    ) -> Result<DTypeShape<'a>> {
        let dtype = &npyio_dtype::arg(dtype, "dtype")?.dt;
        if ndim > MAX_NDIM && !shape.is_null() {
            return Err(err!(
                InvalidArg,
                "ndim {ndim} exceeds NumPy's maximum of {MAX_NDIM}"
            ));
        }
        let shape = slice(shape, ndim, "shape", "ndim")?;
        Ok(DTypeShape { dtype, shape })
    }

    /// [`new`](Self::new) where a NULL `shape` means "no shape given"
    /// (`npy_mmap_raw`): the shape is then `None`.
    ///
    /// Safety: as [`new`](Self::new).
    pub(crate) unsafe fn with_optional_shape(
        dtype: *const npyio_dtype,
        ndim: usize,
        shape: *const u64,
    ) -> Result<(&'a DType, Option<&'a [u64]>)> {
        let given = !shape.is_null();
        let d = DTypeShape::new(dtype, if given { ndim } else { 0 }, shape)?;
        Ok((d.dtype, given.then_some(d.shape)))
    }
}

/// A shape from the (`ndim`, `shape`) arguments: `shape` may be
/// NULL when `ndim` is 0; more than NumPy's maximum number of dimensions is
/// `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// `shape` must be NULL or point to `ndim` readable values that live for
/// `'a`.
pub(crate) unsafe fn shape<'a>(ndim: usize, shape: *const u64) -> Result<&'a [u64]> {
    if ndim > MAX_NDIM {
        return Err(err!(
            InvalidArg,
            "ndim {ndim} exceeds NumPy's maximum of {MAX_NDIM}"
        ));
    }
    slice(shape, ndim, "shape", "ndim")
}

/// An out-parameter: a pointer checked for NULL when the `Out` is made.
/// [`put`](Out::put) is the only way a value is written to the caller, so
/// nothing is written without the check. Exports make their `Out`s first
/// and put into them last, so a failed call leaves them as they were.
pub(crate) struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// The out-parameter named `name`; NULL is `NPYIO_ERR_NULL_ARG`.
    ///
    /// Safety: `p` must be NULL or valid for writing a `T` until the call returns.
    pub(crate) unsafe fn new(p: *mut T, name: &str) -> Result<Out<T>> {
        NonNull::new(p).map(Out).ok_or_else(|| null_arg(name))
    }

    /// An out-parameter the caller may leave out: `None` for NULL.
    ///
    /// Safety: as [`new`](Self::new).
    pub(crate) unsafe fn optional(p: *mut T) -> Option<Out<T>> {
        NonNull::new(p).map(Out)
    }

    /// Write the value for the caller (whatever was there is overwritten,
    /// not dropped).
    pub(crate) fn put(self, v: T) {
        // SAFETY: non-NULL, and writable as the maker of the `Out` promised.
        unsafe { self.0.as_ptr().write(v) }
    }
}

impl<H: Owned> Out<*mut H> {
    /// Give the caller a new handle, which it then owns.
    pub(crate) fn put_handle(self, v: H) {
        self.put(v.into_raw())
    }
}
