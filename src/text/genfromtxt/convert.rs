//! The columns' converters, as NumPy's `StringConverter` picks them: the
//! Python function that converts a field, the missing-value strings, and
//! the filling value of each column.

use super::GenfromtxtOptions;
use crate::dtype::{DType, Layout};
use crate::error::{Result, Status};
use crate::text::columns::{
    flatten, is_latin1, put, put_bytes, put_complex, put_float, put_int, put_unicode, Conv, OutCol,
};
use crate::text::convert::{py_complex, py_float, py_int, py_str2bool, IntErr};
use crate::text::converters::{ConvertFn, Converted};
use crate::text::datetime::{parse_datetime, NAT};
use crate::text::longdouble;
use crate::text::tokenize::show;
use crate::{bail, err};
use std::sync::Arc;

/// What converting a field did.
pub(super) enum Conversion {
    /// A value was stored.
    Value,
    /// `ValueError`: the filling value is used (loose), or an error unless
    /// the text is a missing value (strict).
    Invalid,
}

/// Convert with the Python function NumPy uses for this dtype. `Err` is a
/// hard error (OverflowError and the like), never replaced by a default.
pub(super) fn convert_py(
    conv: Conv,
    swap: bool,
    f: &[u8],
    dst: &mut [u8],
) -> std::result::Result<Conversion, String> {
    let name = || conv.name();
    match conv {
        Conv::F16 | Conv::F32 | Conv::F64 => match py_float(f) {
            Some(v) => put_float(dst, v, conv, swap),
            None => return Ok(Conversion::Invalid),
        },
        Conv::C64 | Conv::C128 => match py_complex(f) {
            Some((re, im)) => put_complex(dst, re, im, conv, swap),
            None => return Ok(Conversion::Invalid),
        },
        Conv::Int(8) => match py_int(f) {
            Ok(v) if v >= i64::MIN as i128 && v <= i64::MAX as i128 => put_int(dst, v, conv, swap),
            Ok(_) | Err(IntErr::Overflow) => {
                return Err(format!("{} is too large for {}", show(f), name()))
            }
            Err(IntErr::Invalid) => return Ok(Conversion::Invalid),
        },
        Conv::UInt(8) => match py_int(f) {
            Ok(v) if v >= 0 && v <= u64::MAX as i128 => put_int(dst, v, conv, swap),
            Ok(_) | Err(IntErr::Overflow) => {
                return Err(format!("{} is out of bounds for {}", show(f), name()))
            }
            Err(IntErr::Invalid) => return Ok(Conversion::Invalid),
        },
        Conv::Int(_) | Conv::UInt(_) => {
            // int(float(x)), then np.array(..., dtype) checks the range.
            let Some(v) = py_float(f) else {
                return Ok(Conversion::Invalid);
            };
            if v.is_nan() {
                return Ok(Conversion::Invalid);
            }
            if v.is_infinite() {
                return Err(format!(
                    "cannot convert {} (infinity) to an integer",
                    show(f)
                ));
            }
            let t = v.trunc();
            let (lo, hi) = if let Conv::UInt(_) = conv {
                (0.0, conv.uint_max() as f64)
            } else {
                let (a, b) = conv.int_range();
                (a as f64, b as f64)
            };
            if t < lo || t > hi {
                return Err(format!("{} is out of bounds for {}", show(f), name()));
            }
            put_int(dst, t as i128, conv, swap);
        }
        Conv::Bool => match py_str2bool(f) {
            Some(b) => dst[0] = b as u8,
            None => return Ok(Conversion::Invalid),
        },
        // `str.encode('latin-1')` of the whole field; its ValueError
        // (UnicodeEncodeError) gives the filling value.
        Conv::Bytes(_) if !is_latin1(f) => return Ok(Conversion::Invalid),
        Conv::Bytes(_) => {
            put_bytes(dst, f)
                .map_err(|_| format!("{} cannot be encoded as Latin-1 for {}", show(f), name()))?;
        }
        Conv::Unicode(_) => put_unicode(dst, f, swap),
        // NumPy hands the text to the array constructor, whose parse
        // errors are errors, not filling values.
        Conv::Datetime(u) => {
            let v = match parse_datetime(f) {
                Err(_) => return Err(format!("cannot parse {} as {}", show(f), name())),
                Ok(None) => NAT,
                Ok(Some(d)) => d
                    .value(u)
                    .ok_or_else(|| format!("{} is out of range for {}", show(f), name()))?,
            };
            put(dst, &v.to_ne_bytes(), swap);
        }
        // timedelta64 is an integer to NumPy's StringConverter: int().
        Conv::Timedelta(_) => match py_int(f) {
            Ok(v) if v > i64::MIN as i128 && v <= i64::MAX as i128 => {
                put(dst, &(v as i64).to_ne_bytes(), swap)
            }
            Ok(_) | Err(IntErr::Overflow) => {
                return Err(format!("{} is too large for {}", show(f), name()))
            }
            Err(IntErr::Invalid) => return Ok(Conversion::Invalid),
        },
        // np.longdouble(text); complex(text) widened.
        Conv::LongDouble => {
            if !longdouble::parse(f, dst) {
                return Ok(Conversion::Invalid);
            }
            if swap {
                dst.reverse();
            }
        }
        Conv::CLongDouble => {
            let Some((re, im)) = py_complex(f) else {
                return Ok(Conversion::Invalid);
            };
            longdouble::from_f64(re, &mut dst[..16]);
            longdouble::from_f64(im, &mut dst[16..]);
            if swap {
                dst[..16].reverse();
                dst[16..].reverse();
            }
        }
    }
    Ok(Conversion::Value)
}

/// The default filling value's bytes for a column (NumPy's
/// `StringConverter` defaults), or the error NumPy raises when casting it.
fn default_fill(conv: Conv, swap: bool) -> Result<Vec<u8>> {
    let mut v = vec![0u8; conv.size()];
    match conv {
        Conv::F16 | Conv::F32 | Conv::F64 => put_float(&mut v, f64::NAN, conv, swap),
        Conv::C64 | Conv::C128 => put_complex(&mut v, f64::NAN, 0.0, conv, swap),
        Conv::Int(_) => put_int(&mut v, -1, conv, swap),
        Conv::UInt(_) => bail!(
            Parse,
            "missing value in a {} column: the default filling value -1 is out of bounds (give a filling value)",
            conv.name()
        ),
        Conv::Bool => v[0] = 0,
        Conv::Bytes(_) => {
            put_bytes(&mut v, b"???")?;
        }
        Conv::Unicode(_) => put_unicode(&mut v, b"???", swap),
        Conv::Datetime(_) => put(&mut v, &NAT.to_ne_bytes(), swap),
        Conv::Timedelta(_) => put(&mut v, &(-1i64).to_ne_bytes(), swap),
        Conv::LongDouble | Conv::CLongDouble => {
            convert_py(conv, swap, b"nan", &mut v)
                .map_err(|m| err!(State, "the default filling value: {m}"))?;
        }
    }
    Ok(v)
}

/// A filling value given as a float for an integer column: NumPy's
/// filling values are Python objects, and a float one is stored as
/// `int(value)` (truncated toward zero); the text form of such a value is
/// read the same way. False when it is no finite float or the integer
/// does not fit the column.
fn int_fill(conv: Conv, swap: bool, text: &str, dst: &mut [u8]) -> bool {
    // Both bounds are exact in f64: 0 or -2^(n-1), and 2^n or 2^(n-1).
    let (lo, hi_excl) = match conv {
        Conv::Int(_) => {
            let (lo, hi) = conv.int_range();
            (lo as f64, hi as f64 + 1.0)
        }
        Conv::UInt(_) => (0.0, conv.uint_max() as f64 + 1.0),
        _ => return false,
    };
    let Some(v) = py_float(text.as_bytes()).filter(|v| v.is_finite()) else {
        return false;
    };
    let t = v.trunc();
    if t < lo || t >= hi_excl {
        return false;
    }
    put_int(dst, t as i128, conv, swap);
    true
}

/// A column's converter: its output slot and the `StringConverter` of
/// NumPy's making.
#[derive(Clone)]
pub(super) struct ColumnConverter {
    pub(super) out: OutCol,
    /// Missing-value strings (always including "").
    pub(super) missing: Vec<Vec<u8>>,
    /// The filling value's bytes in the column's type and byte order, or
    /// the error using it raises.
    pub(super) fill: Result<Vec<u8>>,
    /// The caller's converter of this column, if any.
    user: Option<Arc<ConvertFn>>,
}

impl ColumnConverter {
    /// Column `i`'s converter (`None`: a column no per-column option
    /// singles out) storing into `out`.
    fn new(
        opts: &GenfromtxtOptions,
        i: Option<usize>,
        out: OutCol,
        user: Option<Arc<ConvertFn>>,
    ) -> Result<ColumnConverter> {
        let mut missing: Vec<Vec<u8>> = vec![Vec::new()];
        for m in &opts.missing_values {
            missing.push(m.as_bytes().to_vec());
        }
        if let Some(Some(m)) = i.and_then(|i| opts.column_missing_values.get(i)) {
            if !missing.iter().any(|x| x == m.as_bytes()) {
                missing.push(m.as_bytes().to_vec());
            }
        }
        let fill_text = if opts.filling_values.is_empty() {
            opts.filling_value.clone()
        } else {
            i.and_then(|i| opts.filling_values.get(i))
                .cloned()
                .flatten()
        };
        let fill = match fill_text {
            None => default_fill(out.conv, out.swap),
            Some(t) => {
                let mut v = vec![0u8; out.conv.size()];
                match convert_py(out.conv, out.swap, t.as_bytes(), &mut v) {
                    Ok(Conversion::Value) => Ok(v),
                    Ok(Conversion::Invalid) if int_fill(out.conv, out.swap, &t, &mut v) => Ok(v),
                    _ => Err(err!(
                        InvalidArg,
                        "filling value {} cannot be converted to {}",
                        show(t.as_bytes()),
                        out.conv.name()
                    )),
                }
            }
        };
        if let Err(e) = &fill {
            if e.status() == Status::InvalidArg {
                return Err(e.clone());
            }
        }
        Ok(ColumnConverter {
            out,
            missing,
            fill,
            user,
        })
    }

    /// Convert field `f` into `dst` (the slot `oc`): with the caller's
    /// converter if the column has one, else as NumPy's converter for the
    /// dtype.
    #[inline]
    pub(super) fn convert(
        &self,
        oc: OutCol,
        f: &[u8],
        dst: &mut [u8],
    ) -> std::result::Result<Conversion, String> {
        let Some(func) = &self.user else {
            return convert_py(oc.conv, oc.swap, f, dst);
        };
        dst.fill(0);
        match func(f, dst) {
            Converted::Stored => Ok(Conversion::Value),
            Converted::Invalid => Ok(Conversion::Invalid),
            Converted::Failed => Err(format!("the converter failed on {}", show(f))),
        }
    }

    /// Is the (stripped) field a missing value of this column?
    pub(super) fn is_missing(&self, stripped: &[u8]) -> bool {
        stripped.is_empty() || self.missing[1..].iter().any(|m| m.as_slice() == stripped)
    }

    /// The values NumPy also masks in a structured result: the missing
    /// strings converted (or the filling value where they do not convert).
    pub(super) fn missing_values(&self) -> Vec<Vec<u8>> {
        let mut vals = Vec::new();
        for s in self.missing.iter().filter(|s| !s.is_empty()) {
            let mut v = vec![0u8; self.out.conv.size()];
            match self.convert(self.out, s, &mut v) {
                Ok(Conversion::Value) => vals.push(v),
                Ok(Conversion::Invalid) => {
                    if let Ok(f) = &self.fill {
                        vals.push(f.clone())
                    }
                }
                Err(_) => {}
            }
        }
        vals
    }
}

/// The columns' converters: one per column for the first ones, then one
/// template for all the others (homogeneous dtypes), which differ only in
/// their offsets.
pub(super) struct Converters {
    /// The columns converted: the first ones (all of them unless a
    /// structured dtype has fewer fields).
    pub(super) columns: usize,
    pub(super) first: Vec<ColumnConverter>,
    rest: Option<ColumnConverter>,
    itemsize: usize,
    /// Bytes per row of the result.
    pub(super) row_size: usize,
}

impl Converters {
    /// The converters of `ncols` columns into `dtype` (a structured dtype:
    /// one column per field; `first_ncols`, the values of the first row,
    /// must then match).
    pub(super) fn new(
        opts: &GenfromtxtOptions,
        dtype: &DType,
        ncols: usize,
        first_ncols: usize,
    ) -> Result<Converters> {
        let mut flat = Vec::new();
        flatten(dtype, 0, &mut flat)?;
        let user = if opts.converters.is_empty() || first_ncols == 0 {
            vec![None; ncols]
        } else {
            opts.converters
                .resolve(opts.usecols.as_deref(), first_ncols, ncols)?
        };
        // Structured: one column per field. Homogeneous: columns differ only
        // in their offsets, unless the per-column missing or filling values
        // single some out, so one template serves all the others.
        let (outcols, template, row_size): (Vec<OutCol>, Option<OutCol>, usize) =
            if matches!(dtype.layout(), Layout::Record(_)) {
                // NumPy converts the first columns when the dtype has fewer
                // (flattened) fields than there are columns, but not for one
                // field or with a mask.
                let fewer = flat.len() > 1 && flat.len() < ncols && !opts.usemask;
                if first_ncols > 0 && flat.len() != ncols && !fewer {
                    bail!(
                        InvalidArg,
                        "the dtype has {} fields but the rows have {ncols} columns{}",
                        flat.len(),
                        if flat.len() < ncols && opts.usemask {
                            " (without usemask the first columns would be used)"
                        } else {
                            ""
                        }
                    );
                }
                (flat, None, dtype.itemsize())
            } else {
                let isz = dtype.itemsize();
                if isz == 0 {
                    bail!(
                        Unsupported,
                        "dtype {} has no length; give one",
                        dtype.descr()
                    );
                }
                // A caller's converter singles out its column too.
                let with_user = user.iter().rposition(Option::is_some).map_or(0, |k| k + 1);
                let special = opts
                    .column_missing_values
                    .len()
                    .max(opts.filling_values.len())
                    .max(with_user)
                    .min(ncols);
                let row_size = isz
                    .checked_mul(ncols)
                    .ok_or_else(|| err!(Overflow, "a row of {ncols} × {isz} bytes overflows"))?;
                (
                    (0..special)
                        .map(|i| OutCol {
                            offset: i * isz,
                            ..flat[0]
                        })
                        .collect(),
                    (ncols > special).then_some(flat[0]),
                    row_size,
                )
            };
        let mut first = Vec::new();
        first.try_reserve_exact(outcols.len()).map_err(|_| {
            err!(
                Alloc,
                "cannot allocate memory for {} columns",
                outcols.len()
            )
        })?;
        for (i, oc) in outcols.iter().enumerate() {
            let u = user.get(i).cloned().flatten();
            first.push(ColumnConverter::new(opts, Some(i), *oc, u)?);
        }
        Ok(Converters {
            columns: if template.is_some() {
                ncols
            } else {
                outcols.len().min(ncols)
            },
            itemsize: dtype.itemsize(),
            rest: template
                .map(|oc| ColumnConverter::new(opts, None, oc, None))
                .transpose()?,
            first,
            row_size,
        })
    }

    /// Column `i`'s output slot and converter.
    #[inline]
    pub(super) fn get(&self, i: usize) -> Option<(OutCol, &ColumnConverter)> {
        match (self.first.get(i), &self.rest) {
            (Some(c), _) => Some((c.out, c)),
            (None, Some(c)) => Some((
                OutCol {
                    offset: i * self.itemsize,
                    ..c.out
                },
                c,
            )),
            (None, None) => None,
        }
    }
}

/// `a == b` for two stored values of a column (floats by value: NaN never
/// equal, -0.0 == 0.0).
pub(super) fn value_eq(conv: Conv, swap: bool, a: &[u8], b: &[u8]) -> bool {
    let f = |x: &[u8]| -> Vec<f64> {
        let mut y = x.to_vec();
        let unit = match conv {
            Conv::C64 | Conv::F32 => 4,
            Conv::C128 | Conv::F64 => 8,
            Conv::F16 => 2,
            _ => 0,
        };
        if swap && unit > 0 {
            for c in y.chunks_exact_mut(unit) {
                c.reverse();
            }
        }
        y.chunks_exact(unit.max(1))
            .map(|c| match unit {
                2 => crate::pytext::float::f16_to_f64(u16::from_ne_bytes([c[0], c[1]])),
                4 => f32::from_ne_bytes([c[0], c[1], c[2], c[3]]) as f64,
                _ => f64::from_ne_bytes(c.try_into().unwrap_or([0; 8])),
            })
            .collect()
    };
    match conv {
        Conv::F16 | Conv::F32 | Conv::F64 | Conv::C64 | Conv::C128 => f(a) == f(b),
        _ => a == b,
    }
}
