//! Column converters from C: `npyio_text_converter`, a callback and its
//! context, turned into the Rust API's [`Converters`] for `npy_loadtxt`
//! and `npy_genfromtxt`.

use crate::error::Result;
use crate::text::{Converted, Converter, ConverterColumn, Converters};
use crate::{bail, err};
use std::ffi::{c_char, c_void};
use std::sync::Arc;

/// `column` of an `npyio_text_converter` that applies it to every column
/// (NumPy's `converters=func`).
/// \ingroup npyio_text
pub const NPYIO_ALL_COLUMNS: i64 = i64::MIN;

/// What a converter returns when it wrote the value.
/// \ingroup npyio_text
pub const NPYIO_CONVERT_OK: i32 = 0;

/// What a converter returns when the text is not a value (NumPy's
/// `ValueError`): `npy_genfromtxt` then uses the filling value (`loose`),
/// or fails unless the field is a missing value; `npy_loadtxt` fails.
/// Any other non-zero return is a hard failure: the load stops.
/// \ingroup npyio_text
pub const NPYIO_CONVERT_INVALID: i32 = 1;

/// A column converter (NumPy's `converters`), given in the `converters`
/// array of `npyio_loadtxt_options` or `npyio_genfromtxt_options`.
///
/// `convert(ctx, field, len, out, out_len)` receives the field's text
/// (`len` bytes of UTF-8, not NUL-terminated) and writes the value into
/// `out`: `out_len` bytes, the column's dtype (the field's dtype for a
/// structured result) in that dtype's byte order, zeroed before the call.
/// It returns `NPYIO_CONVERT_OK`, `NPYIO_CONVERT_INVALID`, or any other
/// value for a failure; a load that fails says the file, the line, the
/// column and the field's text.
///
/// The text is what NumPy hands its converters. `npy_loadtxt`: the field
/// after quote handling (quotes removed, `""` made `"`), not stripped
/// (with a delimiter, `" 1 "` arrives as is). `npy_genfromtxt`: the field
/// as split, stripped only with `autostrip`; missing fields are passed
/// too (an empty field has `len` 0; the mask still marks them).
///
/// Ownership: `field` and `out` are valid during the call only; keep
/// no pointer to them. `ctx` is the caller's, passed as is; it must stay
/// valid during the load.
///
/// Threads: with the options' `threads` other than 1, `convert` is called
/// from several threads at once and not in row order; it must be safe to
/// call so (or set `threads` to 1: every call is then made on the thread
/// that called the load, in row order).
///
/// \ingroup npyio_text
#[repr(C)]
#[derive(Clone, Copy)]
pub struct npyio_text_converter {
    /// The file column it converts (negative from the end of the row);
    /// with `usecols`, an entry of `usecols` as given (a converter for a
    /// column not used is ignored, as NumPy ignores it). Or
    /// `NPYIO_ALL_COLUMNS`. Later entries win over earlier ones for a
    /// column, and a column's own converter over an all-columns one.
    pub column: i64,
    /// The converter; must not be NULL.
    pub convert: Option<
        unsafe extern "C" fn(
            ctx: *mut c_void,
            field: *const c_char,
            len: usize,
            out: *mut c_void,
            out_len: usize,
        ) -> i32,
    >,
    /// The caller's context, passed to `convert`.
    pub ctx: *mut c_void,
}

/// One C converter as a Rust closure.
struct CConverter {
    f: unsafe extern "C" fn(*mut c_void, *const c_char, usize, *mut c_void, usize) -> i32,
    ctx: *mut c_void,
}

// SAFETY: the context is only handed back to the caller's callback, which
// the caller documents to be callable from the load's threads (see
// `npyio_text_converter`'s Threads paragraph).
unsafe impl Send for CConverter {}
unsafe impl Sync for CConverter {}

impl CConverter {
    fn call(&self, field: &[u8], out: &mut [u8]) -> Converted {
        // SAFETY: both pointers are valid for their lengths during the
        // call, as the callback's contract says.
        let r = unsafe {
            (self.f)(
                self.ctx,
                field.as_ptr() as *const c_char,
                field.len(),
                out.as_mut_ptr() as *mut c_void,
                out.len(),
            )
        };
        match r {
            NPYIO_CONVERT_OK => Converted::Stored,
            NPYIO_CONVERT_INVALID => Converted::Invalid,
            _ => Converted::Failed,
        }
    }
}

/// The converters of an options struct: `n` entries at `p`.
///
/// Safety: `p` must be NULL (with `n` 0) or point to `n` readable entries.
pub(super) unsafe fn converters(p: *const npyio_text_converter, n: usize) -> Result<Converters> {
    if n == 0 {
        return Ok(Converters::default());
    }
    if p.is_null() {
        bail!(NullArg, "option 'converters' is NULL with {n} entries");
    }
    if n > 1 << 20 {
        bail!(InvalidArg, "option 'converters' has too many entries ({n})");
    }
    let mut v = Vec::with_capacity(n);
    for (i, c) in std::slice::from_raw_parts(p, n).iter().enumerate() {
        let f = c
            .convert
            .ok_or_else(|| err!(NullArg, "option 'converters': entry {i} has a NULL convert"))?;
        let cc = CConverter { f, ctx: c.ctx };
        v.push(Converter {
            column: if c.column == NPYIO_ALL_COLUMNS {
                ConverterColumn::All
            } else {
                ConverterColumn::Index(c.column)
            },
            func: Arc::new(move |field: &[u8], out: &mut [u8]| cc.call(field, out)),
        });
    }
    Ok(Converters(v))
}
