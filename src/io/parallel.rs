//! Big positional reads of regular files in parallel slices, and the
//! huge-page advice for the caller's destination buffers.
//!
//! Copying from the page cache is work for the CPU (the kernel copies the
//! bytes and, into fresh memory, faults the pages in), so one thread per
//! core reading its own slice of the range with `pread` goes faster than
//! one `read`, up to the memory bandwidth.

use crate::limits::Limit;
use std::io::{Error, ErrorKind};

/// Reads shorter than this are one `pread` loop on the calling thread.
pub(crate) const PARALLEL_FROM: usize = 16 << 20;
/// No slice of a parallel read is shorter than this.
const MIN_SLICE: usize = 8 << 20;
/// Slices start at multiples of this (relative to the buffer), so that no
/// two threads write the same page of the destination.
const SLICE_ALIGN: usize = 2 << 20;

/// The number of threads a read of `len` bytes uses: [`Limit::ReadThreads`]
/// at most, and no more than gives every thread [`MIN_SLICE`] bytes; 1 below
/// [`PARALLEL_FROM`].
pub fn threads_for(len: usize) -> usize {
    if len < PARALLEL_FROM {
        return 1;
    }
    let limit = usize::try_from(Limit::ReadThreads.get()).unwrap_or(usize::MAX);
    limit.clamp(1, (len / MIN_SLICE).max(1))
}

/// Fill `buf` from `offset` with `read` (a `pread`: bytes read, 0 at the end
/// of the file), looping over short reads and `EINTR`; reaching the end of
/// the file early is `UnexpectedEof`.
pub fn read_exact_with(
    read: &(dyn Fn(&mut [u8], u64) -> std::io::Result<usize> + Sync),
    mut buf: &mut [u8],
    mut offset: u64,
) -> std::io::Result<()> {
    // Linux caps one read at 0x7ffff000 bytes; loop for larger buffers.
    const MAX_CHUNK: usize = 1 << 30;
    while !buf.is_empty() {
        let n = buf.len().min(MAX_CHUNK);
        match read(&mut buf[..n], offset) {
            Ok(0) => return Err(Error::new(ErrorKind::UnexpectedEof, "file ended early")),
            Ok(k) => {
                let k = k.min(n);
                buf = &mut buf[k..];
                offset += k as u64;
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// [`read_exact_with`] in `threads` slices read at once, one on the calling
/// thread and the others on scoped threads (a thread that cannot be
/// started leaves its slice to the calling thread). Every slice is read
/// even when another fails; the error reported is the one of the first
/// failed slice in file order, so the outcome does not depend on timing.
pub fn read_parallel_with(
    read: &(dyn Fn(&mut [u8], u64) -> std::io::Result<usize> + Sync),
    buf: &mut [u8],
    offset: u64,
    threads: usize,
) -> std::io::Result<()> {
    let threads = threads.max(1);
    if threads == 1 || buf.len() < 2 {
        return read_exact_with(read, buf, offset);
    }
    let per = buf.len().div_ceil(threads);
    let per = if per >= 2 * SLICE_ALIGN {
        per.next_multiple_of(SLICE_ALIGN)
    } else {
        per
    };
    std::thread::scope(|s| {
        let mut slices = buf
            .chunks_mut(per)
            .zip((0u64..).map(|i| offset + i * per as u64));
        let first = slices.next();
        // Each slice is its own `&mut`, moved into the thread that reads it.
        let others: Vec<_> = slices
            .map(|(slice, at)| {
                let len = slice.len();
                let ptr = slice.as_mut_ptr();
                let spawned = std::thread::Builder::new()
                    .spawn_scoped(s, move || read_exact_with(read, slice, at));
                (spawned, ptr, len, at)
            })
            .collect();
        let mut results = Vec::with_capacity(threads);
        if let Some((slice, at)) = first {
            results.push(read_exact_with(read, slice, at));
        }
        for (spawned, ptr, len, at) in others {
            results.push(match spawned {
                Ok(h) => h
                    .join()
                    .unwrap_or_else(|_| Err(Error::other("a read thread panicked"))),
                // SAFETY: the thread did not start, so the slice it was given
                // (`len` bytes at `ptr`, inside `buf`) is unused elsewhere.
                Err(_) => read_exact_with(
                    read,
                    unsafe { std::slice::from_raw_parts_mut(ptr, len) },
                    at,
                ),
            });
        }
        results.into_iter().find(|r| r.is_err()).unwrap_or(Ok(()))
    })
}

/// Advise transparent huge pages (`madvise(MADV_HUGEPAGE)`) for the 2 MiB-
/// aligned interior of `dst`, when it is at least [`crate::io::HUGE_THRESHOLD`]
/// long, so that the pages a read is about to fault in come as 2 MiB pages
/// (one fault and one zeroing per 2 MiB instead of 512), as NumPy advises
/// for its arrays. Advice only: pages already there stay as they are, and
/// a kernel without transparent huge pages refuses it, harmlessly. Returns
/// whether advice was given.
pub fn advise_huge(dst: &mut [u8]) -> bool {
    advise_range(dst.as_ptr(), dst.len())
}

/// [`advise_huge`] for the spare capacity of `v`, about to be written.
pub fn advise_huge_spare(v: &mut Vec<u8>) -> bool {
    let spare = v.spare_capacity_mut();
    advise_range(spare.as_ptr().cast(), spare.len())
}

fn advise_range(ptr: *const u8, len: usize) -> bool {
    if len < super::HUGE_THRESHOLD {
        return false;
    }
    let start = (ptr as usize).next_multiple_of(super::HUGE_ALIGN);
    let end = (ptr as usize + len) / super::HUGE_ALIGN * super::HUGE_ALIGN;
    if end <= start {
        return false;
    }
    // SAFETY: the range lies inside memory lent to us for writing; the
    // advice changes how its pages are backed, not its bytes.
    unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;

    /// A "file" of `len` bytes (byte i is `i * 7 % 251`) read by a pread
    /// that returns at most `most` bytes and fails with EINTR every third
    /// call.
    fn data(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i * 7 % 251) as u8).collect()
    }

    #[test]
    fn partial_reads_and_eintr_in_every_slice() {
        let file = data(5 << 20);
        let calls = AtomicUsize::new(0);
        let offsets = Mutex::new(Vec::new());
        let read = |b: &mut [u8], at: u64| -> std::io::Result<usize> {
            if calls.fetch_add(1, Ordering::Relaxed) % 3 == 2 {
                return Err(Error::from(ErrorKind::Interrupted));
            }
            offsets.lock().unwrap().push(at);
            let at = at as usize;
            let n = b.len().min(100_003).min(file.len().saturating_sub(at));
            b[..n].copy_from_slice(&file[at..at + n]);
            Ok(n)
        };
        for threads in [1, 2, 3, 4, 7] {
            let mut buf = vec![0u8; file.len() - 10];
            read_parallel_with(&read, &mut buf, 10, threads).unwrap();
            assert!(buf[..] == file[10..], "threads {threads}");
        }
        // Slices of more than 4 MiB start on 2 MiB boundaries of the buffer.
        let file = data(9 << 20);
        let offsets = Mutex::new(Vec::new());
        let read = |b: &mut [u8], at: u64| -> std::io::Result<usize> {
            offsets.lock().unwrap().push(at);
            let n = b.len().min(file.len() - at as usize);
            b[..n].copy_from_slice(&file[at as usize..at as usize + n]);
            Ok(n)
        };
        let mut buf = vec![0u8; file.len()];
        read_parallel_with(&read, &mut buf, 0, 2).unwrap();
        assert!(buf == file);
        assert_eq!(*offsets.lock().unwrap().iter().max().unwrap(), 6 << 20);
    }

    #[test]
    fn a_short_file_is_unexpected_eof_in_any_slice() {
        let file = data(1000);
        let read = |b: &mut [u8], at: u64| -> std::io::Result<usize> {
            let at = (at as usize).min(file.len());
            let n = b.len().min(file.len() - at).min(64);
            b[..n].copy_from_slice(&file[at..at + n]);
            Ok(n)
        };
        for threads in [1, 2, 4] {
            let mut buf = vec![0u8; 1200];
            let e = read_parallel_with(&read, &mut buf, 0, threads).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::UnexpectedEof, "threads {threads}");
            // The slices inside the file were still read.
            assert!(buf[..600] == file[..600]);
        }
    }

    #[test]
    fn the_first_failed_slice_in_file_order_is_reported() {
        let read = |b: &mut [u8], at: u64| -> std::io::Result<usize> {
            match at {
                0..=99 => Ok(b.len()),
                100..=199 => Err(Error::new(ErrorKind::PermissionDenied, "second slice")),
                _ => Err(Error::other("later slice")),
            }
        };
        let mut buf = vec![0u8; 400];
        let e = read_parallel_with(&read, &mut buf, 0, 4).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::PermissionDenied);
        assert_eq!(e.to_string(), "second slice");
    }

    #[test]
    fn thread_counts() {
        assert_eq!(threads_for(0), 1);
        assert_eq!(threads_for(PARALLEL_FROM - 1), 1);
        let cap = Limit::ReadThreads.get() as usize;
        assert!(cap >= 1);
        assert_eq!(threads_for(PARALLEL_FROM), cap.min(2));
        assert_eq!(threads_for(1 << 30), cap.min(128));
    }

    #[test]
    fn huge_page_advice_covers_the_aligned_interior_only() {
        let small = &mut vec![0u8; super::super::HUGE_THRESHOLD - 1];
        assert!(!advise_huge(small));
        let thp = std::path::Path::new("/sys/kernel/mm/transparent_hugepage/enabled").exists();
        let mut big = vec![1u8; 9 << 20];
        assert_eq!(advise_huge(&mut big), thp);
        assert!(big.iter().all(|&b| b == 1), "advice changes no byte");
    }
}
