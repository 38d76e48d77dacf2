//! Where bytes come from and where they go: byte sources read by position
//! (files, memory, maps, archive members, readers the caller supplies),
//! fallible allocation (and huge-page buffers for whole arrays), and atomic file replacement.
//!
//! The bottom layer: it knows nothing of the formats above it.

mod alloc;
mod atomic;
mod map;
mod parallel;
mod quick;
mod source;
mod target;

pub use alloc::{ArrayBuf, HUGE_ALIGN, HUGE_THRESHOLD};
pub use atomic::AtomicFile;
pub use map::{open_for_map, Map, MapMode};
pub use parallel::{
    advise_huge, advise_huge_spare, read_exact_with, read_parallel_with, threads_for,
};
pub(crate) use quick::QuickSave;
pub(crate) use source::read_file_at;
pub use source::{
    pread_exact, pwrite_all, read_in_pieces, ByteSource, Bytes, FileSource, MemorySource, OnPiece,
};
pub use target::special_target;

use crate::err;
use crate::error::Result;

/// Allocate a zeroed byte vector, reporting failure instead of aborting.
pub fn try_alloc(len: usize) -> Result<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(len)
        .map_err(|_| err!(Alloc, "cannot allocate {len} bytes"))?;
    v.resize(len, 0);
    Ok(v)
}
