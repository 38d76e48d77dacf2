//! The C ABI. The only module with `extern "C"`, raw pointers and handles,
//! and a layer over the Rust API alone (never the format modules'
//! internals).
//!
//! Plumbing: [`boundary`] (every exported body runs inside it: errors
//! become status codes and this thread's message, panics
//! `NPYIO_ERR_PANIC` or a getter's neutral value), [`args`] (pointer
//! arguments checked and decoded; out-parameters), [`handle`] (how C holds
//! the library's objects) and [`codes`] (the C constants, tied to the Rust
//! values by tests). Then one module per C type or area: [`library`]
//! (`npyio_*` status, errors, version, limits), [`dtype`] (`npyio_dtype`),
//! [`npy`] (`npy_file`: open, map, describe, read), [`npy_write`]
//! (`npy_save`, `npy_writer`), [`npy_rows`] (`npy_create`, `npy_open_rw`,
//! `npy_write_rows`, `npy_append_rows`), [`npz`] (`npz_file`), [`npz_write`]
//! (`npz_writer`), [`reader`] (`npyio_reader`: caller-supplied I/O),
//! [`text`] (savetxt, loadtxt, genfromtxt) and [`typed`] (reads converted
//! to an element type with NumPy's casting).
#![allow(non_camel_case_types)]
// The exported functions' docs are the C reference (cbindgen copies them into
// include/npyio.h), so they carry no Rust `# Safety` sections: the caller's
// obligations (valid, live pointers; buffers of the lengths given; handles
// not yet closed) are stated in each function's Ownership and NULL
// paragraphs.
#![allow(clippy::missing_safety_doc)]

mod args;
mod boundary;
pub mod codes;
pub mod dtype;
mod handle;
pub mod library;
pub mod npy;
pub mod npy_rows;
pub mod npy_write;
pub mod npz;
pub mod npz_write;
pub mod reader;
pub mod text;
pub mod text_converters;
mod text_encoding;
pub mod text_options;
pub mod typed;

pub use boundary::__boundary_panic_for_tests;
pub use codes::*;
pub use library::*;
