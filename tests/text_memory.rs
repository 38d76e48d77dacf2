//! Text tables with one 10 MB line, read under a 250 MB address-space
//! limit (`RLIMIT_AS`, as `ulimit -v 250000`) in a child process: each
//! either parses to the right result or fails with a specific status and a
//! message naming the problem — never an abort.

use npyio_test_support as common;

use npyio::text::{genfromtxt, loadtxt, Delimiter, GenfromtxtOptions, LoadtxtOptions, Names};
use npyio::{DType, NpyFile};
use std::path::Path;

/// The address-space limit of the child processes.
const LIMIT: u64 = 250 << 20;

/// Length of the single line of each text.
const LINE: usize = 10 << 20;

/// The texts: name, contents.
fn texts() -> Vec<(&'static str, Vec<u8>)> {
    let rep = |unit: &[u8]| -> Vec<u8> {
        let mut v = Vec::with_capacity(LINE + unit.len());
        while v.len() < LINE {
            v.extend_from_slice(unit);
        }
        v
    };
    let mut ones_comma = rep(b"1,");
    ones_comma.pop();
    let mut ones_space = rep(b"1 ");
    ones_space.pop();
    let mut quoted = rep(b"\"a\",");
    quoted.pop();
    vec![
        ("ones_comma.txt", ones_comma),
        ("ones_space.txt", ones_space),
        ("one_field.txt", rep(b"1")),
        ("commas.txt", rep(b",")),
        ("quoted.txt", quoted),
        ("words.txt", rep(b"word ")),
        ("quoted_field.txt", [&b"\""[..], &rep(b"x"), b"\""].concat()),
    ]
}

/// What the child does with a text: (case, file).
const CASES: &[(&str, &str)] = &[
    ("loadtxt_f8_comma", "ones_comma.txt"),
    ("loadtxt_f8_space", "ones_space.txt"),
    ("loadtxt_f8_one_field", "one_field.txt"),
    ("loadtxt_u1_commas", "commas.txt"),
    ("loadtxt_f8_commas", "commas.txt"),
    ("loadtxt_s1_quoted", "quoted.txt"),
    ("loadtxt_usecols", "ones_comma.txt"),
    ("loadtxt_i8_one_field", "one_field.txt"),
    ("loadtxt_s2_quoted_field", "quoted_field.txt"),
    ("to_npy_f8_comma", "ones_comma.txt"),
    ("genfromtxt_f8_comma", "ones_comma.txt"),
    ("genfromtxt_f8_space", "ones_space.txt"),
    ("genfromtxt_f8_one_field", "one_field.txt"),
    ("genfromtxt_i8_one_field", "one_field.txt"),
    ("genfromtxt_f8_commas", "commas.txt"),
    ("genfromtxt_names", "words.txt"),
];

fn set_limit() {
    // NPYIO_MEM_LIMIT (bytes) overrides the limit, for measurements by hand.
    let limit = std::env::var("NPYIO_MEM_LIMIT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(LIMIT);
    common::limit_address_space(limit);
}

fn comma() -> Option<String> {
    Some(",".into())
}

/// Describe a result in one line: "ok SHAPE FIRST LAST" or "err STATUS MESSAGE".
fn describe(r: npyio::Result<NpyFile>) -> String {
    match r {
        Ok(f) => {
            let h = f.header();
            let mut d = vec![0u8; f.nbytes() as usize];
            f.read_into(&mut d, 0).unwrap();
            let n = h.dtype.itemsize();
            let cell = |c: &[u8]| -> String {
                match h.dtype.descr().as_str() {
                    "'<f8'" => format!("{}", f64::from_le_bytes(c.try_into().unwrap())),
                    "'<i8'" => format!("{}", i64::from_le_bytes(c.try_into().unwrap())),
                    _ => format!("{c:?}"),
                }
            };
            let (first, last) = if d.len() >= n && n > 0 {
                (cell(&d[..n]), cell(&d[d.len() - n..]))
            } else {
                (String::new(), String::new())
            };
            format!("ok {:?} {first} {last}", h.shape)
        }
        Err(e) => format!("err {:?} {}", e.status(), e.message()),
    }
}

/// The child: one case under the limit; prints the outcome on stdout.
#[test]
fn child_case() {
    let (Some(case), Some(file)) = (
        std::env::var_os("NPYIO_MEM_CASE"),
        std::env::var_os("NPYIO_MEM_FILE"),
    ) else {
        return; // only meaningful in the child process
    };
    let case = case.to_str().unwrap().to_string();
    let path = Path::new(&file).to_path_buf();
    let lo = |dt: &str| LoadtxtOptions {
        dtype: DType::parse(dt).unwrap(),
        threads: 1,
        ..Default::default()
    };
    let go = |dt: &str| GenfromtxtOptions {
        dtype: DType::parse(dt).unwrap(),
        threads: 1,
        ..Default::default()
    };
    set_limit();
    let out = match case.as_str() {
        "loadtxt_f8_comma" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                delimiter: comma(),
                ..lo("<f8")
            },
        )),
        "loadtxt_f8_space" | "loadtxt_f8_one_field" => describe(loadtxt(&path, &lo("<f8"))),
        "loadtxt_u1_commas" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                delimiter: comma(),
                ..lo("<U1")
            },
        )),
        "loadtxt_f8_commas" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                delimiter: comma(),
                ..lo("<f8")
            },
        )),
        "loadtxt_s1_quoted" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                delimiter: comma(),
                quotechar: Some("\"".into()),
                ..lo("|S1")
            },
        )),
        "loadtxt_i8_one_field" => describe(loadtxt(&path, &lo("<i8"))),
        "loadtxt_s2_quoted_field" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                quotechar: Some("\"".into()),
                ..lo("|S2")
            },
        )),
        "loadtxt_usecols" => describe(loadtxt(
            &path,
            &LoadtxtOptions {
                delimiter: comma(),
                usecols: Some(vec![0, -1]),
                ..lo("<f8")
            },
        )),
        "to_npy_f8_comma" => {
            let out = path.with_extension("npy");
            let r = npyio::text::loadtxt_to_npy(
                &path,
                &out,
                &LoadtxtOptions {
                    delimiter: comma(),
                    ..lo("<f8")
                },
            );
            describe(r.and_then(|_| NpyFile::open(&out)))
        }
        "genfromtxt_f8_comma" | "genfromtxt_f8_commas" => describe(
            genfromtxt(
                &path,
                &GenfromtxtOptions {
                    delimiter: Delimiter::Str(",".into()),
                    ..go("<f8")
                },
            )
            .map(|g| g.data),
        ),
        "genfromtxt_f8_space" | "genfromtxt_f8_one_field" => {
            describe(genfromtxt(&path, &go("<f8")).map(|g| g.data))
        }
        "genfromtxt_i8_one_field" => describe(genfromtxt(&path, &go("<i8")).map(|g| g.data)),
        "genfromtxt_names" => describe(
            genfromtxt(
                &path,
                &GenfromtxtOptions {
                    names: Names::FirstLine,
                    ..go("<f8")
                },
            )
            .map(|g| g.data),
        ),
        other => panic!("unknown case {other}"),
    };
    println!("RESULT {out}");
}

#[test]
fn one_long_line_under_a_memory_limit() {
    let d = common::scratch("text_memory");
    for (name, text) in texts() {
        std::fs::write(d.join(name), text).unwrap();
    }
    let n_ones = LINE / 2;
    let mut failures = Vec::new();
    for (case, file) in CASES {
        let o = common::test_in_child("child_case")
            .env("NPYIO_MEM_CASE", case)
            .env("NPYIO_MEM_FILE", d.join(file))
            .output()
            .unwrap();
        let result = match common::child_result(&o) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{case}: {e}"));
                continue;
            }
        };
        let want: &[&str] = match *case {
            "loadtxt_f8_comma"
            | "loadtxt_f8_space"
            | "to_npy_f8_comma"
            | "genfromtxt_f8_comma"
            | "genfromtxt_f8_space" => &[&format!("ok [{n_ones}] 1 1")],
            "loadtxt_f8_one_field" | "genfromtxt_f8_one_field" => &["ok [] inf inf"],
            // int() refuses more than 4300 digits: the filling value.
            "genfromtxt_i8_one_field" => &["ok [] -1 -1"],
            "loadtxt_u1_commas" => &[&format!("ok [{}] [0, 0, 0, 0] [0, 0, 0, 0]", LINE + 1)],
            "loadtxt_f8_commas" => &[
                "err Parse",
                "line 1, column 1: cannot parse \"\" as float64",
            ],
            "loadtxt_s1_quoted" => &[&format!("ok [{}] [97] [97]", LINE / 4)],
            "loadtxt_usecols" => &["ok [2] 1 1"],
            "loadtxt_i8_one_field" => &[
                "err Parse",
                "line 1, column 1: \"1111",
                "is out of range for int64",
            ],
            "loadtxt_s2_quoted_field" => &["ok [] [120, 120] [120, 120]"],
            "genfromtxt_f8_commas" => &[&format!("ok [{}] NaN NaN", LINE + 1)],
            // A dtype of 2M fields takes about 1 GB: refused before it is built.
            "genfromtxt_names" => &[
                "err Alloc",
                "words.txt: 2097152 field names",
                "cannot allocate about",
            ],
            other => panic!("no expectation for {other}"),
        };
        let ok = want.iter().all(|w| result.contains(w));
        if !ok {
            failures.push(format!("{case}: {result} (want {want:?})"));
        }
        eprintln!("{case}: {}", result.chars().take(160).collect::<String>());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
