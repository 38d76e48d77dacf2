//! Helpers shared by the .npy and .npz benchmarks.

use std::path::{Path, PathBuf};

/// The Python that runs NumPy: `$NPYIO_BENCH_PYTHON`, else the development
/// venv at /tmp/venvtest if present, else `python3`.
pub fn python() -> String {
    if let Ok(p) = std::env::var("NPYIO_BENCH_PYTHON") {
        return p;
    }
    if Path::new("/tmp/venvtest/bin/python").exists() {
        return "/tmp/venvtest/bin/python".into();
    }
    "python3".into()
}

/// Where benchmark files go: `$NPYIO_BENCH_SCRATCH`, else
/// `<target>/bench-scratch` (found from this executable's path,
/// `<target>/release/deps/<bench>-<hash>`).
pub fn scratch_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("NPYIO_BENCH_SCRATCH") {
        return PathBuf::from(d);
    }
    if let Ok(exe) = std::env::current_exe() {
        if let Some(t) = exe
            .parent()
            .and_then(|p| p.parent())
            .and_then(|p| p.parent())
        {
            if t.join("CACHEDIR.TAG").exists() || t.file_name().is_some_and(|n| n == "target") {
                return t.join("bench-scratch");
            }
        }
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-scratch")
}

/// `CPU: <model name>, <n> logical cores`.
pub fn cpu() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(0);
    format!("CPU: {model}, {cores} logical cores")
}
