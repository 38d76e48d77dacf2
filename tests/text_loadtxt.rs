//! loadtxt against NumPy: every case of tests/oracle/text_loadtxt.py is
//! loaded by np.loadtxt and by libnpyio (in memory on 1 and 2 threads, and
//! streamed to .npy with small and large blocks); dtype, shape and bytes
//! must be equal, and the streamed .npy byte-identical to np.save's.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{loadtxt, loadtxt::to_npy, LoadtxtOptions};
use npyio::{DType, NpyFile};
use serde_json::Value;
use std::path::Path;

fn options(case: &Value) -> LoadtxtOptions {
    let kw = &case["kw"];
    let mut o = LoadtxtOptions::default();
    if let Some(d) = case.get("dtype_descr").and_then(|v| v.as_str()) {
        o.dtype = DType::parse(d).unwrap();
    }
    match kw.get("comments") {
        Some(Value::String(s)) => o.comments = vec![s.clone()],
        Some(Value::Array(a)) => {
            o.comments = a.iter().map(|x| x.as_str().unwrap().to_string()).collect()
        }
        Some(Value::Null) => o.comments = vec![],
        _ => {}
    }
    o.delimiter = kw
        .get("delimiter")
        .and_then(|v| v.as_str())
        .map(String::from);
    o.quotechar = kw
        .get("quotechar")
        .and_then(|v| v.as_str())
        .map(String::from);
    if let Some(n) = kw.get("skiprows").and_then(|v| v.as_u64()) {
        o.skiprows = n;
    }
    if let Some(a) = kw.get("usecols").and_then(|v| v.as_array()) {
        o.usecols = Some(a.iter().map(|x| x.as_i64().unwrap()).collect());
    }
    if let Some(n) = kw.get("ndmin").and_then(|v| v.as_u64()) {
        o.ndmin = n as u8;
    }
    o.max_rows = kw.get("max_rows").and_then(|v| v.as_u64());
    o
}

fn oracle(dir: &Path) -> Value {
    common::run_script("tests/oracle/text_loadtxt.py", &[dir.to_str().unwrap()]);
    serde_json::from_str(&std::fs::read_to_string(dir.join("loadtxt.json")).unwrap()).unwrap()
}

#[test]
fn loadtxt_matches_numpy() {
    let dir = common::scratch("text_loadtxt");
    let manifest = oracle(&dir);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in manifest.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let txt = dir.join(format!("{name}.txt"));
        for threads in [1, 2] {
            let mut o = options(case);
            o.threads = threads;
            let r = loadtxt(&txt, &o);
            checked += 1;
            match (&case["error"], r) {
                (Value::Null, Ok(f)) => {
                    let np = NpyFile::open(dir.join(format!("{name}.npy"))).unwrap();
                    if let Err(m) = text_util::same(&f, &np) {
                        failures.push(format!("{name} (threads {threads}): {m}"));
                    }
                }
                (Value::Null, Err(e)) => {
                    failures.push(format!("{name}: NumPy succeeded, we failed: {e}"))
                }
                (Value::String(n), Ok(f)) => failures.push(format!(
                    "{name}: NumPy raised {n}, we returned {:?}",
                    f.header().shape
                )),
                (Value::String(_), Err(e)) => {
                    assert!(e.message().starts_with(&*txt.to_string_lossy()), "{e}")
                }
                _ => unreachable!(),
            }
        }
        // Streamed to .npy: byte-identical to np.save(np.loadtxt(...)).
        for block in [7usize, 4096, 16 << 20] {
            let out = dir.join(format!("{name}.stream{block}.npy"));
            let r = to_npy(&txt, &out, &options(case), block);
            match (&case["error"], r) {
                (Value::Null, Ok(_)) => {
                    let ours = std::fs::read(&out).unwrap();
                    let theirs = std::fs::read(dir.join(format!("{name}.npy"))).unwrap();
                    if ours != theirs {
                        failures.push(format!(
                            "{name}: streamed .npy (block {block}) differs from np.save's"
                        ));
                    }
                }
                (Value::Null, Err(e)) => {
                    failures.push(format!("{name}: streaming (block {block}) failed: {e}"))
                }
                (Value::String(n), Ok(_)) => {
                    failures.push(format!("{name}: NumPy raised {n}, streaming succeeded"))
                }
                (Value::String(_), Err(_)) => assert!(!out.exists()),
                _ => unreachable!(),
            }
        }
    }
    common::assert_none_failed(&failures, checked);
}
