//! Opt-in: an archive with members larger than 4 GiB, checked by NumPy.
//!
//! `cargo test --release --test huge_npz -- --ignored` (about 10 GB of disk in the
//! scratch dir under target/, ~10 GiB of RAM for NumPy's loads, a minute or two).
//! It is not part of the default run only because of that size.
//!
//! One stored and one deflate member of 4.5 × 10^9 `|u1` values (`i % 251`), each
//! streamed with `begin` / `write` / `end` in 64 MiB pieces, so neither is ever
//! whole in memory here. The archive needs zip64 everywhere: member sizes, the
//! second member's offset and the central directory's. libnpyio reads the last
//! rows of each member back (for the deflate member that inflates it all and
//! checks its CRC), then NumPy loads both with `allow_pickle=False` and compares
//! them with the pattern, chunk by chunk.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::DType;

const N: u64 = 4_500_000_000;
const PIECE: u64 = 64 << 20;

fn pattern(start: u64, out: &mut [u8]) {
    let mut v = (start % 251) as u8;
    for b in out {
        *b = v;
        v = if v == 250 { 0 } else { v + 1 };
    }
}

#[test]
#[ignore = "writes ~10 GB; run with --ignored"]
fn members_over_4_gib_load_in_numpy() {
    let dir = common::scratch("huge_npz");
    let path = dir.join("huge.npz");
    let dt = DType::parse("|u1").unwrap();
    let mut w = NpzWriter::create(&path, NpzWriterOptions::default()).unwrap();
    let mut buf = vec![0u8; PIECE as usize];
    for (name, comp) in [
        ("stored", Compression::Stored),
        ("deflate", Compression::Deflate),
    ] {
        w.begin(name, &dt, &[N], false, comp).unwrap();
        let mut at = 0;
        while at < N {
            let n = PIECE.min(N - at);
            pattern(at, &mut buf[..n as usize]);
            w.write(&buf[..n as usize]).unwrap();
            at += n;
        }
        w.end().unwrap();
    }
    w.finish().unwrap();
    drop(buf);

    let z = NpzFile::open(&path).unwrap();
    for name in ["stored", "deflate"] {
        let f = z.open_member(name).unwrap();
        assert_eq!(f.header().shape, vec![N]);
        let mut tail = vec![0u8; 1000];
        f.read_rows(N - 1000, 1000, &mut tail, 0).unwrap();
        let mut want = vec![0u8; 1000];
        pattern(N - 1000, &mut want);
        assert_eq!(tail, want, "{name}: last rows");
    }

    let script = r#"
import sys
import zipfile
import numpy as np
path, n = sys.argv[1], int(sys.argv[2])
chunk = 1 << 28
info = zipfile.ZipFile(path).infolist()
assert info[0].file_size > 1 << 32 and info[1].header_offset > 1 << 32, info
assert [i.compress_type for i in info] == [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]
with np.load(path, allow_pickle=False) as z:
    assert z.files == ["stored", "deflate"], z.files
    for name in z.files:
        a = z[name]
        assert a.dtype == np.uint8 and a.shape == (n,), (a.dtype, a.shape)
        for s in range(0, n, chunk):
            e = min(n, s + chunk)
            want = (np.arange(s, e, dtype=np.uint64) % 251).astype(np.uint8)
            assert np.array_equal(a[s:e], want), (name, s)
        del a
        print(name, "equal")
print("ok")
"#;
    let out = common::run_python(&["-c", script, path.to_str().unwrap(), &N.to_string()]);
    assert!(
        out.contains("stored equal") && out.contains("deflate equal") && out.ends_with("ok\n"),
        "{out}"
    );
    std::fs::remove_file(&path).unwrap();
}
