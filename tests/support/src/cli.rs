//! The `npyio` command-line binary, for the CLI crate's tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `npyio` binary cargo built for the running test: `$CARGO_BIN_EXE_npyio` when cargo set
/// it, else the `npyio` next to the test binary's `deps/` directory (where cargo puts the
/// package's binaries before it runs the package's integration tests).
pub fn npyio_exe() -> PathBuf {
    let p = std::env::var_os("CARGO_BIN_EXE_npyio")
        .map(PathBuf::from)
        .or_else(|| {
            let exe = std::env::current_exe().ok()?;
            let profile = exe.parent()?.parent()?;
            Some(profile.join(format!("npyio{}", std::env::consts::EXE_SUFFIX)))
        })
        .unwrap_or_default();
    assert!(
        p.is_file(),
        "no npyio binary at {} — run the CLI's tests with cargo test",
        p.display()
    );
    p
}

/// Run the npyio binary in `dir`.
pub fn npyio(dir: &Path, args: &[&str]) -> Output {
    Command::new(npyio_exe())
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
