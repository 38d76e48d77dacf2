//! A save that fails halfway leaves the previous file byte-identical and no
//! temporary file behind. The failure is real: RLIMIT_FSIZE makes write()
//! fail with EFBIG (SIGXFSZ ignored), as a full disk would.
//! One test in this binary, since the limit is process-wide.

use npyio_test_support as common;

use npyio::{DType, NpyWriter, SaveOptions, Status};

#[test]
fn failed_saves_keep_the_old_file() {
    let dir = common::scratch("atomic_save");
    let path = dir.join("weights.npy");
    let dt = DType::parse("<f8").unwrap();
    let old: Vec<u8> = (0..800).map(|i| i as u8).collect();
    npyio::save(&path, &dt, &[100], false, &old, SaveOptions::default()).unwrap();
    let before = std::fs::read(&path).unwrap();

    let big = vec![7u8; 4 << 20];
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        let lim = libc::rlimit {
            rlim_cur: 1 << 20,
            rlim_max: libc::RLIM_INFINITY,
        };
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &lim), 0);
    }
    // Whole-array save.
    let e = npyio::save(
        &path,
        &dt,
        &[(4 << 20) / 8],
        false,
        &big,
        SaveOptions::default(),
    )
    .unwrap_err();
    // Streaming writer: the error surfaces on write; finish repeats it.
    let mut w = NpyWriter::create(
        &path,
        &dt,
        &[(4 << 20) / 8],
        false,
        SaveOptions { fsync: true },
    )
    .unwrap();
    let mut werr = None;
    for chunk in big.chunks(256 << 10) {
        if let Err(e) = w.write(chunk) {
            werr = Some(e);
            break;
        }
    }
    let werr = werr.expect("the write past RLIMIT_FSIZE must fail");
    assert_eq!(w.write(&big[..8]).unwrap_err().status(), Status::State);
    let ferr = w.finish().unwrap_err();
    unsafe {
        let lim = libc::rlimit {
            rlim_cur: libc::RLIM_INFINITY,
            rlim_max: libc::RLIM_INFINITY,
        };
        libc::setrlimit(libc::RLIMIT_FSIZE, &lim);
    }
    for e in [&e, &werr, &ferr] {
        assert_eq!(e.status(), Status::Io, "{e}");
        assert!(e.message().contains("weights.npy"), "{e}");
        assert!(e.message().contains("write"), "{e}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "old file changed");
    assert!(
        common::temp_files(&dir).is_empty(),
        "temporary files left: {:?}",
        common::temp_files(&dir)
    );

    // A writer that is discarded, or finished short, also leaves the old file.
    let mut w = NpyWriter::create(&path, &dt, &[100], false, SaveOptions::default()).unwrap();
    w.write(&old[..400]).unwrap();
    w.discard();
    let mut w = NpyWriter::create(&path, &dt, &[100], false, SaveOptions::default()).unwrap();
    w.write(&old[..400]).unwrap();
    assert_eq!(w.finish().unwrap_err().status(), Status::SizeMismatch);
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(common::temp_files(&dir).is_empty());

    // Permissions of the replaced file are kept.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    npyio::save(&path, &dt, &[100], false, &old, SaveOptions { fsync: true }).unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
}
