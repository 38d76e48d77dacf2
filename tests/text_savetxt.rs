//! savetxt against NumPy: every case of tests/oracle/text_savetxt.py is
//! written by np.savetxt and by libnpyio from the same .npy; the files must
//! be byte-identical, and NumPy's errors must be errors here too.

mod common;

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
    let script = common::root().join("tests/oracle/text_savetxt.py");
    common::run_python(&[script.to_str().unwrap(), dir.to_str().unwrap()]);
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
    assert!(
        failures.is_empty(),
        "{} of {checked} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 150, "only {checked} cases");
}
