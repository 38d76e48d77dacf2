//! What the benchmarks share: the interpreter that runs NumPy, where scratch files go, the CPU
//! line of the reports. Unlike the tests' helpers these never panic on a missing NumPy: a
//! benchmark reports what it can measure.
//!
//! A benchmark imports it as `use npyio_test_support::bench as common;`.

use std::path::PathBuf;
use std::process::Command;

/// The Python that runs NumPy: `$NPYIO_BENCH_PYTHON`, else the tests' oracle (`$NPYIO_PYTHON`,
/// else the repository's `.venv`) when it exists, else `python3` from `PATH`.
pub fn python() -> String {
    if let Ok(p) = std::env::var("NPYIO_BENCH_PYTHON") {
        return p;
    }
    let oracle = crate::python::configured_python();
    if oracle.exists() {
        return oracle.to_string_lossy().into_owned();
    }
    "python3".into()
}

/// A command that runs [`python`]; add the script (or `-c CODE`) and its arguments.
pub fn numpy() -> Command {
    Command::new(python())
}

/// Run `cmd` (NumPy's side of a benchmark, see [`numpy`]) and read the last line of its stdout
/// as JSON. `Err` says what failed: the command could not run, it failed (with its stderr), or
/// it printed no JSON. `what` names it in those messages.
pub fn json_output(cmd: &mut Command, what: &str) -> Result<serde_json::Value, String> {
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {what} ({}): {e}", python()))?;
    if !out.status.success() {
        return Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    serde_json::from_str(line).map_err(|e| format!("bad JSON from {what}: {e}"))
}

/// Where benchmark files go: `$NPYIO_BENCH_SCRATCH`, else `<target>/bench-scratch` (see
/// [`crate::target_dir`]). Not created here.
pub fn scratch_dir() -> PathBuf {
    std::env::var_os("NPYIO_BENCH_SCRATCH")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::target_dir().join("bench-scratch"))
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

/// The load averages of `/proc/loadavg` (1, 5, 15 minutes), as text.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// One table of a benchmark for `benches/plot.py`: per size (`x`), one value
/// per series; `kind` of a series is `ours`, `numpy` or `bound` (its colour).
pub struct PlotTable {
    /// File name stem of the PNG (`docs/plots/<id>.png`).
    pub id: String,
    pub title: String,
    pub ylabel: String,
    pub x: Vec<String>,
    /// (name, kind, values; NaN where not measured).
    pub series: Vec<(String, &'static str, Vec<f64>)>,
}

/// Write `tables` for `benches/plot.py` to `<target>/bench-results/<bench>.json`, with the
/// machine and the load average at the end of the run, and say where. The plots are made from
/// these files by `python benches/plot.py` (docs/BENCHMARKS.md).
pub fn write_plot_data(bench: &str, tables: &[PlotTable]) {
    use serde_json::json;
    let num = |v: f64| if v.is_finite() { json!(v) } else { json!(null) };
    let tables: Vec<_> = tables
        .iter()
        .map(|t| {
            json!({
                "id": t.id, "title": t.title, "ylabel": t.ylabel, "x": t.x,
                "series": t.series.iter().map(|(name, kind, vals)| json!({
                    "name": name, "kind": kind,
                    "values": vals.iter().map(|&v| num(v)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let doc = json!({
        "bench": bench,
        "machine": cpu(),
        "load": load_average(),
        "tables": tables,
    });
    let dir = crate::target_dir().join("bench-results");
    let path = dir.join(format!("{bench}.json"));
    match std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()))
    {
        Ok(()) => println!(
            "plot data: {} (plots: python benches/plot.py)",
            path.display()
        ),
        Err(e) => eprintln!("cannot write {}: {e}", path.display()),
    }
}
