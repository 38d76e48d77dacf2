//! `cargo bench --bench npy [-- [--quick] [80B] [8MB] [1GiB]]`: libnpyio's
//! C entry points against machine bounds and NumPy, for float64 arrays of
//! 80 B, 8 MB and 1 GiB. Results and their reading: docs/BENCHMARKS.md.
//!
//! Contenders, all timed in this one process run:
//! * libnpyio read: `npy_open` + `npy_read_into` + `npy_close` into a
//!   pre-allocated, already-touched buffer; the file is in the page cache.
//! * libnpyio save: `npy_save` to a path that does not exist yet. Every
//!   save output (ours, NumPy's, the write() bound's) is removed right after
//!   its timed call, outside the timed region, so at most one unsynced file
//!   exists at any time and no contender pays for another's writeback.
//! * bounds: `memcpy` of the data bytes into a touched buffer;
//!   open + `pread` of the same file's data + close (read(), one thread);
//!   create + `write_all` of the file's bytes + close of a new file (write());
//!   the same into a temporary file then renamed to the target (the floor
//!   for an atomic save) and the same after `fallocate(FALLOC_FL_KEEP_SIZE)`
//!   (what NumPy's `tofile` does inside `np.save`), both in the spread table.
//! * NumPy: `benches/npy_numpy.py` run as a child process, timing `np.load`
//!   and `np.save` with `perf_counter_ns`.
//!
//! * 1 GiB saves alone (`npy_parts/save_only.rs`; `-- --save-only` runs
//!   only that): `npy_save` and `np.save` alternating call by call, each
//!   after `sync()`, to a new path and over an existing file.
//!
//! Phases are interleaved per size: ours, NumPy, ours, NumPy, ours (quick:
//! ours, NumPy, ours). Within an "ours" phase every rep runs every contender
//! once, alternating the order. Medians are over all reps of all phases.
//!
//! All buffers are page-aligned anonymous maps advised MADV_HUGEPAGE, as
//! NumPy's array buffers are (`NPYIO_BENCH_THP=0`: plain 4 KiB pages).
//!
//! Scratch files go to `<target>/bench-scratch` (override with
//! `NPYIO_BENCH_SCRATCH`); the Python interpreter is `NPYIO_BENCH_PYTHON`,
//! default the tests' NumPy oracle (`NPYIO_PYTHON`, else `.venv`), then `python3`.

use npyio_test_support::bench as common;

#[path = "npy_parts/clock.rs"]
mod clock;
#[path = "npy_parts/natural.rs"]
mod natural;
#[path = "npy_parts/report.rs"]
mod report;
#[path = "npy_parts/save_only.rs"]
mod save_only;
use report::{fmt_time, fs_type, gbps};

use npyio::ffi::dtype::{npyio_dtype, npyio_dtype_free, npyio_dtype_parse};
use npyio::ffi::npy::{
    npy_close, npy_data_offset, npy_file, npy_nbytes, npy_open, npy_read_into, npy_save,
};
use std::ffi::{c_void, CString};
use std::fs::{File, OpenOptions};
use std::hint::black_box;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::time::Instant;

// ---------------------------------------------------------------- cases

struct Case {
    label: &'static str,
    count: usize,
    /// Calls per timed sample (the sample is the mean per call).
    inner: usize,
    /// Reps per "ours" phase.
    ours_reps: usize,
    /// Reps per NumPy phase.
    np_reps: usize,
}

fn cases(quick: bool) -> Vec<Case> {
    if quick {
        vec![
            Case {
                label: "80 B",
                count: 10,
                inner: 200,
                ours_reps: 2,
                np_reps: 2,
            },
            Case {
                label: "8 MB",
                count: 1_000_000,
                inner: 1,
                ours_reps: 3,
                np_reps: 3,
            },
            Case {
                label: "1 GiB",
                count: 1 << 27,
                inner: 1,
                ours_reps: 1,
                np_reps: 1,
            },
        ]
    } else {
        vec![
            Case {
                label: "80 B",
                count: 10,
                inner: 2000,
                ours_reps: 10,
                np_reps: 8,
            },
            Case {
                label: "8 MB",
                count: 1_000_000,
                inner: 1,
                ours_reps: 17,
                np_reps: 25,
            },
            Case {
                label: "1 GiB",
                count: 1 << 27,
                inner: 1,
                ours_reps: 2,
                np_reps: 3,
            },
        ]
    }
}

// ---------------------------------------------------------------- samples

#[derive(Default, Clone)]
struct Samples(Vec<f64>); // ns per call

impl Samples {
    fn push(&mut self, ns: f64) {
        self.0.push(ns);
    }
    fn extend(&mut self, v: &[f64]) {
        self.0.extend_from_slice(v);
    }
    fn sorted(&self) -> Vec<f64> {
        let mut v = self.0.clone();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    }
    fn median(&self) -> f64 {
        let v = self.sorted();
        if v.is_empty() {
            return f64::NAN;
        }
        let m = v.len() / 2;
        if v.len() % 2 == 1 {
            v[m]
        } else {
            (v[m - 1] + v[m]) / 2.0
        }
    }
    fn min(&self) -> f64 {
        self.sorted().first().copied().unwrap_or(f64::NAN)
    }
    fn max(&self) -> f64 {
        self.sorted().last().copied().unwrap_or(f64::NAN)
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

#[derive(Default)]
struct Results {
    memcpy: Samples,
    read_bound: Samples,
    /// The same read split into one slice per read thread, each `pread` on
    /// its own thread (≥ 64 MiB only): what the machine's cores give.
    read_bound_par: Samples,
    ours_read: Samples,
    write_bound: Samples,
    atomic_bound: Samples,
    falloc_bound: Samples,
    ours_save: Samples,
    np_load: Samples,
    np_save: Samples,
    np_raw_write: Samples,
    /// malloc + npy_open + npy_read_into + npy_close + free.
    fresh_read: Samples,
    /// npy_load + npy_close.
    load: Samples,
    /// Saves over an existing file: ours, NumPy's, and the bounds.
    ours_save_over: Samples,
    np_save_over: Samples,
    atomic_over: Samples,
    falloc_atomic_over: Samples,
    trunc_over: Samples,
}

/// Median over reps of `num[i] / den[i]` (both measured in the same rep).
fn paired(num: &Samples, den: &Samples) -> f64 {
    let r: Vec<f64> = num.0.iter().zip(&den.0).map(|(a, b)| a / b).collect();
    Samples(r).median()
}

// ---------------------------------------------------------------- helpers

fn cstr(p: &Path) -> CString {
    CString::new(p.as_os_str().as_bytes()).expect("path has a NUL byte")
}

fn remove(p: &Path) {
    let _ = std::fs::remove_file(p);
}

fn check(st: i32, what: &str) {
    if st != 0 {
        let mut buf = vec![0u8; 512];
        let n = unsafe { npyio::ffi::npyio_last_error(buf.as_mut_ptr() as *mut _, buf.len()) };
        buf.truncate(n.min(511));
        panic!(
            "{what} failed with status {st}: {}",
            String::from_utf8_lossy(&buf)
        );
    }
}

/// A page-aligned anonymous buffer, every page touched at creation. By
/// default it is advised MADV_HUGEPAGE (2 MiB-aligned), exactly as NumPy does
/// for its array buffers, so that libnpyio, the bounds and NumPy all copy
/// from/to the same kind of memory; `NPYIO_BENCH_THP=0` uses plain 4 KiB
/// pages instead.
struct Buf {
    map: *mut u8,
    map_len: usize,
    ptr: *mut u8,
    len: usize,
}

const HUGE: usize = 2 << 20;

fn thp_wanted() -> bool {
    std::env::var("NPYIO_BENCH_THP")
        .map(|v| v != "0")
        .unwrap_or(true)
}

impl Buf {
    fn new(len: usize, fill: u8) -> Buf {
        let thp = thp_wanted();
        let map_len = if thp {
            len.div_ceil(HUGE) * HUGE + HUGE
        } else {
            len.max(1)
        };
        let map = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert!(map != libc::MAP_FAILED, "mmap of {map_len} bytes failed");
        let map = map as *mut u8;
        let ptr = if thp {
            let a = (map as usize).div_ceil(HUGE) * HUGE;
            unsafe {
                libc::madvise(
                    a as *mut c_void,
                    map_len - (a - map as usize),
                    libc::MADV_HUGEPAGE,
                )
            };
            a as *mut u8
        } else {
            map
        };
        let mut b = Buf {
            map,
            map_len,
            ptr,
            len,
        };
        b.fill(fill); // touch every page
        b
    }
    fn from_slice(s: &[u8]) -> Buf {
        let mut b = Buf::new(s.len(), 0);
        b.copy_from_slice(s);
        b
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        unsafe { libc::munmap(self.map as *mut c_void, self.map_len) };
    }
}

impl std::ops::Deref for Buf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl std::ops::DerefMut for Buf {
    fn deref_mut(&mut self) -> &mut [u8] {
        unsafe { std::slice::from_raw_parts_mut(self.ptr, self.len) }
    }
}

// ---------------------------------------------------------------- timed bodies

fn time_memcpy(src: &[u8], dst: &mut [u8], inner: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..inner {
        let s = black_box(src);
        dst.copy_from_slice(s);
        black_box(dst.as_mut_ptr());
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

fn time_read_bound(path: &Path, off: u64, dst: &mut [u8], inner: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..inner {
        let f = File::open(path).expect("open");
        f.read_exact_at(dst, off).expect("pread");
        drop(f);
        black_box(dst.as_mut_ptr());
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

/// [`time_read_bound`] with the data split into `threads` slices (starting
/// at 2 MiB multiples of the buffer, as the library's), each read by
/// `pread` on its own thread, the first on the calling thread: the same
/// parallel read with no library in between.
fn time_read_bound_par(path: &Path, off: u64, dst: &mut [u8], inner: usize, threads: usize) -> f64 {
    let step = dst.len().div_ceil(threads).next_multiple_of(2 << 20);
    let t0 = Instant::now();
    for _ in 0..inner {
        let f = File::open(path).expect("open");
        std::thread::scope(|s| {
            let mut parts = dst.chunks_mut(step).enumerate();
            let first = parts.next();
            for (i, part) in parts {
                let f = &f;
                s.spawn(move || {
                    f.read_exact_at(part, off + (i * step) as u64)
                        .expect("pread")
                });
            }
            if let Some((_, part)) = first {
                f.read_exact_at(part, off).expect("pread");
            }
        });
        drop(f);
        black_box(dst.as_mut_ptr());
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

fn time_ours_read(path: &CString, dst: &mut [u8], inner: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..inner {
        unsafe {
            let mut f: *mut npy_file = std::ptr::null_mut();
            check(npy_open(path.as_ptr(), &mut f), "npy_open");
            check(
                npy_read_into(f, dst.as_mut_ptr() as *mut c_void, dst.len(), 0),
                "npy_read_into",
            );
            npy_close(f);
        }
        black_box(dst.as_mut_ptr());
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

/// Write `image` into the fresh or truncated file `f`, after
/// `fallocate(FALLOC_FL_KEEP_SIZE)` of its length when `falloc` (best
/// effort, like NumPy: errors such as EOPNOTSUPP are ignored).
fn write_image(f: &mut std::fs::File, image: &[u8], falloc: bool) {
    use std::os::fd::AsRawFd;
    if falloc {
        unsafe {
            libc::fallocate(
                f.as_raw_fd(),
                libc::FALLOC_FL_KEEP_SIZE,
                0,
                image.len() as libc::off_t,
            )
        };
    }
    f.write_all(image).expect("write");
}

/// With `falloc`, the file's blocks are first reserved with
/// `fallocate(FALLOC_FL_KEEP_SIZE)`, as NumPy's `tofile` (used by `np.save`)
/// does before its write.
fn time_write_bound(path: &Path, image: &[u8], inner: usize, falloc: bool) -> f64 {
    let mut total = 0u128;
    for _ in 0..inner {
        remove(path);
        let t0 = Instant::now();
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .expect("create");
        write_image(&mut f, image, falloc);
        drop(f);
        total += t0.elapsed().as_nanos();
        remove(path); // untimed: no unsynced output lingers into the next measurement
    }
    total as f64 / inner as f64
}

/// The same write() bound done the way an atomic save must: create a new
/// temporary file, write, close, then rename it to the (absent) target.
fn time_atomic_write_bound(path: &Path, image: &[u8], inner: usize) -> f64 {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let mut total = 0u128;
    for _ in 0..inner {
        remove(path);
        remove(&tmp);
        let t0 = Instant::now();
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .expect("create");
        f.write_all(image).expect("write");
        drop(f);
        std::fs::rename(&tmp, path).expect("rename");
        total += t0.elapsed().as_nanos();
        remove(path);
    }
    total as f64 / inner as f64
}

/// `npy_save` of a C-order array of `dt` with `shape` whose bytes are `data`.
fn save_c(path: &std::ffi::CStr, dt: *const npyio_dtype, shape: &[u64], data: &[u8]) -> i32 {
    // SAFETY: every pointer is valid for the call; lengths match the slices.
    unsafe {
        npy_save(
            path.as_ptr(),
            dt,
            shape.len(),
            shape.as_ptr(),
            false,
            data.as_ptr() as *const c_void,
            data.len(),
        )
    }
}

fn time_ours_save(
    path: &Path,
    dt: *const npyio_dtype,
    shape: &[u64],
    data: &[u8],
    inner: usize,
) -> f64 {
    let c = cstr(path);
    let mut total = 0u128;
    for _ in 0..inner {
        remove(path);
        let t0 = Instant::now();
        let st = save_c(&c, dt, shape, data);
        total += t0.elapsed().as_nanos();
        check(st, "npy_save");
        remove(path); // untimed: no unsynced output lingers into the next measurement
    }
    total as f64 / inner as f64
}

// ---------------------------------------------------------------- NumPy

struct NpRun {
    version: String,
    load: Vec<f64>,
    save: Vec<f64>,
    raw_write: Vec<f64>,
    save_over: Vec<f64>,
}

fn run_numpy(load: &Path, save: &Path, reps: usize, inner: usize) -> Result<NpRun, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/npy_numpy.py");
    let v = common::json_output(
        common::numpy()
            .arg(&script)
            .arg("--load")
            .arg(load)
            .arg("--save")
            .arg(save)
            .arg("--reps")
            .arg(reps.to_string())
            .arg("--inner")
            .arg(inner.to_string()),
        "npy_numpy.py",
    )?;
    let nums = |k: &str| -> Vec<f64> {
        v[k].as_array()
            .map(|a| a.iter().filter_map(|x| x.as_f64()).collect())
            .unwrap_or_default()
    };
    Ok(NpRun {
        version: v["numpy"].as_str().unwrap_or("?").to_string(),
        load: nums("load_ns"),
        save: nums("save_ns"),
        raw_write: nums("raw_write_ns"),
        save_over: nums("save_over_ns"),
    })
}

// ---------------------------------------------------------------- one size

struct Outcome {
    label: &'static str,
    nbytes: usize,
    inner: usize,
    r: Results,
    identical_to_np_save: Option<bool>,
    /// The big save alone (`save_only.rs`): 1 GiB only.
    save_only: Option<save_only::SaveOnly>,
}

fn bench_case(case: &Case, scratch: &Path, dt: *const npyio_dtype, quick: bool) -> Outcome {
    let n = case.count;
    let nbytes = n * 8;
    let tag = case.label.replace(' ', "");
    let read_path = scratch.join(format!("read_{tag}.npy"));
    let ours_out = scratch.join(format!("ours_save_{tag}.npy"));
    let np_out = scratch.join(format!("np_save_{tag}.npy"));
    let raw_out = scratch.join(format!("raw_write_{tag}.bin"));
    let ours_over = scratch.join(format!("ours_over_{tag}.npy"));
    let raw_over = scratch.join(format!("raw_over_{tag}.bin"));
    let shape = [n as u64];

    // Source data (touched) and destination buffer (touched: every page written).
    let mut src = Buf::new(nbytes, 0);
    for (i, c) in src.chunks_exact_mut(8).enumerate() {
        c.copy_from_slice(&(i as f64 * 0.25 + 1.0).to_le_bytes());
    }
    let mut dst = Buf::new(nbytes, 0xa5);

    // The file to read, written by libnpyio itself.
    remove(&read_path);
    check(
        save_c(&cstr(&read_path), dt, &shape, &src[..nbytes]),
        "npy_save (setup)",
    );
    let read_c = cstr(&read_path);
    let data_offset = unsafe {
        let mut f: *mut npy_file = std::ptr::null_mut();
        check(npy_open(read_c.as_ptr(), &mut f), "npy_open (setup)");
        assert_eq!(npy_nbytes(f), nbytes as u64);
        let off = npy_data_offset(f);
        npy_close(f);
        off
    };
    // The whole file image: warms the page cache and is what the write() bound writes.
    let image = Buf::from_slice(&std::fs::read(&read_path).expect("read file image"));
    assert_eq!(image.len() as u64, data_offset + nbytes as u64);
    // Verify a read before timing.
    time_ours_read(&read_c, &mut dst, 1);
    assert!(dst[..] == src[..], "npy_read_into returned wrong data");
    // Start every size with no dirty pages of our own pending.
    unsafe { libc::sync() };

    let mut r = Results::default();
    let mut identical = None;
    let mut numpy_version = String::new();
    // `--save-only`: only the save-only phase (of the sizes that have one).
    let save_only_run = std::env::args().any(|a| a == "--save-only");
    let phases: &[bool] = if save_only_run {
        &[]
    } else if quick {
        &[true, false, true]
    } else {
        &[true, false, true, false, true]
    };
    let mut rep_no = 0usize;
    for &ours in phases {
        if ours {
            for _ in 0..case.ours_reps {
                let flip = rep_no % 2 == 1;
                rep_no += 1;
                let d = &mut dst[..];
                r.memcpy.push(time_memcpy(&src, d, case.inner));
                let over = |r: &mut Results| {
                    r.ours_save_over.push(natural::time_ours_save_over(
                        &ours_over, dt, &shape, &src, &image, case.inner,
                    ));
                    r.atomic_over.push(natural::time_atomic_over(
                        &raw_over, &image, case.inner, false,
                    ));
                    r.falloc_atomic_over.push(natural::time_atomic_over(
                        &raw_over, &image, case.inner, true,
                    ));
                    r.trunc_over
                        .push(natural::time_trunc_over(&raw_over, &image, case.inner));
                };
                if flip {
                    over(&mut r);
                    r.fresh_read
                        .push(natural::time_fresh_read(&read_c, nbytes, case.inner));
                    r.load.push(natural::time_load(&read_c, case.inner));
                } else {
                    r.load.push(natural::time_load(&read_c, case.inner));
                    r.fresh_read
                        .push(natural::time_fresh_read(&read_c, nbytes, case.inner));
                }
                // The three reads into the touched buffer, back to back in
                // either order; three times per rep from 64 MiB on, where
                // one read is short against a rep and the medians need
                // the samples.
                let big = nbytes >= 64 << 20;
                let reads = |r: &mut Results, d: &mut [u8], forward: bool| {
                    let par = |r: &mut Results, d: &mut [u8]| {
                        if big {
                            r.read_bound_par.push(time_read_bound_par(
                                &read_path,
                                data_offset,
                                d,
                                case.inner,
                                npyio::Limit::ReadThreads.get().max(1) as usize,
                            ));
                        }
                    };
                    for k in 0..if big { 3 } else { 1 } {
                        if forward == (k % 2 == 0) {
                            r.ours_read.push(time_ours_read(&read_c, d, case.inner));
                            r.read_bound.push(time_read_bound(
                                &read_path,
                                data_offset,
                                d,
                                case.inner,
                            ));
                            par(r, d);
                        } else {
                            par(r, d);
                            r.read_bound.push(time_read_bound(
                                &read_path,
                                data_offset,
                                d,
                                case.inner,
                            ));
                            r.ours_read.push(time_ours_read(&read_c, d, case.inner));
                        }
                    }
                };
                if flip {
                    reads(&mut r, d, true);
                    r.ours_save
                        .push(time_ours_save(&ours_out, dt, &shape, &src, case.inner));
                    r.write_bound
                        .push(time_write_bound(&raw_out, &image, case.inner, false));
                    r.falloc_bound
                        .push(time_write_bound(&raw_out, &image, case.inner, true));
                    r.atomic_bound
                        .push(time_atomic_write_bound(&raw_out, &image, case.inner));
                } else {
                    r.atomic_bound
                        .push(time_atomic_write_bound(&raw_out, &image, case.inner));
                    r.falloc_bound
                        .push(time_write_bound(&raw_out, &image, case.inner, true));
                    reads(&mut r, d, false);
                    r.write_bound
                        .push(time_write_bound(&raw_out, &image, case.inner, false));
                    r.ours_save
                        .push(time_ours_save(&ours_out, dt, &shape, &src, case.inner));
                    over(&mut r);
                }
            }
            assert!(dst[..] == src[..], "data changed during the read benchmark");
        } else {
            match run_numpy(&read_path, &np_out, case.np_reps, case.inner) {
                Ok(run) => {
                    r.np_load.extend(&run.load);
                    r.np_save.extend(&run.save);
                    r.np_raw_write.extend(&run.raw_write);
                    r.np_save_over.extend(&run.save_over);
                    numpy_version = run.version;
                    if identical.is_none() {
                        // np.save's file vs libnpyio's (the read file, same array).
                        identical = std::fs::read(&np_out).ok().map(|b| b[..] == image[..]);
                    }
                }
                Err(e) => eprintln!("  NumPy phase skipped: {e}"),
            }
            remove(&np_out);
        }
        unsafe { libc::sync() };
    }
    if !numpy_version.is_empty() {
        eprintln!("  [{}] numpy {numpy_version}", case.label);
    }
    let save_only = (nbytes >= 1 << 30).then(|| {
        let reps = if quick { 2 } else { 5 };
        save_only::run(&read_path, scratch, &tag, dt, &shape, &src, &image, reps)
    });
    remove(&read_path);
    remove(&ours_over);
    remove(&raw_over);
    Outcome {
        label: case.label,
        nbytes,
        inner: case.inner,
        r,
        identical_to_np_save: identical,
        save_only: save_only.flatten(),
    }
}

// ---------------------------------------------------------------- report

fn machine() -> String {
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map(|k| format!("{:.1} GiB", k / 1048576.0))
        .unwrap_or_else(|| "?".into());
    format!("{}, RAM {mem}", common::cpu())
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let scratch = common::scratch_dir();
    std::fs::create_dir_all(&scratch).expect("create scratch dir");
    let fst = fs_type(&scratch);
    println!(
        "# libnpyio vs NumPy vs machine bounds{}",
        if quick { " (--quick)" } else { "" }
    );
    println!();
    println!("{}", machine());
    println!("scratch dir: {} ({fst})", scratch.display());
    println!(
        "buffers: {} (NumPy advises MADV_HUGEPAGE on its arrays; THP mode: {})",
        if thp_wanted() {
            "MADV_HUGEPAGE, 2 MiB-aligned"
        } else {
            "plain 4 KiB pages (NPYIO_BENCH_THP=0)"
        },
        std::fs::read_to_string("/sys/kernel/mm/transparent_hugepage/enabled")
            .unwrap_or_default()
            .trim()
    );
    if fst == "tmpfs" {
        println!("WARNING: scratch dir is on tmpfs; save timings do not reflect a disk filesystem");
    }
    println!();

    let mut dt: *mut npyio_dtype = std::ptr::null_mut();
    let descr = CString::new("<f8").unwrap();
    check(
        unsafe { npyio_dtype_parse(descr.as_ptr(), &mut dt) },
        "npyio_dtype_parse",
    );

    let t_start = Instant::now();
    let mut outs = Vec::new();
    // Optional size filter: `-- 80B 8MB 1GiB` (any subset); default all.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    for case in cases(quick)
        .into_iter()
        .filter(|c| only.is_empty() || only.iter().any(|o| *o == c.label.replace(' ', "")))
    {
        let t = Instant::now();
        eprintln!("running {} ...", case.label);
        outs.push(bench_case(&case, &scratch, dt, quick));
        eprintln!(
            "  {} done in {:.1} s",
            case.label,
            t.elapsed().as_secs_f64()
        );
    }
    unsafe { npyio_dtype_free(dt) };
    let _ = std::fs::remove_dir(&scratch);

    println!("| size | op | libnpyio median | NumPy median | ratio (NumPy/ours) | libnpyio GB/s | bound GB/s | memcpy GB/s | fraction of bound (paired) |");
    println!("|---|---|---|---|---|---|---|---|---|");
    for o in &outs {
        let r = &o.r;
        let rows = [
            ("read", &r.ours_read, &r.np_load, &r.read_bound, "read()"),
            ("save", &r.ours_save, &r.np_save, &r.write_bound, "write()"),
        ];
        for (op, ours, np, bound, bname) in rows {
            let (om, nm, bm, mm) = (
                ours.median(),
                np.median(),
                bound.median(),
                r.memcpy.median(),
            );
            let per = if o.inner > 1 { " /call" } else { "" };
            println!(
                "| {} | {op} | {}{per} | {}{per} | {:.2}× | {} | {} {bname} | {} | {:.2} ({:.2}) |",
                o.label,
                fmt_time(om),
                fmt_time(nm),
                nm / om,
                gbps(o.nbytes, om),
                gbps(o.nbytes, bm),
                gbps(o.nbytes, mm),
                bm / om,
                paired(bound, ours),
            );
        }
    }
    println!();
    println!("GB/s = data bytes / median time (1 GB = 1e9 B). fraction of bound = bound median time / libnpyio median time; (paired) = median over reps of bound/libnpyio measured back to back in the same rep.");
    println!("read() bound = open + pread of the data (one thread) + close; write() bound = create_new + write_all(whole file) + close.");
    println!("write()+rename bound (spread table) = the write() bound into a temporary file renamed to the target: the floor for an atomic save like npy_save's.");
    println!("fallocate+write() bound (spread table) = the write() bound with fallocate(FALLOC_FL_KEEP_SIZE) of the file's length first, as NumPy's tofile() does inside np.save.");
    println!("write() bound, in the NumPy process (spread table) = os.open/os.write/os.close of the same bytes, timed by the Python helper next to np.save.");
    println!();

    for o in outs.iter().filter(|o| o.inner > 1) {
        let r = &o.r;
        println!(
            "{} per call: libnpyio read {:.2} µs, np.load {:.2} µs ({:.1}×); libnpyio save {:.2} µs, np.save {:.2} µs ({:.1}×); \
             bounds: open+pread()+close {:.2} µs, create+write()+close {:.2} µs, \
             create tmp+write()+close+rename {:.2} µs, memcpy {:.1} ns",
            o.label,
            r.ours_read.median() / 1e3,
            r.np_load.median() / 1e3,
            r.np_load.median() / r.ours_read.median(),
            r.ours_save.median() / 1e3,
            r.np_save.median() / 1e3,
            r.np_save.median() / r.ours_save.median(),
            r.read_bound.median() / 1e3,
            r.write_bound.median() / 1e3,
            r.atomic_bound.median() / 1e3,
            r.memcpy.median(),
        );
        println!();
    }

    println!("Spread (per-call ns; samples / min / median / max):");
    println!();
    println!("| size | contender | n | min | median | max |");
    println!("|---|---|---|---|---|---|");
    for o in &outs {
        let r = &o.r;
        for (name, s) in [
            ("libnpyio read", &r.ours_read),
            ("np.load", &r.np_load),
            ("read() bound", &r.read_bound),
            ("libnpyio save", &r.ours_save),
            ("np.save", &r.np_save),
            ("write() bound", &r.write_bound),
            ("write()+rename bound", &r.atomic_bound),
            ("fallocate+write() bound", &r.falloc_bound),
            ("write() bound, in the NumPy process", &r.np_raw_write),
            ("memcpy", &r.memcpy),
        ] {
            println!(
                "| {} | {name} | {} | {} | {} | {} |",
                o.label,
                s.len(),
                fmt_time(s.min()),
                fmt_time(s.median()),
                fmt_time(s.max())
            );
        }
    }
    println!();

    println!("Targets:");
    for o in &outs {
        let f = o.r.read_bound.median() / o.r.ours_read.median();
        let fp = paired(&o.r.read_bound, &o.r.ours_read);
        println!(
            "- {} read ≥ 0.9× read() bound: {:.2}× (paired {:.2}×) → {}",
            o.label,
            f,
            fp,
            if f >= 0.9 { "met" } else { "NOT met" }
        );
    }
    if let Some(o) = outs.iter().find(|o| o.label == "1 GiB") {
        let x = o.r.np_save.median() / o.r.ours_save.median();
        println!(
            "- 1 GiB save ≥ 0.95× np.save: {:.2}× → {}",
            x,
            if x >= 0.95 {
                "met"
            } else if x.is_nan() {
                "n/a"
            } else {
                "NOT met"
            }
        );
    }
    if let Some(o) = outs.iter().find(|o| o.inner > 1) {
        for (op, ours, np) in [
            ("read", &o.r.ours_read, &o.r.np_load),
            ("save", &o.r.ours_save, &o.r.np_save),
        ] {
            let x = np.median() / ours.median();
            println!(
                "- {} {op} ≥ 10× NumPy per call: {:.1}× → {}",
                o.label,
                x,
                if x >= 10.0 {
                    "met"
                } else if x.is_nan() {
                    "n/a"
                } else {
                    "NOT met"
                }
            );
        }
    }
    for o in &outs {
        match o.identical_to_np_save {
            Some(true) => println!(
                "- {}: np.save output is byte-identical to npy_save's",
                o.label
            ),
            Some(false) => println!("- {}: np.save output DIFFERS from npy_save's", o.label),
            None => {}
        }
    }
    println!();
    report::natural(&outs);
    save_only::report(&outs);
    report::plot_data(&outs, &fst);
    println!("total bench time: {:.1} s", t_start.elapsed().as_secs_f64());
}
