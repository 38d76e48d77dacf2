//! `npyio verify`: read every byte of every array and check every CRC.

use crate::common::*;
use npyio::header::effective_fortran;
use npyio::npz::NpzFile;
use npyio::NpyFile;

/// Read all of an array's data through the library: every byte once, and,
/// for archive members, the member's CRC-32.
fn check_array(f: &NpyFile, path: Option<&std::path::Path>, progress: &mut Progress) -> CliResult {
    let h = f.header();
    if h.nbytes() == 0 || h.shape.is_empty() {
        // Small: one read of everything (for members it checks the CRC).
        let mut b = try_buffer(h.nbytes(), f.name())?;
        f.read_into(&mut b, 0)?;
        progress.add(h.nbytes());
        return Ok(());
    }
    if f.is_compressed_member() || (path.is_none() && effective_fortran(&h.shape, h.fortran_order))
    {
        // Reading the last row inflates (or reads) the whole member once,
        // in bounded memory, and checks its CRC.
        let rows = h.shape[0];
        let row = f.rows_nbytes(1)?;
        let mut b = try_buffer(row, f.name())?;
        f.read_rows(rows - 1, 1, &mut b, 0)?;
        progress.add(h.nbytes());
        return Ok(());
    }
    // Stored members and .npy files: read it all in pieces; the piece that
    // reaches the end checks a member's CRC.
    stream_data(f, path, progress, &mut |_| Ok(()))
}

fn verify_npy(p: &std::path::Path, bar: Bar) -> CliResult<String> {
    let f = NpyFile::open(p)?;
    let h = f.header();
    let mut progress = Progress::new(p.display().to_string(), h.nbytes(), bar);
    check_array(&f, Some(p), &mut progress)?;
    let len = std::fs::metadata(p)
        .map_err(|e| CliError::io(p.display(), e))?
        .len();
    let trailing = len.saturating_sub(h.data_offset + h.nbytes());
    let mut s = format!(
        "npy {}.{}, {} {}, {} data bytes",
        h.version.0,
        h.version.1,
        crate::dtypes::numpy_str(&h.dtype),
        npyio::pytext::shape_repr(&h.shape),
        h.nbytes()
    );
    if trailing > 0 {
        s.push_str(&format!(
            ", {trailing} trailing bytes (ignored, as NumPy does)"
        ));
    }
    Ok(s)
}

fn verify_npz(p: &std::path::Path, bar: Bar) -> CliResult<Result<String, String>> {
    let z = NpzFile::open(p)?;
    let total: u64 = z.entries().iter().map(|e| e.size).sum();
    let mut progress = Progress::new(p.display().to_string(), total, bar);
    let mut problems = Vec::new();
    let mut arrays = 0;
    let mut raw = 0;
    for (i, e) in z.entries().iter().enumerate() {
        let name = npyio::pytext::repr_str(&e.name);
        match z.open_member_at(i) {
            Ok(f) => match check_array(&f, None, &mut progress) {
                Ok(()) => arrays += 1,
                Err(err) => problems.push(err.msg),
            },
            Err(err) if err.status() == npyio::Status::BadMagic => {
                // Not an array (NumPy returns such members as bytes): its CRC
                // must still match.
                match try_buffer(e.size, &name)
                    .and_then(|mut b| z.read_raw(i, &mut b).map_err(CliError::from))
                {
                    Ok(()) => raw += 1,
                    Err(err) => problems.push(err.msg),
                }
                progress.add(e.size);
            }
            Err(err) => problems.push(err.message().to_string()),
        }
    }
    if problems.is_empty() {
        let mut s = format!("npz, {arrays} array{}", if arrays == 1 { "" } else { "s" });
        if raw > 0 {
            s.push_str(&format!(
                ", {raw} non-array member{}",
                if raw == 1 { "" } else { "s" }
            ));
        }
        s.push_str(", CRCs match");
        Ok(Ok(s))
    } else {
        Ok(Err(problems.join("; ")))
    }
}

/// `npyio verify FILE...`: one line per file; 0 if all are good, 1 if not.
pub fn run(files: &[String], bar: Bar) -> CliResult<i32> {
    let mut status = EXIT_OK;
    for arg in files {
        let r: CliResult<Result<String, String>> = (|| {
            let p = std::path::Path::new(arg);
            match sniff(p)? {
                Kind::Npy => Ok(verify_npy(p, bar).map_err(|e| e.msg)),
                Kind::Npz => verify_npz(p, bar),
                Kind::Other => Ok(Err(format!(
                    "{arg}: not a NumPy .npy file or .npz archive (bad magic)"
                ))),
            }
        })();
        match r {
            Ok(Ok(what)) => println!("{arg}: OK ({what})"),
            Ok(Err(msg)) | Err(CliError { msg, .. }) => {
                let msg = msg
                    .strip_prefix(&format!("{arg}: "))
                    .unwrap_or(&msg)
                    .to_string();
                println!("{arg}: FAILED: {msg}");
                status = EXIT_BAD;
            }
        }
    }
    Ok(status)
}
