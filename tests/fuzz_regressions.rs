//! Every input the fuzzers ever crashed on (fuzz/regressions/<target>/) and a
//! sample of their corpora (fuzz/corpus/<target>/) run through the same
//! invariant checks as the fuzz targets (fuzz/src/checks.rs), in the normal
//! `cargo test`. A regression file's name says what it found; see
//! docs/FUZZING.md.

#[allow(dead_code, clippy::all)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// Corpus files run per target (a deterministic sample: every k-th file).
const CORPUS_SAMPLE: usize = 300;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .filter(|p| {
                let n = p.file_name().unwrap().to_string_lossy();
                !n.starts_with('.') && !n.ends_with(".md")
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn run(target: &str, check: fn(&[u8])) {
    static SCRATCH: std::sync::Once = std::sync::Once::new();
    SCRATCH.call_once(|| {
        // Write-back checks write here (under target/), not to /dev/shm.
        let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz_regressions");
        std::env::set_var("NPYIO_FUZZ_SCRATCH", d);
    });
    let regressions = files(&root().join("regressions").join(target));
    let corpus = files(&root().join("corpus").join(target));
    let step = corpus.len().div_ceil(CORPUS_SAMPLE).max(1);
    let sample: Vec<&PathBuf> = corpus.iter().step_by(step).collect();
    assert!(
        !sample.is_empty(),
        "fuzz/corpus/{target}/ is empty: the corpus must be committed"
    );
    for p in regressions.iter().chain(sample.iter().copied()) {
        let data = match std::fs::read(p) {
            Ok(d) => d,
            // A fuzzer running on the corpus replaces files as it reduces them.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => panic!("{}: {e}", p.display()),
        };
        let r = std::panic::catch_unwind(|| check(&data));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("{target}: {} fails its invariants: {msg}", p.display());
        }
    }
    eprintln!(
        "{target}: {} regression inputs and {} of {} corpus inputs checked",
        regressions.len(),
        sample.len(),
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

/// Every regression directory belongs to a target this file runs.
#[test]
fn no_unknown_regression_dirs() {
    let known = ["header", "dtype", "npy", "npz", "text", "savetxt"];
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
