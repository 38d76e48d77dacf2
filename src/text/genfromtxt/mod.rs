//! `np.genfromtxt`: text tables with missing values, field names and
//! fixed-width columns, following NumPy's Python implementation
//! (`LineSplitter`, `NameValidator`, `easy_dtype`, `StringConverter`).
//!
//! The text goes through these steps, each in its module:
//! 1. the options checked (`checked_options`);
//! 2. `first_line`: `skip_header`, then the first line with values
//!    (the number of columns; the names with `names=True`);
//! 3. `names`: the names validated as NumPy's `NameValidator` does;
//!    `usecols`: names among them turned into indices;
//! 4. `dtype`: the result's dtype (`easy_dtype`), narrowed by `usecols`;
//!    or, for `dtype=None` and string dtypes without a length, `infer`:
//!    one pass over the rows finds each column's type and longest value;
//! 5. `convert`: each column's converter, missing values and filling
//!    value (`StringConverter`);
//! 6. `rows`: the lines split (`split`, NumPy's `LineSplitter`) and
//!    converted into row bytes, on several threads for large inputs;
//! 7. `assemble`: the rows kept (invalid rows, `skip_footer`, errors),
//!    then the data and the mask as arrays;
//! 8. `reshape`: inferred records cast to one plain array where NumPy
//!    makes one, and `unpack`.

mod assemble;
mod convert;
pub(crate) mod dtype;
mod first_line;
mod infer;
mod names;
pub(crate) mod reshape;
mod rows;
mod split;
mod usecols;

pub use names::NameValidator;

use crate::bail;
use crate::dtype::DType;
use crate::error::Result;
use crate::npy::NpyFile;
use crate::text::converters::Converters;
use std::borrow::Cow;
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
    /// column's values (a float for an integer column is truncated, as
    /// `int()` of a float filling value; `None`: NumPy's default: nan,
    /// -1, False, `???`).
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
    /// `encoding` of the text (default UTF-8, NumPy's locale encoding;
    /// [`Encoding::Bytes`](crate::text::Encoding::Bytes) reads UTF-8 too).
    pub encoding: crate::text::Encoding,
    /// NumPy's `dtype=None`: each column's type is found from its values
    /// (bool, int64, float64, complex128, else a string of the column's
    /// longest value); `dtype` is then ignored. With names (or columns of
    /// different types) the result is structured, else one plain array.
    pub infer_dtype: bool,
    /// `usecols` entries given by column name (NumPy's `usecols` with
    /// strings): entry `i`, when `Some`, is the name of the column at
    /// position `i`, looked up among the validated names; `None` entries
    /// take `usecols[i]`. Empty: `usecols` alone.
    pub usecol_names: Vec<Option<String>>,
    /// `defaultfmt`: the field names of columns without a name, a `%`
    /// format of the column index (default `f%i`).
    pub defaultfmt: String,
    /// `unpack`: a plain result is transposed (row `i` is column `i` of
    /// the text); a structured result of one field is that field; a
    /// structured result of several fields is unchanged (NumPy returns
    /// the list of its fields).
    pub unpack: bool,
    /// `converters`: caller parse rules for some or all columns (see
    /// [`crate::text::converters`]). Missing fields go to the converter
    /// too; the mask still marks them.
    pub converters: Converters,
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
            encoding: crate::text::Encoding::Utf8,
            infer_dtype: false,
            usecol_names: Vec::new(),
            defaultfmt: "f%i".into(),
            unpack: false,
            converters: Converters::default(),
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

/// `np.genfromtxt(path, ...)`.
pub fn genfromtxt(path: impl AsRef<Path>, opts: &GenfromtxtOptions) -> Result<Genfromtxt> {
    super::with_text_file(path.as_ref(), opts.encoding, |text, name| {
        genfromtxt_text(text, opts).map_err(|e| e.context(name))
    })
}

/// `np.genfromtxt` of text held in memory; `name` is used in messages.
pub fn genfromtxt_from_bytes(
    text: &[u8],
    name: &str,
    opts: &GenfromtxtOptions,
) -> Result<Genfromtxt> {
    super::utf8_text(text, opts.encoding)
        .and_then(|t| genfromtxt_text(&t, opts))
        .map_err(|e| e.context(name))
}

/// The options as checked and normalised: a delimiter of `''` or of
/// width 0 means whitespace (`delimiter or None`).
fn checked_options(opts: &GenfromtxtOptions) -> Result<Cow<'_, GenfromtxtOptions>> {
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
    infer::format_index(&opts.defaultfmt, 0)?;
    if let Some(c) = &opts.comments {
        if c.is_empty() {
            bail!(InvalidArg, "comments cannot be an empty string");
        }
    }
    let whitespace = match &opts.delimiter {
        Delimiter::Str(d) => d.is_empty(),
        Delimiter::Width(w) => *w == 0,
        _ => false,
    };
    if !whitespace {
        return Ok(Cow::Borrowed(opts));
    }
    let mut o = opts.clone();
    o.delimiter = Delimiter::Whitespace;
    Ok(Cow::Owned(o))
}

/// `np.genfromtxt` of `text`: the steps of the module's documentation.
fn genfromtxt_text(text: &[u8], opts: &GenfromtxtOptions) -> Result<Genfromtxt> {
    if crate::text::datetime::is_generic_datetime(&opts.dtype) && opts.converters.is_empty() {
        // NumPy's unit discovery: the finest unit of the values.
        let dtype = crate::text::datetime::discover_unit(&opts.dtype, |dt, conv| {
            let o = GenfromtxtOptions {
                dtype: dt.clone(),
                converters: conv,
                ..opts.clone()
            };
            genfromtxt_core(text, &o).map(|_| ())
        })?;
        return genfromtxt_core(
            text,
            &GenfromtxtOptions {
                dtype,
                ..opts.clone()
            },
        );
    }
    genfromtxt_core(text, opts)
}

/// [`genfromtxt_text`] once the dtype is known (one copy of the code for
/// both passes of unit discovery).
#[inline(never)]
fn genfromtxt_core(text: &[u8], opts: &GenfromtxtOptions) -> Result<Genfromtxt> {
    let opts = checked_options(opts)?;
    let opts = opts.as_ref();
    let splitter = split::LineSplitter::new(opts);
    let validator = NameValidator::of_options(opts);
    let first = first_line::read(text, opts, &splitter)?;
    let names = names::column_names(opts, &first.names, &validator)?;
    let opts = usecols::resolve(opts, names.as_deref())?;
    let opts = opts.as_ref();
    let ncols = match &opts.usecols {
        Some(u) if !u.is_empty() => u.len(),
        _ => first.ncols,
    };
    let mut cast = None;
    let dtype = if opts.infer_dtype || (names.is_none() && dtype::unsized_string(&opts.dtype)) {
        let (u, _) = dtype::select_usecols(opts, opts.dtype.clone(), first.ncols, ncols, None)?;
        let body = &text[first.body_start..];
        let cols = infer::scan(opts, &splitter, u.as_deref(), ncols, body, first.line)?;
        if opts.infer_dtype {
            let names = names.clone().map(|n| match &u {
                Some(u) if n.len() > ncols => u
                    .iter()
                    .map(|&i| n.get(i as usize).cloned().unwrap_or_default())
                    .collect(),
                _ => n,
            });
            match infer::result_dtype(&cols, names.as_deref(), &opts.defaultfmt)? {
                infer::Inferred::Plain(d) | infer::Inferred::Record(d) => d,
                infer::Inferred::PlainAfterCast { record, to } => {
                    cast = Some(to);
                    record
                }
            }
        } else {
            dtype::sized_string(&opts.dtype, infer::longest(&cols))?
        }
    } else {
        dtype::result_dtype(opts, names.as_deref(), &validator)?
    };
    let (usecols, dtype) =
        dtype::select_usecols(opts, dtype, first.ncols, ncols, names.as_deref())?;
    let parser = rows::RowParser {
        converters: convert::Converters::new(opts, &dtype, ncols, first.ncols)?,
        splitter,
        usecols,
        ncols,
        loose: opts.loose,
        usemask: opts.usemask,
    };
    let threads = if opts.threads == 0 {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    } else {
        opts.threads
    };
    let chunks = parser.body(
        &text[first.body_start..],
        first.np_line,
        first.line,
        opts.max_rows.unwrap_or(u64::MAX),
        threads,
    )?;
    let rows = assemble::kept_rows(opts, &chunks, ncols)?;
    let mut g = assemble::result(opts, &dtype, &parser, &chunks, rows)?;
    if let Some(to) = cast {
        g = reshape::cast_to_plain(g, &to, opts.ndmin)?;
    }
    if opts.unpack {
        g.data = reshape::unpack(g.data)?;
        g.mask = g.mask.map(reshape::unpack).transpose()?;
    }
    Ok(g)
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
