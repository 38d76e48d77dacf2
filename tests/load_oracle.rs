//! NumPy as the oracle for loads: NumPy saves arrays (big-endian, Fortran order, records,
//! an array of more than 4 MiB, archive members); `NpyFile::load` / `NpzFile::load` bring
//! them into memory the library owns, converted to a type with the safe rule or kept in the
//! stored dtype, and the bytes equal NumPy's `np.ascontiguousarray(a.astype(native))`.

use npyio_test_support as common;

use npyio::io::HUGE_ALIGN;
use npyio::npz::NpzFile;
use npyio::{NpyFile, Status, Type};
use std::path::Path;

const GEN: &str = r#"
import numpy as np
rng = np.random.default_rng(5)
def out(name, a):
    np.save(name + ".npy", a)
    n = a.dtype.newbyteorder("=") if a.dtype.fields is None else np.dtype(
        [(f, a.dtype.fields[f][0].newbyteorder("=")) for f in a.dtype.names])
    with open(name + ".c.bin", "wb") as fh:
        fh.write(np.ascontiguousarray(a.astype(n)).tobytes())
    with open(name + ".f8.bin", "wb") as fh:
        if a.dtype.fields is None:
            fh.write(np.ascontiguousarray(a.astype("=f8")).tobytes())
a = np.asfortranarray(rng.integers(-10**6, 10**6, size=(5, 7, 3)).astype(">i4"))
out("be_f", a)
out("big", np.asfortranarray(rng.integers(0, 255, size=(1500, 800)).astype("<u4")))
r = np.zeros((4, 3), dtype=[("a", ">i4"), ("b", ">f8"), ("c", "S3")], order="F")
r["a"] = np.arange(12).reshape(4, 3)
r["b"] = np.linspace(0, 1, 12).reshape(4, 3)
r["c"] = b"xyz"
out("rec", r)
out("f2", np.array([[1.5, -2], [np.inf, 65504]], dtype=">f2"))
# Rows of 480 KB and lines of 160 KB: blocks along the last axis.
out("wide", np.asfortranarray(rng.integers(-30000, 30000, size=(2, 3, 40000)).astype(">i2")))
np.savez_compressed("z.npz", x=a, y=np.arange(6, dtype=np.uint8))
"#;

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn loads_match_numpy() {
    let dir = common::scratch("load_oracle");
    common::py(&dir, GEN);
    for name in ["be_f", "big", "f2", "wide"] {
        let path = dir.join(format!("{name}.npy"));
        let stored = NpyFile::load(&path, None).unwrap();
        assert_eq!(
            stored.data().unwrap(),
            read(&dir, &format!("{name}.c.bin")),
            "{name}"
        );
        assert!(!stored.header().fortran_order);
        assert_eq!(stored.header().dtype, stored.header().dtype.to_native());
        let f = NpyFile::load(&path, Some(Type::Float64)).unwrap();
        assert_eq!(
            f.data().unwrap(),
            read(&dir, &format!("{name}.f8.bin")),
            "{name}"
        );
        assert_eq!(&f.header().dtype, Type::Float64.dtype());
        assert_eq!(f.header().shape, stored.header().shape);
        assert_eq!(f.header().data_offset, 0);
        if name == "big" {
            // 1500 × 800 × 8 bytes: a huge-page-advised map, 2 MiB-aligned.
            assert_eq!(f.data().unwrap().as_ptr() as usize % HUGE_ALIGN, 0);
        }
    }
    // Records keep their dtype, fields in host byte order, in C order.
    let rec = NpyFile::load(dir.join("rec.npy"), None).unwrap();
    assert_eq!(rec.data().unwrap(), read(&dir, "rec.c.bin"));
    assert_eq!(
        rec.header().dtype.descr(),
        "[('a', '<i4'), ('b', '<f8'), ('c', '|S3')]"
    );
    // A refused cast is refused before anything is read.
    let e = NpyFile::load(dir.join("be_f.npy"), Some(Type::Int16)).unwrap_err();
    assert_eq!(e.status(), Status::Cast, "{e}");
    assert!(
        e.message().contains("be_f.npy") && e.message().contains(">i4"),
        "{e}"
    );
    let e = NpyFile::load(dir.join("rec.npy"), Some(Type::Float64)).unwrap_err();
    assert_eq!(e.status(), Status::Cast, "{e}");

    let z = NpzFile::open(dir.join("z.npz")).unwrap();
    let x = z.load("x", Some(Type::Int64)).unwrap();
    let want = NpyFile::load(dir.join("be_f.npy"), Some(Type::Int64)).unwrap();
    assert_eq!(x.data().unwrap(), want.data().unwrap());
    let y = z.load("y.npy", None).unwrap();
    drop(z);
    assert_eq!(y.data().unwrap(), [0, 1, 2, 3, 4, 5]);
    let z = NpzFile::open(dir.join("z.npz")).unwrap();
    let e = z.load("w", None).unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
}
