//! Corners where NumPy's reading differs from what a dtype or shape looks
//! like at first sight: nameless record fields, and shapes with a zero
//! dimension that NumPy still refuses. NumPy is asked in each case.

use npyio_test_support as common;
use npyio_test_support::npy_file as npy;

use npyio::dtype::Layout;
use npyio::{DType, NpyFile, SaveOptions, Status};

fn hdr(descr: &str, shape: &str) -> String {
    format!("{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}")
}

fn field_names(d: &DType) -> Vec<String> {
    match d.layout() {
        Layout::Record(f) => f.iter().map(|f| f.name.clone()).collect(),
        other => panic!("not a record: {other:?}"),
    }
}

/// A field named '' keeps its name, as `descr_to_dtype` keeps it; a
/// nameless void or subarray field is padding. Our save of what we read is
/// byte-identical to NumPy's save of what it read.
#[test]
fn nameless_fields_as_numpy_reads_them() {
    let dir = common::scratch("fidelity_names");
    let cases = [
        ("[('', '<f4'), ('b', '<i2')]", vec!["", "b"]),
        ("[('f1', '<f4'), ('', '<i2')]", vec!["f1", ""]),
        ("[(('t', ''), '<f4'), ('b', '<i2')]", vec!["", "b"]),
        ("[('', [('a', '<f4')]), ('b', '<i2')]", vec!["", "b"]),
        ("[('', '<f4', ()), ('b', '<i2')]", vec!["", "b"]),
        ("[('', '|V4'), ('b', '<i2')]", vec!["b"]),
        ("[('', '<f4', (2,)), ('b', '<i2')]", vec!["b"]),
        ("[('', [('a', '<f4')], (2,)), ('b', '<i2')]", vec!["b"]),
        ("[('', '<f4')]", vec![""]),
    ];
    for (i, (descr, names)) in cases.iter().enumerate() {
        let src = dir.join(format!("in{i}.npy"));
        // Data: 2 items; the bytes are a counter so that every field differs.
        let item = DType::parse(descr)
            .unwrap_or_else(|e| panic!("{descr}: {e}"))
            .itemsize();
        let data: Vec<u8> = (0..2 * item).map(|b| b as u8).collect();
        let mut file = npy(1, &hdr(descr, "(2,)"), 0);
        file.extend_from_slice(&data);
        std::fs::write(&src, &file).unwrap();
        let f = NpyFile::open(&src).unwrap();
        assert_eq!(field_names(&f.header().dtype), *names, "{descr}");
        let ours = dir.join(format!("ours{i}.npy"));
        npyio::save(
            &ours,
            &f.header().dtype,
            &[2],
            false,
            &data,
            SaveOptions::default(),
        )
        .unwrap();
        let want = dir.join(format!("numpy{i}.npy"));
        let out = common::py(
            &dir,
            &format!(
                "import numpy as np\na = np.load('{}')\nprint(list(a.dtype.names))\nnp.save('{}', a)",
                src.display(),
                want.display()
            ),
        );
        let numpy_names: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
        assert_eq!(
            out.trim(),
            format!("[{}]", numpy_names.join(", ")),
            "{descr}: NumPy's names"
        );
        assert!(
            std::fs::read(&ours).unwrap() == std::fs::read(&want).unwrap(),
            "{descr}: our save differs from np.save's"
        );
    }
    // Two fields named '' are one name twice, for NumPy too.
    let p = dir.join("two.npy");
    std::fs::write(&p, npy(1, &hdr("[('', '<f4'), ('', '<i2')]", "()"), 6)).unwrap();
    let e = NpyFile::open(&p).unwrap_err();
    assert_eq!(e.status(), Status::BadDtype, "{e}");
    assert!(e.message().contains("field name '' appears twice"), "{e}");
    assert!(e.message().contains("two.npy"), "{e}");
    let out = common::py(
        &dir,
        "import numpy as np\ntry:\n    np.load('two.npy')\nexcept ValueError as e:\n    print(e)",
    );
    assert!(out.contains("name already used"), "NumPy says {out:?}");
}

/// What NumPy says when it loads a header with this descr and shape:
/// "ok" or the error's message.
fn numpy_verdict(dir: &std::path::Path, file: &str) -> String {
    common::py(
        dir,
        &format!(
            "import numpy as np, warnings\nwarnings.simplefilter('ignore')\ntry:\n    np.load('{file}')\n    print('ok')\nexcept ValueError as e:\n    print(e)"
        ),
    )
    .trim()
    .to_string()
}

#[test]
fn shapes_numpy_refuses_despite_a_zero_dimension() {
    let dir = common::scratch("fidelity_shapes");
    let m = i64::MAX as u64;
    let refused = [
        (
            "'<f8'",
            format!("(0, {})", u64::MAX),
            "exceeds NumPy's maximum dimension",
        ),
        (
            "'<f8'",
            format!("(0, {m})"),
            "non-zero dimensions times the itemsize",
        ),
        (
            "'<f8'",
            format!("(0, {}, 2)", 1u64 << 59),
            "non-zero dimensions times the itemsize",
        ),
        (
            "'|S0'",
            format!("({},)", 1u64 << 63),
            "exceeds NumPy's maximum dimension",
        ),
        (
            "'|S0'",
            format!("({}, 2)", 1u64 << 62),
            "more than NumPy's maximum",
        ),
        (
            "'|u1'",
            format!("({}, 0)", 1u64 << 63),
            "exceeds NumPy's maximum dimension",
        ),
    ];
    for (i, (descr, shape, needle)) in refused.iter().enumerate() {
        let name = format!("bad{i}.npy");
        let p = dir.join(&name);
        std::fs::write(&p, npy(1, &hdr(descr, shape), 0)).unwrap();
        let e = NpyFile::open(&p).unwrap_err();
        assert_eq!(e.status(), Status::Overflow, "{descr} {shape}: {e}");
        assert!(e.message().contains(needle), "{descr} {shape}: {e}");
        assert!(e.message().contains(&name), "{descr} {shape}: {e}");
        let v = numpy_verdict(&dir, &name);
        assert_ne!(v, "ok", "{descr} {shape}: NumPy accepts it");
        // Nor does the writer make such a file.
        let d = DType::parse(descr).unwrap();
        let dims: Vec<u64> = shape
            .trim_matches(|c| c == '(' || c == ')')
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| s.trim().parse().unwrap())
            .collect();
        let e = npyio::save(
            dir.join("w.npy"),
            &d,
            &dims,
            false,
            &[],
            SaveOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.status(), Status::Overflow, "save {descr} {shape}: {e}");
    }
    // The neighbours NumPy accepts, we accept.
    let accepted = [
        ("'|S0'", format!("(0, {m})")),
        ("'|S0'", format!("({m},)")),
        ("'|u1'", format!("(0, {m})")),
        ("'<f8'", format!("(0, {})", 1u64 << 59)),
        ("'<f8'", format!("({}, 0)", 1u64 << 59)),
        ("'|S0'", format!("(0, {}, 2)", 1u64 << 62)),
        ("'<U0'", format!("(0, {m})")),
    ];
    for (i, (descr, shape)) in accepted.iter().enumerate() {
        let name = format!("good{i}.npy");
        let p = dir.join(&name);
        std::fs::write(&p, npy(1, &hdr(descr, shape), 0)).unwrap();
        let f = NpyFile::open(&p).unwrap_or_else(|e| panic!("{descr} {shape}: {e}"));
        assert_eq!(f.header().nbytes(), 0);
        assert_eq!(numpy_verdict(&dir, &name), "ok", "{descr} {shape}");
    }
}
