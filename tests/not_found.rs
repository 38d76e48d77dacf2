//! A file that does not exist is `NotFound` (the C API's
//! `NPYIO_ERR_NOT_FOUND`) from every call that opens one to read it: npy,
//! npz, maps and text, for a missing file, a missing directory on its path
//! and a path through a regular file (`ENOTDIR`). The operating system's
//! error number is kept (`Error::os_error`, `npyio_last_errno`). A file
//! that exists but cannot be read stays `Io`, with `EACCES`: that case runs
//! in a child process under an unprivileged user id when the tests run as
//! root (root reads any file).

use npyio_test_support as common;

use npyio::mmap::RawMode;
use npyio::npz::NpzFile;
use npyio::text::{genfromtxt, loadtxt, loadtxt_to_npy, GenfromtxtOptions, LoadtxtOptions};
use npyio::{DType, Error, MapMode, NpyFile, Status};
use std::ffi::CString;
use std::path::{Path, PathBuf};

/// Every read-by-path call of the Rust API, by name, on `p`.
fn rust_calls(p: &Path, out_dir: &Path) -> Vec<(&'static str, Error)> {
    let dt = DType::parse("<f8").unwrap();
    let out = out_dir.join("out.npy");
    let mut errs = Vec::new();
    let mut one = |name, r: Result<(), Error>| errs.push((name, r.unwrap_err()));
    one("NpyFile::open", NpyFile::open(p).map(drop));
    one("NpyFile::load", NpyFile::load(p, None).map(drop));
    one("NpyFile::mmap", NpyFile::mmap(p, MapMode::Read).map(drop));
    one(
        "NpyFile::mmap_raw",
        NpyFile::mmap_raw(p, &dt, None, false, 0, RawMode::Existing(MapMode::Read)).map(drop),
    );
    one("NpzFile::open", NpzFile::open(p).map(drop));
    one("loadtxt", loadtxt(p, &LoadtxtOptions::default()).map(drop));
    one(
        "genfromtxt",
        genfromtxt(p, &GenfromtxtOptions::default()).map(drop),
    );
    one(
        "loadtxt_to_npy",
        loadtxt_to_npy(p, &out, &LoadtxtOptions::default()).map(drop),
    );
    assert!(!out.exists(), "loadtxt_to_npy left {}", out.display());
    errs
}

/// Every read-by-path export of the C API on `p`: (name, status, errno,
/// message).
fn c_calls(p: &Path, out_dir: &Path) -> Vec<(&'static str, i32, i32, String)> {
    use npyio::ffi::dtype::*;
    use npyio::ffi::npy::*;
    use npyio::ffi::npz::*;
    use npyio::ffi::text::*;
    use npyio::ffi::typed::npy_load;
    use npyio::ffi::*;
    let c = CString::new(p.as_os_str().as_encoded_bytes()).unwrap();
    let out = CString::new(out_dir.join("out.npy").as_os_str().as_encoded_bytes()).unwrap();
    let mut res = Vec::new();
    // SAFETY: valid NUL-terminated paths and out-pointers; handles made on
    // success are closed (none is expected).
    unsafe {
        let mut dt: *mut npyio_dtype = std::ptr::null_mut();
        assert_eq!(npyio_dtype_parse(c"<f8".as_ptr(), &mut dt), NPYIO_OK);
        let mut f: *mut npy_file = std::ptr::null_mut();
        let mut z: *mut npz_file = std::ptr::null_mut();
        let mut record = |name, st: i32| {
            let mut buf = [0u8; 1024];
            let n = npyio_last_error(buf.as_mut_ptr().cast(), buf.len()).min(buf.len() - 1);
            let msg = String::from_utf8_lossy(&buf[..n]).into_owned();
            res.push((name, st, npyio_last_errno(), msg));
        };
        record("npy_open", npy_open(c.as_ptr(), &mut f));
        record("npy_load", npy_load(c.as_ptr(), NPYIO_FLOAT64, &mut f));
        record("npy_mmap", npy_mmap(c.as_ptr(), NPYIO_MMAP_READ, &mut f));
        record(
            "npy_mmap_raw",
            npy_mmap_raw(
                c.as_ptr(),
                dt,
                NPYIO_MMAP_READ,
                0,
                0,
                std::ptr::null(),
                false,
                &mut f,
            ),
        );
        record("npz_open", npz_open(c.as_ptr(), &mut z));
        record(
            "npy_loadtxt",
            npy_loadtxt(c.as_ptr(), std::ptr::null(), &mut f),
        );
        record(
            "npy_genfromtxt",
            npy_genfromtxt(c.as_ptr(), std::ptr::null(), &mut f, std::ptr::null_mut()),
        );
        record(
            "npy_loadtxt_to_npy",
            npy_loadtxt_to_npy(
                c.as_ptr(),
                out.as_ptr(),
                std::ptr::null(),
                std::ptr::null_mut(),
            ),
        );
        assert!(f.is_null() && z.is_null());
        npyio_dtype_free(dt);
    }
    res
}

/// The missing paths: a file, a directory on the path, a regular file used
/// as a directory; with the errno each gives.
fn missing_paths(dir: &Path) -> Vec<(PathBuf, i32)> {
    let regular = dir.join("regular.npy");
    std::fs::write(&regular, b"x").unwrap();
    vec![
        (dir.join("missing.npy"), libc::ENOENT),
        (dir.join("no-such-dir").join("x.npy"), libc::ENOENT),
        (regular.join("x.npy"), libc::ENOTDIR),
    ]
}

#[test]
fn missing_files_are_not_found_in_the_rust_api() {
    let dir = common::scratch("not_found_rust");
    for (p, errno) in missing_paths(&dir) {
        for (name, e) in rust_calls(&p, &dir) {
            assert_eq!(e.status(), Status::NotFound, "{name} {}: {e}", p.display());
            assert_eq!(e.os_error(), errno, "{name} {}: {e}", p.display());
            assert!(
                e.message().contains(&*p.to_string_lossy()),
                "{name}: the message names the file: {e}"
            );
            assert!(
                e.message().contains("No such file") || e.message().contains("Not a directory"),
                "{name}: the message says why: {e}"
            );
        }
    }
}

#[test]
fn missing_files_are_not_found_in_the_c_api() {
    let dir = common::scratch("not_found_c");
    for (p, errno) in missing_paths(&dir) {
        for (name, st, got_errno, msg) in c_calls(&p, &dir) {
            assert_eq!(
                st,
                npyio::ffi::NPYIO_ERR_NOT_FOUND,
                "{name} {}: {msg}",
                p.display()
            );
            assert_eq!(got_errno, errno, "{name} {}: {msg}", p.display());
            assert!(
                msg.contains(&*p.to_string_lossy()),
                "{name}: message names the file: {msg}"
            );
        }
    }
    // A failure without an OS error sets the number back to 0; a missing
    // member is NOT_FOUND without one.
    // SAFETY: a NULL path is refused before anything is read.
    let st = unsafe { npyio::ffi::npy::npy_open(std::ptr::null(), &mut std::ptr::null_mut()) };
    assert_eq!(st, npyio::ffi::NPYIO_ERR_NULL_ARG);
    assert_eq!(npyio::ffi::npyio_last_errno(), 0);
}

/// Permission denied is `Io` with `EACCES`, not `NotFound`. As root the
/// check runs in a child process with the user id of `nobody`.
#[test]
fn permission_denied_stays_io() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    if let Some(p) = std::env::var_os("NPYIO_EACCES_CHILD") {
        let p = PathBuf::from(p);
        let dir = std::env::temp_dir();
        let rust: Vec<String> = rust_calls(&p, &dir)
            .into_iter()
            .map(|(n, e)| format!("{n}={:?}/{}", e.status(), e.os_error()))
            .collect();
        let c: Vec<String> = c_calls(&p, &dir)
            .into_iter()
            .map(|(n, st, errno, _)| format!("{n}={st}/{errno}"))
            .collect();
        println!("RESULT {} {}", rust.join(" "), c.join(" "));
        return;
    }
    let dir = common::scratch("not_found_eacces");
    let p = dir.join("secret.npy");
    std::fs::write(&p, b"\x93NUMPY").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut cmd = common::test_in_child("permission_denied_stays_io");
    cmd.env("NPYIO_EACCES_CHILD", &p);
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        println!("running as root: the permission check runs as uid 65534 (nobody)");
        cmd.uid(65534).gid(65534);
    }
    let out = cmd.output().unwrap();
    let line = common::child_result(&out).unwrap_or_else(|e| panic!("{e}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(words.len(), 16, "{line}");
    for w in words {
        let ok = w.ends_with(&format!("=Io/{}", libc::EACCES))
            || w.ends_with(&format!("={}/{}", npyio::ffi::NPYIO_ERR_IO, libc::EACCES));
        assert!(ok, "{w} in {line}");
    }
}
