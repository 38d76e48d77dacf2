//! The fourteen numeric element types (bool, the integers, the floats and
//! the complex types) by name, each with its dtype in host byte order.

use super::{ByteOrder, DType, Layout, ScalarKind};
use std::sync::OnceLock;

/// A numeric element type: one of NumPy's bool, integer, float and
/// complex dtypes, in the host's byte order.
///
/// The discriminants are the C API's `npyio_type` codes (`NPYIO_BOOL` is 1,
/// ..., `NPYIO_COMPLEX128` is 14); 0 is no type, so a zeroed variable is
/// never mistaken for one.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// `bool` (`|b1`).
    Bool = 1,
    /// `int8` (`|i1`).
    Int8 = 2,
    /// `int16` (`<i2` on little-endian hosts).
    Int16 = 3,
    /// `int32`.
    Int32 = 4,
    /// `int64`.
    Int64 = 5,
    /// `uint8` (`|u1`).
    UInt8 = 6,
    /// `uint16`.
    UInt16 = 7,
    /// `uint32`.
    UInt32 = 8,
    /// `uint64`.
    UInt64 = 9,
    /// `float16` (IEEE 754 binary16).
    Float16 = 10,
    /// `float32`.
    Float32 = 11,
    /// `float64`.
    Float64 = 12,
    /// `complex64` (two `float32`: real, imaginary).
    Complex64 = 13,
    /// `complex128` (two `float64`).
    Complex128 = 14,
}

impl Type {
    /// All types, in code order.
    pub const ALL: [Type; 14] = [
        Type::Bool,
        Type::Int8,
        Type::Int16,
        Type::Int32,
        Type::Int64,
        Type::UInt8,
        Type::UInt16,
        Type::UInt32,
        Type::UInt64,
        Type::Float16,
        Type::Float32,
        Type::Float64,
        Type::Complex64,
        Type::Complex128,
    ];

    /// The type with C code `code`, if there is one.
    pub fn from_code(code: i32) -> Option<Type> {
        Type::ALL
            .get(usize::try_from(code.checked_sub(1)?).ok()?)
            .copied()
    }

    /// The C code (`npyio_type`).
    pub fn code(self) -> i32 {
        self as i32
    }

    /// NumPy's name of the type: `"bool"`, `"int32"`, `"float64"`, ...
    pub fn name(self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::Int8 => "int8",
            Type::Int16 => "int16",
            Type::Int32 => "int32",
            Type::Int64 => "int64",
            Type::UInt8 => "uint8",
            Type::UInt16 => "uint16",
            Type::UInt32 => "uint32",
            Type::UInt64 => "uint64",
            Type::Float16 => "float16",
            Type::Float32 => "float32",
            Type::Float64 => "float64",
            Type::Complex64 => "complex64",
            Type::Complex128 => "complex128",
        }
    }

    /// The kind (`dtype.kind`).
    pub fn kind(self) -> ScalarKind {
        match self {
            Type::Bool => ScalarKind::Bool,
            Type::Int8 | Type::Int16 | Type::Int32 | Type::Int64 => ScalarKind::Int,
            Type::UInt8 | Type::UInt16 | Type::UInt32 | Type::UInt64 => ScalarKind::UInt,
            Type::Float16 | Type::Float32 | Type::Float64 => ScalarKind::Float,
            Type::Complex64 | Type::Complex128 => ScalarKind::Complex,
        }
    }

    /// The size of one item in bytes.
    pub fn itemsize(self) -> usize {
        match self {
            Type::Bool | Type::Int8 | Type::UInt8 => 1,
            Type::Int16 | Type::UInt16 | Type::Float16 => 2,
            Type::Int32 | Type::UInt32 | Type::Float32 => 4,
            Type::Int64 | Type::UInt64 | Type::Float64 | Type::Complex64 => 8,
            Type::Complex128 => 16,
        }
    }

    /// The type's dtype in host byte order. The dtypes are made once per
    /// process and shared: the reference is `'static`.
    pub fn dtype(self) -> &'static DType {
        static DTYPES: OnceLock<Vec<DType>> = OnceLock::new();
        let all = DTYPES.get_or_init(|| {
            Type::ALL
                .iter()
                .map(|t| {
                    DType::scalar(t.kind(), ByteOrder::NATIVE, t.itemsize())
                        .expect("every Type is a valid scalar dtype")
                })
                .collect()
        });
        &all[self as usize - 1]
    }

    /// The type of a dtype, and its byte order, when the dtype is one of
    /// the fourteen numeric types in either byte order (`None` for every
    /// other dtype: strings, datetimes, records, long doubles, ...).
    pub fn of(dtype: &DType) -> Option<(Type, ByteOrder)> {
        let Layout::Scalar { kind, order, .. } = dtype.layout() else {
            return None;
        };
        let t = match (kind, dtype.itemsize()) {
            (ScalarKind::Bool, 1) => Type::Bool,
            (ScalarKind::Int, 1) => Type::Int8,
            (ScalarKind::Int, 2) => Type::Int16,
            (ScalarKind::Int, 4) => Type::Int32,
            (ScalarKind::Int, 8) => Type::Int64,
            (ScalarKind::UInt, 1) => Type::UInt8,
            (ScalarKind::UInt, 2) => Type::UInt16,
            (ScalarKind::UInt, 4) => Type::UInt32,
            (ScalarKind::UInt, 8) => Type::UInt64,
            (ScalarKind::Float, 2) => Type::Float16,
            (ScalarKind::Float, 4) => Type::Float32,
            (ScalarKind::Float, 8) => Type::Float64,
            (ScalarKind::Complex, 8) => Type::Complex64,
            (ScalarKind::Complex, 16) => Type::Complex128,
            _ => return None,
        };
        Some((t, *order))
    }
}

impl std::fmt::Display for Type {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for (i, t) in Type::ALL.iter().enumerate() {
            assert_eq!(t.code(), i as i32 + 1);
            assert_eq!(Type::from_code(t.code()), Some(*t));
        }
        for bad in [0, -1, 15, i32::MIN, i32::MAX] {
            assert_eq!(Type::from_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn dtypes_are_numpys() {
        let le = cfg!(target_endian = "little");
        let expect = [
            "'|b1'", "'|i1'", "'<i2'", "'<i4'", "'<i8'", "'|u1'", "'<u2'", "'<u4'", "'<u8'",
            "'<f2'", "'<f4'", "'<f8'", "'<c8'", "'<c16'",
        ];
        for (t, e) in Type::ALL.iter().zip(expect) {
            let d = t.dtype();
            let e = if le {
                e.to_string()
            } else {
                e.replace('<', ">")
            };
            assert_eq!(d.descr(), e, "{t}");
            assert_eq!(d.itemsize(), t.itemsize());
            assert_eq!(Type::of(d), Some((*t, d.layout_order())));
            assert_eq!(DType::parse(t.name()).unwrap(), *d, "{t}");
        }
        let swapped = DType::parse(">f8").unwrap();
        assert_eq!(Type::of(&swapped), Some((Type::Float64, ByteOrder::Big)));
        for other in ["<f16", "<c32", "|S4", "<U2", "<M8[ns]", "[('a', '<i4')]"] {
            assert_eq!(Type::of(&DType::parse(other).unwrap()), None, "{other}");
        }
    }

    impl DType {
        fn layout_order(&self) -> ByteOrder {
            match self.layout() {
                Layout::Scalar { order, .. } => *order,
                _ => ByteOrder::NotApplicable,
            }
        }
    }
}
