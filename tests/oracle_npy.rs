//! NumPy as the oracle for .npy: NumPy writes, libnpyio reads (every dtype,
//! order, shape and header variant in tests/oracle/gen_npy.py), and
//! libnpyio writes what NumPy loads — byte-identical to np.save.

use npyio_test_support as common;

use npyio::{DType, MapMode, NpyFile, SaveOptions, READ_C_ORDER, READ_NATIVE};
use serde_json::Value;
use std::path::{Path, PathBuf};

struct Case {
    name: String,
    file: PathBuf,
    descr: String,
    shape: Vec<u64>,
    fortran: bool,
    version: (u8, u8),
    data_offset: u64,
    raw: Vec<u8>,
    native: Vec<u8>,
    c_order: Vec<u8>,
    c_native: Vec<u8>,
    save_exact: bool,
}

fn cases(dir: &Path) -> Vec<Case> {
    common::run_script("tests/oracle/gen_npy.py", &[dir.to_str().unwrap()]);
    let m: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let read = |c: &Value, k: &str| std::fs::read(dir.join(c[k].as_str().unwrap())).unwrap();
    m.as_array()
        .unwrap()
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().unwrap().to_string(),
            file: dir.join(c["file"].as_str().unwrap()),
            descr: c["descr"].as_str().unwrap().to_string(),
            shape: c["shape"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_u64().unwrap())
                .collect(),
            fortran: c["fortran_order"].as_bool().unwrap(),
            version: (
                c["version"][0].as_u64().unwrap() as u8,
                c["version"][1].as_u64().unwrap() as u8,
            ),
            data_offset: c["data_offset"].as_u64().unwrap(),
            raw: read(c, "raw"),
            native: read(c, "native"),
            c_order: read(c, "c_order"),
            c_native: read(c, "c_native"),
            save_exact: c["save_exact"].as_bool().unwrap(),
        })
        .collect()
}

/// The Fortran-order bytes of rows first..first+count of an array whose
/// C-order bytes are `c` (computed element by element, independently of the
/// library's tiled copy).
fn fortran_slab(c: &[u8], shape: &[u64], first: usize, count: usize, isz: usize) -> Vec<u8> {
    let dims: Vec<usize> = shape.iter().map(|&d| d as usize).collect();
    let mut sub = dims.clone();
    sub[0] = count;
    let n: usize = sub.iter().product();
    let mut out = Vec::with_capacity(n * isz);
    for lin in 0..n {
        // Fortran linear index -> multi-index (axis 0 fastest).
        let mut rem = lin;
        let mut c_index = 0usize;
        for (k, &d) in sub.iter().enumerate() {
            let i = rem % d + if k == 0 { first } else { 0 };
            rem /= d;
            c_index = c_index * dims[k] + i;
        }
        // The loop above built the C index with axes in order 0..n, which
        // is row-major over `dims`.
        out.extend_from_slice(&c[c_index * isz..(c_index + 1) * isz]);
    }
    out
}

fn check_reads(c: &Case, f: &NpyFile, how: &str) {
    let h = f.header();
    let ctx = format!("{} ({how})", c.name);
    assert_eq!(h.dtype.descr(), c.descr, "{ctx}: descr");
    assert_eq!(h.shape, c.shape, "{ctx}: shape");
    assert_eq!(h.fortran_order, c.fortran, "{ctx}: fortran_order");
    assert_eq!(h.version, c.version, "{ctx}: version");
    assert_eq!(h.data_offset, c.data_offset, "{ctx}: data offset");
    assert_eq!(f.nbytes(), c.raw.len() as u64, "{ctx}: nbytes");
    let n = c.raw.len();
    // A larger buffer than needed; the tail must stay untouched.
    let mut buf = vec![0xAAu8; n + 7];
    for (flags, want, what) in [
        (0, &c.raw, "raw"),
        (READ_NATIVE, &c.native, "native"),
        (READ_C_ORDER, &c.c_order, "c_order"),
        (READ_NATIVE | READ_C_ORDER, &c.c_native, "c_native"),
    ] {
        buf.fill(0xAA);
        f.read_into(&mut buf, flags)
            .unwrap_or_else(|e| panic!("{ctx}: read {what}: {e}"));
        assert!(buf[..n] == want[..], "{ctx}: data differs for {what}");
        assert!(
            buf[n..].iter().all(|&b| b == 0xAA),
            "{ctx}: wrote past the data"
        );
    }
    // Slabs along axis 0.
    if let Some(&d0) = c.shape.first() {
        let d0 = d0 as usize;
        let isz = h.dtype.itemsize();
        let row = n.checked_div(d0).unwrap_or(0);
        let effective_fortran = npyio::header::effective_fortran(&c.shape, c.fortran);
        for (first, count) in [
            (0, d0),
            (d0 / 2, d0 - d0 / 2),
            (d0.saturating_sub(1), d0.min(1)),
        ] {
            let mut slab = vec![0u8; count * row];
            for flags in [0, READ_C_ORDER, READ_NATIVE | READ_C_ORDER] {
                f.read_rows(first as u64, count as u64, &mut slab, flags)
                    .unwrap_or_else(|e| panic!("{ctx}: read_rows {first}+{count}: {e}"));
                let src = if flags & READ_NATIVE != 0 {
                    &c.c_native
                } else {
                    &c.c_order
                };
                let want = if effective_fortran && flags & READ_C_ORDER == 0 {
                    fortran_slab(src, &c.shape, first, count, isz)
                } else {
                    src[first * row..(first + count) * row].to_vec()
                };
                assert!(
                    slab == want,
                    "{ctx}: read_rows {first}+{count} flags {flags} differs"
                );
            }
        }
        let mut big = vec![0u8; row + 1];
        assert!(
            f.read_rows(d0 as u64, 1, &mut big, 0).is_err(),
            "{ctx}: rows past the end must fail"
        );
    } else {
        assert!(
            f.read_rows(0, 1, &mut [0u8; 64], 0).is_err(),
            "{ctx}: 0-d has no rows"
        );
    }
}

#[test]
fn numpy_files_read_and_write_back() {
    let dir = common::scratch("oracle_npy");
    let gen_dir = dir.join("numpy");
    let ours_dir = dir.join("ours");
    std::fs::create_dir_all(&ours_dir).unwrap();
    let cases = cases(&gen_dir);
    assert!(
        cases.len() >= 90,
        "generator produced only {} cases",
        cases.len()
    );
    let mut pairs = Vec::new();
    for c in &cases {
        // Reading: from a path, from memory, and through a map.
        let f = NpyFile::open(&c.file).unwrap_or_else(|e| panic!("{}: open: {e}", c.name));
        check_reads(c, &f, "file");
        let bytes = std::fs::read(&c.file).unwrap();
        let m = NpyFile::from_bytes(bytes.clone()).unwrap();
        check_reads(c, &m, "memory");
        assert_eq!(m.data().unwrap(), &c.raw[..], "{}: npy_data", c.name);
        let mm = NpyFile::mmap(&c.file, MapMode::Read).unwrap();
        check_reads(c, &mm, "mmap");
        assert_eq!(mm.data().unwrap(), &c.raw[..], "{}: mapped data", c.name);

        // Writing: from the descr text, shape, order and raw data alone.
        let dt = DType::parse(&c.descr).unwrap_or_else(|e| panic!("{}: parse descr: {e}", c.name));
        let ours = ours_dir.join(format!("{}.npy", c.name));
        npyio::save(
            &ours,
            &dt,
            &c.shape,
            c.fortran,
            &c.raw,
            SaveOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{}: save: {e}", c.name));
        if c.save_exact {
            let a = std::fs::read(&ours).unwrap();
            assert!(
                a == bytes,
                "{}: our file is not byte-identical to np.save's",
                c.name
            );
        }
        pairs.push(serde_json::json!({"name": c.name, "ours": ours, "ref": c.file}));
    }
    common::numpy_verifies(
        "tests/oracle/verify_npy.py",
        &dir,
        &serde_json::to_vec(&pairs).unwrap(),
        cases.len(),
    );
}
