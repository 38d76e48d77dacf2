//! longdouble and clongdouble columns, against NumPy's bytes (x86-64:
//! the 10 bytes of each 80-bit extended value; NumPy leaves the 6 bytes
//! of padding above them uninitialised).

use super::*;

/// The significant bytes of an array of 16-byte extended values.
fn extended(f: &NpyFile) -> Vec<u8> {
    let mut b = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut b, 0).unwrap();
    b.chunks(16).flat_map(|c| c[..10].to_vec()).collect()
}

fn same_extended(ours: &NpyFile, np: &NpyFile, what: &str) {
    assert_eq!(
        ours.header().dtype.descr(),
        np.header().dtype.descr(),
        "{what}"
    );
    assert_eq!(ours.header().shape, np.header().shape, "{what}");
    assert_eq!(extended(ours), extended(np), "{what}");
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn longdouble_columns_match_numpy_bytes() {
    let d = dir("longdouble");
    let text = b"0.1,1\n 3.141592653589793238462643383279,2\n1e-4940,3\n1e5000,-4\n-nan,5\n0x1p-16400,6\n1.0000000000000000000000001,7\n";
    let np = numpy(
        &d,
        text,
        "np.loadtxt(f, dtype=np.longdouble, delimiter=',')",
    );
    let o = LoadtxtOptions {
        dtype: dt("<f16"),
        delimiter: Some(",".into()),
        ..Default::default()
    };
    same_extended(
        &loadtxt_from_bytes(text, "in.txt", &o).unwrap(),
        &np,
        "loadtxt",
    );
    let np = numpy(
        &d,
        text,
        "np.genfromtxt(f, dtype=np.longdouble, delimiter=',')",
    );
    let o = GenfromtxtOptions {
        dtype: dt("<f16"),
        delimiter: npyio::text::Delimiter::Str(",".into()),
        ..Default::default()
    };
    same_extended(
        &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
        &np,
        "genfromtxt",
    );
    // genfromtxt: leading whitespace only (the line end is stripped), and
    // what does not parse is nan.
    let text = b" 0.1 ,x\n2,1_0\n3, 0.5 \n";
    let np = numpy(
        &d,
        text,
        "np.genfromtxt(f, dtype=np.longdouble, delimiter=',')",
    );
    same_extended(
        &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
        &np,
        "genfromtxt nan",
    );
    // loadtxt refuses trailing whitespace, as NumPy.
    let np = numpy_raises(
        &d,
        b"0.1 ,1\n",
        "np.loadtxt(f, dtype=np.longdouble, delimiter=',')",
    );
    assert!(np.starts_with("ValueError"), "{np}");
    let o = LoadtxtOptions {
        dtype: dt("<f16"),
        delimiter: Some(",".into()),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(b"0.1 ,1\n", "in.txt", &o).unwrap_err();
    assert!(
        e.message()
            .contains("line 1, column 1: cannot parse \"0.1 \" as float128"),
        "{e}"
    );
    // complex: NumPy reads a complex128 and widens it.
    let text = b"0.1+0.2j\n(1+2j)\n0.1\n-3e-320j\n";
    let np = numpy(&d, text, "np.loadtxt(f, dtype=np.clongdouble)");
    let o = LoadtxtOptions {
        dtype: dt("<c32"),
        ..Default::default()
    };
    same_extended(
        &loadtxt_from_bytes(text, "in.txt", &o).unwrap(),
        &np,
        "clongdouble",
    );
    // A structured dtype with a long double field.
    let descr = "[('x','<f16'),('n','<i2')]";
    let text = b"0.3 1\n0.7 2\n";
    let np = numpy(&d, text, &format!("np.loadtxt(f, dtype={descr})"));
    let o = LoadtxtOptions {
        dtype: dt(descr),
        ..Default::default()
    };
    let ours = loadtxt_from_bytes(text, "in.txt", &o).unwrap();
    let (mut a, mut b) = (vec![0u8; 36], vec![0u8; 36]);
    ours.read_into(&mut a, 0).unwrap();
    np.read_into(&mut b, 0).unwrap();
    for r in 0..2 {
        assert_eq!(a[r * 18..r * 18 + 10], b[r * 18..r * 18 + 10]);
        assert_eq!(a[r * 18 + 16..r * 18 + 18], b[r * 18 + 16..r * 18 + 18]);
    }
}

/// NumPy's test_byteswapping_and_unaligned (longdouble, clongdouble, both
/// byte orders, an unaligned field), test_no_thousands_support and
/// test_nul_character_error for `g`.
#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn numpy_longdouble_cases() {
    let d = dir("longdouble_numpy");
    let value_c = format!(
        "({}+{}j)",
        0x01020304050607u64 as f64, 0x00121314151617u64 as f64
    );
    for (ty, value) in [("f16", "283686952306183".to_string()), ("c32", value_c)] {
        for order in ['<', '>'] {
            let text = format!("x,{value}\n");
            let descr = format!("[('a','|S1'),('b','{order}{ty}')]");
            let np = numpy(
                &d,
                text.as_bytes(),
                &format!("np.loadtxt(f, dtype={descr}, delimiter=',', max_rows=1)"),
            );
            let o = LoadtxtOptions {
                dtype: dt(&descr),
                delimiter: Some(",".into()),
                max_rows: Some(1),
                ..Default::default()
            };
            let ours = loadtxt_from_bytes(text.as_bytes(), "in.txt", &o).unwrap();
            let n = ours.nbytes() as usize;
            let (mut a, mut b) = (vec![0u8; n], vec![0u8; n]);
            ours.read_into(&mut a, 0).unwrap();
            np.read_into(&mut b, 0).unwrap();
            // Field b at offset 1; each extended value's 10 significant
            // bytes are at its low end (little-endian) or high end (big).
            for k in 0..(n - 1) / 16 {
                let v = &a[1 + 16 * k..17 + 16 * k];
                let w = &b[1 + 16 * k..17 + 16 * k];
                let sig = if order == '<' { 0..10 } else { 6..16 };
                assert_eq!(v[sig.clone()], w[sig], "{descr}");
            }
        }
    }
    for (ty, text) in [("<f16", &b"1_1\n"[..]), ("<f16", b"1\x00\n")] {
        let o = LoadtxtOptions {
            dtype: dt(ty),
            ..Default::default()
        };
        let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
        assert_eq!(e.status(), Status::Parse, "{e}");
        assert!(e.message().contains("line 1, column 1"), "{e}");
    }
}
