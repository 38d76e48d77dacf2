//! NumPy as the oracle for archive members compressed with bzip2 (12),
//! LZMA (14) and zstd (93): Python's zipfile writes them around np.save'd
//! members, np.load reads them (the reference copies come from np.load),
//! and libnpyio reads the same bytes, from a file and from memory, whole
//! and in rows, with the CRC checked.

use npyio_test_support as common;

use npyio::npz::NpzFile;
use npyio::{NpyFile, Status, READ_C_ORDER, READ_NATIVE};
use std::path::Path;

/// Writes `<method>.npz` for each zipfile method named in `methods`, plus
/// `mixed.npz` with one member of each, and `ref_<method>_<key>.npy` from
/// what np.load returns for each array member (`ref_..._<key>.bin` for raw
/// members). Prints the keys of each archive.
const MAKE: &str = r#"
import sys, io
methods = sys.argv[1].split(',')
if 'ZIP_ZSTANDARD' in methods:
    from backports.zstd import zipfile as zf
    sys.modules['zipfile'] = zf
import zipfile
import numpy as np

rng = np.random.default_rng(5)
arrays = {
    'f8': rng.standard_normal((700, 9)),
    'ramp': np.arange(600_000, dtype='<i4'),
    'rec': np.array([(1, 2.5, b'ab'), (-3, 4.0, b'xyz')] * 50,
                    dtype=[('n', '>i4'), ('x', '<f8'), ('s', 'S3')]),
    'fort': np.asfortranarray(rng.standard_normal((40, 30)).astype('>f4')),
    'empty': np.zeros((0, 3)),
    'scalar': np.array(7.5),
    'u': np.array(['np', 'load'], dtype='<U4'),
}
raw = {'notes.txt': b'hello from zipfile\n' * 40}

def npy_bytes(a):
    b = io.BytesIO()
    np.save(b, a)
    return b.getvalue()

for name in methods:
    method = getattr(zipfile, name)
    with zipfile.ZipFile(name + '.npz', 'w', compression=method) as z:
        for k, a in arrays.items():
            z.writestr(k + '.npy', npy_bytes(a))
        for k, v in raw.items():
            z.writestr(k, v)
with zipfile.ZipFile('mixed.npz', 'w') as z:
    for i, name in enumerate(['ZIP_STORED', 'ZIP_DEFLATED'] + methods):
        z.writestr(f'm{i}.npy', npy_bytes(arrays['f8'] * i), compress_type=getattr(zipfile, name))

for name in methods + ['mixed']:
    d = np.load(name + '.npz', allow_pickle=False)
    for k in d.files:
        v = d[k]
        if isinstance(v, bytes):
            open(f'ref_{name}_{k}.bin', 'wb').write(v)
        else:
            np.save(f'ref_{name}_{k}.npy', v)
    print(name, ' '.join(d.files))
"#;

fn read_all(f: &NpyFile, flags: u32) -> Vec<u8> {
    let mut v = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut v, flags)
        .unwrap_or_else(|e| panic!("{}: read {flags}: {e}", f.name()));
    v
}

/// Every member of `archive` against NumPy's copies: whole reads with each
/// flag, rows read in order (the stream carried on) and out of order (from
/// the start again), raw members byte for byte.
fn check(dir: &Path, tag: &str, archive: &str, keys: &[&str], method: Option<u16>) {
    let path = dir.join(archive);
    let bytes = std::fs::read(&path).unwrap();
    for (how, z) in [
        ("file", NpzFile::open(&path).unwrap()),
        ("memory", NpzFile::from_bytes(bytes.clone()).unwrap()),
    ] {
        let got: Vec<&str> = z.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(got, keys, "{archive} ({how}): keys");
        if let Some(m) = method {
            assert!(
                z.entries().iter().all(|e| e.method == m),
                "{archive}: methods {:?}",
                z.entries().iter().map(|e| e.method).collect::<Vec<_>>()
            );
        }
        for key in keys {
            let ctx = format!("{archive}:{key} ({how})");
            let reference = dir.join(format!("ref_{tag}_{key}.npy"));
            if !reference.exists() {
                let want = std::fs::read(dir.join(format!("ref_{tag}_{key}.bin"))).unwrap();
                let e = z.open_member(key).unwrap_err();
                assert_eq!(e.status(), Status::BadMagic, "{ctx}: {e}");
                let mut got = vec![0u8; want.len()];
                z.read_raw_named(key, &mut got)
                    .unwrap_or_else(|e| panic!("{ctx}: {e}"));
                assert!(got == want, "{ctx}: raw bytes differ");
                continue;
            }
            let reference = NpyFile::open(&reference).unwrap();
            let ours = z.open_member(key).unwrap_or_else(|e| panic!("{ctx}: {e}"));
            assert_eq!(ours.header(), reference.header(), "{ctx}: header");
            for flags in [0, READ_NATIVE, READ_C_ORDER | READ_NATIVE] {
                assert!(
                    read_all(&ours, flags) == read_all(&reference, flags),
                    "{ctx}: data differs (flags {flags})"
                );
            }
            let Some(&rows) = ours.header().shape.first() else {
                continue;
            };
            if rows < 2 || ours.header().fortran_order {
                continue;
            }
            // Rows in order, in a fresh handle: each read continues the
            // stream where the last stopped; the last one checks the CRC.
            let ours = z.open_member(key).unwrap();
            let row = ours.rows_nbytes(1).unwrap() as usize;
            let step = (rows / 7).max(1);
            let mut at = 0;
            while at < rows {
                let n = step.min(rows - at);
                let mut got = vec![0u8; row * n as usize];
                let mut want = got.clone();
                ours.read_rows(at, n, &mut got, 0)
                    .unwrap_or_else(|e| panic!("{ctx}: rows {at}+{n}: {e}"));
                reference.read_rows(at, n, &mut want, 0).unwrap();
                assert!(got == want, "{ctx}: rows {at}+{n} differ");
                at += n;
            }
            // Back to an earlier row: the stream starts again.
            let mut got = vec![0u8; row];
            let mut want = got.clone();
            ours.read_rows(1, 1, &mut got, 0).unwrap();
            reference.read_rows(1, 1, &mut want, 0).unwrap();
            assert!(got == want, "{ctx}: row 1 again");
        }
    }
}

fn run(methods: &[(&str, u16)], scratch: &str) {
    let dir = common::scratch(scratch);
    let names: Vec<&str> = methods.iter().map(|m| m.0).collect();
    let out = common::py(
        &dir,
        &format!("import sys\nsys.argv = ['', '{}']\n{MAKE}", names.join(",")),
    );
    let mut lines = out.lines();
    for (zip_name, method) in methods {
        let line = lines.next().unwrap();
        let keys: Vec<&str> = line.split(' ').skip(1).collect();
        assert_eq!(line.split(' ').next(), Some(*zip_name), "{out}");
        check(
            &dir,
            zip_name,
            &format!("{zip_name}.npz"),
            &keys,
            Some(*method),
        );
    }
    let line = lines.next().unwrap();
    let keys: Vec<&str> = line.split(' ').skip(1).collect();
    assert_eq!(keys.len(), 2 + methods.len(), "{out}");
    check(&dir, "mixed", "mixed.npz", &keys, None);
}

#[test]
fn bzip2_and_lzma_members_of_zipfile_read_as_np_load_reads_them() {
    run(&[("ZIP_BZIP2", 12), ("ZIP_LZMA", 14)], "methods_bz_lzma");
}

#[test]
fn zstd_members_of_zipfile_read_as_np_load_reads_them() {
    run(&[("ZIP_ZSTANDARD", 93)], "methods_zstd");
}

/// Python with Python 3.14's zipfile (backports.zstd's) in place of its
/// own, so np.load reads zstd members.
const ZSTD_PY: &str = "import sys\nfrom backports.zstd import zipfile as zf\nsys.modules['zipfile'] = zf\nimport numpy as np\n";

/// Archives with zstd members that libnpyio writes (whole, streamed, large
/// enough for zstd's workers, at several levels, next to stored and
/// deflate members) load in NumPy, equal to the arrays written; zipfile
/// sees method 93 and version 6.3; libnpyio reads them back.
#[test]
fn zstd_members_we_write_load_in_numpy() {
    use npyio::npz::{Compression, NpzWriter, NpzWriterOptions};
    use npyio::DType;
    let dir = common::scratch("methods_zstd_write");
    let f8 = DType::parse("<f8").unwrap();
    let big: Vec<u8> = (0..1_500_000u64)
        .flat_map(|i| ((i as f64).sin() * 1e3).round().to_le_bytes())
        .collect();
    let small: Vec<u8> = (0..100u64).flat_map(|i| (i as f64).to_le_bytes()).collect();
    let be = DType::parse(">i4").unwrap();
    let fort: Vec<u8> = (0..12i32).flat_map(|i| (i * 7).to_be_bytes()).collect();
    for (name, level, threads) in [
        ("z_default", None, 0),
        ("z_fast", Some(-5), 1),
        ("z_19", Some(19), 2),
    ] {
        let path = dir.join(format!("{name}.npz"));
        let opts = NpzWriterOptions {
            threads,
            ..NpzWriterOptions::default()
        };
        let mut w = NpzWriter::create(&path, opts).unwrap();
        if let Some(l) = level {
            w.set_level(Compression::Zstd, l).unwrap();
        }
        w.add("big", &f8, &[1_500_000], false, &big, Compression::Zstd)
            .unwrap();
        w.add("small", &f8, &[10, 10], false, &small, Compression::Zstd)
            .unwrap();
        w.add("fort", &be, &[3, 4], true, &fort, Compression::Zstd)
            .unwrap();
        w.add("empty", &f8, &[0], false, &[], Compression::Zstd)
            .unwrap();
        w.add("st", &f8, &[100], false, &small, Compression::Stored)
            .unwrap();
        w.add("df", &f8, &[100], false, &small, Compression::Deflate)
            .unwrap();
        // Streamed in uneven pieces.
        w.begin("streamed", &f8, &[1_500_000], false, Compression::Zstd)
            .unwrap();
        for piece in big.chunks(777_777) {
            w.write(piece).unwrap();
        }
        w.end().unwrap();
        w.finish().unwrap();
        let out = common::py(
            &dir,
            &format!(
                "{ZSTD_PY}\
                 z = zf.ZipFile('{name}.npz')\n\
                 print(' '.join(f'{{i.compress_type}}/{{i.extract_version}}' for i in z.infolist()))\n\
                 d = np.load('{name}.npz', allow_pickle=False)\n\
                 big = np.round(np.sin(np.arange(1_500_000.0)) * 1e3)\n\
                 assert np.array_equal(d['big'], big)\n\
                 assert np.array_equal(d['streamed'], big)\n\
                 assert np.array_equal(d['small'], np.arange(100.0).reshape(10, 10))\n\
                 f = d['fort']\n\
                 assert f.dtype == np.dtype('>i4') and f.flags.f_contiguous\n\
                 assert np.array_equal(f, (np.arange(12) * 7).reshape(3, 4, order='F'))\n\
                 assert d['empty'].shape == (0,)\n\
                 assert np.array_equal(d['st'], np.arange(100.0))\n\
                 assert np.array_equal(d['df'], np.arange(100.0))\n\
                 print('ok')\n"
            ),
        );
        assert_eq!(
            out.trim(),
            "93/63 93/63 93/63 93/63 0/45 8/45 93/63\nok",
            "{name}"
        );
        // And back.
        let z = NpzFile::open(&path).unwrap();
        let m = z.open_member("streamed").unwrap();
        assert!(read_all(&m, 0) == big, "{name}: streamed member");
    }
}

#[test]
fn zstd_levels_checked() {
    use npyio::npz::{Compression, NpzWriter, NpzWriterOptions};
    let dir = common::scratch("methods_zstd_levels");
    let mut w = NpzWriter::create(dir.join("l.npz"), NpzWriterOptions::default()).unwrap();
    for (c, bad) in [
        (Compression::Zstd, 23),
        (Compression::Zstd, -200_000),
        (Compression::Deflate, 10),
        (Compression::Deflate, -2),
        (Compression::Stored, 1),
    ] {
        let e = w.set_level(c, bad).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArg, "{c:?} {bad}: {e}");
        assert!(e.message().contains("l.npz"), "{e}");
        let what = match c {
            Compression::Zstd => format!("zstd level {bad} is not in"),
            Compression::Deflate => format!("compression level {bad} is not in 0..=9"),
            Compression::Stored => "stored members have no level".into(),
        };
        assert!(e.message().contains(&what), "{c:?} {bad}: {e}");
    }
    for (c, good) in [
        (Compression::Zstd, 0),
        (Compression::Zstd, 22),
        (Compression::Zstd, -1),
        (Compression::Deflate, -1),
        (Compression::Deflate, 9),
    ] {
        w.set_level(c, good).unwrap();
    }
    w.discard();
    let e = NpzWriter::create(
        dir.join("m.npz"),
        NpzWriterOptions {
            zstd_level: 0,
            ..NpzWriterOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
}

/// Members are written at level 1 unless a level is set, and 0 names that default: the
/// archives written by default, at 0 and at 1 are the same size, and level 3's differs.
#[test]
fn zstd_default_level_is_1() {
    use npyio::npz::{Compression, NpzWriter, NpzWriterOptions};
    use npyio::DType;
    let dir = common::scratch("methods_zstd_default");
    let f8 = DType::parse("<f8").unwrap();
    let data: Vec<u8> = (0..200_000u64)
        .flat_map(|i| ((i as f64).sin() * 1e3).round().to_le_bytes())
        .collect();
    let size = |name: &str, level: Option<i32>| {
        let path = dir.join(format!("{name}.npz"));
        let opts = NpzWriterOptions {
            threads: 1,
            ..NpzWriterOptions::default()
        };
        let mut w = NpzWriter::create(&path, opts).unwrap();
        if let Some(l) = level {
            w.set_level(Compression::Zstd, l).unwrap();
        }
        w.add("a", &f8, &[200_000], false, &data, Compression::Zstd)
            .unwrap();
        w.finish().unwrap();
        std::fs::metadata(&path).unwrap().len()
    };
    let default = size("default", None);
    assert_eq!(default, size("zero", Some(0)));
    assert_eq!(default, size("one", Some(1)));
    assert_ne!(default, size("three", Some(3)));
    assert_eq!(NpzWriterOptions::checked_zstd_level(0).unwrap(), 1);
}
