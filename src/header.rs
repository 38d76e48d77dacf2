//! The .npy header: the magic, the version, the header dictionary, and the
//! exact bytes `np.save` writes.

mod parse;
mod write;

pub use parse::{parse_header_len, parse_header_text, parse_magic};
pub use write::{header_bytes, ArraySpec};

use crate::dtype::DType;
use crate::error::Result;
use crate::{bail, err};

/// The six magic bytes every .npy file starts with.
pub const MAGIC: &[u8; 6] = b"\x93NUMPY";
/// NumPy's alignment of the data offset since 1.14.
pub const ARRAY_ALIGN: usize = 64;
/// Spaces NumPy reserves so the growth axis can be rewritten in place.
pub const GROWTH_AXIS_MAX_DIGITS: usize = 21;
pub use crate::dtype::MAX_NDIM;

/// A parsed .npy header.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// Format version, `(1, 0)`, `(2, 0)` or `(3, 0)`.
    pub version: (u8, u8),
    /// The element type.
    pub dtype: DType,
    /// Whether the data is stored in Fortran (column-major) order.
    pub fortran_order: bool,
    /// The array's shape (empty for 0-d arrays).
    pub shape: Vec<u64>,
    /// Byte offset of the data from the start of the file.
    pub data_offset: u64,
}

impl Header {
    /// Number of elements (1 for a 0-d array). Checked when the header was built.
    pub fn count(&self) -> u64 {
        self.shape.iter().product()
    }

    /// Size of the data in bytes. Checked when the header was built.
    pub fn nbytes(&self) -> u64 {
        self.count() * self.dtype.itemsize() as u64
    }

    /// The prefix length before the header text: 10 for 1.0, 12 otherwise.
    pub fn prefix_len(version: (u8, u8)) -> usize {
        if version.0 == 1 {
            10
        } else {
            12
        }
    }
}

/// Check a shape as NumPy checks it when it makes the array, and that
/// `shape` × `itemsize` fits in 64 bits (and the address space); returns
/// the byte count. NumPy's sizes are signed 64-bit: each dimension, the
/// element count and the itemsize times the product of the non-zero
/// dimensions must be at most 2**63 - 1, even when another dimension is
/// 0 and the array is empty (NumPy refuses `(0, 2**63 - 1)` of `<f8`).
pub fn checked_nbytes(shape: &[u64], itemsize: usize) -> Result<u64> {
    const MAX: u64 = i64::MAX as u64;
    let describe = || crate::pytext::shape_repr(shape);
    if let Some(d) = shape.iter().find(|&&d| d > MAX) {
        bail!(
            Overflow,
            "dimension {d} in shape {} exceeds NumPy's maximum dimension {MAX} (NumPy: Maximum allowed dimension exceeded)",
            describe()
        );
    }
    let count = shape
        .iter()
        .try_fold(1u64, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| {
            err!(
                Overflow,
                "shape {} has more elements than fit in 64 bits",
                describe()
            )
        })?;
    if count > MAX {
        bail!(
            Overflow,
            "shape {} has {count} elements, more than NumPy's maximum of {MAX}",
            describe()
        );
    }
    let nbytes = count
        .checked_mul(itemsize as u64)
        .filter(|&n| n <= MAX)
        .ok_or_else(|| {
            err!(
                Overflow,
                "shape {} with itemsize {itemsize} overflows 64 bits",
                describe()
            )
        })?;
    if count == 0 && itemsize > 0 {
        let nonzero = shape
            .iter()
            .filter(|&&d| d != 0)
            .try_fold(itemsize as u64, |acc, &d| acc.checked_mul(d))
            .filter(|&n| n <= MAX);
        if nonzero.is_none() {
            bail!(
                Overflow,
                "shape {} with itemsize {itemsize}: its non-zero dimensions times the itemsize exceed {MAX} bytes, which NumPy refuses even for an empty array (NumPy: array is too big)",
                describe()
            );
        }
    }
    Ok(nbytes)
}

/// Would NumPy record this array as Fortran-ordered? NumPy writes `False`
/// whenever the array is also C-contiguous (at most one dimension longer
/// than 1, or an empty array).
pub fn effective_fortran(shape: &[u64], fortran_order: bool) -> bool {
    fortran_order && !shape.contains(&0) && shape.iter().filter(|&&d| d > 1).count() > 1
}
