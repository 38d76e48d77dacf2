//! Text tables from C: `npy_savetxt`, `npy_loadtxt`, `npy_genfromtxt`,
//! `npy_loadtxt_to_npy` (their option structs are in `text_options`).

use super::args::{self, bytes, DTypeShape, Out};
use super::boundary::{new_handle, status};
use super::codes::npyio_status;
use super::dtype::npyio_dtype;
use super::handle::Handle;
use super::npy::npy_file;
use super::text_options::{genfromtxt_opts, loadtxt_opts, savetxt_opts};
// The option structs and their `_init` functions, where Rust callers of
// this module have always found them.
pub use super::text_options::{
    npyio_genfromtxt_options, npyio_genfromtxt_options_init, npyio_loadtxt_options,
    npyio_loadtxt_options_init, npyio_savetxt_options, npyio_savetxt_options_init,
};
use crate::error::Result;
use crate::text::{self, GenfromtxtOptions};
use std::ffi::{c_char, c_void};

/// Write the array `arr` (any `npy_file`: opened from a path, from memory,
/// mapped, or loaded from text) to `path` as text, exactly as
/// `np.savetxt(path, arr, ...)` writes it, byte for byte. The array must be
/// 1-D, 2-D, or a 1-D structured array (one column per field); NumPy's
/// rules for `fmt`, complex columns, header, footer and comments apply.
/// `opts` may be NULL for NumPy's defaults. The text goes to a temporary
/// file renamed over `path` when complete (a FIFO, a device or a descriptor
/// such as `/dev/stdout` is written in place, as `npy_save` says).
///
/// Ownership: `path`, `arr` and `opts` (with every string and array it
/// points to) are borrowed for the call only.
///
/// NULL: `path` and `arr` must not be NULL; `opts` may be NULL for NumPy's
/// defaults, and so may its string fields (the default, or none for
/// `header` and `footer`).
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `arr` is NULL, `opts->fmts` is
///   NULL with `n_fmts` > 0, or one of its entries is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); `path` is empty,
///   a directory, a socket or a descriptor open only for reading; the array's
///   shape, `fmt` or a type does not fit (NumPy's ValueError and TypeError);
///   unknown bits in `opts->flags`.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a long double, void, datetime or
///   timedelta column.
/// - `NPYIO_ERR_ENCODING` (-15): an option string is not valid UTF-8.
/// - `NPYIO_ERR_OVERFLOW` (-9): a dimension or a row does not fit the
///   address space.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the formatted text.
/// - `NPYIO_ERR_IO` (-3): reading `arr` or writing the text failed.
/// - `NPYIO_ERR_TRUNCATED` (-10), `NPYIO_ERR_CRC` (-18), `NPYIO_ERR_ZIP`
///   (-17): reading `arr`, as `npy_read_into`.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// paths, also with one `arr`.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_savetxt(
    path: *const c_char,
    arr: *const npy_file,
    opts: *const npyio_savetxt_options,
) -> npyio_status {
    status(|| {
        let path = args::path(path)?;
        let arr = npy_file::arg(arr, "arr")?;
        let o = savetxt_opts(opts)?;
        text::savetxt_array(path, &arr.file, &o)
    })
}

/// `npy_savetxt` for an array given as dtype, shape and data (`len` bytes
/// in C order and in the dtype's byte order). `shape` may be NULL when
/// `ndim` is 0 (which savetxt refuses, as NumPy), `data` when `len` is 0.
///
/// Ownership: every argument is borrowed for the call only (the dtype may
/// be freed afterwards).
///
/// NULL: `path` and `dtype` must not be NULL; `shape` may be NULL when
/// `ndim` is 0, `data` when `len` is 0, and `opts` for NumPy's defaults.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `dtype` is NULL, `shape` is NULL
///   with `ndim` > 0, `data` is NULL with `len` > 0, or `opts->fmts` is
///   NULL with `n_fmts` > 0 (or has a NULL entry).
/// - `NPYIO_ERR_SIZE_MISMATCH` (-14): `len` is not product(shape) ×
///   itemsize.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); as `npy_savetxt`,
///   and `ndim` above NumPy's 64 dimensions.
/// - `NPYIO_ERR_UNSUPPORTED` (-19), `NPYIO_ERR_ENCODING` (-15),
///   `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): as `npy_savetxt`.
/// - `NPYIO_ERR_IO` (-3): writing the text failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// paths.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_savetxt_data(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    data: *const c_void,
    len: usize,
    opts: *const npyio_savetxt_options,
) -> npyio_status {
    status(|| {
        let path = args::path(path)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        let data = bytes(data, len, "data")?;
        let o = savetxt_opts(opts)?;
        text::savetxt(path, a.dtype, a.shape, data, &o)
    })
}

/// Load the text table at `path` as `np.loadtxt(path, ...)` does: same
/// tokenizing (delimiter, whitespace, quotes, comments), same conversions
/// (`"1.0"` is not an integer; `1e400` is inf), same result dtype and shape
/// (`ndmin` squeezing; an empty file gives shape `(0,)`). `opts` may be
/// NULL for NumPy's defaults. On success `*out` receives an array held in
/// memory: every describe and read function works on it, `npy_data` points
/// at its data, `npy_savetxt` and `npy_save` can write it. Large files are
/// parsed on several threads. A regular file is mapped; a pipe, a FIFO, a
/// terminal or `"/dev/stdin"` is read to its end, in blocks parsed as they
/// arrive. The text must be UTF-8.
///
/// Ownership: `path` and `opts` (with every string and array it points to,
/// and its dtype) are borrowed for the call only. On success `*out`
/// receives a new array owned by the caller, to be closed with
/// `npy_close`; on failure `*out` is left as it was.
///
/// NULL: `path` and `out` must not be NULL; `opts` may be NULL for NumPy's
/// defaults, and its pointer fields as each field says.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL, or an array option
///   is NULL with a count > 0 (or `comments` has a NULL entry, or a
///   converter's `convert` is NULL).
/// - `NPYIO_ERR_NOT_FOUND` (-20): the file does not exist, or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): the file cannot be opened, mapped or read.
/// - `NPYIO_ERR_PARSE` (-22): a value cannot be converted (a converter of
///   `opts->converters` returned failure, too), or a row has a
///   different number of columns; the message names the file, line and
///   column and quotes the text (`data.csv: line 7, column 3: cannot parse
///   "abc" as float64`).
/// - `NPYIO_ERR_ENCODING` (-15): the text is not valid UTF-8 (the message
///   names the line), or an option string is not.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); `path` is empty;
///   an option NumPy refuses with TypeError or ValueError (`ndmin`,
///   `max_rows`, `usecols` out of range, a delimiter or quote that is not one
///   character, ...).
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a dtype text cannot load into (void,
///   a long double other than the platform's, a time unit with a
///   multiplier such as `M8[10s]`, a structured field `M8` without a unit,
///   `S` or `U` without a length).
/// - `NPYIO_ERR_LIMIT` (-11): a row longer than 256 MiB (an unterminated
///   quote?).
/// - `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): the result does
///   not fit the address space or memory.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once. Converters of
/// `opts->converters` are called from the load's worker threads unless
/// `opts->threads` is 1 (see `npyio_text_converter`).
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_loadtxt(
    path: *const c_char,
    opts: *const npyio_loadtxt_options,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        let path = args::path(path)?;
        text::loadtxt(path, &loadtxt_opts(opts)?)
    })
}

/// `npy_loadtxt` of text in memory: `len` bytes at `data` (copied as
/// needed; the buffer may be freed after the call). Messages name
/// `<memory>` as the file.
///
/// Ownership: `data` and `opts` are borrowed for the call only. On
/// success `*out` receives a new array owned by the caller, to be closed
/// with `npy_close`; on failure `*out` is left as it was.
///
/// NULL: `out` must not be NULL; `data` may be NULL when `len` is 0 (an
/// empty table); `opts` may be NULL for NumPy's defaults.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `out` is NULL, `data` is NULL with `len` >
///   0, or an array option is NULL with a count > 0 (or a converter's
///   `convert` is NULL).
/// - `NPYIO_ERR_PARSE` (-22): a value cannot be converted (a converter of
///   `opts->converters` returned failure, too), or a row has a
///   different number of columns; the message names the file, line and
///   column and quotes the text (`data.csv: line 7, column 3: cannot parse
///   "abc" as float64`).
/// - `NPYIO_ERR_ENCODING` (-15): the text is not valid UTF-8 (the message
///   names the line), or an option string is not.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); an option NumPy
///   refuses with TypeError or ValueError (`ndmin`, `max_rows`, `usecols` out
///   of range, a delimiter or quote that is not one character, ...).
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a dtype text cannot load into (void,
///   a long double other than the platform's, a time unit with a
///   multiplier such as `M8[10s]`, a structured field `M8` without a unit,
///   `S` or `U` without a length).
/// - `NPYIO_ERR_LIMIT` (-11): a row longer than 256 MiB (an unterminated
///   quote?).
/// - `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): the result does
///   not fit the address space or memory.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once. Converters of
/// `opts->converters` are called from the load's worker threads unless
/// `opts->threads` is 1 (see `npyio_text_converter`).
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_loadtxt_memory(
    data: *const c_void,
    len: usize,
    opts: *const npyio_loadtxt_options,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        let text = bytes(data, len, "data")?;
        text::loadtxt_from_bytes(text, "<memory>", &loadtxt_opts(opts)?)
    })
}

/// Convert the text table at `txt_path` to the .npy file `npy_path`
/// without holding the text or the array in memory: the text is read in
/// blocks, parsed (on several threads) and appended to the output, whose
/// header is completed at the end. The file is byte-identical to
/// `np.save(npy_path, np.loadtxt(txt_path, ...))`, and is written to a
/// temporary file renamed over `npy_path` only when complete; `txt_path`
/// may be a pipe or FIFO (`"/dev/stdin"`). A row longer than 256 MiB is
/// `NPYIO_ERR_LIMIT`. `opts` may be NULL. `rows_out`, if not NULL, receives
/// the number of rows. Since the header is completed at the end,
/// `npy_path` must be a regular file (or new): a FIFO, a device or a
/// descriptor such as `/dev/stdout` gives `NPYIO_ERR_INVALID_ARG` before
/// anything is opened (use `npy_loadtxt` and
/// `npy_save` for those).
///
/// Ownership: `txt_path`, `npy_path` and `opts` are borrowed for the call
/// only; `*rows_out` is written on success only.
///
/// NULL: `txt_path` and `npy_path` must not be NULL; `opts` may be NULL for
/// NumPy's defaults; `rows_out` may be NULL when the count is not wanted.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `txt_path` or `npy_path` is NULL, or an
///   array option is NULL with a count > 0 (or a converter's `convert` is
///   NULL).
/// - `NPYIO_ERR_NOT_FOUND` (-20): the text file does not exist, or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): reading the text or writing the .npy file
///   failed.
/// - `NPYIO_ERR_PARSE` (-22): a value cannot be converted (a converter of
///   `opts->converters` returned failure, too), or a row has a
///   different number of columns; the message names the file, line and
///   column and quotes the text (`data.csv: line 7, column 3: cannot parse
///   "abc" as float64`).
/// - `NPYIO_ERR_ENCODING` (-15): the text is not valid UTF-8 (the message
///   names the line), or an option string is not.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); a path is empty;
///   `npy_path` is not a regular file (a FIFO, a device, a descriptor) or is
///   a directory; an option NumPy refuses with TypeError or ValueError
///   (`ndmin`, `max_rows`, `usecols` out of range, a delimiter or quote that
///   is not one character, ...).
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a dtype text cannot load into (void,
///   a long double other than the platform's, a time unit with a
///   multiplier such as `M8[10s]`, `M8` without a unit (discovering it
///   would read the text twice), `S` or `U` without a length).
/// - `NPYIO_ERR_LIMIT` (-11): a row longer than 256 MiB (an unterminated
///   quote?).
/// - `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): the result does
///   not fit the address space or memory.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once for different
/// output paths.
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_loadtxt_to_npy(
    txt_path: *const c_char,
    npy_path: *const c_char,
    opts: *const npyio_loadtxt_options,
    rows_out: *mut u64,
) -> npyio_status {
    status(|| {
        let rows_out = Out::optional(rows_out);
        let txt = args::path(txt_path)?;
        let npy = args::path(npy_path)?;
        let o = loadtxt_opts(opts)?;
        let rows = text::loadtxt_to_npy(txt, npy, &o)?;
        if let Some(r) = rows_out {
            r.put(rows);
        }
        Ok(())
    })
}

/// The body of `npy_genfromtxt` and `npy_genfromtxt_memory`: `out`, the
/// text's source and the options are checked in that order, then `load`
/// parses, and the data (and the mask, when `mask_out` asks for it) go to
/// the caller.
///
/// Safety: as the two functions.
unsafe fn genfromtxt_body<S>(
    out: *mut *mut npy_file,
    mask_out: *mut *mut npy_file,
    source: impl FnOnce() -> Result<S>,
    opts: *const npyio_genfromtxt_options,
    load: impl FnOnce(S, &GenfromtxtOptions) -> Result<text::Genfromtxt>,
) -> npyio_status {
    status(|| {
        let out = Out::new(out, "out")?;
        let mask_out = Out::optional(mask_out);
        let source = source()?;
        let mut o = genfromtxt_opts(opts)?;
        o.usemask = mask_out.is_some();
        let r = load(source, &o)?;
        out.put_handle(r.data.into());
        if let (Some(m_out), Some(m)) = (mask_out, r.mask) {
            m_out.put_handle(m.into());
        }
        Ok(())
    })
}

/// Load the text table at `path` as `np.genfromtxt(path, ...)` does:
/// missing values (empty fields and the `missing_values` strings) become
/// the filling values; unparsable values too unless `loose` is 0; rows with
/// the wrong number of columns are an error naming their lines (or skipped
/// with `invalid_raise` 0); `names` gives a structured result with NumPy's
/// name cleaning; fixed-width fields with `width`/`widths`. `opts` may be
/// NULL. On success `*out` receives the data as an in-memory array and,
/// when `mask_out` is not NULL, `*mask_out` the mask (`usemask=True`): bool,
/// same shape, true where the text was a missing value (a structured array
/// of bools for a structured result). A pipe or FIFO (`"/dev/stdin"`) is
/// read to its end first.
///
/// Ownership: `path` and `opts` (with every string and array it points to,
/// and its dtype) are borrowed for the call only. On success `*out` (and
/// `*mask_out`) receive new arrays owned by the caller, each to be closed
/// with `npy_close`; on failure neither is written.
///
/// NULL: `path` and `out` must not be NULL; `mask_out` NULL means no mask
/// is made; `opts` may be NULL for NumPy's defaults, and its pointer fields
/// as each field says.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL, or an array option
///   is NULL with a count > 0 (or a converter's `convert` is NULL).
/// - `NPYIO_ERR_NOT_FOUND` (-20): the file does not exist, or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): the file cannot be opened or read.
/// - `NPYIO_ERR_PARSE` (-22): a row has the wrong number of columns (with
///   `invalid_raise` 1; the message names the lines), or a value cannot be
///   converted (with `loose` 0), or a converter of `opts->converters`
///   returned a hard failure (or `NPYIO_CONVERT_INVALID` with `loose` 0).
/// - `NPYIO_ERR_ENCODING` (-15): the text is not valid UTF-8, or an option
///   string is not.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); `path` is empty;
///   an option NumPy refuses with TypeError or ValueError, or a flag field
///   that is not 0 or 1, or more than one of `delimiter`, `width` and
///   `widths`.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a dtype text cannot load into.
/// - `NPYIO_ERR_LIMIT` (-11): a line too long to be split into fields.
/// - `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): the result does
///   not fit the address space or memory.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once. Converters of
/// `opts->converters` are called from the load's worker threads unless
/// `opts->threads` is 1 (see `npyio_text_converter`).
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_genfromtxt(
    path: *const c_char,
    opts: *const npyio_genfromtxt_options,
    out: *mut *mut npy_file,
    mask_out: *mut *mut npy_file,
) -> npyio_status {
    let source = || args::path(path);
    genfromtxt_body(out, mask_out, source, opts, text::genfromtxt)
}

/// `npy_genfromtxt` of text in memory (`len` bytes at `data`, read during
/// the call only). Messages name `<memory>` as the file.
///
/// Ownership: `data` and `opts` are borrowed for the call only. On success
/// `*out` (and `*mask_out`) receive new arrays owned by the caller, each to
/// be closed with `npy_close`; on failure neither is written.
///
/// NULL: `out` must not be NULL; `data` may be NULL when `len` is 0;
/// `mask_out` NULL means no mask is made; `opts` may be NULL for NumPy's
/// defaults.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `out` is NULL, `data` is NULL with `len` >
///   0, or an array option is NULL with a count > 0 (or a converter's
///   `convert` is NULL).
/// - `NPYIO_ERR_PARSE` (-22): a row has the wrong number of columns (with
///   `invalid_raise` 1; the message names the lines), or a value cannot be
///   converted (with `loose` 0), or a converter of `opts->converters`
///   returned a hard failure (or `NPYIO_CONVERT_INVALID` with `loose` 0).
/// - `NPYIO_ERR_ENCODING` (-15): the text is not valid UTF-8, or an option
///   string is not.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `opts->struct_size` is not a size of the
///   struct this library knows (not filled by its `_init`); an option NumPy
///   refuses with TypeError or ValueError, or a flag field that is not 0 or
///   1, or more than one of `delimiter`, `width` and `widths`.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a dtype text cannot load into.
/// - `NPYIO_ERR_LIMIT` (-11): a line too long to be split into fields.
/// - `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ALLOC` (-16): the result does
///   not fit the address space or memory.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once. Converters of
/// `opts->converters` are called from the load's worker threads unless
/// `opts->threads` is 1 (see `npyio_text_converter`).
///
/// \ingroup npyio_text
#[no_mangle]
pub unsafe extern "C" fn npy_genfromtxt_memory(
    data: *const c_void,
    len: usize,
    opts: *const npyio_genfromtxt_options,
    out: *mut *mut npy_file,
    mask_out: *mut *mut npy_file,
) -> npyio_status {
    let source = || bytes(data, len, "data");
    genfromtxt_body(out, mask_out, source, opts, |text, o| {
        text::genfromtxt_from_bytes(text, "<memory>", o)
    })
}
