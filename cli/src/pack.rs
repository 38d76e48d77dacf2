//! `npyio pack` and `npyio unpack`, and the streaming copies `convert`
//! shares with them.

use crate::common::*;
use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{NpyFile, NpyWriter, SaveOptions};
use std::path::{Component, Path, PathBuf};

/// Append `f` to an archive being written as member `key`, streamed.
pub fn add_member(
    w: &mut NpzWriter,
    key: &str,
    f: &NpyFile,
    path: Option<&Path>,
    compression: Compression,
    progress: &mut Progress,
) -> CliResult {
    let h = f.header();
    w.begin(key, &h.dtype, &h.shape, h.fortran_order, compression)?;
    stream_data(f, path, progress, &mut |b| {
        w.write(b).map_err(CliError::from)
    })?;
    w.end()?;
    Ok(())
}

/// Write `f` as a .npy file at `out`, streamed (byte-identical to
/// `np.save` of the same array).
pub fn write_npy(
    f: &NpyFile,
    path: Option<&Path>,
    out: &Path,
    progress: &mut Progress,
) -> CliResult {
    let h = f.header();
    let mut w = NpyWriter::create(
        out,
        &h.dtype,
        &h.shape,
        h.fortran_order,
        SaveOptions::default(),
    )?;
    stream_data(f, path, progress, &mut |b| {
        w.write(b).map_err(CliError::from)
    })?;
    w.finish()?;
    Ok(())
}

/// The options of an archive that is written.
pub fn writer_options() -> NpzWriterOptions {
    NpzWriterOptions::default()
}

/// The member key for a .npy path: its file name without `.npy`.
pub fn key_of(p: &Path) -> String {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    name.strip_suffix(".npy")
        .map(str::to_string)
        .unwrap_or(name)
}

/// `npyio pack OUT.npz IN.npy...`: `np.savez(OUT, **{stem: load(IN)})`,
/// or `np.savez_compressed` with `--compress`. `KEY=FILE` names a member.
pub fn pack(out: &Path, inputs: &[String], compress: bool, quiet: bool) -> CliResult<i32> {
    let mut plan: Vec<(String, PathBuf)> = Vec::new();
    for a in inputs {
        let (key, p) = match a.split_once('=') {
            Some((k, p)) if !Path::new(a).exists() => (k.to_string(), PathBuf::from(p)),
            _ => (key_of(Path::new(a)), PathBuf::from(a)),
        };
        if key.is_empty() {
            return Err(CliError::usage(format!("{a}: empty member name")));
        }
        if plan.iter().any(|(k, _)| *k == key) {
            return Err(CliError::usage(format!(
                "{a}: a second member named {} (name it with KEY=FILE)",
                npyio::literal::repr_str(&key)
            )));
        }
        plan.push((key, p));
    }
    let mut files = Vec::new();
    let mut total = 0;
    for (k, p) in &plan {
        match sniff(p)? {
            Kind::Npy => {}
            _ => {
                return Err(CliError::bad(format!(
                    "{}: not a .npy file (member {})",
                    p.display(),
                    npyio::literal::repr_str(k)
                )))
            }
        }
        let f = NpyFile::open(p)?;
        total += f.nbytes();
        files.push(f);
    }
    let compression = if compress {
        Compression::Deflate
    } else {
        Compression::Stored
    };
    let mut progress = Progress::new(format!("pack {}", out.display()), total, quiet);
    let mut w = NpzWriter::create(out, writer_options())?;
    for ((k, p), f) in plan.iter().zip(&files) {
        add_member(&mut w, k, f, Some(p), compression, &mut progress)?;
    }
    w.finish()?;
    Ok(EXIT_OK)
}

/// A member name as a relative path inside DIR, refusing anything that
/// would escape it.
fn safe_relative(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            _ => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// `npyio unpack IN.npz DIR [KEY...]`: each array member to DIR/KEY.npy
/// (as `np.save(f"{DIR}/{key}.npy", z[key])`), other members as their raw
/// bytes under their own name.
pub fn unpack(input: &Path, dir: &Path, only: &[String], quiet: bool) -> CliResult<i32> {
    let z = NpzFile::open(input)?;
    for k in only {
        if z.index_of(k).is_none() {
            return Err(CliError::usage(format!(
                "{}: no member named {} (keys: {})",
                input.display(),
                npyio::literal::repr_str(k),
                keys(&z)
            )));
        }
    }
    let chosen: Vec<usize> = (0..z.len())
        .filter(|&i| {
            let e = &z.entries()[i];
            only.is_empty() || only.iter().any(|k| *k == e.key || *k == e.name)
        })
        .collect();
    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir.display(), e))?;
    let total: u64 = chosen.iter().map(|&i| z.entries()[i].size).sum();
    let mut progress = Progress::new(format!("unpack {}", input.display()), total, quiet);
    // Where member `name` goes under DIR as `rel`, with its directories made;
    // never outside DIR.
    let out_path = |rel: &str, name: &str| -> CliResult<std::path::PathBuf> {
        let rel = safe_relative(rel).ok_or_else(|| {
            CliError::bad(format!(
                "{}: member {} would be written outside {}",
                input.display(),
                npyio::literal::repr_str(name),
                dir.display()
            ))
        })?;
        let out = dir.join(rel);
        if let Some(parent) = out.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CliError::io(parent.display(), e))?;
        }
        Ok(out)
    };
    for i in chosen {
        let e = &z.entries()[i];
        match z.open_member_at(i) {
            Ok(f) => {
                let out = out_path(&format!("{}.npy", e.key), &e.name)?;
                write_npy(&f, None, &out, &mut progress)?;
            }
            Err(err) if err.status() == npyio::Status::BadMagic => {
                let out = out_path(&e.name, &e.name)?;
                let mut b = try_buffer(e.size, &e.name)?;
                z.read_raw(i, &mut b)?;
                let mut af = npyio::io::AtomicFile::create(&out, false)?;
                af.write_all(&b)?;
                af.commit()?;
                progress.add(e.size);
            }
            Err(err) => return Err(err.into()),
        }
    }
    Ok(EXIT_OK)
}
