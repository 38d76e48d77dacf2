//! Python's text forms, in one place: what Python (and NumPy, where it
//! prints its scalars as Python does) writes for a value. The library's
//! messages, its dtype and header printing, `savetxt` and the `npyio`
//! command-line tool all take them from here.
//!
//! * [`repr`]: `repr()` of `str` ([`repr_str`], and [`repr_ucs4`] for
//!   NumPy's UCS-4 strings), of `bytes` ([`bytes_repr`]) and of shape
//!   tuples ([`shape_repr`]).
//! * [`percent`]: printf-style `%` formatting (`'%.18e' % x`), as
//!   `np.savetxt` applies it to NumPy scalars.
//! * [`float`]: `repr()` of floats (`str()` of NumPy's float scalars: the
//!   same shortest digits, with a positional range that depends on the
//!   width), the shortest round-trip digits it is made of, and float16
//!   rounding.
//! * [`digits`]: decimal digits of integers ([`push_u64`]) and the exact,
//!   correctly rounded digits of floats that `%e`, `%f` and `%g` print.
//!
//! What is not here: NumPy's *array* printing (`repr(np.array(...))`,
//! `np.format_float_positional` and `np.format_float_scientific`) has its
//! own layout rules (padding, trimming, exponent widths, a common format
//! for all elements) and prints long doubles, through Dragon4 on big
//! integers. It lives in the command-line tool (`cli/src/print`), which
//! takes its shortest and correctly rounded float64/float32 digits and its
//! float16 rounding from here; only the layout and the long-double digits
//! are its own.

pub mod digits;
pub mod float;
pub mod percent;
pub mod repr;

pub use digits::{push_u64, AsciiOut};
pub use float::FloatWidth;
pub use repr::{bytes_repr, push_bytes_repr, repr_str, repr_ucs4, shape_repr};
