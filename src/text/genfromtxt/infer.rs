//! `dtype=None` and string dtypes without a length: one pass over the rows
//! before they are converted finds each column's type, as NumPy's
//! `StringConverter` upgrades it, and the longest value of each column.
//!
//! NumPy tries, per column and in this order, `str2bool`, `int` (within
//! int64), `float`, `complex`, then gives the column the `str` type; a
//! column ends at the first of these that accepts every value (a missing
//! value is accepted by any of them). The pass keeps, per column, the set
//! of types that accepted every value so far, so memory is bounded by the
//! number of columns, not of rows. Datetime strings are not recognised
//! (NumPy's list of converters has no datetime entry): they are strings.
//! NumPy's `longdouble` entry, between complex and the string type, only
//! accepts what `complex` refuses for hexadecimal floats (`0x1p3`); such a
//! column is a string column here.

use super::split::{with_newline, FieldSpans, LineSplitter};
use super::{Delimiter, GenfromtxtOptions};
use crate::dtype::DType;
use crate::error::Result;
use crate::text::convert::{py_complex, py_float, py_int, py_str2bool, IntErr};
use crate::text::tokenize::{check_utf8, line_end, py_strip};
use crate::{bail, err};
use std::collections::VecDeque;

/// The column types of NumPy's upgrade chain, as bits of an acceptance set.
const BOOL: u8 = 1;
const INT: u8 = 2;
const FLOAT: u8 = 4;
const COMPLEX: u8 = 8;
const STR: u8 = 16;
const ALL: u8 = BOOL | INT | FLOAT | COMPLEX | STR;

/// What the pass learnt of one column.
#[derive(Clone, Debug)]
pub(super) struct Column {
    /// The types that accepted every value.
    accept: u8,
    /// A missing value that `str2bool` refuses was seen: a column that
    /// stays boolean is then not "checked" (NumPy's `_checked`), and does
    /// not count when deciding whether the result is one plain array.
    bool_missing: bool,
    /// The longest value in characters (the rows dropped by `skip_footer`
    /// excepted).
    pub(super) max_chars: usize,
    missing: Vec<Vec<u8>>,
    /// The first value that is not missing was an integer (`Some(true)`),
    /// or something else (`Some(false)`). NumPy's upgrade through its
    /// abstract `integer` entry raises TypeError on a column that starts
    /// with an integer and ends as strings.
    int_first: Option<bool>,
}

impl Column {
    /// The type NumPy settles on: the first that accepted every value.
    fn kind(&self) -> u8 {
        let a = if self.accept == 0 { STR } else { self.accept };
        1 << a.trailing_zeros()
    }

    fn checked(&self) -> bool {
        !(self.kind() == BOOL && self.bool_missing)
    }

    fn is_missing(&self, v: &[u8]) -> bool {
        let s = py_strip(v);
        s.is_empty() || self.missing.iter().any(|m| m.as_slice() == s)
    }

    fn see(&mut self, v: &[u8]) {
        let bool_ok = py_str2bool(v).is_some();
        let missing = self.is_missing(v);
        if self.int_first.is_none() {
            if !matches!(py_int(v), Err(IntErr::Invalid)) {
                self.int_first = Some(true);
            } else if !missing {
                self.int_first = Some(false);
            }
        }
        if missing {
            self.bool_missing |= !bool_ok;
            return;
        }
        let mut ok = STR;
        if bool_ok {
            ok |= BOOL;
        }
        if self.accept & INT != 0 && matches!(py_int(v), Ok(i) if i64::try_from(i).is_ok()) {
            ok |= INT;
        }
        if self.accept & FLOAT != 0 && py_float(v).is_some() {
            ok |= FLOAT;
        }
        if self.accept & (COMPLEX | FLOAT) != 0 && (ok & FLOAT != 0 || py_complex(v).is_some()) {
            ok |= COMPLEX;
        }
        self.accept &= ok;
    }
}

/// Characters in UTF-8 text.
fn chars(v: &[u8]) -> usize {
    v.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// The columns of the rows of `body` (the text after the first line's
/// names, whose first line is physical line `phys_base`): every kept row
/// (as the converters see them: empty lines, rows with the wrong number
/// of values, and rows past `max_rows` left out).
pub(super) fn scan(
    opts: &GenfromtxtOptions,
    splitter: &LineSplitter,
    usecols: Option<&[i64]>,
    ncols: usize,
    body: &[u8],
    phys_base: u64,
) -> Result<Vec<Column>> {
    check_utf8(body, phys_base)?;
    let mut cols = Vec::new();
    cols.try_reserve_exact(ncols)
        .map_err(|_| err!(Alloc, "cannot allocate memory for {ncols} columns"))?;
    for i in 0..ncols {
        let mut missing: Vec<Vec<u8>> = opts
            .missing_values
            .iter()
            .map(|m| m.as_bytes().to_vec())
            .collect();
        if let Some(Some(m)) = opts.column_missing_values.get(i) {
            missing.push(m.as_bytes().to_vec());
        }
        cols.push(Column {
            accept: ALL,
            bool_missing: false,
            max_chars: 0,
            missing,
            int_first: None,
        });
    }
    let footer = opts.skip_footer as usize;
    // The lengths of the last `skip_footer` rows, kept until a later row
    // shows they are not in the footer.
    let mut window: VecDeque<Vec<usize>> = VecDeque::new();
    let limit = opts.max_rows.unwrap_or(u64::MAX);
    let mut rows = 0u64;
    let mut fields: FieldSpans = Vec::new();
    let mut linebuf: Vec<u8> = Vec::new();
    let mut pos = 0usize;
    let mut phys = phys_base;
    while pos < body.len() && rows < limit {
        let (end, next) = line_end(body, pos).unwrap_or((body.len(), body.len()));
        let line: &[u8] = if next > end && matches!(splitter.delimiter, Delimiter::Widths(_)) {
            with_newline(&mut linebuf, &body[pos..end], phys)?;
            &linebuf
        } else {
            &body[pos..end]
        };
        splitter.split(line, &mut fields, phys)?;
        pos = next;
        phys += 1;
        let nb = fields.len();
        if nb == 0 {
            continue;
        }
        let pick = |i: usize| -> Option<&[u8]> {
            let r = match usecols {
                Some(u) => {
                    let c = u[i];
                    if c < 0 {
                        c + nb as i64
                    } else {
                        c
                    }
                }
                None => i as i64,
            };
            let f = fields.get(usize::try_from(r).ok()?)?;
            Some(&line[f.0 as usize..f.1 as usize])
        };
        if usecols.is_none() && nb != ncols || (0..ncols).any(|i| pick(i).is_none()) {
            continue;
        }
        rows += 1;
        let mut lens = Vec::new();
        if footer > 0 {
            lens.try_reserve_exact(ncols)
                .map_err(|_| err!(Alloc, "cannot allocate memory for {ncols} columns"))?;
        }
        for (i, c) in cols.iter_mut().enumerate() {
            let v = pick(i).unwrap_or_default();
            c.see(v);
            if footer > 0 {
                lens.push(chars(v));
            } else {
                c.max_chars = c.max_chars.max(chars(v));
            }
        }
        if footer > 0 {
            window.push_back(lens);
            if window.len() > footer {
                if let Some(old) = window.pop_front() {
                    for (c, n) in cols.iter_mut().zip(old) {
                        c.max_chars = c.max_chars.max(n);
                    }
                }
            }
        }
    }
    Ok(cols)
}

/// The dtype of one inferred column; strings as `U` of the column's
/// longest value.
fn column_dtype(c: &Column) -> Result<DType> {
    DType::parse(&match c.kind() {
        BOOL => "|b1".to_string(),
        INT => "<i8".to_string(),
        FLOAT => "<f8".to_string(),
        COMPLEX => "<c16".to_string(),
        _ => format!("<U{}", c.max_chars),
    })
}

/// How the inferred result is laid out.
pub(super) enum Inferred {
    /// One plain array of this dtype (every checked column has its type).
    Plain(DType),
    /// Plain after conversion: the rows are read into the record dtype
    /// `record` (one field per column), then its boolean fields are cast
    /// to the plain dtype `to` (NumPy's `np.array(rows, dtype)`).
    PlainAfterCast { record: DType, to: DType },
    /// A structured array.
    Record(DType),
}

/// The result's dtype from the columns: with `names` (already validated
/// and narrowed to the columns used), a record of these names; without,
/// one plain array when every checked column has the same type (strings
/// of the longest value of all), else a record named by `defaultfmt`.
pub(super) fn result_dtype(
    cols: &[Column],
    names: Option<&[String]>,
    defaultfmt: &str,
) -> Result<Inferred> {
    if let Some(i) = cols
        .iter()
        .position(|c| c.kind() == STR && c.int_first == Some(true))
    {
        bail!(
            Parse,
            "column {}: integers and text in one column; NumPy's dtype=None raises TypeError \
             (\"Converting 'np.integer' or 'np.signedinteger' to a dtype is not allowed\") \
             for such a column: give a dtype",
            i + 1
        );
    }
    let mut dts = Vec::new();
    dts.try_reserve_exact(cols.len())
        .map_err(|_| err!(Alloc, "cannot allocate memory for {} columns", cols.len()))?;
    for c in cols {
        dts.push(column_dtype(c)?);
    }
    if let Some(n) = names {
        if n.len() != cols.len() {
            bail!(
                InvalidArg,
                "{} names for {} columns with dtype=None",
                n.len(),
                cols.len()
            );
        }
        return Ok(Inferred::Record(record(n.to_vec(), dts)?));
    }
    let mut kinds = cols.iter().filter(|c| c.checked()).map(Column::kind);
    let uniform = match kinds.next() {
        Some(k) if kinds.all(|x| x == k) => Some(k),
        _ => None,
    };
    let names = field_names(defaultfmt, cols.len())?;
    let Some(k) = uniform else {
        return Ok(Inferred::Record(record(names, dts)?));
    };
    let longest = cols.iter().map(|c| c.max_chars).max().unwrap_or(0);
    let mut plain = column_dtype(&Column {
        accept: k,
        bool_missing: false,
        max_chars: longest,
        missing: Vec::new(),
        int_first: None,
    })?;
    if cols.iter().all(|c| c.kind() == k) {
        return Ok(Inferred::Plain(plain));
    }
    if k == STR {
        // A boolean value among strings is `True` or `False`.
        plain = DType::parse(&format!("<U{}", longest.max(5)))?;
    }
    Ok(Inferred::PlainAfterCast {
        record: record(names, dts)?,
        to: plain,
    })
}

/// A packed record of these names and dtypes (one instantiation of
/// `packed_record`, the one of a vector).
fn record(names: Vec<String>, dts: Vec<DType>) -> Result<DType> {
    let v: Vec<(String, DType)> = names.into_iter().zip(dts).collect();
    DType::packed_record(v)
}

/// `defaultfmt % i` for the first `n` columns.
pub(super) fn field_names(defaultfmt: &str, n: usize) -> Result<Vec<String>> {
    (0..n).map(|i| format_index(defaultfmt, i)).collect()
}

/// Python's `defaultfmt % i` (one integer directive, such as `f%i` or
/// `field_%03d`).
pub(super) fn format_index(defaultfmt: &str, i: usize) -> Result<String> {
    use crate::pytext::percent::{write_spec, Cell, Format, Piece};
    let f = Format::parse(defaultfmt)?;
    if f.nspecs() != 1 {
        bail!(
            InvalidArg,
            "defaultfmt {defaultfmt:?} must have exactly one % directive"
        );
    }
    let mut out: Vec<u8> = Vec::new();
    for p in f.pieces() {
        match p {
            Piece::Lit(l) => out.extend_from_slice(l),
            Piece::Spec(s) => write_spec(&mut out, s, &Cell::Int(i as i64))?,
        }
    }
    String::from_utf8(out).map_err(|_| err!(InvalidArg, "defaultfmt gives text that is not UTF-8"))
}

/// The longest value of all the columns (a string dtype without a length).
pub(super) fn longest(cols: &[Column]) -> usize {
    cols.iter().map(|c| c.max_chars).max().unwrap_or(0)
}
