//! `np.loadtxt`: a text table into an array, with NumPy's parsing rules,
//! in memory (parallel for large inputs) or streamed into a .npy file.
//!
//! `layout` maps the fields of a row to the bytes of a row of the result
//! and converts them as NumPy does; `loader` skips `skiprows`, finds the
//! first row and parses the rows of each block of text (on several threads
//! for large ones), through the general tokenizer or, in the common case,
//! the one-pass splitter of `simple`; `sink` holds the rows: a .npy in
//! memory or a .npy file written as the text streams in.

mod layout;
mod loader;
mod simple;
mod sink;
mod strings;

use crate::dtype::DType;
use crate::err;
use crate::error::{Error, Result};
use crate::io::AtomicFile;
use crate::npy::NpyFile;
use crate::text::converters::Converters;
use crate::text::result::npy_header;
use crate::text::Encoding;
use loader::{max_rows_in, Loader};
use sink::{stream_blocks, MemorySink, NpyFileSink};
use std::path::Path;

/// Options of [`loadtxt`], with NumPy's defaults.
#[derive(Clone, Debug)]
pub struct LoadtxtOptions {
    /// `dtype` (default float64). Scalars give a 2-D result; a structured
    /// dtype maps columns to fields (nested records and subarray fields are
    /// flattened) and gives a 1-D result.
    pub dtype: DType,
    /// `comments`: comment markers (default `["#"]`; empty: none). Several
    /// markers, or one longer than a character, cannot be combined with a
    /// quote character.
    pub comments: Vec<String>,
    /// `delimiter`: one character, or `None` for runs of whitespace.
    pub delimiter: Option<String>,
    /// `quotechar`: one character, or `None`.
    pub quotechar: Option<String>,
    /// `skiprows`: physical lines skipped first (comment lines included).
    pub skiprows: u64,
    /// `usecols`: the columns to read (negative from the end of each row).
    pub usecols: Option<Vec<i64>>,
    /// `ndmin`: 0, 1 or 2.
    pub ndmin: u8,
    /// `max_rows`: stop after this many data rows (empty and comment-only
    /// lines do not count).
    pub max_rows: Option<u64>,
    /// Worker threads (0: one per available core).
    pub threads: usize,
    /// `encoding` of the text (default UTF-8, NumPy's locale encoding;
    /// [`Encoding::Bytes`] reads UTF-8 too). Other encodings are
    /// transcoded as the text streams in.
    pub encoding: Encoding,
    /// `unpack`: a plain result is transposed (row `i` is column `i` of
    /// the text); a structured result is unchanged (NumPy returns the list
    /// of its fields).
    pub unpack: bool,
    /// `converters`: caller parse rules for some or all columns (see
    /// [`crate::text::converters`]); a column with one is not parsed by
    /// NumPy's rules.
    pub converters: Converters,
}

impl Default for LoadtxtOptions {
    fn default() -> Self {
        LoadtxtOptions {
            dtype: DType::parse("<f8").unwrap_or_else(|_| unreachable!()),
            comments: vec!["#".into()],
            delimiter: None,
            quotechar: None,
            skiprows: 0,
            usecols: None,
            ndmin: 0,
            max_rows: None,
            threads: 0,
            encoding: Encoding::Utf8,
            unpack: false,
            converters: Converters::default(),
        }
    }
}

/// Load a text table held in memory. `name` is used in messages.
pub fn loadtxt_from_bytes(text: &[u8], name: &str, opts: &LoadtxtOptions) -> Result<NpyFile> {
    let enc = opts.encoding;
    match enc.in_place(text) {
        Some(t) => loadtxt_bytes(t, opts),
        None if enc == Encoding::Ascii => {
            crate::text::encoding::check_ascii(text).and_then(|_| loadtxt_bytes(text, opts))
        }
        None => {
            // Through `dyn Read`, as files are: one copy of the streaming loader.
            let mut d = enc.decoder(text);
            loadtxt_stream(&mut (&mut d as &mut dyn std::io::Read), opts, 16 << 20)
        }
    }
    .map_err(|e| e.context(name))
}

fn loadtxt_bytes(text: &[u8], opts: &LoadtxtOptions) -> Result<NpyFile> {
    if let Some(o) = with_discovered_unit(opts, |o| loadtxt_bytes_once(text, o).map(|_| ()))? {
        return loadtxt_sized(text, &o);
    }
    loadtxt_sized(text, opts)
}

/// [`loadtxt_bytes`] once a datetime unit is known.
fn loadtxt_sized(text: &[u8], opts: &LoadtxtOptions) -> Result<NpyFile> {
    let (a, longest) = loadtxt_bytes_once(text, opts)?;
    // A string dtype without a length: that pass measured the longest
    // field and stored nothing; load again into the sized dtype.
    match strings::sized(opts, longest)? {
        Some(o) => strings::unpacked(loadtxt_bytes_once(text, &o).map(|r| r.0), &o),
        None => strings::unpacked(Ok(a), opts),
    }
}

/// One load of `text`, and the longest field measured (for a string dtype
/// without a length, which stores nothing).
#[inline(never)]
fn loadtxt_bytes_once(text: &[u8], opts: &LoadtxtOptions) -> Result<(NpyFile, usize)> {
    let mut ld = Loader::new(opts)?;
    let (pos, _) = ld.prologue(text, true)?;
    // Room for every row there can be: one per line.
    let more_rows = max_rows_in(&text[pos..]).min(ld.max_rows - ld.rows.min(ld.max_rows));
    let mut sink = MemorySink::new(&mut ld, opts.ndmin, more_rows)?;
    ld.body(&text[pos..], true, &mut sink)?;
    let a = sink.finish(&opts.dtype, &ld.layout.shape(ld.rows, opts.ndmin))?;
    Ok((
        a,
        ld.layout.longest.load(std::sync::atomic::Ordering::Relaxed),
    ))
}

/// The options with a datetime64 dtype without a unit given the unit of
/// the data (NumPy's unit discovery; `pass` loads with the options it is
/// given); `None` for any other dtype.
fn with_discovered_unit(
    opts: &LoadtxtOptions,
    pass: impl FnOnce(&LoadtxtOptions) -> Result<()>,
) -> Result<Option<LoadtxtOptions>> {
    if !crate::text::datetime::is_generic_datetime(&opts.dtype) || !opts.converters.is_empty() {
        return Ok(None);
    }
    let dtype = crate::text::datetime::discover_unit(&opts.dtype, |dt, conv| {
        let o = LoadtxtOptions {
            dtype: dt.clone(),
            converters: conv,
            ..opts.clone()
        };
        pass(&o)
    })?;
    Ok(Some(LoadtxtOptions {
        dtype,
        ..opts.clone()
    }))
}

/// `np.loadtxt(path, ...)`: the result is an in-memory .npy array. A
/// regular file is mapped, not copied; large inputs are parsed on several
/// threads. Other files (a pipe, a FIFO, `/dev/stdin`) are read to their
/// end in blocks, each parsed as it arrives.
pub fn loadtxt(path: impl AsRef<Path>, opts: &LoadtxtOptions) -> Result<NpyFile> {
    super::with_text(path.as_ref(), opts.encoding, |text, name| match text {
        super::Text::Mapped(b) => loadtxt_bytes(b, opts).map_err(|e| e.context(name)),
        super::Text::Stream(mut f) => {
            loadtxt_stream(&mut f, opts, 16 << 20).map_err(|e| e.context(name))
        }
    })
}

/// The result of a streamed loadtxt, parsed block by block into memory.
fn loadtxt_stream(
    input: &mut impl std::io::Read,
    opts: &LoadtxtOptions,
    block: usize,
) -> Result<NpyFile> {
    if strings::lengthless(opts) || crate::text::datetime::is_generic_datetime(&opts.dtype) {
        // The longest field, or the datetime unit, is known at the end
        // only: read it all first.
        return loadtxt_bytes(&super::read_to_end(input)?, opts);
    }
    strings::unpacked(loadtxt_stream_once(input, opts, block), opts)
}

fn loadtxt_stream_once(
    input: &mut impl std::io::Read,
    opts: &LoadtxtOptions,
    block: usize,
) -> Result<NpyFile> {
    let mut ld = Loader::new(opts)?;
    let sink = stream_blocks(&mut ld, input, block, None, |ld| {
        MemorySink::new(ld, opts.ndmin, 0)
    })?;
    sink.finish(&opts.dtype, &ld.layout.shape(ld.rows, opts.ndmin))
}

/// Convert a text table to a .npy file without holding the text (or the
/// array) in memory: the text is read in 16 MiB blocks, each block's rows
/// are parsed (on several threads) and appended to the output, and the
/// header's row count is filled in at the end. The result is
/// byte-identical to `np.save(npy_path, np.loadtxt(txt_path, ...))`. The
/// output goes to a temporary file renamed over `npy_path` when complete.
/// Returns the number of rows. Since the header is completed at the end,
/// `npy_path` must be a regular file (or new): anything else (a FIFO, a
/// device, a descriptor such as `/dev/stdout`) is `InvalidArg`
/// ([`Detail::NeedsRegularFile`](crate::error::Detail)), before anything
/// is opened.
pub fn loadtxt_to_npy(
    txt_path: impl AsRef<Path>,
    npy_path: impl AsRef<Path>,
    opts: &LoadtxtOptions,
) -> Result<u64> {
    let txt_path = crate::text::compressed::find(txt_path.as_ref());
    let name = txt_path.display().to_string();
    if crate::text::datetime::is_generic_datetime(&opts.dtype) {
        return Err(crate::err!(
            Unsupported,
            "{name}: a streamed conversion needs the datetime64 unit (e.g. M8[s]); load the table for unit discovery"
        ));
    }
    to_npy(&txt_path, npy_path.as_ref(), opts, 16 << 20).map_err(|e| e.context(name))
}

/// [`loadtxt_to_npy`] with a given block size (for tests of block
/// boundaries); the error does not name the text file.
#[doc(hidden)]
pub fn to_npy(
    txt_path: &Path,
    npy_path: &Path,
    opts: &LoadtxtOptions,
    block: usize,
) -> Result<u64> {
    use std::io::{Seek, SeekFrom, Write};
    if let Some(kind) = crate::io::special_target(npy_path) {
        return Err(err!(
            InvalidArg,
            "{}: is a {kind}; a streamed conversion completes the header at the end and needs a regular file",
            npy_path.display()
        )
        .with_detail(crate::error::Detail::NeedsRegularFile));
    }
    strings::streamable(opts)?;
    let mut ld = Loader::new(opts)?;
    let file = std::fs::File::open(txt_path).map_err(|e| Error::open("open", e))?;
    let mut input = crate::text::compressed::reader(txt_path, file, opts.encoding)?;
    let out_name = npy_path.display().to_string();
    let werr = |e| Error::io(format!("{out_name}: write"), e);
    let out = AtomicFile::create(npy_path, false)?;
    let mut s = stream_blocks(&mut ld, &mut input, block, Some(256 << 20), |ld| {
        NpyFileSink::new(out, ld, opts.ndmin)
    })?;
    let (_, hdr) = npy_header(&opts.dtype, &ld.layout.shape(ld.rows, opts.ndmin))?;
    if hdr.len() == s.header_len {
        std::os::unix::fs::FileExt::write_all_at(s.file.file(), &hdr, 0).map_err(werr)?;
    } else {
        // Only results of at most one row change the header's length.
        let first = std::mem::take(&mut s.first_row);
        let f = s.file.file();
        f.set_len(0).map_err(werr)?;
        f.seek(SeekFrom::Start(0)).map_err(werr)?;
        f.write_all(&hdr).map_err(werr)?;
        f.write_all(&first).map_err(werr)?;
    }
    s.file.commit()?;
    Ok(ld.rows)
}
