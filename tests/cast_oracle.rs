//! NumPy as the oracle for casting: for each of the fourteen numeric types NumPy saves an
//! array of edge values (NaN, ±inf, ±0, fractions, values just inside and outside every
//! integer range, huge values) in C and Fortran order and in both byte orders; libnpyio reads
//! each file as each type under each casting rule. A read succeeds exactly when
//! `np.can_cast(stored, to, rule)` says so, and then its bytes equal
//! `a.astype(to, casting='unsafe')` in C order; a refusal is `Status::Cast`, naming both
//! dtypes and the rule. Also: typed reads of archive members, buffers that are too short, and
//! dtypes that are not numeric.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter};
use npyio::{Casting, DType, NpyFile, Status, Type};
use serde_json::Value;
use std::path::Path;

fn rule(name: &str) -> Casting {
    *Casting::ALL.iter().find(|c| c.name() == name).unwrap()
}

fn ty(name: &str) -> Type {
    *Type::ALL.iter().find(|t| t.name() == name).unwrap()
}

#[test]
fn every_pair_and_rule_matches_numpy() {
    let dir = common::scratch("cast_oracle");
    common::run_script("tests/oracle/gen_cast.py", &[dir.to_str().unwrap()]);
    let m: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in m["cases"].as_array().unwrap() {
        let from = case["type"].as_str().unwrap();
        for (layout, l) in case["layouts"].as_object().unwrap() {
            let f = NpyFile::open(dir.join(l["file"].as_str().unwrap())).unwrap();
            let descr = l["descr"].as_str().unwrap();
            for to in m["types"].as_array().unwrap() {
                let to = to.as_str().unwrap();
                let t = ty(to);
                let want = std::fs::read(dir.join(format!("exp_{from}_{to}.bin"))).unwrap();
                assert_eq!(f.nbytes_as(t).unwrap() as usize, want.len());
                for r in m["rules"].as_array().unwrap() {
                    let r = r.as_str().unwrap();
                    let can = l["can"][to][r].as_bool().unwrap();
                    let what = format!("{from} ({layout}, {descr}) -> {to} under '{r}'");
                    checked += 1;
                    let mut buf = vec![0xa5u8; want.len()];
                    match (f.read_as(t, &mut buf, rule(r)), can) {
                        (Ok(()), true) => {
                            let sz = t.itemsize();
                            let bad: Vec<usize> = (0..want.len() / sz)
                                .filter(|i| buf[i * sz..(i + 1) * sz] != want[i * sz..(i + 1) * sz])
                                .collect();
                            if let Some(&i) = bad.first() {
                                failures.push(format!(
                                    "{what}: {} elements differ; element {i} (C order): got \
                                     {:02x?}, NumPy {:02x?}",
                                    bad.len(),
                                    &buf[i * sz..(i + 1) * sz],
                                    &want[i * sz..(i + 1) * sz]
                                ));
                            }
                        }
                        (Ok(()), false) => failures.push(format!("{what}: NumPy refuses")),
                        (Err(e), true) => failures.push(format!("{what}: {e}")),
                        (Err(e), false) => {
                            let msg = e.message();
                            let names_both = msg.contains(descr)
                                && msg.contains(&format!("({to})"))
                                && msg.contains(&format!("'{r}'"))
                                && msg.contains("src_");
                            if e.status() != Status::Cast || !names_both {
                                failures.push(format!("{what}: wrong refusal {e:?}"));
                            }
                        }
                    }
                }
            }
        }
    }
    common::assert_none_failed(&failures, checked);
    assert!(checked > 14 * 14 * 5 * 2, "{checked}");
}

fn save_f64(path: &Path, shape: &[u64], vals: &[f64]) {
    let data: Vec<u8> = vals.iter().flat_map(|v| v.to_ne_bytes()).collect();
    npyio::save(
        path,
        Type::Float64.dtype(),
        shape,
        false,
        &data,
        Default::default(),
    )
    .unwrap();
}

#[test]
fn short_buffers_and_bad_dtypes() {
    let dir = common::scratch("cast_errors");
    let p = dir.join("a.npy");
    save_f64(&p, &[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.5]);
    let f = NpyFile::open(&p).unwrap();
    assert_eq!(f.nbytes_as(Type::Int16).unwrap(), 12);
    let mut small = [0u8; 11];
    let e = f
        .read_as(Type::Int16, &mut small, Casting::Unsafe)
        .unwrap_err();
    assert_eq!(e.status(), Status::BufferTooSmall, "{e}");
    assert!(
        e.message().contains("a.npy") && e.message().contains("11"),
        "{e}"
    );
    let mut buf = [0u8; 12];
    f.read_as(Type::Int16, &mut buf, Casting::Unsafe).unwrap();
    let got: Vec<i16> = buf
        .chunks(2)
        .map(|c| i16::from_ne_bytes([c[0], c[1]]))
        .collect();
    assert_eq!(got, [1, 2, 3, 4, 5, 6]);
    // The rule is checked before the buffer.
    let e = f
        .read_as(Type::Int16, &mut small, Casting::Safe)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cast, "{e}");
    assert!(e.message().contains("a.npy"), "{e}");

    // Not numeric: refused under safe, unsupported under unsafe.
    let s = dir.join("s.npy");
    let sd = DType::parse("|S2").unwrap();
    npyio::save(&s, &sd, &[2], false, b"1234", Default::default()).unwrap();
    let f = NpyFile::open(&s).unwrap();
    let mut buf = [0u8; 16];
    let e = f.read_as(Type::Int64, &mut buf, Casting::Safe).unwrap_err();
    assert_eq!(e.status(), Status::Cast);
    assert!(
        e.message().contains("|S2") && e.message().contains("int64"),
        "{e}"
    );
    let e = f
        .read_as(Type::Int64, &mut buf, Casting::Unsafe)
        .unwrap_err();
    assert_eq!(e.status(), Status::Unsupported);
    assert!(
        e.message().contains("|S2") && e.message().contains("int64"),
        "{e}"
    );
}

#[test]
fn archive_members_by_name() {
    let dir = common::scratch("cast_npz");
    let p = dir.join("z.npz");
    let mut w = NpzWriter::create(&p, Default::default()).unwrap();
    let ints: Vec<u8> = [1i32, -2, 3].iter().flat_map(|v| v.to_ne_bytes()).collect();
    w.add(
        "x",
        Type::Int32.dtype(),
        &[3],
        false,
        &ints,
        Compression::Deflate,
    )
    .unwrap();
    w.finish().unwrap();
    let z = NpzFile::open(&p).unwrap();
    for name in ["x", "x.npy"] {
        let mut buf = [0u8; 24];
        z.read_as(name, Type::Float64, &mut buf, Casting::Safe)
            .unwrap();
        let got: Vec<f64> = buf
            .chunks(8)
            .map(|c| f64::from_ne_bytes(c.try_into().unwrap()))
            .collect();
        assert_eq!(got, [1.0, -2.0, 3.0]);
    }
    let mut buf = [0u8; 6];
    let e = z
        .read_as("x", Type::Int16, &mut buf, Casting::Safe)
        .unwrap_err();
    assert_eq!(e.status(), Status::Cast, "{e}");
    assert!(
        e.message().contains("'x.npy'") && e.message().contains("int16"),
        "{e}"
    );
    let e = z
        .read_as("y", Type::Int16, &mut buf, Casting::Safe)
        .unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert!(e.message().contains("'y'"), "{e}");
}
