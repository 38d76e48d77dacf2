//! Rows written by position and appended, with NumPy as the oracle:
//! `NpyFile::create` / `open_rw` / `write_rows` from many threads and
//! processes on disjoint slabs (C and Fortran order, 1-D), and
//! `append_rows` in place and by copy, killed with SIGKILL after every one
//! of its steps: the file is then the old array or the new one.

use npyio_test_support as common;

use npyio::npy::{append_rows_stepped, AppendStep};
use npyio::{append_rows, DType, NpyFile, Status};
use std::os::unix::process::ExitStatusExt;

/// Rows `first .. first + count` of the (d0, d1, d2) `>i4` array whose
/// element (i, j, k) is `i*10000 + j*100 + k`, in Fortran order.
fn fortran_slab(first: u64, count: u64, d1: u64, d2: u64) -> Vec<u8> {
    let mut v = Vec::new();
    for k in 0..d2 {
        for j in 0..d1 {
            for i in first..first + count {
                v.extend_from_slice(&((i * 10000 + j * 100 + k) as i32).to_be_bytes());
            }
        }
    }
    v
}

/// Rows `first .. first + count` of the (n, 7) `<f8` array equal to
/// `np.arange(n*7).reshape(n, 7) * 0.5`.
fn c_slab(first: u64, count: u64) -> Vec<u8> {
    (first * 7..(first + count) * 7)
        .flat_map(|x| (x as f64 * 0.5).to_le_bytes())
        .collect()
}

/// Write rows `0..n` of `f` in slabs of `per` rows from `threads` threads,
/// each taking every `threads`-th slab, `slab(first, count)` giving the bytes.
fn write_from_threads(f: &NpyFile, n: u64, per: u64, threads: u64, slab: fn(u64, u64) -> Vec<u8>) {
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                let mut first = t * per;
                while first < n {
                    let count = per.min(n - first);
                    f.write_rows(first, count, &slab(first, count)).unwrap();
                    first += threads * per;
                }
            });
        }
    });
}

#[test]
fn threads_write_disjoint_slabs_numpy_loads_them() {
    let dir = common::scratch("rows_threads");
    // C order, 2-D.
    let f = NpyFile::create(
        dir.join("c.npy"),
        &DType::parse("<f8").unwrap(),
        &[1001, 7],
        false,
    )
    .unwrap();
    assert!(f.is_open_for_writes());
    write_from_threads(&f, 1001, 13, 4, c_slab);
    f.flush().unwrap();
    // Reads through the same handle see the rows.
    let mut back = vec![0u8; 3 * 56];
    f.read_rows(500, 3, &mut back, 0).unwrap();
    assert_eq!(back, c_slab(500, 3));
    drop(f);
    // Fortran order, 3-D: every slab lands as runs.
    let f = NpyFile::create(
        dir.join("f.npy"),
        &DType::parse(">i4").unwrap(),
        &[50, 4, 3],
        true,
    )
    .unwrap();
    assert!(f.header().fortran_order);
    write_from_threads(&f, 50, 7, 3, |a, b| fortran_slab(a, b, 4, 3));
    // All rows at once is one range.
    let g = NpyFile::create(
        dir.join("f_all.npy"),
        &DType::parse(">i4").unwrap(),
        &[50, 4, 3],
        true,
    )
    .unwrap();
    g.write_rows(0, 50, &fortran_slab(0, 50, 4, 3)).unwrap();
    drop((f, g));
    // 1-D: a row is one element.
    let f = NpyFile::create(
        dir.join("one.npy"),
        &DType::parse("<u2").unwrap(),
        &[999],
        false,
    )
    .unwrap();
    write_from_threads(&f, 999, 10, 4, |a, b| {
        (a..a + b)
            .flat_map(|x| (x as u16 * 3).to_le_bytes())
            .collect()
    });
    drop(f);
    // A file made by create and never written loads as zeros.
    drop(
        NpyFile::create(
            dir.join("zeros.npy"),
            &DType::parse("<i2").unwrap(),
            &[4, 2],
            false,
        )
        .unwrap(),
    );
    let out = common::py(
        &dir,
        r#"
import numpy as np
c = np.load('c.npy', allow_pickle=False)
assert c.dtype == '<f8' and c.shape == (1001, 7)
assert np.array_equal(c, np.arange(1001 * 7).reshape(1001, 7) * 0.5)
i, j, k = np.indices((50, 4, 3))
want = (i * 10000 + j * 100 + k).astype('>i4')
for name in ('f.npy', 'f_all.npy'):
    f = np.load(name, allow_pickle=False)
    assert f.dtype == '>i4' and np.isfortran(f), name
    assert np.array_equal(f, want), name
one = np.load('one.npy', allow_pickle=False)
assert np.array_equal(one, (np.arange(999) * 3).astype('<u2'))
z = np.load('zeros.npy', allow_pickle=False)
assert z.shape == (4, 2) and not z.any()
# The header is np.save's.
with open('c.npy', 'rb') as fh:
    head = fh.read(128)
import io
b = io.BytesIO(); np.save(b, c)
assert head == b.getvalue()[:128]
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
}

/// Child: write the slab given by `NPYIO_ROWS_CHILD` (`path|first|count`)
/// through its own `open_rw`.
#[test]
fn child_writes_slab() {
    let Ok(arg) = std::env::var("NPYIO_ROWS_CHILD") else {
        return;
    };
    let p: Vec<&str> = arg.split('|').collect();
    let (first, count): (u64, u64) = (p[1].parse().unwrap(), p[2].parse().unwrap());
    let f = NpyFile::open_rw(p[0]).unwrap();
    // In slabs of 5 rows, to interleave with the other processes.
    let mut at = first;
    while at < first + count {
        let n = 5.min(first + count - at);
        f.write_rows(at, n, &c_slab(at, n)).unwrap();
        at += n;
    }
    f.flush().unwrap();
    println!("RESULT wrote {first}+{count}");
}

#[test]
fn processes_write_disjoint_slabs() {
    let dir = common::scratch("rows_processes");
    let path = dir.join("p.npy");
    drop(NpyFile::create(&path, &DType::parse("<f8").unwrap(), &[403, 7], false).unwrap());
    let slabs = [(0, 100), (100, 101), (201, 102), (303, 100)];
    let children: Vec<_> = slabs
        .iter()
        .map(|(first, count)| {
            common::test_in_child("child_writes_slab")
                .env(
                    "NPYIO_ROWS_CHILD",
                    format!("{}|{first}|{count}", path.display()),
                )
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for (c, (first, count)) in children.into_iter().zip(slabs) {
        let out = c.wait_with_output().unwrap();
        assert_eq!(
            common::child_result(&out).unwrap(),
            format!("wrote {first}+{count}")
        );
    }
    let out = common::py(
        &dir,
        r#"
import numpy as np
p = np.load('p.npy', allow_pickle=False)
assert np.array_equal(p, np.arange(403 * 7).reshape(403, 7) * 0.5)
print('ok')
"#,
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn bad_row_writes() {
    let dir = common::scratch("rows_bad");
    let dt = DType::parse("<f8").unwrap();
    let path = dir.join("a.npy");
    let f = NpyFile::create(&path, &dt, &[10, 7], false).unwrap();
    let check = |e: npyio::Error, s: Status, words: &[&str]| {
        assert_eq!(e.status(), s, "{e}");
        assert!(e.message().contains("a.npy"), "{e}");
        for w in words {
            assert!(e.message().contains(w), "{e}");
        }
    };
    // Rows past the end, and a range that overflows.
    check(
        f.write_rows(8, 3, &c_slab(0, 3)).unwrap_err(),
        Status::InvalidArg,
        &["8..11", "past the end", "10 rows"],
    );
    check(
        f.write_rows(11, 0, &[]).unwrap_err(),
        Status::InvalidArg,
        &["past the end"],
    );
    check(
        f.write_rows(u64::MAX, 2, &c_slab(0, 2)).unwrap_err(),
        Status::InvalidArg,
        &["past the end"],
    );
    // The length does not match the rows.
    check(
        f.write_rows(0, 2, &c_slab(0, 3)).unwrap_err(),
        Status::SizeMismatch,
        &["168 bytes", "2 rows of 56"],
    );
    check(
        f.write_rows(0, 2, &c_slab(0, 2)[1..]).unwrap_err(),
        Status::SizeMismatch,
        &["111 bytes"],
    );
    // No rows, no bytes: nothing to do, at the end too.
    f.write_rows(10, 0, &[]).unwrap();
    f.write_rows(9, 1, &c_slab(9, 1)).unwrap();
    drop(f);
    // A handle not opened for writes.
    let r = NpyFile::open(&path).unwrap();
    assert!(!r.is_open_for_writes());
    check(
        r.write_rows(0, 1, &c_slab(0, 1)).unwrap_err(),
        Status::State,
        &["not opened for writes"],
    );
    // A 0-d array has no rows.
    let z = NpyFile::create(dir.join("z.npy"), &dt, &[], false).unwrap();
    let e = z.write_rows(0, 1, &[0; 8]).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains("0-d"), "{e}");
    // open_rw: what is not there, not a .npy, not a regular file.
    let e = NpyFile::open_rw(dir.join("missing.npy")).unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert_eq!(e.os_error(), libc::ENOENT, "{e}");
    assert!(e.message().contains("missing.npy"), "{e}");
    std::fs::write(dir.join("text.npy"), b"hello, not numpy").unwrap();
    let e = NpyFile::open_rw(dir.join("text.npy")).unwrap_err();
    assert_eq!(e.status(), Status::BadMagic, "{e}");
    assert!(e.message().contains("text.npy"), "{e}");
    let mut short = std::fs::read(&path).unwrap();
    short.truncate(200);
    std::fs::write(dir.join("short.npy"), &short).unwrap();
    let e = NpyFile::open_rw(dir.join("short.npy")).unwrap_err();
    assert_eq!(e.status(), Status::Truncated, "{e}");
    let fifo = dir.join("fifo.npy");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    for e in [
        NpyFile::open_rw(&fifo).unwrap_err(),
        NpyFile::create(&fifo, &dt, &[2], false).unwrap_err(),
    ] {
        assert_eq!(e.status(), Status::InvalidArg, "{e}");
        assert!(e.message().contains("FIFO"), "{e}");
    }
    let e = NpyFile::open_rw(&dir).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    // create: a subarray dtype, a shape that overflows; the old file survives.
    let before = std::fs::read(&path).unwrap();
    let e =
        NpyFile::create(&path, &DType::parse("('<f8', (2,))").unwrap(), &[3], false).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    let e = NpyFile::create(&path, &dt, &[1 << 40, 1 << 30], false).unwrap_err();
    assert_eq!(e.status(), Status::Overflow, "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(common::temp_files(&dir).is_empty());
}

/// `np.arange(rows*3, dtype='<i8').reshape(rows, 3) + start*3` as bytes:
/// rows `start .. start + rows` of the appended array.
fn i8_rows(start: u64, rows: u64) -> Vec<u8> {
    (start * 3..(start + rows) * 3)
        .flat_map(|x| (x as i64).to_le_bytes())
        .collect()
}

/// Python that writes the test files of the append tests: `np.save`'s
/// (header with growth room, grows in place), a legacy 16-byte-aligned
/// header (with room for a few more digits: grows in place too), and
/// another writer's header without spare room (rewritten by copy).
const MAKE_APPEND_FILES: &str = r#"
import numpy as np, struct, sys
def raw(name, text, data, align, version=1):
    text = text.encode('latin1')
    prefix = 10 if version == 1 else 12
    n = prefix + len(text) + 1
    pad = (-n) % align
    h = text + b' ' * pad + b'\n'
    lenf = struct.pack('<H', len(h)) if version == 1 else struct.pack('<I', len(h))
    with open(name, 'wb') as f:
        f.write(b'\x93NUMPY' + bytes([version, 0]) + lenf + h + data.tobytes())
a = np.arange(15, dtype='<i8').reshape(5, 3)
np.save('numpy.npy', a)
raw('legacy.npy', "{'descr': '<i8', 'fortran_order': False, 'shape': (5, 3), }", a, 16)
raw('other.npy', "{'shape':(5,3),'fortran_order':False,'descr':'<i8'}", a, 1)
np.save('one_d.npy', np.arange(4, dtype='>u2'))
"#;

/// Python (after [`MAKE_APPEND_FILES`]) that writes `wide.npy`: a record
/// array of shape (9,) whose header, without growth room, nearly fills
/// format 1.0 (its append becomes format 2.0). Prints the field count.
const MAKE_WIDE_FILE: &str = r#"
def text_for(n, extra=0):
    names = ['f%05d' % i for i in range(n)]
    names[-1] += 'x' * extra
    dt = np.dtype([(name, '<i8') for name in names])
    return dt, "{'descr': %r, 'fortran_order': False, 'shape': (9,), }" % (dt.descr,)
# The longest text that fits format 1.0 (65535 bytes after the prefix, padded
# to 16) without growth room: 65508 characters.
want = 65535 - 16 - 11
per = len(text_for(2)[1]) - len(text_for(1)[1])
n = (want - len(text_for(1)[1])) // per + 1
dt, text = text_for(n, want - len(text_for(n)[1]))
assert len(text) == want
# np.save's header for shape (10,) has one more digit and 19 growth spaces:
# padded to 64 it needs more than 1.0's 65535 bytes.
assert 10 + len(text) + 1 + 1 + 19 > 65536
raw('wide.npy', text, np.zeros(9, dt), 1)
print(n)
"#;

#[test]
fn append_in_place_and_by_copy_numpy_loads() {
    let dir = common::scratch("append");
    let script = format!("{MAKE_APPEND_FILES}{MAKE_WIDE_FILE}");
    let fields: usize = common::py(&dir, &script).trim().parse().unwrap();
    for name in ["numpy.npy", "legacy.npy", "other.npy"] {
        let p = dir.join(name);
        assert_eq!(append_rows(&p, &i8_rows(5, 2)).unwrap(), 7, "{name}");
        assert_eq!(append_rows(&p, &[]).unwrap(), 7, "{name}");
        assert_eq!(append_rows(&p, &i8_rows(7, 1)).unwrap(), 8, "{name}");
        // Up to a first dimension of many digits.
        let big = 1000 - 8;
        assert_eq!(append_rows(&p, &i8_rows(8, big)).unwrap(), 1000, "{name}");
    }
    assert_eq!(
        append_rows(dir.join("one_d.npy"), &[0, 9, 0, 10]).unwrap(),
        6
    );
    let rec = vec![7u8; 8 * fields];
    assert_eq!(append_rows(dir.join("wide.npy"), &rec).unwrap(), 10);
    assert!(common::temp_files(&dir).is_empty());
    let out = common::py(
        &dir,
        &format!(
            r#"
import numpy as np, io
want = np.arange(3000, dtype='<i8').reshape(1000, 3)
b = io.BytesIO(); np.save(b, want)
for name in ('numpy.npy', 'legacy.npy', 'other.npy'):
    a = np.load(name, allow_pickle=False)
    assert np.array_equal(a, want), name
# np.save's file grows in place as np.save writes it; another writer's
# header without room is rewritten as np.save writes it, then grows in place.
for name in ('numpy.npy', 'other.npy'):
    assert open(name, 'rb').read() == b.getvalue(), name
# The legacy header had room: it stays where it was, 16-byte aligned.
assert open('legacy.npy', 'rb').read()[80:] == want.tobytes()
one = np.load('one_d.npy', allow_pickle=False)
assert one.dtype == '>u2' and one.tolist() == [0, 1, 2, 3, 9, 10]
w = np.load('wide.npy', allow_pickle=False, max_header_size=10**6)
assert w.shape == (10,) and len(w.dtype.names) == {fields}
with open('wide.npy', 'rb') as f:
    assert f.read(8) == b'\x93NUMPY\x02\x00', 'format 2.0'
assert w[-1].tobytes() == b'\x07' * (8 * {fields}) and not w[:9].tobytes().strip(b'\0')
print('ok')
"#
        ),
    );
    assert_eq!(out.trim(), "ok");
}

#[test]
fn bad_appends() {
    let dir = common::scratch("append_bad");
    common::py(
        &dir,
        r#"
import numpy as np
np.save('a.npy', np.zeros((4, 3), '<f4'))
np.save('z.npy', np.float64(1.5))
np.save('f.npy', np.asfortranarray(np.zeros((4, 3))))
np.save('e.npy', np.zeros((4, 0)))
"#,
    );
    let before = std::fs::read(dir.join("a.npy")).unwrap();
    let e = append_rows(dir.join("a.npy"), &[0u8; 13]).unwrap_err();
    assert_eq!(e.status(), Status::SizeMismatch, "{e}");
    assert!(
        e.message().contains("a.npy") && e.message().contains("whole number of rows of 12 bytes"),
        "{e}"
    );
    assert_eq!(std::fs::read(dir.join("a.npy")).unwrap(), before);
    let e = append_rows(dir.join("z.npy"), &[0u8; 8]).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(
        e.message().contains("z.npy") && e.message().contains("0-d"),
        "{e}"
    );
    let e = append_rows(dir.join("f.npy"), &[0u8; 24]).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(
        e.message().contains("f.npy") && e.message().contains("Fortran"),
        "{e}"
    );
    let e = append_rows(dir.join("e.npy"), &[0u8; 8]).unwrap_err();
    assert_eq!(e.status(), Status::SizeMismatch, "{e}");
    let e = append_rows(dir.join("missing.npy"), &[0u8; 12]).unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert_eq!(e.os_error(), libc::ENOENT, "{e}");
    assert!(e.message().contains("missing.npy"), "{e}");
    std::fs::write(
        dir.join("bad.npy"),
        b"\x93NUMPY\x01\x00\x10\x00{'descr': 'x'}\n",
    )
    .unwrap();
    let e = append_rows(dir.join("bad.npy"), &[0u8; 12]).unwrap_err();
    assert!(e.message().contains("bad.npy"), "{e}");
    assert!(
        matches!(e.status(), Status::BadHeader | Status::Truncated),
        "{e}"
    );
    let e = append_rows(&dir, &[0u8; 12]).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
}

/// Child: append two rows to the file `NPYIO_APPEND_CHILD` (`path|step`)
/// and kill itself with SIGKILL right after `step`.
#[test]
fn child_appends_until_killed() {
    let Ok(arg) = std::env::var("NPYIO_APPEND_CHILD") else {
        return;
    };
    let (path, at) = arg.split_once('|').unwrap();
    let rows = i8_rows(5, 2);
    append_rows_stepped(path, &rows, &mut |s| {
        if format!("{s:?}") == at {
            // SAFETY: signals this process; nothing after it runs.
            unsafe {
                libc::kill(libc::getpid(), libc::SIGKILL);
            }
        }
    })
    .unwrap();
    println!("RESULT not killed");
}

#[test]
fn append_killed_at_every_step_leaves_old_or_new() {
    use AppendStep::*;
    let dir = common::scratch("append_kill");
    common::py(&dir, MAKE_APPEND_FILES);
    // (file, step, whether the new array is in place when killed there)
    let plan: &[(&str, &[(AppendStep, bool)])] = &[
        (
            "numpy.npy",
            &[
                (Locked, false),
                (RowsWritten, false),
                (RowsSynced, false),
                (HeaderWritten, true),
                (HeaderSynced, true),
            ],
        ),
        (
            "other.npy",
            &[
                (Locked, false),
                (CopyCreated, false),
                (CopyHeader, false),
                (CopyOldData, false),
                (CopyRows, false),
                (CopyRenamed, true),
            ],
        ),
    ];
    let mut checks = String::from("import numpy as np\nold = np.arange(15, dtype='<i8').reshape(5, 3)\nnew = np.arange(21, dtype='<i8').reshape(7, 3)\n");
    for (file, steps) in plan {
        for (step, new) in steps.iter() {
            let name = format!("{step:?}-{file}");
            let path = dir.join(&name);
            std::fs::copy(dir.join(file), &path).unwrap();
            let out = common::test_in_child("child_appends_until_killed")
                .env("NPYIO_APPEND_CHILD", format!("{}|{step:?}", path.display()))
                .output()
                .unwrap();
            assert_eq!(
                out.status.signal(),
                Some(libc::SIGKILL),
                "{name}: {:?}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout)
            );
            // We read it as NumPy will.
            let f = NpyFile::open(&path).unwrap();
            assert_eq!(
                f.header().shape,
                vec![if *new { 7 } else { 5 }, 3],
                "{name}"
            );
            let mut got = vec![0u8; f.nbytes() as usize];
            f.read_into(&mut got, 0).unwrap();
            assert_eq!(got, i8_rows(0, if *new { 7 } else { 5 }), "{name}");
            checks.push_str(&format!(
                "assert np.array_equal(np.load({name:?}, allow_pickle=False), {}), {name:?}\n",
                if *new { "new" } else { "old" }
            ));
        }
    }
    checks.push_str("print('ok')\n");
    assert_eq!(common::py(&dir, &checks).trim(), "ok");
    // A killed copy leaves its temporary file behind, and nothing else.
    let temps = common::temp_files(&dir);
    assert!(
        temps.len() <= 5 && temps.iter().all(|t| t.contains("other.npy")),
        "{temps:?}"
    );
}

#[test]
fn concurrent_appends_keep_each_append_together() {
    let dir = common::scratch("append_concurrent");
    let path = dir.join("log.npy");
    npyio::save(
        &path,
        &DType::parse("<i8").unwrap(),
        &[0, 3],
        false,
        &[],
        Default::default(),
    )
    .unwrap();
    std::thread::scope(|s| {
        for t in 0..4u64 {
            let path = &path;
            s.spawn(move || {
                for i in 0..5u64 {
                    let tag = (t * 100 + i) as i64;
                    let rows: Vec<u8> = (0..6).flat_map(|_| tag.to_le_bytes()).collect();
                    append_rows(path, &rows).unwrap();
                }
            });
        }
    });
    let f = NpyFile::open(&path).unwrap();
    assert_eq!(f.header().shape, vec![40, 3]);
    let mut b = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut b, 0).unwrap();
    let v: Vec<i64> = b
        .chunks(8)
        .map(|c| i64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let mut tags: Vec<i64> = v
        .chunks(6)
        .map(|c| {
            assert!(
                c.iter().all(|&x| x == c[0]),
                "an append's rows were split: {c:?}"
            );
            c[0]
        })
        .collect();
    tags.sort();
    let want: Vec<i64> = (0..4)
        .flat_map(|t| (0..5).map(move |i| t * 100 + i))
        .collect();
    assert_eq!(tags, want);
    let out = common::py(&dir, "import numpy as np\na = np.load('log.npy', allow_pickle=False)\nassert a.shape == (40, 3)\nprint('ok')");
    assert_eq!(out.trim(), "ok");
}
