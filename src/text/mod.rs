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
pub mod convert;
pub mod converters;
pub mod datetime;
pub mod genfromtxt;
pub mod loadtxt;
pub mod longdouble;
mod result;
pub mod savetxt;
pub mod tokenize;

pub use converters::{Converted, Converter, ConverterColumn, Converters};
pub use genfromtxt::{
    genfromtxt, genfromtxt_from_bytes, Case, Delimiter, Genfromtxt, GenfromtxtOptions, Names,
};
pub use loadtxt::{loadtxt, loadtxt_from_bytes, loadtxt_to_npy, LoadtxtOptions};
pub use savetxt::{savetxt, savetxt_array, savetxt_to_vec, savetxt_to_writer, Fmt, SavetxtOptions};

/// The text of a file: mapped (a regular file), or a stream to read to its
/// end (a pipe, a FIFO, a terminal, a socket, or a file that reports no
/// size, as those of /proc do).
pub(crate) enum Text<'a> {
    /// The whole file, mapped.
    Mapped(&'a [u8]),
    /// The open file, to be read to its end.
    Stream(&'a mut std::fs::File),
}

/// Open the text file at `path` and run `parse` on its [`Text`] and the
/// name to use in messages. Regular files are mapped, not copied; other
/// files are streamed, as NumPy reads them.
pub(crate) fn with_text<T>(
    path: &std::path::Path,
    parse: impl FnOnce(Text, &str) -> crate::Result<T>,
) -> crate::Result<T> {
    use crate::error::Error;
    let name = path.display().to_string();
    let mut file =
        std::fs::File::open(path).map_err(|e| Error::open(format!("{name}: open"), e))?;
    let meta = file
        .metadata()
        .map_err(|e| Error::io(format!("{name}: stat"), e))?;
    if meta.is_dir() {
        return Err(crate::err!(Io, "{name}: is a directory"));
    }
    if !meta.is_file() || meta.len() == 0 {
        return parse(Text::Stream(&mut file), &name);
    }
    // SAFETY: a read-only private map; a file truncated by another process
    // while mapped raises SIGBUS, as documented for npy_mmap.
    let map =
        unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(format!("{name}: mmap"), e))?;
    parse(Text::Mapped(&map), &name)
}

/// Run `parse` on all the bytes of the text file at `path` (mapped when
/// it is a regular file, else read to its end) and the name to use in
/// messages.
pub(crate) fn with_text_file<T>(
    path: &std::path::Path,
    parse: impl FnOnce(&[u8], &str) -> crate::Result<T>,
) -> crate::Result<T> {
    with_text(path, |text, name| match text {
        Text::Mapped(b) => parse(b, name),
        Text::Stream(f) => {
            let b = read_to_end(f).map_err(|e| e.context(name))?;
            parse(&b, name)
        }
    })
}

/// Read `r` to its end into a buffer that grows fallibly, by at most
/// 64 MiB at a time: running out of memory is an `Alloc` error.
pub(crate) fn read_to_end(r: &mut impl std::io::Read) -> crate::Result<Vec<u8>> {
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
