//! Arrays and archives read through a caller-supplied positional reader
//! (`NpyFile::from_reader`, `NpzFile::from_reader`): the values are
//! NumPy's, reads may come from several threads, and reading one member of
//! an archive asks only for that member's bytes and the directory.

use npyio_test_support as common;

use npyio::io::ByteSource;
use npyio::npz::NpzFile;
use npyio::{NpyFile, Result, READ_C_ORDER, READ_NATIVE};
use std::sync::{Arc, Mutex};

/// A reader over bytes in memory that records every (offset, length) asked
/// of it, and that offers no borrowed slice and no file: everything goes
/// through `read_at`, as with a reader supplied from C.
struct Recorder {
    bytes: Vec<u8>,
    log: Log,
}

/// Every read asked of a [`Recorder`]: offset and length.
type Log = Arc<Mutex<Vec<(u64, usize)>>>;

impl Recorder {
    fn new(bytes: Vec<u8>) -> (Recorder, Log) {
        let log = Arc::new(Mutex::new(Vec::new()));
        (
            Recorder {
                bytes,
                log: log.clone(),
            },
            log,
        )
    }
}

impl ByteSource for Recorder {
    fn size(&self) -> u64 {
        self.bytes.len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        self.log.lock().unwrap().push((offset, buf.len()));
        let o = offset as usize;
        assert!(
            o + buf.len() <= self.bytes.len(),
            "read of {}..{} past the end ({})",
            o,
            o + buf.len(),
            self.bytes.len()
        );
        buf.copy_from_slice(&self.bytes[o..o + buf.len()]);
        Ok(())
    }
}

fn take(log: &Mutex<Vec<(u64, usize)>>) -> Vec<(u64, usize)> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// NumPy writes `name.npy` and the bytes of the same array in host byte
/// order and C order (`name.native`).
fn numpy_npy(dir: &std::path::Path, name: &str, expr: &str) -> (Vec<u8>, Vec<u8>) {
    let p = dir.join(format!("{name}.npy"));
    let n = dir.join(format!("{name}.native"));
    common::run_python(&[
        "-c",
        &format!(
            "import numpy as np, sys\n\
             a = {expr}\n\
             np.save(sys.argv[1], a)\n\
             open(sys.argv[2], 'wb').write(np.ascontiguousarray(a.astype(a.dtype.newbyteorder('='))).tobytes())"
        ),
        p.to_str().unwrap(),
        n.to_str().unwrap(),
    ]);
    (std::fs::read(p).unwrap(), std::fs::read(n).unwrap())
}

#[test]
fn npy_through_a_reader_reads_numpys_values() {
    let dir = common::scratch("reader_npy");
    let cases = [
        (
            "f8_fortran",
            "np.asfortranarray(np.arange(60, dtype='>f8').reshape(5, 12) / 7)",
        ),
        ("i2", "np.arange(-500, 500, dtype='<i2').reshape(10, 100)"),
        (
            "record",
            "np.array([(i, -i * 0.5, 'ab'[i % 2] * (i % 4)) for i in range(40)], \
             dtype=[('a', '>i4'), ('b', '<f8'), ('c', '>U3')])",
        ),
        ("empty", "np.zeros((0, 3), dtype='>u8')"),
        ("scalar", "np.array(3.25, dtype='>f4')"),
    ];
    for (name, expr) in cases {
        let (file, native) = numpy_npy(&dir, name, expr);
        let (r, log) = Recorder::new(file.clone());
        let f = NpyFile::from_reader(r, name).unwrap();
        // The header is read in three reads, in order, from the start.
        let opened = take(&log);
        assert_eq!(opened.len(), 3, "{name}: {opened:?}");
        assert_eq!(opened[0], (0, 8), "{name}");
        assert_eq!(f.data(), None, "{name}: a reader lends no slice");
        let mut got = vec![0u8; f.nbytes() as usize];
        f.read_into(&mut got, READ_NATIVE | READ_C_ORDER).unwrap();
        assert!(got == native, "{name}: values differ from NumPy's");
        // Only the data is read, never past it.
        let start = f.header().data_offset;
        for (o, n) in take(&log) {
            assert!(
                o >= start && o + n as u64 <= file.len() as u64,
                "{name}: {o}+{n}"
            );
        }
        // Rows: the same bytes as NumPy's, read from a range of the data.
        let h = f.header();
        if h.shape.len() == 2 && h.shape[0] > 2 {
            let row = f.rows_nbytes(1).unwrap() as usize;
            let mut rows = vec![0u8; 2 * row];
            f.read_rows(1, 2, &mut rows, READ_NATIVE | READ_C_ORDER)
                .unwrap();
            assert!(rows == native[row..3 * row], "{name}: rows 1..3");
        }
    }
}

/// NumPy writes an archive of three members; returns its bytes and, per
/// member, the bytes of its local header, name, extra field and data
/// (`start..end`), and where the central directory starts.
fn numpy_npz(path: &std::path::Path, compressed: bool) -> (Vec<u8>, Vec<(String, u64, u64)>, u64) {
    let out = common::run_python(&[
        "-c",
        "import numpy as np, sys, zipfile, struct\n\
         p, compressed = sys.argv[1], sys.argv[2] == '1'\n\
         arrays = dict(a=np.arange(1000, dtype='>i8'), \
                       b=np.arange(600, dtype='<f4').reshape(20, 30) / 3, \
                       c=np.array([b'xy', b'z'] * 300))\n\
         (np.savez_compressed if compressed else np.savez)(p, **arrays)\n\
         raw = open(p, 'rb').read()\n\
         z = zipfile.ZipFile(p)\n\
         for i in z.infolist():\n\
         \x20   n, e = struct.unpack('<HH', raw[i.header_offset + 26:i.header_offset + 30])\n\
         \x20   print(i.filename, i.header_offset, i.header_offset + 30 + n + e + i.compress_size)\n\
         print('directory', z.start_dir)\n",
        path.to_str().unwrap(),
        if compressed { "1" } else { "0" },
    ]);
    let mut spans = Vec::new();
    let mut dir = 0;
    for line in out.lines() {
        let w: Vec<&str> = line.split_whitespace().collect();
        if w[0] == "directory" {
            dir = w[1].parse().unwrap();
        } else {
            spans.push((
                w[0].to_string(),
                w[1].parse().unwrap(),
                w[2].parse().unwrap(),
            ));
        }
    }
    (std::fs::read(path).unwrap(), spans, dir)
}

fn numpy_native(path: &std::path::Path, key: &str) -> Vec<u8> {
    let n = path.with_extension(format!("{key}.native"));
    common::run_python(&[
        "-c",
        "import numpy as np, sys\n\
         a = np.load(sys.argv[1])[sys.argv[2]]\n\
         open(sys.argv[3], 'wb').write(np.ascontiguousarray(a.astype(a.dtype.newbyteorder('='))).tobytes())",
        path.to_str().unwrap(),
        key,
        n.to_str().unwrap(),
    ]);
    std::fs::read(n).unwrap()
}

#[test]
fn one_member_reads_only_its_bytes_and_the_directory() {
    let dir = common::scratch("reader_npz");
    for compressed in [false, true] {
        let p = dir.join(if compressed {
            "deflate.npz"
        } else {
            "stored.npz"
        });
        let (bytes, spans, cd) = numpy_npz(&p, compressed);
        let len = bytes.len() as u64;
        let (r, log) = Recorder::new(bytes);
        let z = NpzFile::from_reader(r, "archive").unwrap();
        assert_eq!(z.len(), 3);
        // Opening reads the end record and the central directory only.
        for (o, n) in take(&log) {
            assert!(
                o >= cd && o + n as u64 <= len,
                "open read {o}+{n}, directory at {cd}"
            );
        }
        for (name, start, end) in &spans {
            let key = name.strip_suffix(".npy").unwrap();
            let f = z.open_member(key).unwrap();
            let mut got = vec![0u8; f.nbytes() as usize];
            f.read_into(&mut got, READ_NATIVE).unwrap();
            assert!(
                got == numpy_native(&p, key),
                "{key}: values differ from NumPy's"
            );
            let reads = take(&log);
            assert!(!reads.is_empty());
            for (o, n) in reads {
                assert!(
                    o >= *start && o + n as u64 <= *end,
                    "member {key} (bytes {start}..{end}): read {o}+{n} (compressed: {compressed})"
                );
            }
        }
        // No file to map and no memory to lend: a map is refused, by name.
        let e = z.mmap_member("a").unwrap_err();
        assert_eq!(e.status(), npyio::Status::NotMappable, "{e}");
        assert!(e.message().contains("archive: member 'a.npy'"), "{e}");
        take(&log);
        // The raw bytes of one member: again only its own.
        let (_, start, end) = &spans[1];
        let mut raw = vec![0u8; z.entries()[1].size as usize];
        z.read_raw(1, &mut raw).unwrap();
        for (o, n) in take(&log) {
            assert!(o >= *start && o + n as u64 <= *end, "raw read {o}+{n}");
        }
    }
}

#[test]
fn members_read_from_several_threads_through_one_reader() {
    let dir = common::scratch("reader_threads");
    for compressed in [false, true] {
        let p = dir.join(if compressed {
            "deflate.npz"
        } else {
            "stored.npz"
        });
        let (bytes, spans, _) = numpy_npz(&p, compressed);
        let (r, _log) = Recorder::new(bytes);
        let z = NpzFile::from_reader(r, "archive").unwrap();
        let want: Vec<Vec<u8>> = spans
            .iter()
            .map(|(n, ..)| numpy_native(&p, n.strip_suffix(".npy").unwrap()))
            .collect();
        std::thread::scope(|s| {
            for (i, want) in want.iter().enumerate() {
                let z = &z;
                s.spawn(move || {
                    for _ in 0..20 {
                        let f = z.open_member_at(i).unwrap();
                        let mut got = vec![0u8; f.nbytes() as usize];
                        f.read_into(&mut got, READ_NATIVE).unwrap();
                        assert!(&got == want, "member {i}");
                    }
                });
            }
        });
        // One array read by several threads at once, row by row.
        let f = z.open_member("b").unwrap();
        let row = f.rows_nbytes(1).unwrap() as usize;
        std::thread::scope(|s| {
            for t in 0..4u64 {
                let (f, want) = (&f, &want[1]);
                s.spawn(move || {
                    for r in (t..20).step_by(4) {
                        let mut got = vec![0u8; row];
                        f.read_rows(r, 1, &mut got, READ_NATIVE).unwrap();
                        let o = r as usize * row;
                        assert!(got == want[o..o + row], "row {r}");
                    }
                });
            }
        });
    }
}

#[test]
fn an_array_from_a_header_built_directly() {
    use npyio::header::ArraySpec;
    use npyio::io::MemorySource;
    use npyio::{DType, Header, Status};
    let dir = common::scratch("reader_known_header");
    let dt = DType::parse(">i4").unwrap();
    let shape = [3u64, 5];
    let data: Vec<u8> = (0..15i32)
        .flat_map(|v| (v * 1000 - 7).to_be_bytes())
        .collect();
    // The header and its bytes, as np.save writes them, with no parsing.
    let (h, mut file) = ArraySpec::new(&dt, &shape, false)
        .unwrap()
        .encode()
        .unwrap();
    assert_eq!(h, Header::new(dt.clone(), shape.to_vec(), false).unwrap());
    file.extend_from_slice(&data);
    let p = dir.join("known.npy");
    std::fs::write(&p, &file).unwrap();
    let back = common::run_python(&[
        "-c",
        "import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype.str, a.shape, a.sum())",
        p.to_str().unwrap(),
    ]);
    assert_eq!(
        back.trim(),
        format!(">i4 (3, 5) {}", (0..15).map(|v| v * 1000 - 7).sum::<i32>())
    );
    let f = NpyFile::with_header(h.clone(), MemorySource::new(file.clone()), "known").unwrap();
    assert_eq!(f.data(), Some(&data[..]));
    let mut got = vec![0u8; data.len()];
    f.read_into(&mut got, 0).unwrap();
    assert_eq!(got, data);
    // The source must hold the data the header declares.
    file.truncate(file.len() - 1);
    let e = NpyFile::with_header(h.clone(), MemorySource::new(file), "short").unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");
    assert!(e.message().starts_with("short: "), "{e}");
    // A header value made by hand is checked like a new one.
    let mut bad = h;
    bad.shape = vec![1 << 40, 1 << 40];
    let e = NpyFile::with_header(bad, MemorySource::new(vec![0u8; 256]), "bad").unwrap_err();
    assert_eq!(e.status(), Status::Overflow, "{e}");
}
