//! The NumPy oracle: a python3 with NumPy, run as a child process.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the oracle python should be: `$NPYIO_PYTHON`, else the `.venv` that `./test.sh`
/// creates. Not checked.
pub(crate) fn configured_python() -> PathBuf {
    std::env::var_os("NPYIO_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::root().join(".venv/bin/python"))
}

/// The python3 with NumPy that serves as the oracle (see [`configured_python`]). Panics with a
/// hint when it is missing: the oracle tests never skip.
pub fn python() -> PathBuf {
    let p = configured_python();
    assert!(
        p.exists(),
        "no python with numpy at {} — run ./test.sh (it creates .venv) or set NPYIO_PYTHON",
        p.display()
    );
    p
}

/// Run `cmd`; panic with its output unless it succeeds; return its stdout.
pub(crate) fn stdout_of(cmd: &mut Command, what: &dyn std::fmt::Display) -> String {
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run python with arguments (a script of tests/oracle and its arguments, or `-c CODE ...`);
/// panics with its output if it fails. Returns stdout.
pub fn run_python(args: &[&str]) -> String {
    stdout_of(
        Command::new(python()).args(args),
        &format_args!("python {args:?}"),
    )
}

/// Run `python -c CODE` in `dir`; panics with its output if it fails. Returns stdout.
pub fn py(dir: &Path, code: &str) -> String {
    stdout_of(
        Command::new(python()).arg("-c").arg(code).current_dir(dir),
        &format_args!("python in {}:\n{code}\n", dir.display()),
    )
}

/// Run a python script of the repository (`rel` from the root, e.g. `tests/oracle/gen_npy.py`)
/// with arguments; panics with its output if it fails. Returns stdout.
pub fn run_script(rel: &str, args: &[&str]) -> String {
    let script = crate::root().join(rel);
    let script = script.to_str().expect("the repository's path is UTF-8");
    let mut all = vec![script];
    all.extend_from_slice(args);
    run_python(&all)
}

/// Hand `cases` (JSON text: what to check) to a verify script of tests/oracle as `dir/pairs.json`
/// and require NumPy to pass all `n` of them (the script's summary `<n> passed, 0 failed`).
pub fn numpy_verifies(script: &str, dir: &Path, cases: &[u8], n: usize) {
    let pairs = dir.join("pairs.json");
    std::fs::write(&pairs, cases).unwrap_or_else(|e| panic!("{}: {e}", pairs.display()));
    let out = run_script(script, &[pairs.to_str().expect("scratch paths are UTF-8")]);
    assert!(out.contains(&format!("{n} passed, 0 failed")), "{out}");
}
