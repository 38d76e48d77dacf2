//! The option structs of the text functions (`npyio_savetxt_options`,
//! `npyio_loadtxt_options`, `npyio_genfromtxt_options`), their `_init`
//! functions, and their decoding into the Rust API's options.

use super::args::{opt_utf8, Out};
use super::boundary::status;
use super::codes::{self, npyio_status, save_options, NPYIO_CASE_SENSITIVE};
use super::dtype::npyio_dtype;
use super::handle::Handle;
use super::text_converters::{converters, npyio_text_converter};
use crate::error::Result;
use crate::text::{Delimiter, Fmt, GenfromtxtOptions, LoadtxtOptions, Names, SavetxtOptions};
use crate::DType;
use crate::{bail, err};
use std::ffi::c_char;

/// Options of `npy_savetxt`, the arguments of `np.savetxt`. Fill one with
/// `npyio_savetxt_options_init` (NumPy's defaults and `struct_size`) and
/// change what differs.
/// Strings are UTF-8 and NUL-terminated; they are read during the call only.
///
/// \ingroup npyio_text
#[repr(C)]
#[derive(Clone, Copy)]
pub struct npyio_savetxt_options {
    /// `sizeof` this struct as the caller's header declares it, set by
    /// `npyio_savetxt_options_init`; leave it. The library reads only the fields
    /// this size holds and refuses a size it never published
    /// (`NPYIO_ERR_INVALID_ARG`): see the README, "API conventions".
    pub struct_size: usize,
    /// `fmt` as one string: a single `%` directive applied to every column
    /// (joined by the delimiter), or one directive per column (two per
    /// complex column) describing the whole row. Conversions
    /// `d i u o x X e E f F g G s c` with flags, width and precision, as
    /// Python's `%` operator: precisions up to 2^31 - 1 are formatted as
    /// Python does (long fields are written through a small buffer), larger
    /// ones are "precision too big"; widths above 2^31 - 1 are refused;
    /// one length modifier (`h`, `l`, `L`) is skipped and a second one is
    /// an error (`%lld`), as in Python. Default `"%.18e"`.
    pub fmt: *const c_char,
    /// `fmt` as a sequence: `n_fmts` formats, one per column, joined by the
    /// delimiter. Used instead of `fmt` when `n_fmts` > 0.
    pub fmts: *const *const c_char,
    /// Number of entries in `fmts` (default 0).
    pub n_fmts: usize,
    /// `delimiter` between columns (default `" "`).
    pub delimiter: *const c_char,
    /// `newline` after every row (default `"\n"`).
    pub newline: *const c_char,
    /// `header`, written first with `comments` before each of its lines;
    /// empty or NULL: none (default).
    pub header: *const c_char,
    /// `footer`, written last like the header (default none).
    pub footer: *const c_char,
    /// `comments`, the prefix of header and footer lines (default `"# "`).
    pub comments: *const c_char,
    /// `NPYIO_SAVE_FSYNC` or 0 (default 0).
    pub flags: u32,
    /// Worker threads for formatting; 0 (default): one per core.
    pub threads: u32,
    /// `encoding` of the text written: a Python codec name or alias, as
    /// for reading (but not `"bytes"`); `"utf-16"`, `"utf-32"` and
    /// `"utf-8-sig"` write a byte-order mark first. NULL (default): UTF-8,
    /// NumPy's default for a path on a UTF-8 locale. Added after the first
    /// version of this struct.
    pub encoding: *const c_char,
}

/// Options of `npy_loadtxt`, the arguments of `np.loadtxt`. Fill one with
/// `npyio_loadtxt_options_init` (NumPy's defaults and `struct_size`) and
/// change what differs.
/// Strings are UTF-8 and NUL-terminated; arrays and strings are read during
/// the call only.
///
/// \ingroup npyio_text
#[repr(C)]
#[derive(Clone, Copy)]
pub struct npyio_loadtxt_options {
    /// `sizeof` this struct as the caller's header declares it, set by
    /// `npyio_loadtxt_options_init`; leave it. The library reads only the fields
    /// this size holds and refuses a size it never published
    /// (`NPYIO_ERR_INVALID_ARG`): see the README, "API conventions".
    pub struct_size: usize,
    /// `dtype` (borrowed; NULL: float64). A scalar dtype gives a 2-D result
    /// (before `ndmin` squeezing); a structured dtype maps columns to fields
    /// (nested records and subarrays flattened) and gives a 1-D result.
    /// Supported: bool, integers, float16/32/64, complex64/128, `S<n>`,
    /// `U<n>`, in either byte order. A plain `S` or `U` without a length
    /// (`npyio_dtype_parse("U")`) takes the length of the longest field, as
    /// NumPy's does (a first pass measures it; `npy_loadtxt_to_npy` needs a
    /// length); a field `S0`/`U0` of a structured dtype stays empty, as in
    /// NumPy.
    /// `U<n>`, datetime64 and timedelta64 (`M8` without a unit takes the
    /// finest unit of the values, as NumPy), longdouble (the C library's
    /// `long double` reader, as NumPy) and clongdouble (x86-64), in either
    /// byte order.
    pub dtype: *const npyio_dtype,
    /// `comments`: `n_comments` comment markers. Default: one marker, `"#"`.
    /// Several markers, or one longer than a character, exclude `quotechar`.
    pub comments: *const *const c_char,
    /// Number of comment markers; 0: no comments.
    pub n_comments: usize,
    /// `delimiter`: one character; NULL (default): runs of whitespace.
    pub delimiter: *const c_char,
    /// `quotechar`: one character; NULL (default): no quoting.
    pub quotechar: *const c_char,
    /// `skiprows`: physical lines skipped first (default 0).
    pub skiprows: u64,
    /// `usecols`: `n_usecols` column indices (negative from the end);
    /// NULL (default): every column.
    pub usecols: *const i64,
    /// Number of entries in `usecols`.
    pub n_usecols: usize,
    /// `ndmin`: 0 (default), 1 or 2.
    pub ndmin: i32,
    /// `max_rows`: data rows to read; -1 (default): all.
    pub max_rows: i64,
    /// Worker threads; 0 (default): one per core.
    pub threads: u32,
    /// `encoding` of the text: a Python codec name or alias,
    /// case-insensitive (`"utf-8"`, `"utf-8-sig"`, `"ascii"`, `"latin-1"`,
    /// `"utf-16"`, `"utf-16-le"`, `"utf-16-be"`, `"utf-32"`, `"utf-32-le"`,
    /// `"utf-32-be"`, `"latin1"`, `"UTF16LE"`, ...; `"bytes"` reads UTF-8
    /// as NumPy does). NULL (default): UTF-8, NumPy's default on a UTF-8
    /// locale. Added after the first version of this struct.
    pub encoding: *const c_char,
    /// `unpack`: 1 transposes a plain result (row `i` of the array is
    /// column `i` of the text). Like NumPy's `.T` view, the transpose is a
    /// Fortran-order array over the same bytes: `npy_read_into` with
    /// `NPYIO_READ_C_ORDER` gives it row by row. A structured result is
    /// returned as it is (NumPy returns the list of its fields: read each
    /// field from the records). 0 (default) or 1; 64 bits wide so that it
    /// starts after the previous version of the struct, padding included.
    pub unpack: u64,
    /// `converters`: `n_converters` column converters (see
    /// `npyio_text_converter`); NULL (default): none.
    pub converters: *const npyio_text_converter,
    /// Number of entries in `converters`.
    pub n_converters: usize,
}

/// Options of `npy_genfromtxt`, the arguments of `np.genfromtxt`. Fill one
/// with `npyio_genfromtxt_options_init` (NumPy's defaults and
/// `struct_size`) and change what differs. Strings are UTF-8 and
/// NUL-terminated; arrays and strings are
/// read during the call only.
///
/// \ingroup npyio_text
#[repr(C)]
#[derive(Clone, Copy)]
pub struct npyio_genfromtxt_options {
    /// `sizeof` this struct as the caller's header declares it, set by
    /// `npyio_genfromtxt_options_init`; leave it. The library reads only the fields
    /// this size holds and refuses a size it never published
    /// (`NPYIO_ERR_INVALID_ARG`): see the README, "API conventions".
    pub struct_size: usize,
    /// `dtype` (borrowed; NULL: float64): a scalar dtype, or a structured
    /// one with one field per column. A plain `S` or `U` without a length
    /// (`npyio_dtype_parse("U")`) takes the length of the longest value, as
    /// NumPy's does; a field `S0`/`U0` of a structured dtype stays empty, as
    /// in NumPy.
    pub dtype: *const npyio_dtype,
    /// `comments`: the comment marker (default `"#"`); NULL: none.
    pub comments: *const c_char,
    /// `delimiter` as a string (any length); NULL (default): whitespace.
    pub delimiter: *const c_char,
    /// `delimiter` as an integer: fields of this many characters across
    /// the whole line; 0 (default): not used.
    pub width: u64,
    /// `delimiter` as a sequence: `n_widths` field widths; NULL (default):
    /// not used.
    pub widths: *const u64,
    /// Number of entries in `widths`.
    pub n_widths: usize,
    /// `skip_header`: lines skipped first (default 0).
    pub skip_header: u64,
    /// `skip_footer`: data rows dropped at the end (default 0).
    pub skip_footer: u64,
    /// `missing_values` as NumPy's string form: comma-separated strings
    /// that mark a missing value in every column (the empty string always
    /// does). NULL (default): none.
    pub missing_values: *const c_char,
    /// `missing_values` as a sequence: one more missing string per column
    /// (`n_column_missing_values` entries; NULL entries add none).
    pub column_missing_values: *const *const c_char,
    /// Number of entries in `column_missing_values`.
    pub n_column_missing_values: usize,
    /// `filling_values` for every column, as text converted like the
    /// column's values (a float for an integer column is truncated, as
    /// NumPy's `int()` of a float filling value); NULL (default): NumPy's
    /// defaults (nan for floats, -1 for integers, false, `"???"`).
    pub filling_value: *const c_char,
    /// `filling_values` as a sequence: one per column (NULL entries: the
    /// default); used instead of `filling_value` when `n_filling_values` > 0.
    pub filling_values: *const *const c_char,
    /// Number of entries in `filling_values`.
    pub n_filling_values: usize,
    /// `usecols`: `n_usecols` column indices (negative from the end of the
    /// first row); NULL (default): every column.
    pub usecols: *const i64,
    /// Number of entries in `usecols`.
    pub n_usecols: usize,
    /// `names=True`: 1 takes the field names from the first line (after
    /// `skip_header`; a leading comment marker is removed); the result is
    /// a structured array. Default 0.
    pub names: u8,
    /// `names` as a comma-separated string of field names; NULL (default):
    /// none. Ignored when `names` is 1.
    pub names_list: *const c_char,
    /// `excludelist`: comma-separated names that get a trailing `_`, in
    /// addition to `return`, `file` and `print`. NULL (default): none.
    pub excludelist: *const c_char,
    /// `deletechars`: characters removed from names. NULL (default):
    /// NumPy's set ``~!@#$%^&*()-=+~\|]}[{';: /?.>,<``. `"` is always removed.
    pub deletechars: *const c_char,
    /// `replace_space`: what spaces in names become (default `"_"`).
    pub replace_space: *const c_char,
    /// `case_sensitive`: `NPYIO_CASE_SENSITIVE` (default),
    /// `NPYIO_CASE_UPPER` or `NPYIO_CASE_LOWER`.
    pub case_sensitive: i32,
    /// `autostrip`: 1 strips whitespace from each field (default 0).
    pub autostrip: u8,
    /// `loose`: 1 (default) turns unparsable values into the filling value;
    /// 0 makes them errors unless they are missing-value strings.
    pub loose: u8,
    /// `invalid_raise`: 1 (default) makes rows with the wrong number of
    /// columns an error; 0 skips them.
    pub invalid_raise: u8,
    /// `max_rows`: at most this many rows; -1 (default): all.
    pub max_rows: i64,
    /// `ndmin`: 0 (default), 1 or 2.
    pub ndmin: i32,
    /// Worker threads; 0 (default): one per core.
    pub threads: u32,
    /// `encoding` of the text: a Python codec name or alias,
    /// case-insensitive (`"utf-8"`, `"utf-8-sig"`, `"ascii"`, `"latin-1"`,
    /// `"utf-16"`, `"utf-16-le"`, `"utf-16-be"`, `"utf-32"`, `"utf-32-le"`,
    /// `"utf-32-be"`, `"latin1"`, `"UTF16LE"`, ...; `"bytes"` reads UTF-8
    /// as NumPy does). NULL (default): UTF-8, NumPy's default on a UTF-8
    /// locale. Added after the first version of this struct.
    pub encoding: *const c_char,
    /// `usecols` by column name: `n_usecol_names` entries; entry `i`, when
    /// not NULL, names the column at position `i` of the selection (looked
    /// up among the validated names, so `names` or `names_list` must be
    /// given), a NULL entry takes `usecols[i]` (NumPy's mixed lists). NULL
    /// (default): `usecols` alone.
    pub usecol_names: *const *const c_char,
    /// Number of entries in `usecol_names`.
    pub n_usecol_names: usize,
    /// `defaultfmt`: the field names of columns without a name, a `%`
    /// format of the column index; NULL (default): `"f%i"`.
    pub defaultfmt: *const c_char,
    /// NumPy's `dtype=None`: 1 finds each column's type from its values
    /// (bool, int64, float64, complex128, else `U` of the column's longest
    /// value; datetimes are strings), `dtype` must then be NULL. With names,
    /// or with columns of different types, the result is structured (fields
    /// named by `defaultfmt` without names); else a plain 2-D array. Inspect
    /// the result's dtype with `npy_dtype`. Default 0.
    pub infer_dtype: u8,
    /// `unpack`: 1 transposes a plain result (row `i` of the array is
    /// column `i` of the text; like NumPy's `.T` view, a Fortran-order
    /// array over the same bytes: `npy_read_into` with `NPYIO_READ_C_ORDER`
    /// gives it row by row); a structured result of one field becomes that
    /// field; one of several fields is returned as it is (NumPy returns the
    /// list of its fields: read each field from the records). Default 0.
    pub unpack: u8,
    /// `converters`: `n_converters` column converters (see
    /// `npyio_text_converter`); NULL (default): none.
    pub converters: *const npyio_text_converter,
    /// Number of entries in `converters`.
    pub n_converters: usize,
}

/// An options struct that C callers fill and that may gain fields: it
/// begins with `struct_size`, which says which of its versions the caller
/// has.
///
/// The rule that keeps older callers working: fields are only ever added at
/// the end, after the padding of the previous version (so the bytes of a
/// published size always mean what they meant), and that version's size
/// stays in `SIZES`.
trait OptionsStruct: Copy {
    /// The C name, for messages.
    const NAME: &'static str;
    /// Every `struct_size` published, oldest first; the last is this one's.
    const SIZES: &'static [usize];
    /// NumPy's defaults, with `struct_size` this version's size.
    fn defaults() -> Self;
}

/// The caller's options struct at `p` (NULL: `None`): its `struct_size`
/// must be one of `T::SIZES`; the fields of that size are the caller's,
/// the later ones keep their defaults.
///
/// Safety: `p` must be NULL or point to at least `struct_size` readable bytes,
/// starting with `struct_size`.
unsafe fn caller_struct<T: OptionsStruct>(p: *const T) -> Result<Option<T>> {
    if p.is_null() {
        return Ok(None);
    }
    // Every version starts with the size, so this read is in bounds.
    let n = std::ptr::read_unaligned(p as *const usize);
    check_struct_size(n, T::NAME, T::SIZES)?;
    let mut v = T::defaults();
    // SAFETY: `n` is a published size, at most this version's, and the
    // caller's struct holds `n` bytes; the bytes of a published size are
    // whole fields of this version (see `OptionsStruct`).
    std::ptr::copy_nonoverlapping(p as *const u8, &mut v as *mut T as *mut u8, n);
    Ok(Some(v))
}

/// `struct_size` `n` of the struct `name`, checked against the sizes
/// published.
fn check_struct_size(n: usize, name: &str, sizes: &[usize]) -> Result<()> {
    if sizes.contains(&n) {
        return Ok(());
    }
    let known: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
    bail!(
        InvalidArg,
        "options: {name}.struct_size is {n}, not a size of {name} this library knows ({}); \
         fill the struct with {name}_init",
        known.join(", ")
    )
}

struct Ptrs<const N: usize>([*const c_char; N]);
// SAFETY: pointers to static, immutable string literals.
unsafe impl<const N: usize> Sync for Ptrs<N> {}
static DEFAULT_COMMENTS: Ptrs<1> = Ptrs([c"#".as_ptr()]);

/// Fill `o` with `np.savetxt`'s defaults and set `o->struct_size` to
/// `sizeof(npyio_savetxt_options)`: `fmt` `"%.18e"`, delimiter
/// `" "`, newline `"\n"`, no header or footer, comments `"# "`, no flags,
/// threads 0.
///
/// Ownership: `*o` is the caller's (the whole struct is written); every
/// pointer stored in it points to
/// static strings of the library (or is NULL), valid for the whole
/// program.
///
/// NULL: `o` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `o` is NULL.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npyio_savetxt_options_init(o: *mut npyio_savetxt_options) -> npyio_status {
    status(|| {
        Out::new(o, "o")?.put(npyio_savetxt_options::defaults());
        Ok(())
    })
}

/// Fill `o` with `np.loadtxt`'s defaults and set `o->struct_size` to
/// `sizeof(npyio_loadtxt_options)`: float64, comment marker `"#"`,
/// whitespace delimiter, no quoting, skiprows 0, all columns, ndmin 0,
/// all rows, threads 0.
///
/// Ownership: `*o` is the caller's (the whole struct is written); every
/// pointer stored in it points to
/// static strings of the library (or is NULL), valid for the whole
/// program.
///
/// NULL: `o` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `o` is NULL.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npyio_loadtxt_options_init(o: *mut npyio_loadtxt_options) -> npyio_status {
    status(|| {
        Out::new(o, "o")?.put(npyio_loadtxt_options::defaults());
        Ok(())
    })
}

/// Fill `o` with `np.genfromtxt`'s defaults and set `o->struct_size` to
/// `sizeof(npyio_genfromtxt_options)`: float64, comments `"#"`,
/// whitespace delimiter, no skipped lines, no extra missing strings,
/// default filling values, all columns, no names, NumPy's name cleaning,
/// autostrip 0, loose 1, invalid_raise 1, all rows, ndmin 0, threads 0.
/// Every other field is 0 or NULL.
///
/// Ownership: `*o` is the caller's (the whole struct is written); every
/// pointer stored in it points to
/// static strings of the library (or is NULL), valid for the whole
/// program.
///
/// NULL: `o` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `o` is NULL.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npyio_genfromtxt_options_init(
    o: *mut npyio_genfromtxt_options,
) -> npyio_status {
    status(|| {
        Out::new(o, "o")?.put(npyio_genfromtxt_options::defaults());
        Ok(())
    })
}

impl OptionsStruct for npyio_savetxt_options {
    const NAME: &'static str = "npyio_savetxt_options";
    const SIZES: &'static [usize] = &[
        std::mem::offset_of!(Self, encoding),
        std::mem::size_of::<Self>(),
    ];
    fn defaults() -> Self {
        Self {
            struct_size: std::mem::size_of::<Self>(),
            fmt: c"%.18e".as_ptr(),
            fmts: std::ptr::null(),
            n_fmts: 0,
            delimiter: c" ".as_ptr(),
            newline: c"\n".as_ptr(),
            header: c"".as_ptr(),
            footer: c"".as_ptr(),
            comments: c"# ".as_ptr(),
            flags: 0,
            threads: 0,
            encoding: std::ptr::null(),
        }
    }
}

impl OptionsStruct for npyio_loadtxt_options {
    const NAME: &'static str = "npyio_loadtxt_options";
    const SIZES: &'static [usize] = &[
        std::mem::offset_of!(Self, encoding),
        std::mem::offset_of!(Self, unpack),
        std::mem::offset_of!(Self, converters),
        std::mem::size_of::<Self>(),
    ];
    fn defaults() -> Self {
        Self {
            struct_size: std::mem::size_of::<Self>(),
            dtype: std::ptr::null(),
            comments: DEFAULT_COMMENTS.0.as_ptr(),
            n_comments: 1,
            delimiter: std::ptr::null(),
            quotechar: std::ptr::null(),
            skiprows: 0,
            usecols: std::ptr::null(),
            n_usecols: 0,
            ndmin: 0,
            max_rows: -1,
            threads: 0,
            encoding: std::ptr::null(),
            unpack: 0,
            converters: std::ptr::null(),
            n_converters: 0,
        }
    }
}

impl OptionsStruct for npyio_genfromtxt_options {
    const NAME: &'static str = "npyio_genfromtxt_options";
    const SIZES: &'static [usize] = &[
        std::mem::offset_of!(Self, encoding),
        std::mem::offset_of!(Self, usecol_names),
        std::mem::offset_of!(Self, converters),
        std::mem::size_of::<Self>(),
    ];
    fn defaults() -> Self {
        Self {
            struct_size: std::mem::size_of::<Self>(),
            dtype: std::ptr::null(),
            comments: c"#".as_ptr(),
            delimiter: std::ptr::null(),
            width: 0,
            widths: std::ptr::null(),
            n_widths: 0,
            skip_header: 0,
            skip_footer: 0,
            missing_values: std::ptr::null(),
            column_missing_values: std::ptr::null(),
            n_column_missing_values: 0,
            filling_value: std::ptr::null(),
            filling_values: std::ptr::null(),
            n_filling_values: 0,
            usecols: std::ptr::null(),
            n_usecols: 0,
            names: 0,
            names_list: std::ptr::null(),
            excludelist: std::ptr::null(),
            deletechars: std::ptr::null(),
            replace_space: c"_".as_ptr(),
            case_sensitive: NPYIO_CASE_SENSITIVE,
            autostrip: 0,
            loose: 1,
            invalid_raise: 1,
            max_rows: -1,
            ndmin: 0,
            threads: 0,
            encoding: std::ptr::null(),
            usecol_names: std::ptr::null(),
            n_usecol_names: 0,
            defaultfmt: std::ptr::null(),
            infer_dtype: 0,
            unpack: 0,
            converters: std::ptr::null(),
            n_converters: 0,
        }
    }
}

/// A UTF-8 string option; NULL gives `None`.
unsafe fn opt_str(p: *const c_char, what: &str) -> Result<Option<String>> {
    Ok(opt_utf8(p, format_args!("option '{what}'"))?.map(str::to_string))
}

/// An array of strings (NULL entries allowed).
unsafe fn opt_strs(p: *const *const c_char, n: usize, what: &str) -> Result<Vec<Option<String>>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        bail!(NullArg, "option '{what}' is NULL with {n} entries");
    }
    if n > 1 << 20 {
        bail!(InvalidArg, "option '{what}' has too many entries ({n})");
    }
    (0..n).map(|i| opt_str(*p.add(i), what)).collect()
}

unsafe fn opt_slice<'a, T>(p: *const T, n: usize, what: &str) -> Result<Option<&'a [T]>> {
    if p.is_null() {
        if n != 0 {
            bail!(NullArg, "option '{what}' is NULL with {n} entries");
        }
        return Ok(None);
    }
    if n > 1 << 24 {
        bail!(InvalidArg, "option '{what}' has too many entries ({n})");
    }
    Ok(Some(std::slice::from_raw_parts(p, n)))
}

fn flag01(v: u8, what: &str) -> Result<bool> {
    match v {
        0 => Ok(false),
        1 => Ok(true),
        _ => bail!(InvalidArg, "option '{what}' must be 0 or 1, got {v}"),
    }
}

fn ndmin_arg(v: i32) -> Result<u8> {
    match v {
        0..=2 => Ok(v as u8),
        _ => bail!(InvalidArg, "illegal value of ndmin: {v} (0, 1 or 2)"),
    }
}

fn max_rows_arg(v: i64) -> Result<Option<u64>> {
    match v {
        -1 => Ok(None),
        v if v >= 0 => Ok(Some(v as u64)),
        _ => bail!(
            InvalidArg,
            "max_rows must be -1 (all) or non-negative, got {v}"
        ),
    }
}

pub(super) unsafe fn savetxt_opts(o: *const npyio_savetxt_options) -> Result<SavetxtOptions> {
    let mut r = SavetxtOptions::default();
    let Some(o) = caller_struct(o)? else {
        return Ok(r);
    };
    let o = &o;
    if o.n_fmts > 0 {
        let v = opt_strs(o.fmts, o.n_fmts, "fmts")?;
        r.fmt = Fmt::PerColumn(
            v.into_iter()
                .map(|s| s.ok_or_else(|| err!(NullArg, "option 'fmts' has a NULL entry")))
                .collect::<Result<_>>()?,
        );
    } else if let Some(f) = opt_str(o.fmt, "fmt")? {
        r.fmt = Fmt::One(f);
    }
    if let Some(s) = opt_str(o.delimiter, "delimiter")? {
        r.delimiter = s;
    }
    if let Some(s) = opt_str(o.newline, "newline")? {
        r.newline = s;
    }
    r.header = opt_str(o.header, "header")?.unwrap_or_default();
    r.footer = opt_str(o.footer, "footer")?.unwrap_or_default();
    if let Some(s) = opt_str(o.comments, "comments")? {
        r.comments = s;
    }
    r.fsync = save_options(o.flags)?.fsync;
    r.threads = o.threads as usize;
    r.encoding = super::text_encoding::encoding_arg(o.encoding, false)?;
    Ok(r)
}

pub(super) unsafe fn loadtxt_opts(o: *const npyio_loadtxt_options) -> Result<LoadtxtOptions> {
    let mut r = LoadtxtOptions::default();
    let Some(o) = caller_struct(o)? else {
        return Ok(r);
    };
    let o = &o;
    r.dtype = dtype_option(o.dtype, r.dtype);
    r.comments = opt_strs(o.comments, o.n_comments, "comments")?
        .into_iter()
        .map(|s| s.ok_or_else(|| err!(NullArg, "option 'comments' has a NULL entry")))
        .collect::<Result<_>>()?;
    r.delimiter = opt_str(o.delimiter, "delimiter")?;
    r.quotechar = opt_str(o.quotechar, "quotechar")?;
    r.skiprows = o.skiprows;
    r.usecols = opt_slice(o.usecols, o.n_usecols, "usecols")?.map(|s| s.to_vec());
    r.ndmin = ndmin_arg(o.ndmin)?;
    r.max_rows = max_rows_arg(o.max_rows)?;
    r.threads = o.threads as usize;
    r.encoding = super::text_encoding::encoding_arg(o.encoding, true)?;
    r.unpack = match o.unpack {
        0 => false,
        1 => true,
        v => bail!(InvalidArg, "option 'unpack' must be 0 or 1, got {v}"),
    };
    r.converters = converters(o.converters, o.n_converters)?;
    Ok(r)
}

/// The `dtype` option: NULL keeps the default.
unsafe fn dtype_option(p: *const npyio_dtype, default: DType) -> DType {
    npyio_dtype::peek(p).map_or(default, |d| d.dt.clone())
}

fn split_commas(s: &str) -> Vec<String> {
    s.split(',').map(String::from).collect()
}

pub(super) unsafe fn genfromtxt_opts(
    o: *const npyio_genfromtxt_options,
) -> Result<GenfromtxtOptions> {
    let mut r = GenfromtxtOptions::default();
    let Some(o) = caller_struct(o)? else {
        return Ok(r);
    };
    let o = &o;
    r.dtype = dtype_option(o.dtype, r.dtype);
    r.comments = opt_str(o.comments, "comments")?;
    let widths = opt_slice(o.widths, o.n_widths, "widths")?;
    let delim = opt_str(o.delimiter, "delimiter")?;
    r.delimiter = match (delim, o.width, widths) {
        (None, 0, None) => Delimiter::Whitespace,
        (Some(d), 0, None) => Delimiter::Str(d),
        (None, w, None) => Delimiter::Width(
            usize::try_from(w).map_err(|_| err!(InvalidArg, "width {w} is too large"))?,
        ),
        (None, 0, Some(ws)) => Delimiter::Widths(
            ws.iter()
                .map(|&w| {
                    usize::try_from(w).map_err(|_| err!(InvalidArg, "width {w} is too large"))
                })
                .collect::<Result<_>>()?,
        ),
        _ => bail!(
            InvalidArg,
            "give at most one of 'delimiter', 'width' and 'widths'"
        ),
    };
    r.skip_header = o.skip_header;
    r.skip_footer = o.skip_footer;
    r.missing_values = opt_str(o.missing_values, "missing_values")?
        .map(|s| split_commas(&s))
        .unwrap_or_default();
    r.column_missing_values = opt_strs(
        o.column_missing_values,
        o.n_column_missing_values,
        "column_missing_values",
    )?;
    r.filling_value = opt_str(o.filling_value, "filling_value")?;
    r.filling_values = opt_strs(o.filling_values, o.n_filling_values, "filling_values")?;
    r.usecols = opt_slice(o.usecols, o.n_usecols, "usecols")?.map(|s| s.to_vec());
    r.names = if flag01(o.names, "names")? {
        Names::FirstLine
    } else if let Some(l) = opt_str(o.names_list, "names_list")? {
        Names::List(split_commas(&l))
    } else {
        Names::None
    };
    r.excludelist = opt_str(o.excludelist, "excludelist")?
        .map(|s| split_commas(&s))
        .unwrap_or_default();
    r.deletechars = opt_str(o.deletechars, "deletechars")?;
    r.replace_space = opt_str(o.replace_space, "replace_space")?.unwrap_or_default();
    r.case_sensitive = codes::case(o.case_sensitive)?;
    r.autostrip = flag01(o.autostrip, "autostrip")?;
    r.loose = flag01(o.loose, "loose")?;
    r.invalid_raise = flag01(o.invalid_raise, "invalid_raise")?;
    r.max_rows = max_rows_arg(o.max_rows)?;
    r.ndmin = ndmin_arg(o.ndmin)?;
    r.threads = o.threads as usize;
    r.encoding = super::text_encoding::encoding_arg(o.encoding, true)?;
    r.usecol_names = opt_strs(o.usecol_names, o.n_usecol_names, "usecol_names")?;
    if let Some(f) = opt_str(o.defaultfmt, "defaultfmt")? {
        r.defaultfmt = f;
    }
    r.infer_dtype = flag01(o.infer_dtype, "infer_dtype")?;
    if r.infer_dtype && !o.dtype.is_null() {
        bail!(
            InvalidArg,
            "option 'infer_dtype' is 1 (dtype=None) but 'dtype' is not NULL"
        );
    }
    r.unpack = flag01(o.unpack, "unpack")?;
    r.converters = converters(o.converters, o.n_converters)?;
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Status;
    use std::mem::size_of;

    /// The first version of a struct: 16 bytes.
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct V1 {
        struct_size: usize,
        a: u32,
    }

    /// Its second version: `b` added after the first version's 16 bytes.
    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct V2 {
        struct_size: usize,
        a: u32,
        b: u64,
    }

    impl OptionsStruct for V2 {
        const NAME: &'static str = "v_options";
        const SIZES: &'static [usize] = &[size_of::<V1>(), size_of::<V2>()];
        fn defaults() -> Self {
            V2 {
                struct_size: size_of::<V2>(),
                a: 1,
                b: 2,
            }
        }
    }

    #[test]
    fn an_older_callers_struct_gives_its_fields_and_defaults_for_the_rest() {
        assert_eq!((size_of::<V1>(), size_of::<V2>()), (16, 24));
        let old = V1 {
            struct_size: size_of::<V1>(),
            a: 7,
        };
        // Only the 16 bytes of `old` are read.
        let got = unsafe { caller_struct(&old as *const V1 as *const V2) }.unwrap();
        let want = V2 {
            struct_size: 16,
            a: 7,
            b: 2,
        };
        assert_eq!(got, Some(want));
        let new = V2 {
            struct_size: 24,
            a: 8,
            b: 9,
        };
        assert_eq!(unsafe { caller_struct(&new) }.unwrap(), Some(new));
        assert_eq!(
            unsafe { caller_struct::<V2>(std::ptr::null()) }.unwrap(),
            None
        );
    }

    #[test]
    fn an_unknown_struct_size_is_invalid_arg_naming_the_struct() {
        for n in [0, 8, 20, 32, usize::MAX] {
            let v = V2 {
                struct_size: n,
                a: 0,
                b: 0,
            };
            let e = unsafe { caller_struct(&v) }.unwrap_err();
            assert_eq!(e.status(), Status::InvalidArg);
            let m = e.message();
            assert!(m.contains(&format!("v_options.struct_size is {n},")), "{m}");
            assert!(
                m.contains("(16, 24)") && m.contains("v_options_init"),
                "{m}"
            );
        }
    }

    #[test]
    fn init_sets_struct_size_to_the_structs_size() {
        fn check<T: OptionsStruct>(size: usize) {
            assert_eq!(T::SIZES.last(), Some(&size), "{}", T::NAME);
            let d = T::defaults();
            // struct_size is the first field of every options struct.
            let n = unsafe { std::ptr::read(&d as *const T as *const usize) };
            assert_eq!(n, size, "{}", T::NAME);
        }
        check::<npyio_savetxt_options>(size_of::<npyio_savetxt_options>());
        check::<npyio_loadtxt_options>(size_of::<npyio_loadtxt_options>());
        check::<npyio_genfromtxt_options>(size_of::<npyio_genfromtxt_options>());
    }

    #[test]
    fn a_struct_from_before_the_converters_still_works() {
        // The size published before `converters` was appended.
        let old = std::mem::offset_of!(npyio_loadtxt_options, converters);
        let mut o = npyio_loadtxt_options::defaults();
        o.struct_size = old;
        o.threads = 3;
        // Whatever lies past the old size is not read.
        o.n_converters = 5;
        let r = unsafe { loadtxt_opts(&o) }.unwrap();
        assert_eq!(r.threads, 3);
        assert!(r.converters.is_empty());
        let old = std::mem::offset_of!(npyio_genfromtxt_options, converters);
        let mut o = npyio_genfromtxt_options::defaults();
        o.struct_size = old;
        o.n_converters = 5;
        let r = unsafe { genfromtxt_opts(&o) }.unwrap();
        assert!(r.converters.is_empty());
        // The new size reads them: NULL with entries is refused.
        let mut o = npyio_loadtxt_options::defaults();
        o.n_converters = 1;
        let e = unsafe { loadtxt_opts(&o) }.unwrap_err();
        assert_eq!(e.status(), Status::NullArg);
        assert!(e.message().contains("converters"), "{e}");
    }
}
