//! The big save judged alone. In the main phases a 1 GiB save follows tens
//! of GiB of other writes and its time is mostly the kernel's dirty-page
//! throttling; here `npy_save` and `np.save` (a NumPy process kept running,
//! `benches/npy_numpy.py --serve`) alternate call by call, and before every
//! timed call, for both alike, `sync()` leaves no dirty pages and any
//! thread libnpyio left closing an old file has finished: to a new path
//! (the path removed first) and over an existing file (the previous call's
//! output, synced and still in the page cache, as after a training epoch).
//! Everything but the one save is untimed.

use super::{check, cstr, save_c, Samples};
use npyio::ffi::dtype::npyio_dtype;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::{Duration, Instant};

/// Per-call times of the save-only phase.
#[derive(Default)]
pub struct SaveOnly {
    pub ours_new: Samples,
    pub np_new: Samples,
    pub ours_over: Samples,
    pub np_over: Samples,
    /// The same calls' CPU time of the calling thread (the kernel's copy,
    /// page allocation and file system work included): less moved by
    /// other load on the machine than the wall time.
    pub ours_new_cpu: Samples,
    pub np_new_cpu: Samples,
    pub ours_over_cpu: Samples,
    pub np_over_cpu: Samples,
}

/// This thread's CPU time in ns.
fn thread_cpu_ns() -> f64 {
    super::clock::cpu_ns(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// A NumPy process that saves its array (loaded once from `--load`) to the
/// path on each line of its stdin and answers with the ns np.save took.
struct NumpyServer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl NumpyServer {
    fn start(load: &Path) -> Result<NumpyServer, String> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/npy_numpy.py");
        let mut child = super::common::numpy()
            .arg(&script)
            .arg("--serve")
            .arg("--load")
            .arg(load)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start npy_numpy.py --serve: {e}"))?;
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut s = NumpyServer {
            child,
            stdin,
            stdout,
        };
        s.answer().map(|_| s)
    }

    fn answer(&mut self) -> Result<String, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(n) if n > 0 => Ok(line.trim().to_string()),
            _ => Err("npy_numpy.py --serve stopped".into()),
        }
    }

    /// Time one `np.save(path, a)` in the NumPy process: wall and thread
    /// CPU ns.
    fn save(&mut self, path: &Path) -> Result<(f64, f64), String> {
        let stdin = self.stdin.as_mut().expect("open stdin");
        writeln!(stdin, "{}", path.display())
            .and_then(|_| stdin.flush())
            .map_err(|e| format!("npy_numpy.py --serve: {e}"))?;
        let a = self.answer()?;
        let mut it = a.split_whitespace().map(|x| x.parse::<f64>().ok());
        match (it.next().flatten(), it.next().flatten()) {
            (Some(w), Some(c)) => Ok((w, c)),
            _ => Err(format!("npy_numpy.py --serve answered {a:?}")),
        }
    }
}

impl Drop for NumpyServer {
    fn drop(&mut self) {
        self.stdin.take(); // end of input: the process exits
        let _ = self.child.wait();
    }
}

/// Wait (untimed) until no thread of this process named `npyio-free` (the
/// one a big save over an existing file leaves closing the old file) runs.
fn wait_for_free_threads() {
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(30) {
        let busy = std::fs::read_dir("/proc/self/task")
            .map(|d| {
                d.flatten().any(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.trim() == "npyio-free")
                })
            })
            .unwrap_or(false);
        if !busy {
            return;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Before a timed save: no dirty pages, no freeing thread; for `over`, the
/// target exists with the file's bytes (written back); else it is absent.
fn settle(path: &Path, image: &[u8], over: bool) {
    wait_for_free_threads();
    if over {
        if std::fs::metadata(path).map(|m| m.len()).ok() != Some(image.len() as u64) {
            std::fs::write(path, image).expect("write the existing file");
        }
    } else {
        super::remove(path);
    }
    unsafe { libc::sync() };
    wait_for_free_threads();
}

/// `reps` rounds; each times ours and NumPy's save to a new path, then
/// ours and NumPy's save over an existing file, who goes first alternating
/// from round to round.
#[allow(clippy::too_many_arguments)]
pub fn run(
    load: &Path,
    scratch: &Path,
    tag: &str,
    dt: *const npyio_dtype,
    shape: &[u64],
    data: &[u8],
    image: &[u8],
    reps: usize,
) -> Option<SaveOnly> {
    let mut np = match NumpyServer::start(load) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("  save-only phase skipped: {e}");
            return None;
        }
    };
    let new_path: PathBuf = scratch.join(format!("saveonly_new_{tag}.npy"));
    let over_path: PathBuf = scratch.join(format!("saveonly_over_{tag}.npy"));
    let (c_new, c_over) = (cstr(&new_path), cstr(&over_path));
    let mut s = SaveOnly::default();
    for rep in 0..reps {
        let ours_first = rep % 2 == 0;
        for over in [false, true] {
            let (path, c) = if over {
                (&over_path, &c_over)
            } else {
                (&new_path, &c_new)
            };
            for ours in [ours_first, !ours_first] {
                settle(path, image, over);
                let (ns, cpu) = if ours {
                    let (c0, t0) = (thread_cpu_ns(), Instant::now());
                    let st = save_c(c, dt, shape, data);
                    let ns = t0.elapsed().as_nanos() as f64;
                    let cpu = thread_cpu_ns() - c0;
                    check(st, "npy_save (save-only phase)");
                    (ns, cpu)
                } else {
                    match np.save(path) {
                        Ok(ns) => ns,
                        Err(e) => {
                            eprintln!("  save-only phase stopped: {e}");
                            return None;
                        }
                    }
                };
                let (wall, on_cpu) = match (ours, over) {
                    (true, false) => (&mut s.ours_new, &mut s.ours_new_cpu),
                    (false, false) => (&mut s.np_new, &mut s.np_new_cpu),
                    (true, true) => (&mut s.ours_over, &mut s.ours_over_cpu),
                    (false, true) => (&mut s.np_over, &mut s.np_over_cpu),
                };
                wall.push(ns);
                on_cpu.push(cpu);
            }
        }
    }
    wait_for_free_threads();
    super::remove(&new_path);
    super::remove(&over_path);
    unsafe { libc::sync() };
    Some(s)
}

/// The save-only table and its targets.
pub fn report(outs: &[super::Outcome]) {
    use super::report::fmt_time;
    let rows: Vec<_> = outs
        .iter()
        .filter_map(|o| o.save_only.as_ref().map(|s| (o.label, s)))
        .collect();
    if rows.is_empty() {
        return;
    }
    println!("Saves alone (sync() and no freeing thread before every call, npy_save and np.save alternating; median (min), n calls each):");
    println!();
    println!("| size | npy_save new | np.save new | ratio | npy_save over existing | np.save over existing | ratio | CPU: ours new / np.save new / ours over / np.save over |");
    println!("|---|---|---|---|---|---|---|---|");
    for (label, s) in &rows {
        let t = |x: &Samples| format!("{} ({})", fmt_time(x.median()), fmt_time(x.min()));
        println!(
            "| {label} | {} | {} | {:.2}× | {} | {} | {:.2}× | {} / {} / {} / {} |",
            t(&s.ours_new),
            t(&s.np_new),
            s.np_new.median() / s.ours_new.median(),
            t(&s.ours_over),
            t(&s.np_over),
            s.np_over.median() / s.ours_over.median(),
            fmt_time(s.ours_new_cpu.median()),
            fmt_time(s.np_new_cpu.median()),
            fmt_time(s.ours_over_cpu.median()),
            fmt_time(s.np_over_cpu.median()),
        );
    }
    println!();
    for (label, s) in &rows {
        for (what, ours, np) in [
            ("save to a new path", &s.ours_new, &s.np_new),
            ("save over an existing file", &s.ours_over, &s.np_over),
        ] {
            let x = np.median() / ours.median();
            let v = if x >= 0.95 { "met" } else { "NOT met" };
            println!(
                "- {label} {what}, alone, ≥ 0.95× np.save: {x:.2} ({} calls each) → {v}",
                ours.len()
            );
        }
    }
    println!();
}
