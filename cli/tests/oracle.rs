//! `head`, `cat` and `info --json` against what NumPy itself prints and
//! reports, for files NumPy writes (tests/oracle/gen.py makes both).

use npyio_test_support::*;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The generated files and cases (made once per test binary).
fn oracle() -> &'static (PathBuf, Value) {
    static O: OnceLock<(PathBuf, Value)> = OnceLock::new();
    O.get_or_init(|| {
        let dir = scratch("oracle");
        run_script("cli/tests/oracle/gen.py", &[dir.to_str().unwrap()]);
        let cases = std::fs::read_to_string(dir.join("cases.json")).unwrap();
        (dir, serde_json::from_str(&cases).unwrap())
    })
}

/// The first line where two texts differ, for messages.
fn first_difference(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n  npyio: {x:?}\n  numpy: {y:?}", i + 1);
        }
    }
    format!(
        "line counts differ: npyio {} vs numpy {}",
        a.lines().count(),
        b.lines().count()
    )
}

#[test]
fn head_and_cat_print_what_numpy_prints() {
    let (dir, cases) = oracle();
    let cases = cases["print"].as_array().unwrap();
    assert!(cases.len() > 400, "too few cases: {}", cases.len());
    let mut failures = Vec::new();
    for c in cases {
        let file = c["file"].as_str().unwrap();
        let mut args: Vec<&str> = c["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        args.push(file);
        let expected = c["expected"].as_str().unwrap();
        let out = npyio(dir, &args);
        let got = String::from_utf8_lossy(&out.stdout);
        if !out.status.success() || got != expected {
            failures.push(format!(
                "npyio {}\n{}\n{}",
                args.join(" "),
                stderr(&out),
                first_difference(&got, expected)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} print cases differ from NumPy:\n\n{}",
        failures.len(),
        cases.len(),
        failures[..failures.len().min(15)].join("\n\n")
    );
}

fn check_array_facts(file: &str, got: &Value, want: &Value, failures: &mut Vec<String>) {
    let checks = [
        ("version", &got["version"], &want["version"]),
        ("shape", &got["shape"], &want["shape"]),
        (
            "fortran_order",
            &got["fortran_order"],
            &want["fortran_order"],
        ),
        ("data_offset", &got["data_offset"], &want["data_offset"]),
        ("nbytes", &got["nbytes"], &want["nbytes"]),
        ("dtype.str", &got["dtype"]["str"], &want["dtype_str"]),
        ("dtype.repr", &got["dtype"]["repr"], &want["dtype_repr"]),
        ("dtype.descr", &got["dtype"]["descr"], &want["descr"]),
        (
            "dtype.itemsize",
            &got["dtype"]["itemsize"],
            &want["itemsize"],
        ),
    ];
    for (what, g, w) in checks {
        if g != w {
            failures.push(format!("{file}: {what}: npyio {g}, numpy {w}"));
        }
    }
}

#[test]
fn info_json_reports_what_numpy_reports() {
    let (dir, cases) = oracle();
    let cases = cases["info"].as_array().unwrap();
    let files: Vec<&str> = cases.iter().map(|c| c["file"].as_str().unwrap()).collect();
    let mut args = vec!["info", "--json"];
    args.extend(&files);
    let out = npyio_ok(dir, &args, 0);
    let got: Value = serde_json::from_str(&out).expect("info --json prints JSON");
    let got = got.as_array().unwrap();
    assert_eq!(got.len(), cases.len());
    let mut failures = Vec::new();
    for (g, w) in got.iter().zip(cases) {
        let file = w["file"].as_str().unwrap();
        assert_eq!(g["kind"], w["kind"], "{file}");
        if w["kind"] == "npy" {
            check_array_facts(file, g, w, &mut failures);
            continue;
        }
        let (gm, wm) = (
            g["members"].as_array().unwrap(),
            w["members"].as_array().unwrap(),
        );
        assert_eq!(gm.len(), wm.len(), "{file}: member count");
        for (g, w) in gm.iter().zip(wm) {
            let name = format!("{file}:{}", w["name"].as_str().unwrap());
            check_array_facts(&name, g, w, &mut failures);
            for k in ["name", "compression", "size", "compressed_size", "crc32"] {
                if g[k] != w[k] {
                    failures.push(format!("{name}: {k}: npyio {}, numpy {}", g[k], w[k]));
                }
            }
            let ratio = g["ratio"].as_f64().unwrap();
            let want = w["size"].as_f64().unwrap() / w["compressed_size"].as_f64().unwrap();
            if (ratio - want).abs() > 1e-9 {
                failures.push(format!("{name}: ratio {ratio} != {want}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "info differs from NumPy:\n{}",
        failures.join("\n")
    );
}

#[test]
fn info_text_shows_the_repr_and_the_fields() {
    let (dir, _) = oracle();
    let out = npyio_ok(dir, &["info", "rec.npy", "archc.npz"], 0);
    assert!(
        out.contains("dtype:       dtype([('a', '<i4'), ('b', '>f8'), ('c', 'S3'), ('d', '?')])"),
        "{out}"
    );
    assert!(
        out.contains("b          4     8  float64, big-endian"),
        "{out}"
    );
    assert!(out.contains("member 'big' (big.npy): deflate"), "{out}");
    assert!(out.contains("ratio"), "{out}");
    assert!(out.contains("order:       Fortran (column-major)"), "{out}");
}
