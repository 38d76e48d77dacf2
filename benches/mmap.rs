//! Memory-map benchmark: time to open a map of a 1 GiB float64 .npy, and a
//! full pass (sum) over the mapped data, against np.load(mmap_mode='r') and
//! a.sum() in the same run. `cargo bench --bench mmap [-- --quick]`.
//! Prints a Markdown table; medians of interleaved repetitions. Bounds: the
//! system calls a map needs (open + mmap + munmap + close of the file) and
//! the same sum over the array in anonymous memory (memory bandwidth).
//! Writes `<target>/bench-results/mmap.json` for `benches/plot.py`.

use npyio_test_support::bench as common;

use npyio::ffi::npy::{npy_close, npy_data, npy_mmap, npy_nbytes};
use npyio::ffi::NPYIO_MMAP_READ;
use std::ffi::CString;
use std::time::Instant;

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Sum with four accumulators so the loop vectorises (NumPy's sum is
/// pairwise and SIMD).
fn sum(v: &[f64]) -> f64 {
    let mut acc = [0f64; 8];
    let chunks = v.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..8 {
            acc[k] += c[k];
        }
    }
    acc.iter().sum::<f64>() + rest.iter().sum::<f64>()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let n: u64 = if quick { 1 << 24 } else { 1 << 27 }; // 128 MiB or 1 GiB
    let dir = common::scratch_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("mmap_{n}.npy"));
    if std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) != 128 + n * 8 {
        let dt = npyio::DType::parse("<f8").unwrap();
        let mut w = npyio::NpyWriter::create(&path, &dt, &[n], false, Default::default()).unwrap();
        let chunk: Vec<u8> = (0..1u64 << 17)
            .flat_map(|i| ((i % 1000) as f64).to_le_bytes())
            .collect();
        for _ in 0..n / (1 << 17) {
            w.write(&chunk).unwrap();
        }
        w.finish().unwrap();
    }
    let _ = std::fs::read(&path).unwrap(); // into the page cache
    let cpath = CString::new(path.to_str().unwrap()).unwrap();
    let reps_open = if quick { 50 } else { 200 };
    let reps_pass = if quick { 3 } else { 7 };
    let (mut ours_open, mut ours_pass) = (Vec::new(), Vec::new());
    let mut np_open = Vec::new();
    let mut np_pass = Vec::new();
    let (mut bound_open, mut bound_pass) = (Vec::new(), Vec::new());
    let in_memory: Vec<f64> = {
        let bytes = std::fs::read(&path).unwrap();
        let off = bytes.len() - (n * 8) as usize;
        bytes[off..]
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let script = r#"
import numpy as np, time, json, sys
p = sys.argv[1]; ro = int(sys.argv[2]); rp = int(sys.argv[3])
o = []; s = []
for _ in range(ro):
    t = time.perf_counter_ns(); a = np.load(p, mmap_mode='r'); o.append(time.perf_counter_ns() - t); del a
a = np.load(p, mmap_mode='r')
for _ in range(rp):
    t = time.perf_counter_ns(); x = float(a.sum()); s.append(time.perf_counter_ns() - t)
print(json.dumps({"open": o, "pass": s, "sum": x}))
"#;
    let mut checksum = 0.0;
    for _round in 0..2 {
        for _ in 0..reps_open {
            let t = Instant::now();
            let mut f = std::ptr::null_mut();
            assert_eq!(
                unsafe { npy_mmap(cpath.as_ptr(), NPYIO_MMAP_READ, &mut f) },
                0
            );
            unsafe { npy_close(f) };
            ours_open.push(t.elapsed().as_nanos() as f64);
        }
        let mut f = std::ptr::null_mut();
        assert_eq!(
            unsafe { npy_mmap(cpath.as_ptr(), NPYIO_MMAP_READ, &mut f) },
            0
        );
        let data = unsafe {
            std::slice::from_raw_parts(npy_data(f) as *const f64, (npy_nbytes(f) / 8) as usize)
        };
        for _ in 0..reps_pass {
            let t = Instant::now();
            checksum = sum(data);
            ours_pass.push(t.elapsed().as_nanos() as f64);
        }
        unsafe { npy_close(f) };
        for _ in 0..reps_open {
            let t = Instant::now();
            unsafe {
                let fd = libc::open(cpath.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC);
                assert!(fd >= 0);
                let len = (n * 8) as usize;
                let m = libc::mmap(
                    std::ptr::null_mut(),
                    len,
                    libc::PROT_READ,
                    libc::MAP_SHARED,
                    fd,
                    0,
                );
                assert_ne!(m, libc::MAP_FAILED);
                libc::munmap(m, len);
                libc::close(fd);
            }
            bound_open.push(t.elapsed().as_nanos() as f64);
        }
        for _ in 0..reps_pass {
            let t = Instant::now();
            std::hint::black_box(sum(std::hint::black_box(&in_memory)));
            bound_pass.push(t.elapsed().as_nanos() as f64);
        }
        let v = common::json_output(
            common::numpy().args([
                "-c",
                script,
                path.to_str().unwrap(),
                &reps_open.to_string(),
                &reps_pass.to_string(),
            ]),
            "NumPy's map benchmark",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        np_open.extend(
            v["open"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap()),
        );
        np_pass.extend(
            v["pass"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap()),
        );
        assert_eq!(v["sum"].as_f64().unwrap(), checksum, "sums differ");
    }
    let (oo, op, no, npp) = (
        median(&mut ours_open),
        median(&mut ours_pass),
        median(&mut np_open),
        median(&mut np_pass),
    );
    let (bo, bp) = (median(&mut bound_open), median(&mut bound_pass));
    let gib = (n * 8) as f64 / (1u64 << 30) as f64;
    println!("| {gib:.3} GiB float64 | libnpyio | NumPy | ratio (NumPy/ours) |");
    println!("|---|---|---|---|");
    println!(
        "| map open (npy_mmap + close vs np.load(mmap_mode='r')) | {:.1} µs | {:.1} µs | {:.1}× |",
        oo / 1e3,
        no / 1e3,
        no / oo
    );
    println!(
        "| full pass (sum over the map) | {:.1} ms ({:.1} GB/s) | {:.1} ms ({:.1} GB/s) | {:.2}× |",
        op / 1e6,
        (n * 8) as f64 / op,
        npp / 1e6,
        (n * 8) as f64 / npp,
        npp / op
    );
    println!(
        "bounds: open + mmap + munmap + close {:.1} µs; sum over the array in anonymous memory {:.1} ms ({:.1} GB/s)",
        bo / 1e3,
        bp / 1e6,
        (n * 8) as f64 / bp
    );
    println!("load average at the end: {}", common::load_average());
    let x = vec![format!("{gib:.3} GiB")];
    let table = |id: &str, title: &str, ylabel: &str, v: [f64; 3]| common::PlotTable {
        id: id.into(),
        title: title.into(),
        ylabel: ylabel.into(),
        x: x.clone(),
        series: vec![
            ("libnpyio".into(), "ours", vec![v[0]]),
            ("NumPy".into(), "numpy", vec![v[1]]),
            ("bound".into(), "bound", vec![v[2]]),
        ],
    };
    let gbs = |t: f64| (n * 8) as f64 / t;
    common::write_plot_data(
        "mmap",
        &[
            table(
                "mmap-open",
                "map open: npy_mmap + close / np.load(mmap_mode='r') / open+mmap+munmap+close",
                "median µs (lower is better)",
                [oo / 1e3, no / 1e3, bo / 1e3],
            ),
            table(
                "mmap-pass",
                "full pass (sum) over the mapped float64 data / over anonymous memory",
                "GB/s",
                [gbs(op), gbs(npp), gbs(bp)],
            ),
        ],
    );
}
