//! Process-wide limits that bound what a hostile file can make libnpyio do.
//!
//! Each limit is read once when a file is opened ([`Limit::ReadThreads`]:
//! when a read starts). Defaults accept every file
//! NumPy writes, including format 2.0 headers larger than NumPy's own
//! default `max_header_size` of 10000.

use std::sync::atomic::{AtomicU64, Ordering};

/// A settable limit.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Largest .npy header (the `HEADER_LEN` field) accepted, in bytes. Default 16 MiB.
    HeaderLen = 0,
    /// Most members an .npz archive may have. Default 1,000,000.
    NpzMembers = 1,
    /// Largest uncompressed .npz member, in bytes. Default 2^62.
    NpzMemberSize = 2,
    /// Most threads one read of a regular file uses: reads of 16 MiB or
    /// more into a caller's buffer are split into slices of at least 8 MiB
    /// read at once with `pread`, and a whole read of a deflate member of
    /// 16 MiB or more is inflated in pieces of at least 1 MiB of compressed
    /// bytes at once; a whole read of a zstd member of 16 MiB or more (from
    /// a file or memory) has one helper thread when this is 2 or more.
    /// Default: the number of cores available to the process, at most 8; 1
    /// reads on the calling thread only.
    ReadThreads = 3,
}

impl Limit {
    /// All limits, by code.
    pub const ALL: [Limit; 4] = [
        Limit::HeaderLen,
        Limit::NpzMembers,
        Limit::NpzMemberSize,
        Limit::ReadThreads,
    ];

    /// The limit for a C code, if valid.
    pub fn from_code(code: i32) -> Option<Limit> {
        Limit::ALL.iter().copied().find(|l| *l as i32 == code)
    }

    /// The default value.
    pub fn default_value(self) -> u64 {
        match self {
            Limit::HeaderLen => 16 << 20,
            Limit::NpzMembers => 1_000_000,
            Limit::NpzMemberSize => 1 << 62,
            Limit::ReadThreads => {
                static CORES: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
                *CORES.get_or_init(|| {
                    std::thread::available_parallelism().map_or(1, |n| n.get().min(8) as u64)
                })
            }
        }
    }

    fn slot(self) -> &'static AtomicU64 {
        static SLOTS: [AtomicU64; 4] = [
            AtomicU64::new(0),
            AtomicU64::new(0),
            AtomicU64::new(0),
            AtomicU64::new(0),
        ];
        &SLOTS[self as usize]
    }

    /// The current value (0 in the slot means "default").
    pub fn get(self) -> u64 {
        match self.slot().load(Ordering::Relaxed) {
            0 => self.default_value(),
            v => v,
        }
    }

    /// Set the value; 0 restores the default.
    pub fn set(self, value: u64) {
        self.slot().store(value, Ordering::Relaxed);
    }
}
