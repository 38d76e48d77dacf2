//! `npyio convert IN OUT`: between .npy files, .npz members and text
//! tables, streamed.

use crate::common::*;
use crate::pack::{add_member, key_of, write_npy, writer_options};
use npyio::npz::{Compression, NpzFile, NpzWriter};
use npyio::text::genfromtxt::{genfromtxt, Delimiter, GenfromtxtOptions, Names};
use npyio::text::loadtxt::{loadtxt_to_npy, LoadtxtOptions};
use npyio::text::savetxt::{savetxt_to_writer, Fmt, SavetxtOptions};
use npyio::{DType, NpyFile, READ_C_ORDER};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Text-table options from the command line.
#[derive(Clone, Debug, Default)]
pub struct TextArgs {
    /// `--delimiter`.
    pub delimiter: Option<String>,
    /// `--fmt` (once for all columns or the whole row, or once per column).
    pub fmt: Vec<String>,
    /// `--skiprows`.
    pub skiprows: u64,
    /// `--usecols`.
    pub usecols: Option<Vec<i64>>,
    /// `--dtype`.
    pub dtype: Option<String>,
    /// `--comments`.
    pub comments: Option<String>,
    /// `--max-rows`.
    pub max_rows: Option<u64>,
    /// `--header` (savetxt).
    pub header: Option<String>,
    /// `--genfromtxt`: read text as np.genfromtxt.
    pub genfromtxt: bool,
    /// `--missing-values` (genfromtxt).
    pub missing_values: Option<String>,
    /// `--filling-values` (genfromtxt).
    pub filling_values: Option<String>,
    /// `--names` (genfromtxt: names=True).
    pub names: bool,
}

/// Where `convert` writes.
#[derive(Clone, Debug)]
enum Output {
    Npy(PathBuf),
    Npz(PathBuf, Option<String>),
    Text(PathBuf),
}

fn parse_output(arg: &str) -> CliResult<Output> {
    if let Some((file, member)) = arg.rsplit_once(':') {
        if file.to_ascii_lowercase().ends_with(".npz") && !member.is_empty() {
            return Ok(Output::Npz(PathBuf::from(file), Some(member.to_string())));
        }
    }
    let p = PathBuf::from(arg);
    let ext = p
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("npy") => Ok(Output::Npy(p)),
        Some("npz") => Ok(Output::Npz(p, None)),
        _ if is_text_name(&p) => Ok(Output::Text(p)),
        _ => Err(CliError::usage(format!(
            "{arg}: cannot tell the output format; name it .npy, .npz, FILE.npz:KEY, .csv, .tsv, .txt or .dat"
        ))),
    }
}

/// The delimiter a text file gets when none is given: ',' for .csv, tab
/// for .tsv, NumPy's default otherwise (whitespace when reading, one space
/// when writing).
fn default_delimiter(p: &Path) -> Option<String> {
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("csv") => Some(",".into()),
        Some("tsv") => Some("\t".into()),
        _ => None,
    }
}

fn unescape(s: &str) -> String {
    s.replace("\\t", "\t")
}

fn load_options(t: &TextArgs, p: &Path) -> CliResult<LoadtxtOptions> {
    let mut o = LoadtxtOptions::default();
    if let Some(d) = &t.dtype {
        o.dtype = DType::parse(d)
            .map_err(|e| CliError::usage(format!("--dtype {d}: {}", e.message())))?;
    }
    o.delimiter = t
        .delimiter
        .as_deref()
        .map(unescape)
        .or_else(|| default_delimiter(p));
    o.skiprows = t.skiprows;
    o.usecols = t.usecols.clone();
    o.max_rows = t.max_rows;
    if let Some(c) = &t.comments {
        o.comments = if c.is_empty() {
            Vec::new()
        } else {
            vec![c.clone()]
        };
    }
    Ok(o)
}

fn save_options(t: &TextArgs, p: &Path) -> SavetxtOptions {
    let mut o = SavetxtOptions::default();
    match t.fmt.len() {
        0 => {}
        1 => o.fmt = Fmt::One(t.fmt[0].clone()),
        _ => o.fmt = Fmt::PerColumn(t.fmt.clone()),
    }
    if let Some(d) = t
        .delimiter
        .as_deref()
        .map(unescape)
        .or_else(|| default_delimiter(p))
    {
        o.delimiter = d;
    }
    if let Some(h) = &t.header {
        o.header = h.clone();
    }
    if let Some(c) = &t.comments {
        o.comments = c.clone();
    }
    o
}

/// `np.savetxt(out, a, ...)`, reading `f` a slab of rows at a time.
fn write_text(f: &NpyFile, out: &Path, t: &TextArgs, progress: &mut Progress) -> CliResult {
    let h = f.header();
    let opts = save_options(t, out);
    if h.shape.is_empty() || h.shape.len() > 2 {
        return Err(CliError::bad(format!(
            "{}: Expected 1D or 2D array, got {}D array instead (savetxt writes 1-D and 2-D arrays)",
            f.name(),
            h.shape.len()
        )));
    }
    let ctx = |e: npyio::Error| CliError::from(e.context(out.display()));
    let mut af = npyio::io::AtomicFile::create(out, false)?;
    {
        let mut bw = std::io::BufWriter::with_capacity(1 << 20, &mut af);
        let rows = h.shape[0];
        let row = f.rows_nbytes(1)?.max(1);
        let per = (CHUNK as u64 / row).max(1);
        let mut buf = try_buffer(per.min(rows) * row, f.name())?;
        let mut first = 0u64;
        let mut shape = h.shape.clone();
        // One pass even for an empty array, for the header and footer.
        loop {
            let count = per.min(rows - first);
            let k = (count * row) as usize;
            f.read_rows(first, count, &mut buf[..k], READ_C_ORDER)?;
            shape[0] = count;
            let mut o = opts.clone();
            if first > 0 {
                o.header.clear();
            }
            if first + count < rows {
                o.footer.clear();
            }
            savetxt_to_writer(&mut bw, &h.dtype, &shape, &buf[..k], &o).map_err(ctx)?;
            progress.add(k as u64);
            first += count;
            if first >= rows {
                break;
            }
        }
        bw.flush().map_err(|e| CliError::io(out.display(), e))?;
    }
    af.commit()?;
    Ok(())
}

fn genfromtxt_options(t: &TextArgs, p: &Path) -> CliResult<GenfromtxtOptions> {
    let mut o = GenfromtxtOptions::default();
    if let Some(d) = &t.dtype {
        o.dtype = DType::parse(d)
            .map_err(|e| CliError::usage(format!("--dtype {d}: {}", e.message())))?;
    }
    o.delimiter = match t
        .delimiter
        .as_deref()
        .map(unescape)
        .or_else(|| default_delimiter(p))
    {
        Some(d) => Delimiter::Str(d),
        None => Delimiter::Whitespace,
    };
    o.skip_header = t.skiprows;
    o.usecols = t.usecols.clone();
    o.max_rows = t.max_rows;
    if let Some(c) = &t.comments {
        o.comments = (!c.is_empty()).then(|| c.clone());
    }
    if let Some(m) = &t.missing_values {
        o.missing_values = m.split(',').map(String::from).collect();
    }
    o.filling_value = t.filling_values.clone();
    if t.names {
        o.names = Names::FirstLine;
    }
    Ok(o)
}

/// `np.genfromtxt(text, ...)`, in memory (genfromtxt keeps every row, as
/// NumPy does), with the progress bar over the text read.
fn genfromtxt_array(text: &Path, t: &TextArgs, bar: Bar) -> CliResult<NpyFile> {
    let opts = genfromtxt_options(t, text)?;
    let watch = ReadWatch::start(text, format!("parse {}", text.display()), bar);
    let r = genfromtxt(text, &opts);
    watch.finish(r.is_ok());
    Ok(r?.data)
}

/// `np.save(npy, np.loadtxt(text, ...))`, streamed by the library in
/// bounded memory, with a progress bar over the text read.
fn text_to_npy(text: &Path, npy: &Path, opts: &LoadtxtOptions, bar: Bar) -> CliResult {
    let watch = ReadWatch::start(text, format!("parse {}", text.display()), bar);
    let r = loadtxt_to_npy(text, npy, opts);
    watch.finish(r.is_ok());
    r.map(|_| ()).map_err(|e| text_error(e, text, opts))
}

/// A loadtxt error, with a hint to `--skiprows` when the value that does
/// not parse is on the table's first data line (a header line, most
/// likely).
fn text_error(e: npyio::Error, text: &Path, opts: &LoadtxtOptions) -> CliError {
    let hint = if e.status() == npyio::Status::Parse {
        error_line(e.message()).filter(|&n| first_data_line(text, opts) == Some(n))
    } else {
        None
    };
    let mut err = CliError::from(e);
    if let Some(n) = hint {
        err.msg
            .push_str(&format!(" (a header line? try --skiprows {n})"));
    }
    err
}

/// N of the first "line N, column C:" in a parse error's message (the
/// file name before it may contain "line " too).
fn error_line(msg: &str) -> Option<u64> {
    msg.match_indices("line ").find_map(|(at, _)| {
        let rest = &msg[at + 5..];
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        if digits == 0 || !rest[digits..].starts_with(", column ") {
            return None;
        }
        rest[..digits].parse().ok()
    })
}

/// The number (from 1) of the first line loadtxt reads as data: after
/// `skiprows` lines, the first that is not empty once comments are cut.
/// Looks at the first 16 MiB only.
fn first_data_line(text: &Path, opts: &LoadtxtOptions) -> Option<u64> {
    use std::io::{BufRead, Read};
    let f = std::fs::File::open(text).ok()?;
    let mut r = std::io::BufReader::new(f.take(16 << 20));
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
        n += 1;
        if n <= opts.skiprows {
            continue;
        }
        let mut end = line.len();
        for c in &opts.comments {
            if let Some(k) = memfind(&line[..end], c.as_bytes()) {
                end = k;
            }
        }
        if line[..end].iter().any(|b| !b.is_ascii_whitespace()) {
            return Some(n);
        }
    }
}

/// Where `needle` first occurs in `hay`.
fn memfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Write `(key, array)` pairs into a new archive at `out`, keeping the
/// members of the archive already there when `keep` (the new ones replace
/// members with the same key).
fn write_npz(
    out: &Path,
    new: Vec<(String, NpyFile, Option<PathBuf>)>,
    keep: bool,
    compression: Compression,
    bar: Bar,
) -> CliResult {
    let old = if keep && out.is_file() && sniff(out)? == Kind::Npz {
        Some(NpzFile::open(out)?)
    } else {
        None
    };
    let mut kept: Vec<(String, NpyFile, Compression)> = Vec::new();
    if let Some(z) = &old {
        for (i, e) in z.entries().iter().enumerate() {
            if new.iter().any(|(k, ..)| *k == e.key) {
                continue;
            }
            let f = z.open_member_at(i).map_err(|err| {
                if err.status() == npyio::Status::BadMagic {
                    CliError::bad(format!(
                        "{}: member {} is not an array and cannot be kept when the archive is rewritten",
                        out.display(),
                        npyio::pytext::repr_str(&e.name)
                    ))
                } else {
                    err.into()
                }
            })?;
            let c = if e.method == 0 {
                Compression::Stored
            } else {
                Compression::Deflate
            };
            kept.push((e.key.clone(), f, c));
        }
    }
    let total: u64 = kept.iter().map(|(_, f, _)| f.nbytes()).sum::<u64>()
        + new.iter().map(|(_, f, _)| f.nbytes()).sum::<u64>();
    let mut progress = Progress::new(format!("write {}", out.display()), total, bar);
    let mut w = NpzWriter::create(out, writer_options())?;
    for (k, f, c) in &kept {
        add_member(&mut w, k, f, None, *c, &mut progress)?;
    }
    for (k, f, p) in &new {
        add_member(&mut w, k, f, p.as_deref(), compression, &mut progress)?;
    }
    w.finish()?;
    Ok(())
}

/// `npyio convert IN OUT`.
pub fn run(input: &str, output: &str, t: &TextArgs, compress: bool, bar: Bar) -> CliResult<i32> {
    let inp = parse_input(input, true)?;
    let out = parse_output(output)?;
    let compression = if compress {
        Compression::Deflate
    } else {
        Compression::Stored
    };
    if !matches!(inp, Input::Text(_))
        && (t.dtype.is_some() || t.skiprows > 0 || t.usecols.is_some() || t.max_rows.is_some())
    {
        return Err(CliError::usage(
            "--dtype, --skiprows, --usecols and --max-rows apply when reading a text table",
        ));
    }
    if t.genfromtxt && !matches!(inp, Input::Text(_)) {
        return Err(CliError::usage(
            "--genfromtxt applies when reading a text table",
        ));
    }
    if !matches!(out, Output::Text(_)) && (!t.fmt.is_empty() || t.header.is_some()) {
        return Err(CliError::usage(
            "--fmt and --header apply when writing a text table",
        ));
    }
    match (&inp, &out) {
        (Input::Text(_), Output::Text(_)) => Err(CliError::usage(
            "text to text: convert a table to .npy or .npz, or an array to text",
        )),
        (Input::Text(p), Output::Npy(o)) if t.genfromtxt => {
            let f = genfromtxt_array(p, t, bar)?;
            let mut progress = Progress::new(format!("write {}", o.display()), f.nbytes(), bar);
            write_npy(&f, None, o, &mut progress)?;
            Ok(EXIT_OK)
        }
        (Input::Text(p), Output::Npz(o, key)) if t.genfromtxt => {
            let f = genfromtxt_array(p, t, bar)?;
            let k = key.clone().unwrap_or_else(|| {
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "arr_0".into())
            });
            write_npz(o, vec![(k, f, None)], key.is_some(), compression, bar)?;
            Ok(EXIT_OK)
        }
        (Input::Text(p), Output::Npy(o)) => {
            let opts = load_options(t, p)?;
            if npyio::io::special_target(o).is_some() {
                // A FIFO or a device is written as a stream, so the header
                // cannot be filled in at the end: parse into a temporary
                // .npy first, then copy it.
                let tmp = TempFile::for_output(o)?;
                text_to_npy(p, tmp.path(), &opts, bar)?;
                let f = NpyFile::open(tmp.path())?;
                tmp.remove()?;
                let mut progress = Progress::new(format!("write {}", o.display()), f.nbytes(), bar);
                write_npy(&f, None, o, &mut progress)?;
            } else {
                text_to_npy(p, o, &opts, bar)?;
            }
            Ok(EXIT_OK)
        }
        (Input::Text(p), Output::Npz(o, key)) => {
            // Parsed into a temporary .npy next to the output (the library
            // streams text into a .npy in bounded memory, filling in the
            // row count at the end), which is then streamed into the
            // archive member: memory stays bounded for any size of table.
            let opts = load_options(t, p)?;
            let k = key.clone().unwrap_or_else(|| {
                p.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "arr_0".into())
            });
            let tmp = TempFile::for_output(o)?;
            text_to_npy(p, tmp.path(), &opts, bar)?;
            let f = NpyFile::open(tmp.path())?;
            // The open descriptor keeps the data: nothing is left behind
            // even if writing the archive is interrupted.
            tmp.remove()?;
            write_npz(o, vec![(k, f, None)], key.is_some(), compression, bar)?;
            Ok(EXIT_OK)
        }
        (Input::Npz(p), Output::Npz(o, None)) => {
            // Every member, recompressed as asked.
            let z = NpzFile::open(p)?;
            let mut new = Vec::new();
            for i in 0..z.len() {
                let e = &z.entries()[i];
                new.push((e.key.clone(), z.open_member_at(i)?, None));
            }
            write_npz(o, new, false, compression, bar)?;
            Ok(EXIT_OK)
        }
        (_, out) => {
            let f = open_array(&inp)?;
            let npy_path = match &inp {
                Input::Npy(p) => Some(p.clone()),
                _ => None,
            };
            let mut progress = Progress::new(format!("convert {}", inp.display()), f.nbytes(), bar);
            match out {
                Output::Npy(o) => write_npy(&f, npy_path.as_deref(), o, &mut progress)?,
                Output::Text(o) => write_text(&f, o, t, &mut progress)?,
                Output::Npz(o, key) => {
                    drop(progress);
                    let k = match (key, &inp) {
                        (Some(k), _) => k.clone(),
                        (None, Input::Member(_, m)) => {
                            m.strip_suffix(".npy").unwrap_or(m).to_string()
                        }
                        (None, Input::Npz(p)) => {
                            let z = NpzFile::open(p)?;
                            z.entries()[0].key.clone()
                        }
                        (None, i) => key_of(i.path()),
                    };
                    write_npz(o, vec![(k, f, npy_path)], key.is_some(), compression, bar)?;
                }
            }
            Ok(EXIT_OK)
        }
    }
}
