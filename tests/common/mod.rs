//! Helpers shared by the integration tests: the NumPy oracle and scratch dirs.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The python3 with NumPy that serves as the oracle: `$NPYIO_PYTHON`, else
/// the `.venv` that `./test.sh` creates. Panics with a hint when missing:
/// the oracle tests never skip.
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

/// Run a python script from tests/oracle (or `-c` code) with arguments;
/// panics with its output if it fails. Returns stdout.
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

/// A fresh, empty scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Names of leftover temporary files in `dir`.
pub fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".npyio-tmp"))
        .collect()
}

/// A global allocator that records, for each thread (tests run in parallel
/// threads; each measures only its own), the largest single allocation and
/// the most bytes live at once.
/// A test binary opts in with
/// `#[global_allocator] static A: common::Peak = common::Peak;`.
pub struct Peak;

thread_local! {
    static LARGEST: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Bytes allocated minus bytes freed by this thread, and their maximum
    /// since `reset_peak`, and their value then.
    static LIVE: std::cell::Cell<(isize, isize, isize)> = const { std::cell::Cell::new((0, 0, 0)) };
}

fn note(n: usize) {
    let _ = LARGEST.try_with(|l| l.set(l.get().max(n)));
}

fn live(delta: isize) {
    let _ = LIVE.try_with(|l| {
        let (now, max, base) = l.get();
        let now = now + delta;
        l.set((now, max.max(now), base));
    });
}

/// Forget this thread's largest allocation and peak of live bytes so far.
pub fn reset_peak() {
    LARGEST.with(|l| l.set(0));
    LIVE.with(|l| {
        let (now, _, _) = l.get();
        l.set((now, now, now));
    });
}

/// The most bytes this thread had allocated and not yet freed at any one
/// time since [`reset_peak`], beyond what it had then.
pub fn peak_live() -> usize {
    LIVE.with(|l| {
        let (_, max, base) = l.get();
        (max - base).max(0) as usize
    })
}

/// This thread's largest single allocation since [`reset_peak`].
pub fn peak() -> usize {
    LARGEST.with(|l| l.get())
}

unsafe impl std::alloc::GlobalAlloc for Peak {
    unsafe fn alloc(&self, l: std::alloc::Layout) -> *mut u8 {
        note(l.size());
        let p = std::alloc::System.alloc(l);
        if !p.is_null() {
            live(l.size() as isize);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: std::alloc::Layout) {
        live(-(l.size() as isize));
        std::alloc::System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: std::alloc::Layout, n: usize) -> *mut u8 {
        note(n);
        let q = std::alloc::System.realloc(p, l, n);
        if !q.is_null() {
            live(n as isize - l.size() as isize);
        }
        q
    }
}
