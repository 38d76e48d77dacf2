//! Saves over an existing file (a checkpoint saved each epoch): the new
//! file takes the old one's place atomically, keeps its permissions, leaves
//! no temporary file behind, and NumPy loads what was saved; a save that
//! fails leaves the old file as it was; other hard links keep the old data.

use npyio_test_support as common;

use npyio::{DType, NpyWriter, SaveOptions, Status};
use std::os::unix::fs::PermissionsExt;

/// `np.save` of the float64 vector `data` (native bytes) as shape `[n]`.
fn save_f8(path: impl AsRef<std::path::Path>, n: u64, data: &[u8]) -> npyio::Result<()> {
    let dt = DType::parse("<f8").unwrap();
    npyio::save(path, &dt, &[n], false, data, SaveOptions::default())
}

/// No temporary file of a save is left in `dir`.
fn assert_no_temp(dir: &std::path::Path) {
    let left = common::temp_files(dir);
    assert!(left.is_empty(), "{left:?}");
}

fn values(k: usize, n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| ((i * k) as f64 + 0.5).to_le_bytes())
        .collect()
}

#[test]
fn repeated_saves_over_an_existing_file() {
    let dir = common::scratch("repeated");
    let path = dir.join("ckpt.npy");
    // Small (one write) and big (preallocated, 3 MiB) arrays, each saved over
    // the previous epoch's file.
    for n in [10usize, 3 << 17] {
        for epoch in 1..=3 {
            let data = values(epoch, n);
            save_f8(&path, n as u64, &data).unwrap();
            if epoch == 1 {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
            }
            let out = common::py(
                &dir,
                &format!(
                    "import numpy as np; a = np.load('ckpt.npy', allow_pickle=False); \
                     print(a.dtype, a.shape, bool((a == np.arange({n}) * {epoch} + 0.5).all()))"
                ),
            );
            assert_eq!(
                out.trim(),
                format!("float64 ({n},) True"),
                "n {n} epoch {epoch}"
            );
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            if epoch > 1 {
                assert_eq!(mode, 0o600, "permissions kept, n {n} epoch {epoch}");
            }
            assert_no_temp(&dir);
        }
        std::fs::remove_file(&path).unwrap();
    }
}

#[test]
fn a_failed_save_over_an_existing_file_keeps_it() {
    let dir = common::scratch("failed");
    let path = dir.join("ckpt.npy");
    let dt = DType::parse("<f8").unwrap();
    save_f8(&path, 4, &values(1, 4)).unwrap();
    let before = std::fs::read(&path).unwrap();
    // Too few bytes for the declared shape: refused, the old file stays.
    let e = save_f8(&path, 8, &values(2, 4)).unwrap_err();
    assert_eq!(e.status(), Status::SizeMismatch, "{e}");
    assert!(e.to_string().contains("ckpt.npy"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // A streaming writer that ends early fails at finish; one discarded
    // halfway is abandoned: the old file stays both times.
    let mut w = NpyWriter::create(&path, &dt, &[8], false, SaveOptions::default()).unwrap();
    w.write(&values(3, 4)).unwrap();
    let e = w.finish().unwrap_err();
    assert!(e.to_string().contains("ckpt.npy"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let mut w = NpyWriter::create(&path, &dt, &[8], false, SaveOptions::default()).unwrap();
    w.write(&values(3, 4)).unwrap();
    w.discard();
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_no_temp(&dir);
}

#[test]
fn other_hard_links_keep_the_old_data_and_symlinks_stay() {
    let dir = common::scratch("links");
    let path = dir.join("ckpt.npy");
    save_f8(&path, 4, &values(1, 4)).unwrap();
    let old = std::fs::read(&path).unwrap();
    std::fs::hard_link(&path, dir.join("backup.npy")).unwrap();
    std::os::unix::fs::symlink("ckpt.npy", dir.join("latest.npy")).unwrap();
    // Through the symlink: the file it names is replaced, the link stays.
    save_f8(dir.join("latest.npy"), 4, &values(5, 4)).unwrap();
    assert!(std::fs::symlink_metadata(dir.join("latest.npy"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read(dir.join("backup.npy")).unwrap(), old);
    let f = npyio::NpyFile::open(&path).unwrap();
    let mut got = vec![0u8; 32];
    f.read_into(&mut got, 0).unwrap();
    assert_eq!(got, values(5, 4));
    assert_no_temp(&dir);
}

#[test]
fn concurrent_small_saves_to_one_path() {
    // Threads saving to one path at once: one takes the fixed temporary
    // name, the others find it taken and use unique names; every save
    // succeeds, the file is always one whole save, nothing is left behind.
    let dir = common::scratch("concurrent");
    let path = dir.join("shared.npy");
    std::thread::scope(|s| {
        for k in 1..=4usize {
            let path = &path;
            s.spawn(move || {
                for _ in 0..50 {
                    save_f8(path, 16, &values(k, 16)).unwrap();
                    let f = npyio::NpyFile::open(path).unwrap();
                    let mut got = vec![0u8; 128];
                    f.read_into(&mut got, 0).unwrap();
                    assert!(
                        (1..=4).any(|j| got == values(j, 16)),
                        "a torn or mixed file"
                    );
                }
            });
        }
    });
    assert_no_temp(&dir);
    let out = common::py(
        &dir,
        "import numpy as np; a = np.load('shared.npy', allow_pickle=False); \
         print(any(bool((a == np.arange(16) * k + 0.5).all()) for k in range(1, 5)))",
    );
    assert_eq!(out.trim(), "True");
}
