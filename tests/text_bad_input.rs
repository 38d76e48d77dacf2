//! Bad text input: each kind of error has its own status and a message
//! naming the file, the line, the column and the offending text; NumPy
//! (asked in the same run) rejects the same inputs.

use npyio_test_support as common;

use npyio::text::{genfromtxt, loadtxt, GenfromtxtOptions, LoadtxtOptions};
use npyio::{DType, Status};

fn load(dir: &std::path::Path, name: &str, text: &[u8], o: &LoadtxtOptions) -> npyio::Error {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    let e = loadtxt(&p, o).expect_err(name);
    assert!(e.message().starts_with(&*p.to_string_lossy()), "{e}");
    e
}

/// NumPy must reject the file too (with the same dtype and delimiter).
fn numpy_rejects(dir: &std::path::Path, name: &str, kw: &str) {
    let code = format!(
        "import numpy as np, sys\ntry:\n    np.loadtxt(sys.argv[1], encoding='utf-8', {kw})\nexcept Exception as e:\n    print(type(e).__name__)\nelse:\n    print('accepted')"
    );
    let out = common::run_python(&["-c", &code, dir.join(name).to_str().unwrap()]);
    assert_ne!(out.trim(), "accepted", "NumPy accepted {name}");
}

#[test]
fn loadtxt_errors_name_line_column_and_text() {
    let dir = common::scratch("text_bad_input");
    let f8 = LoadtxtOptions::default();
    let i8o = LoadtxtOptions {
        dtype: DType::parse("<i8").unwrap(),
        ..Default::default()
    };
    let u1 = LoadtxtOptions {
        dtype: DType::parse("|u1").unwrap(),
        delimiter: Some(",".into()),
        ..Default::default()
    };

    let e = load(&dir, "text.txt", b"1 2 3\n4 5 6\n# c\n\n7 abc 9\n", &f8);
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .ends_with("line 5, column 2: cannot parse \"abc\" as float64"),
        "{e}"
    );
    numpy_rejects(&dir, "text.txt", "");

    let e = load(&dir, "overflow.csv", b"1,2\n3,256\n", &u1);
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .ends_with("line 2, column 2: \"256\" is out of range for uint8"),
        "{e}"
    );
    numpy_rejects(&dir, "overflow.csv", "dtype='u1', delimiter=','");

    let e = load(&dir, "float_in_int.txt", b"1 2\n3 4.5\n", &i8o);
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("line 2, column 2: cannot parse \"4.5\" as int64"),
        "{e}"
    );
    numpy_rejects(&dir, "float_in_int.txt", "dtype='i8'");

    let e = load(&dir, "ragged.txt", b"1 2 3\n4 5 6\n7 8\n", &f8);
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("line 3: the number of columns changed from 3 to 2"),
        "{e}"
    );
    numpy_rejects(&dir, "ragged.txt", "");

    let uc = LoadtxtOptions {
        usecols: Some(vec![0, 4]),
        ..Default::default()
    };
    let e = load(&dir, "usecols.txt", b"1 2 3\n", &uc);
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("line 1, column 5: no such column (usecols index 4"),
        "{e}"
    );
    numpy_rejects(&dir, "usecols.txt", "usecols=[0, 4]");

    let e = load(&dir, "utf8.txt", b"1 2\n3 4\n5 \xe9t\xff\n", &f8);
    assert_eq!(e.status(), Status::Encoding);
    assert!(
        e.message().contains("line 3, column 3: invalid UTF-8"),
        "{e}"
    );
    numpy_rejects(&dir, "utf8.txt", "");

    // (A quote still open at the end of the file is no error: the field is
    // the rest of the text, as NumPy reads it; see numpy_text_convert.rs.)

    // Parallel parsing reports the same first error, with its line.
    let mut big = String::new();
    for i in 0..200_000 {
        big.push_str(&format!("{i} {}.5\n", i * 2));
    }
    big.push_str("1 x\n");
    let o2 = LoadtxtOptions {
        threads: 2,
        ..Default::default()
    };
    let e = load(&dir, "big.txt", big.as_bytes(), &o2);
    assert!(
        e.message()
            .ends_with("line 200001, column 2: cannot parse \"x\" as float64"),
        "{e}"
    );
}

#[test]
fn genfromtxt_errors() {
    let dir = common::scratch("text_bad_input_gen");
    let p = dir.join("ragged.txt");
    std::fs::write(&p, "1 2\n3\n4 5\n6 7 8\n").unwrap();
    let e = genfromtxt(&p, &GenfromtxtOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(e.message().contains("line 2 has 1; line 4 has 3"), "{e}");
    let p = dir.join("strict.csv");
    std::fs::write(&p, "1,2\n3,zz\n").unwrap();
    let o = GenfromtxtOptions {
        loose: false,
        delimiter: npyio::text::Delimiter::Str(",".into()),
        ..Default::default()
    };
    let e = genfromtxt(&p, &o).unwrap_err();
    assert!(
        e.message()
            .ends_with("line 2, column 2: cannot convert \"zz\" to float64"),
        "{e}"
    );
    let p = dir.join("utf8.txt");
    std::fs::write(&p, b"1 2\n\xff 3\n").unwrap();
    let e = genfromtxt(&p, &GenfromtxtOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::Encoding);
    assert!(e.message().contains("line 2, column 1"), "{e}");
}

/// Unicode digits: np.loadtxt's own parsers take ASCII digits only (an
/// error naming the text), genfromtxt reads them as Python's int() and
/// float() do. Integers: int() refuses more than 4300 digits (invalid: an
/// error in strict mode), and a shorter one beyond int64 is an overflow.
#[test]
fn unicode_digits_and_long_integers() {
    let dir = common::scratch("text_bad_input_digits");
    let p = dir.join("arabic.csv");
    std::fs::write(&p, "1,\u{661}\u{662}\n").unwrap();
    let o = LoadtxtOptions {
        delimiter: Some(",".into()),
        ..Default::default()
    };
    let e = loadtxt(&p, &o).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .ends_with("line 1, column 2: cannot parse \"\u{661}\u{662}\" as float64"),
        "{e}"
    );
    numpy_rejects(&dir, "arabic.csv", "delimiter=','");
    let g = |dt: &str, loose: bool| GenfromtxtOptions {
        dtype: DType::parse(dt).unwrap(),
        delimiter: npyio::text::Delimiter::Str(",".into()),
        loose,
        ..Default::default()
    };
    let r = genfromtxt(&p, &g("<i8", true)).unwrap();
    let mut v = [0u8; 16];
    r.data.read_into(&mut v, 0).unwrap();
    assert_eq!(v, [1i64.to_le_bytes(), 12i64.to_le_bytes()].concat()[..]);

    let p = dir.join("long.csv");
    std::fs::write(&p, format!("1,{}\n", "9".repeat(4300))).unwrap();
    let e = genfromtxt(&p, &g("<i8", true)).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message().contains("line 1, column 2: \"999")
            && e.message().ends_with("is too large for int64"),
        "{e}"
    );
    std::fs::write(&p, format!("1,{}\n", "9".repeat(4301))).unwrap();
    let e = genfromtxt(&p, &g("<i8", false)).unwrap_err();
    assert_eq!(e.status(), Status::Parse);
    assert!(
        e.message()
            .contains("line 1, column 2: cannot convert \"999")
            && e.message().ends_with("to int64"),
        "{e}"
    );
    // Loose: the filling value, as NumPy gives.
    let r = genfromtxt(&p, &g("<i8", true)).unwrap();
    r.data.read_into(&mut v, 0).unwrap();
    assert_eq!(v, [1i64.to_le_bytes(), (-1i64).to_le_bytes()].concat()[..]);
}
