//! One error type for the whole library.
//!
//! Every error carries a status and a message that names what was wrong
//! (and, once the path is known, the file). Each [`Status`] is one stable C
//! status code ([`Error::code`]); codes are never renumbered. Some errors
//! also carry a [`Detail`]: a fact a caller may act on (which limit was
//! exceeded, ...), which the C layer uses to name its own functions in the
//! message.

use crate::limits::Limit;
use std::fmt;

/// Defines [`Status`] from one table: each code's name, number and short
/// description, so the enum, [`Status::ALL`] and [`Status::as_str`] cannot
/// disagree.
macro_rules! statuses {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal => $text:literal, )*) => {
        /// Stable status codes, as the C API returns them.
        ///
        /// `Ok` is 0, errors are negative. A code, once published, keeps its
        /// number and meaning forever; new codes are appended.
        #[repr(i32)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Status {
            $( $(#[doc = $doc])* $name = $code, )*
        }

        impl Status {
            /// All codes, in numeric order from 0 downwards.
            pub const ALL: [Status; [$($code),*].len()] = [$(Status::$name),*];

            /// A short, static description of the code.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Status::$name => $text, )*
                }
            }
        }
    };
}

statuses! {
    /// Success.
    Ok = 0 => "ok",
    /// A required pointer argument was NULL.
    NullArg = -1 => "a required pointer argument is NULL",
    /// A panic was caught at the C boundary (a bug in libnpyio).
    Panic = -2 => "internal error (panic caught at the C boundary)",
    /// An operating-system I/O error (open, read, write, rename, ...).
    Io = -3 => "I/O error",
    /// The file does not start with the `\x93NUMPY` magic.
    BadMagic = -4 => "not a NumPy .npy file (bad magic)",
    /// The format version is not 1.0, 2.0 or 3.0.
    UnsupportedVersion = -5 => "unsupported .npy format version",
    /// The header is not a well-formed NumPy header dictionary.
    BadHeader = -6 => "malformed .npy header",
    /// The dtype descriptor is not one libnpyio understands.
    BadDtype = -7 => "unsupported or malformed dtype descriptor",
    /// The dtype is or contains Python objects (would need pickle).
    ObjectDtype = -8 => "object dtype (would require pickle)",
    /// A size computed from the header overflows 64 bits (or the address space).
    Overflow = -9 => "size overflows 64 bits",
    /// The file or buffer ends before the header or the data does.
    Truncated = -10 => "file or buffer is truncated",
    /// A configurable limit (header length, member size, ...) was exceeded.
    Limit = -11 => "a configured limit was exceeded",
    /// The destination buffer is smaller than the data to be written into it.
    BufferTooSmall = -12 => "destination buffer too small",
    /// An argument is out of range or inconsistent (unknown flag, bad enum value, ...).
    InvalidArg = -13 => "invalid argument",
    /// The number of data bytes supplied does not match the shape and dtype.
    SizeMismatch = -14 => "data size does not match shape and dtype",
    /// Text is not valid in the encoding the format requires.
    Encoding = -15 => "invalid text encoding",
    /// Memory could not be allocated.
    Alloc = -16 => "out of memory",
    /// The zip container of an .npz file is malformed.
    Zip = -17 => "malformed zip archive",
    /// A CRC-32 check failed.
    Crc = -18 => "CRC-32 mismatch",
    /// A feature of the file is valid but not supported (compression method, encryption, ...).
    Unsupported = -19 => "unsupported feature",
    /// A file to read, or a named member, does not exist.
    NotFound = -20 => "not found",
    /// The object cannot be memory-mapped (compressed member, ...).
    NotMappable = -21 => "cannot be memory-mapped",
    /// A text table could not be parsed.
    Parse = -22 => "text parse error",
    /// The operation is not valid in the handle's current state.
    State = -23 => "operation not valid in this state",
    /// The array's dtype cannot be cast to the requested type under the casting rule.
    Cast = -24 => "cannot cast the array's dtype to the requested type under the casting rule",
}

impl Status {
    /// The status for a numeric code, if it is one.
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| *s as i32 == code)
    }
}

/// A fact about an error, beyond its status, that a caller may act on.
///
/// The message of an error with a detail ends with [`Detail::hint`], which
/// says what the Rust API offers about it; the C layer replaces that hint
/// with the names of its own functions and constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// This limit was exceeded ([`Status::Limit`]); [`Limit::set`] raises it.
    Limit(Limit),
    /// An .npz member is not a .npy file; its bytes can still be read whole
    /// (`NpzFile::read_raw`), as NumPy returns them.
    NotAnArray,
    /// A compressed .npz member cannot be mapped; it can be opened as an
    /// array (`NpzFile::open_member`).
    CompressedMember,
    /// The output of a streamed text conversion must be a regular file; a
    /// FIFO or a device can take a table loaded whole, then saved.
    NeedsRegularFile,
}

impl Detail {
    /// The end of the message of an error with this detail, naming what
    /// the Rust API offers, e.g. ` (Limit::HeaderLen.set(...) raises it)`.
    pub fn hint(self) -> String {
        match self {
            Detail::Limit(l) => format!(" (Limit::{l:?}.set(...) raises it)"),
            Detail::NotAnArray => "; read its bytes with NpzFile::read_raw".into(),
            Detail::CompressedMember => " (open it with NpzFile::open_member)".into(),
            Detail::NeedsRegularFile => " (use text::loadtxt, then save)".into(),
        }
    }
}

/// The library's error: a status code and a message naming the problem,
/// and sometimes a [`Detail`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    status: Status,
    message: String,
    detail: Option<Detail>,
    os_error: i32,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error {
    /// A new error with the given code and message.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        debug_assert!(status != Status::Ok);
        Error {
            status,
            message: message.into(),
            detail: None,
            os_error: 0,
        }
    }

    /// A [`Status::Limit`] error: `what` (e.g. "header length 70000
    /// exceeds the limit of 4096 bytes") followed by the hint of
    /// [`Detail::Limit`].
    pub fn limit(limit: Limit, what: impl fmt::Display) -> Error {
        Error::new(Status::Limit, what.to_string()).with_detail(Detail::Limit(limit))
    }

    /// Attach a detail; its [`Detail::hint`] is appended to the message.
    pub fn with_detail(mut self, detail: Detail) -> Error {
        self.message.push_str(&detail.hint());
        self.detail = Some(detail);
        self
    }

    /// The detail attached to this error, if any.
    pub fn detail(&self) -> Option<Detail> {
        self.detail
    }

    /// The status code.
    pub fn status(&self) -> Status {
        self.status
    }

    /// The numeric C status code.
    pub fn code(&self) -> i32 {
        self.status as i32
    }

    /// The message (without a trailing newline).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Prefix the message with `what: `, typically a file name or a member name.
    pub fn context(mut self, what: impl fmt::Display) -> Error {
        self.message = format!("{what}: {}", self.message);
        self
    }

    /// The operating system's error number behind this error (`errno`),
    /// or 0 when the failure was not an operating-system error.
    pub fn os_error(&self) -> i32 {
        self.os_error
    }

    /// An I/O error with what was being done; [`Error::os_error`] keeps
    /// the operating system's error number. An `io::Error` that carries a
    /// library error gives that error back.
    pub fn io(doing: impl fmt::Display, e: std::io::Error) -> Error {
        // A library error carried through an `io::Read`/`io::Write`
        // adapter (a text decoder, a decompressor) comes back as it was.
        if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<Error>()) {
            return inner.clone();
        }
        let mut err = Error::new(Status::Io, format!("{doing}: {e}"));
        err.os_error = e.raw_os_error().unwrap_or(0);
        err
    }

    /// An error opening an existing file to read it: [`Status::NotFound`]
    /// when the file or a directory on its path does not exist (`ENOENT`,
    /// or `ENOTDIR` for a path component that is not a directory), else
    /// [`Status::Io`] as [`Error::io`] makes it.
    pub fn open(doing: impl fmt::Display, e: std::io::Error) -> Error {
        let mut err = Error::io(doing, e);
        if matches!(err.os_error, libc::ENOENT | libc::ENOTDIR) {
            err.status = Status::NotFound;
        }
        err
    }
}

/// Shorthand for results in this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Build an error: `err!(BadHeader, "shape {} ...", x)`.
#[macro_export]
#[doc(hidden)]
macro_rules! err {
    ($status:ident, $($arg:tt)*) => {
        $crate::error::Error::new($crate::error::Status::$status, format!($($arg)*))
    };
}

/// Return early with an error: `bail!(BadHeader, "...")`.
#[macro_export]
#[doc(hidden)]
macro_rules! bail {
    ($status:ident, $($arg:tt)*) => {
        return Err($crate::err!($status, $($arg)*))
    };
}
