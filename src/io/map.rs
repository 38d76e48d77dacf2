//! Memory maps: of a .npy file's data, of a raw file, of a stored archive
//! member, and the temporary read-only maps readers use to reorder data.

use super::source::{copy_from, sub_slice, ByteSource};
use super::target::special_kind;
use crate::bail;
use crate::error::{Error, Result};
use std::fs::File;
use std::path::Path;

/// How a map may be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MapMode {
    /// `mmap_mode='r'`: read-only.
    Read,
    /// `mmap_mode='r+'`: writes go to the file.
    ReadWrite,
    /// `mmap_mode='c'`: writes stay in memory.
    CopyOnWrite,
}

/// A map of a region of a file; a region of no bytes maps nothing.
pub struct Map(Region);

enum Region {
    ReadOnly(memmap2::Mmap),
    Writable(memmap2::MmapMut),
    /// Nothing mapped; `true` if the map was asked for writable.
    Empty(bool),
}

impl std::fmt::Debug for Map {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Map({} bytes)", self.bytes().len())
    }
}

impl Map {
    /// Map `len` bytes of `file` from `offset` (the caller checked that the
    /// file holds them).
    pub fn new(file: &File, offset: u64, len: usize, mode: MapMode) -> std::io::Result<Map> {
        if len == 0 {
            return Ok(Map(Region::Empty(mode != MapMode::Read)));
        }
        let mut opts = memmap2::MmapOptions::new();
        opts.offset(offset).len(len);
        // SAFETY: the mapping is only accessed through this value; the
        // file's length was checked by the caller. A file truncated by
        // another process afterwards raises SIGBUS, as documented.
        let region = unsafe {
            match mode {
                MapMode::Read => opts.map(file).map(Region::ReadOnly),
                MapMode::ReadWrite => opts.map_mut(file).map(Region::Writable),
                MapMode::CopyOnWrite => opts.map_copy(file).map(Region::Writable),
            }
        }?;
        Ok(Map(region))
    }

    /// The mapped bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.0 {
            Region::ReadOnly(m) => m,
            Region::Writable(m) => m,
            Region::Empty(_) => &[],
        }
    }

    /// The mapped bytes, writable, for read-write and copy-on-write maps.
    pub fn bytes_mut(&mut self) -> Option<&mut [u8]> {
        match &mut self.0 {
            Region::Writable(m) => Some(m),
            Region::Empty(true) => Some(&mut []),
            _ => None,
        }
    }

    /// Is the map writable?
    pub fn is_writable(&self) -> bool {
        matches!(self.0, Region::Writable(_) | Region::Empty(true))
    }

    /// Write a read-write map's changes to the file (msync); nothing to do
    /// for other maps.
    pub fn flush(&self) -> Result<()> {
        if let Region::Writable(m) = &self.0 {
            m.flush().map_err(|e| Error::io("msync", e))?;
        }
        Ok(())
    }
}

impl ByteSource for Map {
    fn size(&self) -> u64 {
        self.bytes().len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        copy_from(self.bytes(), offset, buf)
    }
    fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        sub_slice(self.bytes(), offset, len)
    }
}

/// Open an existing file to map it, refusing anything but a regular file
/// with `NotMappable` before a read could block (a FIFO is opened without
/// waiting for a writer).
pub fn open_for_map(path: &Path, write: bool) -> Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(write)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| Error::open(format!("{}: open", path.display()), e))?;
    let m = file
        .metadata()
        .map_err(|e| Error::io(format!("{}: stat", path.display()), e))?;
    if !m.is_file() {
        let kind = special_kind(&m.file_type()).unwrap_or("directory");
        bail!(
            NotMappable,
            "{}: is a {kind}; only a regular file can be memory-mapped",
            path.display()
        );
    }
    Ok(file)
}
