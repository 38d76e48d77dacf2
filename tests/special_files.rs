//! Saves to targets that are not regular files: a FIFO, a character device
//! (/dev/null), a symlink to a FIFO, one of the process's own descriptors
//! (/dev/stdout, /dev/fd/N) are written in place, in order, and stay what
//! they were; maps of them, and sockets, are refused with a clear error.
//! Everything runs in one test, in sequence: it swaps the process's stdout
//! and SIGPIPE disposition for a while.

use npyio_test_support as common;

use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::text::savetxt::{savetxt, SavetxtOptions};
use npyio::{DType, NpyFile, NpyWriter, RawMode, SaveOptions, Status};
use std::ffi::CString;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};

fn mkfifo(p: &Path) {
    let c = CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
}

/// Read everything written to the FIFO `p` on another thread while `write`
/// runs; returns the result of `write` and the bytes read.
fn through_fifo<T: Send>(p: &Path, write: impl FnOnce() -> T + Send) -> (T, Vec<u8>) {
    std::thread::scope(|s| {
        let reader = s.spawn(|| {
            let mut f = std::fs::File::open(p).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            v
        });
        let r = write();
        (r, reader.join().unwrap())
    })
}

fn is_fifo(p: &Path) -> bool {
    std::fs::metadata(p).unwrap().file_type().is_fifo()
}

fn f8(n: usize) -> (DType, Vec<u8>) {
    let data: Vec<u8> = (0..n)
        .flat_map(|i| (i as f64 * 0.5).to_le_bytes())
        .collect();
    (DType::parse("<f8").unwrap(), data)
}

/// The same save to a regular file, for the expected bytes.
fn regular_bytes(dir: &Path, name: &str, save: impl FnOnce(&Path)) -> Vec<u8> {
    let p = dir.join(name);
    save(&p);
    std::fs::read(&p).unwrap()
}

fn write_npz(path: &Path, stream_deflate: bool) -> npyio::Result<()> {
    let (dt, data) = f8(3000);
    let mut w = NpzWriter::create(path, NpzWriterOptions::default())?;
    w.add("a", &dt, &[3000], false, &data, Compression::Stored)?;
    w.add("b", &dt, &[30, 100], false, &data, Compression::Deflate)?;
    let c = if stream_deflate {
        Compression::Deflate
    } else {
        Compression::Stored
    };
    w.begin("c", &dt, &[3000], false, c)?;
    for piece in data.chunks(1000) {
        w.write(piece)?;
    }
    w.end()?;
    w.finish()
}

/// np.load of `bytes` (saved to `name`) matches what the test wrote.
fn numpy_checks_npz(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
    common::run_python(&[
        "-c",
        &format!(
            "import numpy as np\n\
             z = np.load({:?}, allow_pickle=False)\n\
             want = np.arange(3000) * 0.5\n\
             assert z.files == ['a', 'b', 'c'], z.files\n\
             assert np.array_equal(z['a'], want)\n\
             assert np.array_equal(z['b'], want.reshape(30, 100))\n\
             assert np.array_equal(z['c'], want)\n",
            dir.join(name).display().to_string()
        ),
    ]);
    let z = NpzFile::from_bytes(bytes.to_vec()).unwrap();
    assert_eq!(z.len(), 3);
    for i in 0..3 {
        let f = z.open_member_at(i).unwrap();
        let mut got = vec![0u8; f.nbytes() as usize];
        f.read_into(&mut got, 0).unwrap();
        assert_eq!(got, f8(3000).1);
    }
}

fn fifo_targets(dir: &Path) {
    let (dt, data) = f8(100_000);
    let fifo = dir.join("out.npy");
    mkfifo(&fifo);

    // np.save into a FIFO: the reader gets exactly np.save's bytes.
    let want = regular_bytes(dir, "want.npy", |p| {
        npyio::save(p, &dt, &[100_000], false, &data, SaveOptions::default()).unwrap()
    });
    let (r, got) = through_fifo(&fifo, || {
        npyio::save(&fifo, &dt, &[100_000], false, &data, SaveOptions::default())
    });
    r.unwrap();
    assert!(got == want, "bytes through the FIFO differ from np.save's");
    assert!(is_fifo(&fifo), "the FIFO was replaced");
    std::fs::write(dir.join("got.npy"), &got).unwrap();
    common::run_python(&[
        "-c",
        &format!(
            "import numpy as np\nassert np.array_equal(np.load({:?}), np.arange(100000) * 0.5)",
            dir.join("got.npy").display().to_string()
        ),
    ]);

    // The streaming writer, in pieces, with fsync asked (a pipe has
    // nothing to sync: not an error).
    let (r, got) = through_fifo(&fifo, || -> npyio::Result<()> {
        let mut w = NpyWriter::create(&fifo, &dt, &[100_000], false, SaveOptions { fsync: true })?;
        for piece in data.chunks(65536) {
            w.write(piece)?;
        }
        w.finish()
    });
    r.unwrap();
    assert!(got == want, "streamed bytes differ");
    assert!(is_fifo(&fifo));

    // An archive: members written in pieces and deflate members carry a
    // data descriptor (nothing can be patched in a pipe); NumPy and
    // libnpyio read it.
    let (r, got) = through_fifo(&fifo, || write_npz(&fifo, true));
    r.unwrap();
    assert!(is_fifo(&fifo));
    numpy_checks_npz(dir, "fifo.npz", &got);
    // Stored members added whole are written exactly as np.savez does.
    let stored = regular_bytes(dir, "stored.npz", |p| {
        let mut w = NpzWriter::create(p, NpzWriterOptions::default()).unwrap();
        w.add("a", &dt, &[100_000], false, &data, Compression::Stored)
            .unwrap();
        w.finish().unwrap();
    });
    let (r, got) = through_fifo(&fifo, || -> npyio::Result<()> {
        let mut w = NpzWriter::create(&fifo, NpzWriterOptions::default())?;
        w.add("a", &dt, &[100_000], false, &data, Compression::Stored)?;
        w.finish()
    });
    r.unwrap();
    assert!(got == stored);

    // savetxt.
    let opts = SavetxtOptions::default();
    let want = regular_bytes(dir, "want.txt", |p| {
        savetxt(p, &dt, &[100, 1000], &data, &opts).unwrap()
    });
    let (r, got) = through_fifo(&fifo, || savetxt(&fifo, &dt, &[100, 1000], &data, &opts));
    r.unwrap();
    assert!(got == want, "savetxt through the FIFO differs");
    assert!(is_fifo(&fifo));

    // Through a symlink to the FIFO: the link and the FIFO stay.
    let link = dir.join("link.npy");
    std::os::unix::fs::symlink(&fifo, &link).unwrap();
    let want = std::fs::read(dir.join("want.npy")).unwrap();
    let (r, got) = through_fifo(&fifo, || {
        npyio::save(&link, &dt, &[100_000], false, &data, SaveOptions::default())
    });
    r.unwrap();
    assert!(got == want);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_link(&link).unwrap(), fifo);
    assert!(is_fifo(&fifo));
    assert!(
        common::temp_files(dir).is_empty(),
        "{:?}",
        common::temp_files(dir)
    );
}

/// A map of a FIFO is refused before anything is opened for writing or
/// read (no writer is waiting here: a blocking open would hang).
fn maps_of_a_fifo_are_refused(dir: &Path) {
    let fifo = dir.join("map.npy");
    mkfifo(&fifo);
    let dt = DType::parse("<f8").unwrap();
    let errs = [
        NpyFile::mmap_create(&fifo, &dt, &[10], false).unwrap_err(),
        NpyFile::mmap_raw(&fifo, &dt, Some(&[10]), false, 0, RawMode::Create).unwrap_err(),
        NpyFile::mmap_raw(
            &fifo,
            &dt,
            None,
            false,
            0,
            RawMode::Existing(npyio::MapMode::Read),
        )
        .unwrap_err(),
        NpyFile::mmap(&fifo, npyio::MapMode::Read).unwrap_err(),
        NpyFile::mmap(&fifo, npyio::MapMode::ReadWrite).unwrap_err(),
    ];
    for e in errs {
        assert_eq!(e.status(), Status::NotMappable, "{e}");
        assert!(e.message().contains("map.npy"), "{e}");
        assert!(e.message().contains("is a FIFO"), "{e}");
        assert!(e.message().contains("regular file"), "{e}");
    }
    assert!(is_fifo(&fifo), "the FIFO was replaced");
    // The streaming text conversion completes its header at the end: it
    // needs a regular file too.
    std::fs::write(dir.join("t.csv"), b"1 2\n3 4\n").unwrap();
    let txt = CString::new(dir.join("t.csv").to_str().unwrap()).unwrap();
    let out = CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: valid C strings; NULL options and row count are allowed.
    let rc = unsafe {
        npyio::ffi::text::npy_loadtxt_to_npy(
            txt.as_ptr(),
            out.as_ptr(),
            std::ptr::null(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, Status::InvalidArg as i32);
    let mut msg = vec![0u8; 512];
    // SAFETY: the buffer holds 512 bytes.
    let n = unsafe { npyio::ffi::npyio_last_error(msg.as_mut_ptr().cast(), msg.len()) };
    let msg = String::from_utf8_lossy(&msg[..n.min(511)]).into_owned();
    assert!(msg.contains("map.npy: is a FIFO"), "{msg}");
    assert!(msg.contains("needs a regular file"), "{msg}");
    assert!(is_fifo(&fifo));
    let e = NpyFile::mmap_create("/dev/null", &dt, &[10], false).unwrap_err();
    assert_eq!(e.status(), Status::NotMappable, "{e}");
    assert!(e.message().contains("character device"), "{e}");
    assert!(common::temp_files(dir).is_empty());
}

fn dev_null() {
    let before = std::fs::metadata("/dev/null").unwrap();
    assert!(before.file_type().is_char_device());
    let (dt, data) = f8(50_000);
    for fsync in [false, true] {
        npyio::save(
            "/dev/null",
            &dt,
            &[50_000],
            false,
            &data,
            SaveOptions { fsync },
        )
        .unwrap();
    }
    write_npz(Path::new("/dev/null"), true).unwrap();
    savetxt(
        "/dev/null",
        &dt,
        &[50_000],
        &data,
        &SavetxtOptions::default(),
    )
    .unwrap();
    let after = std::fs::metadata("/dev/null").unwrap();
    assert!(after.file_type().is_char_device(), "/dev/null was replaced");
    assert_eq!((after.ino(), after.rdev()), (before.ino(), before.rdev()));
    assert!(common::temp_files(Path::new("/dev")).is_empty());
}

fn sockets_are_refused(dir: &Path) {
    let p = dir.join("sock.npy");
    let _l = std::os::unix::net::UnixListener::bind(&p).unwrap();
    let (dt, data) = f8(10);
    let e = npyio::save(&p, &dt, &[10], false, &data, SaveOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains("sock.npy"), "{e}");
    assert!(e.message().contains("is a socket"), "{e}");
    assert!(std::fs::metadata(&p).unwrap().file_type().is_socket());
    let d = dir.join("adir.npy");
    std::fs::create_dir(&d).unwrap();
    let e = npyio::save(&d, &dt, &[10], false, &data, SaveOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains("adir.npy: is a directory"), "{e}");
}

/// `/dev/stdout` redirected to a log, `/dev/fd/N` and `/proc/self/fd/N`:
/// the save goes through the process's own descriptor, from its position,
/// and the log file is neither replaced nor truncated.
fn own_descriptors(dir: &Path) {
    use std::os::unix::io::AsRawFd;
    let (dt, data) = f8(1000);
    let npy = regular_bytes(dir, "small.npy", |p| {
        npyio::save(p, &dt, &[1000], false, &data, SaveOptions::default()).unwrap()
    });
    let log = dir.join("log.txt");
    std::fs::write(&log, b"line before\n").unwrap();
    let ino = std::fs::metadata(&log).unwrap().ino();
    let logf = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    // SAFETY: plain descriptor juggling on descriptors this test owns; the
    // harness prints nothing while its only test runs.
    let saved = unsafe { libc::dup(1) };
    assert!(saved >= 0);
    assert_eq!(unsafe { libc::dup2(logf.as_raw_fd(), 1) }, 1);
    let r1 = npyio::save(
        "/dev/stdout",
        &dt,
        &[1000],
        false,
        &data,
        SaveOptions::default(),
    );
    let r2 = write_npz(Path::new("/dev/stdout"), true);
    assert_eq!(unsafe { libc::dup2(saved, 1) }, 1);
    unsafe { libc::close(saved) };
    r1.unwrap();
    r2.unwrap();
    let got = std::fs::read(&log).unwrap();
    assert_eq!(
        std::fs::metadata(&log).unwrap().ino(),
        ino,
        "the log was replaced"
    );
    assert!(got.starts_with(b"line before\n"), "the log was truncated");
    assert!(
        got[12..].starts_with(&npy),
        "the array does not follow the log line"
    );
    // The archive follows, complete.
    numpy_checks_npz(dir, "after_log.npz", &got[12 + npy.len()..]);

    // A pipe's write end as /dev/fd/N and /proc/self/fd/N.
    for prefix in ["/dev/fd", "/proc/self/fd", "/proc/thread-self/fd"] {
        let mut fds = [0; 2];
        assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0);
        // SAFETY: fresh descriptors from pipe(), owned by these Files.
        let mut rd: std::fs::File = unsafe { std::os::unix::io::FromRawFd::from_raw_fd(fds[0]) };
        let wr: std::fs::File = unsafe { std::os::unix::io::FromRawFd::from_raw_fd(fds[1]) };
        let path = PathBuf::from(format!("{prefix}/{}", wr.as_raw_fd()));
        let got = std::thread::scope(|s| {
            let h = s.spawn(move || {
                let mut v = Vec::new();
                rd.read_to_end(&mut v).unwrap();
                v
            });
            npyio::save(&path, &dt, &[1000], false, &data, SaveOptions::default()).unwrap();
            drop(wr);
            h.join().unwrap()
        });
        assert!(got == npy, "{prefix}: bytes differ");
    }
    // A descriptor open only for reading cannot be saved to.
    let ro = std::fs::File::open(&log).unwrap();
    let p = format!("/dev/fd/{}", ro.as_raw_fd());
    let e = npyio::save(&p, &dt, &[1000], false, &data, SaveOptions::default()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains(&p), "{e}");
    assert!(e.message().contains("not open for writing"), "{e}");
}

/// A reader that leaves early makes the save fail with EPIPE, reported as
/// NPYIO_ERR_IO naming the file, instead of killing the process with
/// SIGPIPE (its default action, which C programs keep).
fn vanished_reader(dir: &Path) {
    let fifo = dir.join("short.npy");
    mkfifo(&fifo);
    let (dt, data) = f8(1 << 20);
    // SAFETY: process-wide signal disposition, restored below; this is the
    // only test of the binary.
    let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let e = std::thread::scope(|s| {
        s.spawn(|| {
            let mut f = std::fs::File::open(&fifo).unwrap();
            let mut b = [0u8; 10];
            f.read_exact(&mut b).unwrap();
        });
        npyio::save(&fifo, &dt, &[1 << 20], false, &data, SaveOptions::default())
    });
    unsafe { libc::signal(libc::SIGPIPE, old) };
    let e = e.unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
    assert!(e.message().contains("short.npy: write"), "{e}");
    assert!(e.message().contains("Broken pipe"), "{e}");
    assert!(is_fifo(&fifo));
}

/// savetxt too: a reader of the FIFO that leaves early is an EPIPE error,
/// not a SIGPIPE that kills the process.
fn vanished_reader_of_savetxt(dir: &Path) {
    let fifo = dir.join("short.txt");
    mkfifo(&fifo);
    let (dt, data) = f8(1 << 20);
    // SAFETY: process-wide signal disposition, restored below; this is the
    // only test of the binary.
    let old = unsafe { libc::signal(libc::SIGPIPE, libc::SIG_DFL) };
    let e = std::thread::scope(|s| {
        s.spawn(|| {
            let mut f = std::fs::File::open(&fifo).unwrap();
            let mut b = [0u8; 10];
            f.read_exact(&mut b).unwrap();
        });
        savetxt(&fifo, &dt, &[1 << 20], &data, &SavetxtOptions::default())
    });
    unsafe { libc::signal(libc::SIGPIPE, old) };
    let e = e.unwrap_err();
    assert_eq!(e.status(), Status::Io, "{e}");
    assert!(e.message().contains("short.txt: write"), "{e}");
    assert!(e.message().contains("Broken pipe"), "{e}");
    assert!(is_fifo(&fifo));
}

/// The Rust text-to-.npy conversion refuses a FIFO target before it opens
/// it, as the C function does (it completes the header at the end). A
/// reader holds the FIFO open, so that opening it for writing would not
/// block.
fn text_to_npy_refuses_a_fifo(dir: &Path) {
    use std::os::unix::fs::OpenOptionsExt;
    let fifo = dir.join("converted.npy");
    mkfifo(&fifo);
    std::fs::write(dir.join("table.csv"), b"1 2\n3 4\n").unwrap();
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(&fifo)
        .unwrap();
    let e =
        npyio::text::loadtxt_to_npy(dir.join("table.csv"), &fifo, &Default::default()).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains("converted.npy: is a FIFO"), "{e}");
    assert!(e.message().contains("needs a regular file"), "{e}");
    assert!(is_fifo(&fifo));
    assert!(common::temp_files(dir).is_empty());
}

#[test]
fn non_regular_targets_are_written_in_place() {
    let dir = common::scratch("special_files");
    fifo_targets(&dir);
    maps_of_a_fifo_are_refused(&dir);
    dev_null();
    sockets_are_refused(&dir);
    own_descriptors(&dir);
    vanished_reader(&dir);
    vanished_reader_of_savetxt(&dir);
    text_to_npy_refuses_a_fifo(&dir);
}
