//! NumPy's own text tests for converters, datetime and longdouble columns
//! and a set of corrected results, each run against NumPy in the same
//! test: the text is written, NumPy's function loads it (the expected
//! array saved as .npy), libnpyio loads it, dtype, shape and bytes must
//! be equal; where NumPy raises, libnpyio must fail with the status and a
//! message naming the problem.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{
    genfromtxt_from_bytes, loadtxt_from_bytes, savetxt_to_vec, GenfromtxtOptions, LoadtxtOptions,
    Names, SavetxtOptions,
};
use npyio::{DType, NpyFile, Status};
use std::path::PathBuf;

/// A scratch directory for one test.
fn dir(name: &str) -> PathBuf {
    common::scratch(&format!("numpy_text_convert/{name}"))
}

/// Write `text` to `d/in.txt`, run `call` (a NumPy expression over `f`,
/// the file's path) and save its result as `d/out.npy`; return that file.
fn numpy(d: &std::path::Path, text: &[u8], call: &str) -> NpyFile {
    std::fs::write(d.join("in.txt"), text).unwrap();
    common::py(
        d,
        &format!(
            "import numpy as np, io\nf = 'in.txt'\nr = {call}\nnp.save('out.npy', np.asarray(r))\n"
        ),
    );
    NpyFile::open(d.join("out.npy")).unwrap()
}

/// Whether NumPy raises on `call`; returns the exception's text.
fn numpy_raises(d: &std::path::Path, text: &[u8], call: &str) -> String {
    std::fs::write(d.join("in.txt"), text).unwrap();
    common::py(
        d,
        &format!(
            "import numpy as np, io\nf = 'in.txt'\ntry:\n    {call}\n    print('OK')\nexcept Exception as e:\n    print(type(e).__name__, e)\n"
        ),
    )
}

fn same(ours: &NpyFile, theirs: &NpyFile) {
    if let Err(m) = text_util::same(ours, theirs) {
        panic!("{m}");
    }
}

fn dt(s: &str) -> DType {
    DType::parse(s).unwrap()
}

// ---- genfromtxt: names + usecols + a structured dtype ----

#[test]
fn genfromtxt_names_usecols_structured_dtype_names_the_used_columns() {
    let d = dir("names_usecols");
    let text = b"A,B,C\n1,2,3\n4,5,6\n";
    for (descr, call_dt) in [
        (
            "[('a','<i4'),('b','<f8'),('c','<i4')]",
            "[('a','<i4'),('b','<f8'),('c','<i4')]",
        ),
        ("[('a','<i4'),('c','<f8')]", "[('a','<i4'),('c','<f8')]"),
    ] {
        let np = numpy(
            &d,
            text,
            &format!(
                "np.genfromtxt(f, delimiter=',', names=True, usecols=(0, 2), dtype={call_dt})"
            ),
        );
        let o = GenfromtxtOptions {
            dtype: dt(descr),
            delimiter: npyio::text::Delimiter::Str(",".into()),
            names: Names::FirstLine,
            usecols: Some(vec![0, 2]),
            ..Default::default()
        };
        let g = genfromtxt_from_bytes(text, "in.txt", &o).unwrap();
        same(&g.data, &np);
    }
    // Names given as a list, and a negative index.
    let text = b"1,2,3\n4,5,6\n";
    let np = numpy(
        &d,
        text,
        "np.genfromtxt(f, delimiter=',', names='A,B,C', usecols=(0, -1), dtype=[('a','<i4'),('b','<f8'),('c','<i4')])",
    );
    let o = GenfromtxtOptions {
        dtype: dt("[('a','<i4'),('b','<f8'),('c','<i4')]"),
        delimiter: npyio::text::Delimiter::Str(",".into()),
        names: Names::List(vec!["A".into(), "B".into(), "C".into()]),
        usecols: Some(vec![0, -1]),
        ..Default::default()
    };
    let g = genfromtxt_from_bytes(text, "in.txt", &o).unwrap();
    same(&g.data, &np);
}

// ---- loadtxt: a quote left open at the end of the file ----

#[test]
fn loadtxt_quote_open_at_end_of_file_keeps_the_field() {
    let d = dir("open_quote");
    let cases: [(&[u8], &str); 6] = [
        (b"1,\"abc", "U3"),
        (b"a,b\n\"c\",\"d\ne,f\n", "U8"),
        (b"\"1,2\n", "U4"),
        (b"1,\"2\n3,4\n", "U6"),
        (b"1,\"", "U1"),
        (b"1,\"ab\"\"c", "U4"),
    ];
    for (text, u) in cases {
        let np = numpy(
            &d,
            text,
            &format!("np.loadtxt(f, delimiter=',', quotechar='\"', dtype='{u}')"),
        );
        let o = LoadtxtOptions {
            dtype: dt(&format!("<{u}")),
            delimiter: Some(",".into()),
            quotechar: Some("\"".into()),
            ..Default::default()
        };
        let ours = loadtxt_from_bytes(text, "in.txt", &o)
            .unwrap_or_else(|e| panic!("{:?}: {e}", String::from_utf8_lossy(text)));
        same(&ours, &np);
    }
    for text in [&b"1,\"2"[..], b"1,\"2 "] {
        let np = numpy(&d, text, "np.loadtxt(f, delimiter=',', quotechar='\"')");
        let o = LoadtxtOptions {
            delimiter: Some(",".into()),
            quotechar: Some("\"".into()),
            ..Default::default()
        };
        same(&loadtxt_from_bytes(text, "in.txt", &o).unwrap(), &np);
    }
}

// ---- savetxt: a 0-d array ----

#[test]
fn savetxt_refuses_a_0d_array_as_numpy() {
    let d = dir("savetxt_0d");
    let np = numpy_raises(&d, b"", "np.savetxt(io.StringIO(), np.array(1.0))");
    assert!(
        np.starts_with("ValueError Expected 1D or 2D array, got 0D array instead"),
        "{np}"
    );
    let e = savetxt_to_vec(
        &dt("<f8"),
        &[],
        &1.0f64.to_le_bytes(),
        &SavetxtOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg);
    assert!(
        e.message()
            .contains("Expected 1D or 2D array, got 0D array instead"),
        "{e}"
    );
    // Through a file: the path is named and nothing is written.
    let p = d.join("zero.txt");
    let e = npyio::text::savetxt(
        &p,
        &dt("<f8"),
        &[],
        &1.0f64.to_le_bytes(),
        &SavetxtOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg);
    assert!(
        e.message().contains("zero.txt") && e.message().contains("0D"),
        "{e}"
    );
    assert!(!p.exists());
}

// ---- genfromtxt: a filling value given as a float for an integer column ----

#[test]
fn genfromtxt_float_filling_value_on_an_int_column_is_truncated() {
    let d = dir("fill_float");
    let text = b"1,,3\n4,5,\n";
    for (ty, fill) in [
        ("i8", "0.0"),
        ("i8", "1.9"),
        ("i8", "-2.7"),
        ("i4", "0.0"),
        ("u1", "0.5"),
        ("i2", "7"),
    ] {
        let np = numpy(
            &d,
            text,
            &format!("np.genfromtxt(f, delimiter=',', dtype='{ty}', filling_values={fill})"),
        );
        let o = GenfromtxtOptions {
            dtype: dt(&format!("<{ty}")),
            delimiter: npyio::text::Delimiter::Str(",".into()),
            filling_value: Some(fill.into()),
            ..Default::default()
        };
        let g = genfromtxt_from_bytes(text, "in.txt", &o)
            .unwrap_or_else(|e| panic!("{ty} {fill}: {e}"));
        same(&g.data, &np);
    }
    // Values NumPy cannot make an integer of stay errors.
    for (ty, fill) in [("i8", "nan"), ("i8", "1e30"), ("u1", "-2.7"), ("i8", "inf")] {
        let pyfill = match fill {
            "nan" | "inf" => format!("float('{fill}')"),
            f => f.to_string(),
        };
        let np = numpy_raises(
            &d,
            text,
            &format!("np.genfromtxt(f, delimiter=',', dtype='{ty}', filling_values={pyfill})"),
        );
        assert!(!np.starts_with("OK"), "{np}");
        let o = GenfromtxtOptions {
            dtype: dt(&format!("<{ty}")),
            delimiter: npyio::text::Delimiter::Str(",".into()),
            filling_value: Some(fill.into()),
            ..Default::default()
        };
        let e = genfromtxt_from_bytes(text, "in.txt", &o).unwrap_err();
        assert!(e.message().contains(fill), "{ty} {fill}: {e}");
    }
}

// ---- genfromtxt: control bytes 0x1C-0x1F next to numbers ----

#[test]
fn genfromtxt_control_bytes_next_to_numbers_are_not_stripped() {
    let d = dir("ctl_bytes");
    for c in 0x1cu8..=0x1f {
        let text = [b'1', c, b',', b'2', b'\n', c, b'3', b',', c, b'\n'];
        for (ty, autostrip) in [
            ("f8", false),
            ("i8", false),
            ("i4", false),
            ("c16", false),
            ("f8", true),
        ] {
            let call = format!(
                "np.genfromtxt(f, delimiter=',', dtype='{ty}', usemask=True, autostrip={})",
                if autostrip { "True" } else { "False" }
            );
            std::fs::write(d.join("in.txt"), text).unwrap();
            common::py(
                &d,
                &format!("import numpy as np\nr = {}\nnp.save('out.npy', r.data)\nnp.save('mask.npy', r.mask)\n",
                    call.replace("(f,", "('in.txt',")),
            );
            let o = GenfromtxtOptions {
                dtype: dt(&format!("<{ty}")),
                delimiter: npyio::text::Delimiter::Str(",".into()),
                autostrip,
                usemask: true,
                ..Default::default()
            };
            let g = genfromtxt_from_bytes(&text, "in.txt", &o).unwrap();
            let what = format!("byte {c:#x} {ty} autostrip {autostrip}");
            text_util::same(&g.data, &NpyFile::open(d.join("out.npy")).unwrap())
                .unwrap_or_else(|m| panic!("{what}: {m}"));
            text_util::same(
                g.mask.as_ref().unwrap(),
                &NpyFile::open(d.join("mask.npy")).unwrap(),
            )
            .unwrap_or_else(|m| panic!("{what} mask: {m}"));
        }
        // Whitespace-delimited: Python's split() separates on them.
        let text = [b'1', c, b'2', b'\n', b'3', b' ', b'4', b'\n'];
        let np = numpy(&d, &text, "np.genfromtxt(f)");
        let g = genfromtxt_from_bytes(&text, "in.txt", &GenfromtxtOptions::default()).unwrap();
        same(&g.data, &np);
    }
}

// ---- a structured dtype with fewer fields than columns ----

#[test]
fn structured_dtype_with_fewer_fields_than_columns() {
    let d = dir("fewer_fields");
    let descr = "[('a','<i4'),('b','<f8')]";
    // genfromtxt uses the first columns.
    for (text, names) in [
        (&b"1 2 3\n4 5 6\n"[..], false),
        (b"A B C\n1 2 3\n4 5 6\n", true),
    ] {
        let np = numpy(
            &d,
            text,
            &format!(
                "np.genfromtxt(f, dtype={descr}, names={})",
                if names { "True" } else { "None" }
            ),
        );
        let o = GenfromtxtOptions {
            dtype: dt(descr),
            names: if names { Names::FirstLine } else { Names::None },
            ..Default::default()
        };
        let g = genfromtxt_from_bytes(text, "in.txt", &o).unwrap();
        same(&g.data, &np);
    }
    // Missing values in the first columns, names given, usecols.
    for (text, extra, o) in [
        (
            &b"1,,3\n4,5,\n"[..],
            "delimiter=','",
            GenfromtxtOptions {
                dtype: dt(descr),
                delimiter: npyio::text::Delimiter::Str(",".into()),
                ..Default::default()
            },
        ),
        (
            b"1 2 3\n4 5 6\n",
            "names='x,y,z'",
            GenfromtxtOptions {
                dtype: dt(descr),
                names: Names::List(vec!["x".into(), "y".into(), "z".into()]),
                ..Default::default()
            },
        ),
        (
            b"1 2 3\n4 5 6\n",
            "names='x,y,z', usecols=(0, 2)",
            GenfromtxtOptions {
                dtype: dt(descr),
                names: Names::List(vec!["x".into(), "y".into(), "z".into()]),
                usecols: Some(vec![0, 2]),
                ..Default::default()
            },
        ),
    ] {
        let np = numpy(
            &d,
            text,
            &format!("np.genfromtxt(f, dtype={descr}, {extra})"),
        );
        same(
            &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
            &np,
        );
    }
    // With a mask, or a dtype of one field, NumPy refuses it.
    let text = b"1 2 3\n4 5 6\n";
    for (d2, mask) in [(descr, true), ("[('a','<i4')]", false)] {
        let np = numpy_raises(
            &d,
            text,
            &format!(
                "np.genfromtxt(f, dtype={d2}, usemask={})",
                if mask { "True" } else { "False" }
            ),
        );
        assert!(np.starts_with("ValueError"), "{np}");
        let o = GenfromtxtOptions {
            dtype: dt(d2),
            usemask: mask,
            ..Default::default()
        };
        let e = genfromtxt_from_bytes(text, "in.txt", &o).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArg);
        assert!(
            e.message().contains("in.txt") && e.message().contains("3 columns"),
            "{e}"
        );
    }
    // loadtxt refuses it, naming the counts.
    let text = b"1 2 3\n4 5 6\n";
    let np = numpy_raises(&d, text, &format!("np.loadtxt(f, dtype={descr})"));
    assert!(np.contains("requires 2 columns but 3 were found"), "{np}");
    let o = LoadtxtOptions {
        dtype: dt(descr),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
    assert!(e.message().contains("in.txt"), "{e}");
    assert!(
        e.message().contains('2') && e.message().contains('3'),
        "{e}"
    );
    // More fields than columns: both refuse.
    let more = "[('a','<i4'),('b','<f8'),('c','<i4')]";
    let text = b"1 2\n4 5\n";
    assert!(!numpy_raises(&d, text, &format!("np.genfromtxt(f, dtype={more})")).starts_with("OK"));
    let o = GenfromtxtOptions {
        dtype: dt(more),
        ..Default::default()
    };
    assert!(genfromtxt_from_bytes(text, "in.txt", &o).is_err());
}

// ---- non-Latin-1 characters in a bytes field ----

#[test]
fn non_latin1_characters_in_a_bytes_field() {
    let d = dir("non_latin1");
    let text = "ab\u{20ac}\nx\n".as_bytes();
    // loadtxt: the field is cut to the length first; what is cut off does not matter.
    let np = numpy(&d, text, "np.loadtxt(f, dtype='S2', encoding='utf-8')");
    let o = LoadtxtOptions {
        dtype: dt("|S2"),
        ..Default::default()
    };
    same(&loadtxt_from_bytes(text, "in.txt", &o).unwrap(), &np);
    let np = numpy_raises(&d, text, "np.loadtxt(f, dtype='S3', encoding='utf-8')");
    assert!(np.starts_with("ValueError"), "{np}");
    let o = LoadtxtOptions {
        dtype: dt("|S3"),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message().contains("line 1") && e.message().contains("S3"),
        "{e}"
    );
    // genfromtxt: the value does not convert, so the filling value is used
    // (loose) or it is an error (strict).
    for (ty, extra, fill) in [
        ("S2", "", None),
        ("S3", "", None),
        ("S2", ", filling_values='zz'", Some("zz")),
    ] {
        let np = numpy(
            &d,
            text,
            &format!("np.genfromtxt(f, dtype='{ty}', encoding='utf-8'{extra})"),
        );
        let o = GenfromtxtOptions {
            dtype: dt(&format!("|{ty}")),
            filling_value: fill.map(String::from),
            ..Default::default()
        };
        same(
            &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
            &np,
        );
    }
    let np = numpy_raises(
        &d,
        text,
        "np.genfromtxt(f, dtype='S2', loose=False, encoding='utf-8')",
    );
    assert!(np.starts_with("ValueError"), "{np}");
    let o = GenfromtxtOptions {
        dtype: dt("|S2"),
        loose: false,
        ..Default::default()
    };
    let e = genfromtxt_from_bytes(text, "in.txt", &o).unwrap_err();
    assert!(
        e.message().contains("in.txt") && e.message().contains("line 1"),
        "{e}"
    );
}

// ---- -1 into an unsigned column ----

#[test]
fn minus_one_into_an_unsigned_column_says_it_does_not_fit() {
    let d = dir("minus_one");
    for ty in ["u1", "u2", "u4", "u8"] {
        let np = numpy_raises(&d, b"-1\n", &format!("np.loadtxt(f, dtype='{ty}')"));
        assert!(np.contains("could not convert string '-1'"), "{np}");
        let o = LoadtxtOptions {
            dtype: dt(&format!("<{ty}")),
            ..Default::default()
        };
        let e = loadtxt_from_bytes(b"-1\n", "in.txt", &o).unwrap_err();
        let m = e.message();
        assert!(!m.contains("float"), "{ty}: {m}");
        assert!(
            m.contains("in.txt") && m.contains("line 1") && m.contains("\"-1\""),
            "{ty}: {m}"
        );
        assert!(m.contains("uint") || m.contains(ty), "{ty}: {m}");
        let np = numpy_raises(&d, b"-1\n", &format!("np.genfromtxt(f, dtype='{ty}')"));
        assert!(np.contains("-1 out of bounds"), "{np}");
        let o = GenfromtxtOptions {
            dtype: dt(&format!("<{ty}")),
            ..Default::default()
        };
        let e = genfromtxt_from_bytes(b"-1\n", "in.txt", &o).unwrap_err();
        let m = e.message();
        assert!(!m.contains("a float"), "{ty}: {m}");
        assert!(m.contains("-1") && m.contains("out of bounds"), "{ty}: {m}");
    }
}

#[path = "numpy_text_convert/converters.rs"]
mod converters;
#[path = "numpy_text_convert/datetime.rs"]
mod datetime;
#[path = "numpy_text_convert/longdouble.rs"]
mod longdouble;

// ---- usemask with nested structured dtypes ----

/// NumPy's test_fancy_dtype_alt, with a missing value and a subarray too:
/// the mask has the dtype's structure with bools.
#[test]
fn usemask_with_nested_structured_dtypes() {
    let d = dir("usemask_nested");
    for (text, descr) in [
        (
            &b"1,2,3.0\n4,5,6.0\n"[..],
            "[('x','<i8'),('y',[('t','<i8'),('s','<f8')])]",
        ),
        (
            b"1,2,3.0\n4,,\n",
            "[('x','<i8'),('y',[('t','<i8'),('s','<f8')])]",
        ),
        (
            b"1,2,3,4.5\n,5,,6\n",
            "[('a','<i8'),('b','<i4',(2,)),('c','<f8')]",
        ),
    ] {
        std::fs::write(d.join("in.txt"), text).unwrap();
        common::py(
            &d,
            &format!("import numpy as np\nr = np.genfromtxt('in.txt', delimiter=',', dtype={descr}, usemask=True)\nnp.save('out.npy', r.data)\nnp.save('mask.npy', r.mask)\n"),
        );
        let o = GenfromtxtOptions {
            dtype: dt(descr),
            delimiter: npyio::text::Delimiter::Str(",".into()),
            usemask: true,
            ..Default::default()
        };
        let g = genfromtxt_from_bytes(text, "in.txt", &o).unwrap();
        same(&g.data, &NpyFile::open(d.join("out.npy")).unwrap());
        same(
            g.mask.as_ref().unwrap(),
            &NpyFile::open(d.join("mask.npy")).unwrap(),
        );
    }
}
