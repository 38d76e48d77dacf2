//! `np.genfromtxt`: text tables with missing values, field names and
//! fixed-width columns, following NumPy's Python implementation
//! (`LineSplitter`, `NameValidator`, `easy_dtype`, `StringConverter`).

use super::columns::{flatten, ndmin_shape, put_float, put_int, put_unicode, Conv, OutCol};
use super::convert::{py_complex, py_float, py_int, py_str2bool, IntErr};
use super::tokenize::{check_utf8, count_lines, line_end, py_strip, show, space_len};
use crate::dtype::{DType, Field, Layout, ScalarKind};
use crate::error::{Error, Result};
use crate::header::header_bytes;
use crate::npy::NpyFile;
use crate::{bail, err};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// How `np.genfromtxt` splits a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delimiter {
    /// `delimiter=None`: runs of whitespace.
    Whitespace,
    /// A string (any length): `line.split(s)`.
    Str(String),
    /// An integer: fields of this many characters across the whole line.
    Width(usize),
    /// A sequence of widths: exactly these fields.
    Widths(Vec<usize>),
}

/// `case_sensitive` of NumPy's `NameValidator`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Names as given (`True`).
    Sensitive,
    /// Upper case (`False` or `'upper'`).
    Upper,
    /// Lower case (`'lower'`).
    Lower,
}

/// `names`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Names {
    /// No names (`None`): a plain 2-D array unless the dtype is structured.
    None,
    /// `True`: the first line (after `skip_header`, comment marker
    /// removed) gives the names.
    FirstLine,
    /// Explicit names.
    List(Vec<String>),
}

/// Options of [`genfromtxt`], with NumPy's defaults.
#[derive(Clone, Debug)]
pub struct GenfromtxtOptions {
    /// `dtype` (default float64).
    pub dtype: DType,
    /// `comments` (default `#`; `None`: no comments).
    pub comments: Option<String>,
    /// `delimiter` (default whitespace).
    pub delimiter: Delimiter,
    /// `skip_header`: lines skipped at the start.
    pub skip_header: u64,
    /// `skip_footer`: data rows dropped at the end.
    pub skip_footer: u64,
    /// Missing-value strings of every column (NumPy's comma-separated
    /// string form, already split). The empty string always counts.
    pub missing_values: Vec<String>,
    /// One more missing-value string per output column (NumPy's sequence
    /// form); `None` entries add nothing.
    pub column_missing_values: Vec<Option<String>>,
    /// A filling value for every column, as text converted like the
    /// column's values (`None`: NumPy's default: nan, -1, False, `???`).
    pub filling_value: Option<String>,
    /// Filling values per output column (NumPy's sequence form); overrides
    /// `filling_value` where given.
    pub filling_values: Vec<Option<String>>,
    /// `usecols` (negative from the end of the first row).
    pub usecols: Option<Vec<i64>>,
    /// `names`.
    pub names: Names,
    /// `excludelist`: names that get a trailing `_` (added to
    /// `return`, `file`, `print`).
    pub excludelist: Vec<String>,
    /// `deletechars` (`None`: NumPy's default set). `"` is always deleted.
    pub deletechars: Option<String>,
    /// `replace_space` (default `_`).
    pub replace_space: String,
    /// `case_sensitive`.
    pub case_sensitive: Case,
    /// `autostrip`: strip whitespace from each field.
    pub autostrip: bool,
    /// `loose` (default true): unparsable values become the filling value;
    /// false: they are errors unless they are missing-value strings.
    pub loose: bool,
    /// `invalid_raise` (default true): rows with the wrong number of
    /// columns are an error; false: they are skipped.
    pub invalid_raise: bool,
    /// `max_rows`: at most this many rows (at least 1; not with skip_footer).
    pub max_rows: Option<u64>,
    /// `ndmin`: 0, 1 or 2.
    pub ndmin: u8,
    /// `usemask`: also return the mask of missing values.
    pub usemask: bool,
    /// Worker threads (0: one per available core).
    pub threads: usize,
}

impl Default for GenfromtxtOptions {
    fn default() -> Self {
        GenfromtxtOptions {
            dtype: DType::parse("<f8").unwrap_or_else(|_| unreachable!()),
            comments: Some("#".into()),
            delimiter: Delimiter::Whitespace,
            skip_header: 0,
            skip_footer: 0,
            missing_values: Vec::new(),
            column_missing_values: Vec::new(),
            filling_value: None,
            filling_values: Vec::new(),
            usecols: None,
            names: Names::None,
            excludelist: Vec::new(),
            deletechars: None,
            replace_space: "_".into(),
            case_sensitive: Case::Sensitive,
            autostrip: false,
            loose: true,
            invalid_raise: true,
            max_rows: None,
            ndmin: 0,
            usemask: false,
            threads: 0,
        }
    }
}

/// The result: the data and, with `usemask`, the mask (true where a value
/// was missing), of the same shape (a structured array of bools for a
/// structured result).
#[derive(Debug)]
pub struct Genfromtxt {
    /// The array.
    pub data: NpyFile,
    /// The mask.
    pub mask: Option<NpyFile>,
}

const DEFAULT_DELETECHARS: &str = "~!@#$%^&*()-=+~\\|]}[{';: /?.>,<";

/// NumPy's `NameValidator`, with the same results. Every lookup is a hash
/// lookup, so `validate` takes linear time (NumPy scans the list of names
/// for each empty one).
#[derive(Clone, Debug)]
pub struct NameValidator {
    excludelist: HashSet<String>,
    deletechars: HashSet<char>,
    case: Case,
    replace_space: String,
}

impl NameValidator {
    /// A validator with these options.
    pub fn new(
        excludelist: &[String],
        deletechars: Option<&str>,
        case: Case,
        replace_space: &str,
    ) -> NameValidator {
        let mut ex: HashSet<String> = excludelist.iter().cloned().collect();
        ex.extend(["return", "file", "print"].map(String::from));
        let mut del: HashSet<char> = deletechars.unwrap_or(DEFAULT_DELETECHARS).chars().collect();
        del.insert('"');
        NameValidator {
            excludelist: ex,
            deletechars: del,
            case,
            replace_space: replace_space.into(),
        }
    }

    /// `validate(names, nbfields=...)`: names cased, stripped, spaces
    /// replaced, deleted characters removed; an empty result becomes
    /// `f<k>` with the first `k` (counting on from the last one used) that
    /// is not one of the given names; a name of the exclude list gets a
    /// trailing `_`; the n-th repeat of a name gets `_<n>` (repeats are
    /// counted per cleaned name, so `['a', 'a', 'a_1']` gives `a_1` twice,
    /// as NumPy does).
    pub fn validate(&self, names: &[String], nbfields: Option<usize>) -> Vec<String> {
        let n = nbfields.unwrap_or(names.len());
        let given: &[String] = &names[..names.len().min(n)];
        // The names as NumPy's list holds them after padding with ''.
        let mut listed: HashSet<&str> = given.iter().map(String::as_str).collect();
        if n > given.len() {
            listed.insert("");
        }
        let mut out = Vec::with_capacity(n);
        let mut seen: HashMap<String, usize> = HashMap::with_capacity(n);
        let mut nbempty = 0usize;
        let empty = String::new();
        for item in given
            .iter()
            .chain(std::iter::repeat_n(&empty, n - given.len()))
        {
            let item = match self.case {
                Case::Sensitive => item.clone(),
                Case::Upper => item.to_uppercase(),
                Case::Lower => item.to_lowercase(),
            };
            let mut item = item.trim_matches(py_is_space).to_string();
            if !self.replace_space.is_empty() {
                item = item.replace(' ', &self.replace_space);
            }
            item.retain(|c| !self.deletechars.contains(&c));
            if item.is_empty() {
                item = format!("f{nbempty}");
                while listed.contains(item.as_str()) {
                    nbempty += 1;
                    item = format!("f{nbempty}");
                }
                nbempty += 1;
            } else if self.excludelist.contains(&item) {
                item.push('_');
            }
            match seen.get_mut(&item) {
                Some(cnt) => {
                    out.push(format!("{item}_{cnt}"));
                    *cnt += 1;
                }
                None => {
                    out.push(item.clone());
                    seen.insert(item, 1);
                }
            }
        }
        out
    }
}

/// The fields of a line as strings (for names), allocated fallibly.
fn field_strings(line: &[u8], fields: &Spans, line_no: u64) -> Result<Vec<String>> {
    let bytes: usize = fields.iter().map(|f| (f.1 - f.0) as usize).sum();
    let fail = || {
        err!(
            Alloc,
            "line {line_no}: cannot allocate memory for {} names of {bytes} bytes",
            fields.len()
        )
    };
    let mut v: Vec<String> = Vec::new();
    v.try_reserve_exact(fields.len()).map_err(|_| fail())?;
    for &(a, b) in fields {
        let f = &line[a as usize..b as usize];
        let mut s = String::new();
        s.try_reserve_exact(f.len()).map_err(|_| fail())?;
        s.push_str(&String::from_utf8_lossy(f));
        v.push(s);
    }
    Ok(v)
}

/// Memory taken per field by cleaning and deduplicating names and building
/// the structured dtype (measured: about 500 bytes for short names).
const NAME_COST: usize = 512;

/// Names from which a structured dtype is built take memory in many small
/// allocations (strings, the dtype's fields). Check that about that much
/// can be had first, with one fallible reservation given back at once, so
/// that a line of millions of names is an `Alloc` error rather than an
/// abort. A check, not a bound: small lists are not checked.
fn check_names_memory(names: &[String]) -> Result<()> {
    if names.len() < 10_000 {
        return Ok(());
    }
    let bytes: usize = names.iter().map(String::len).sum();
    let need = names
        .len()
        .saturating_mul(NAME_COST)
        .saturating_add(bytes.saturating_mul(8));
    let mut probe: Vec<u8> = Vec::new();
    probe.try_reserve_exact(need).map_err(|_| {
        err!(
            Alloc,
            "{} field names ({bytes} bytes): cannot allocate about {need} bytes, what a structured dtype of that many fields takes",
            names.len()
        )
    })
}

fn py_is_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Python's `str.strip(chars)` for ASCII `chars`.
fn strip_chars<'a>(s: &'a [u8], chars: &[u8]) -> &'a [u8] {
    let a = s.iter().position(|c| !chars.contains(c)).unwrap_or(s.len());
    let z = s
        .iter()
        .rposition(|c| !chars.contains(c))
        .map_or(a, |i| i + 1);
    &s[a..z.max(a)]
}

/// NumPy's `LineSplitter`. Fields are byte ranges of the line passed in
/// (which, as Python's file iteration gives it, ends with `\n` unless it
/// is the last line).
struct Splitter {
    comments: Option<Vec<u8>>,
    delimiter: Delimiter,
    autostrip: bool,
}

/// Field ranges of one line, relative to its start.
type Spans = Vec<(u32, u32)>;

impl Splitter {
    /// An upper bound of the fields `split` can find in `line`.
    fn max_fields(&self, line: &[u8]) -> usize {
        match &self.delimiter {
            Delimiter::Whitespace => line.len() / 2 + 1,
            Delimiter::Str(d) if d.len() == 1 => {
                memchr::memchr_iter(d.as_bytes()[0], line).count() + 1
            }
            Delimiter::Str(d) => memchr::memmem::find_iter(line, d.as_bytes()).count() + 1,
            Delimiter::Width(w) => line.len() / (*w).max(1) + 1,
            Delimiter::Widths(ws) => ws.len(),
        }
    }

    /// Split `line` into `out`. The field list is sized before it is
    /// filled, fallibly; a line longer than 4 GiB is refused.
    fn split(&self, line: &[u8], out: &mut Spans, line_no: u64) -> Result<()> {
        out.clear();
        if line.len() > u32::MAX as usize {
            bail!(
                Limit,
                "line {line_no}: a line longer than {} bytes cannot be split into fields",
                u32::MAX
            );
        }
        let bound = self.max_fields(line);
        if out.capacity() < bound {
            out.try_reserve_exact(bound).map_err(|_| {
                err!(
                    Alloc,
                    "line {line_no}: cannot allocate memory for {bound} fields"
                )
            })?;
        }
        let mut push = |a: usize, b: usize| out.push((a as u32, b as u32));
        let mut line = line;
        if let Some(c) = &self.comments {
            let k = if c.len() == 1 {
                memchr::memchr(c[0], line)
            } else {
                memchr::memmem::find(line, c)
            };
            if let Some(k) = k {
                line = &line[..k];
            }
        }
        match &self.delimiter {
            Delimiter::Whitespace | Delimiter::Str(_) => {
                let t = strip_chars(line, b" \r\n");
                if t.is_empty() {
                    return Ok(());
                }
                let base = t.as_ptr() as usize - line.as_ptr() as usize;
                match &self.delimiter {
                    Delimiter::Str(d) => {
                        let d = d.as_bytes();
                        let mut st = 0;
                        if d.len() == 1 {
                            for k in memchr::memchr_iter(d[0], t) {
                                push(base + st, base + k);
                                st = k + 1;
                            }
                        } else {
                            for k in memchr::memmem::find_iter(t, d) {
                                if k < st {
                                    continue;
                                }
                                push(base + st, base + k);
                                st = k + d.len();
                            }
                        }
                        push(base + st, base + t.len());
                    }
                    _ => {
                        // str.split(): runs of whitespace, none at the ends.
                        let mut i = 0;
                        let n = t.len();
                        loop {
                            while i < n && space_len(t, i) > 0 {
                                i += space_len(t, i);
                            }
                            if i >= n {
                                break;
                            }
                            let st = i;
                            while i < n && space_len(t, i) == 0 {
                                i += 1;
                            }
                            push(base + st, base + i);
                        }
                    }
                }
            }
            Delimiter::Width(w) => {
                let t = strip_chars(line, b"\r\n");
                if t.is_empty() {
                    return Ok(());
                }
                let base = t.as_ptr() as usize - line.as_ptr() as usize;
                let w = *w;
                // Every w characters (a character: a byte that does not
                // continue a UTF-8 sequence).
                let mut start = 0usize;
                let mut chars = 0usize;
                for (i, &c) in t.iter().enumerate() {
                    if (c & 0xc0) != 0x80 {
                        if chars == w {
                            push(base + start, base + i);
                            start = i;
                            chars = 0;
                        }
                        chars += 1;
                    }
                }
                push(base + start, base + t.len());
            }
            Delimiter::Widths(ws) => {
                if line.is_empty() {
                    return Ok(());
                }
                // Byte offset of character `c` (clamped to the end).
                let mut bounds = line
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| (c & 0xc0) != 0x80)
                    .map(|(i, _)| i)
                    .chain(std::iter::once(line.len()));
                let mut at_char = 0usize;
                let mut at_byte = bounds.next().unwrap_or(line.len());
                let mut c = 0usize;
                for w in ws {
                    let a = advance(&mut bounds, &mut at_char, &mut at_byte, c);
                    let b = advance(
                        &mut bounds,
                        &mut at_char,
                        &mut at_byte,
                        c.saturating_add(*w),
                    );
                    push(a, b);
                    c = c.saturating_add(*w);
                }
            }
        }
        if self.autostrip {
            for f in out.iter_mut() {
                let s = py_strip(&line[f.0 as usize..f.1 as usize]);
                let a = s.as_ptr() as usize - line.as_ptr() as usize;
                *f = (a as u32, (a + s.len()) as u32);
            }
        }
        Ok(())
    }
}

/// Move the character cursor (`at_char`, at byte `at_byte`, the next
/// boundaries in `bounds`) forward to character `target` (or the end) and
/// return its byte offset. Targets never decrease.
fn advance(
    bounds: &mut impl Iterator<Item = usize>,
    at_char: &mut usize,
    at_byte: &mut usize,
    target: usize,
) -> usize {
    while *at_char < target {
        match bounds.next() {
            Some(b) => {
                *at_char += 1;
                *at_byte = b;
            }
            None => break,
        }
    }
    *at_byte
}

/// A column's converter: the Python function `StringConverter` picks.
#[derive(Clone, Debug)]
struct GCol {
    out: OutCol,
    /// Missing-value strings (always including "").
    missing: Vec<Vec<u8>>,
    /// The filling value's bytes in the column's type and byte order.
    fill: Result<Vec<u8>>,
}

/// What a conversion did.
enum Got {
    Value,
    /// `ValueError`: the filling value is used (loose), or an error unless
    /// the text is a missing value (strict).
    Invalid,
}

/// Convert with the Python function NumPy uses for this dtype. `Err` is a
/// hard error (OverflowError and the like), never replaced by a default.
fn convert_py(
    conv: Conv,
    swap: bool,
    f: &[u8],
    dst: &mut [u8],
) -> std::result::Result<Got, String> {
    let name = || conv.name();
    match conv {
        Conv::F16 | Conv::F32 | Conv::F64 => match py_float(f) {
            Some(v) => put_float(dst, v, conv, swap),
            None => return Ok(Got::Invalid),
        },
        Conv::C64 | Conv::C128 => match py_complex(f) {
            Some((re, im)) => super::columns::put_complex(dst, re, im, conv, swap),
            None => return Ok(Got::Invalid),
        },
        Conv::Int(8) => match py_int(f) {
            Ok(v) if v >= i64::MIN as i128 && v <= i64::MAX as i128 => put_int(dst, v, conv, swap),
            Ok(_) | Err(IntErr::Overflow) => {
                return Err(format!("{} is too large for {}", show(f), name()))
            }
            Err(IntErr::Invalid) => return Ok(Got::Invalid),
        },
        Conv::UInt(8) => match py_int(f) {
            Ok(v) if v >= 0 && v <= u64::MAX as i128 => put_int(dst, v, conv, swap),
            Ok(_) | Err(IntErr::Overflow) => {
                return Err(format!("{} is out of bounds for {}", show(f), name()))
            }
            Err(IntErr::Invalid) => return Ok(Got::Invalid),
        },
        Conv::Int(_) | Conv::UInt(_) => {
            // int(float(x)), then np.array(..., dtype) checks the range.
            let Some(v) = py_float(f) else {
                return Ok(Got::Invalid);
            };
            if v.is_nan() {
                return Ok(Got::Invalid);
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
            None => return Ok(Got::Invalid),
        },
        Conv::Bytes(_) => {
            super::columns::put_bytes(dst, f)
                .map_err(|_| format!("{} cannot be encoded as Latin-1 for {}", show(f), name()))?;
        }
        Conv::Unicode(_) => put_unicode(dst, f, swap),
    }
    Ok(Got::Value)
}

/// The default filling value's bytes for a column (NumPy's
/// `StringConverter` defaults), or the error NumPy raises when casting it.
fn default_fill(conv: Conv, swap: bool) -> Result<Vec<u8>> {
    let mut v = vec![0u8; conv.size()];
    match conv {
        Conv::F16 | Conv::F32 | Conv::F64 => put_float(&mut v, f64::NAN, conv, swap),
        Conv::C64 | Conv::C128 => {
            super::columns::put_complex(&mut v, f64::NAN, 0.0, conv, swap)
        }
        Conv::Int(_) => put_int(&mut v, -1, conv, swap),
        Conv::UInt(_) => bail!(
            Parse,
            "missing value in a {} column: the default filling value -1 is out of bounds (give a filling value)",
            conv.name()
        ),
        Conv::Bool => v[0] = 0,
        Conv::Bytes(_) => {
            super::columns::put_bytes(&mut v, b"???")?;
        }
        Conv::Unicode(_) => put_unicode(&mut v, b"???", swap),
    }
    Ok(v)
}

/// Rows of one chunk of lines.
#[derive(Default)]
struct Part {
    rows: usize,
    data: Vec<u8>,
    mask: Vec<u8>,
    /// (NumPy's line index, physical line, values found, rows before it).
    invalid: Vec<(u64, u64, usize, usize)>,
    /// First hard conversion error: (row index within the part, error).
    error: Option<(usize, Error)>,
}

/// The columns' converters: one per column for the first ones, then one
/// template for all the others (homogeneous dtypes), which differ only in
/// their offsets.
struct Cols {
    first: Vec<GCol>,
    rest: Option<GCol>,
    isz: usize,
}

impl Cols {
    /// Column `i`'s output slot and converter.
    #[inline]
    fn get(&self, i: usize) -> Option<(OutCol, &GCol)> {
        match (self.first.get(i), &self.rest) {
            (Some(c), _) => Some((c.out, c)),
            (None, Some(c)) => Some((
                OutCol {
                    offset: i * self.isz,
                    ..c.out
                },
                c,
            )),
            (None, None) => None,
        }
    }
}

struct Gen {
    split: Splitter,
    cols: Cols,
    usecols: Option<Vec<i64>>,
    nbcols: usize,
    row_size: usize,
    loose: bool,
    usemask: bool,
}

impl Gen {
    /// Process the lines of `text` (whole lines) into a part.
    /// `np_base`: NumPy's line index of the first line; `phys_base`: its
    /// physical line number (1-based); `limit`: max rows.
    fn lines(&self, text: &[u8], np_base: u64, phys_base: u64, limit: u64) -> Result<Part> {
        let mut p = Part::default();
        let cap = (count_lines(text) + 1).min(limit) as usize;
        let too_big = || err!(Overflow, "the result does not fit the address space");
        p.data = crate::io::try_alloc(cap.checked_mul(self.row_size).ok_or_else(too_big)?)?;
        if self.usemask {
            p.mask = crate::io::try_alloc(cap.checked_mul(self.nbcols).ok_or_else(too_big)?)?;
        }
        let mut fields: Spans = Vec::new();
        let mut pos = 0;
        let mut idx = 0u64;
        let mut linebuf: Vec<u8> = Vec::new();
        while pos < text.len() && (p.rows as u64) < limit {
            let (end, next) = line_end(text, pos).unwrap_or((text.len(), text.len()));
            let np_i = np_base + idx;
            let phys = phys_base + idx;
            // Python's line: the content plus "\n" when it had a terminator.
            let line: &[u8] = if next > end {
                if matches!(self.split.delimiter, Delimiter::Widths(_)) {
                    with_newline(&mut linebuf, &text[pos..end], phys)?;
                    &linebuf
                } else {
                    &text[pos..end]
                }
            } else {
                &text[pos..end]
            };
            self.split.split(line, &mut fields, phys)?;
            pos = next;
            idx += 1;
            if fields.is_empty() {
                continue;
            }
            let nb = fields.len();
            let pick = |i: usize| -> Option<(usize, usize)> {
                match &self.usecols {
                    Some(u) => {
                        let c = u[i];
                        let r = if c < 0 { c + nb as i64 } else { c };
                        if r < 0 || r >= nb as i64 {
                            None
                        } else {
                            let f = fields[r as usize];
                            Some((f.0 as usize, f.1 as usize))
                        }
                    }
                    None => Some((fields[i].0 as usize, fields[i].1 as usize)),
                }
            };
            if self.usecols.is_none() && nb != self.nbcols
                || (0..self.nbcols).any(|i| pick(i).is_none())
            {
                p.invalid.push((np_i, phys, nb, p.rows));
                continue;
            }
            let r = p.rows;
            let row = &mut p.data[r * self.row_size..(r + 1) * self.row_size];
            for i in 0..self.nbcols {
                let Some((oc, c)) = self.cols.get(i) else {
                    bail!(State, "line {phys}: no converter for column {}", i + 1);
                };
                let (a, b) = pick(i).unwrap_or((0, 0));
                let v = &line[a..b];
                let sv = py_strip(v);
                let missing = sv.is_empty() || c.missing[1..].iter().any(|m| m.as_slice() == sv);
                if self.usemask {
                    p.mask[r * self.nbcols + i] = missing as u8;
                }
                let dst = &mut row[oc.offset..oc.offset + oc.conv.size()];
                let res = convert_py(oc.conv, oc.swap, v, dst);
                let use_fill = match res {
                    Ok(Got::Value) => false,
                    Ok(Got::Invalid) => {
                        if !self.loose && !missing {
                            if p.error.is_none() {
                                p.error = Some((
                                    r,
                                    err!(
                                        Parse,
                                        "line {phys}, column {}: cannot convert {} to {}",
                                        i + 1,
                                        show(v),
                                        oc.conv.name()
                                    ),
                                ));
                            }
                            false
                        } else {
                            true
                        }
                    }
                    Err(m) => {
                        if p.error.is_none() {
                            p.error = Some((r, err!(Parse, "line {phys}, column {}: {m}", i + 1)));
                        }
                        false
                    }
                };
                if use_fill {
                    match &c.fill {
                        Ok(f) => dst.copy_from_slice(f),
                        Err(e) => {
                            if p.error.is_none() {
                                p.error = Some((
                                    r,
                                    err!(Parse, "line {phys}, column {}: {}", i + 1, e.message()),
                                ));
                            }
                        }
                    }
                }
            }
            p.rows += 1;
        }
        p.data.truncate(p.rows * self.row_size);
        p.mask.truncate(p.rows * self.nbcols);
        Ok(p)
    }
}

/// `line` followed by "\n", in `buf` (fallibly).
fn with_newline(buf: &mut Vec<u8>, line: &[u8], line_no: u64) -> Result<()> {
    buf.clear();
    buf.try_reserve(line.len() + 1).map_err(|_| {
        err!(
            Alloc,
            "line {line_no}: cannot allocate {} bytes for the line",
            line.len() + 1
        )
    })?;
    buf.extend_from_slice(line);
    buf.push(b'\n');
    Ok(())
}

/// `np.genfromtxt(path, ...)`.
pub fn genfromtxt(path: impl AsRef<Path>, opts: &GenfromtxtOptions) -> Result<Genfromtxt> {
    super::with_text_file(path.as_ref(), |text, name| {
        genfromtxt_from_bytes(text, name, opts)
    })
}

/// `np.genfromtxt` of text held in memory; `name` is used in messages.
pub fn genfromtxt_from_bytes(
    text: &[u8],
    name: &str,
    opts: &GenfromtxtOptions,
) -> Result<Genfromtxt> {
    gen_bytes(text, opts).map_err(|e| e.context(name))
}

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

/// A structured dtype from (name, dtype) pairs, packed.
fn record(fields: Vec<(String, DType)>) -> Result<DType> {
    let mut descr = String::from("[");
    for (i, (n, d)) in fields.iter().enumerate() {
        if i > 0 {
            descr.push_str(", ");
        }
        descr.push('(');
        descr.push_str(&crate::literal::repr_str(n));
        descr.push_str(", ");
        descr.push_str(&d.descr());
        descr.push(')');
    }
    descr.push(']');
    DType::parse(&descr)
}

fn fields_of(dt: &DType) -> Vec<Field> {
    match dt.layout() {
        Layout::Record(f) => f.clone(),
        _ => Vec::new(),
    }
}

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
    record(out.into_iter().map(|(n, d, _)| (n, d)).collect())
}

fn gen_bytes(text: &[u8], opts: &GenfromtxtOptions) -> Result<Genfromtxt> {
    if opts.ndmin > 2 {
        bail!(InvalidArg, "illegal value of ndmin keyword: {}", opts.ndmin);
    }
    if let Some(m) = opts.max_rows {
        if opts.skip_footer > 0 {
            bail!(
                InvalidArg,
                "the keywords 'skip_footer' and 'max_rows' can not be specified at the same time"
            );
        }
        if m < 1 {
            bail!(InvalidArg, "'max_rows' must be at least 1");
        }
    }
    if let Some(c) = &opts.comments {
        if c.is_empty() {
            bail!(InvalidArg, "comments cannot be an empty string");
        }
    }
    if let Delimiter::Str(d) = &opts.delimiter {
        if d.is_empty() {
            // `delimiter or None`: an empty string means whitespace.
            let mut o = opts.clone();
            o.delimiter = Delimiter::Whitespace;
            return gen_bytes(text, &o);
        }
    }
    if let Delimiter::Width(0) = opts.delimiter {
        let mut o = opts.clone();
        o.delimiter = Delimiter::Whitespace;
        return gen_bytes(text, &o);
    }
    let split = Splitter {
        comments: opts.comments.as_ref().map(|c| c.as_bytes().to_vec()),
        delimiter: opts.delimiter.clone(),
        autostrip: opts.autostrip,
    };
    let validator = NameValidator::new(
        &opts.excludelist,
        opts.deletechars.as_deref(),
        opts.case_sensitive,
        &opts.replace_space,
    );
    // skip_header lines.
    let mut pos = 0usize;
    let mut phys = 1u64;
    let mut empty = false;
    for _ in 0..opts.skip_header {
        match line_end(text, pos) {
            _ if pos >= text.len() => {
                empty = true;
                break;
            }
            Some((_, next)) => pos = next,
            None => pos = text.len(),
        }
        phys += 1;
    }
    check_utf8(&text[..pos], 1)?;
    // The first line with values: the number of columns, and the names
    // with names=True.
    let mut fields: Spans = Vec::new();
    let mut first_nb = 0usize;
    let mut first_values: Vec<String> = Vec::new();
    let mut first_line_start = pos;
    let mut first_phys = phys;
    let mut linebuf = Vec::new();
    if !empty {
        let widths = matches!(opts.delimiter, Delimiter::Widths(_));
        let comment = opts.comments.as_ref().map(|c| c.as_bytes());
        loop {
            if pos >= text.len() {
                empty = true;
                break;
            }
            let (end, next) = line_end(text, pos).unwrap_or((text.len(), text.len()));
            check_utf8(&text[pos..next], phys)?;
            let raw = &text[pos..end];
            let terminated = next > end;
            let content: &[u8] = match comment {
                Some(c)
                    if opts.names == Names::FirstLine && memchr::memmem::find(raw, c).is_some() =>
                {
                    // ''.join(line.split(comments)[1:]) of the line with its "\n".
                    with_newline(&mut linebuf, raw, phys)?;
                    if !terminated {
                        linebuf.pop();
                    }
                    let k = memchr::memmem::find(&linebuf, c).unwrap_or(0);
                    let mut joined = Vec::new();
                    let mut st = k + c.len();
                    for k in memchr::memmem::find_iter(&linebuf, c) {
                        if k < st {
                            continue;
                        }
                        joined.extend_from_slice(&linebuf[st..k]);
                        st = k + c.len();
                    }
                    joined.extend_from_slice(&linebuf[st..]);
                    linebuf = joined;
                    if !widths && linebuf.last() == Some(&b'\n') {
                        linebuf.pop();
                    }
                    &linebuf
                }
                _ if widths && terminated => {
                    with_newline(&mut linebuf, raw, phys)?;
                    &linebuf
                }
                // The splitter strips "\n" itself; pass the content only.
                _ => raw,
            };
            split.split(content, &mut fields, phys)?;
            first_line_start = pos;
            first_phys = phys;
            pos = next;
            phys += 1;
            if !fields.is_empty() {
                first_nb = fields.len();
                if opts.names == Names::FirstLine {
                    first_values = field_strings(content, &fields, first_phys)?;
                }
                break;
            }
        }
    }
    drop(fields);
    drop(linebuf);
    if opts.names == Names::FirstLine && !first_values.is_empty() {
        let fval = first_values[0].trim_matches(py_is_space).to_string();
        if let Some(c) = &opts.comments {
            if c.contains(&fval) {
                first_values.remove(0);
                first_nb -= 1;
            }
        }
    }
    let nbcols = match &opts.usecols {
        Some(u) if !u.is_empty() => u.len(),
        _ => first_nb,
    };
    // Names.
    match &opts.names {
        Names::None => {}
        Names::FirstLine => check_names_memory(&first_values)?,
        Names::List(l) => check_names_memory(l)?,
    }
    let names: Option<Vec<String>> = match &opts.names {
        Names::None => None,
        Names::FirstLine => Some(
            validator.validate(
                &first_values
                    .iter()
                    .map(|v| v.trim_matches(py_is_space).to_string())
                    .collect::<Vec<_>>(),
                None,
            ),
        ),
        Names::List(l) => Some(
            validator.validate(
                &l.iter()
                    .map(|v| v.trim_matches(py_is_space).to_string())
                    .collect::<Vec<_>>(),
                None,
            ),
        ),
    };
    // easy_dtype.
    let mut dtype = match (&names, opts.dtype.layout()) {
        (Some(n), Layout::Record(_)) => {
            let nf = fields_of(&opts.dtype).len();
            rename(&opts.dtype, &validator.validate(n, Some(nf)))?
        }
        (Some(n), _) => {
            let base = native_scalar(&opts.dtype)?;
            let n2 = validator.validate(n, None);
            record(n2.into_iter().map(|n| (n, base.clone())).collect())?
        }
        (None, Layout::Record(_)) => {
            let cur: Vec<String> = fields_of(&opts.dtype)
                .iter()
                .map(|f| f.name.clone())
                .collect();
            let v = validator.validate(&cur, None);
            if v != cur {
                rename(&opts.dtype, &v)?
            } else {
                opts.dtype.clone()
            }
        }
        (None, _) => opts.dtype.clone(),
    };
    // usecols: names → indices are not supported here; negatives from the first row.
    let mut usecols = opts.usecols.clone().filter(|u| !u.is_empty());
    if let Some(u) = usecols.as_mut() {
        for c in u.iter_mut() {
            if *c < 0 {
                *c += first_nb as i64;
            }
        }
        let nfields = fields_of(&dtype).len();
        if nfields > nbcols {
            let f = fields_of(&dtype);
            let mut sel = Vec::new();
            for &c in u.iter() {
                let ix = if c < 0 { c + nfields as i64 } else { c };
                let fd = f
                    .get(usize::try_from(ix).unwrap_or(usize::MAX))
                    .ok_or_else(|| {
                        err!(
                            InvalidArg,
                            "usecols index {c} is out of range for {nfields} fields"
                        )
                    })?;
                sel.push((fd.name.clone(), fd.dtype.clone()));
            }
            dtype = record(sel)?;
        }
    }
    // Output columns.
    let structured = matches!(dtype.layout(), Layout::Record(_));
    let mut flat = Vec::new();
    flatten(&dtype, 0, &mut flat)?;
    // Structured: one column per field. Homogeneous: columns differ only
    // in their offsets, unless the per-column missing or filling values
    // single some out, so one template serves all the others.
    let (outcols, template, row_size): (Vec<OutCol>, Option<OutCol>, usize) = if structured {
        if first_nb > 0 && flat.len() != nbcols {
            bail!(
                InvalidArg,
                "the dtype has {} fields but the rows have {nbcols} columns",
                flat.len()
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
        let special = opts
            .column_missing_values
            .len()
            .max(opts.filling_values.len())
            .min(nbcols);
        let row_size = isz
            .checked_mul(nbcols)
            .ok_or_else(|| err!(Overflow, "a row of {nbcols} × {isz} bytes overflows"))?;
        (
            (0..special)
                .map(|i| OutCol {
                    offset: i * isz,
                    ..flat[0]
                })
                .collect(),
            (nbcols > special).then_some(flat[0]),
            row_size,
        )
    };
    // Missing and filling values per column.
    let gcol = |i: Option<usize>, oc: OutCol| -> Result<GCol> {
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
            None => default_fill(oc.conv, oc.swap),
            Some(t) => {
                let mut v = vec![0u8; oc.conv.size()];
                match convert_py(oc.conv, oc.swap, t.as_bytes(), &mut v) {
                    Ok(Got::Value) => Ok(v),
                    _ => Err(err!(
                        InvalidArg,
                        "filling value {} cannot be converted to {}",
                        show(t.as_bytes()),
                        oc.conv.name()
                    )),
                }
            }
        };
        if let Err(e) = &fill {
            if e.status() == crate::error::Status::InvalidArg {
                return Err(e.clone());
            }
        }
        Ok(GCol {
            out: oc,
            missing,
            fill,
        })
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
        first.push(gcol(Some(i), *oc)?);
    }
    let cols = Cols {
        isz: dtype.itemsize(),
        rest: template.map(|oc| gcol(None, oc)).transpose()?,
        first,
    };
    let gen = Gen {
        split,
        cols,
        usecols,
        nbcols,
        row_size,
        loose: opts.loose,
        usemask: opts.usemask,
    };
    // The body: from the first line (unless it held the names).
    let (body_start, np_base, phys_base) = if empty {
        (text.len(), 0, phys)
    } else if opts.names == Names::FirstLine {
        (pos, 1, first_phys + 1)
    } else {
        (first_line_start, 0, first_phys)
    };
    let body = &text[body_start..];
    let limit = opts.max_rows.unwrap_or(u64::MAX);
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let parts: Vec<Part> = if threads <= 1 || body.len() < (1 << 20) || limit != u64::MAX {
        check_utf8(body, phys_base)?;
        vec![gen.lines(body, np_base, phys_base, limit)?]
    } else {
        let mut bounds = vec![0usize];
        for i in 1..threads {
            let target = body.len() * i / threads;
            let prev = *bounds.last().unwrap_or(&0);
            let b = match memchr::memchr(b'\n', &body[target.max(prev)..]) {
                Some(k) => target.max(prev) + k + 1,
                None => body.len(),
            };
            bounds.push(b);
        }
        bounds.push(body.len());
        let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect();
        let counts: Vec<u64> = chunks.iter().map(|c| count_lines(c)).collect();
        let mut starts = Vec::new();
        let mut acc = 0u64;
        for &c in &counts {
            starts.push(acc);
            acc += c;
        }
        let gen = &gen;
        let res: Vec<Result<Part>> = std::thread::scope(|s| {
            let hs: Vec<_> = chunks
                .iter()
                .zip(&starts)
                .map(|(c, &st)| {
                    s.spawn(move || {
                        check_utf8(c, phys_base + st)?;
                        gen.lines(c, np_base + st, phys_base + st, u64::MAX)
                    })
                })
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(err!(Panic, "genfromtxt worker panicked")))
                })
                .collect()
        });
        let mut v = Vec::new();
        for r in res {
            v.push(r?);
        }
        v
    };
    // Invalid rows (and NumPy's skip_footer adjustment).
    let total_rows: usize = parts.iter().map(|p| p.rows).sum();
    let mut invalid: Vec<(u64, u64, usize, usize)> = Vec::new();
    {
        let mut before = 0usize;
        for p in &parts {
            for &(np_i, ph, nb, r) in &p.invalid {
                invalid.push((np_i, ph, nb, before + r));
            }
            before += p.rows;
        }
    }
    let mut skip_footer = opts.skip_footer as usize;
    if !invalid.is_empty() {
        let nbrows = total_rows as i64 + invalid.len() as i64 - skip_footer as i64;
        if skip_footer > 0 {
            let skipped = invalid.iter().filter(|x| x.0 as i64 + 1 > nbrows).count();
            invalid.truncate(invalid.len() - skipped);
            skip_footer -= skipped.min(skip_footer);
        }
        if !invalid.is_empty() && opts.invalid_raise {
            let mut msg = format!(
                "{} rows have the wrong number of columns (expected {nbcols}):",
                invalid.len()
            );
            for (_, ph, nb, _) in invalid.iter().take(20) {
                msg.push_str(&format!(" line {ph} has {nb};"));
            }
            if invalid.len() > 20 {
                msg.push_str(" ...");
            }
            msg.pop();
            return Err(err!(Parse, "{msg}"));
        }
    }
    let rows = total_rows.saturating_sub(skip_footer);
    // Hard conversion errors in the rows that are kept.
    {
        let mut before = 0usize;
        for p in &parts {
            if let Some((r, e)) = &p.error {
                if before + r < rows {
                    return Err(e.clone());
                }
            }
            before += p.rows;
        }
    }
    // Assemble the data (and mask) .npy.
    // np.array(rows, dtype): an empty list gives shape (0,).
    let shape_base = if structured || rows == 0 {
        vec![rows as u64]
    } else {
        vec![rows as u64, nbcols as u64]
    };
    let shape = ndmin_shape(&shape_base, opts.ndmin);
    let hdr = header_bytes(&dtype, &shape, false)?;
    let nbytes = rows * row_size;
    let mut out = Vec::new();
    out.try_reserve_exact(hdr.len() + nbytes).map_err(|_| {
        err!(
            Alloc,
            "cannot allocate {} bytes for the result",
            hdr.len() + nbytes
        )
    })?;
    out.extend_from_slice(&hdr);
    let mut left = nbytes;
    for p in &parts {
        let n = p.data.len().min(left);
        out.extend_from_slice(&p.data[..n]);
        left -= n;
    }
    let mask = if opts.usemask {
        let mdtype = if structured {
            let f = fields_of(&dtype);
            if flat_len(&dtype) != f.len() {
                bail!(
                    Unsupported,
                    "a mask for nested or subarray fields is not supported"
                );
            }
            record(
                f.iter()
                    .map(|x| {
                        (
                            x.name.clone(),
                            DType::parse("|b1").unwrap_or_else(|_| unreachable!()),
                        )
                    })
                    .collect(),
            )?
        } else {
            DType::parse("|b1")?
        };
        let mut m = header_bytes(&mdtype, &shape, false)?;
        let mb = rows * gen.nbcols;
        m.try_reserve_exact(mb)
            .map_err(|_| err!(Alloc, "cannot allocate {mb} bytes for the mask"))?;
        let mut left = mb;
        for p in &parts {
            let n = p.mask.len().min(left);
            m.extend_from_slice(&p.mask[..n]);
            left -= n;
        }
        if structured {
            // NumPy also masks values equal to a converted missing string.
            let data_off = hdr.len();
            let mhdr = m.len() - mb;
            for (i, c) in gen.cols.first.iter().enumerate() {
                let mut vals: Vec<Vec<u8>> = Vec::new();
                for s in c.missing.iter().filter(|s| !s.is_empty()) {
                    let mut v = vec![0u8; c.out.conv.size()];
                    match convert_py(c.out.conv, c.out.swap, s, &mut v) {
                        Ok(Got::Value) => vals.push(v),
                        Ok(Got::Invalid) => {
                            if let Ok(f) = &c.fill {
                                vals.push(f.clone())
                            }
                        }
                        Err(_) => {}
                    }
                }
                for v in vals {
                    for r in 0..rows {
                        let o = data_off + r * row_size + c.out.offset;
                        if value_eq(c.out.conv, c.out.swap, &out[o..o + v.len()], &v) {
                            m[mhdr + r * gen.nbcols + i] = 1;
                        }
                    }
                }
            }
        }
        Some(NpyFile::from_bytes(m)?)
    } else {
        None
    };
    Ok(Genfromtxt {
        data: NpyFile::from_bytes(out)?,
        mask,
    })
}

fn flat_len(dt: &DType) -> usize {
    let mut v = Vec::new();
    let _ = flatten(dt, 0, &mut v);
    v.len()
}

/// `a == b` for two stored values of a column (floats by value: NaN never
/// equal, -0.0 == 0.0).
fn value_eq(conv: Conv, swap: bool, a: &[u8], b: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_validator() {
        let v = NameValidator::new(&[], None, Case::Sensitive, "_");
        assert_eq!(
            v.validate(
                &["file", "field2", "with space", "CaSe", "a", "a", "", "x.y"].map(String::from),
                None
            ),
            [
                "file_",
                "field2",
                "with_space",
                "CaSe",
                "a",
                "a_1",
                "f0",
                "xy"
            ]
        );
        let v = NameValidator::new(&["excl".into()], Some("q"), Case::Upper, "_");
        assert_eq!(
            v.validate(
                &["excl", "field2", "no_q", "with space", "CaSe"].map(String::from),
                None
            ),
            ["EXCL", "FIELD2", "NO_Q", "WITH_SPACE", "CASE"]
        );
    }
}
