//! The one boundary every exported body runs inside.
//!
//! - [`status`], for functions that return `npyio_status`: an error becomes
//!   its status code and this thread's message for `npyio_last_error` (in
//!   the C layer's words: see [`c_message`]); a panic becomes
//!   `NPYIO_ERR_PANIC`.
//! - [`getter`] and [`getter_or`], for functions that return a value: a
//!   NULL handle, an index out of range or a panic give the getter's
//!   documented neutral value.
//! - [`new_handle`], for functions that make a handle: as [`status`], and
//!   the handle goes to `*out` only on success.
//! - [`close`], for close and free functions: NULL is fine; a panic in a
//!   destructor is swallowed.
//!
//! No panic unwinds into C, and the panic hook says nothing about the
//! panics caught here (see [`quietly`]).

use super::args::Out;
use super::codes::{self, npyio_status, NPYIO_ERR_PANIC, NPYIO_OK};
use super::handle::Owned;
use crate::error::{Detail, Error, Result};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// This thread's last error message, for `npyio_last_error`.
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
    /// The OS error number of this thread's last failure (0: none), for
    /// `npyio_last_errno`.
    static LAST_ERRNO: Cell<i32> = const { Cell::new(0) };
    /// How many library calls this thread is inside (calls may nest).
    static INSIDE: Cell<u32> = const { Cell::new(0) };
}

fn set_last_error(msg: &str, errno: i32) {
    let c = CString::new(msg.replace('\0', "\\0")).unwrap_or_default();
    LAST_ERROR.with(|l| *l.borrow_mut() = c);
    LAST_ERRNO.with(|n| n.set(errno));
}

/// This thread's last failure's OS error number (0 when it had none).
pub(crate) fn last_errno() -> i32 {
    LAST_ERRNO.with(|n| n.get())
}

/// Run `f` with this thread's last error message (without its NUL).
pub(crate) fn with_last_error<R>(f: impl FnOnce(&[u8]) -> R) -> R {
    LAST_ERROR.with(|l| f(l.borrow().as_bytes()))
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
fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
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

/// Run the body of a function that returns a status: errors become status
/// codes and messages, panics `NPYIO_ERR_PANIC` (silently: see
/// [`quietly`]).
pub(crate) fn status(f: impl FnOnce() -> Result<()>) -> npyio_status {
    match quietly(f) {
        Ok(Ok(())) => NPYIO_OK,
        Ok(Err(e)) => {
            set_last_error(&c_message(&e), e.os_error());
            e.code()
        }
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            set_last_error(&format!("internal error (panic): {what}"), 0);
            NPYIO_ERR_PANIC
        }
    }
}

/// The message C callers see: where the Rust API's message ends with the
/// hint of a [`Detail`] (naming Rust functions), the C functions and
/// constants that do the same are named instead.
fn c_message(e: &Error) -> Cow<'_, str> {
    let msg = e.message();
    let Some(detail) = e.detail() else {
        return msg.into();
    };
    let c_hint = match detail {
        Detail::Limit(l) => format!(
            " (npyio_set_limit({}, ...) raises it)",
            codes::limit_name(l)
        ),
        Detail::NotAnArray => "; read its bytes with npz_read_raw".into(),
        Detail::CompressedMember => " (open it with npz_open_member)".into(),
        Detail::NeedsRegularFile => " (use npy_loadtxt, then npy_save)".into(),
    };
    match msg.strip_suffix(detail.hint().as_str()) {
        Some(base) => format!("{base}{c_hint}").into(),
        None => msg.into(),
    }
}

/// Run the body of a function that makes a handle: `out` is checked for
/// NULL first, then `*out` receives what `make` returns, or is left as it
/// was if `make` fails.
///
/// Safety: `out` must be NULL or valid for writing a pointer.
pub(crate) unsafe fn new_handle<H: Owned, T: Into<H>>(
    out: *mut *mut H,
    make: impl FnOnce() -> Result<T>,
) -> npyio_status {
    status(|| {
        let out = Out::new(out, "out")?;
        out.put_handle(make()?.into());
        Ok(())
    })
}

/// A getter's neutral value: what it returns for a NULL handle, an index
/// out of range, or a panic. Each getter's documentation states it.
pub(crate) trait Neutral {
    /// The value.
    const NEUTRAL: Self;
}

macro_rules! neutral_zero {
    ($($t:ty),*) => { $(impl Neutral for $t { const NEUTRAL: Self = 0; })* };
}
neutral_zero!(usize, u64, u32, c_char);

impl Neutral for bool {
    const NEUTRAL: Self = false;
}
impl<T> Neutral for *const T {
    const NEUTRAL: Self = std::ptr::null();
}
impl<T> Neutral for *mut T {
    const NEUTRAL: Self = std::ptr::null_mut();
}

/// Run the body of a getter: `None` (a NULL handle, an index out of
/// range) and a panic give `T`'s neutral value.
pub(crate) fn getter<T: Neutral>(f: impl FnOnce() -> Option<T>) -> T {
    getter_or(T::NEUTRAL, f)
}

/// [`getter`] with a neutral value of its own (e.g. -1 for a code whose 0
/// means something).
pub(crate) fn getter_or<T>(neutral: T, f: impl FnOnce() -> Option<T>) -> T {
    quietly(f).ok().flatten().unwrap_or(neutral)
}

/// Run the body of a close or free function: free the handle, if not NULL.
///
/// Safety: `p` must be NULL or a handle of this type not yet freed.
pub(crate) unsafe fn close<H: Owned>(p: *mut H) {
    // SAFETY: as the caller promises.
    let _ = quietly(|| H::free(p));
}

/// Make a panic inside the library's boundary, through [`status`] (or
/// [`getter_or`] with `getter == true`), and return what the caller gets:
/// `NPYIO_ERR_PANIC` (or -1 from the getter). Only for tests of the
/// boundary (no library function is known to panic); not part of the API.
#[doc(hidden)]
pub fn __boundary_panic_for_tests(getter_path: bool) -> npyio_status {
    if getter_path {
        return getter_or(-1, || -> Option<npyio_status> {
            panic!("deliberate panic in a getter")
        });
    }
    status(|| -> Result<()> { panic!("deliberate panic inside the library") })
}
