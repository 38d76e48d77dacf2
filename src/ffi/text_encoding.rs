//! The `encoding` field of the text option structs.

use super::args::opt_utf8;
use crate::bail;
use crate::error::Result;
use crate::text::Encoding;
use std::ffi::c_char;

/// The encoding named by `p` (NULL or empty: UTF-8); `reading`: `bytes`
/// is accepted (loadtxt and genfromtxt), else it is refused as Python's
/// codecs refuse it.
///
/// Safety: `p` is NULL or a NUL-terminated string.
pub(super) unsafe fn encoding_arg(p: *const c_char, reading: bool) -> Result<Encoding> {
    let Some(name) = opt_utf8(p, format_args!("option 'encoding'"))? else {
        return Ok(Encoding::Utf8);
    };
    if name.is_empty() {
        return Ok(Encoding::Utf8);
    }
    let e = Encoding::from_name(name)?;
    if e == Encoding::Bytes && !reading {
        bail!(
            InvalidArg,
            "unknown encoding \"{name}\" for writing (\"bytes\" is only for reading)"
        );
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::super::text_options::{
        npyio_genfromtxt_options, npyio_loadtxt_options, npyio_savetxt_options,
    };
    use super::*;
    use std::mem::offset_of;

    /// The field comes after the first published version of each struct,
    /// whose sizes stay accepted.
    #[test]
    fn encoding_follows_the_first_versions() {
        assert_eq!(offset_of!(npyio_savetxt_options, encoding), 80);
        assert_eq!(offset_of!(npyio_loadtxt_options, encoding), 96);
        assert_eq!(offset_of!(npyio_genfromtxt_options, encoding), 200);
    }

    #[test]
    fn names_and_errors() {
        let e = |s: &std::ffi::CStr, r| unsafe { encoding_arg(s.as_ptr(), r) };
        assert_eq!(e(c"UTF-16LE", true), Ok(Encoding::Utf16Le));
        assert_eq!(e(c"", false), Ok(Encoding::Utf8));
        assert_eq!(
            unsafe { encoding_arg(std::ptr::null(), false) },
            Ok(Encoding::Utf8)
        );
        assert_eq!(e(c"bytes", true), Ok(Encoding::Bytes));
        let w = e(c"bytes", false).unwrap_err();
        assert_eq!(w.status(), crate::Status::InvalidArg);
        assert!(w.message().contains("\"bytes\""), "{}", w.message());
        let u = e(c"cp1252", true).unwrap_err();
        assert_eq!(u.status(), crate::Status::InvalidArg);
        assert!(u.message().contains("\"cp1252\""), "{}", u.message());
    }
}
