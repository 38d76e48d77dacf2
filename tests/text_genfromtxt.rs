//! genfromtxt against NumPy: every genfromtxt case of
//! tests/oracle/text_loadtxt.py is loaded by np.genfromtxt(usemask=True)
//! and by libnpyio (1 and 2 threads); data and mask must have the same
//! dtype, shape and bytes, and NumPy's errors must be errors here too.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{genfromtxt, Case, Delimiter, GenfromtxtOptions, Names};
use npyio::{DType, NpyFile};
use serde_json::Value;

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        other => panic!("unexpected {other}"),
    }
}

fn options(case: &Value) -> GenfromtxtOptions {
    let kw = &case["kw"];
    let mut o = GenfromtxtOptions::default();
    if let Some(d) = case.get("dtype_descr").and_then(|v| v.as_str()) {
        o.dtype = DType::parse(d).unwrap();
    }
    match kw.get("comments") {
        Some(Value::String(s)) => o.comments = Some(s.clone()),
        Some(Value::Null) => o.comments = None,
        _ => {}
    }
    o.delimiter = match kw.get("delimiter") {
        Some(Value::String(s)) => Delimiter::Str(s.clone()),
        Some(Value::Number(n)) => Delimiter::Width(n.as_u64().unwrap() as usize),
        Some(Value::Array(a)) => {
            Delimiter::Widths(a.iter().map(|x| x.as_u64().unwrap() as usize).collect())
        }
        _ => Delimiter::Whitespace,
    };
    let u = |k: &str| kw.get(k).and_then(|v| v.as_u64());
    o.skip_header = u("skip_header").unwrap_or(0);
    o.skip_footer = u("skip_footer").unwrap_or(0);
    o.max_rows = u("max_rows");
    o.ndmin = u("ndmin").unwrap_or(0) as u8;
    match kw.get("missing_values") {
        Some(Value::String(s)) => o.missing_values = s.split(',').map(String::from).collect(),
        Some(Value::Array(a)) => {
            o.column_missing_values = a.iter().map(|x| Some(text_of(x))).collect()
        }
        _ => {}
    }
    match kw.get("filling_values") {
        Some(Value::Array(a)) => o.filling_values = a.iter().map(|x| Some(text_of(x))).collect(),
        Some(v) => o.filling_value = Some(text_of(v)),
        None => {}
    }
    if let Some(a) = kw.get("usecols").and_then(|v| v.as_array()) {
        o.usecols = Some(a.iter().map(|x| x.as_i64().unwrap()).collect());
    }
    o.names = match kw.get("names") {
        Some(Value::Bool(true)) => Names::FirstLine,
        Some(Value::Array(a)) => Names::List(a.iter().map(text_of).collect()),
        Some(Value::String(s)) => Names::List(s.split(',').map(String::from).collect()),
        _ => Names::None,
    };
    o.case_sensitive = match kw.get("case_sensitive") {
        Some(Value::String(s)) if s.starts_with('l') => Case::Lower,
        Some(Value::String(_)) | Some(Value::Bool(false)) => Case::Upper,
        _ => Case::Sensitive,
    };
    let b = |k: &str, d: bool| kw.get(k).and_then(|v| v.as_bool()).unwrap_or(d);
    o.autostrip = b("autostrip", false);
    o.loose = b("loose", true);
    o.invalid_raise = b("invalid_raise", true);
    o.usemask = true;
    o
}

#[test]
fn genfromtxt_matches_numpy() {
    let dir = common::scratch("text_genfromtxt");
    common::run_script("tests/oracle/text_loadtxt.py", &[dir.to_str().unwrap()]);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("genfromtxt.json")).unwrap())
            .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in manifest.as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let txt = dir.join(format!("{name}.txt"));
        for threads in [1, 2] {
            let mut o = options(case);
            o.threads = threads;
            checked += 1;
            match (&case["error"], genfromtxt(&txt, &o)) {
                (Value::Null, Ok(g)) => {
                    let np = NpyFile::open(dir.join(format!("{name}.npy"))).unwrap();
                    let npm = NpyFile::open(dir.join(format!("{name}.mask.npy"))).unwrap();
                    if let Err(m) = text_util::same(&g.data, &np) {
                        failures.push(format!("{name} (threads {threads}) data: {m}"));
                    }
                    if let Err(m) = text_util::same(g.mask.as_ref().unwrap(), &npm) {
                        failures.push(format!("{name} (threads {threads}) mask: {m}"));
                    }
                }
                (Value::Null, Err(e)) => {
                    failures.push(format!("{name}: NumPy succeeded, we failed: {e}"))
                }
                (Value::String(n), Ok(g)) => failures.push(format!(
                    "{name}: NumPy raised {n}, we returned {:?}",
                    g.data.header().shape
                )),
                (Value::String(_), Err(_)) => {}
                _ => unreachable!(),
            }
        }
    }
    common::assert_none_failed(&failures, checked);
}

/// NumPy's NameValidator cases: (names, nbfields, excludelist, deletechars,
/// case_sensitive, replace_space) and its result, as JSON lines.
const NAME_ORACLE: &str = r#"
import json, random
import numpy as np
from numpy.lib._iotools import NameValidator
random.seed(4)
alphabet = ['a', 'a', 'b', 'a_1', 'a_2', '', '', 'f0', 'f1', 'f3', ' ', 'return', 'return_',
            'file', 'A', 'x y', ' x y ', 'x.y', '"q"', 'é', 'ß', 'Σς', '\u3000p\u3000', 'x\x1c',
            'b_1', 'f', '_', 'PRINT']
cases = [
    (['a', 'a', 'a', 'a_1', 'a_1', '', '', 'f0', 'f1', ' ', 'f2', 'return', 'return_', 'file'],
     None, None, None, True, '_'),
    (['', 'f0', '', 'f1', 'f2', '', 'f4'], None, None, None, True, '_'),
    (['a', 'b'], 5, None, None, True, '_'),
    (['a', 'b', 'f0', 'c'], 2, None, None, True, '_'),
    (['', 'f1'], 4, None, None, True, '_'),
    (['x y', 'x_y', 'x  y', 'ß', 'a'], None, ['a', 'X_Y'], 'y', 'upper', '_'),
    (['x y', 'X Y', 'Σ', 'PRINT'], None, [], '', 'lower', ''),
    (['a b', 'a-b', 'a.b'], None, None, '.', False, '-'),
]
for k in range(40):
    n = random.randint(1, 300)
    names = [random.choice(alphabet) for _ in range(n)]
    nb = random.choice([None, None, n // 2, n + 7])
    ex = random.choice([None, ['a', 'b_1']])
    dc = random.choice([None, 'y_', ''])
    cs = random.choice([True, False, 'upper', 'lower'])
    rs = random.choice(['_', '', '--'])
    cases.append((names, nb, ex, dc, cs, rs))
for names, nb, ex, dc, cs, rs in cases:
    v = NameValidator(excludelist=None if ex is None else list(ex), deletechars=dc,
                      case_sensitive=cs, replace_space=rs)
    out = list(v.validate(names, nbfields=nb))
    print(json.dumps({'names': names, 'nb': nb, 'ex': ex, 'dc': dc, 'cs': cs, 'rs': rs, 'out': out}))
"#;

/// Field names are cleaned and deduplicated exactly as NumPy's
/// NameValidator does, on tricky and on random lists.
#[test]
fn name_validation_matches_numpy() {
    use npyio::text::genfromtxt::NameValidator;
    let out = common::run_python(&["-c", NAME_ORACLE]);
    let mut n = 0;
    for line in out.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        let strs = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                .unwrap_or_default()
        };
        let case = match &c["cs"] {
            Value::Bool(true) => Case::Sensitive,
            Value::Bool(false) => Case::Upper,
            Value::String(s) if s == "upper" => Case::Upper,
            _ => Case::Lower,
        };
        let v = NameValidator::new(
            &strs(&c["ex"]),
            c["dc"].as_str(),
            case,
            c["rs"].as_str().unwrap(),
        );
        let got = v.validate(&strs(&c["names"]), c["nb"].as_u64().map(|x| x as usize));
        assert_eq!(got, strs(&c["out"]), "{line}");
        n += 1;
    }
    assert!(n >= 48, "{n} cases");
}

/// The Unicode decimal digits genfromtxt reads (as Python's int() and
/// float() do) are exactly those of Python's unicodedata.
#[test]
fn unicode_decimal_digits_match_python() {
    let out = common::run_python(&[
        "-c",
        "import unicodedata\nfor c in range(0x110000):\n    d = unicodedata.decimal(chr(c), -1)\n    if d >= 0:\n        print(c, d)",
    ]);
    let want: std::collections::HashMap<u32, u8> = out
        .lines()
        .map(|l| {
            let (c, d) = l.split_once(' ').unwrap();
            (c.parse().unwrap(), d.parse().unwrap())
        })
        .collect();
    assert_eq!(want.len(), 660);
    for c in (0..0x110000u32).filter_map(char::from_u32) {
        assert_eq!(
            npyio::text::convert::decimal_value(c),
            want.get(&(c as u32)).copied(),
            "U+{:04X}",
            c as u32
        );
    }
}

/// 100,000 column names (with duplicates to deduplicate and names to
/// repair) make a 100,000-field record as NumPy's NameValidator would name
/// it; every check on the names is O(n log n), so this runs in well under a
/// second in a release build.
#[test]
fn hundred_thousand_names() {
    let n = 100_000usize;
    let names: Vec<String> = (0..n)
        .map(|i| match i % 3 {
            0 => format!("c{i}"),
            1 => "dup".to_string(),
            _ => format!("bad name {i}"),
        })
        .collect();
    let mut text = names.join(",");
    text.push('\n');
    text.push_str(&vec!["1"; n].join(","));
    text.push('\n');
    let opts = GenfromtxtOptions {
        delimiter: Delimiter::Str(",".into()),
        names: Names::FirstLine,
        ..GenfromtxtOptions::default()
    };
    let cpu = || {
        let mut t = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `t` is a valid timespec to write.
        unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
        t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
    };
    let t = cpu();
    let got = npyio::text::genfromtxt_from_bytes(text.as_bytes(), "wide.csv", &opts).unwrap();
    eprintln!("genfromtxt, {n} names: {:.3} s of CPU", cpu() - t);
    let npyio::dtype::Layout::Record(fields) = got.data.header().dtype.layout() else {
        panic!("not a record dtype: {:?}", got.data.header().dtype);
    };
    assert_eq!(fields.len(), n);
    assert_eq!(fields[0].name, "c0");
    assert_eq!(fields[1].name, "dup");
    assert_eq!(fields[4].name, "dup_1");
    assert_eq!(fields[2].name, "bad_name_2");
}
