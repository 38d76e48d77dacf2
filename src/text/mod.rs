//! Text tables: [`savetxt`], [`loadtxt`] and [`genfromtxt`] with NumPy's
//! options, defaults and results.
//!
//! * [`savetxt`] writes exactly the bytes `np.savetxt` writes for the same
//!   array and arguments (Python's `%` formatting of NumPy scalars,
//!   correctly rounded; `%.18e` has a fast exact path).
//! * [`loadtxt`] follows NumPy's C tokenizer and converters; the result is
//!   an in-memory [`NpyFile`](crate::NpyFile), so every describe and read
//!   function works on it. Large inputs are parsed on several threads;
//!   [`loadtxt_to_npy`] streams text of any size into a .npy file.
//! * [`genfromtxt`] follows NumPy's Python implementation: missing and
//!   filling values, an optional mask, field names and their cleaning,
//!   fixed-width fields, `skip_footer`.
//!
//! Text is UTF-8 (NumPy's `encoding` on a UTF-8 system); invalid bytes are
//! an [`Encoding`](crate::Status::Encoding) error naming the line. Parse
//! errors name the file, the line, the column and the offending text:
//! `data.csv: line 7, column 3: cannot parse "abc" as float64`.

pub mod columns;
pub mod convert;
pub mod fltfmt;
pub mod genfromtxt;
pub mod loadtxt;
pub mod pyfmt;
pub mod savetxt;
pub mod tokenize;

pub use genfromtxt::{
    genfromtxt, genfromtxt_from_bytes, Case, Delimiter, Genfromtxt, GenfromtxtOptions, Names,
};
pub use loadtxt::{loadtxt, loadtxt_from_bytes, loadtxt_to_npy, LoadtxtOptions};
pub use savetxt::{savetxt, savetxt_array, savetxt_to_vec, savetxt_to_writer, Fmt, SavetxtOptions};

/// Run `parse` on the bytes of the text file at `path` (mapped, not
/// copied) and the name to use in messages. An empty file is parsed as no
/// bytes, since nothing can be mapped.
pub(crate) fn with_text_file<T>(
    path: &std::path::Path,
    parse: impl FnOnce(&[u8], &str) -> crate::Result<T>,
) -> crate::Result<T> {
    use crate::error::Error;
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| Error::io(format!("{name}: open"), e))?;
    let len = file
        .metadata()
        .map_err(|e| Error::io(format!("{name}: stat"), e))?
        .len();
    if len == 0 {
        return parse(&[], &name);
    }
    // SAFETY: a read-only private map; a file truncated by another process
    // while mapped raises SIGBUS, as documented for npy_mmap.
    let map =
        unsafe { memmap2::Mmap::map(&file) }.map_err(|e| Error::io(format!("{name}: mmap"), e))?;
    parse(&map, &name)
}
