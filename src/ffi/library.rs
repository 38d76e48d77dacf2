//! Library-wide functions: status descriptions, this thread's last error,
//! the version, and limits.

use super::boundary::{getter, getter_or, last_errno, status, with_last_error};
use super::codes::{self, npyio_status};
use crate::Status;
use std::ffi::{c_char, CStr, CString};
use std::sync::OnceLock;

/// A short, static description of a status code: "ok" for `NPYIO_OK`,
/// e.g. "I/O error" for `NPYIO_ERR_IO`, and "unknown status code" for a
/// code libnpyio never returns. For the message of an actual failure (which
/// names the file and the problem) use `npyio_last_error`.
///
/// Ownership: the string is the library's and lives until the program
/// ends; never free or modify it.
///
/// NULL: never returns NULL.
///
/// Errors: none (any `code` is accepted).
///
/// Threads: may be called from any thread at any time.
///
/// \ingroup npyio_basics
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

/// Copy this thread's last error message into `buf` and return the
/// message's full length in bytes, not counting the NUL. The message is set
/// by every function that returns an error status and names the file and
/// the problem (e.g. `w.npy: header: missing key 'shape'`); successful
/// calls leave it unchanged, so read it right after the failing call. The
/// copy is NUL-terminated and cut to `cap - 1` bytes; a return value of
/// `cap` or more means it was cut. Before any failure the message is empty
/// (length 0).
///
/// Ownership: `buf` is the caller's; `cap` bytes at `buf` must be writable.
/// Nothing is kept after the call.
///
/// NULL: with `buf` NULL (or `cap` 0) nothing is copied and only the length
/// is returned, so a caller can size a buffer (length + 1 bytes).
///
/// Errors: none (returns a length, not a status).
///
/// Threads: each thread has its own last message; the call reads only the
/// calling thread's.
///
/// \ingroup npyio_basics
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
///
/// \ingroup npyio_basics
#[no_mangle]
pub extern "C" fn npyio_last_errno() -> i32 {
    getter_or(0, || Some(last_errno()))
}

/// The version of the library actually loaded, as a static string such as
/// "0.1.0" (major.minor.patch). Compare it with `NPYIO_VERSION_MAJOR`,
/// `NPYIO_VERSION_MINOR` and `NPYIO_VERSION_PATCH`, the version of the
/// header the program was compiled with.
///
/// Ownership: the string is the library's and lives until the program
/// ends; never free or modify it.
///
/// NULL: never returns NULL.
///
/// Errors: none.
///
/// Threads: may be called from any thread at any time.
///
/// \ingroup npyio_basics
#[no_mangle]
pub extern "C" fn npyio_version() -> *const c_char {
    const VERSION: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => panic!("the version has a NUL byte"),
        };
    getter_or(VERSION.as_ptr(), || Some(VERSION.as_ptr()))
}

/// Set a process-wide limit (`which` is one of the `NPYIO_LIMIT_*`
/// constants) to `value`; 0 restores the limit's default. Limits bound what
/// hostile files can make the library do; a file beyond a limit is refused
/// with `NPYIO_ERR_LIMIT`. They are read when a file, archive or member is
/// opened, so a change affects later opens only (`NPYIO_LIMIT_READ_THREADS`,
/// the threads of one big read, is read when each read starts).
///
/// Ownership: nothing is passed by pointer.
///
/// NULL: no pointer arguments.
///
/// Errors:
/// - `NPYIO_ERR_INVALID_ARG` (-13): `which` is not an `NPYIO_LIMIT_*` value.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread; an open running at the same
/// time in another thread may see the old value or the new one.
///
/// \ingroup npyio_basics
#[no_mangle]
pub extern "C" fn npyio_set_limit(which: i32, value: u64) -> npyio_status {
    status(|| {
        codes::limit(which)?.set(value);
        Ok(())
    })
}

/// The current value of a limit (`which` is one of the `NPYIO_LIMIT_*`
/// constants): the value set with `npyio_set_limit`, or the default if none
/// was set (or 0 was).
///
/// Ownership: nothing is passed by pointer.
///
/// NULL: no pointer arguments.
///
/// Errors: none; returns 0 when `which` is not an `NPYIO_LIMIT_*` value (no
/// limit is ever 0).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_basics
#[no_mangle]
pub extern "C" fn npyio_get_limit(which: i32) -> u64 {
    getter(|| Some(codes::limit(which).ok()?.get()))
}
