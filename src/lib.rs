//! libnpyio: read and write NumPy's `.npy` files exactly as NumPy does.
//!
//! The Rust API is the library's core; the C ABI in [`ffi`] is a thin layer
//! over it. Layers, from the bottom: [`io`] (byte sources read by position,
//! atomic files), [`pytext`] (Python's text forms: reprs, `%` formatting,
//! float digits), the format modules ([`literal`], [`dtype`], [`header`],
//! [`npy`], [`npz`], [`text`]), [`cast`] (NumPy's casting between the
//! numeric [`Type`]s), and [`ffi`]. An array or an archive may be
//! read from any [`io::ByteSource`], a reader of the caller's included
//! ([`NpyFile::from_reader`], [`npz::NpzFile::from_reader`]).
//!
//! ```no_run
//! use npyio::{DType, NpyFile, SaveOptions};
//! let dt = DType::parse("<f8").unwrap();
//! let data: Vec<u8> = [1.0f64, 2.0, 3.0].iter().flat_map(|v| v.to_le_bytes()).collect();
//! npyio::save("x.npy", &dt, &[3], false, &data, SaveOptions::default()).unwrap();
//! let f = NpyFile::open("x.npy").unwrap();
//! let mut buf = vec![0u8; f.nbytes() as usize];
//! f.read_into(&mut buf, npyio::READ_NATIVE).unwrap();
//! ```
#![deny(missing_docs)]

pub mod cast;
pub mod dtype;
pub mod error;
pub mod ffi;
pub mod header;
pub mod io;
pub mod limits;
pub mod literal;
pub mod mmap;
pub mod npy;
pub mod npz;
pub mod pytext;
pub mod text;

pub use cast::Casting;
pub use dtype::{DType, Type};
pub use error::{Error, Result, Status};
pub use header::{Header, MAX_NDIM};
pub use limits::Limit;
pub use mmap::RawMode;
pub use npy::{
    append_rows, save, save_typed, MapMode, NpyFile, NpyWriter, SaveOptions, READ_C_ORDER,
    READ_NATIVE, READ_NO_HUGEPAGE,
};

/// The library version, `MAJOR.MINOR.PATCH`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
