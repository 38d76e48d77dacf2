//! Output columns: which scalar type each text column becomes, where it
//! goes in a row, and how NumPy names it in messages.

use crate::dtype::{ByteOrder, DType, Layout, ScalarKind};
use crate::error::Result;
use crate::pytext::float::f64_to_f16;
use crate::text::datetime::TimeUnit;
use crate::{bail, err};

/// The scalar a column converts to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conv {
    /// `bool`.
    Bool,
    /// Signed integer of `size` bytes.
    Int(u8),
    /// Unsigned integer of `size` bytes.
    UInt(u8),
    /// float16.
    F16,
    /// float32.
    F32,
    /// float64.
    F64,
    /// complex64.
    C64,
    /// complex128.
    C128,
    /// `S<n>`: Latin-1 bytes, NUL-padded.
    Bytes(usize),
    /// `U<n>`: UCS-4 code units, NUL-padded (`n` characters).
    Unicode(usize),
    /// `datetime64` of a unit.
    Datetime(TimeUnit),
    /// `timedelta64` of a unit, or generic (`None`).
    Timedelta(Option<TimeUnit>),
    /// `longdouble`: the platform's `long double` in 16 bytes.
    LongDouble,
    /// `clongdouble`: two x86-64 extended values in 32 bytes.
    CLongDouble,
}

impl Conv {
    /// From a scalar dtype.
    pub fn of(dt: &DType) -> Result<Conv> {
        let Layout::Scalar { kind, .. } = dt.layout() else {
            bail!(InvalidArg, "not a scalar dtype: {}", dt.descr());
        };
        let n = dt.itemsize();
        if let Layout::Scalar {
            kind: k @ (ScalarKind::Datetime | ScalarKind::Timedelta),
            unit,
            ..
        } = dt.layout()
        {
            let u = TimeUnit::parse(unit);
            return match (k, u) {
                (ScalarKind::Timedelta, _) if unit.is_empty() => Ok(Conv::Timedelta(None)),
                (ScalarKind::Timedelta, Some(u)) => Ok(Conv::Timedelta(Some(u))),
                (ScalarKind::Datetime, Some(u)) => Ok(Conv::Datetime(u)),
                _ if unit.is_empty() => bail!(
                    Unsupported,
                    "text tables cannot hold {} values: give the datetime64 a unit (e.g. M8[s])",
                    dt.descr()
                ),
                _ => bail!(
                    Unsupported,
                    "text tables cannot hold {} values: units with a multiplier are not supported",
                    dt.descr()
                ),
            };
        }
        Ok(match (kind, n) {
            (ScalarKind::Bool, _) => Conv::Bool,
            (ScalarKind::Int, _) => Conv::Int(n as u8),
            (ScalarKind::UInt, _) => Conv::UInt(n as u8),
            (ScalarKind::Float, 2) => Conv::F16,
            (ScalarKind::Float, 4) => Conv::F32,
            (ScalarKind::Float, 8) => Conv::F64,
            (ScalarKind::Complex, 8) => Conv::C64,
            (ScalarKind::Complex, 16) => Conv::C128,
            (ScalarKind::Float, 16) if crate::text::longdouble::supported(16) => Conv::LongDouble,
            (ScalarKind::Complex, 32) if cfg!(target_arch = "x86_64") => Conv::CLongDouble,
            (ScalarKind::Bytes, _) => Conv::Bytes(n),
            (ScalarKind::Unicode, _) => Conv::Unicode(n / 4),
            _ => bail!(
                Unsupported,
                "text tables cannot hold {} values (long double and void are not supported)",
                dt.descr()
            ),
        })
    }

    /// Bytes per value.
    pub fn size(self) -> usize {
        match self {
            Conv::Bool => 1,
            Conv::Int(n) | Conv::UInt(n) => n as usize,
            Conv::F16 => 2,
            Conv::F32 => 4,
            Conv::F64 | Conv::C64 | Conv::Datetime(_) | Conv::Timedelta(_) => 8,
            Conv::C128 | Conv::LongDouble => 16,
            Conv::CLongDouble => 32,
            Conv::Bytes(n) => n,
            Conv::Unicode(n) => 4 * n,
        }
    }

    /// NumPy's name for the type (`float64`, `int8`, `|S5`, `<U3`).
    pub fn name(self) -> String {
        match self {
            Conv::Bool => "bool".into(),
            Conv::Int(n) => format!("int{}", 8 * n),
            Conv::UInt(n) => format!("uint{}", 8 * n),
            Conv::F16 => "float16".into(),
            Conv::F32 => "float32".into(),
            Conv::F64 => "float64".into(),
            Conv::C64 => "complex64".into(),
            Conv::C128 => "complex128".into(),
            Conv::Bytes(n) => format!("|S{n}"),
            Conv::Unicode(n) => format!("<U{n}"),
            Conv::Datetime(u) => format!("datetime64[{}]", u.name()),
            Conv::Timedelta(Some(u)) => format!("timedelta64[{}]", u.name()),
            Conv::Timedelta(None) => "timedelta64".into(),
            Conv::LongDouble => "float128".into(),
            Conv::CLongDouble => "complex256".into(),
        }
    }

    /// Integer range of an integer type.
    pub fn int_range(self) -> (i64, i64) {
        match self {
            Conv::Int(n) => {
                let bits = 8 * n as u32;
                if bits == 64 {
                    (i64::MIN, i64::MAX)
                } else {
                    (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1)
                }
            }
            _ => (0, 0),
        }
    }

    /// Maximum of an unsigned type.
    pub fn uint_max(self) -> u64 {
        match self {
            Conv::UInt(8) => u64::MAX,
            Conv::UInt(n) => (1u64 << (8 * n as u32)) - 1,
            Conv::Bool => 1,
            _ => 0,
        }
    }
}

/// One output column: its type, byte offset in the row, and whether its
/// bytes are stored swapped (non-native byte order).
#[derive(Clone, Copy, Debug)]
pub struct OutCol {
    /// The type.
    pub conv: Conv,
    /// Offset in the row (record) in bytes.
    pub offset: usize,
    /// Byte-swap multi-byte values.
    pub swap: bool,
}

/// Flatten a dtype into columns as NumPy's text readers do: nested records
/// and subarray fields become one column per scalar.
pub fn flatten(dt: &DType, base: usize, out: &mut Vec<OutCol>) -> Result<()> {
    match dt.layout() {
        Layout::Scalar { order, .. } => {
            out.push(OutCol {
                conv: Conv::of(dt)?,
                offset: base,
                swap: *order != ByteOrder::NotApplicable && *order != ByteOrder::NATIVE,
            });
        }
        Layout::Record(fields) => {
            for f in fields {
                flatten(&f.dtype, base + f.offset, out)?;
            }
        }
        Layout::SubArray(b, shape) => {
            let n = shape.iter().product::<u64>();
            if n > 1 << 20 {
                bail!(
                    Limit,
                    "subarray of {n} items is too large for a text column set"
                );
            }
            for i in 0..n as usize {
                flatten(b, base + i * b.itemsize(), out)?;
            }
        }
    }
    Ok(())
}

/// Store a value's native bytes, swapping them when asked.
#[inline]
pub fn put(out: &mut [u8], bytes: &[u8], swap: bool) {
    out[..bytes.len()].copy_from_slice(bytes);
    if swap {
        out[..bytes.len()].reverse();
    }
}

/// Store a complex pair.
#[inline]
pub fn put_complex(out: &mut [u8], re: f64, im: f64, conv: Conv, swap: bool) {
    if conv == Conv::C64 {
        put(&mut out[..4], &(re as f32).to_ne_bytes(), swap);
        put(&mut out[4..8], &(im as f32).to_ne_bytes(), swap);
    } else {
        put(&mut out[..8], &re.to_ne_bytes(), swap);
        put(&mut out[8..16], &im.to_ne_bytes(), swap);
    }
}

/// Store a float in a float column (f16, f32, f64) or the real part of a
/// complex column.
#[inline]
pub fn put_float(out: &mut [u8], v: f64, conv: Conv, swap: bool) {
    match conv {
        Conv::F16 => put(out, &f64_to_f16(v).to_ne_bytes(), swap),
        Conv::F32 => put(out, &(v as f32).to_ne_bytes(), swap),
        Conv::C64 | Conv::C128 => put_complex(out, v, 0.0, conv, swap),
        _ => put(out, &v.to_ne_bytes(), swap),
    }
}

/// Store an integer already checked to fit the column.
#[inline]
pub fn put_int(out: &mut [u8], v: i128, conv: Conv, swap: bool) {
    match conv.size() {
        1 => out[0] = v as u8,
        2 => put(out, &(v as u16).to_ne_bytes(), swap),
        4 => put(out, &(v as u32).to_ne_bytes(), swap),
        _ => put(out, &(v as u64).to_ne_bytes(), swap),
    }
}

/// Store text in an `S` column (Latin-1, truncated, NUL-padded), as
/// `np.loadtxt` does: the text is cut to the column's length first, so
/// only the characters kept must be Latin-1 (U+0000 to U+00FF).
pub fn put_bytes(out: &mut [u8], text: &[u8]) -> Result<()> {
    let s = std::str::from_utf8(text).map_err(|_| err!(Encoding, "invalid UTF-8"))?;
    out.fill(0);
    for (slot, c) in out.iter_mut().zip(s.chars()) {
        if c as u32 > 0xff {
            bail!(Parse, "character {c:?} is not Latin-1");
        }
        *slot = c as u32 as u8;
    }
    Ok(())
}

/// Whether the whole text is Latin-1 (what `str.encode('latin-1')`
/// accepts); invalid UTF-8 is not.
pub fn is_latin1(text: &[u8]) -> bool {
    std::str::from_utf8(text).is_ok_and(|s| s.chars().all(|c| (c as u32) <= 0xff))
}

/// Store text in a `U` column (UCS-4, truncated, NUL-padded).
pub fn put_unicode(out: &mut [u8], text: &[u8], swap: bool) {
    out.fill(0);
    let s = String::from_utf8_lossy(text);
    for (c, slot) in s.chars().zip(out.chunks_exact_mut(4)) {
        put(slot, &(c as u32).to_ne_bytes(), swap);
    }
}

/// `_ensure_ndmin_ndarray`: squeeze when there are more dimensions than
/// `ndmin`, then grow to `ndmin` (a 1-D result becomes a column).
pub fn ndmin_shape(base: &[u64], ndmin: u8) -> Vec<u64> {
    let mut s: Vec<u64> = base.to_vec();
    if s.len() > ndmin as usize {
        s.retain(|&d| d != 1);
    }
    if s.len() < ndmin as usize {
        s = match (ndmin, s.len()) {
            (1, _) => vec![1],
            (2, 0) => vec![1, 1],
            (2, _) => vec![s[0], 1],
            _ => s,
        };
    }
    s
}
