//! `cargo bench --bench npz [-- --quick]`: libnpyio's .npz writer and reader against NumPy's
//! `np.savez` / `np.savez_compressed` / `np.load`, float64 data, timed in one run.
//!
//! Cases (N float64 values per array; N = 10,000,000 = 80 MB, `--quick` 1,000,000 = 8 MB,
//! `NPYIO_BENCH_NPZ_N` overrides):
//! * `stored`: three arrays (random, arange, sparse) in one archive, 240 MB, `np.savez`.
//! * `deflate-random|arange|sparse`: one array each, `np.savez_compressed` (zlib level 6).
//!   random: uniform [0, 1) doubles (53 random bits); arange: 0, 1, 2, ...;
//!   sparse: 99% zeros, 1% random values at random positions.
//! * `zstd-random|arange|sparse`: the same arrays; ours writes zstd members (level 1, all
//!   cores) and reads them back; NumPy's side is `np.savez_compressed` and `np.load` of its
//!   deflate archive (NumPy writes no zstd), so the ratios are zstd against what NumPy
//!   users do today, and the size column is zstd's size over deflate's.
//!
//! Contenders:
//! * ours write: `NpzWriter::create` + `add` per member + `finish` (atomic rename), level 6,
//!   all cores (`threads: 0`); for deflate cases also `threads: 1` (diagnostic).
//! * ours read: `NpzFile::open` + `open_member(m).read_into(buf, 0)` for every member, each
//!   into a fresh untouched buffer allocated inside the timed region (anonymous map with
//!   MADV_HUGEPAGE, as NumPy's allocator does for large arrays); the buffers are freed
//!   outside it. The archive read is NumPy's own (`np_<case>.npz`), so both readers inflate
//!   the same bytes; reading our own archive is reported too.
//! * NumPy (`benches/npz_numpy.py`, a child process): `np.savez[_compressed](path, **arrays)`
//!   and `with np.load(path) as z: [z[m] for m in members]`.
//!
//! * read() bound (stored case): the whole archive file read into one fresh buffer.
//!
//! Every written archive is removed right after its timed call, then `sync()`; both sides do
//! the same. Phases are interleaved: ours, NumPy, ours, NumPy, ours (quick: ours, NumPy,
//! ours); medians over all reps. Our archives are checked with `np.load` at the end, and our
//! reads are compared with the inputs on their first rep.
//!
//! `NPYIO_BENCH_NPZ_CASES=stored,deflate-random` runs only the cases named;
//! `NPYIO_BENCH_NPZ_ZSTD_LEVEL=1` writes the zstd cases at another level.
//! Scratch files go to `<target>/bench-scratch/npz` (override with `NPYIO_BENCH_SCRATCH`);
//! the Python interpreter is `NPYIO_BENCH_PYTHON`, default the tests' NumPy oracle
//! (`NPYIO_PYTHON`, else `.venv`), then `python3`.

use npyio_test_support::bench as common;

use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{save, DType, SaveOptions};
use std::collections::BTreeMap;
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::time::Instant;

struct Case {
    name: &'static str,
    members: &'static [&'static str],
    comp: Compression,
}

// Keep in step with CASES in benches/npz_numpy.py.
const CASES: [Case; 7] = [
    Case {
        name: "stored",
        members: &["random", "arange", "sparse"],
        comp: Compression::Stored,
    },
    Case {
        name: "deflate-random",
        members: &["random"],
        comp: Compression::Deflate,
    },
    Case {
        name: "deflate-arange",
        members: &["arange"],
        comp: Compression::Deflate,
    },
    Case {
        name: "deflate-sparse",
        members: &["sparse"],
        comp: Compression::Deflate,
    },
    Case {
        name: "zstd-random",
        members: &["random"],
        comp: Compression::Zstd,
    },
    Case {
        name: "zstd-arange",
        members: &["arange"],
        comp: Compression::Zstd,
    },
    Case {
        name: "zstd-sparse",
        members: &["sparse"],
        comp: Compression::Zstd,
    },
];

const KINDS: [&str; 3] = ["random", "arange", "sparse"];

// ---------------------------------------------------------------- data

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn make_input(kind: &str, n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n * 8);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ kind.len() as u64);
    for i in 0..n {
        let v = match kind {
            "random" => rng.unit(),
            "arange" => i as f64,
            _ => {
                if rng.unit() < 0.01 {
                    rng.unit()
                } else {
                    0.0
                }
            }
        };
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// A fresh, untouched anonymous mapping (MADV_HUGEPAGE), like a new NumPy array.
struct Fresh {
    ptr: *mut u8,
    len: usize,
}
impl Fresh {
    fn new(len: usize) -> Fresh {
        let l = len.max(1);
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                l,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(p != libc::MAP_FAILED, "mmap of {l} bytes failed");
        unsafe { libc::madvise(p, l, libc::MADV_HUGEPAGE) };
        Fresh {
            ptr: p as *mut u8,
            len,
        }
    }
    fn as_mut(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
    fn as_slice(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}
impl Drop for Fresh {
    fn drop(&mut self) {
        unsafe { libc::munmap(self.ptr as *mut c_void, self.len.max(1)) };
    }
}

// ---------------------------------------------------------------- contenders

fn ours_write(
    path: &Path,
    case: &Case,
    inputs: &BTreeMap<&str, Vec<u8>>,
    dt: &DType,
    threads: usize,
) -> f64 {
    // NPYIO_BENCH_NPZ_ZSTD_LEVEL: the zstd level of the zstd cases (default: the writer's, 1).
    let zstd_level = std::env::var("NPYIO_BENCH_NPZ_ZSTD_LEVEL")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(NpzWriterOptions::default().zstd_level);
    let opts = NpzWriterOptions {
        threads,
        zstd_level,
        ..NpzWriterOptions::default()
    };
    let t0 = Instant::now();
    let mut w = NpzWriter::create(path, opts).expect("NpzWriter::create");
    for m in case.members {
        let data = &inputs[m];
        w.add(m, dt, &[(data.len() / 8) as u64], false, data, case.comp)
            .expect("NpzWriter::add");
    }
    w.finish().expect("NpzWriter::finish");
    t0.elapsed().as_nanos() as f64
}

/// Returns the time and the buffers (freed by the caller, outside the timed region).
fn ours_read(path: &Path, case: &Case) -> (f64, Vec<Fresh>) {
    let t0 = Instant::now();
    let z = NpzFile::open(path).expect("NpzFile::open");
    let mut bufs = Vec::with_capacity(case.members.len());
    for m in case.members {
        let f = z.open_member(m).expect("open_member");
        let mut b = Fresh::new(f.nbytes() as usize);
        f.read_into(b.as_mut(), 0).expect("read_into");
        bufs.push(b);
    }
    drop(z);
    (t0.elapsed().as_nanos() as f64, bufs)
}

/// The read() bound: the whole archive file into one fresh buffer (open, read, close).
fn read_bound(path: &Path) -> f64 {
    use std::io::Read;
    let t0 = Instant::now();
    let mut f = std::fs::File::open(path).expect("open");
    let n = f.metadata().expect("stat").len() as usize;
    let mut b = Fresh::new(n);
    f.read_exact(b.as_mut()).expect("read");
    drop(f);
    let t = t0.elapsed().as_nanos() as f64;
    drop(b);
    t
}

fn check_read(bufs: &[Fresh], case: &Case, inputs: &BTreeMap<&str, Vec<u8>>, what: &str) {
    for (b, m) in bufs.iter().zip(case.members) {
        assert!(
            b.as_slice() == &inputs[m][..],
            "{what}: {}: member {m} read back differently",
            case.name
        );
    }
}

fn remove(p: &Path) {
    let _ = std::fs::remove_file(p);
}

fn sync() {
    unsafe { libc::sync() };
}

// ---------------------------------------------------------------- NumPy

fn numpy(args: &[&str]) -> Result<serde_json::Value, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/npz_numpy.py");
    let what = format!("npz_numpy.py {}", args.first().unwrap_or(&""));
    common::json_output(common::numpy().arg(&script).args(args), &what)
}

fn ns_list(v: &serde_json::Value) -> Vec<f64> {
    v.as_array()
        .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- stats and report

#[derive(Default)]
struct Samples(Vec<f64>);
impl Samples {
    fn median(&self) -> f64 {
        let mut v = self.0.clone();
        if v.is_empty() {
            return f64::NAN;
        }
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let n = v.len();
        if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        }
    }
    fn spread(&self) -> String {
        if self.0.is_empty() {
            return "-".into();
        }
        let min = self.0.iter().cloned().fold(f64::INFINITY, f64::min);
        let max = self.0.iter().cloned().fold(0.0, f64::max);
        format!("{}–{}", secs(min), secs(max))
    }
}

fn secs(ns: f64) -> String {
    if ns.is_nan() {
        return "-".into();
    }
    let s = ns / 1e9;
    if s >= 10.0 {
        format!("{s:.1} s")
    } else if s >= 0.1 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1e3)
    }
}

fn mbps(bytes: usize, ns: f64) -> String {
    if ns.is_nan() {
        return "-".into();
    }
    format!("{:.0}", mbps_f(bytes, ns))
}

/// MB/s of `bytes` moved in `ns` nanoseconds (NaN when not measured).
fn mbps_f(bytes: usize, ns: f64) -> f64 {
    bytes as f64 / (ns / 1e9) / 1e6
}

#[derive(Default)]
struct Result_ {
    ours_write: Samples,
    ours_write_1t: Samples,
    ours_read_np: Samples,
    ours_read_ours: Samples,
    read_bound: Samples,
    np_save: Samples,
    np_load: Samples,
    ours_size: u64,
    np_size: u64,
}

fn scratch_dir() -> PathBuf {
    common::scratch_dir().join("npz")
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n: usize = std::env::var("NPYIO_BENCH_NPZ_N")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if quick { 1_000_000 } else { 10_000_000 });
    let (phases, ours_reps, np_reps): (&[bool], usize, usize) = if quick {
        (&[true, false, true], 1, 1)
    } else {
        (&[true, false, true, false, true], 2, 2)
    };
    // NPYIO_BENCH_NPZ_CASES=stored,deflate-random runs only those cases.
    let only: Option<Vec<String>> = std::env::var("NPYIO_BENCH_NPZ_CASES")
        .ok()
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect());
    let cases: Vec<&Case> = CASES
        .iter()
        .filter(|c| only.as_ref().is_none_or(|o| o.iter().any(|x| x == c.name)))
        .collect();
    let case_list = cases.iter().map(|c| c.name).collect::<Vec<_>>().join(",");
    let scratch = scratch_dir();
    std::fs::create_dir_all(&scratch).expect("create scratch dir");
    let s = |name: &str| scratch.join(name);
    let sarg = |p: &Path| p.to_string_lossy().into_owned();

    println!(
        "# libnpyio .npz vs NumPy{}",
        if quick { " (--quick)" } else { "" }
    );
    println!();
    println!("{}", common::cpu());
    println!(
        "arrays: {n} float64 = {:.0} MB each; scratch: {}",
        (n * 8) as f64 / 1e6,
        scratch.display()
    );

    // Inputs, shared with NumPy through .npy files.
    let dt = DType::parse("<f8").expect("dtype");
    let mut inputs: BTreeMap<&str, Vec<u8>> = BTreeMap::new();
    for k in KINDS {
        let data = make_input(k, n);
        save(
            s(&format!("in_{k}.npy")),
            &dt,
            &[n as u64],
            false,
            &data,
            SaveOptions::default(),
        )
        .expect("save input");
        inputs.insert(k, data);
    }
    let prep = match numpy(&[
        "prepare",
        "--inputs",
        &sarg(&scratch),
        "--out",
        &sarg(&scratch),
        "--cases",
        &case_list,
    ]) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("NumPy unavailable, nothing to compare against: {e}");
            std::process::exit(1);
        }
    };
    let np_version = prep["numpy"].as_str().unwrap_or("?").to_string();
    println!("NumPy {np_version} ({})", common::python());
    println!("load average at start: {}", loadavg());

    let mut res: BTreeMap<&str, Result_> = BTreeMap::new();
    for c in &cases {
        let r = res.entry(c.name).or_default();
        r.np_size = prep["sizes"][c.name].as_u64().unwrap_or(0);
        // Our archive for the "read ours" column, and its size.
        let p = s(&format!("ours_{}.npz", c.name));
        ours_write(&p, c, &inputs, &dt, 0);
        r.ours_size = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
    }
    sync();

    for (pi, &is_ours) in phases.iter().enumerate() {
        if !is_ours {
            eprintln!("phase {pi}: NumPy, {np_reps} reps");
            let v = numpy(&[
                "time",
                "--inputs",
                &sarg(&scratch),
                "--archives",
                &sarg(&scratch),
                "--scratch",
                &sarg(&scratch),
                "--reps",
                &np_reps.to_string(),
                "--cases",
                &case_list,
            ])
            .unwrap_or_else(|e| panic!("{e}"));
            for c in &cases {
                let r = res.get_mut(c.name).unwrap();
                r.np_save.0.extend(ns_list(&v["cases"][c.name]["save_ns"]));
                r.np_load.0.extend(ns_list(&v["cases"][c.name]["load_ns"]));
            }
            continue;
        }
        eprintln!("phase {pi}: libnpyio, {ours_reps} reps");
        for rep in 0..ours_reps {
            for c in &cases {
                let r = res.get_mut(c.name).unwrap();
                let np_arch = s(&format!("np_{}.npz", c.name));
                let our_arch = s(&format!("ours_{}.npz", c.name));
                let out = s(&format!("ours_out_{}.npz", c.name));
                let mut steps: Vec<u8> = vec![0, 1, 2];
                steps.push(if c.comp == Compression::Stored { 4 } else { 3 });
                if (pi / 2 + rep) % 2 == 1 {
                    steps.reverse();
                }
                for step in steps {
                    match step {
                        0 | 3 => {
                            remove(&out);
                            let t =
                                ours_write(&out, c, &inputs, &dt, if step == 0 { 0 } else { 1 });
                            if step == 0 {
                                r.ours_write.0.push(t);
                            } else {
                                r.ours_write_1t.0.push(t);
                            }
                            remove(&out);
                            sync();
                        }
                        4 => r.read_bound.0.push(read_bound(&np_arch)),
                        // NumPy's deflate archive has no zstd members to read.
                        1 if c.comp == Compression::Zstd => {}
                        1 => {
                            let (t, bufs) = ours_read(&np_arch, c);
                            if pi == 0 && rep == 0 {
                                check_read(&bufs, c, &inputs, "reading NumPy's archive");
                            }
                            drop(bufs);
                            r.ours_read_np.0.push(t);
                        }
                        _ => {
                            let (t, bufs) = ours_read(&our_arch, c);
                            if pi == 0 && rep == 0 {
                                check_read(&bufs, c, &inputs, "reading our archive");
                            }
                            drop(bufs);
                            r.ours_read_ours.0.push(t);
                        }
                    }
                }
            }
        }
    }

    // NumPy loads what we wrote.
    for c in &cases {
        let p = s(&format!("ours_{}.npz", c.name));
        if let Err(e) = numpy(&[
            "verify",
            "--inputs",
            &sarg(&scratch),
            "--archive",
            &sarg(&p),
            "--case",
            c.name,
        ]) {
            panic!("NumPy could not load our {} archive: {e}", c.name);
        }
    }
    println!("our archives load in NumPy with identical values; our reads match the inputs");
    println!("load average at end: {}", loadavg());
    println!();

    let target = |c: &Case| -> (&str, &str) {
        match c.comp {
            Compression::Stored => ("≥ 2", "≥ 2"),
            Compression::Deflate => ("≥ 3", "≥ 2.5"),
            Compression::Zstd => ("≥ 10", "≥ 5"),
        }
    };
    // The read we compare: NumPy's archive, or for zstd cases our own (zstd) one.
    let our_read = |c: &Case, r: &Result_| -> f64 {
        if c.comp == Compression::Zstd {
            r.ours_read_ours.median()
        } else {
            r.ours_read_np.median()
        }
    };
    println!("Medians (NumPy / ours = speed-up; higher is better for us). Sizes in bytes.");
    println!("zstd cases: ours writes and reads zstd; NumPy writes and reads deflate.");
    println!();
    println!("| case | MB | write ours | write NumPy | ratio | target | read ours | read NumPy | ratio | target | size ours | size NumPy | ours/NumPy |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for c in &cases {
        let r = &res[c.name];
        let mb = (c.members.len() * n * 8) as f64 / 1e6;
        let (tw, tr) = target(c);
        println!(
            "| {} | {:.0} | {} | {} | {:.2} | {} | {} | {} | {:.2} | {} | {} | {} | {:.4} |",
            c.name,
            mb,
            secs(r.ours_write.median()),
            secs(r.np_save.median()),
            r.np_save.median() / r.ours_write.median(),
            tw,
            secs(our_read(c, r)),
            secs(r.np_load.median()),
            r.np_load.median() / our_read(c, r),
            tr,
            r.ours_size,
            r.np_size,
            r.ours_size as f64 / r.np_size as f64,
        );
    }
    // Plots: write and read throughput per case, ours / NumPy (/ the read() bound).
    let names: Vec<String> = cases.iter().map(|c| c.name.to_string()).collect();
    let rate = |c: &Case, t: f64| mbps_f(c.members.len() * n * 8, t);
    let series = |name: &str, kind: &'static str, f: &dyn Fn(&Case, &Result_) -> f64| {
        (
            name.to_string(),
            kind,
            cases
                .iter()
                .map(|c| f(c, &res[c.name]))
                .collect::<Vec<f64>>(),
        )
    };
    common::write_plot_data(
        "npz",
        &[
            common::PlotTable {
                id: "npz-write".into(),
                title: "npz write: libnpyio (stored, deflate, zstd) / np.savez(_compressed)".into(),
                ylabel: "MB/s of array data (higher is better)".into(),
                x: names.clone(),
                series: vec![
                    series("libnpyio", "ours", &|c, r| rate(c, r.ours_write.median())),
                    series("NumPy", "numpy", &|c, r| rate(c, r.np_save.median())),
                ],
            },
            common::PlotTable {
                id: "npz-read".into(),
                title: "npz read: libnpyio / np.load (NumPy reads deflate for zstd cases)".into(),
                ylabel: "MB/s of array data (higher is better)".into(),
                x: names,
                series: vec![
                    series("libnpyio", "ours", &|c, r| rate(c, our_read(c, r))),
                    series("NumPy", "numpy", &|c, r| rate(c, r.np_load.median())),
                    series("read() bound", "bound", &|c, r| {
                        if r.read_bound.0.is_empty() {
                            f64::NAN
                        } else {
                            rate(c, r.read_bound.median())
                        }
                    }),
                ],
            },
        ],
    );
    println!();
    println!("Details: throughput in MB/s of uncompressed data; spread is min–max over all reps.");
    println!();
    println!("| case | write ours (all cores) | write ours 1 thread | write NumPy | read ours (NumPy's file) | read ours (our file) | read NumPy | read() bound | reps ours / NumPy |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for c in &cases {
        let r = &res[c.name];
        let bytes = c.members.len() * n * 8;
        let one = if r.ours_write_1t.0.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{} MB/s ({})",
                mbps(bytes, r.ours_write_1t.median()),
                r.ours_write_1t.spread()
            )
        };
        let bound = if r.read_bound.0.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{} MB/s ({})",
                mbps(bytes, r.read_bound.median()),
                r.read_bound.spread()
            )
        };
        println!(
            "| {} | {} MB/s ({}) | {} | {} MB/s ({}) | {} MB/s ({}) | {} MB/s ({}) | {} MB/s ({}) | {} | {} / {} |",
            c.name,
            mbps(bytes, r.ours_write.median()),
            r.ours_write.spread(),
            one,
            mbps(bytes, r.np_save.median()),
            r.np_save.spread(),
            mbps(bytes, r.ours_read_np.median()),
            r.ours_read_np.spread(),
            mbps(bytes, r.ours_read_ours.median()),
            r.ours_read_ours.spread(),
            mbps(bytes, r.np_load.median()),
            r.np_load.spread(),
            bound,
            r.ours_write.0.len(),
            r.np_save.0.len(),
        );
    }

    for c in &cases {
        remove(&s(&format!("ours_{}.npz", c.name)));
        remove(&s(&format!("np_{}.npz", c.name)));
    }
    for k in KINDS {
        remove(&s(&format!("in_{k}.npy")));
    }
}
