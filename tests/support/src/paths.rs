//! The repository, cargo's target directory and the scratch directories below it.

use std::path::{Path, PathBuf};

/// The repository root (the library crate's directory).
pub fn root() -> &'static Path {
    // This crate lives in <root>/tests/support.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .and_then(Path::parent)
        .expect("tests/support is two levels below the repository root")
}

/// Cargo's target directory of the running test or benchmark: the nearest directory above the
/// executable that holds `CACHEDIR.TAG` (cargo writes one at the top of every target
/// directory), else `<root>/target`.
pub fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| {
            exe.ancestors()
                .skip(1)
                .find(|d| d.join("CACHEDIR.TAG").is_file())
                .map(Path::to_path_buf)
        })
        .unwrap_or_else(|| root().join("target"))
}

/// The running test binary's name without cargo's `-<hash>` suffix (`bad_input`).
fn binary_name() -> String {
    let exe = std::env::current_exe().unwrap_or_default();
    let stem = exe
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match stem.rsplit_once('-') {
        Some((name, hash)) if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_hexdigit()) => {
            name.to_string()
        }
        _ => stem,
    }
}

/// A fresh, empty scratch directory for one test: `<target>/tmp/<test binary>/<name>`
/// (`<target>/tmp` is what cargo gives tests as `CARGO_TARGET_TMPDIR`; the binary's name keeps
/// the library's and the CLI's tests apart).
pub fn scratch(name: &str) -> PathBuf {
    let d = target_dir().join("tmp").join(binary_name()).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d)
        .unwrap_or_else(|e| panic!("cannot create scratch dir {}: {e}", d.display()));
    d
}

/// Names of leftover temporary files (those of an atomic save) in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".npyio-tmp"))
        .collect()
}
