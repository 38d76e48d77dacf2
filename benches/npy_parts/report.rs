//! The second half of the report: the user's natural paths (a fresh
//! `malloc` buffer, `npy_load`, saves over an existing file), the targets
//! they are held to, and the data `benches/plot.py` plots.

use super::{common, cstr, paired, Outcome, Samples};
use common::PlotTable;
use std::path::Path;

fn verdict(x: f64, target: f64) -> &'static str {
    if x.is_nan() {
        "n/a"
    } else if x >= target {
        "met"
    } else {
        "NOT met"
    }
}

/// Prints the natural-path tables and every target of the run.
pub fn natural(outs: &[Outcome]) {
    let threads = npyio::Limit::ReadThreads.get();
    println!("Natural paths (medians; ratio = NumPy time / ours):");
    println!();
    println!("| size | malloc + npy_read_into | npy_load | np.load | malloc+read ratio | npy_load ratio | npy_read_into, touched ({threads} threads) | read() bound, 1 thread | fraction of bound (paired) | read() bound, {threads} threads | its ratio to 1 thread |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    for o in outs {
        let r = &o.r;
        let np = r.np_load.median();
        println!(
            "| {} | {} | {} | {} | {:.2}× | {:.2}× | {} ({} GB/s) | {} ({} GB/s) | {:.2} ({:.2}) | {} | {} |",
            o.label,
            fmt_time(r.fresh_read.median()),
            fmt_time(r.load.median()),
            fmt_time(np),
            np / r.fresh_read.median(),
            np / r.load.median(),
            fmt_time(r.ours_read.median()),
            gbps(o.nbytes, r.ours_read.median()),
            fmt_time(r.read_bound.median()),
            gbps(o.nbytes, r.read_bound.median()),
            r.read_bound.median() / r.ours_read.median(),
            paired(&r.read_bound, &r.ours_read),
            if r.read_bound_par.len() == 0 {
                "–".to_string()
            } else {
                format!(
                    "{} ({} GB/s)",
                    fmt_time(r.read_bound_par.median()),
                    gbps(o.nbytes, r.read_bound_par.median())
                )
            },
            if r.read_bound_par.len() == 0 {
                "–".to_string()
            } else {
                format!(
                    "{:.2} ({:.2})",
                    r.read_bound.median() / r.read_bound_par.median(),
                    paired(&r.read_bound, &r.read_bound_par)
                )
            },
        );
    }
    println!();
    println!("| size | npy_save over existing | np.save over existing | ratio | write()+rename over existing | fallocate+write()+rename over existing | O_TRUNC+fallocate+write() (np.save's way) | npy_save new | np.save new | ratio |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for o in outs {
        let r = &o.r;
        println!(
            "| {} | {} | {} | {:.2}× | {} | {} | {} | {} | {} | {:.2}× |",
            o.label,
            fmt_time(r.ours_save_over.median()),
            fmt_time(r.np_save_over.median()),
            r.np_save_over.median() / r.ours_save_over.median(),
            fmt_time(r.atomic_over.median()),
            fmt_time(r.falloc_atomic_over.median()),
            fmt_time(r.trunc_over.median()),
            fmt_time(r.ours_save.median()),
            fmt_time(r.np_save.median()),
            r.np_save.median() / r.ours_save.median(),
        );
    }
    println!();
    println!("Targets of this run:");
    let ratio = |a: &Samples, b: &Samples| a.median() / b.median();
    for o in outs {
        let r = &o.r;
        let line = |what: String, x: f64, t: f64| {
            println!("- {} {what} ≥ {t}: {x:.2} → {}", o.label, verdict(x, t));
        };
        match o.label {
            "1 GiB" => {
                line(
                    "malloc + npy_read_into / np.load".into(),
                    ratio(&r.np_load, &r.fresh_read),
                    1.0,
                );
                line("npy_load / np.load".into(), ratio(&r.np_load, &r.load), 1.2);
                line(
                    "save over existing / np.save over existing".into(),
                    ratio(&r.np_save_over, &r.ours_save_over),
                    0.95,
                );
                line(
                    "save new / np.save new".into(),
                    ratio(&r.np_save, &r.ours_save),
                    0.95,
                );
                line(
                    format!("read into a touched buffer / read() 1 thread ({threads} threads)"),
                    ratio(&r.read_bound, &r.ours_read),
                    1.3,
                );
                // What the machine allows for the line above: the same read
                // split over the threads with no library in between.
                println!(
                    "  - ceiling of the line above, read() {threads} threads / read() 1 thread: {:.2} (paired {:.2}); ours / that ceiling: {:.2} (paired {:.2})",
                    ratio(&r.read_bound, &r.read_bound_par),
                    paired(&r.read_bound, &r.read_bound_par),
                    ratio(&r.read_bound_par, &r.ours_read),
                    paired(&r.read_bound_par, &r.ours_read),
                );
            }
            "80 B" => {
                line(
                    "read / open+pread+close".into(),
                    ratio(&r.read_bound, &r.ours_read),
                    0.9,
                );
                line(
                    "save new / temp+write+rename".into(),
                    ratio(&r.atomic_bound, &r.ours_save),
                    0.85,
                );
                line(
                    "save over existing / temp+write+rename over existing".into(),
                    ratio(&r.atomic_over, &r.ours_save_over),
                    0.85,
                );
            }
            _ => {}
        }
    }
    println!();
}

/// GB/s of each contender per size, for `benches/plot.py`.
pub fn plot_data(outs: &[Outcome], fs: &str) {
    let x: Vec<String> = outs.iter().map(|o| o.label.to_string()).collect();
    let rate = |f: &dyn Fn(&Outcome) -> &Samples| -> Vec<f64> {
        outs.iter()
            .map(|o| o.nbytes as f64 / f(o).median())
            .collect()
    };
    let t = |id: &str, title: String, series: Vec<(&str, &'static str, Vec<f64>)>| PlotTable {
        id: id.into(),
        title,
        ylabel: "GB/s (data bytes / median time)".into(),
        x: x.clone(),
        series: series
            .into_iter()
            .map(|(n, k, v)| (n.to_string(), k, v))
            .collect(),
    };
    let tables = [
        t(
            "npy-read",
            ".npy read (float64, page cache)".into(),
            vec![
                (
                    "npy_read_into, touched buffer",
                    "ours",
                    rate(&|o| &o.r.ours_read),
                ),
                ("malloc + npy_read_into", "ours", rate(&|o| &o.r.fresh_read)),
                ("npy_load", "ours", rate(&|o| &o.r.load)),
                ("np.load", "numpy", rate(&|o| &o.r.np_load)),
                (
                    "read() bound, 1 thread",
                    "bound",
                    rate(&|o| &o.r.read_bound),
                ),
                (
                    "read() bound, all read threads",
                    "bound",
                    rate(&|o| &o.r.read_bound_par),
                ),
            ],
        ),
        t(
            "npy-save",
            format!(".npy save to a new path ({fs})"),
            vec![
                ("npy_save", "ours", rate(&|o| &o.r.ours_save)),
                ("np.save", "numpy", rate(&|o| &o.r.np_save)),
                ("write() bound", "bound", rate(&|o| &o.r.write_bound)),
                (
                    "write()+rename bound",
                    "bound",
                    rate(&|o| &o.r.atomic_bound),
                ),
            ],
        ),
        t(
            "npy-save-over",
            format!(".npy save over an existing file ({fs})"),
            vec![
                ("npy_save", "ours", rate(&|o| &o.r.ours_save_over)),
                ("np.save", "numpy", rate(&|o| &o.r.np_save_over)),
                ("write()+rename bound", "bound", rate(&|o| &o.r.atomic_over)),
                (
                    "fallocate+write()+rename bound",
                    "bound",
                    rate(&|o| &o.r.falloc_atomic_over),
                ),
            ],
        ),
    ];
    common::write_plot_data("npy", &tables);
}

pub fn fs_type(dir: &Path) -> String {
    let c = cstr(dir);
    let mut s: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut s) } != 0 {
        return "unknown".into();
    }
    match s.f_type as i64 {
        0xEF53 => "ext2/3/4".into(),
        0x01021994 => "tmpfs".into(),
        0x58465342 => "xfs".into(),
        0x9123683E => "btrfs".into(),
        0x794c7630 => "overlayfs".into(),
        t => format!("0x{t:x}"),
    }
}

pub fn fmt_time(ns: f64) -> String {
    if ns.is_nan() {
        "n/a".into()
    } else if ns < 1e3 {
        format!("{ns:.0} ns")
    } else if ns < 1e6 {
        format!("{:.2} µs", ns / 1e3)
    } else if ns < 1e9 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.3} s", ns / 1e9)
    }
}

pub fn gbps(bytes: usize, ns: f64) -> String {
    if ns.is_nan() {
        "n/a".into()
    } else {
        let g = bytes as f64 / ns; // bytes/ns == GB/s
        if g < 0.1 {
            format!("{g:.4}")
        } else {
            format!("{g:.2}")
        }
    }
}
