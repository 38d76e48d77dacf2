//! Handles: the library's objects as C holds them, by pointer only.
//!
//! Each C type (`npy_file`, `npy_writer`, `npz_file`, `npz_writer`,
//! `npyio_dtype`) is a Rust struct that cbindgen declares opaque
//! (`typedef struct npy_file npy_file;`). [`Handle`] turns a pointer
//! argument into a reference; [`Owned`] marks the handles C owns, which are
//! made from a `Box` and freed by their type's one close function. Since
//! `free`, `take` and [`Out::put_handle`](super::args::Out::put_handle)
//! exist only for `Owned` types and are typed by the handle, a handle
//! cannot be freed as another type, and a borrowed one (the `npyio_dtype`
//! that `npy_dtype` returns points into its `npy_file`) is never made or
//! freed through them.

use super::args::{bytes, null_arg};
use super::boundary::status;
use super::codes::npyio_status;
use crate::error::Result;
use std::ffi::c_void;

/// A type C code holds only by pointer.
pub(crate) trait Handle: Sized {
    /// The handle behind a pointer argument; NULL is `NPYIO_ERR_NULL_ARG`
    /// naming the argument.
    ///
    /// Safety: `p` must be NULL or a live handle of this type, not written to by
    /// another thread during `'a`.
    unsafe fn arg<'a>(p: *const Self, name: &str) -> Result<&'a Self> {
        // SAFETY: as the caller promises.
        p.as_ref().ok_or_else(|| null_arg(name))
    }

    /// [`arg`](Self::arg), for functions that change the handle.
    ///
    /// Safety: `p` must be NULL or a live handle of this type that no one else
    /// uses during `'a`.
    unsafe fn arg_mut<'a>(p: *mut Self, name: &str) -> Result<&'a mut Self> {
        // SAFETY: as the caller promises.
        p.as_mut().ok_or_else(|| null_arg(name))
    }

    /// The handle for a getter, which answers NULL with its neutral value.
    ///
    /// Safety: as [`arg`](Self::arg).
    unsafe fn peek<'a>(p: *const Self) -> Option<&'a Self> {
        // SAFETY: as the caller promises.
        p.as_ref()
    }
}

/// A handle C owns: made from a `Box`, freed exactly once by its type's
/// close (or finish) function.
pub(crate) trait Owned: Handle {
    /// Box the value and give up ownership, for C.
    fn into_raw(self) -> *mut Self {
        Box::into_raw(Box::new(self))
    }

    /// Take ownership back from C (a finish function); NULL is
    /// `NPYIO_ERR_NULL_ARG` naming the argument.
    ///
    /// Safety: `p` must be NULL or a handle of this type from
    /// [`into_raw`](Self::into_raw) not yet taken or freed.
    unsafe fn take(p: *mut Self, name: &str) -> Result<Box<Self>> {
        if p.is_null() {
            return Err(null_arg(name));
        }
        // SAFETY: as the caller promises.
        Ok(Box::from_raw(p))
    }

    /// Free a handle (a close function); NULL is fine.
    ///
    /// Safety: as [`take`](Self::take).
    unsafe fn free(p: *mut Self) {
        if !p.is_null() {
            // SAFETY: as the caller promises.
            drop(Box::from_raw(p));
        }
    }
}

/// A handle that data is written to in pieces and that is finished once
/// (`npy_writer`, `npz_writer`).
pub(crate) trait Writer: Owned {
    /// Append data.
    fn write(&mut self, data: &[u8]) -> Result<()>;
    /// Complete the file and commit it.
    fn finish(self) -> Result<()>;
}

/// The handle traits of a writer handle: the C type `$c`, whose field `w`
/// holds the Rust writer `$rust` (which has `write` and `finish`).
macro_rules! writer_handle {
    ($c:ident, $rust:ty) => {
        impl From<$rust> for $c {
            fn from(w: $rust) -> $c {
                $c { w }
            }
        }
        impl $crate::ffi::handle::Handle for $c {}
        impl $crate::ffi::handle::Owned for $c {}
        impl $crate::ffi::handle::Writer for $c {
            fn write(&mut self, data: &[u8]) -> $crate::Result<()> {
                self.w.write(data)
            }
            fn finish(self) -> $crate::Result<()> {
                self.w.finish()
            }
        }
    };
}
pub(crate) use writer_handle;

/// The body of a writer's write function: append `len` bytes at `data`.
///
/// Safety: `w` must be NULL or a live writer no one else uses; `data` NULL or
/// `len` readable bytes.
pub(crate) unsafe fn write<W: Writer>(w: *mut W, data: *const c_void, len: usize) -> npyio_status {
    status(|| W::arg_mut(w, "w")?.write(bytes(data, len, "data")?))
}

/// The body of a writer's finish function: finish and free the writer,
/// whatever the result.
///
/// Safety: `w` must be NULL or a writer not yet finished or freed.
pub(crate) unsafe fn finish<W: Writer>(w: *mut W) -> npyio_status {
    status(|| W::take(w, "w")?.finish())
}
