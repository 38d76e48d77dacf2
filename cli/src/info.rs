//! `npyio info`: what is in .npy files and .npz archives.

use crate::common::*;
use crate::dtypes;
use npyio::header::Header;
use npyio::npz::NpzFile;
use npyio::NpyFile;
use serde_json::{json, Map, Value};
use std::fmt::Write as _;

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
                .map(|t| format!("  (title {})", npyio::literal::repr_str(t)))
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
        npyio::dtype::shape_repr(&h.shape)
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
        other => format!("method {other}"),
    }
}

fn ratio(size: u64, csize: u64) -> Option<f64> {
    (csize > 0).then(|| size as f64 / csize as f64)
}

/// Describe one file, as text and as JSON. Errors inside an archive's
/// members are reported per member; the Err is for files that cannot be
/// read at all. The bool says whether some member failed.
fn describe(input: &Input) -> CliResult<(String, Value, bool)> {
    let name = input.display();
    let file_len = std::fs::metadata(input.path())
        .map(|m| m.len())
        .unwrap_or(0);
    match input {
        Input::Npy(p) => {
            let f = NpyFile::open(p)?;
            let h = f.header();
            let mut text = format!("{name}: NumPy .npy file, {file_len} bytes\n");
            array_text(h, "  ", &mut text);
            let trailing = file_len.saturating_sub(h.data_offset + h.nbytes());
            if trailing > 0 {
                let _ = writeln!(
                    text,
                    "  trailing:    {trailing} bytes after the data (NumPy ignores them)"
                );
            }
            let mut m = Map::new();
            m.insert("path".into(), json!(name));
            m.insert("kind".into(), json!("npy"));
            m.insert("file_size".into(), json!(file_len));
            m.extend(array_json(h));
            Ok((text, Value::Object(m), false))
        }
        Input::Npz(p) | Input::Member(p, _) => {
            let z = NpzFile::open(p)?;
            let only = match input {
                Input::Member(_, k) => Some(z.index_of(k).ok_or_else(|| {
                    CliError::usage(format!(
                        "{}: no member named {} (keys: {})",
                        p.display(),
                        npyio::literal::repr_str(k),
                        keys(&z)
                    ))
                })?),
                _ => None,
            };
            let mut text = format!(
                "{}: NumPy .npz archive, {} member{}, {file_len} bytes\n",
                p.display(),
                z.len(),
                if z.len() == 1 { "" } else { "s" }
            );
            let mut members = Vec::new();
            let mut failed = false;
            for (i, e) in z.entries().iter().enumerate() {
                if only.is_some_and(|o| o != i) {
                    continue;
                }
                let r = ratio(e.size, e.compressed_size);
                let _ = writeln!(
                    text,
                    "  member {} ({}): {}, {} bytes{}",
                    npyio::literal::repr_str(&e.key),
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
                match z.open_member_at(i) {
                    Ok(f) => {
                        array_text(f.header(), "    ", &mut text);
                        m.extend(array_json(f.header()));
                    }
                    Err(err) => {
                        failed = true;
                        let _ = writeln!(text, "    error:       {}", err.message());
                        m.insert("error".into(), json!(err.message()));
                    }
                }
                members.push(Value::Object(m));
            }
            let v = json!({
                "path": p.display().to_string(),
                "kind": "npz",
                "file_size": file_len,
                "members": members,
            });
            Ok((text, v, failed))
        }
        Input::Text(_) => unreachable!("text inputs are refused earlier"),
    }
}

/// `npyio info FILE... [--json]`.
pub fn run(files: &[String], as_json: bool) -> CliResult<i32> {
    let mut status = EXIT_OK;
    let mut all = Vec::new();
    let mut first = true;
    for arg in files {
        let r = parse_input(arg, false).and_then(|i| describe(&i));
        match r {
            Ok((text, v, failed)) => {
                if failed {
                    status = status.max(EXIT_BAD);
                }
                if as_json {
                    all.push(v);
                } else {
                    if !first {
                        println!();
                    }
                    print!("{text}");
                    first = false;
                }
            }
            Err(e) => {
                eprintln!("npyio info: {}", e.msg);
                status = status.max(e.code);
                if as_json {
                    all.push(json!({"path": arg, "error": e.msg}));
                }
            }
        }
    }
    if as_json {
        println!(
            "{}",
            serde_json::to_string_pretty(&Value::Array(all)).unwrap_or_default()
        );
    }
    Ok(status)
}
