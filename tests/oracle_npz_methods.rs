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
