//! The C ABI. The only module with `extern "C"`, raw pointers and handles.
//!
//! Every exported body runs inside [`guard`], which turns errors into status
//! codes, records the message for `npyio_last_error`, and catches panics.
#![allow(non_camel_case_types)]

pub mod dtype;
pub mod npy;
pub mod npz;
pub mod text;

use crate::err;
use crate::error::{Error, Result, Status};
use crate::limits::Limit;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Once, OnceLock};

/// Status code returned by every fallible function: 0 (`NPYIO_OK`) on
/// success, a negative `NPYIO_ERR_*` code on failure. Codes never change
/// meaning; `npyio_status_str` describes one and `npyio_last_error` gives
/// the message of this thread's last failure.
pub type npyio_status = i32;

/// Success.
pub const NPYIO_OK: npyio_status = 0;
/// A required pointer argument was NULL.
pub const NPYIO_ERR_NULL_ARG: npyio_status = -1;
/// Internal error: a panic was caught at the boundary (please report it).
pub const NPYIO_ERR_PANIC: npyio_status = -2;
/// Operating-system I/O error (open, read, write, rename, mmap, ...).
pub const NPYIO_ERR_IO: npyio_status = -3;
/// Not a .npy file: the first bytes are not `\x93NUMPY`.
pub const NPYIO_ERR_BAD_MAGIC: npyio_status = -4;
/// The format version is not 1.0, 2.0 or 3.0.
pub const NPYIO_ERR_UNSUPPORTED_VERSION: npyio_status = -5;
/// The header is not a valid header dictionary (syntax, keys, value types).
pub const NPYIO_ERR_BAD_HEADER: npyio_status = -6;
/// The dtype descriptor is unknown or malformed.
pub const NPYIO_ERR_BAD_DTYPE: npyio_status = -7;
/// The dtype is or contains Python objects; such data is never read.
pub const NPYIO_ERR_OBJECT_DTYPE: npyio_status = -8;
/// A size derived from the header overflows 64 bits.
pub const NPYIO_ERR_OVERFLOW: npyio_status = -9;
/// The file or buffer ends before the header or the data.
pub const NPYIO_ERR_TRUNCATED: npyio_status = -10;
/// A limit set with `npyio_set_limit` was exceeded.
pub const NPYIO_ERR_LIMIT: npyio_status = -11;
/// The destination buffer is too small.
pub const NPYIO_ERR_BUFFER_TOO_SMALL: npyio_status = -12;
/// An argument is out of range (unknown flag or enum value, bad row range, ...).
pub const NPYIO_ERR_INVALID_ARG: npyio_status = -13;
/// The data supplied does not match the shape and dtype in size.
pub const NPYIO_ERR_SIZE_MISMATCH: npyio_status = -14;
/// Header text is not valid in its encoding (UTF-8 for format 3.0).
pub const NPYIO_ERR_ENCODING: npyio_status = -15;
/// Memory allocation failed.
pub const NPYIO_ERR_ALLOC: npyio_status = -16;
/// Malformed zip container (.npz).
pub const NPYIO_ERR_ZIP: npyio_status = -17;
/// CRC-32 mismatch (.npz member).
pub const NPYIO_ERR_CRC: npyio_status = -18;
/// Valid but unsupported feature (compression method, encryption, ...).
pub const NPYIO_ERR_UNSUPPORTED: npyio_status = -19;
/// A named member or item does not exist.
pub const NPYIO_ERR_NOT_FOUND: npyio_status = -20;
/// The object cannot be memory-mapped.
pub const NPYIO_ERR_NOT_MAPPABLE: npyio_status = -21;
/// A text table could not be parsed.
pub const NPYIO_ERR_PARSE: npyio_status = -22;
/// The operation is not valid in the handle's current state.
pub const NPYIO_ERR_STATE: npyio_status = -23;

/// Read flag for `npy_read_into` / `npy_read_rows`: convert every multi-byte
/// scalar (record fields, complex halves and `U` code units included) to the
/// host byte order.
pub const NPYIO_READ_NATIVE: u32 = 1;
/// Read flag: return C-order (row-major) data for a Fortran-order array.
pub const NPYIO_READ_C_ORDER: u32 = 2;

/// Save flag for `npy_save_ex` / `npy_writer_create_ex`: fsync the file and
/// its directory before the save returns.
pub const NPYIO_SAVE_FSYNC: u32 = 1;

/// Limit for `npyio_set_limit`: largest .npy header length accepted, in
/// bytes (default 16 MiB; NumPy itself refuses more than 10000 by default).
pub const NPYIO_LIMIT_HEADER_LEN: i32 = 0;
/// Limit: most members an .npz archive may have (default 1000000).
pub const NPYIO_LIMIT_NPZ_MEMBERS: i32 = 1;
/// Limit: largest uncompressed .npz member in bytes (default 2^62).
pub const NPYIO_LIMIT_NPZ_MEMBER_SIZE: i32 = 2;

/// Map mode for `npy_mmap`, passed as an integer.
pub type npy_mmap_mode = i32;
/// `mmap_mode='r'`: read-only; `npy_data_mut` returns NULL.
pub const NPY_MMAP_READ: npy_mmap_mode = 0;
/// `mmap_mode='r+'`: writes through `npy_data_mut` reach the file.
pub const NPY_MMAP_READ_WRITE: npy_mmap_mode = 1;
/// `mmap_mode='c'`: copy-on-write; writes stay in memory, never reach the file.
pub const NPY_MMAP_COPY_ON_WRITE: npy_mmap_mode = 2;
/// `mode='w+'` for `npy_mmap_raw`: create (or replace) the file, zeroed.
pub const NPY_MMAP_CREATE: npy_mmap_mode = 3;

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

fn set_last_error(msg: &str) {
    let c = CString::new(msg.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|l| *l.borrow_mut() = c);
}

thread_local! {
    /// How many library calls this thread is inside (calls may nest).
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

/// Install, once per process, a panic hook that prints nothing for panics
/// inside the library (they are caught at the boundary and reported as
/// `NPYIO_ERR_PANIC` with their message in `npyio_last_error`) and hands
/// every other panic to the hook that was installed before (by default,
/// Rust's, which prints the message). A hook the program installs later
/// replaces this one, as Rust's hooks do.
fn install_quiet_panic_hook() {
    static ONCE: Once = Once::new();
    // Hooks cannot be changed while this thread unwinds; try next time.
    if ONCE.is_completed() || std::thread::panicking() {
        return;
    }
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if INSIDE.try_with(|n| n.get() == 0).unwrap_or(true) {
                previous(info);
            }
        }));
    });
}

/// Run `f` inside the library's boundary: a panic is caught, and the panic
/// hook stays silent about it.
pub(crate) fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    struct Inside;
    impl Drop for Inside {
        fn drop(&mut self) {
            let _ = INSIDE.try_with(|n| n.set(n.get().saturating_sub(1)));
        }
    }
    install_quiet_panic_hook();
    let _ = INSIDE.try_with(|n| n.set(n.get() + 1));
    let _inside = Inside;
    catch_unwind(AssertUnwindSafe(f))
}

/// Run an exported body: errors become status codes and messages, panics
/// become `NPYIO_ERR_PANIC` (silently: see [`quietly`]).
pub(crate) fn guard(f: impl FnOnce() -> Result<()>) -> npyio_status {
    match quietly(f) {
        Ok(Ok(())) => NPYIO_OK,
        Ok(Err(e)) => {
            set_last_error(e.message());
            e.code()
        }
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            set_last_error(&format!("internal error (panic): {what}"));
            NPYIO_ERR_PANIC
        }
    }
}

/// Run a getter that cannot fail; a panic yields `fallback`.
pub(crate) fn getter<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    quietly(f).unwrap_or(fallback)
}

/// Make a panic inside the library's boundary, through [`guard`] (or
/// [`getter`] with `getter == true`), and return what the caller gets:
/// `NPYIO_ERR_PANIC` (or -1 from the getter). Only for tests of the
/// boundary (no library function is known to panic); not part of the API.
#[doc(hidden)]
pub fn __boundary_panic_for_tests(getter_path: bool) -> npyio_status {
    if getter_path {
        return getter(-1, || -> npyio_status {
            panic!("deliberate panic in a getter")
        });
    }
    guard(|| -> Result<()> { panic!("deliberate panic inside the library") })
}

/// A shared reference from a pointer argument, or `NullArg` naming it.
pub(crate) unsafe fn arg<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    p.as_ref()
        .ok_or_else(|| err!(NullArg, "argument '{name}' is NULL"))
}

/// A mutable reference from a pointer argument, or `NullArg` naming it.
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    p.as_mut()
        .ok_or_else(|| err!(NullArg, "argument '{name}' is NULL"))
}

/// Check an out-pointer argument.
pub(crate) fn out_arg<T>(p: *mut *mut T, name: &str) -> Result<()> {
    if p.is_null() {
        return Err(err!(NullArg, "argument '{name}' is NULL"));
    }
    Ok(())
}

/// A borrowed byte slice from (pointer, length); NULL is allowed for length 0.
pub(crate) unsafe fn bytes_arg<'a>(p: *const u8, len: usize, name: &str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(err!(NullArg, "argument '{name}' is NULL with length {len}"));
    }
    Ok(std::slice::from_raw_parts(p, len))
}

/// A mutable borrowed byte slice from (pointer, length); NULL is allowed for length 0.
pub(crate) unsafe fn bytes_arg_mut<'a>(p: *mut u8, len: usize, name: &str) -> Result<&'a mut [u8]> {
    if len == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(err!(NullArg, "argument '{name}' is NULL with length {len}"));
    }
    Ok(std::slice::from_raw_parts_mut(p, len))
}

/// A shape from (ndim, pointer); NULL is allowed for ndim 0.
pub(crate) unsafe fn shape_arg<'a>(ndim: usize, shape: *const u64) -> Result<&'a [u64]> {
    if ndim == 0 {
        return Ok(&[]);
    }
    if shape.is_null() {
        return Err(err!(NullArg, "argument 'shape' is NULL with ndim {ndim}"));
    }
    if ndim > crate::header::MAX_NDIM {
        return Err(err!(
            InvalidArg,
            "ndim {ndim} exceeds NumPy's maximum of {}",
            crate::header::MAX_NDIM
        ));
    }
    Ok(std::slice::from_raw_parts(shape, ndim))
}

/// A path from a C string.
pub(crate) unsafe fn path_arg<'a>(p: *const c_char) -> Result<&'a std::path::Path> {
    use std::os::unix::ffi::OsStrExt;
    if p.is_null() {
        return Err(err!(NullArg, "argument 'path' is NULL"));
    }
    let bytes = CStr::from_ptr(p).to_bytes();
    if bytes.is_empty() {
        return Err(err!(InvalidArg, "argument 'path' is empty"));
    }
    Ok(std::path::Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

/// Store a boxed handle into an out-pointer.
pub(crate) fn give<T>(out: *mut *mut T, v: T) {
    // SAFETY: callers checked `out` with `out_arg` first.
    unsafe { *out = Box::into_raw(Box::new(v)) }
}

/// A static, human-readable description of a status code ("ok" for 0,
/// "unknown status code" for codes libnpyio never returns). Never NULL; the
/// string lives for the whole program. Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_status_str(code: i32) -> *const c_char {
    static STRS: OnceLock<Vec<CString>> = OnceLock::new();
    let strs = STRS.get_or_init(|| {
        Status::ALL
            .iter()
            .map(|s| CString::new(s.as_str()).unwrap_or_default())
            .collect()
    });
    match Status::ALL.iter().position(|s| *s as i32 == code) {
        Some(i) => strs[i].as_ptr(),
        None => c"unknown status code".as_ptr(),
    }
}

/// Copy this thread's last error message into `buf` (NUL-terminated,
/// truncated to `cap - 1` bytes) and return the message's full length in
/// bytes, excluding the NUL. With `buf` NULL or `cap` 0 nothing is copied
/// and only the length is returned, so a caller can size a buffer. The
/// message is set by every function that returns an error status and names
/// the file and the problem (e.g. `w.npy: header: missing key 'shape'`);
/// successful calls leave it unchanged. Thread-safe: each thread has its own.
///
/// # Safety
/// `buf` must be NULL or point to `cap` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn npyio_last_error(buf: *mut c_char, cap: usize) -> usize {
    getter(0, || {
        LAST_ERROR.with(|l| {
            let l = l.borrow();
            let b = l.as_bytes();
            if !buf.is_null() && cap > 0 {
                let n = b.len().min(cap - 1);
                std::ptr::copy_nonoverlapping(b.as_ptr(), buf as *mut u8, n);
                *buf.add(n) = 0;
            }
            b.len()
        })
    })
}

/// The library version as a static string, e.g. "0.1.0". Never NULL.
#[no_mangle]
pub extern "C" fn npyio_version() -> *const c_char {
    static V: OnceLock<CString> = OnceLock::new();
    V.get_or_init(|| CString::new(crate::VERSION).unwrap_or_default())
        .as_ptr()
}

/// Set a process-wide limit (`NPYIO_LIMIT_*`); 0 restores the default.
/// Limits are read when a file is opened, so a change affects later opens
/// only. Returns `NPYIO_ERR_INVALID_ARG` for an unknown limit. Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_set_limit(which: i32, value: u64) -> npyio_status {
    guard(|| {
        let l = Limit::from_code(which).ok_or_else(|| err!(InvalidArg, "unknown limit {which}"))?;
        l.set(value);
        Ok(())
    })
}

/// The current value of a limit (`NPYIO_LIMIT_*`), or 0 for an unknown one.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_get_limit(which: i32) -> u64 {
    Limit::from_code(which).map(|l| l.get()).unwrap_or(0)
}

impl From<Error> for npyio_status {
    fn from(e: Error) -> npyio_status {
        e.code()
    }
}
