//! One error type for the whole library.
//!
//! Every variant carries a message that names what was wrong (and, once the
//! path is known, the file). Each variant maps to one stable C status code
//! ([`Error::code`]); codes are never renumbered.

use std::fmt;

/// Stable status codes, as the C API returns them.
///
/// `Ok` is 0, errors are negative. A code, once published, keeps its number
/// and meaning forever; new codes are appended.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArg = -1,
    /// A panic was caught at the C boundary (a bug in libnpyio).
    Panic = -2,
    /// An operating-system I/O error (open, read, write, rename, ...).
    Io = -3,
    /// The file does not start with the `\x93NUMPY` magic.
    BadMagic = -4,
    /// The format version is not 1.0, 2.0 or 3.0.
    UnsupportedVersion = -5,
    /// The header is not a well-formed NumPy header dictionary.
    BadHeader = -6,
    /// The dtype descriptor is not one libnpyio understands.
    BadDtype = -7,
    /// The dtype is or contains Python objects (would need pickle).
    ObjectDtype = -8,
    /// A size computed from the header overflows 64 bits (or the address space).
    Overflow = -9,
    /// The file or buffer ends before the header or the data does.
    Truncated = -10,
    /// A configurable limit (header length, member size, ...) was exceeded.
    Limit = -11,
    /// The destination buffer is smaller than the data to be written into it.
    BufferTooSmall = -12,
    /// An argument is out of range or inconsistent (unknown flag, bad enum value, ...).
    InvalidArg = -13,
    /// The number of data bytes supplied does not match the shape and dtype.
    SizeMismatch = -14,
    /// Text is not valid in the encoding the format requires.
    Encoding = -15,
    /// Memory could not be allocated.
    Alloc = -16,
    /// The zip container of an .npz file is malformed.
    Zip = -17,
    /// A CRC-32 check failed.
    Crc = -18,
    /// A feature of the file is valid but not supported (compression method, encryption, ...).
    Unsupported = -19,
    /// A named member does not exist.
    NotFound = -20,
    /// The object cannot be memory-mapped (compressed member, ...).
    NotMappable = -21,
    /// A text table could not be parsed.
    Parse = -22,
    /// The operation is not valid in the handle's current state.
    State = -23,
}

impl Status {
    /// All codes, in numeric order from 0 downwards.
    pub const ALL: [Status; 24] = [
        Status::Ok,
        Status::NullArg,
        Status::Panic,
        Status::Io,
        Status::BadMagic,
        Status::UnsupportedVersion,
        Status::BadHeader,
        Status::BadDtype,
        Status::ObjectDtype,
        Status::Overflow,
        Status::Truncated,
        Status::Limit,
        Status::BufferTooSmall,
        Status::InvalidArg,
        Status::SizeMismatch,
        Status::Encoding,
        Status::Alloc,
        Status::Zip,
        Status::Crc,
        Status::Unsupported,
        Status::NotFound,
        Status::NotMappable,
        Status::Parse,
        Status::State,
    ];

    /// The status for a numeric code, if it is one.
    pub fn from_code(code: i32) -> Option<Status> {
        Status::ALL.iter().copied().find(|s| *s as i32 == code)
    }

    /// A short, static description of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NullArg => "a required pointer argument is NULL",
            Status::Panic => "internal error (panic caught at the C boundary)",
            Status::Io => "I/O error",
            Status::BadMagic => "not a NumPy .npy file (bad magic)",
            Status::UnsupportedVersion => "unsupported .npy format version",
            Status::BadHeader => "malformed .npy header",
            Status::BadDtype => "unsupported or malformed dtype descriptor",
            Status::ObjectDtype => "object dtype (would require pickle)",
            Status::Overflow => "size overflows 64 bits",
            Status::Truncated => "file or buffer is truncated",
            Status::Limit => "a configured limit was exceeded",
            Status::BufferTooSmall => "destination buffer too small",
            Status::InvalidArg => "invalid argument",
            Status::SizeMismatch => "data size does not match shape and dtype",
            Status::Encoding => "invalid text encoding",
            Status::Alloc => "out of memory",
            Status::Zip => "malformed zip archive",
            Status::Crc => "CRC-32 mismatch",
            Status::Unsupported => "unsupported feature",
            Status::NotFound => "not found",
            Status::NotMappable => "cannot be memory-mapped",
            Status::Parse => "text parse error",
            Status::State => "operation not valid in this state",
        }
    }
}

/// The library's error: a status code and a message naming the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Error {
    status: Status,
    message: String,
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
        }
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

    /// An I/O error with what was being done.
    pub fn io(doing: impl fmt::Display, e: std::io::Error) -> Error {
        Error::new(Status::Io, format!("{doing}: {e}"))
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
