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
//! (`npy_save`, `npy_writer`), [`npz`] (`npz_file`), [`npz_write`]
//! (`npz_writer`), [`text`] (savetxt, loadtxt, genfromtxt) and [`typed`]
//! (reads converted to an element type with NumPy's casting).
#![allow(non_camel_case_types)]

mod args;
mod boundary;
pub mod codes;
pub mod dtype;
mod handle;
pub mod library;
pub mod npy;
pub mod npy_write;
pub mod npz;
pub mod npz_write;
pub mod text;
pub mod typed;

pub use boundary::__boundary_panic_for_tests;
pub use codes::*;
pub use library::*;
