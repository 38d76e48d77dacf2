//! datetime64 and timedelta64 columns, against NumPy's results.

use super::*;

#[test]
fn datetime_columns_with_a_unit_as_numpy() {
    let d = dir("datetime_units");
    let text =
        b"2020-01-01\n2020-01-02T10:00\nNaT\n1969-12-31T23:59:59.5\n2012-03\n-0010-06-15\n+2021-02\n\n";
    let near: Vec<u8> = text
        .split(|&c| c == b'\n')
        .filter(|l| !l.starts_with(b"-0010"))
        .flat_map(|l| l.iter().copied().chain([b'\n']))
        .collect();
    for unit in ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"] {
        // Year -10 does not fit nanoseconds (NumPy wraps silently; here it
        // is an error, tested below).
        let text: &[u8] = if unit == "ns" { &near } else { text };
        let call = format!("np.loadtxt(f, dtype='M8[{unit}]', delimiter=',')");
        let np = numpy(&d, text, &call);
        let o = LoadtxtOptions {
            dtype: dt(&format!("<M8[{unit}]")),
            delimiter: Some(",".into()),
            ..Default::default()
        };
        let ours = loadtxt_from_bytes(text, "in.txt", &o).unwrap_or_else(|e| panic!("{call}: {e}"));
        text_util::same(&ours, &np).unwrap_or_else(|m| panic!("{call}: {m}"));
        let call = format!("np.genfromtxt(f, dtype='M8[{unit}]', delimiter=',')");
        let np = numpy(&d, text, &call);
        let o = GenfromtxtOptions {
            dtype: dt(&format!("<M8[{unit}]")),
            delimiter: npyio::text::Delimiter::Str(",".into()),
            ..Default::default()
        };
        let ours =
            genfromtxt_from_bytes(text, "in.txt", &o).unwrap_or_else(|e| panic!("{call}: {e}"));
        text_util::same(&ours.data, &np).unwrap_or_else(|m| panic!("{call}: {m}"));
    }
    // Big-endian, and a structured dtype with a missing date (NaT) in genfromtxt.
    let np = numpy(
        &d,
        b"2020-01-01\n2021-02-03\n",
        "np.loadtxt(f, dtype='>M8[s]')",
    );
    let o = LoadtxtOptions {
        dtype: dt(">M8[s]"),
        ..Default::default()
    };
    same(
        &loadtxt_from_bytes(b"2020-01-01\n2021-02-03\n", "in.txt", &o).unwrap(),
        &np,
    );
    let text = b"2020-01-01,1\n,2\n2020-03-04T05:06,3\n";
    let descr = "[('a','<M8[D]'),('b','<i4')]";
    let np = numpy(
        &d,
        text,
        &format!("np.genfromtxt(f, delimiter=',', dtype={descr})"),
    );
    let o = GenfromtxtOptions {
        dtype: dt(descr),
        delimiter: npyio::text::Delimiter::Str(",".into()),
        ..Default::default()
    };
    same(
        &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
        &np,
    );
}

#[test]
fn timedelta_columns_as_numpy() {
    let d = dir("timedelta");
    let text = b"1\n-2\nNaT\n+30\nnat\n\n99999999999999999999\n";
    for ty in ["m8", "m8[s]", "m8[D]", "m8[ns]"] {
        let call = format!("np.loadtxt(f, dtype='{ty}', delimiter=',')");
        let np = numpy(&d, text, &call);
        let o = LoadtxtOptions {
            dtype: dt(&format!("<{ty}")),
            delimiter: Some(",".into()),
            ..Default::default()
        };
        let ours = loadtxt_from_bytes(text, "in.txt", &o).unwrap_or_else(|e| panic!("{call}: {e}"));
        text_util::same(&ours, &np).unwrap_or_else(|m| panic!("{call}: {m}"));
    }
    let text = b"1,2\n,3\n 5 ,x\n";
    let np = numpy(&d, text, "np.genfromtxt(f, delimiter=',', dtype='m8[s]')");
    let o = GenfromtxtOptions {
        dtype: dt("<m8[s]"),
        delimiter: npyio::text::Delimiter::Str(",".into()),
        ..Default::default()
    };
    same(
        &genfromtxt_from_bytes(text, "in.txt", &o).unwrap().data,
        &np,
    );
}

#[test]
fn datetime_errors_name_the_field() {
    let d = dir("datetime_errors");
    for (text, ty) in [
        (&b"2020-13-01\n"[..], "M8[D]"),
        (b"2020-01-01T10:00Zx\n", "M8[s]"),
        (b"1.5\n", "m8[s]"),
    ] {
        let np = numpy_raises(&d, text, &format!("np.loadtxt(f, dtype='{ty}')"));
        assert!(np.starts_with("ValueError"), "{np}");
        let o = LoadtxtOptions {
            dtype: dt(&format!("<{ty}")),
            ..Default::default()
        };
        let e = loadtxt_from_bytes(text, "in.txt", &o).unwrap_err();
        assert_eq!(e.status(), Status::Parse);
        assert!(
            e.message().contains("in.txt: line 1, column 1")
                && e.message().contains(ty.split('[').nth(1).unwrap_or("")),
            "{e}"
        );
    }
    // Out of the unit's range.
    let o = LoadtxtOptions {
        dtype: dt("<M8[ns]"),
        ..Default::default()
    };
    let e = loadtxt_from_bytes(b"2300-01-01\n", "in.txt", &o).unwrap_err();
    assert!(
        e.message().contains("out of range for datetime64[ns]"),
        "{e}"
    );
}

/// NumPy's test_parametric_unit_discovery, datetime case: `M8` takes the
/// finest unit of the data (days, from the last line), for files of 10,
/// 50,000 and 60,000 rows, read whole, from a file and with max_rows.
#[test]
fn unit_discovery_as_numpy() {
    let d = dir("unit_discovery");
    for nrows in [10usize, 50_000, 60_000] {
        let mut text = "2012-03\n".repeat(nrows);
        text.push_str("2013-01-15");
        let np = numpy(&d, text.as_bytes(), "np.loadtxt(f, dtype='M8')");
        assert_eq!(np.header().dtype.descr(), "'<M8[D]'");
        let o = LoadtxtOptions {
            dtype: dt("<M8"),
            ..Default::default()
        };
        same(
            &loadtxt_from_bytes(text.as_bytes(), "in.txt", &o).unwrap(),
            &np,
        );
        same(&npyio::text::loadtxt(d.join("in.txt"), &o).unwrap(), &np);
        let half = (nrows / 2) as u64;
        let npm = numpy(
            &d,
            text.as_bytes(),
            &format!("np.loadtxt(f, dtype='M8', max_rows={half})"),
        );
        let o2 = LoadtxtOptions {
            max_rows: Some(half),
            ..o.clone()
        };
        same(
            &loadtxt_from_bytes(text.as_bytes(), "in.txt", &o2).unwrap(),
            &npm,
        );
        // genfromtxt discovers it too.
        let npg = numpy(&d, text.as_bytes(), "np.genfromtxt(f, dtype='M8')");
        let g = GenfromtxtOptions {
            dtype: dt("<M8"),
            ..Default::default()
        };
        same(
            &genfromtxt_from_bytes(text.as_bytes(), "in.txt", &g)
                .unwrap()
                .data,
            &npg,
        );
    }
    // A streamed conversion needs the unit: it reads the text once.
    let o = LoadtxtOptions {
        dtype: dt("<M8"),
        ..Default::default()
    };
    let e = npyio::text::loadtxt_to_npy(d.join("in.txt"), d.join("out2.npy"), &o).unwrap_err();
    assert_eq!(e.status(), Status::Unsupported);
    assert!(
        e.message().contains("in.txt") && e.message().contains("unit"),
        "{e}"
    );
}
