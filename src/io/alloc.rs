//! Memory for whole arrays the library owns (loads): zeroed, fallible, and
//! for big arrays placed as NumPy places them, on transparent huge pages.

use crate::err;
use crate::error::Result;
use std::ptr::NonNull;

/// From this size up, a buffer is mapped on its own, 2 MiB-aligned, with
/// `madvise(MADV_HUGEPAGE)`: NumPy advises huge pages for arrays of 4 MiB
/// and more, which makes the first touch of each page much cheaper.
pub const HUGE_THRESHOLD: usize = 4 << 20;
/// The alignment of big buffers: one huge page on x86-64 and aarch64.
pub const HUGE_ALIGN: usize = 2 << 20;

enum Inner {
    /// Words, so that the bytes are 16-byte aligned (complex128's alignment).
    Heap { words: Vec<u128>, len: usize },
    /// An anonymous private map of `len` bytes (rounded up to pages).
    Map {
        ptr: NonNull<u8>,
        len: usize,
        mapped: usize,
    },
}

/// A zeroed byte buffer for a whole array: from the heap, 16-byte aligned,
/// when small; when
/// at least [`HUGE_THRESHOLD`], an anonymous map aligned to [`HUGE_ALIGN`]
/// and advised for transparent huge pages (the pages are zero until
/// written, so nothing is written twice). Allocation failure is an error.
pub struct ArrayBuf(Inner);

// SAFETY: the map is owned by the buffer alone, like a Vec's memory.
unsafe impl Send for ArrayBuf {}
unsafe impl Sync for ArrayBuf {}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

impl ArrayBuf {
    /// A zeroed buffer of `len` bytes.
    pub fn new(len: usize) -> Result<ArrayBuf> {
        if len < HUGE_THRESHOLD {
            let n = len.div_ceil(16);
            let mut words = Vec::new();
            words
                .try_reserve_exact(n)
                .map_err(|_| err!(Alloc, "cannot allocate {len} bytes"))?;
            words.resize(n, 0);
            return Ok(ArrayBuf(Inner::Heap { words, len }));
        }
        let fail = || err!(Alloc, "cannot allocate {len} bytes");
        let page = page_size();
        let mapped = len.checked_next_multiple_of(page).ok_or_else(fail)?;
        let total = mapped.checked_add(HUGE_ALIGN).ok_or_else(fail)?;
        // SAFETY: a new anonymous private map; no existing memory is touched.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                total,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(fail());
        }
        let start = p as usize;
        let aligned = start.next_multiple_of(HUGE_ALIGN);
        let head = aligned - start;
        let tail = total - head - mapped;
        // SAFETY: both ranges lie inside the map just made and are not used.
        unsafe {
            if head > 0 {
                libc::munmap(p, head);
            }
            if tail > 0 {
                libc::munmap((aligned + mapped) as *mut libc::c_void, tail);
            }
            // Advice only: without transparent huge pages it fails, harmlessly.
            libc::madvise(aligned as *mut libc::c_void, mapped, libc::MADV_HUGEPAGE);
        }
        let ptr = NonNull::new(aligned as *mut u8).ok_or_else(fail)?;
        Ok(ArrayBuf(Inner::Map { ptr, len, mapped }))
    }

    /// True when the buffer is a huge-page-advised map.
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Inner::Map { .. })
    }
}

impl Drop for ArrayBuf {
    fn drop(&mut self) {
        if let Inner::Map { ptr, mapped, .. } = self.0 {
            // SAFETY: the map made in `new`, unmapped once.
            unsafe { libc::munmap(ptr.as_ptr().cast(), mapped) };
        }
    }
}

impl std::ops::Deref for ArrayBuf {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.0 {
            // SAFETY: the words hold at least `len` initialised bytes.
            Inner::Heap { words, len } => unsafe {
                std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), *len)
            },
            // SAFETY: `len` bytes mapped readable and writable, zeroed or written since.
            Inner::Map { ptr, len, .. } => unsafe {
                std::slice::from_raw_parts(ptr.as_ptr(), *len)
            },
        }
    }
}

impl std::ops::DerefMut for ArrayBuf {
    fn deref_mut(&mut self) -> &mut [u8] {
        match &mut self.0 {
            // SAFETY: as in `deref`; `&mut self` makes the access exclusive.
            Inner::Heap { words, len } => unsafe {
                std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), *len)
            },
            // SAFETY: as in `deref`; `&mut self` makes the access exclusive.
            Inner::Map { ptr, len, .. } => unsafe {
                std::slice::from_raw_parts_mut(ptr.as_ptr(), *len)
            },
        }
    }
}

impl AsRef<[u8]> for ArrayBuf {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_big() {
        let mut s = ArrayBuf::new(100).unwrap();
        assert!(!s.is_mapped() && s.len() == 100 && s.iter().all(|&b| b == 0));
        assert_eq!(s.as_ptr() as usize % 16, 0);
        s[99] = 1;
        let n = HUGE_THRESHOLD + 12345;
        let mut b = ArrayBuf::new(n).unwrap();
        assert!(b.is_mapped());
        assert_eq!(b.len(), n);
        assert_eq!(b.as_ptr() as usize % HUGE_ALIGN, 0);
        assert!(b.iter().step_by(4096).all(|&x| x == 0));
        b[n - 1] = 7;
        assert_eq!(b[n - 1], 7);
        assert!(ArrayBuf::new(usize::MAX - 10).is_err());
    }
}
