//! NumPy as the oracle for .npz: archives from np.savez, np.savez_compressed,
//! zipfile on a non-seekable stream (data descriptors), forced zip64, empty
//! archives and non-.npy members are read member by member; archives
//! libnpyio writes (stored, deflate, aligned, streamed) load in NumPy, and
//! stored ones are byte-identical to np.savez.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{DType, NpyFile, Status, READ_C_ORDER, READ_NATIVE};
use serde_json::Value;
use std::path::Path;

fn read_all(f: &NpyFile, flags: u32) -> Vec<u8> {
    let mut v = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut v, flags)
        .unwrap_or_else(|e| panic!("read {flags}: {e}"));
    v
}

fn same_array(ctx: &str, ours: &NpyFile, reference: &NpyFile) {
    let (a, b) = (ours.header(), reference.header());
    assert_eq!(a.dtype.descr(), b.dtype.descr(), "{ctx}: descr");
    assert_eq!(a.shape, b.shape, "{ctx}: shape");
    assert_eq!(a.fortran_order, b.fortran_order, "{ctx}: order");
    for flags in [0, READ_NATIVE, READ_C_ORDER | READ_NATIVE] {
        assert!(
            read_all(ours, flags) == read_all(reference, flags),
            "{ctx}: data differs (flags {flags})"
        );
    }
    if let Some(&d0) = a.shape.first() {
        if d0 > 1 {
            let row = ours.rows_nbytes(1).unwrap() as usize;
            let mut got = vec![0u8; row * (d0 as usize - 1)];
            let mut want = got.clone();
            ours.read_rows(1, d0 - 1, &mut got, READ_C_ORDER).unwrap();
            reference
                .read_rows(1, d0 - 1, &mut want, READ_C_ORDER)
                .unwrap();
            assert!(got == want, "{ctx}: rows differ");
        }
    }
}

struct Member {
    key: String,
    full: String,
    reference: std::path::PathBuf,
}

fn check_archive(dir: &Path, name: &str, z: &NpzFile, members: &[Member], how: &str) {
    let keys: Vec<&str> = z.entries().iter().map(|e| e.key.as_str()).collect();
    let want: Vec<&str> = members.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys, want, "{name} ({how}): keys");
    for m in members {
        let ctx = format!("{name}/{} ({how})", m.full);
        if m.reference.extension().unwrap() == "bin" {
            let e = z.open_member(&m.full).unwrap_err();
            assert_eq!(e.status(), Status::BadMagic, "{ctx}: {e}");
            let want = std::fs::read(dir.join(&m.reference)).unwrap();
            let i = z.index_of(&m.full).unwrap();
            let mut got = vec![0u8; want.len()];
            z.read_raw(i, &mut got).unwrap();
            assert_eq!(got, want, "{ctx}: raw bytes");
            continue;
        }
        let reference = NpyFile::open(dir.join(&m.reference)).unwrap();
        let by_key = z
            .open_member(&m.key)
            .unwrap_or_else(|e| panic!("{ctx}: {e}"));
        same_array(&ctx, &by_key, &reference);
        let by_full = z.open_member(&m.full).unwrap();
        same_array(&ctx, &by_full, &reference);
    }
}

#[test]
fn numpy_archives_read_and_write_back() {
    let dir = common::scratch("oracle_npz");
    let gen = dir.join("numpy");
    common::run_script("tests/oracle/gen_npz.py", &[gen.to_str().unwrap()]);
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(gen.join("manifest.json")).unwrap()).unwrap();
    let ours = dir.join("ours");
    std::fs::create_dir_all(&ours).unwrap();
    let mut pairs = Vec::new();
    let mut byte_identical = 0;
    for a in manifest.as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        let kind = a["kind"].as_str().unwrap();
        let path = gen.join(a["file"].as_str().unwrap());
        let members: Vec<Member> = a["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| Member {
                key: m["key"].as_str().unwrap().into(),
                full: m["full"].as_str().unwrap().into(),
                reference: m["ref"].as_str().unwrap().into(),
            })
            .collect();
        let z = NpzFile::open(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        check_archive(&gen, name, &z, &members, "file");
        let zm = NpzFile::from_bytes(std::fs::read(&path).unwrap()).unwrap();
        check_archive(&gen, name, &zm, &members, "memory");

        if members
            .iter()
            .any(|m| m.reference.extension().unwrap() == "bin")
        {
            continue;
        }
        // Write the same arrays back four ways.
        for (variant, compression, align, streamed) in [
            ("stored", Compression::Stored, false, false),
            ("deflate", Compression::Deflate, false, false),
            ("aligned", Compression::Stored, true, false),
            ("streamed", Compression::Deflate, false, true),
            ("streamed_stored", Compression::Stored, true, true),
        ] {
            let out = ours.join(format!("{name}_{variant}.npz"));
            let opts = NpzWriterOptions {
                align,
                ..Default::default()
            };
            let mut w = NpzWriter::create(&out, opts).unwrap();
            for m in &members {
                let r = NpyFile::open(gen.join(&m.reference)).unwrap();
                let h = r.header();
                let data = read_all(&r, 0);
                let dt = DType::parse(&h.dtype.descr()).unwrap();
                if streamed {
                    w.begin(&m.key, &dt, &h.shape, h.fortran_order, compression)
                        .unwrap();
                    let third = data.len() / 3;
                    for piece in [&data[..third], &data[third..2 * third], &data[2 * third..]] {
                        w.write(piece).unwrap();
                    }
                    w.end().unwrap();
                } else {
                    w.add(&m.key, &dt, &h.shape, h.fortran_order, &data, compression)
                        .unwrap();
                }
            }
            w.finish().unwrap();
            if kind == "savez" && variant == "stored" {
                assert!(
                    std::fs::read(&out).unwrap() == std::fs::read(&path).unwrap(),
                    "{name}: not byte-identical to np.savez"
                );
                byte_identical += 1;
            }
            if align {
                let bytes = std::fs::read(&out).unwrap();
                let base = bytes.as_ptr() as usize;
                let z = NpzFile::from_bytes(bytes).unwrap();
                for i in 0..z.len() {
                    let f = z.open_member_at(i).unwrap();
                    if f.nbytes() > 0 {
                        let off = f.data().unwrap().as_ptr() as usize - base;
                        assert_eq!(off % 64, 0, "{name} {variant}: member {i} data at {off}");
                    }
                }
            }
            // Our archive reads back like NumPy's.
            let z2 = NpzFile::open(&out).unwrap();
            check_archive(&gen, &format!("{name}_{variant}"), &z2, &members, "ours");
            pairs.push(
                serde_json::json!({"name": format!("{name}_{variant}"), "ours": out, "ref": path}),
            );
        }
    }
    assert_eq!(
        byte_identical, 3,
        "savez archives checked for byte identity"
    );
    common::numpy_verifies(
        "tests/oracle/verify_npz.py",
        &dir,
        &serde_json::to_vec(&pairs).unwrap(),
        pairs.len(),
    );
}
