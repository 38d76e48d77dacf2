//! The row layout of `np.loadtxt`'s result: which output column each
//! field goes to, the shape, and NumPy's conversion of one field.

use super::LoadtxtOptions;
use crate::bail;
use crate::dtype::{DType, Layout};
use crate::error::Result;
use crate::text::columns::{
    flatten, ndmin_shape, put, put_bytes, put_complex, put_float, put_int, put_unicode, Conv,
    OutCol,
};
use crate::text::convert::{np_complex, np_float, np_int, np_uint, py_float, IntErr};
use crate::text::converters::{ColumnFns, Converted, Converters};
use crate::text::datetime::{parse_datetime, parse_timedelta, NAT};
use crate::text::longdouble;
use crate::text::tokenize::{field_err, show, Row};
use std::sync::OnceLock;

/// How the fields of a row become the bytes of a row of the result.
pub(super) struct RowLayout {
    /// The result's dtype.
    pub(super) dtype: DType,
    /// The output columns (homogeneous: the first, whose offset the others
    /// shift by the item size).
    pub(super) cols: Vec<OutCol>,
    /// A scalar dtype: a 2-D result of any number of columns.
    pub(super) homogeneous: bool,
    pub(super) itemsize: usize,
    pub(super) usecols: Option<Vec<i64>>,
    /// Output columns (homogeneous: discovered from the first row).
    pub(super) ncols: Option<usize>,
    /// Every column a native float64: converted without dispatch.
    fast_f64: bool,
    /// A string dtype without a length (`S`, `U`): nothing is stored, the
    /// longest field (in characters) is measured into `longest`.
    pub(super) measure: bool,
    pub(super) longest: std::sync::atomic::AtomicUsize,
    /// The caller's converters, and each output column's one (resolved
    /// when the number of columns is known).
    converters: Converters,
    column_fns: OnceLock<Result<ColumnFns>>,
}

impl RowLayout {
    pub(super) fn new(opts: &LoadtxtOptions) -> Result<RowLayout> {
        let dt = &opts.dtype;
        let homogeneous = !matches!(dt.layout(), Layout::Record(_));
        if let Layout::SubArray(..) = dt.layout() {
            bail!(
                InvalidArg,
                "the text reader does not take a subarray dtype; wrap it in a structured one"
            );
        }
        let mut cols = Vec::new();
        flatten(dt, 0, &mut cols)?;
        let measure = homogeneous
            && dt.itemsize() == 0
            && matches!(cols[0].conv, Conv::Bytes(_) | Conv::Unicode(_));
        if homogeneous && dt.itemsize() == 0 && !measure {
            bail!(
                Unsupported,
                "dtype {} has no length; give one (e.g. 'U10' or 'S10')",
                dt.descr()
            );
        }
        let ncols = match (&opts.usecols, homogeneous) {
            (Some(u), true) => Some(u.len()),
            (Some(u), false) => {
                if u.len() != cols.len() {
                    bail!(
                        InvalidArg,
                        "with a structured dtype, usecols must name one column per field: {} usecols for {} fields",
                        u.len(),
                        cols.len()
                    );
                }
                Some(u.len())
            }
            (None, true) => None,
            (None, false) => Some(cols.len()),
        };
        let fast_f64 = homogeneous
            && cols[0].conv == Conv::F64
            && !cols[0].swap
            && opts.usecols.is_none()
            && opts.converters.is_empty();
        Ok(RowLayout {
            dtype: dt.clone(),
            cols,
            homogeneous,
            itemsize: dt.itemsize(),
            usecols: opts.usecols.clone(),
            ncols,
            fast_f64,
            measure,
            longest: Default::default(),
            converters: opts.converters.clone(),
            column_fns: OnceLock::new(),
        })
    }

    /// Has the caller given converters?
    pub(super) fn has_converters(&self) -> bool {
        !self.converters.is_empty()
    }

    /// Each output column's converter, for rows of `nf` values.
    fn column_fns(&self, nf: usize, ncols: usize) -> Result<&ColumnFns> {
        self.column_fns
            .get_or_init(|| self.converters.resolve(self.usecols.as_deref(), nf, ncols))
            .as_ref()
            .map_err(|e| e.clone())
    }

    pub(super) fn row_size(&self) -> usize {
        if self.homogeneous {
            self.itemsize * self.ncols.unwrap_or(1)
        } else {
            self.itemsize
        }
    }

    /// The array shape NumPy returns for `rows` rows.
    pub(super) fn shape(&self, rows: u64, ndmin: u8) -> Vec<u64> {
        let base = if self.homogeneous {
            vec![rows, self.ncols.unwrap_or(1) as u64]
        } else {
            vec![rows]
        };
        ndmin_shape(&base, ndmin)
    }

    /// Convert one tokenized row into `out` (one row of the result).
    #[inline]
    pub(super) fn fill(&self, text: &[u8], row: &Row, line: u64, out: &mut [u8]) -> Result<()> {
        let nf = row.len();
        let ncols = self.ncols.unwrap_or(nf);
        if self.usecols.is_none() && nf != ncols {
            bail!(
                Parse,
                "line {line}: the number of columns changed from {ncols} to {nf} (use usecols to read a subset)"
            );
        }
        if self.fast_f64 {
            for (i, slot) in out.chunks_exact_mut(8).enumerate().take(ncols) {
                let f = row.get(text, i);
                match np_float(f) {
                    Some(v) => slot.copy_from_slice(&v.to_ne_bytes()),
                    None => {
                        return Err(field_err(
                            line,
                            i + 1,
                            format_args!("cannot parse {} as float64", show(f)),
                        ))
                    }
                }
            }
            return Ok(());
        }
        let fns = if self.has_converters() {
            Some(self.column_fns(nf, ncols)?)
        } else {
            None
        };
        for i in 0..ncols {
            let col = match &self.usecols {
                Some(u) => {
                    let c = u[i];
                    let r = if c < 0 { c + nf as i64 } else { c };
                    if r < 0 || r >= nf as i64 {
                        let shown = if c >= 0 { c + 1 } else { c };
                        bail!(
                            Parse,
                            "line {line}, column {shown}: no such column (usecols index {c}; the row has {nf} columns)"
                        );
                    }
                    r as usize
                }
                None => i,
            };
            let oc = if self.homogeneous {
                OutCol {
                    offset: i * self.itemsize,
                    ..self.cols[0]
                }
            } else {
                self.cols[i]
            };
            let f = row.get(text, col);
            if self.measure {
                let n = f.iter().filter(|&&b| (b as i8) >= -0x40).count();
                self.longest
                    .fetch_max(n, std::sync::atomic::Ordering::Relaxed);
            }
            let dst = &mut out[oc.offset..oc.offset + oc.conv.size()];
            if let Some(func) = fns.and_then(|c| c[i].as_ref()) {
                dst.fill(0);
                if func(f, dst) != Converted::Stored {
                    return Err(field_err(
                        line,
                        col + 1,
                        format_args!("the converter refused {}", show(f)),
                    ));
                }
                continue;
            }
            convert_np(oc, f, dst).map_err(|m| field_err(line, col + 1, m))?;
        }
        Ok(())
    }
}

/// `np.loadtxt`'s conversion of one field; the error is the message tail.
#[inline]
pub(super) fn convert_np(oc: OutCol, f: &[u8], dst: &mut [u8]) -> std::result::Result<(), String> {
    let bad = || format!("cannot parse {} as {}", show(f), oc.conv.name());
    let int_err = |e: IntErr| match e {
        IntErr::Overflow => format!("{} is out of range for {}", show(f), oc.conv.name()),
        IntErr::Invalid
            if matches!(oc.conv, Conv::UInt(_)) && np_int(f, i64::MIN, i64::MAX).is_ok() =>
        {
            format!(
                "cannot parse {} as {} (an unsigned column takes no minus sign)",
                show(f),
                oc.conv.name()
            )
        }
        IntErr::Invalid if np_float(f).is_some() => format!(
            "cannot parse {} as {} (a float is not accepted in an integer column)",
            show(f),
            oc.conv.name()
        ),
        IntErr::Invalid => bad(),
    };
    match oc.conv {
        Conv::F64 => put(dst, &np_float(f).ok_or_else(bad)?.to_ne_bytes(), oc.swap),
        Conv::F32 => put(
            dst,
            &(np_float(f).ok_or_else(bad)? as f32).to_ne_bytes(),
            oc.swap,
        ),
        Conv::F16 => put_float(dst, py_float(f).ok_or_else(bad)?, oc.conv, oc.swap),
        Conv::Int(_) => {
            let (lo, hi) = oc.conv.int_range();
            let v = np_int(f, lo, hi).map_err(int_err)?;
            put_int(dst, v as i128, oc.conv, oc.swap);
        }
        Conv::UInt(_) => {
            let v = np_uint(f, oc.conv.uint_max()).map_err(int_err)?;
            put_int(dst, v as i128, oc.conv, oc.swap);
        }
        Conv::Bool => {
            let v = np_int(f, i64::MIN, i64::MAX).map_err(int_err)?;
            dst[0] = (v != 0) as u8;
        }
        Conv::C64 | Conv::C128 => {
            let (re, im) = np_complex(f).ok_or_else(bad)?;
            put_complex(dst, re, im, oc.conv, oc.swap);
        }
        Conv::Bytes(_) => put_bytes(dst, f).map_err(|e| {
            format!(
                "cannot store {} as {}: {}",
                show(f),
                oc.conv.name(),
                e.message()
            )
        })?,
        Conv::Unicode(_) => put_unicode(dst, f, oc.swap),
        Conv::Datetime(u) => {
            let v = match parse_datetime(f).map_err(|_| bad())? {
                None => NAT,
                Some(d) => d
                    .value(u)
                    .ok_or_else(|| format!("{} is out of range for {}", show(f), oc.conv.name()))?,
            };
            put(dst, &v.to_ne_bytes(), oc.swap);
        }
        Conv::Timedelta(_) => {
            let v = parse_timedelta(f).map_err(int_err)?;
            put(dst, &v.to_ne_bytes(), oc.swap);
        }
        Conv::LongDouble => {
            if !longdouble::parse(f, dst) {
                return Err(bad());
            }
            if oc.swap {
                dst.reverse();
            }
        }
        Conv::CLongDouble => {
            // As NumPy: a complex128 widened.
            let (re, im) = np_complex(f).ok_or_else(bad)?;
            longdouble::from_f64(re, &mut dst[..16]);
            longdouble::from_f64(im, &mut dst[16..]);
            if oc.swap {
                dst[..16].reverse();
                dst[16..].reverse();
            }
        }
    }
    Ok(())
}
