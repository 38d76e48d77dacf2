//! Every input the fuzzers ever crashed on (fuzz/regressions/<target>/) and
//! their corpora (fuzz/corpus/<target>.tar.gz) run through the same
//! invariant checks as the fuzz targets (fuzz/src/checks.rs), in the normal
//! `cargo test`. A regression file's name says what it found; see
//! docs/FUZZING.md.

#[allow(dead_code, clippy::all)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use npyio_test_support as common;
use std::io::Read;
use std::path::PathBuf;

fn root() -> PathBuf {
    common::root().join("fuzz")
}

/// The regression inputs of a target: (file name, bytes), sorted by name.
fn regressions(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = root().join("regressions").join(target);
    let mut v: Vec<(String, Vec<u8>)> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                !n.starts_with('.') && !n.ends_with(".md")
            })
            .map(|p| {
                let data = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (p.display().to_string(), data)
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// The corpus of a target, from its archive (what `fuzz/scripts/corpus.sh pack` writes: a
/// gzipped tar of `<target>/<input>` files): (archive:member, bytes), sorted by name.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let path = root().join("corpus").join(format!("{target}.tar.gz"));
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: the corpus must be committed (fuzz/scripts/corpus.sh pack)",
            path.display()
        )
    });
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let mut v = Vec::new();
    for entry in archive
        .entries()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    {
        let mut entry = entry.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry.path().unwrap().display().to_string();
        let mut data = Vec::new();
        entry
            .read_to_end(&mut data)
            .unwrap_or_else(|e| panic!("{}: {name}: {e}", path.display()));
        v.push((format!("{}:{name}", path.display()), data));
    }
    v.sort();
    v
}

fn run(target: &str, check: fn(&[u8])) {
    static SCRATCH: std::sync::Once = std::sync::Once::new();
    SCRATCH.call_once(|| {
        // Write-back checks write here (under target/), not to /dev/shm.
        std::env::set_var("NPYIO_FUZZ_SCRATCH", common::scratch("write_back"));
    });
    let regressions = regressions(target);
    let corpus = corpus(target);
    assert!(
        !corpus.is_empty(),
        "fuzz/corpus/{target}.tar.gz holds no inputs"
    );
    for (name, data) in regressions.iter().chain(&corpus) {
        let r = std::panic::catch_unwind(|| check(data));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {name} fails its invariants: {msg}");
        }
    }
    eprintln!(
        "{target}: {} regression inputs and {} corpus inputs checked",
        regressions.len(),
        corpus.len()
    );
}

#[test]
fn header_inputs() {
    run("header", checks::check_header);
}

#[test]
fn dtype_inputs() {
    run("dtype", checks::check_dtype);
}

#[test]
fn npy_inputs() {
    run("npy", checks::check_npy);
}

#[test]
fn npz_inputs() {
    run("npz", checks::check_npz);
}

#[test]
fn text_inputs() {
    run("text", checks::check_text);
}

#[test]
fn savetxt_inputs() {
    run("savetxt", checks::check_savetxt);
}

/// The targets this file runs.
const TARGETS: [&str; 6] = ["header", "dtype", "npy", "npz", "text", "savetxt"];

/// Every regression directory belongs to a target this file runs.
#[test]
fn no_unknown_regression_dirs() {
    let known = TARGETS;
    for d in std::fs::read_dir(root().join("regressions")).unwrap() {
        let d = d.unwrap();
        if d.path().is_dir() {
            let name = d.file_name().to_string_lossy().to_string();
            assert!(
                known.contains(&name.as_str()),
                "fuzz/regressions/{name} is not run"
            );
        }
    }
}

/// Every corpus archive belongs to a target this file runs.
#[test]
fn no_unknown_corpus_archives() {
    for e in std::fs::read_dir(root().join("corpus")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        if let Some(target) = name.strip_suffix(".tar.gz") {
            assert!(TARGETS.contains(&target), "fuzz/corpus/{name} is not run");
        }
    }
}
