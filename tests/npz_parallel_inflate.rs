//! Big deflate members of NumPy's archives, inflated on several threads
//! (`NPYIO_LIMIT_READ_THREADS`), give np.load's bytes for every thread
//! count; a damaged member gives the same error whatever the thread count.
//! The thread-count limit is process-wide: one test in this binary sets it.

use npyio_test_support as common;

use npyio::npz::NpzFile;
use npyio::{Limit, Status};

const MEMBERS: [&str; 4] = ["random", "arange", "text", "bytes"];

/// NumPy writes four 24 MB members with np.savez_compressed (random
/// doubles, an arange, repeated text codes, random bytes that zlib stores)
/// and each member's array bytes as np.load gives them.
fn numpy_archive(dir: &std::path::Path) {
    common::py(
        dir,
        "import numpy as np\n\
         r = np.random.default_rng(7)\n\
         a = {'random': r.random(3_000_000), 'arange': np.arange(3_000_000, dtype='<f8'),\n\
              'text': np.array([b'%d;%d' % (i % 97, i % 89) for i in range(2_400_000)], dtype='S10'),\n\
              'bytes': r.integers(0, 256, 24_000_000, dtype=np.uint8)}\n\
         np.savez_compressed('big.npz', **a)\n\
         z = np.load('big.npz', allow_pickle=False)\n\
         for k in a:\n    open(k + '.bin', 'wb').write(z[k].tobytes())\n",
    );
}

fn read_all(z: &NpzFile, name: &str) -> Result<Vec<u8>, npyio::Error> {
    let m = z.open_member(name)?;
    let mut b = vec![0u8; m.nbytes() as usize];
    m.read_into(&mut b, 0)?;
    Ok(b)
}

#[test]
fn every_thread_count_reads_numpys_bytes() {
    let dir = common::scratch("par_inflate");
    numpy_archive(&dir);
    let path = dir.join("big.npz");
    for threads in [1u64, 2, 3, 4, 0] {
        Limit::ReadThreads.set(threads);
        let z = NpzFile::open(&path).unwrap();
        for name in MEMBERS {
            let want = std::fs::read(dir.join(format!("{name}.bin"))).unwrap();
            let got = read_all(&z, name).unwrap();
            assert!(got == want, "threads {threads}, member {name}");
            // Twice from one handle, and rows from the middle (read in one pass).
            assert!(
                read_all(&z, name).unwrap() == want,
                "threads {threads}, {name} again"
            );
        }
        // An archive held in memory is inflated in place.
        let bytes = std::fs::read(&path).unwrap();
        let z = NpzFile::from_bytes(bytes).unwrap();
        let want = std::fs::read(dir.join("random.bin")).unwrap();
        assert!(
            read_all(&z, "random").unwrap() == want,
            "threads {threads}, in memory"
        );
    }

    // Damage in the middle of the random member's compressed bytes: the
    // same status and message on one thread and on several.
    let mut raw = std::fs::read(&path).unwrap();
    let z = NpzFile::open(&path).unwrap();
    let csize = z
        .entries()
        .iter()
        .find(|e| e.key == "random")
        .unwrap()
        .compressed_size;
    drop(z);
    // The local header (30 bytes, then the name and the extra field) comes
    // before the first place the name appears.
    let name = raw.windows(10).position(|w| w == b"random.npy").unwrap();
    let extra = u16::from_le_bytes([raw[name - 2], raw[name - 1]]) as usize;
    let data = name + 10 + extra;
    raw[data + (csize as usize) * 2 / 3] ^= 0x5a;
    let bad = dir.join("bad.npz");
    std::fs::write(&bad, &raw).unwrap();
    let mut seen = Vec::new();
    for threads in [1u64, 2, 4] {
        Limit::ReadThreads.set(threads);
        let z = NpzFile::open(&bad).unwrap();
        let err = read_all(&z, "random").unwrap_err();
        assert!(
            matches!(err.status(), Status::Zip | Status::Crc),
            "threads {threads}: {err}"
        );
        assert!(
            err.message().contains("bad.npz"),
            "threads {threads}: {err}"
        );
        seen.push(err.to_string());
        // The other members are untouched.
        let want = std::fs::read(dir.join("arange.bin")).unwrap();
        assert!(read_all(&z, "arange").unwrap() == want, "threads {threads}");
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]), "{seen:?}");
    Limit::ReadThreads.set(0);
}
