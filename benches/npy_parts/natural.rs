//! The paths a user takes that the first table does not time: a read into a
//! buffer fresh from `malloc`, `npy_load`, and saves over an existing file
//! (a checkpoint saved each epoch), with their bounds.

use npyio::ffi::dtype::npyio_dtype;
use npyio::ffi::npy::{npy_close, npy_file, npy_open, npy_read_into};
use npyio::ffi::typed::npy_load;
use npyio::ffi::NPYIO_TYPE_STORED;
use std::ffi::CString;
use std::fs::OpenOptions;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{check, cstr, remove};

/// `malloc(n)` + `npy_open` + `npy_read_into` + `npy_close` + `free`, all
/// timed: what a C user writes. The buffer is new each call, so its pages
/// are faulted in by the read.
pub fn time_fresh_read(path: &CString, n: usize, inner: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..inner {
        unsafe {
            let dst = libc::malloc(n.max(1));
            assert!(!dst.is_null(), "malloc({n})");
            let mut f: *mut npy_file = std::ptr::null_mut();
            check(npy_open(path.as_ptr(), &mut f), "npy_open");
            check(npy_read_into(f, dst, n, 0), "npy_read_into");
            npy_close(f);
            black_box(dst);
            libc::free(dst);
        }
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

/// `npy_load` (stored type) + `npy_close`: the library allocates, as
/// `np.load` does.
pub fn time_load(path: &CString, inner: usize) -> f64 {
    let t0 = Instant::now();
    for _ in 0..inner {
        unsafe {
            let mut f: *mut npy_file = std::ptr::null_mut();
            check(
                npy_load(path.as_ptr(), NPYIO_TYPE_STORED, &mut f),
                "npy_load",
            );
            black_box(npyio::ffi::npy::npy_data(f));
            npy_close(f);
        }
    }
    t0.elapsed().as_nanos() as f64 / inner as f64
}

/// Before a timed save over `path`: the file exists and, for big files
/// (`inner` 1), nothing dirty is pending, as for a checkpoint written back
/// since the last epoch.
fn settle(path: &Path, image: &[u8], inner: usize) {
    if std::fs::metadata(path).map(|m| m.len()).ok() != Some(image.len() as u64) {
        std::fs::write(path, image).expect("write the existing file");
    }
    if inner == 1 {
        unsafe { libc::sync() };
    }
}

/// `npy_save` over an existing file of the same size.
pub fn time_ours_save_over(
    path: &Path,
    dt: *const npyio_dtype,
    shape: &[u64],
    data: &[u8],
    image: &[u8],
    inner: usize,
) -> f64 {
    let c = cstr(path);
    settle(path, image, inner);
    let mut total = 0u128;
    for _ in 0..inner {
        let t0 = Instant::now();
        let st = super::save_c(&c, dt, shape, data);
        total += t0.elapsed().as_nanos();
        check(st, "npy_save (over an existing file)");
        if inner == 1 {
            unsafe { libc::sync() };
        }
    }
    total as f64 / inner as f64
}

/// The floor of an atomic save over an existing file: create a temporary
/// file, (for `falloc`, `fallocate(FALLOC_FL_KEEP_SIZE)` its length), write,
/// close, rename over the target.
pub fn time_atomic_over(path: &Path, image: &[u8], inner: usize, falloc: bool) -> f64 {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    settle(path, image, inner);
    let mut total = 0u128;
    for _ in 0..inner {
        remove(&tmp);
        let t0 = Instant::now();
        let mut f = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .expect("create");
        super::write_image(&mut f, image, falloc);
        drop(f);
        std::fs::rename(&tmp, path).expect("rename");
        total += t0.elapsed().as_nanos();
        if inner == 1 {
            unsafe { libc::sync() };
        }
    }
    total as f64 / inner as f64
}

/// What `np.save` does over an existing file, from Rust: open with
/// `O_TRUNC`, `fallocate(FALLOC_FL_KEEP_SIZE)`, write, close (not atomic: a
/// failure midway loses the old file).
pub fn time_trunc_over(path: &Path, image: &[u8], inner: usize) -> f64 {
    settle(path, image, inner);
    let mut total = 0u128;
    for _ in 0..inner {
        let t0 = Instant::now();
        let mut f = OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(path)
            .expect("open");
        super::write_image(&mut f, image, true);
        drop(f);
        total += t0.elapsed().as_nanos();
        if inner == 1 {
            unsafe { libc::sync() };
        }
    }
    total as f64 / inner as f64
}
