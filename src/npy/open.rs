//! Opening a .npy array: from a path, memory, a map, or any byte source.

use super::{read_header, read_header_seq, read_header_slice, Name, NpyFile, Source};
use crate::error::{Error, Result};
use crate::header::{ArraySpec, Header};
use crate::io::{read_file_at, ByteSource, Bytes, FileSource, Map, MapMode, MemorySource};
use crate::{bail, err};
use std::ffi::{CStr, OsStr};
use std::fs::File;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

/// Bytes read with the first positional read of a file: the header of any
/// NumPy-written array with fewer than ~50 fields, and the data too when
/// the whole file is this small.
const FIRST_READ: usize = 4096;

/// What the first reads of a .npy file found.
pub(super) struct FileHeader {
    pub(super) header: Header,
    /// The file's length.
    pub(super) len: u64,
    /// All of the file's bytes, when it ended inside the first read.
    whole: Option<Box<[u8]>>,
}

/// Read the header of the .npy file `file`, starting with one read of
/// [`FIRST_READ`] bytes. A short first read ends the file, as it does for
/// regular files, and then the file size needs no `fstat`; if that leaves
/// the header's promise unmet, the size is asked for after all.
pub(super) fn read_file_header(file: &File) -> Result<FileHeader> {
    use std::os::unix::io::AsRawFd;
    let mut raw = std::mem::MaybeUninit::<[u8; FIRST_READ]>::uninit();
    let got = loop {
        // SAFETY: reads into a buffer we own; only the bytes the kernel
        // reports written are used afterwards.
        let r = unsafe { libc::pread(file.as_raw_fd(), raw.as_mut_ptr().cast(), FIRST_READ, 0) };
        if r >= 0 {
            break r as usize;
        }
        let e = std::io::Error::last_os_error();
        if e.kind() != std::io::ErrorKind::Interrupted {
            return Err(Error::io("read", e));
        }
    };
    // SAFETY: the kernel initialized the first `got` bytes.
    let buf: &[u8] = unsafe { std::slice::from_raw_parts(raw.as_ptr().cast::<u8>(), got) };
    if got < FIRST_READ {
        if let Ok(h) = read_header_slice(buf) {
            return Ok(FileHeader {
                header: h,
                len: got as u64,
                whole: Some(buf.into()),
            });
        }
        // Invalid within the bytes read: let the full path (with the real
        // file size) find and describe the problem.
    }
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut pos = 0u64;
    let h = read_header_seq(len, &mut |dst: &mut [u8]| {
        let end = pos + dst.len() as u64;
        if end <= got as u64 {
            dst.copy_from_slice(&buf[pos as usize..end as usize]);
        } else {
            read_file_at(file, pos, dst)?;
        }
        pos = end;
        Ok(())
    })?;
    Ok(FileHeader {
        header: h,
        len,
        whole: None,
    })
}

impl NpyFile {
    /// Open a .npy file and read its header. The data is read on demand,
    /// except for a file shorter than 4 KiB, which the first read brings in
    /// whole: reads then return its bytes as they were at open. A file that
    /// does not exist is [`Status::NotFound`](crate::Status::NotFound).
    pub fn open(path: impl AsRef<Path>) -> Result<NpyFile> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| Error::open(format!("{}: open", path.display()), e))?;
        NpyFile::open_file(file, path)
    }

    /// [`NpyFile::open`] of a path given as a C string (`npy_open`): opened
    /// as given, without copying it to add the NUL that it has.
    pub(crate) fn open_c(path: &CStr) -> Result<NpyFile> {
        use std::os::unix::io::FromRawFd;
        let fd = loop {
            // SAFETY: a NUL-terminated path that lives across the call.
            let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
            if fd >= 0 {
                break fd;
            }
            let e = std::io::Error::last_os_error();
            if e.kind() != std::io::ErrorKind::Interrupted {
                let p = Path::new(OsStr::from_bytes(path.to_bytes()));
                return Err(Error::open(format!("{}: open", p.display()), e));
            }
        };
        // SAFETY: fd is a fresh descriptor nothing else owns.
        let file = unsafe { File::from_raw_fd(fd) };
        NpyFile::open_file(file, Path::new(OsStr::from_bytes(path.to_bytes())))
    }

    /// Read the header of `file`, opened from `path`.
    fn open_file(file: File, path: &Path) -> Result<NpyFile> {
        let FileHeader { header, len, whole } =
            read_file_header(&file).map_err(|e| e.context(path.display()))?;
        let source = match whole {
            Some(bytes) => FileSource::with_bytes(file, bytes),
            None => FileSource::with_len(file, len),
        };
        let start = header.data_offset;
        // The name for messages; UTF-8 (the common case) is checked, not
        // rebuilt.
        let name = Name::from_path(path);
        NpyFile::new(header, Source::File(source), start, name)
    }

    /// Parse a .npy held in memory (the whole file's bytes).
    pub fn from_bytes(data: impl Bytes + 'static) -> Result<NpyFile> {
        let header = read_header_slice(data.bytes()).map_err(|e| e.context("<memory>"))?;
        let start = header.data_offset;
        let source = MemorySource::new(data);
        NpyFile::new(header, Source::Read(Box::new(source)), start, "<memory>")
    }

    /// Read a .npy from any byte source: a reader the caller supplies (see
    /// [`ByteSource`]), a file, memory. The header is read now, with three
    /// reads in order; the data is read on demand, only the bytes asked for.
    /// `name` names the array in messages.
    pub fn from_reader(
        reader: impl ByteSource + 'static,
        name: impl Into<String>,
    ) -> Result<NpyFile> {
        let name = name.into();
        let header = read_header(&reader).map_err(|e| e.context(&name))?;
        let start = header.data_offset;
        NpyFile::new(header, Source::Read(Box::new(reader)), start, name)
    }

    /// An array whose header is known already (built with
    /// [`Header::new`], or read before): its data lies at
    /// `header.data_offset` in `source`, which is checked to hold it; the
    /// header is not read again (its shape and dtype are checked as
    /// [`ArraySpec::new`] checks them). `name` names the array in messages.
    pub fn with_header(
        header: Header,
        source: impl ByteSource + 'static,
        name: impl Into<String>,
    ) -> Result<NpyFile> {
        let name = name.into();
        let n = ArraySpec::new(&header.dtype, &header.shape, header.fortran_order)
            .map_err(|e| e.context(&name))?
            .nbytes();
        let (start, len) = (header.data_offset, source.size());
        if start.checked_add(n).is_none_or(|end| end > len) {
            bail!(
                Truncated,
                "{name}: the data needs bytes {start}..{} but the source has {len}",
                start.saturating_add(n)
            );
        }
        NpyFile::new(header, Source::Read(Box::new(source)), start, name)
    }

    /// Map a .npy file's data. The file's length is checked before mapping.
    /// An empty array maps nothing.
    pub fn mmap(path: impl AsRef<Path>, mode: MapMode) -> Result<NpyFile> {
        let path = path.as_ref();
        let ctx = |e: Error| e.context(path.display());
        let file = crate::io::open_for_map(path, mode == MapMode::ReadWrite)?;
        let header = read_file_header(&file).map_err(ctx)?.header;
        let (offset, n) = (header.data_offset, header.nbytes());
        NpyFile::map_region(
            header,
            &file,
            offset,
            n,
            mode,
            path.to_string_lossy().into_owned(),
        )
    }

    /// Map `n` bytes of `file` at `offset` as the data of an array with
    /// `header` (the caller checked that the range exists).
    pub(crate) fn map_region(
        header: Header,
        file: &File,
        offset: u64,
        n: u64,
        mode: MapMode,
        name: String,
    ) -> Result<NpyFile> {
        let len = usize::try_from(n).map_err(|_| {
            err!(
                Overflow,
                "{name}: array of {n} bytes does not fit the address space"
            )
        })?;
        let map =
            Map::new(file, offset, len, mode).map_err(|e| Error::io(format!("{name}: mmap"), e))?;
        NpyFile::new(header, Source::Map(map), 0, name)
    }
}
