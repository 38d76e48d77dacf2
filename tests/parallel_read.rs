//! Big reads: slices read by several threads (`NPYIO_LIMIT_READ_THREADS`)
//! give NumPy's bytes for every thread count, whole and by rows; a file that
//! shrinks after open is `Truncated`, naming the file; the destination's
//! aligned interior is advised for huge pages unless the caller opts out.
//! The thread-count limit is process-wide: one test in this binary sets it.

use npyio_test_support as common;

use npyio::ffi::npy::{npy_close, npy_file, npy_open, npy_read_into};
use npyio::{Limit, NpyFile, Status, READ_NATIVE, READ_NO_HUGEPAGE};
use std::ffi::{c_void, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// 3,000,000 big-endian float64 (24 MB: above the 16 MiB parallel threshold)
/// written by NumPy; returns the little-endian values' bytes.
fn numpy_file(dir: &Path, name: &str) -> (std::path::PathBuf, Vec<u8>) {
    common::py(
        dir,
        &format!(
            "import numpy as np; np.save('{name}', (np.arange(3000000) * 0.5 - 7).astype('>f8'))"
        ),
    );
    let want: Vec<u8> = (0..3_000_000u64)
        .flat_map(|i| (i as f64 * 0.5 - 7.0).to_le_bytes())
        .collect();
    (dir.join(name), want)
}

#[test]
fn every_thread_count_reads_numpys_bytes() {
    let dir = common::scratch("threads");
    let (path, want) = numpy_file(&dir, "big.npy");
    let f = NpyFile::open(&path).unwrap();
    let raw = std::fs::read(&path).unwrap();
    let stored = &raw[f.header().data_offset as usize..];
    for threads in [1u64, 2, 3, 5, 0] {
        Limit::ReadThreads.set(threads);
        let mut dst = vec![0u8; want.len()];
        f.read_into(&mut dst, 0).unwrap();
        assert!(dst[..] == stored[..], "threads {threads}, as stored");
        f.read_into(&mut dst, READ_NATIVE).unwrap();
        assert!(dst == want, "threads {threads}, native");
        // Rows: a slab of 20 MB that starts mid-file.
        let mut rows = vec![0u8; 2_500_000 * 8];
        f.read_rows(400_000, 2_500_000, &mut rows, READ_NATIVE)
            .unwrap();
        assert!(
            rows[..] == want[400_000 * 8..2_900_000 * 8],
            "threads {threads}, rows"
        );
        // A load reads into its own huge-page buffer the same way.
        let l = NpyFile::load(&path, None).unwrap();
        assert!(l.data().unwrap() == &want[..], "threads {threads}, load");
    }
    assert_eq!(Limit::ReadThreads.get(), Limit::ReadThreads.default_value());
    assert!(Limit::ReadThreads.default_value() >= 1 && Limit::ReadThreads.default_value() <= 8);
}

#[test]
fn a_file_shrunk_after_open_is_truncated_and_named() {
    let dir = common::scratch("shrunk");
    let (path, want) = numpy_file(&dir, "shrinks.npy");
    let f = NpyFile::open(&path).unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    // Cut inside the last slice, then inside the first.
    for keep in [len - 1000, 4096] {
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(keep)
            .unwrap();
        let mut dst = vec![0u8; want.len()];
        let e = f.read_into(&mut dst, 0).unwrap_err();
        assert_eq!(e.status(), Status::Truncated, "{e}");
        let msg = e.to_string();
        assert!(msg.contains("shrinks.npy"), "{msg}");
        assert!(msg.contains("shrank"), "{msg}");
    }
}

/// The `VmFlags` of the mapping of this process that holds `addr`.
fn vm_flags(addr: usize) -> String {
    let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
    let mut inside = false;
    for line in smaps.lines() {
        let first = line.split_whitespace().next().unwrap_or("");
        if let Some((a, b)) = first.split_once('-') {
            if let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) {
                inside = a <= addr && addr < b;
                continue;
            }
        }
        if inside {
            if let Some(f) = line.strip_prefix("VmFlags:") {
                return f.to_string();
            }
        }
    }
    panic!("no mapping holds {addr:#x}");
}

#[test]
fn huge_page_advice_and_its_opt_out() {
    if !Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists() {
        // No THP in this kernel: the advice is refused, and the read works.
        return;
    }
    let dir = common::scratch("advice");
    let (path, want) = numpy_file(&dir, "advised.npy");
    let c = CString::new(path.as_os_str().as_bytes()).unwrap();
    for (flags, advised) in [(0u32, true), (READ_NO_HUGEPAGE, false)] {
        let n = want.len();
        // Fresh memory, as malloc gives for big blocks: a new anonymous map
        // (malloc itself may hand back heap memory an earlier read advised).
        let dst = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                n,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(dst, libc::MAP_FAILED);
        let dst = dst as *mut u8;
        unsafe {
            let mut f: *mut npy_file = std::ptr::null_mut();
            assert_eq!(npy_open(c.as_ptr(), &mut f), 0);
            assert_eq!(
                npy_read_into(f, dst as *mut c_void, n, flags | READ_NATIVE),
                0
            );
            npy_close(f);
        }
        let got = unsafe { std::slice::from_raw_parts(dst, n) };
        assert!(got == &want[..], "flags {flags}");
        let interior = (dst as usize).next_multiple_of(2 << 20);
        let vm = vm_flags(interior);
        assert_eq!(
            vm.split_whitespace().any(|f| f == "hg"),
            advised,
            "flags {flags}: VmFlags{vm}"
        );
        unsafe { libc::munmap(dst as *mut c_void, n) };
    }
    // Unknown flag bits are still refused.
    let f = NpyFile::open(&path).unwrap();
    let mut dst = vec![0u8; want.len()];
    let e = f.read_into(&mut dst, 8).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.to_string().contains("unknown read flags 0x8"), "{e}");
}
