//! `cargo bench --bench header`: how long opening a .npy takes, and how much
//! heap it uses at its peak, when the header is large: a NumPy-written record
//! of 100,000 fields (format 2.0), and hand-made hostile headers of up to
//! 16 MiB (the default header limit). Results and their reading:
//! docs/BENCHMARKS.md and docs/SECURITY.md ("Memory while parsing a header").
//!
//! Each header is written to a scratch file and opened with `NpyFile::open`
//! (page cache warm). Peak heap is measured by a counting global allocator:
//! the largest number of live bytes (as requested from the allocator)
//! between the start and the end of the open, minus what was live before;
//! the header's own buffer counts. Times are the median of several opens
//! (one for the slow cases).
//!
//! NumPy (`$NPYIO_BENCH_PYTHON`, else the tests' oracle, else python3) writes the 100,000-field file.

use npyio_test_support::bench as common;
use npyio_test_support::{npy_file, peak_live, reset_peak, Peak};

use npyio::NpyFile;
use std::time::Instant;

/// Counts the live heap bytes of the thread that opens (the only one here).
#[global_allocator]
static A: Peak = Peak;

/// A .npy (format 2.0 unless `v3`) with this header text, padded as NumPy pads.
fn npy(text: &str, v3: bool) -> Vec<u8> {
    npy_file(if v3 { 3 } else { 2 }, text, 0)
}

/// Write `bytes` to a scratch file and open it `reps` times: (median
/// seconds, peak heap bytes, status).
fn measure(bytes: &[u8], reps: usize) -> (f64, usize, String) {
    let path = common::scratch_dir().join("header-case.npy");
    std::fs::write(&path, bytes).expect("scratch file");
    let mut times = Vec::new();
    let mut peak = 0;
    let mut status = String::new();
    for _ in 0..reps {
        reset_peak();
        let t = Instant::now();
        let r = NpyFile::open(&path);
        let dt = t.elapsed().as_secs_f64();
        peak = peak.max(peak_live());
        status = match &r {
            Ok(f) => format!("ok, {} fields", fields(f)),
            Err(e) => format!("{:?}: {}", e.status(), cut(e.message())),
        };
        drop(r);
        times.push(dt);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    (times[times.len() / 2], peak, status)
}

fn fields(f: &NpyFile) -> usize {
    match f.header().dtype.layout() {
        npyio::dtype::Layout::Record(v) => v.len(),
        _ => 0,
    }
}

fn cut(s: &str) -> String {
    let s: String = s.chars().take(90).collect();
    s
}

fn numpy_100k() -> Option<Vec<u8>> {
    let dir = common::scratch_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join("fields100k.npy");
    if !path.exists() {
        let code = format!(
            "import numpy as np, warnings\nwarnings.simplefilter('ignore')\n\
             dt = np.dtype([('f%d' % i, '<i4' if i % 2 else '>f8') for i in range(100000)])\n\
             np.save({:?}, np.zeros(3, dt))\n",
            path.display().to_string()
        );
        let ok = common::numpy()
            .args(["-c", &code])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        if !ok {
            eprintln!("NumPy could not write the 100,000-field file; skipping it");
            return None;
        }
    }
    std::fs::read(&path).ok()
}

/// NumPy's `np.load` of the same file (median of 3, in a child process).
fn numpy_load_seconds(path: &std::path::Path) -> Option<f64> {
    let code = format!(
        "import time, numpy as np\nts = []\nfor _ in range(3):\n    \
         t = time.perf_counter(); np.load({:?}, max_header_size=1 << 30)\n    \
         ts.append(time.perf_counter() - t)\nprint(sorted(ts)[1])\n",
        path.display().to_string()
    );
    let out = common::numpy().args(["-c", &code]).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn main() {
    println!("{}", common::cpu());
    std::fs::create_dir_all(common::scratch_dir()).expect("scratch dir");
    let mib16 = 16 << 20;
    let mut cases: Vec<(String, Vec<u8>, usize)> = Vec::new();
    if let Some(b) = numpy_100k() {
        cases.push(("NumPy: 100,000 fields ('<i4'/'>f8')".into(), b, 5));
    }
    // 8M zero dimensions: (0, 0, 0, ...), as in an .npz of 15.7 KB.
    let zeros = "0, ".repeat((mib16 - 100) / 3);
    cases.push((
        "shape of 5.6M zero dims".into(),
        npy(
            &format!("{{'descr': '<f8', 'fortran_order': False, 'shape': ({zeros}), }}"),
            false,
        ),
        1,
    ));
    // The same after a key NumPy does not know.
    cases.push((
        "unknown key, 16 MiB list of ints".into(),
        npy(
            &format!("{{'x': [{zeros}], 'descr': '<f8', 'fortran_order': False, 'shape': (), }}"),
            false,
        ),
        1,
    ));
    // Records of the shortest fields of each kind (as tests/header_bounds.rs).
    let fields = |label: &str, item: &dyn Fn(u64) -> String| {
        let mut d = String::from("{'descr': [");
        let mut i = 0u64;
        while d.len() < mib16 - 1000 {
            d.push_str(&item(i));
            i += 1;
        }
        d.push_str("], 'fortran_order': False, 'shape': (0,), }");
        (format!("{i} {label}"), npy(&d, false), 1)
    };
    cases.push(fields("named fields ('1a','b')", &|i| {
        format!("('{i:x}','b'),")
    }));
    cases.push(fields("unnamed fields ('','b')", &|_| "('','b'),".into()));
    cases.push(fields("titled fields", &|i| {
        format!("(('{i:x}','n{i:x}'),'b'),")
    }));
    cases.push(fields("nested records ('',[('','b')])", &|_| {
        "('',[('','b')]),".into()
    }));
    let deep = format!("('',{}'b'{}),", "[('',".repeat(30), ")]".repeat(30));
    cases.push(fields("records nested 30 deep", &|_| deep.clone()));
    cases.push(fields("subarray fields ('','b',1)", &|_| {
        "('','b',1),".into()
    }));
    let long = format!(
        "{{'descr': [('{}', '<f8')], 'fortran_order': False, 'shape': (), }}",
        "x".repeat(mib16 - 100)
    );
    cases.push(("one 16 MiB field name".into(), npy(&long, false), 1));
    let latin = format!(
        "{{'descr': [('{}', '<f8')], 'fortran_order': False, 'shape': (), }}",
        "\u{e9}".repeat((mib16 - 100) / 2)
    );
    cases.push((
        "one 8M-character name (UTF-8, format 3.0)".into(),
        npy(&latin, true),
        1,
    ));

    let numpy_file = common::scratch_dir().join("fields100k.npy");
    if numpy_file.exists() {
        if let Some(t) = numpy_load_seconds(&numpy_file) {
            println!("NumPy np.load of the 100,000-field file: {t:.3} s");
        }
    }
    println!(
        "{:<44} {:>10} {:>10} {:>12} {:>8}  result",
        "header", "length", "open (s)", "peak heap", "x len"
    );
    for (name, bytes, reps) in &cases {
        let hl = bytes.len() - 12;
        let (t, peak, status) = measure(bytes, *reps);
        println!(
            "{:<44} {:>10} {:>10.4} {:>12} {:>8.2}  {}",
            name,
            hl,
            t,
            peak,
            peak as f64 / hl as f64,
            status
        );
    }
}
