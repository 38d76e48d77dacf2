//! Helpers for the CLI tests: the NumPy oracle, the binary, scratch dirs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (the library's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// python3 with NumPy: `$NPYIO_PYTHON`, else the `.venv` that `./test.sh`
/// creates. Panics when neither exists: these tests never skip.
pub fn python() -> PathBuf {
    let p = std::env::var_os("NPYIO_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join(".venv/bin/python"));
    assert!(
        p.exists(),
        "no python with numpy at {} — run ./test.sh (it creates .venv) or set NPYIO_PYTHON",
        p.display()
    );
    p
}

/// Run python with arguments; panics with its output on failure; returns stdout.
pub fn run_python(args: &[&str]) -> String {
    let out = Command::new(python())
        .args(args)
        .output()
        .expect("cannot run python");
    assert!(
        out.status.success(),
        "python {:?} failed:\n{}\n{}",
        args,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run `python -c CODE` in `dir`; returns stdout.
pub fn py(dir: &Path, code: &str) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(code)
        .current_dir(dir)
        .output()
        .expect("cannot run python");
    assert!(
        out.status.success(),
        "python failed:\n{code}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh, empty scratch directory.
pub fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("npyio-cli")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run the npyio binary in `dir`.
pub fn npyio(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_npyio"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cannot run npyio")
}

/// Run npyio, expect exit status `code`; returns stdout.
pub fn npyio_ok(dir: &Path, args: &[&str], code: i32) -> String {
    let out = npyio(dir, args);
    assert_eq!(
        out.status.code(),
        Some(code),
        "npyio {:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
        args,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("stdout is UTF-8")
}

/// stderr of an output, as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
