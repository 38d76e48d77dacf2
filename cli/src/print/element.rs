//! The type of one element as the printer walks it (in host byte order,
//! after `READ_NATIVE`), and its integer values.

use super::float::FloatType;
use super::{time, PResult, PrintError};
use npyio::dtype::{Layout, ScalarKind};
use npyio::DType;

/// How one element is laid out (in host byte order, after READ_NATIVE).
#[derive(Clone, Debug)]
pub(super) enum ElementType {
    Bool,
    Int { size: usize, signed: bool },
    Float(FloatType),
    Complex(FloatType, usize),
    Bytes(usize),
    Unicode(usize),
    Void(usize),
    Datetime(time::Unit, i64),
    Timedelta,
    Record(Vec<(usize, ElementType)>),
    Sub(Box<ElementType>, usize, usize, Vec<u64>),
}

pub(super) fn element_type(dt: &DType) -> PResult<ElementType> {
    Ok(match dt.layout() {
        Layout::Scalar { kind, unit, .. } => {
            let n = dt.itemsize();
            match kind {
                ScalarKind::Bool => ElementType::Bool,
                ScalarKind::Int => ElementType::Int {
                    size: n,
                    signed: true,
                },
                ScalarKind::UInt => ElementType::Int {
                    size: n,
                    signed: false,
                },
                ScalarKind::Float => {
                    ElementType::Float(FloatType::of_size(n).ok_or_else(|| {
                        PrintError::Unsupported(format!("no float type of {n} bytes"))
                    })?)
                }
                ScalarKind::Complex => ElementType::Complex(
                    FloatType::of_size(n / 2).ok_or_else(|| {
                        PrintError::Unsupported(format!("no complex type of {n} bytes"))
                    })?,
                    n / 2,
                ),
                ScalarKind::Bytes => ElementType::Bytes(n),
                ScalarKind::Unicode => ElementType::Unicode(n / 4),
                ScalarKind::Void => ElementType::Void(n),
                ScalarKind::Datetime => {
                    let (u, m) = time::parse_unit(unit);
                    ElementType::Datetime(u, m)
                }
                ScalarKind::Timedelta => ElementType::Timedelta,
            }
        }
        Layout::Record(fields) => ElementType::Record(
            fields
                .iter()
                .map(|f| Ok((f.offset, element_type(&f.dtype)?)))
                .collect::<PResult<_>>()?,
        ),
        Layout::SubArray(base, shape) => {
            let count = shape.iter().product::<u64>() as usize;
            ElementType::Sub(
                Box::new(element_type(base)?),
                base.itemsize(),
                count,
                shape.clone(),
            )
        }
    })
}

pub(super) fn int_value(b: &[u8], size: usize, signed: bool) -> i128 {
    match (size, signed) {
        (1, true) => b[0] as i8 as i128,
        (1, false) => b[0] as i128,
        (2, true) => i16::from_ne_bytes([b[0], b[1]]) as i128,
        (2, false) => u16::from_ne_bytes([b[0], b[1]]) as i128,
        (4, true) => i32::from_ne_bytes(b[..4].try_into().unwrap()) as i128,
        (4, false) => u32::from_ne_bytes(b[..4].try_into().unwrap()) as i128,
        (8, true) => i64::from_ne_bytes(b[..8].try_into().unwrap()) as i128,
        _ => u64::from_ne_bytes(b[..8].try_into().unwrap()) as i128,
    }
}

pub(super) fn i64_value(b: &[u8]) -> i64 {
    i64::from_ne_bytes(b[..8].try_into().unwrap())
}
