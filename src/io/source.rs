//! Byte sources: where the bytes of an array or an archive come from, read
//! by position.

use crate::err;
use crate::error::{Error, Result};
use std::fs::File;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

/// What [`ByteSource::read_chunks`] hands each piece to, once read.
pub type OnPiece<'a> = &'a mut dyn FnMut(&mut [u8]);

/// Bytes read by position: a file, a memory buffer, a map, an archive
/// member, or a reader the caller supplies. [`crate::NpyFile`] and
/// [`crate::npz::NpzFile`] read through this trait and nothing else.
///
/// # Threads
/// Reads are positional: a source has no cursor, and one source may be
/// read from several threads at once (one `NpyFile` read by several
/// threads, several members of one `NpzFile` read in parallel), so
/// [`ByteSource::read_at`] may be called concurrently on one source, with
/// overlapping or distinct ranges. An implementation that cannot serve
/// concurrent reads serialises them itself (behind a lock).
pub trait ByteSource: Send + Sync {
    /// The length in bytes. Readers only ask for ranges inside it.
    fn size(&self) -> u64;

    /// Fill all of `buf` with the bytes at `offset .. offset + buf.len()`,
    /// a range inside [`ByteSource::size`] (possibly empty). Bytes that are
    /// no longer there (the source shrank) are a `Truncated` error; a
    /// failed read is an `Io` error.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()>;

    /// [`ByteSource::read_at`] in pieces of `chunk` bytes (the last one
    /// shorter), handing each piece to `each` as soon as it is read, so that
    /// a conversion runs while the piece is in cache. The default reads each
    /// piece with `read_at` (an empty `buf` is one empty read); a source
    /// that inflates overrides it to inflate all the pieces in one pass.
    fn read_chunks(&self, offset: u64, buf: &mut [u8], chunk: usize, each: OnPiece) -> Result<()> {
        read_in_pieces(offset, buf, chunk, each, &mut |at, piece| {
            self.read_at(at, piece)
        })
    }

    /// The bytes at `offset .. offset + len`, borrowed in place, for
    /// sources held in memory (buffers, maps); `None` (the default) for
    /// sources read only through [`ByteSource::read_at`].
    fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        let _ = (offset, len);
        None
    }

    /// The regular file that holds the bytes, and where the source's first
    /// byte lies in it, for sources that may be memory-mapped; `None` (the
    /// default) otherwise.
    fn file(&self) -> Option<(&File, u64)> {
        None
    }

    /// Check the integrity of all the bytes (an archive member's CRC-32)
    /// before they are used through [`ByteSource::slice`] or
    /// [`ByteSource::file`]; reads through [`ByteSource::read_at`] are
    /// checked as they go. The default has nothing to check.
    fn verify(&self) -> Result<()> {
        Ok(())
    }

    /// True when the bytes are inflated from a compressed stream: a read
    /// continues cheaply where the last one stopped, but going back starts
    /// the stream over, so readers read in order and in large pieces. False
    /// by default.
    fn is_compressed(&self) -> bool {
        false
    }
}

/// A boxed or shared source reads as the source itself.
macro_rules! forward_source {
    ($($ptr:ident),*) => {$(
        impl<T: ByteSource + ?Sized> ByteSource for $ptr<T> {
            fn size(&self) -> u64 {
                (**self).size()
            }
            fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
                (**self).read_at(offset, buf)
            }
            fn read_chunks(
                &self,
                offset: u64,
                buf: &mut [u8],
                chunk: usize,
                each: OnPiece,
            ) -> Result<()> {
                (**self).read_chunks(offset, buf, chunk, each)
            }
            fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
                (**self).slice(offset, len)
            }
            fn file(&self) -> Option<(&File, u64)> {
                (**self).file()
            }
            fn verify(&self) -> Result<()> {
                (**self).verify()
            }
            fn is_compressed(&self) -> bool {
                (**self).is_compressed()
            }
        }
    )*};
}

forward_source!(Box, Arc);

/// [`ByteSource::read_chunks`] with `read` for each piece: `buf` in pieces of
/// `chunk` bytes from `offset`, each handed to `each` once read; an empty
/// `buf` is one empty read.
pub fn read_in_pieces(
    offset: u64,
    buf: &mut [u8],
    chunk: usize,
    each: OnPiece,
    read: &mut dyn FnMut(u64, &mut [u8]) -> Result<()>,
) -> Result<()> {
    if buf.is_empty() {
        return read(offset, buf);
    }
    let mut at = offset;
    for piece in buf.chunks_mut(chunk.max(1)) {
        read(at, piece)?;
        each(piece);
        at += piece.len() as u64;
    }
    Ok(())
}

/// The part of `bytes` at `offset .. offset + len`, if it is all there.
pub(crate) fn sub_slice(bytes: &[u8], offset: u64, len: u64) -> Option<&[u8]> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(usize::try_from(len).ok()?)?;
    bytes.get(start..end)
}

/// [`ByteSource::read_at`] for bytes in memory: a range past their end is
/// `Truncated`.
pub(crate) fn copy_from(bytes: &[u8], offset: u64, buf: &mut [u8]) -> Result<()> {
    match sub_slice(bytes, offset, buf.len() as u64) {
        Some(s) => {
            buf.copy_from_slice(s);
            Ok(())
        }
        None => Err(err!(
            Truncated,
            "read of bytes {offset}..{} past the end ({} bytes)",
            offset.saturating_add(buf.len() as u64),
            bytes.len()
        )),
    }
}

/// Read exactly `buf.len()` bytes at `offset` (pread; no shared cursor).
pub fn pread_exact(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    super::read_exact_with(&|b: &mut [u8], at: u64| file.read_at(b, at), buf, offset)
}

/// Write all of `data` at `offset` (pwrite; no shared cursor), looping
/// over short writes and interruptions.
pub fn pwrite_all(file: &File, mut data: &[u8], mut offset: u64) -> std::io::Result<()> {
    const MAX_CHUNK: usize = 1 << 30;
    while !data.is_empty() {
        let n = data.len().min(MAX_CHUNK);
        match file.write_at(&data[..n], offset) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(k) => {
                data = &data[k..];
                offset += k as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// [`pread_exact`] for readers: a file that ends early shrank since it was
/// opened (`Truncated`); any other failure is an `Io` error.
/// Reads of [`super::parallel::PARALLEL_FROM`] bytes or more are split into slices
/// read by several threads at once ([`crate::Limit::ReadThreads`]).
pub(crate) fn read_file_at(file: &File, offset: u64, buf: &mut [u8]) -> Result<()> {
    let read = |b: &mut [u8], at: u64| file.read_at(b, at);
    let threads = super::threads_for(buf.len());
    super::read_parallel_with(&read, buf, offset, threads).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            err!(Truncated, "file shrank while being read")
        } else {
            Error::io("read", e)
        }
    })
}

/// A file read with `pread`, its length taken when it was opened. A file
/// shorter than one first read may come with all its bytes, read at open:
/// reads then return them as they were at open.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
    /// The whole file, when it was read whole at open.
    whole: Option<Box<[u8]>>,
}

impl FileSource {
    /// A file, its length asked of the file system now.
    pub fn new(file: File) -> std::io::Result<FileSource> {
        let len = file.metadata()?.len();
        Ok(FileSource {
            file,
            len,
            whole: None,
        })
    }

    /// A file of `len` bytes (known to the caller).
    pub(crate) fn with_len(file: File, len: u64) -> FileSource {
        FileSource {
            file,
            len,
            whole: None,
        }
    }

    /// The open file.
    pub(crate) fn handle(&self) -> &File {
        &self.file
    }

    /// A file whose bytes were all read at open.
    pub(crate) fn with_bytes(file: File, whole: Box<[u8]>) -> FileSource {
        FileSource {
            file,
            len: whole.len() as u64,
            whole: Some(whole),
        }
    }
}

impl ByteSource for FileSource {
    fn size(&self) -> u64 {
        self.len
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        if let Some(w) = &self.whole {
            return copy_from(w, offset, buf);
        }
        read_file_at(&self.file, offset, buf)
    }
    /// The file, unless its bytes were read at open (they are served as
    /// they were then).
    fn file(&self) -> Option<(&File, u64)> {
        match self.whole {
            Some(_) => None,
            None => Some((&self.file, 0)),
        }
    }
}

/// Bytes owned or borrowed by a memory-backed array or archive.
pub trait Bytes: Send + Sync {
    /// The bytes.
    fn bytes(&self) -> &[u8];
}

impl<T: AsRef<[u8]> + Send + Sync> Bytes for T {
    fn bytes(&self) -> &[u8] {
        self.as_ref()
    }
}

/// Bytes held in memory, read in place.
pub struct MemorySource(Box<dyn Bytes>);

impl MemorySource {
    /// Bytes held in memory: a `Vec<u8>`, a boxed slice, a `&'static [u8]`, ...
    pub fn new(bytes: impl Bytes + 'static) -> MemorySource {
        MemorySource(Box::new(bytes))
    }
}

impl std::fmt::Debug for MemorySource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemorySource({} bytes)", self.0.bytes().len())
    }
}

impl ByteSource for MemorySource {
    fn size(&self) -> u64 {
        self.0.bytes().len() as u64
    }
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        copy_from(self.0.bytes(), offset, buf)
    }
    fn slice(&self, offset: u64, len: u64) -> Option<&[u8]> {
        sub_slice(self.0.bytes(), offset, len)
    }
}
