//! Text tables: [`savetxt`](fn@savetxt), [`loadtxt`](fn@loadtxt) and
//! [`genfromtxt`](fn@genfromtxt) with NumPy's options, defaults and
//! results.
//!
//! * [`savetxt`](fn@savetxt) writes exactly the bytes `np.savetxt` writes
//!   for the same array and arguments (Python's `%` formatting of NumPy scalars,
//!   correctly rounded; `%.18e` has a fast exact path), from
//!   [`crate::pytext`].
//! * [`loadtxt`](fn@loadtxt) follows NumPy's C tokenizer and converters; the result is
//!   an in-memory [`NpyFile`](crate::NpyFile), so every describe and read
//!   function works on it. Large inputs are parsed on several threads;
//!   [`loadtxt_to_npy`] streams text of any size into a .npy file.
//! * [`genfromtxt`](fn@genfromtxt) follows NumPy's Python implementation: missing and
//!   filling values, an optional mask, field names and their cleaning,
//!   fixed-width fields, `skip_footer`.
//!
//! Text is UTF-8 (NumPy's `encoding` on a UTF-8 system); invalid bytes are
//! an [`Encoding`](crate::Status::Encoding) error naming the line. Parse
//! errors name the file, the line, the column and the offending text:
//! `data.csv: line 7, column 3: cannot parse "abc" as float64`.

pub mod columns;
pub(crate) mod compressed;
pub mod convert;
pub mod converters;
pub mod datetime;
pub mod encoding;
pub mod genfromtxt;
pub mod loadtxt;
pub mod longdouble;
mod result;
pub mod savetxt;
pub mod tokenize;

use compressed::Compression;
pub use converters::{Converted, Converter, ConverterColumn, Converters};
pub use encoding::Encoding;
pub use genfromtxt::{
    genfromtxt, genfromtxt_from_bytes, Case, Delimiter, Genfromtxt, GenfromtxtOptions, Names,
};
pub use loadtxt::{loadtxt, loadtxt_from_bytes, loadtxt_to_npy, LoadtxtOptions};
pub use savetxt::{savetxt, savetxt_array, savetxt_to_vec, savetxt_to_writer, Fmt, SavetxtOptions};

/// The text of a file, as UTF-8: mapped (a regular file in UTF-8, or in
/// an ASCII-compatible encoding and all ASCII), or a stream to read to its
/// end (a pipe, a FIFO, a terminal, a socket, a file that reports no size,
/// as those of /proc do, a compressed file, or text transcoded from
/// another encoding).
pub(crate) enum Text<'a> {
    /// The whole file, mapped.
    Mapped(&'a [u8]),
    /// The open file (decompressed and transcoded), to be read to its end.
    Stream(&'a mut dyn std::io::Read),
}

/// Open the text file at `path`, in encoding `enc`, and run `parse` on its
/// [`Text`] and the name to use in messages. Regular files in UTF-8 are
/// mapped, not copied; other files are streamed, as NumPy reads them:
/// decompressed by their suffix (`.gz`, `.bz2`, `.xz`, `.lzma`) and
/// transcoded to UTF-8 as they are read.
pub(crate) fn with_text<T>(
    path: &std::path::Path,
    enc: Encoding,
    parse: impl FnOnce(Text, &str) -> crate::Result<T>,
) -> crate::Result<T> {
    use crate::error::Error;
    let path = &compressed::find(path);
    let name = path.display().to_string();
    let mut file =
        std::fs::File::open(path).map_err(|e| Error::open(format!("{name}: open"), e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io(format!("{name}: stat"), e))?;
    if meta.is_dir() {
        return Err(crate::err!(Io, "{name}: is a directory"));
    }
    if let Some(c) = Compression::of(path) {
        let mut r = compressed::decoder(c, file).map_err(|e| e.context(&name))?;
        return stream_in(&mut r, enc, |t| parse(t, &name));
    }
    if !meta.is_file() || meta.len() == 0 {
        return stream_in(&mut file, enc, |t| parse(t, &name));
    }
    // SAFETY: a read-only private map; a file truncated by another process
    // while mapped raises SIGBUS, as documented for npy_mmap.
    let map =
        unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(format!("{name}: mmap"), e))?;
    match enc.in_place(&map) {
        Some(b) => parse(Text::Mapped(b), &name),
        None if enc == Encoding::Ascii => {
            encoding::check_ascii(&map).map_err(|e| e.context(&name))?;
            parse(Text::Mapped(&map), &name)
        }
        None => parse(Text::Stream(&mut enc.decoder(&map[..])), &name),
    }
}

/// `parse` of the stream `r` in encoding `enc`, transcoded unless UTF-8.
fn stream_in<T>(
    r: &mut dyn std::io::Read,
    enc: Encoding,
    parse: impl FnOnce(Text) -> crate::Result<T>,
) -> crate::Result<T> {
    if enc.is_utf8() {
        parse(Text::Stream(r))
    } else {
        parse(Text::Stream(&mut enc.decoder(r)))
    }
}

/// Run `parse` on all the bytes of the text file at `path`, in encoding
/// `enc`, as UTF-8 (mapped when it is a regular file in UTF-8, else read
/// to its end) and the name to use in messages.
pub(crate) fn with_text_file<T>(
    path: &std::path::Path,
    enc: Encoding,
    parse: impl FnOnce(&[u8], &str) -> crate::Result<T>,
) -> crate::Result<T> {
    with_text(path, enc, |text, name| match text {
        Text::Mapped(b) => parse(b, name),
        Text::Stream(f) => {
            let b = read_to_end(f).map_err(|e| e.context(name))?;
            parse(&b, name)
        }
    })
}

/// The UTF-8 text of `text`, in encoding `enc`: borrowed when it can be
/// parsed where it lies, else transcoded into a new buffer.
pub(crate) fn utf8_text(text: &[u8], enc: Encoding) -> crate::Result<std::borrow::Cow<'_, [u8]>> {
    match enc.in_place(text) {
        Some(b) => Ok(std::borrow::Cow::Borrowed(b)),
        None if enc == Encoding::Ascii => {
            encoding::check_ascii(text)?;
            Ok(std::borrow::Cow::Borrowed(text))
        }
        None => Ok(std::borrow::Cow::Owned(read_to_end(
            &mut enc.decoder(text),
        )?)),
    }
}

/// Read `r` to its end into a buffer that grows fallibly, by at most
/// 64 MiB at a time: running out of memory is an `Alloc` error.
pub(crate) fn read_to_end(r: &mut (impl std::io::Read + ?Sized)) -> crate::Result<Vec<u8>> {
    use crate::error::Error;
    let mut buf: Vec<u8> = Vec::new();
    let mut len = 0usize;
    loop {
        if len == buf.len() {
            let grow = len.clamp(64 << 10, 64 << 20);
            buf.try_reserve_exact(grow).map_err(|_| {
                crate::err!(
                    Alloc,
                    "cannot allocate {} bytes to read the text",
                    len.saturating_add(grow)
                )
            })?;
            buf.resize(len + grow, 0);
        }
        match r.read(&mut buf[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io("read", e)),
        }
    }
    buf.truncate(len);
    Ok(buf)
}
