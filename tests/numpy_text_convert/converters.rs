//! Column converters (NumPy's `converters`), against NumPy's results.

use super::*;
use npyio::text::{Converted, Converter, ConverterColumn, Converters};
use std::sync::Arc;

/// A converter writing a native float64 from `f(text)` (`None`: invalid).
fn f64_conv(
    column: ConverterColumn,
    f: impl Fn(&str) -> Option<f64> + Send + Sync + 'static,
) -> Converter {
    Converter {
        column,
        func: Arc::new(move |b: &[u8], out: &mut [u8]| {
            match std::str::from_utf8(b).ok().and_then(&f) {
                Some(v) if out.len() == 8 => {
                    out.copy_from_slice(&v.to_ne_bytes());
                    Converted::Stored
                }
                _ => Converted::Invalid,
            }
        }),
    }
}

/// A converter writing a native integer of the slot's width.
fn int_conv(
    column: ConverterColumn,
    f: impl Fn(&str) -> Option<i64> + Send + Sync + 'static,
) -> Converter {
    Converter {
        column,
        func: Arc::new(move |b: &[u8], out: &mut [u8]| {
            match std::str::from_utf8(b).ok().and_then(&f) {
                Some(v) => {
                    let n = out.len();
                    out.copy_from_slice(&v.to_ne_bytes()[..n]);
                    Converted::Stored
                }
                None => Converted::Invalid,
            }
        }),
    }
}

/// A converter writing UCS-4 text of the slot's length.
fn str_conv(
    column: ConverterColumn,
    f: impl Fn(&str) -> String + Send + Sync + 'static,
) -> Converter {
    Converter {
        column,
        func: Arc::new(move |b: &[u8], out: &mut [u8]| {
            let Ok(s) = std::str::from_utf8(b) else {
                return Converted::Failed;
            };
            for (c, slot) in f(s).chars().zip(out.chunks_exact_mut(4)) {
                slot.copy_from_slice(&(c as u32).to_ne_bytes());
            }
            Converted::Stored
        }),
    }
}

fn py_float(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

fn loadtxt_case(d: &std::path::Path, text: &[u8], call: &str, o: LoadtxtOptions) {
    let np = numpy(d, text, call);
    for threads in [1, 2] {
        let o = LoadtxtOptions {
            threads,
            ..o.clone()
        };
        let ours = loadtxt_from_bytes(text, "in.txt", &o).unwrap_or_else(|e| panic!("{call}: {e}"));
        if let Err(m) = text_util::same(&ours, &np) {
            panic!("{call}: {m}");
        }
    }
}

fn genfromtxt_case(d: &std::path::Path, text: &[u8], call: &str, o: GenfromtxtOptions) {
    let np = numpy(d, text, call);
    let ours = genfromtxt_from_bytes(text, "in.txt", &o).unwrap_or_else(|e| panic!("{call}: {e}"));
    if let Err(m) = text_util::same(&ours.data, &np) {
        panic!("{call}: {m}");
    }
}

#[test]
fn loadtxt_converters_as_numpy() {
    use ConverterColumn::*;
    let d = dir("loadtxt_converters");
    let comma = || Some(",".to_string());
    let nan_xxx = |s: &str| {
        if s == "XXX" {
            Some(f64::NAN)
        } else {
            py_float(s)
        }
    };
    // Negative indices.
    loadtxt_case(
        &d,
        b"1.5,2.5\n3.0,XXX\n5.5,6.0",
        "np.loadtxt(f, delimiter=',', converters={-1: lambda s: np.nan if s == 'XXX' else float(s)})",
        LoadtxtOptions {
            delimiter: comma(),
            converters: Converters(vec![f64_conv(Index(-1), nan_xxx)]),
            ..Default::default()
        },
    );
    // Negative indices with usecols: the key is matched against usecols as given.
    loadtxt_case(
        &d,
        b"1.5,2.5,3.5\n3.0,4.0,XXX\n5.5,6.0,7.5\n",
        "np.loadtxt(f, delimiter=',', usecols=[0, -1], converters={-1: lambda s: np.nan if s == 'XXX' else float(s)})",
        LoadtxtOptions {
            delimiter: comma(),
            usecols: Some(vec![0, -1]),
            converters: Converters(vec![f64_conv(Index(-1), nan_xxx)]),
            ..Default::default()
        },
    );
    loadtxt_case(
        &d,
        b"0,1,2\n0,1,2,3,4",
        "np.loadtxt(f, delimiter=',', usecols=[0, -1], converters={-1: lambda x: -1})",
        LoadtxtOptions {
            delimiter: comma(),
            usecols: Some(vec![0, -1]),
            converters: Converters(vec![f64_conv(Index(-1), |_| Some(-1.0))]),
            ..Default::default()
        },
    );
    // Unicode text through a converter.
    loadtxt_case(
        &d,
        "cat,dog\n\u{3b1}\u{3b2}\u{3b3},\u{3b4}\u{3b5}\u{3b6}\nabc,def\n".as_bytes(),
        "np.loadtxt(f, dtype='U12', delimiter=',', encoding='utf-8', converters={0: lambda s: s.upper()})",
        LoadtxtOptions {
            dtype: dt("<U12"),
            delimiter: comma(),
            converters: Converters(vec![str_conv(Index(0), |s| s.to_uppercase())]),
            ..Default::default()
        },
    );
    // A structured dtype: the converter writes the field's type.
    loadtxt_case(
        &d,
        b"1.5,2.5,Abc\n3.0,4.0,dEf\n5.5,6.0,ghI\n",
        "np.loadtxt(f, dtype=[('m', '<i4'), ('r', '<f4'), ('code', '<U8')], delimiter=',', converters={0: lambda s: int(10 * float(s)), -1: lambda s: s.upper()})",
        LoadtxtOptions {
            dtype: dt("[('m', '<i4'), ('r', '<f4'), ('code', '<U8')]"),
            delimiter: comma(),
            converters: Converters(vec![
                int_conv(Index(0), |s| py_float(s).map(|v| (10.0 * v) as i64)),
                str_conv(Index(-1), |s| s.to_uppercase()),
            ]),
            ..Default::default()
        },
    );
    // Empty fields and usecols.
    let or_999 = |s: &str| {
        if s.is_empty() {
            Some(-999)
        } else {
            s.trim().parse().ok()
        }
    };
    loadtxt_case(
        &d,
        b"1,2,3,,5\n6,7,8,9,10\n",
        "np.loadtxt(f, dtype=int, delimiter=',', converters={3: lambda s: int(s or -999)}, usecols=(1, 3))",
        LoadtxtOptions {
            dtype: dt("<i8"),
            delimiter: comma(),
            usecols: Some(vec![1, 3]),
            converters: Converters(vec![int_conv(Index(3), or_999)]),
            ..Default::default()
        },
    );
    loadtxt_case(
        &d,
        b"1,2,3,,5\n",
        "np.loadtxt(f, dtype=int, delimiter=',', converters={3: lambda s: int(s or -999)})",
        LoadtxtOptions {
            dtype: dt("<i8"),
            delimiter: comma(),
            converters: Converters(vec![int_conv(Index(3), or_999)]),
            ..Default::default()
        },
    );
    // A converter for a column not used is ignored.
    let hex = |s: &str| i64::from_str_radix(s.trim(), 16).ok();
    for (k, call) in [
        (
            0,
            "np.loadtxt(f, usecols=(1,), converters={0: lambda s: int(s, 16)})",
        ),
        (
            1,
            "np.loadtxt(f, usecols=(1,), converters={1: lambda s: int(s, 16)})",
        ),
    ] {
        loadtxt_case(
            &d,
            b"1 21\n3 42\n",
            call,
            LoadtxtOptions {
                usecols: Some(vec![1]),
                converters: Converters(vec![f64_conv(Index(k), move |s| hex(s).map(|v| v as f64))]),
                ..Default::default()
            },
        );
    }
    // One converter for every column; the field is not stripped.
    loadtxt_case(
        &d,
        b" 1, 2 ,\n4,,6\n",
        "np.loadtxt(f, delimiter=',', converters=lambda s: float(len(s) * 100 + float(s.strip() or 0)))",
        LoadtxtOptions {
            delimiter: comma(),
            converters: Converters(vec![f64_conv(All, |s| {
                Some(s.len() as f64 * 100.0 + s.trim().parse::<f64>().unwrap_or(0.0))
            })]),
            ..Default::default()
        },
    );
    // After quote handling: quotes removed, "" made ", the rest kept.
    loadtxt_case(
        &d,
        b"\"a\"\"b\" ,x\n\"c d\",y\n",
        "np.loadtxt(f, dtype='U8', delimiter=',', quotechar='\"', converters={0: lambda s: '[' + s + ']'})",
        LoadtxtOptions {
            dtype: dt("<U8"),
            delimiter: comma(),
            quotechar: Some("\"".into()),
            converters: Converters(vec![str_conv(Index(0), |s| format!("[{s}]"))]),
            ..Default::default()
        },
    );
}

#[test]
fn loadtxt_converter_errors_name_file_line_and_column() {
    use ConverterColumn::*;
    let d = dir("loadtxt_converter_errors");
    let text = b"1,2\n3,x\n";
    let np = numpy_raises(
        &d,
        text,
        "np.loadtxt(f, delimiter=',', converters={1: float})",
    );
    assert!(np.starts_with("ValueError"), "{np}");
    let o = LoadtxtOptions {
        delimiter: Some(",".into()),
        converters: Converters(vec![f64_conv(Index(1), py_float)]),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("in.txt: line 2, column 2: the converter refused \"x\""),
        "{e}"
    );
    // A column outside the row: NumPy's message.
    let np = numpy_raises(
        &d,
        text,
        "np.loadtxt(f, delimiter=',', converters={5: float})",
    );
    assert!(np.contains("converter specified for column 5"), "{np}");
    let o = LoadtxtOptions {
        delimiter: Some(",".into()),
        converters: Converters(vec![f64_conv(Index(5), py_float)]),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg);
    assert!(
        e.message().contains(
            "converter specified for column 5, which is invalid for the number of fields 2"
        ),
        "{e}"
    );
}

#[test]
fn genfromtxt_converters_as_numpy() {
    use ConverterColumn::*;
    let d = dir("genfromtxt_converters");
    let comma = || npyio::text::Delimiter::Str(",".into());
    let or_999 = |s: &str| {
        if s.is_empty() {
            Some(-999)
        } else {
            s.trim().parse().ok()
        }
    };
    genfromtxt_case(
        &d,
        b"1,2,3,,5\n6,7,8,9,10\n",
        "np.genfromtxt(f, dtype=int, delimiter=',', converters={3: lambda s: int(s or -999)}, usecols=(1, 3))",
        GenfromtxtOptions {
            dtype: dt("<i8"),
            delimiter: comma(),
            usecols: Some(vec![1, 3]),
            converters: Converters(vec![int_conv(Index(3), or_999)]),
            ..Default::default()
        },
    );
    let hex = |s: &str| i64::from_str_radix(s.trim(), 16).ok().map(|v| v as f64);
    for (k, call) in [
        (
            0,
            "np.genfromtxt(f, usecols=(1,), converters={0: lambda s: int(s, 16)})",
        ),
        // NumPy gives the column the converter's type (int); here the
        // column keeps the dtype asked for, which the converter writes.
        (
            1,
            "np.genfromtxt(f, usecols=(1,), converters={1: lambda s: int(s, 16)}).astype(float)",
        ),
    ] {
        genfromtxt_case(
            &d,
            b"1 21\n  3 42\n",
            call,
            GenfromtxtOptions {
                usecols: Some(vec![1]),
                converters: Converters(vec![f64_conv(Index(k), hex)]),
                ..Default::default()
            },
        );
    }
    genfromtxt_case(
        &d,
        b"q1,2\nq3,4",
        "np.genfromtxt(f, delimiter=',', converters={0: lambda s: float(s[1:])})",
        GenfromtxtOptions {
            delimiter: comma(),
            converters: Converters(vec![f64_conv(Index(0), |s| py_float(s.get(1..)?))]),
            ..Default::default()
        },
    );
    // The field as split (not stripped without autostrip), missing ones too.
    for autostrip in [false, true] {
        genfromtxt_case(
            &d,
            b" 1, 2 ,3\n4,, \n",
            &format!(
                "np.genfromtxt(f, delimiter=',', autostrip={}, converters={{1: lambda s: len(s) * 100 + float(s.strip() or 0)}})",
                if autostrip { "True" } else { "False" }
            ),
            GenfromtxtOptions {
                delimiter: comma(),
                autostrip,
                converters: Converters(vec![f64_conv(Index(1), |s| {
                    Some(s.len() as f64 * 100.0 + s.trim().parse::<f64>().unwrap_or(0.0))
                })]),
                ..Default::default()
            },
        );
    }
    // A converter that refuses a field: the filling value (loose).
    genfromtxt_case(
        &d,
        b"3,4\n1,x\n",
        "np.genfromtxt(f, delimiter=',', converters={1: float}, filling_values=-5.0)",
        GenfromtxtOptions {
            delimiter: comma(),
            filling_value: Some("-5".into()),
            converters: Converters(vec![f64_conv(Index(1), py_float)]),
            ..Default::default()
        },
    );
}

#[test]
fn genfromtxt_converter_masks_missing_fields_and_fails_when_strict() {
    use ConverterColumn::*;
    let d = dir("genfromtxt_converter_mask");
    let text = b"1,,3\n4,5,6\n";
    std::fs::write(d.join("in.txt"), text).unwrap();
    common::py(
        &d,
        "import numpy as np\nr = np.genfromtxt('in.txt', delimiter=',', usemask=True, converters={1: lambda s: float(s or -999)})\nnp.save('out.npy', r.data)\nnp.save('mask.npy', r.mask)\n",
    );
    let o = GenfromtxtOptions {
        delimiter: npyio::text::Delimiter::Str(",".into()),
        usemask: true,
        converters: Converters(vec![f64_conv(Index(1), |s| {
            if s.is_empty() {
                Some(-999.0)
            } else {
                py_float(s)
            }
        })]),
        ..Default::default()
    };
    let g = genfromtxt_from_bytes(text, "in.txt", &o).unwrap();
    same(&g.data, &NpyFile::open(d.join("out.npy")).unwrap());
    same(
        g.mask.as_ref().unwrap(),
        &NpyFile::open(d.join("mask.npy")).unwrap(),
    );
    // Strict: a refused field that is not missing is an error naming it.
    let np = numpy_raises(
        &d,
        b"1,x\n",
        "np.genfromtxt(f, delimiter=',', loose=False, converters={1: float})",
    );
    assert!(np.starts_with("ValueError"), "{np}");
    let o = GenfromtxtOptions {
        delimiter: npyio::text::Delimiter::Str(",".into()),
        loose: false,
        converters: Converters(vec![f64_conv(Index(1), py_float)]),
        ..Default::default()
    };
    let e = genfromtxt_from_bytes(b"1,x\n", "in.txt", &o).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message().contains("in.txt: line 1, column 2") && e.message().contains("\"x\""),
        "{e}"
    );
    // A hard failure stops the load even when loose.
    let o = GenfromtxtOptions {
        delimiter: npyio::text::Delimiter::Str(",".into()),
        converters: Converters(vec![Converter {
            column: Index(1),
            func: Arc::new(|_: &[u8], _: &mut [u8]| Converted::Failed),
        }]),
        ..Default::default()
    };
    let e = genfromtxt_from_bytes(b"1,x\n", "in.txt", &o).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("line 1, column 2: the converter failed on \"x\""),
        "{e}"
    );
}

#[test]
fn converters_on_several_threads_give_the_same_result() {
    use ConverterColumn::*;
    let d = dir("converters_threads");
    let mut text = String::new();
    for i in 0..120_000 {
        text.push_str(&format!("{i},x{},{}\n", i % 97, i * 3));
    }
    let call = "np.loadtxt(f, delimiter=',', converters={1: lambda s: float(s[1:]) * 2})";
    let o = LoadtxtOptions {
        delimiter: Some(",".into()),
        converters: Converters(vec![f64_conv(Index(1), |s| {
            py_float(s.get(1..)?).map(|v| v * 2.0)
        })]),
        ..Default::default()
    };
    loadtxt_case(&d, text.as_bytes(), call, o);
    let call = "np.genfromtxt(f, delimiter=',', converters={1: lambda s: float(s[1:]) * 2})";
    let np = numpy(&d, text.as_bytes(), call);
    for threads in [1, 2] {
        let o = GenfromtxtOptions {
            delimiter: npyio::text::Delimiter::Str(",".into()),
            threads,
            converters: Converters(vec![f64_conv(Index(1), |s| {
                py_float(s.get(1..)?).map(|v| v * 2.0)
            })]),
            ..Default::default()
        };
        same(
            &genfromtxt_from_bytes(text.as_bytes(), "in.txt", &o)
                .unwrap()
                .data,
            &np,
        );
    }
}
