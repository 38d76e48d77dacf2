//! Memory maps with NumPy as the oracle: files from open_memmap and raw
//! np.memmap views map to the same bytes; files libnpyio creates through
//! maps load in NumPy; mode semantics; bad input; concurrent readers.

use npyio_test_support as common;

use npyio::npy::MapMode;
use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{DType, NpyFile, RawMode, Status, READ_C_ORDER};
use serde_json::{json, Value};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn numpy_maps_agree() {
    let dir = common::scratch("mmap_numpy");
    common::run_script(
        "tests/oracle/mmap_cases.py",
        &["gen", dir.to_str().unwrap()],
    );
    let cases: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    for c in cases.as_array().unwrap() {
        let file = dir.join(c["file"].as_str().unwrap());
        let want = hex(c["hex"].as_str().unwrap());
        let shape: Vec<u64> = c["shape"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_u64().unwrap())
            .collect();
        let fortran = c["fortran"].as_bool().unwrap();
        let dt = DType::parse(c["descr"].as_str().unwrap()).unwrap();
        let f = if c["kind"] == "npy" {
            NpyFile::mmap(&file, MapMode::Read).unwrap()
        } else {
            let given = c["given_shape"].as_bool().unwrap().then_some(&shape[..]);
            let off = c["offset"].as_u64().unwrap();
            NpyFile::mmap_raw(
                &file,
                &dt,
                given,
                fortran,
                off,
                RawMode::Existing(MapMode::Read),
            )
            .unwrap()
        };
        let ctx = format!("{c}");
        assert_eq!(f.header().dtype, dt, "{ctx}");
        assert_eq!(f.header().shape, shape, "{ctx}");
        assert_eq!(
            npyio::header::effective_fortran(&shape, f.header().fortran_order),
            fortran && shape.iter().filter(|&&d| d > 1).count() > 1,
            "{ctx}"
        );
        assert!(
            f.data().unwrap() == &want[..],
            "{ctx}: mapped bytes differ from NumPy's"
        );
        // Maps are zero-copy: no writable pointer in read mode.
        let mut f = f;
        assert!(f.data_mut().is_none());
    }
}

#[test]
fn maps_we_create_load_in_numpy() {
    let dir = common::scratch("mmap_ours");
    let mut ours = Vec::new();
    // open_memmap(mode='w+') equivalents, C and Fortran, filled through the map.
    for (name, descr, shape, fortran) in [
        ("c.npy", "<f8", vec![4u64, 6], false),
        ("f.npy", ">i4", vec![3, 5], true),
        ("e.npy", "<f4", vec![0, 3], false),
        ("z.npy", "<u2", vec![], false),
    ] {
        let dt = DType::parse(descr).unwrap();
        let mut f = NpyFile::mmap_create(dir.join(name), &dt, &shape, fortran).unwrap();
        let isz = dt.itemsize();
        let data = f.data_mut().unwrap();
        for (i, item) in data.chunks_mut(isz).enumerate() {
            let v = (i as u64 * 3 + 1).to_le_bytes();
            item.copy_from_slice(&v[..isz]);
            if descr.starts_with('>') {
                item.reverse();
            }
        }
        let bytes = data.to_vec();
        f.flush().unwrap();
        drop(f);
        ours.push(json!({"kind": "npy", "file": name, "descr": descr, "shape": shape, "fortran": fortran, "hex": bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()}));
    }
    // np.memmap(mode='w+') equivalent with an unaligned offset.
    let dt = DType::parse("<i2").unwrap();
    let mut r = NpyFile::mmap_raw(
        dir.join("raw.bin"),
        &dt,
        Some(&[6, 7]),
        true,
        1001,
        RawMode::Create,
    )
    .unwrap();
    for (i, item) in r.data_mut().unwrap().chunks_mut(2).enumerate() {
        item.copy_from_slice(&(i as i16 - 20).to_le_bytes());
    }
    let bytes = r.data().unwrap().to_vec();
    r.flush().unwrap();
    drop(r);
    ours.push(json!({"kind": "raw", "file": "raw.bin", "descr": "<i2", "shape": [6, 7], "fortran": true, "offset": 1001, "hex": bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()}));
    std::fs::write(dir.join("ours.json"), serde_json::to_vec(&ours).unwrap()).unwrap();
    let out = common::run_script(
        "tests/oracle/mmap_cases.py",
        &["check", dir.to_str().unwrap()],
    );
    assert!(out.contains("5 passed, 0 failed"), "{out}");
    assert!(common::temp_files(&dir).is_empty());
}

#[test]
fn mode_semantics() {
    let dir = common::scratch("mmap_modes");
    let p = dir.join("m.npy");
    let dt = DType::parse("<f8").unwrap();
    let data: Vec<u8> = (0..10).flat_map(|i| (i as f64).to_le_bytes()).collect();
    npyio::save(&p, &dt, &[10], false, &data, Default::default()).unwrap();
    let original = std::fs::read(&p).unwrap();

    let mut r = NpyFile::mmap(&p, MapMode::Read).unwrap();
    assert!(r.data_mut().is_none() && !r.is_writable());

    let mut c = NpyFile::mmap(&p, MapMode::CopyOnWrite).unwrap();
    c.data_mut().unwrap()[..8].copy_from_slice(&99f64.to_le_bytes());
    assert_eq!(&c.data().unwrap()[..8], &99f64.to_le_bytes());
    c.flush().unwrap();
    drop(c);
    assert_eq!(
        std::fs::read(&p).unwrap(),
        original,
        "copy-on-write reached the file"
    );

    let mut w = NpyFile::mmap(&p, MapMode::ReadWrite).unwrap();
    w.data_mut().unwrap()[8..16].copy_from_slice(&(-5f64).to_le_bytes());
    w.flush().unwrap();
    drop(w);
    let after = NpyFile::open(&p).unwrap();
    let mut buf = vec![0u8; 80];
    after.read_into(&mut buf, 0).unwrap();
    assert_eq!(&buf[8..16], &(-5f64).to_le_bytes());
    assert_eq!(&buf[16..], &data[16..]);
    // The read-only map saw the change too (same pages).
    assert_eq!(&r.data().unwrap()[8..16], &(-5f64).to_le_bytes());
}

#[test]
fn bad_input() {
    let dir = common::scratch("mmap_bad");
    let dt = DType::parse("<f8").unwrap();
    let p = dir.join("x.npy");
    npyio::save(&p, &dt, &[100], false, &vec![0u8; 800], Default::default()).unwrap();
    let full = std::fs::read(&p).unwrap();

    // Short file: the header promises 800 bytes, 400 are there. No SIGBUS.
    let short = dir.join("short.npy");
    std::fs::write(&short, &full[..full.len() - 400]).unwrap();
    let e = NpyFile::mmap(&short, MapMode::Read).unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");
    assert!(
        e.message().contains("short.npy") && e.message().contains("only 400 follow"),
        "{e}"
    );

    // Header lying about the size (shape (1000,) over 800 bytes).
    let mut lie = full.clone();
    let pos = lie.windows(6).position(|w| w == b"(100,)").unwrap();
    lie[pos..pos + 6].copy_from_slice(b"(999,)");
    std::fs::write(dir.join("lie.npy"), &lie).unwrap();
    let e = NpyFile::mmap(dir.join("lie.npy"), MapMode::ReadWrite).unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");

    // Object dtype.
    let obj = dir.join("obj.npy");
    let mut o = full.clone();
    let pos = o.windows(5).position(|w| w == b"'<f8'").unwrap();
    o[pos..pos + 5].copy_from_slice(b"'|O' ");
    std::fs::write(&obj, &o).unwrap();
    assert_eq!(
        NpyFile::mmap(&obj, MapMode::Read).unwrap_err().status(),
        Status::ObjectDtype
    );

    // Offset beyond the file, and a raw shape the file cannot hold.
    let e = NpyFile::mmap_raw(
        &p,
        &dt,
        None,
        false,
        1 << 20,
        RawMode::Existing(MapMode::Read),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");
    assert!(e.message().contains("beyond the end of the file"), "{e}");
    let e = NpyFile::mmap_raw(
        &p,
        &dt,
        Some(&[1000]),
        false,
        0,
        RawMode::Existing(MapMode::Read),
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");
    let e =
        NpyFile::mmap_raw(&p, &dt, None, false, 3, RawMode::Existing(MapMode::Read)).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");

    // Deflate members cannot be mapped; stored ones map zero-copy.
    let z = dir.join("z.npz");
    let mut w = NpzWriter::create(
        &z,
        NpzWriterOptions {
            align: true,
            ..Default::default()
        },
    )
    .unwrap();
    w.add(
        "s",
        &dt,
        &[100],
        false,
        &vec![1u8; 800],
        Compression::Stored,
    )
    .unwrap();
    w.add(
        "d",
        &dt,
        &[100],
        false,
        &vec![1u8; 800],
        Compression::Deflate,
    )
    .unwrap();
    w.finish().unwrap();
    let zf = NpzFile::open(&z).unwrap();
    let e = zf.mmap_member("d").unwrap_err();
    assert_eq!(e.status(), Status::NotMappable, "{e}");
    assert!(e.message().contains("member 'd.npy'"), "{e}");
    let m = zf.mmap_member("s").unwrap();
    let ptr = m.data().unwrap().as_ptr() as usize;
    assert_eq!(
        ptr % 64,
        0,
        "aligned member maps to a 64-byte aligned address"
    );
    assert_eq!(m.data().unwrap(), &vec![1u8; 800][..]);
}

#[test]
fn eight_threads_share_one_map_one_file_one_archive() {
    let dir = common::scratch("mmap_threads");
    let dt = DType::parse("<u4").unwrap();
    let rows = 512u64;
    let data: Vec<u8> = (0..rows * 64)
        .flat_map(|i| (i as u32).to_le_bytes())
        .collect();
    let p = dir.join("t.npy");
    npyio::save(&p, &dt, &[rows, 64], false, &data, Default::default()).unwrap();
    let z = dir.join("t.npz");
    let mut w = NpzWriter::create(&z, Default::default()).unwrap();
    w.add("s", &dt, &[rows, 64], false, &data, Compression::Stored)
        .unwrap();
    w.add("d", &dt, &[rows, 64], false, &data, Compression::Deflate)
        .unwrap();
    w.finish().unwrap();
    let map = NpyFile::mmap(&p, MapMode::Read).unwrap();
    let file = NpyFile::open(&p).unwrap();
    let archive = NpzFile::open(&z).unwrap();
    let stored = archive.open_member("s").unwrap();
    std::thread::scope(|s| {
        for t in 0..8u64 {
            let (map, file, archive, stored, data) = (&map, &file, &archive, &stored, &data);
            s.spawn(move || {
                let row = 256usize;
                for k in 0..64u64 {
                    let first = (t * 61 + k * 7) % (rows - 4);
                    let want = &data[first as usize * row..(first as usize + 4) * row];
                    for f in [map, file, stored] {
                        let mut buf = vec![0u8; 4 * row];
                        f.read_rows(first, 4, &mut buf, READ_C_ORDER).unwrap();
                        assert_eq!(&buf[..], want);
                    }
                    assert_eq!(
                        &map.data().unwrap()[first as usize * row..(first as usize + 4) * row],
                        want
                    );
                }
                let d = archive
                    .open_member(if t % 2 == 0 { "d" } else { "s" })
                    .unwrap();
                let mut all = vec![0u8; data.len()];
                d.read_into(&mut all, 0).unwrap();
                assert_eq!(&all, data);
            });
        }
    });
}
