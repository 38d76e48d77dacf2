//! Text files compressed by their suffix, as NumPy's datasource opens
//! them: `.gz` (gzip), `.bz2` (bzip2), `.xz` and `.lzma` (read: xz or the
//! legacy .lzma format; written: xz, as Python's `lzma.open` writes both).
//! Concatenated streams are read one after the other, as Python does. A
//! path that does not exist is looked for with each suffix added, in
//! NumPy's order (`.bz2`, `.gz`, `.xz`, `.lzma`).
//!
//! Damaged compressed data is an `Io` error (Python's `OSError`) and data
//! that ends early a `Truncated` one (Python's `EOFError`), both naming
//! the format; the caller adds the file's name.

use crate::err;
use crate::error::{Error, Result};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// A compression format chosen by a file's suffix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Compression {
    Gzip,
    Bzip2,
    Xz,
}

/// The suffixes NumPy's datasource knows, in its order.
const SUFFIXES: [(&str, Compression); 4] = [
    (".bz2", Compression::Bzip2),
    (".gz", Compression::Gzip),
    (".xz", Compression::Xz),
    (".lzma", Compression::Xz),
];

impl Compression {
    /// The compression of the file at `path`, by its suffix (case matters,
    /// as for NumPy; a name that is only the suffix has none).
    pub(crate) fn of(path: &Path) -> Option<Compression> {
        let name = path.file_name()?.to_str()?;
        SUFFIXES
            .iter()
            .find(|(s, _)| name.len() > s.len() && name.ends_with(s))
            .map(|&(_, c)| c)
    }

    fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Bzip2 => "bzip2",
            Compression::Xz => "xz/lzma",
        }
    }
}

/// The file to read for `path`: `path` itself, or, when it does not exist
/// and has no compression suffix, the first of `path.bz2`, `path.gz`,
/// `path.xz`, `path.lzma` that exists (as NumPy's datasource finds it).
pub(crate) fn find(path: &Path) -> PathBuf {
    if path.exists() || Compression::of(path).is_some() {
        return path.to_path_buf();
    }
    for (s, _) in SUFFIXES {
        let mut p = path.as_os_str().to_os_string();
        p.push(s);
        let p = PathBuf::from(p);
        if p.is_file() {
            return p;
        }
    }
    path.to_path_buf()
}

/// A reader of the decompressed bytes of `inner`.
pub(crate) fn decoder<'a, R: Read + 'a>(c: Compression, inner: R) -> Result<Box<dyn Read + 'a>> {
    let r = match c {
        Compression::Gzip => Inflate::Gz(flate2::read::MultiGzDecoder::new(inner)),
        Compression::Bzip2 => Inflate::Bz(bzip2::read::MultiBzDecoder::new(inner)),
        Compression::Xz => {
            let s =
                liblzma::stream::Stream::new_auto_decoder(u64::MAX, liblzma::stream::CONCATENATED)
                    .map_err(|e| err!(Alloc, "cannot make an xz/lzma decoder: {e}"))?;
            Inflate::Xz(liblzma::read::XzDecoder::new_stream(inner, s))
        }
    };
    Ok(Box::new(r))
}

/// A decompressor (one type, so one `Read` implementation is compiled);
/// its errors are library errors naming the format.
enum Inflate<R: Read> {
    Gz(flate2::read::MultiGzDecoder<R>),
    Bz(bzip2::read::MultiBzDecoder<R>),
    Xz(liblzma::read::XzDecoder<R>),
}

impl<R: Read> Read for Inflate<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let (r, name) = match self {
            Inflate::Gz(d) => (d.read(buf), Compression::Gzip.name()),
            Inflate::Bz(d) => (d.read(buf), Compression::Bzip2.name()),
            Inflate::Xz(d) => (d.read(buf), Compression::Xz.name()),
        };
        r.map_err(|e| {
            let lib = match e.kind() {
                io::ErrorKind::UnexpectedEof => {
                    err!(
                        Truncated,
                        "compressed {name} data ends before its end-of-stream marker"
                    )
                }
                io::ErrorKind::InvalidData | io::ErrorKind::InvalidInput | io::ErrorKind::Other
                    if e.raw_os_error().is_none() =>
                {
                    err!(Io, "invalid {name} data: {e}")
                }
                _ => Error::io(format!("read ({name})"), e),
            };
            super::encoding::carry(lib)
        })
    }
}

/// A writer that compresses into `inner`; [`Compressor::finish`] ends the
/// stream and gives `inner` back. Levels are Python's defaults: gzip 9
/// (with the file name, less `.gz`, in the header), bzip2 9, xz preset 6.
/// bzip2 and xz need the `text-write-bz2-xz` feature.
pub(crate) enum Compressor<W: Write> {
    Gzip(flate2::write::GzEncoder<W>),
    #[cfg(feature = "text-write-bz2-xz")]
    Bzip2(bzip2::write::BzEncoder<W>),
    #[cfg(feature = "text-write-bz2-xz")]
    Xz(liblzma::write::XzEncoder<W>),
}

impl<W: Write> Compressor<W> {
    /// A compressor of format `c` for the file at `path`. Without the
    /// `text-write-bz2-xz` feature only gzip: bzip2 and xz are
    /// `Unsupported`.
    pub(crate) fn new(c: Compression, path: &Path, inner: W) -> Result<Compressor<W>> {
        Ok(match c {
            Compression::Gzip => {
                let mut b = flate2::GzBuilder::new();
                if let Some(stem) = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .and_then(|n| n.strip_suffix(".gz"))
                    .filter(|s| !s.contains('\0'))
                {
                    b = b.filename(stem);
                }
                let mtime = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs() as u32);
                Compressor::Gzip(b.mtime(mtime).write(inner, flate2::Compression::best()))
            }
            #[cfg(feature = "text-write-bz2-xz")]
            Compression::Bzip2 => Compressor::Bzip2(bzip2::write::BzEncoder::new(
                inner,
                bzip2::Compression::best(),
            )),
            #[cfg(feature = "text-write-bz2-xz")]
            Compression::Xz => Compressor::Xz(liblzma::write::XzEncoder::new(inner, 6)),
            #[cfg(not(feature = "text-write-bz2-xz"))]
            Compression::Bzip2 | Compression::Xz => {
                drop(inner);
                return Err(err!(
                    Unsupported,
                    "writing {} text files needs libnpyio built with the text-write-bz2-xz \
                     feature (its encoders add 114 KB to the library); \
                     reading them needs nothing",
                    c.name()
                ));
            }
        })
    }

    /// End the compressed stream; the inner writer.
    pub(crate) fn finish(self) -> io::Result<W> {
        match self {
            Compressor::Gzip(w) => w.finish(),
            #[cfg(feature = "text-write-bz2-xz")]
            Compressor::Bzip2(w) => w.finish(),
            #[cfg(feature = "text-write-bz2-xz")]
            Compressor::Xz(w) => w.finish(),
        }
    }
}

impl<W: Write> Write for Compressor<W> {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        match self {
            Compressor::Gzip(w) => w.write(b),
            #[cfg(feature = "text-write-bz2-xz")]
            Compressor::Bzip2(w) => w.write(b),
            #[cfg(feature = "text-write-bz2-xz")]
            Compressor::Xz(w) => w.write(b),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        // Flushing a compressor ends a block early and costs ratio; the
        // data is written by `finish`.
        Ok(())
    }
}

/// The options savetxt writes format `c` with. Python's bz2 and lzma
/// files take no byte-order mark from the `utf-16` and `utf-32` codecs
/// (the text wrapper sees a stream it cannot seek and suppresses it), so
/// np.savetxt to `.bz2`, `.xz` and `.lzma` writes plain little-endian
/// units (which Python's `utf-16`/`utf-32` readers then refuse for want of
/// the mark; `utf-16-le`/`utf-32-le` read them); gzip files keep it.
pub(crate) fn write_options(
    c: Compression,
    opts: &super::SavetxtOptions,
) -> std::borrow::Cow<'_, super::SavetxtOptions> {
    use super::Encoding::*;
    let plain = match opts.encoding {
        Utf16 => Utf16Le,
        Utf32 => Utf32Le,
        _ => return std::borrow::Cow::Borrowed(opts),
    };
    if c == Compression::Gzip {
        return std::borrow::Cow::Borrowed(opts);
    }
    let mut o = opts.clone();
    o.encoding = plain;
    std::borrow::Cow::Owned(o)
}

/// The UTF-8 text of the open `file` at `path`, in encoding `enc`:
/// decompressed by the path's suffix and transcoded unless UTF-8.
pub(crate) fn reader<'a>(
    path: &Path,
    file: std::fs::File,
    enc: super::Encoding,
) -> Result<Box<dyn Read + 'a>> {
    let r: Box<dyn Read + 'a> = match Compression::of(path) {
        Some(c) => decoder(c, file)?,
        None => Box::new(file),
    };
    Ok(if enc.is_utf8() {
        r
    } else {
        Box::new(enc.decoder(r))
    })
}
