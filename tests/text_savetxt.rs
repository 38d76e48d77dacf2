//! savetxt against NumPy: every case of tests/oracle/text_savetxt.py is
//! written by np.savetxt and by libnpyio from the same .npy; the files must
//! be byte-identical, and NumPy's errors must be errors here too.

use npyio_test_support as common;

use npyio::text::{savetxt, Fmt, SavetxtOptions};
use npyio::NpyFile;
use serde_json::Value;

fn options(kw: &Value) -> SavetxtOptions {
    let mut o = SavetxtOptions::default();
    let s = |k: &str| kw.get(k).and_then(|v| v.as_str()).map(String::from);
    match kw.get("fmt") {
        Some(Value::String(f)) => o.fmt = Fmt::One(f.clone()),
        Some(Value::Array(a)) => {
            o.fmt = Fmt::PerColumn(a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
        }
        _ => {}
    }
    if let Some(d) = s("delimiter") {
        o.delimiter = d;
    }
    if let Some(d) = s("newline") {
        o.newline = d;
    }
    if let Some(d) = s("header") {
        o.header = d;
    }
    if let Some(d) = s("footer") {
        o.footer = d;
    }
    if let Some(d) = s("comments") {
        o.comments = d;
    }
    o
}

#[test]
fn savetxt_matches_numpy() {
    let dir = common::scratch("text_savetxt");
    common::run_script("tests/oracle/text_savetxt.py", &[dir.to_str().unwrap()]);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut checked = 0;
    let mut failures = Vec::new();
    for case in manifest.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let f = NpyFile::open(dir.join(format!("{name}.npy"))).unwrap();
        let mut data = vec![0u8; f.nbytes() as usize];
        f.read_into(&mut data, npyio::READ_C_ORDER).unwrap();
        let h = f.header();
        for threads in [1, 2] {
            let mut o = options(&case["kw"]);
            o.threads = threads;
            let out = dir.join(format!("{name}.ours{threads}.txt"));
            let r = savetxt(&out, &h.dtype, &h.shape, &data, &o);
            match (&case["error"], r) {
                (Value::Null, Ok(())) => {
                    let ours = std::fs::read(&out).unwrap();
                    let theirs = std::fs::read(dir.join(format!("{name}.np.txt"))).unwrap();
                    if ours != theirs {
                        let (a, b) = (
                            String::from_utf8_lossy(&ours),
                            String::from_utf8_lossy(&theirs),
                        );
                        let line = a.lines().zip(b.lines()).position(|(x, y)| x != y);
                        failures.push(format!(
                            "{name} (threads {threads}): output differs at line {line:?}: ours {:?} numpy {:?}",
                            line.and_then(|l| a.lines().nth(l)),
                            line.and_then(|l| b.lines().nth(l))
                        ));
                    }
                }
                (Value::Null, Err(e)) => {
                    failures.push(format!("{name}: NumPy succeeded, we failed: {e}"))
                }
                (Value::String(np_err), Ok(())) => {
                    failures.push(format!("{name}: NumPy raised {np_err}, we succeeded"))
                }
                (Value::String(_), Err(e)) => {
                    assert!(
                        !common::temp_files(&dir).iter().any(|t| t.contains(name)),
                        "{name}: temporary file left after error"
                    );
                    assert!(!out.exists(), "{name}: output written despite error {e}");
                }
                _ => unreachable!(),
            }
            checked += 1;
        }
    }
    common::assert_none_failed(&failures, checked);
    assert!(checked > 150, "only {checked} cases");
}

#[global_allocator]
static A: common::Peak = common::Peak;

fn f8(v: &[f64]) -> (npyio::DType, Vec<u64>, Vec<u8>) {
    (
        npyio::DType::parse("<f8").unwrap(),
        vec![v.len() as u64],
        v.iter().flat_map(|x| x.to_le_bytes()).collect(),
    )
}

/// Formats Python refuses are refused with `InvalidArg` and a message
/// naming the format, the directive and the problem (Python's words), and
/// nothing is written.
#[test]
fn format_errors_name_the_directive() {
    let dir = common::scratch("text_savetxt_fmt_errors");
    let (dt, shape, data) = f8(&[1.5, -2.0]);
    let cases: &[(&str, &[&str])] = &[
        (
            "%.2147483648f",
            &["\"%.2147483648f\"", "precision too big", "2147483647"],
        ),
        ("%9223372036854775808d", &["width too big"]),
        (
            "%99999999999d",
            &["width 99999999999", "more than 2147483647 characters"],
        ),
        (
            "%lld",
            &[
                "\"%lld\"",
                "unsupported format character 'l' (0x6c) at index 2",
            ],
        ),
        (
            "é%hhd",
            &["unsupported format character 'h' (0x68) at index 3"],
        ),
        ("%5.", &["incomplete format \"%5.\""]),
        ("%(a)s", &["mapping keys"]),
        ("%*d", &["'*' widths"]),
    ];
    for (fmt, needles) in cases {
        let out = dir.join("out.txt");
        let o = SavetxtOptions {
            fmt: Fmt::One(fmt.to_string()),
            ..Default::default()
        };
        let e = savetxt(&out, &dt, &shape, &data, &o).expect_err(fmt);
        assert_eq!(e.status(), npyio::Status::InvalidArg, "{fmt}: {e}");
        assert!(
            e.message().starts_with(&*out.to_string_lossy()),
            "{fmt}: {e}"
        );
        for n in *needles {
            assert!(e.message().contains(n), "{fmt}: {e:?} lacks {n:?}");
        }
        assert!(!out.exists(), "{fmt}");
    }
}

/// A writer that accepts `left` bytes, then fails.
struct Capped {
    left: usize,
    written: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("capped writer is full"));
        }
        let n = b.len().min(self.left);
        self.left -= n;
        self.written += n;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The widest fields Python formats (width or precision 2^31 - 1) are
/// written through a small buffer: the largest allocation stays far below
/// the field's size, whatever the number of rows and columns.
#[test]
fn huge_fields_are_streamed_in_bounded_memory() {
    let (dt, shape, data) = f8(&[1.5, -2.0, 3.0]);
    for fmt in [
        "%2147483647d",
        "%.2147483647f",
        "%-2147483647s",
        "%#.2147483647g",
    ] {
        let o = SavetxtOptions {
            fmt: Fmt::One(fmt.into()),
            ..Default::default()
        };
        let mut w = Capped {
            left: 50 << 20,
            written: 0,
        };
        common::reset_peak();
        let e = npyio::text::savetxt_to_writer(&mut w, &dt, &shape, &data, &o).unwrap_err();
        let peak = common::peak();
        assert_eq!(e.status(), npyio::Status::Io, "{fmt}: {e}");
        assert!(e.message().contains("capped writer is full"), "{e}");
        assert_eq!(w.written, 50 << 20, "{fmt}");
        assert!(peak < 1 << 20, "{fmt}: largest allocation {peak} bytes");
    }
    // Many columns of moderately wide fields: rows are streamed too.
    let (dt, _, data) = f8(&vec![0.25; 4000]);
    let o = SavetxtOptions {
        fmt: Fmt::One("%9000.2f".into()),
        ..Default::default()
    };
    let mut w = Capped {
        left: usize::MAX,
        written: 0,
    };
    common::reset_peak();
    npyio::text::savetxt_to_writer(&mut w, &dt, &[2, 2000], &data, &o).unwrap();
    assert!(
        common::peak() < 1 << 20,
        "largest allocation {}",
        common::peak()
    );
    assert_eq!(w.written, 2 * (2000 * 9001));
}
