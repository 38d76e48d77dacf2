//! NumPy's casting between the fourteen numeric [`Type`]s: the rules
//! (`np.can_cast(from, to, casting)`) and the values (`a.astype(to)`).
//!
//! [`Casting`] names NumPy's five rules; [`check`] says whether a stored
//! dtype may be cast to a type under a rule (refusals are
//! [`Status::Cast`](crate::Status::Cast) errors naming both dtypes);
//! [`convert`] converts elements, with the values of NumPy 2 on x86-64
//! (its documentation lists the cases C leaves to the platform).
//! Readers that use them: [`NpyFile::read_as`](crate::NpyFile::read_as),
//! [`NpzFile::read_as`](crate::npz::NpzFile::read_as).

mod convert;
pub mod half;

pub use convert::convert;

use crate::dtype::{ByteOrder, DType, ScalarKind, Type};
use crate::error::Result;
use crate::{bail, err};

/// NumPy's casting rules, with NumPy's numbers (`NPY_NO_CASTING` ... `NPY_UNSAFE_CASTING`).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Casting {
    /// `'no'`: the same type in the same byte order.
    No = 0,
    /// `'equiv'`: the same type, any byte order.
    Equiv = 1,
    /// `'safe'`: every value is kept (`int32` to `float64`, not `float64`
    /// to `int32` nor `int32` to `int16`).
    #[default]
    Safe = 2,
    /// `'same_kind'`: safe, or within a kind or to a higher kind (bool <
    /// unsigned < signed < float < complex): `float64` to `float32`, `int64`
    /// to `int8`, `uint8` to `int8`; not `float64` to `int32`.
    SameKind = 3,
    /// `'unsafe'`: anything.
    Unsafe = 4,
}

impl Casting {
    /// All rules, in order.
    pub const ALL: [Casting; 5] = [
        Casting::No,
        Casting::Equiv,
        Casting::Safe,
        Casting::SameKind,
        Casting::Unsafe,
    ];

    /// The rule with NumPy's number `code`.
    pub fn from_code(code: i32) -> Option<Casting> {
        Casting::ALL.get(usize::try_from(code).ok()?).copied()
    }

    /// NumPy's name: `"no"`, `"equiv"`, `"safe"`, `"same_kind"`, `"unsafe"`.
    pub fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }
}

/// The order of kinds for `same_kind`: a cast to a kind at or above the
/// source's is of the same kind.
fn kind_rank(t: Type) -> u8 {
    match t.kind() {
        ScalarKind::Bool => 0,
        ScalarKind::UInt => 1,
        ScalarKind::Int => 2,
        ScalarKind::Float => 3,
        _ => 4,
    }
}

/// The smallest float size (bytes) that holds every value of an integer
/// of `size` bytes, as NumPy counts it.
fn float_for_int(size: usize) -> usize {
    match size {
        1 => 2,
        2 => 4,
        _ => 8,
    }
}

/// `np.can_cast(from, to, 'safe')` for the numeric types.
pub fn safe(from: Type, to: Type) -> bool {
    use ScalarKind::*;
    let (fk, fs) = (from.kind(), from.itemsize());
    let (tk, ts) = (to.kind(), to.itemsize());
    match (fk, tk) {
        _ if from == to => true,
        (Bool, _) => true,
        (_, Bool) => false,
        (UInt, UInt) | (Int, Int) | (Float, Float) | (Complex, Complex) => ts >= fs,
        (UInt, Int) => ts > fs,
        (Int, UInt) => false,
        (Int | UInt, Float) => ts >= float_for_int(fs),
        (Int | UInt, Complex) => ts / 2 >= float_for_int(fs),
        (Float, Complex) => ts / 2 >= fs,
        _ => false,
    }
}

/// `np.can_cast(from, to, casting)` for a stored numeric type in byte
/// order `order` and a type in host byte order.
pub fn can_cast(from: Type, order: ByteOrder, to: Type, casting: Casting) -> bool {
    let native = order != ByteOrder::opposite_of_native();
    match casting {
        Casting::No => from == to && native,
        Casting::Equiv => from == to,
        Casting::Safe => safe(from, to),
        Casting::SameKind => safe(from, to) || kind_rank(from) <= kind_rank(to),
        Casting::Unsafe => true,
    }
}

/// The stored type of `dtype` if it may be cast to `to` under `casting`.
/// Errors: [`Status::Cast`](crate::Status::Cast) when NumPy's rule refuses
/// the cast (or the dtype is not numeric, under `no`, `equiv` and `safe`,
/// where NumPy refuses too); [`Status::Unsupported`](crate::Status::Unsupported)
/// for a dtype that is not one of the fourteen numeric types under
/// `same_kind` and `unsafe` (strings, datetimes, records, long doubles).
pub fn check(dtype: &DType, to: Type, casting: Casting) -> Result<Type> {
    let Some((from, order)) = Type::of(dtype) else {
        let what = dtype.descr_short();
        if matches!(casting, Casting::SameKind | Casting::Unsafe) {
            bail!(
                Unsupported,
                "cannot convert {what} to {to}: only bool, integer, float and complex arrays \
                 (of the fourteen numeric types) are converted"
            );
        }
        return Err(refusal(&what, to, casting));
    };
    if !can_cast(from, order, to, casting) {
        let what = format!("{} ({from})", dtype.typestr());
        return Err(refusal(&what, to, casting));
    }
    Ok(from)
}

fn refusal(from: &str, to: Type, casting: Casting) -> crate::Error {
    err!(
        Cast,
        "cannot cast {from} to {} ({to}) under the casting rule '{}'",
        to.dtype().typestr(),
        casting.name()
    )
}

impl ByteOrder {
    /// The byte order that is not the host's.
    fn opposite_of_native() -> ByteOrder {
        match ByteOrder::NATIVE {
            ByteOrder::Little => ByteOrder::Big,
            _ => ByteOrder::Little,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_table_spot_checks() {
        assert!(safe(Type::Int32, Type::Float64));
        assert!(!safe(Type::Float64, Type::Int32));
        assert!(!safe(Type::Int32, Type::Int16));
        assert!(safe(Type::Int64, Type::Float64));
        assert!(!safe(Type::Int64, Type::Complex64));
        assert!(safe(Type::UInt8, Type::Float16));
        assert!(safe(Type::Float16, Type::Complex64));
        assert!(!safe(Type::Int8, Type::UInt64));
        let n = ByteOrder::NATIVE;
        assert!(can_cast(Type::UInt64, n, Type::Int8, Casting::SameKind));
        assert!(!can_cast(Type::Int8, n, Type::UInt64, Casting::SameKind));
        assert!(!can_cast(Type::Float16, n, Type::Int64, Casting::SameKind));
        let other = ByteOrder::opposite_of_native();
        assert!(!can_cast(Type::Float64, other, Type::Float64, Casting::No));
        assert!(can_cast(
            Type::Float64,
            other,
            Type::Float64,
            Casting::Equiv
        ));
        assert!(can_cast(
            Type::Bool,
            ByteOrder::NotApplicable,
            Type::Bool,
            Casting::No
        ));
    }

    #[test]
    fn messages_name_both_dtypes() {
        let e = check(&DType::parse(">f8").unwrap(), Type::Int32, Casting::Safe).unwrap_err();
        assert_eq!(e.status(), crate::Status::Cast);
        assert!(e.message().contains(">f8 (float64)"), "{e}");
        assert!(
            e.message().contains("int32") && e.message().contains("'safe'"),
            "{e}"
        );
        let e = check(&DType::parse("|S3").unwrap(), Type::Int32, Casting::Unsafe).unwrap_err();
        assert_eq!(e.status(), crate::Status::Unsupported);
        assert!(e.message().contains("|S3"), "{e}");
    }
}
