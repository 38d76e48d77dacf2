//! How members are stored: the [`Compression`] of a member and its zip
//! method number and extract version.

use super::zip::*;

/// How a member is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// No compression, as `np.savez`.
    Stored,
    /// Deflate, as `np.savez_compressed`.
    Deflate,
    /// Zstandard (zip method 93), which Python's zipfile reads from Python
    /// 3.14 on (and earlier Pythons with the `backports.zstd` package), so
    /// `np.load` there reads it.
    Zstd,
}

pub(super) fn method_of(c: Compression) -> u16 {
    match c {
        Compression::Stored => STORED,
        Compression::Deflate => DEFLATED,
        Compression::Zstd => ZSTD,
    }
}

/// The version needed to extract a member of `method`, as zipfile writes
/// it: 4.5 (zip64, as every NumPy member) or 6.3 for zstd.
pub(super) fn extract_version(method: u16) -> u16 {
    if method == ZSTD {
        ZSTD_VERSION
    } else {
        ZIP64_VERSION
    }
}

impl Compression {
    /// The zip method number: 0 for stored, 8 for deflate, 93 for zstd.
    pub fn method(self) -> u16 {
        method_of(self)
    }

    /// The compression with zip method number `method`, if the writer
    /// offers it.
    pub fn from_method(method: u16) -> Option<Compression> {
        [Compression::Stored, Compression::Deflate, Compression::Zstd]
            .into_iter()
            .find(|c| c.method() == method)
    }
}
