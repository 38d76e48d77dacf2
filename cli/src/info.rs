//! `npyio info`: what is in .npy files and .npz archives.

use crate::common::*;
use crate::dtypes;
use npyio::header::Header;
use npyio::npz::NpzFile;
use npyio::NpyFile;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;
use std::io::Write;

fn dtype_json(h: &Header) -> Value {
    let dt = &h.dtype;
    let fields: Option<Vec<Value>> = match dt.layout() {
        npyio::dtype::Layout::Record(_) => Some(
            dtypes::field_rows(dt)
                .into_iter()
                .map(|r| {
                    json!({
                        "name": r.path,
                        "title": r.title,
                        "offset": r.offset,
                        "itemsize": r.size,
                        "descr": r.descr,
                        "type": r.readable,
                    })
                })
                .collect(),
        ),
        _ => None,
    };
    json!({
        "repr": dtypes::numpy_repr(dt),
        "str": dt.typestr(),
        "descr": dt.descr(),
        "name": dtypes::name(dt),
        "itemsize": dt.itemsize(),
        "fields": fields,
    })
}

/// The facts about one array, as JSON fields.
fn array_json(h: &Header) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "version".into(),
        json!(format!("{}.{}", h.version.0, h.version.1)),
    );
    m.insert("dtype".into(), dtype_json(h));
    m.insert("shape".into(), json!(h.shape));
    m.insert("fortran_order".into(), json!(h.fortran_order));
    m.insert("data_offset".into(), json!(h.data_offset));
    m.insert("count".into(), json!(h.count()));
    m.insert("nbytes".into(), json!(h.nbytes()));
    m
}

fn array_text(h: &Header, indent: &str, out: &mut String) {
    let dt = &h.dtype;
    let _ = writeln!(out, "{indent}format:      {}.{}", h.version.0, h.version.1);
    let _ = writeln!(out, "{indent}dtype:       {}", dtypes::numpy_repr(dt));
    let rows = dtypes::field_rows(dt);
    if !rows.is_empty() {
        let wn = rows
            .iter()
            .map(|r| r.path.chars().count())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(
            out,
            "{indent}fields:      {:<wn$}  offset  size  type",
            "name"
        );
        for r in &rows {
            let title = r
                .title
                .as_deref()
                .map(|t| format!("  (title {})", npyio::pytext::repr_str(t)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}             {:<wn$}  {:>6}  {:>4}  {}{title}",
                r.path, r.offset, r.size, r.readable
            );
        }
        let _ = writeln!(out, "{indent}record size: {} bytes", dt.itemsize());
    }
    let _ = writeln!(
        out,
        "{indent}shape:       {}",
        npyio::pytext::shape_repr(&h.shape)
    );
    let order = if h.shape.len() < 2 {
        if h.fortran_order {
            "Fortran (same as C for < 2 dimensions)"
        } else {
            "C"
        }
    } else if h.fortran_order {
        "Fortran (column-major)"
    } else {
        "C (row-major)"
    };
    let _ = writeln!(out, "{indent}order:       {order}");
    let _ = writeln!(out, "{indent}data offset: {}", h.data_offset);
    let _ = writeln!(
        out,
        "{indent}data bytes:  {} ({} elements of {} bytes)",
        h.nbytes(),
        h.count(),
        dt.itemsize()
    );
}

fn method_name(m: u16) -> String {
    match m {
        0 => "stored".into(),
        8 => "deflate".into(),
        12 => "bzip2".into(),
        14 => "lzma".into(),
        93 => "zstd".into(),
        9 => "deflate64".into(),
        other => format!("method {other}"),
    }
}

fn ratio(size: u64, csize: u64) -> Option<f64> {
    (csize > 0).then(|| size as f64 / csize as f64)
}

/// A file opened for `info`: everything that can fail before output starts.
enum Opened {
    Npy {
        name: String,
        file_len: u64,
        f: NpyFile,
    },
    Npz {
        name: String,
        file_len: u64,
        z: NpzFile,
        only: Option<usize>,
    },
}

fn open(input: &Input) -> CliResult<Opened> {
    let file_len = std::fs::metadata(input.path())
        .map(|m| m.len())
        .unwrap_or(0);
    match input {
        Input::Npy(p) => Ok(Opened::Npy {
            name: input.display(),
            file_len,
            f: NpyFile::open(p)?,
        }),
        Input::Npz(p) | Input::Member(p, _) => {
            let z = NpzFile::open(p)?;
            let only = match input {
                Input::Member(_, k) => Some(z.index_of(k).ok_or_else(|| no_member(&z, p, k))?),
                _ => None,
            };
            Ok(Opened::Npz {
                name: p.display().to_string(),
                file_len,
                z,
                only,
            })
        }
        Input::Text(_) => unreachable!("text inputs are refused earlier"),
    }
}

/// A member's line and, when it opens as an array, its description; the
/// JSON object for it. The bool says whether it failed to open.
fn member(z: &NpzFile, i: usize) -> (String, Map<String, Value>, bool) {
    let e = &z.entries()[i];
    let r = ratio(e.size, e.compressed_size);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "  member {} ({}): {}, {} bytes{}",
        npyio::pytext::repr_str(&e.key),
        e.name,
        method_name(e.method),
        e.size,
        if e.method == 0 {
            String::new()
        } else {
            format!(
                " compressed to {}{}",
                e.compressed_size,
                r.map(|r| format!(" (ratio {r:.2})")).unwrap_or_default()
            )
        }
    );
    let mut m = Map::new();
    m.insert("name".into(), json!(e.name));
    m.insert("key".into(), json!(e.key));
    m.insert("compression".into(), json!(method_name(e.method)));
    m.insert("compressed_size".into(), json!(e.compressed_size));
    m.insert("size".into(), json!(e.size));
    m.insert("ratio".into(), json!(r));
    m.insert("crc32".into(), json!(format!("{:08x}", e.crc)));
    let mut failed = false;
    match z.open_member_at(i) {
        Ok(f) => {
            array_text(f.header(), "    ", &mut text);
            m.extend(array_json(f.header()));
        }
        Err(err) if err.detail() == Some(npyio::error::Detail::NotAnArray) => {
            // NumPy returns such a member as its bytes: not an error.
            let dir = e.name.ends_with('/') && e.size == 0;
            let what = if dir {
                "directory entry (NumPy returns b'')".to_string()
            } else {
                format!("not a .npy file; NumPy returns its {} bytes", e.size)
            };
            let _ = writeln!(text, "    raw:         {what}");
            m.insert("kind".into(), json!(if dir { "directory" } else { "raw" }));
        }
        Err(err) => {
            failed = true;
            let _ = writeln!(text, "    error:       {}", err.message());
            m.insert("error".into(), json!(err.message()));
        }
    }
    (text, m, failed)
}

/// `v` pretty-printed as serde_json does, with every line after the first
/// indented by `indent` spaces: a piece of a larger pretty document.
fn pretty(v: &Value, indent: usize) -> String {
    let s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.replace('\n', &format!("\n{}", " ".repeat(indent)))
}

/// Write one file's description, member by member (an archive of any size
/// takes memory for one member at a time). Returns whether a member failed.
fn describe(o: &Opened, as_json: bool, out: &mut dyn Write) -> std::io::Result<bool> {
    match o {
        Opened::Npy { name, file_len, f } => {
            let h = f.header();
            if as_json {
                let mut m = Map::new();
                m.insert("path".into(), json!(name));
                m.insert("kind".into(), json!("npy"));
                m.insert("file_size".into(), json!(file_len));
                m.extend(array_json(h));
                write!(out, "  {}", pretty(&Value::Object(m), 2))?;
                return Ok(false);
            }
            let mut text = format!("{name}: NumPy .npy file, {file_len} bytes\n");
            array_text(h, "  ", &mut text);
            let trailing = file_len.saturating_sub(h.data_offset + h.nbytes());
            if trailing > 0 {
                let _ = writeln!(
                    text,
                    "  trailing:    {trailing} bytes after the data (NumPy ignores them)"
                );
            }
            out.write_all(text.as_bytes())?;
            Ok(false)
        }
        Opened::Npz {
            name,
            file_len,
            z,
            only,
        } => {
            // The object's keys in serde_json's (sorted) order, as one
            // pretty-printed document would have them.
            if as_json {
                write!(
                    out,
                    "  {{\n    \"file_size\": {file_len},\n    \"kind\": \"npz\",\n    \"members\": ["
                )?;
            } else {
                writeln!(
                    out,
                    "{name}: NumPy .npz archive, {} member{}, {file_len} bytes",
                    z.len(),
                    if z.len() == 1 { "" } else { "s" }
                )?;
            }
            let mut failed = false;
            let mut n = 0usize;
            for i in 0..z.len() {
                if only.is_some_and(|o| o != i) {
                    continue;
                }
                let (text, m, bad) = member(z, i);
                failed |= bad;
                if as_json {
                    let sep = if n == 0 { "" } else { "," };
                    write!(out, "{sep}\n      {}", pretty(&Value::Object(m), 6))?;
                } else {
                    out.write_all(text.as_bytes())?;
                }
                n += 1;
            }
            if as_json {
                let close = if n == 0 { "]" } else { "\n    ]" };
                write!(
                    out,
                    "{close},\n    \"path\": {}\n  }}",
                    Value::String(name.clone())
                )?;
            }
            Ok(failed)
        }
    }
}

/// `npyio info FILE... [--json]`: each file described as soon as it is
/// opened, members streamed.
pub fn run(files: &[String], as_json: bool) -> CliResult<i32> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let werr = |e| CliError::io("<stdout>", e);
    let mut status = EXIT_OK;
    let mut first = true;
    if as_json {
        write!(out, "[").map_err(werr)?;
    }
    for arg in files {
        let r = parse_input(arg, false).and_then(|i| open(&i));
        if as_json {
            writeln!(out, "{}", if first { "" } else { "," }).map_err(werr)?;
        }
        match r {
            Ok(o) => {
                if !as_json && !first {
                    writeln!(out).map_err(werr)?;
                }
                if describe(&o, as_json, &mut out).map_err(werr)? {
                    status = status.max(EXIT_BAD);
                }
                first = false;
            }
            Err(e) => {
                // Keep stdout and stderr in order for a reader of both.
                out.flush().map_err(werr)?;
                eprintln!("npyio info: {}", e.msg);
                status = status.max(e.code);
                if as_json {
                    let v = json!({"path": arg, "error": e.msg});
                    write!(out, "  {}", pretty(&v, 2)).map_err(werr)?;
                    first = false;
                }
            }
        }
    }
    if as_json {
        writeln!(out, "{}", if first { "]" } else { "\n]" }).map_err(werr)?;
    }
    out.flush().map_err(werr)?;
    Ok(status)
}
