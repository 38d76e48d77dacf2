//! Library-wide functions: status descriptions, this thread's last error,
//! the version, and limits.

use super::boundary::{getter, getter_or, last_errno, status, with_last_error};
use super::codes::{self, npyio_status};
use crate::Status;
use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

/// A static, human-readable description of a status code ("ok" for 0,
/// "unknown status code" for codes libnpyio never returns). Never NULL; the
/// string lives for the whole program. Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_status_str(code: i32) -> *const c_char {
    const UNKNOWN: &CStr = c"unknown status code";
    static STRS: OnceLock<Vec<CString>> = OnceLock::new();
    getter_or(UNKNOWN.as_ptr(), || {
        let strs = STRS.get_or_init(|| {
            Status::ALL
                .iter()
                .map(|s| CString::new(s.as_str()).unwrap_or_default())
                .collect()
        });
        let i = Status::ALL.iter().position(|s| *s as i32 == code)?;
        Some(strs[i].as_ptr())
    })
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
    getter(|| {
        Some(with_last_error(|msg| {
            if !buf.is_null() && cap > 0 {
                let n = msg.len().min(cap - 1);
                std::ptr::copy_nonoverlapping(msg.as_ptr(), buf as *mut u8, n);
                *buf.add(n) = 0;
            }
            msg.len()
        }))
    })
}

/// The operating system's error number (`errno`, e.g. `ENOENT`, `EACCES`)
/// behind this thread's last failure, or 0 when that failure had none (a
/// malformed file, a bad argument, ...) or no call has failed yet. Set by
/// every function that returns an error status, together with the message
/// of `npyio_last_error`; successful calls leave it unchanged. A missing
/// file gives `NPYIO_ERR_NOT_FOUND` with `ENOENT` (or `ENOTDIR`); other
/// operating-system failures `NPYIO_ERR_IO` with their number.
///
/// Ownership: nothing is passed or returned but the number.
///
/// NULL: takes no pointers.
///
/// Errors: none; it reports on the last failure, it does not fail.
///
/// Threads: thread-safe; each thread has its own number, as it has its own
/// message.
#[no_mangle]
pub extern "C" fn npyio_last_errno() -> i32 {
    getter_or(0, || Some(last_errno()))
}

/// The library version as a static string, e.g. "0.1.0". Never NULL.
#[no_mangle]
pub extern "C" fn npyio_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the version has a NUL byte"),
        };
    getter_or(VERSION.as_ptr(), || Some(VERSION.as_ptr()))
}

/// Set a process-wide limit (`NPYIO_LIMIT_*`); 0 restores the default.
/// Limits are read when a file is opened, so a change affects later opens
/// only. Returns `NPYIO_ERR_INVALID_ARG` for an unknown limit. Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_set_limit(which: i32, value: u64) -> npyio_status {
    status(|| {
        codes::limit(which)?.set(value);
        Ok(())
    })
}

/// The current value of a limit (`NPYIO_LIMIT_*`), or 0 for an unknown one.
/// Thread-safe.
#[no_mangle]
pub extern "C" fn npyio_get_limit(which: i32) -> u64 {
    getter(|| Some(codes::limit(which).ok()?.get()))
}
