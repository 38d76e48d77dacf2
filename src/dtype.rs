//! NumPy dtypes as .npy headers describe them: parsing a `descr`, printing it
//! exactly as `np.save` does, item sizes, and byte-swap plans.

mod parse;
mod print;
mod swap;
mod types;

pub(crate) use parse::{read_descr, read_dims};
pub use swap::{swap_in_place, SwapPlan};
pub use types::Type;

use crate::error::Result;
use crate::{bail, err};

/// Byte order of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// `<`
    Little,
    /// `>`
    Big,
    /// `|`: byte order does not apply (single bytes, strings of bytes, voids).
    NotApplicable,
}

impl ByteOrder {
    /// The host's byte order.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "little") {
        ByteOrder::Little
    } else {
        ByteOrder::Big
    };

    /// The byte order's character in a type string: `<`, `>` or `|`.
    pub fn char(self) -> char {
        match self {
            ByteOrder::Little => '<',
            ByteOrder::Big => '>',
            ByteOrder::NotApplicable => '|',
        }
    }
}

/// The kind of a scalar, NumPy's `dtype.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    /// `b`: bool (1 byte).
    Bool,
    /// `i`: signed integer.
    Int,
    /// `u`: unsigned integer.
    UInt,
    /// `f`: floating point (`f16` is the platform's long double, opaque).
    Float,
    /// `c`: complex (two floats).
    Complex,
    /// `S`: NUL-padded bytes.
    Bytes,
    /// `U`: NUL-padded UCS-4 text, 4 bytes per code unit.
    Unicode,
    /// `V`: raw bytes.
    Void,
    /// `M`: datetime64, 8 bytes.
    Datetime,
    /// `m`: timedelta64, 8 bytes.
    Timedelta,
}

impl ScalarKind {
    /// The kind's letter in a type string (`dtype.kind`, with `S`/`U`/`V`
    /// for bytes, str and void).
    pub fn char(self) -> char {
        match self {
            ScalarKind::Bool => 'b',
            ScalarKind::Int => 'i',
            ScalarKind::UInt => 'u',
            ScalarKind::Float => 'f',
            ScalarKind::Complex => 'c',
            ScalarKind::Bytes => 'S',
            ScalarKind::Unicode => 'U',
            ScalarKind::Void => 'V',
            ScalarKind::Datetime => 'M',
            ScalarKind::Timedelta => 'm',
        }
    }
}

/// One field of a structured dtype.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The field's title, if it has one.
    pub title: Option<String>,
    /// Byte offset of the field within the record.
    pub offset: usize,
    /// The field's type.
    pub dtype: DType,
}

/// The layout of a dtype.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// A scalar such as `<f8`, `|S5` or `<M8[ns]`.
    Scalar {
        /// Kind.
        kind: ScalarKind,
        /// Byte order (`NotApplicable` for single bytes, `S` and `V`).
        order: ByteOrder,
        /// Datetime unit text as NumPy prints it inside brackets (`"ns"`,
        /// `"10ms"`), or empty for generic units and non-datetime kinds.
        unit: String,
    },
    /// A record with named fields; gaps between them are padding.
    Record(Vec<Field>),
    /// A fixed-shape subarray of a base type (only as a field type).
    SubArray(Box<DType>, Vec<u64>),
}

/// A NumPy dtype (without object parts: those are refused when parsed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DType {
    layout: Layout,
    itemsize: usize,
}

/// NumPy's maximum number of dimensions, of arrays and of subarrays.
pub const MAX_NDIM: usize = 64;

impl DType {
    /// The item size in bytes.
    pub fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// A scalar dtype. `size` is in bytes (for `U`, 4 × the number of characters).
    pub fn scalar(kind: ScalarKind, order: ByteOrder, size: usize) -> Result<DType> {
        let ok = match kind {
            ScalarKind::Bool => size == 1,
            ScalarKind::Int | ScalarKind::UInt => matches!(size, 1 | 2 | 4 | 8),
            ScalarKind::Float => matches!(size, 2 | 4 | 8 | 12 | 16),
            ScalarKind::Complex => matches!(size, 8 | 16 | 24 | 32),
            ScalarKind::Bytes | ScalarKind::Void => true,
            ScalarKind::Unicode => size % 4 == 0,
            ScalarKind::Datetime | ScalarKind::Timedelta => size == 8,
        };
        if !ok {
            bail!(
                BadDtype,
                "no NumPy dtype of kind '{}' has item size {size}",
                kind.char()
            );
        }
        let order = if size == 1 || matches!(kind, ScalarKind::Bytes | ScalarKind::Void) {
            ByteOrder::NotApplicable
        } else if order == ByteOrder::NotApplicable {
            ByteOrder::NATIVE
        } else {
            order
        };
        Ok(DType {
            layout: Layout::Scalar {
                kind,
                order,
                unit: String::new(),
            },
            itemsize: size,
        })
    }

    /// A subarray's base and shape (any other dtype comes back as the base,
    /// with no dimensions).
    pub(crate) fn into_subarray(self) -> (DType, Vec<u64>) {
        match self.layout {
            Layout::SubArray(base, shape) => (*base, shape),
            layout => (
                DType {
                    layout,
                    itemsize: self.itemsize,
                },
                Vec::new(),
            ),
        }
    }

    /// The same dtype with every scalar in host byte order.
    pub fn to_native(&self) -> DType {
        let layout = match &self.layout {
            Layout::Scalar { kind, order, unit } => Layout::Scalar {
                kind: *kind,
                order: if *order == ByteOrder::NotApplicable {
                    *order
                } else {
                    ByteOrder::NATIVE
                },
                unit: unit.clone(),
            },
            Layout::Record(fields) => Layout::Record(
                fields
                    .iter()
                    .map(|f| Field {
                        dtype: f.dtype.to_native(),
                        ..f.clone()
                    })
                    .collect(),
            ),
            Layout::SubArray(b, s) => Layout::SubArray(Box::new(b.to_native()), s.clone()),
        };
        DType {
            layout,
            itemsize: self.itemsize,
        }
    }
}

fn object_error() -> crate::error::Error {
    err!(
        ObjectDtype,
        "dtype contains Python objects ('O'); object arrays need pickle and are never loaded"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(descr: &str) {
        let d = DType::parse(descr).unwrap();
        assert_eq!(d.descr(), descr, "round trip of {descr}");
    }

    #[test]
    fn scalars_round_trip() {
        for s in [
            "'|b1'",
            "'|i1'",
            "'<i2'",
            "'>i4'",
            "'<i8'",
            "'|u1'",
            "'>u8'",
            "'<f2'",
            "'<f4'",
            "'>f8'",
            "'<f16'",
            "'<c8'",
            "'>c16'",
            "'<c32'",
            "'|S5'",
            "'<U5'",
            "'>U3'",
            "'|V8'",
            "'<M8[ns]'",
            "'<M8[D]'",
            "'<M8'",
            "'>m8[10ms]'",
            "'|S0'",
        ] {
            rt(s);
        }
    }

    #[test]
    fn normalises_like_numpy() {
        assert_eq!(DType::parse("<i1").unwrap().descr(), "'|i1'");
        assert_eq!(DType::parse("'<b1'").unwrap().descr(), "'|b1'");
        assert_eq!(DType::parse("int32").unwrap().descr(), "'<i4'");
        assert_eq!(DType::parse("=f8").unwrap().descr(), "'<f8'");
        assert_eq!(DType::parse("'<M8[1ms]'").unwrap().descr(), "'<M8[ms]'");
        assert_eq!(DType::parse("U3").unwrap().itemsize(), 12);
    }

    #[test]
    fn records() {
        rt("[('a', '<i4'), ('b', '>f8')]");
        rt("[('', '|V1'), ('a', '<i4'), ('', '|V1'), ('b', '<i4')]");
        rt("[('f0', '|i1'), ('', '|V3'), ('f1', '<i4'), ('f2', '|i1'), ('', '|V3')]");
        rt("[('', '|V8')]");
        rt("[('x', '<f8', (2, 3))]");
        rt("[(('title', 'name'), '<i4')]");
        rt("[('n', [('a', '|i1'), ('b', '<U2')]), ('c', '<f8', (5,))]");
        rt("[('r', [('a', '|i1'), ('', '|V3')], (4,))]");
        let d = DType::parse("[('c', ('<f8', (5,)), (2,))]").unwrap();
        assert_eq!(d.descr(), "[('c', ('<f8', (5,)), (2,))]");
        assert_eq!(d.itemsize(), 80);
        let d = DType::parse("[('a', '<i4'), ('', '|V4'), ('b', '>f8')]").unwrap();
        assert_eq!(d.itemsize(), 16);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            DType::parse("'|O'").unwrap_err().status(),
            crate::error::Status::ObjectDtype
        );
        assert_eq!(
            DType::parse("[('a', '<i4'), ('o', '|O')]")
                .unwrap_err()
                .status(),
            crate::error::Status::ObjectDtype
        );
        for bad in [
            "'<q9'",
            "'<f3'",
            "'<i3'",
            "'x'",
            "'<M8[parsec]'",
            "[('a',)]",
            "[('a', 'f8'), ('a', 'f8')]",
        ] {
            assert_eq!(
                DType::parse(bad).unwrap_err().status(),
                crate::error::Status::BadDtype,
                "{bad}"
            );
        }
    }
}
