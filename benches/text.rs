//! `cargo bench --bench text [-- --quick]`: libnpyio's text entry points
//! against NumPy in the same run, float64 arrays of 1e6×1 and 1e5×10.
//!
//! * savetxt: `npy_savetxt_data` with the default format (`%.18e`), space
//!   and `,` delimiters, against `np.savetxt`; outputs are checked to be
//!   byte-identical.
//! * loadtxt: `npy_loadtxt` (+ `npy_close`) of those files, against
//!   `np.loadtxt`.
//! * genfromtxt: `npy_genfromtxt` with a mask of `,`-delimited files with
//!   1% of the cells empty, against `np.genfromtxt(..., usemask=True)`.
//!
//! Every timing is wall clock for one call; the tables give medians over
//! the reps and the ratio NumPy / libnpyio (higher is better for us), with
//! the project's targets (savetxt ≥ 10×, loadtxt ≥ 5×, genfromtxt ≥ 10×).
//! libnpyio uses every available core (2 on the reference machine); NumPy
//! one. Files are in the page cache (each is read once before timing).
//!
//! Scratch files go to `<target>/bench-scratch/text` (override with
//! `NPYIO_BENCH_SCRATCH`); the Python interpreter is `NPYIO_BENCH_PYTHON`,
//! default the tests' NumPy oracle (`NPYIO_PYTHON`, else `.venv`), then `python3`.

#[path = "npy_parts/clock.rs"]
mod clock;
use npyio_test_support::bench as common;

use npyio::ffi::dtype::{npyio_dtype, npyio_dtype_free, npyio_dtype_parse};
use npyio::ffi::npy::{npy_close, npy_file};
use npyio::ffi::text::{
    npy_genfromtxt, npy_loadtxt, npy_savetxt_data, npyio_genfromtxt_options,
    npyio_genfromtxt_options_init, npyio_loadtxt_options, npyio_loadtxt_options_init,
    npyio_savetxt_options, npyio_savetxt_options_init,
};
use std::ffi::{c_void, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn cstr(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).unwrap()
}

fn check(st: i32, what: &str) {
    if st != 0 {
        let mut buf = vec![0u8; 512];
        let n = unsafe { npyio::ffi::npyio_last_error(buf.as_mut_ptr() as *mut _, buf.len()) };
        buf.truncate(n.min(511));
        panic!("{what} failed ({st}): {}", String::from_utf8_lossy(&buf));
    }
}

/// CPU time of the whole process (all threads), ns.
fn cpu_ns() -> f64 {
    clock::cpu_ns(libc::CLOCK_PROCESS_CPUTIME_ID)
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

fn data(n: usize) -> Vec<f64> {
    // Normally distributed values (Box–Muller over xorshift), like typical data.
    let mut x: u64 = 0x9e3779b97f4a7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    (0..n)
        .map(|_| {
            let (u, v) = (next(), next());
            (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
        })
        .collect()
}

struct Task {
    label: String,
    op: &'static str,
    txt: PathBuf,
    npy: PathBuf,
    delimiter: Option<&'static str>,
    shape: [u64; 2],
    ours: Vec<f64>,
    ours_cpu: Vec<f64>,
    numpy: Vec<f64>,
    numpy_cpu: Vec<f64>,
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    // NPYIO_BENCH_THREADS=n: libnpyio's worker threads (default: every core).
    let threads: u32 = std::env::var("NPYIO_BENCH_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let reps = if quick { 1 } else { 5 };
    let np_reps = if quick { 1 } else { 3 };
    let dir = common::scratch_dir().join("text");
    std::fs::create_dir_all(&dir).unwrap();
    let mut dt: *mut npyio_dtype = std::ptr::null_mut();
    check(
        unsafe { npyio_dtype_parse(c"<f8".as_ptr(), &mut dt) },
        "dtype",
    );
    let vals = data(1_000_000);
    let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_ne_bytes()).collect();
    let mut tasks = Vec::new();
    for (shape, sname) in [([1_000_000u64, 1u64], "1e6x1"), ([100_000, 10], "1e5x10")] {
        let npy = dir.join(format!("{sname}.npy"));
        npyio::save(
            &npy,
            &npyio::DType::parse("<f8").unwrap(),
            &shape,
            false,
            &bytes,
            Default::default(),
        )
        .unwrap();
        for (delim, dname) in [(None, "space"), (Some(","), "comma")] {
            let txt = dir.join(format!("{sname}_{dname}.txt"));
            for op in ["savetxt", "loadtxt"] {
                tasks.push(Task {
                    label: format!(
                        "{op} {sname} {}",
                        if delim.is_some() { "','" } else { "' '" }
                    ),
                    op,
                    txt: txt.clone(),
                    npy: npy.clone(),
                    delimiter: delim,
                    shape,
                    ours: Vec::new(),
                    ours_cpu: Vec::new(),
                    numpy: Vec::new(),
                    numpy_cpu: Vec::new(),
                });
            }
        }
        // genfromtxt input: ','-delimited, 1% of cells empty.
        let gtxt = dir.join(format!("{sname}_missing.csv"));
        let mut s = String::with_capacity(26 * vals.len());
        let cols = shape[1] as usize;
        for (i, v) in vals.iter().enumerate() {
            if i % 100 != 37 {
                s.push_str(&format!("{v:.17e}"));
            }
            s.push(if (i + 1) % cols == 0 { '\n' } else { ',' });
        }
        std::fs::write(&gtxt, s).unwrap();
        tasks.push(Task {
            label: format!("genfromtxt {sname} ',' 1% missing"),
            op: "genfromtxt",
            txt: gtxt,
            npy: npy.clone(),
            delimiter: Some(","),
            shape,
            ours: Vec::new(),
            ours_cpu: Vec::new(),
            numpy: Vec::new(),
            numpy_cpu: Vec::new(),
        });
    }
    // NPYIO_BENCH_ONLY=<op>: time only that operation (profiling aid).
    if let Ok(only) = std::env::var("NPYIO_BENCH_ONLY") {
        tasks.retain(|t| t.op == only);
    }
    // Ours.
    for t in tasks.iter_mut() {
        let txt = cstr(&t.txt);
        let delim = t.delimiter.map(|d| CString::new(d).unwrap());
        for _ in 0..reps {
            let t0 = Instant::now();
            let c0 = cpu_ns();
            match t.op {
                "savetxt" => {
                    let mut o: npyio_savetxt_options = unsafe { std::mem::zeroed() };
                    unsafe { npyio_savetxt_options_init(&mut o) };
                    o.threads = threads;
                    if let Some(d) = &delim {
                        o.delimiter = d.as_ptr();
                    }
                    let st = unsafe {
                        npy_savetxt_data(
                            txt.as_ptr(),
                            dt,
                            2,
                            t.shape.as_ptr(),
                            bytes.as_ptr() as *const c_void,
                            bytes.len(),
                            &o,
                        )
                    };
                    check(st, "npy_savetxt_data");
                }
                "loadtxt" => {
                    let mut o: npyio_loadtxt_options = unsafe { std::mem::zeroed() };
                    unsafe { npyio_loadtxt_options_init(&mut o) };
                    o.threads = threads;
                    if let Some(d) = &delim {
                        o.delimiter = d.as_ptr();
                    }
                    let mut f: *mut npy_file = std::ptr::null_mut();
                    check(
                        unsafe { npy_loadtxt(txt.as_ptr(), &o, &mut f) },
                        "npy_loadtxt",
                    );
                    unsafe { npy_close(f) };
                }
                _ => {
                    let mut o: npyio_genfromtxt_options = unsafe { std::mem::zeroed() };
                    unsafe { npyio_genfromtxt_options_init(&mut o) };
                    o.threads = threads;
                    if let Some(d) = &delim {
                        o.delimiter = d.as_ptr();
                    }
                    let (mut f, mut m): (*mut npy_file, *mut npy_file) =
                        (std::ptr::null_mut(), std::ptr::null_mut());
                    check(
                        unsafe { npy_genfromtxt(txt.as_ptr(), &o, &mut f, &mut m) },
                        "npy_genfromtxt",
                    );
                    unsafe {
                        npy_close(f);
                        npy_close(m);
                    }
                }
            }
            t.ours.push(t0.elapsed().as_nanos() as f64);
            t.ours_cpu.push(cpu_ns() - c0);
        }
    }
    if std::env::var_os("NPYIO_BENCH_NO_NUMPY").is_some() {
        for t in &tasks {
            println!(
                "{}: {:.1} ms wall, {:.1} ms CPU",
                t.label,
                median(&t.ours) / 1e6,
                median(&t.ours_cpu) / 1e6
            );
        }
        return;
    }
    // NumPy, one child process for every task.
    let spec: Vec<serde_json::Value> = tasks
        .iter()
        .map(|t| {
            serde_json::json!({"op": t.op, "npy": t.npy, "txt": t.txt, "delimiter": t.delimiter, "reps": np_reps})
        })
        .collect();
    let spec_path = dir.join("tasks.json");
    std::fs::write(&spec_path, serde_json::to_string(&spec).unwrap()).unwrap();
    let res = common::json_output(
        common::numpy()
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/text_numpy.py"))
            .arg(&spec_path),
        "text_numpy.py",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for (t, cpu) in tasks.iter_mut().zip(res["cpu"].as_array().unwrap()) {
        t.numpy_cpu = cpu
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
    }
    for (t, times) in tasks.iter_mut().zip(res["times"].as_array().unwrap()) {
        t.numpy = times
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        if t.op == "savetxt" {
            let ours = std::fs::read(&t.txt).unwrap();
            let theirs = std::fs::read(t.txt.with_extension("txt.np")).unwrap();
            assert!(
                ours == theirs,
                "{}: output differs from np.savetxt",
                t.label
            );
        }
    }
    unsafe { npyio_dtype_free(dt) };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "\nnumpy {} · libnpyio on {cores} cores · medians of {reps} (ours) and {np_reps} (NumPy) reps\n",
        res["numpy"].as_str().unwrap_or("?")
    );
    println!("| case | libnpyio | NumPy | NumPy / libnpyio (wall) | target | libnpyio CPU | NumPy CPU | CPU ratio |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for t in &tasks {
        let (a, b) = (median(&t.ours), median(&t.numpy));
        let target = match t.op {
            "savetxt" => "≥ 10×",
            "loadtxt" => "≥ 5×",
            _ => "≥ 10×",
        };
        let (ac, bc) = (median(&t.ours_cpu), median(&t.numpy_cpu));
        println!(
            "| {} | {:.1} ms | {:.1} ms | {:.1}× | {target} | {:.1} ms | {:.1} ms | {:.1}× |",
            t.label,
            a / 1e6,
            b / 1e6,
            b / a,
            ac / 1e6,
            bc / 1e6,
            bc / ac
        );
    }
    // One plot per function: wall time of ours and NumPy's per case.
    let mut tables = Vec::new();
    for op in ["savetxt", "loadtxt", "genfromtxt"] {
        let ts: Vec<&Task> = tasks.iter().filter(|t| t.op == op).collect();
        if ts.is_empty() {
            continue;
        }
        tables.push(common::PlotTable {
            id: format!("text-{op}"),
            title: format!("{op}: libnpyio (C API) / np.{op}, wall time"),
            ylabel: "median ms (lower is better)".into(),
            x: ts.iter().map(|t| t.label.clone()).collect(),
            series: vec![
                (
                    "libnpyio".into(),
                    "ours",
                    ts.iter().map(|t| median(&t.ours) / 1e6).collect(),
                ),
                (
                    "NumPy".into(),
                    "numpy",
                    ts.iter().map(|t| median(&t.numpy) / 1e6).collect(),
                ),
            ],
        });
    }
    common::write_plot_data("text", &tables);
}
