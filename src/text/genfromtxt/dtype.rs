//! The result's dtype, as NumPy's `easy_dtype` makes it from the `dtype`
//! and the names, narrowed to the `usecols` fields; and the mask's dtype.

use super::names::NameValidator;
use super::GenfromtxtOptions;
use crate::dtype::{ByteOrder, DType, Field, Layout, ScalarKind};
use crate::error::Result;
use crate::text::columns::flatten;
use crate::{bail, err};

/// `np.bool`.
fn bool_dtype() -> Result<DType> {
    DType::scalar(ScalarKind::Bool, ByteOrder::NotApplicable, 1)
}

fn fields_of(dt: &DType) -> Vec<Field> {
    match dt.layout() {
        Layout::Record(f) => f.clone(),
        _ => Vec::new(),
    }
}

/// The dtype of a named column of scalar `dt`.
fn native_scalar(dt: &DType) -> Result<DType> {
    let n = dt.to_native();
    if let Layout::Scalar {
        kind: ScalarKind::Bytes | ScalarKind::Unicode,
        ..
    } = n.layout()
    {
        bail!(
            Unsupported,
            "names with a string dtype: NumPy makes zero-length string fields; give a structured dtype instead"
        );
    }
    Ok(n)
}

/// A structured dtype with its fields renamed.
fn rename(dt: &DType, names: &[String]) -> Result<DType> {
    let f = fields_of(dt);
    if f.len() != names.len() {
        bail!(
            InvalidArg,
            "{} names for a dtype of {} fields",
            names.len(),
            f.len()
        );
    }
    let mut out = Vec::new();
    for (fd, n) in f.iter().zip(names) {
        out.push((n.clone(), fd.dtype.clone(), fd.offset));
    }
    // Packed records only (offsets in order without gaps) are rebuilt exactly.
    let packed = out
        .iter()
        .scan(0usize, |cur, (_, d, off)| {
            let ok = *off == *cur;
            *cur += d.itemsize();
            Some(ok)
        })
        .all(|x| x)
        && out.iter().map(|(_, d, _)| d.itemsize()).sum::<usize>() == dt.itemsize();
    if !packed {
        bail!(
            Unsupported,
            "renaming the fields of a structured dtype with padding is not supported"
        );
    }
    DType::packed_record(out.into_iter().map(|(n, d, _)| (n, d)))
}

/// `easy_dtype`: the `dtype` option with the validated `names` (a record
/// of one field per name for a scalar dtype), or its own field names
/// validated.
pub(super) fn result_dtype(
    opts: &GenfromtxtOptions,
    names: Option<&[String]>,
    validator: &NameValidator,
) -> Result<DType> {
    Ok(match (names, opts.dtype.layout()) {
        (Some(n), Layout::Record(_)) => {
            let nf = fields_of(&opts.dtype).len();
            rename(&opts.dtype, &validator.validate(n, Some(nf)))?
        }
        (Some(n), _) => {
            let base = native_scalar(&opts.dtype)?;
            let n2 = validator.validate(n, None);
            DType::packed_record(n2.into_iter().map(|n| (n, base.clone())))?
        }
        (None, Layout::Record(_)) => {
            let cur: Vec<String> = fields_of(&opts.dtype)
                .iter()
                .map(|f| f.name.clone())
                .collect();
            // NumPy's default names give way to `defaultfmt`'s.
            let numbered = cur.iter().enumerate().all(|(i, n)| *n == format!("f{i}"));
            let v = if numbered && opts.defaultfmt != "f%i" {
                validator.validate(&vec![String::new(); cur.len()], None)
            } else {
                validator.validate(&cur, None)
            };
            if v != cur {
                rename(&opts.dtype, &v)?
            } else {
                opts.dtype.clone()
            }
        }
        (None, _) => opts.dtype.clone(),
    })
}

/// `usecols` with negative indices counted from the end of the first row
/// (`first_ncols` values; names are not supported), and the dtype cut to
/// the fields they select when it has more fields than there are
/// columns. Otherwise, a structured dtype whose `names` (all the
/// columns' names, validated) outnumber the columns takes the names of
/// the columns used, as NumPy renames it.
pub(super) fn select_usecols(
    opts: &GenfromtxtOptions,
    dtype: DType,
    first_ncols: usize,
    ncols: usize,
    names: Option<&[String]>,
) -> Result<(Option<Vec<i64>>, DType)> {
    let Some(mut usecols) = opts.usecols.clone().filter(|u| !u.is_empty()) else {
        return Ok((None, dtype));
    };
    for c in usecols.iter_mut() {
        if *c < 0 {
            *c += first_ncols as i64;
        }
    }
    let fields = fields_of(&dtype);
    let nfields = fields.len();
    if nfields <= ncols {
        let dtype = match names {
            Some(all) if nfields > 0 && all.len() > ncols => {
                let used = usecols
                    .iter()
                    .map(|&c| {
                        usize::try_from(c)
                            .ok()
                            .and_then(|c| all.get(c))
                            .cloned()
                            .ok_or_else(|| {
                                err!(
                                    InvalidArg,
                                    "usecols index {c} is out of range for {} names",
                                    all.len()
                                )
                            })
                    })
                    .collect::<Result<Vec<_>>>()?;
                rename(&dtype, &used)?
            }
            _ => dtype,
        };
        return Ok((Some(usecols), dtype));
    }
    let mut sel = Vec::new();
    for &c in usecols.iter() {
        let ix = if c < 0 { c + nfields as i64 } else { c };
        let fd = fields
            .get(usize::try_from(ix).unwrap_or(usize::MAX))
            .ok_or_else(|| {
                err!(
                    InvalidArg,
                    "usecols index {c} is out of range for {nfields} fields"
                )
            })?;
        sel.push((fd.name.clone(), fd.dtype.clone()));
    }
    Ok((Some(usecols), DType::packed_record(sel)?))
}

/// The mask's dtype: bool, or for a structured result the same structure
/// with every scalar a bool (NumPy's `make_mask_descr`), packed: one byte
/// per column, in the order of the columns.
pub(super) fn mask_dtype(dtype: &DType) -> Result<DType> {
    if !matches!(dtype.layout(), Layout::Record(_)) {
        return bool_dtype();
    }
    let mut flat = Vec::new();
    flatten(dtype, 0, &mut flat)?;
    let m = DType::parse(&mask_descr(dtype))?;
    if m.itemsize() != flat.len() {
        bail!(
            Unsupported,
            "a mask for this structured dtype is not supported"
        );
    }
    Ok(m)
}

/// The descr text of the mask of `dt`.
fn mask_descr(dt: &DType) -> String {
    use crate::pytext::repr::{repr_str, shape_repr};
    match dt.layout() {
        Layout::Record(fields) => {
            let items: Vec<String> = fields
                .iter()
                .map(|f| match f.dtype.layout() {
                    Layout::SubArray(base, shape) => format!(
                        "({}, {}, {})",
                        repr_str(&f.name),
                        mask_descr(base),
                        shape_repr(shape)
                    ),
                    _ => format!("({}, {})", repr_str(&f.name), mask_descr(&f.dtype)),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        _ => "'|b1'".into(),
    }
}

/// Is `dt` a plain string dtype without a length (`S`, `U`, `str`,
/// `bytes`), whose length the longest value gives?
pub(crate) fn unsized_string(dt: &DType) -> bool {
    matches!(
        dt.layout(),
        Layout::Scalar {
            kind: ScalarKind::Bytes | ScalarKind::Unicode,
            ..
        }
    ) && dt.itemsize() == 0
}

/// The string dtype `dt` (without a length) with room for `chars`
/// characters, at least one (NumPy's length found from strings, even
/// empty ones or none).
pub(crate) fn sized_string(dt: &DType, chars: usize) -> Result<DType> {
    let chars = chars.max(1);
    let d = dt.descr();
    let text = d.trim_matches('\'');
    let base = text.trim_end_matches('0');
    DType::parse(&format!("{base}{chars}"))
}
