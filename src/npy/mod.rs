//! .npy arrays: open (file, memory, map), describe, read, write.

pub mod copy;
mod write;

pub use write::{save, NpyWriter, SaveOptions};

use crate::dtype::{swap_in_place, SwapPlan};
use crate::error::{Error, Result};
use crate::header::{self, effective_fortran, Header};
use crate::io::pread_exact;
use crate::limits::Limit;
use crate::{bail, err};
use copy::{c_strides, copy_nd, f_strides};
use std::fs::File;
use std::path::Path;

/// Read flag: convert every multi-byte scalar to the host byte order.
pub const READ_NATIVE: u32 = 1;
/// Read flag: return C-order data for a Fortran-order array.
pub const READ_C_ORDER: u32 = 2;
const READ_ALL: u32 = READ_NATIVE | READ_C_ORDER;

/// Bytes converted per block when swapping, so a block is still in cache.
const SWAP_BLOCK: usize = 256 << 10;

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

/// Anything that can be read at an offset without a shared cursor.
pub(crate) trait ReadAt {
    /// Total length in bytes.
    fn size(&self) -> u64;
    /// Fill `buf` from `offset`; the range is known to be in bounds.
    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<()>;
}

impl ReadAt for File {
    fn size(&self) -> u64 {
        self.metadata().map(|m| m.len()).unwrap_or(0)
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<()> {
        pread_exact(self, buf, offset).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                err!(Truncated, "file shrank while being read")
            } else {
                Error::io("read", e)
            }
        })
    }
}

impl ReadAt for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<()> {
        let o = offset as usize;
        buf.copy_from_slice(&self[o..o + buf.len()]);
        Ok(())
    }
}

/// Read and validate a .npy header from a sequential source of `len` bytes,
/// checking that the data it declares is present: `next` fills its buffer
/// with the following bytes (the caller guarantees they exist, since every
/// request is checked against `len` first). Allocates at most the header
/// length, which is bounded by both `len` and [`Limit::HeaderLen`].
pub(crate) fn read_header_seq(
    len: u64,
    next: &mut dyn FnMut(&mut [u8]) -> Result<()>,
) -> Result<Header> {
    let mut first = [0u8; 12];
    let n = len.min(8) as usize;
    next(&mut first[..n])?;
    let (version, prefix) = check_magic(&first[..n], len)?;
    next(&mut first[8..prefix])?;
    let hl = check_header_len(version, &first[8..prefix], len)?;
    let mut text = crate::io::try_alloc(hl)?;
    next(&mut text)?;
    check_data(header::parse_header_text(version, &text)?, len)
}

/// [`read_header_seq`] of a .npy held in memory, parsing the header in place.
pub(crate) fn read_header_slice(b: &[u8]) -> Result<Header> {
    let len = b.len() as u64;
    let (version, prefix) = check_magic(&b[..b.len().min(8)], len)?;
    let hl = check_header_len(version, &b[8..prefix], len)?;
    check_data(
        header::parse_header_text(version, &b[prefix..prefix + hl])?,
        len,
    )
}

/// The version from the magic string, and the length of the fixed prefix
/// (magic, version, header length), which `len` is checked to hold.
fn check_magic(first: &[u8], len: u64) -> Result<((u8, u8), usize)> {
    let version = header::parse_magic(first)?;
    let prefix = Header::prefix_len(version);
    if len < prefix as u64 {
        bail!(
            Truncated,
            "file ends after {len} bytes, inside the header length field"
        );
    }
    Ok((version, prefix))
}

/// The header length from its field, checked against `len` and the limit.
fn check_header_len(version: (u8, u8), field: &[u8], len: u64) -> Result<usize> {
    let prefix = Header::prefix_len(version);
    let hl = header::parse_header_len(version, field);
    if prefix as u64 + hl > len {
        bail!(
            Truncated,
            "header length {hl} extends beyond the end of the file ({len} bytes)"
        );
    }
    let limit = Limit::HeaderLen.get();
    if hl > limit {
        return Err(Error::limit(
            Limit::HeaderLen,
            format!("header length {hl} exceeds the limit of {limit} bytes"),
        ));
    }
    Ok(hl as usize)
}

/// Check that the `len`-byte source holds all the data `h` declares.
fn check_data(h: Header, len: u64) -> Result<Header> {
    let avail = len - h.data_offset;
    if h.nbytes() > avail {
        bail!(
            Truncated,
            "data is truncated: shape {:?} of {} needs {} bytes but only {avail} follow the header",
            h.shape,
            h.dtype.descr_short(),
            h.nbytes()
        );
    }
    Ok(h)
}

/// Bytes read with the first positional read of a file: the header of any
/// NumPy-written array with fewer than ~50 fields, and the data too when
/// the whole file is this small.
const FIRST_READ: usize = 4096;

/// Read the header of the .npy file `file`, starting with one read of
/// [`FIRST_READ`] bytes. A short first read ends the file, as it does for
/// regular files, and then the file size needs no `fstat`; if that leaves
/// the header's promise unmet, the size is asked for after all. Returns the
/// header and, when the file ended inside the first read, its data.
fn read_file_header(file: &File) -> Result<(Header, Option<Box<[u8]>>)> {
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
        let first = &buf[..got];
        if let Ok(h) = read_header_slice(first) {
            let o = h.data_offset as usize;
            let data: Box<[u8]> = first[o..o + h.nbytes() as usize].into();
            return Ok((h, Some(data)));
        }
        // Invalid within the bytes read: let the full path (with the real
        // file size) find and describe the problem.
    }
    let len = file.size();
    let mut pos = 0u64;
    let h = read_header_seq(len, &mut |dst: &mut [u8]| {
        let end = pos + dst.len() as u64;
        if end <= got as u64 {
            dst.copy_from_slice(&buf[pos as usize..end as usize]);
        } else {
            file.read_at(dst, pos)?;
        }
        pos = end;
        Ok(())
    })?;
    Ok((h, None))
}

/// Bytes owned or borrowed by a memory-backed array.
pub trait Bytes: Send + Sync {
    /// The bytes.
    fn bytes(&self) -> &[u8];
}

impl<T: AsRef<[u8]> + Send + Sync> Bytes for T {
    fn bytes(&self) -> &[u8] {
        self.as_ref()
    }
}

enum Map {
    Ro(memmap2::Mmap),
    Rw(memmap2::MmapMut),
    /// An empty array maps nothing; `true` if the map was opened writable.
    Empty(bool),
}

enum Source {
    /// A file; with its data when the whole file came with the first read.
    File(File, Option<Box<[u8]>>),
    Memory(Box<dyn Bytes>),
    Map(Map),
    Member(Box<crate::npz::Member>),
}

/// One .npy array, wherever it lives: a file, a memory buffer or a map.
///
/// All read methods take `&self` and use positional reads, so one `NpyFile`
/// may be read from several threads at once.
pub struct NpyFile {
    header: Header,
    source: Source,
    swap: SwapPlan,
    name: String,
}

impl std::fmt::Debug for NpyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpyFile")
            .field("header", &self.header)
            .finish()
    }
}

fn open_file(path: &Path, write: bool) -> Result<File> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(write)
        .open(path)
        .map_err(|e| Error::io(format!("{}: open", path.display()), e))
}

impl NpyFile {
    fn new(header: Header, source: Source, name: String) -> Result<NpyFile> {
        let swap = header
            .dtype
            .try_swap_units()
            .map_err(|e| e.context(&name))?;
        Ok(NpyFile {
            header,
            source,
            swap,
            name,
        })
    }

    /// The name used in messages: the path, or `<memory>`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Open a .npy file and read its header. The data is read on demand,
    /// except for a file shorter than 4 KiB, which the first read brings in
    /// whole: reads then return its bytes as they were at open.
    pub fn open(path: impl AsRef<Path>) -> Result<NpyFile> {
        let path = path.as_ref();
        let ctx = |e: Error| e.context(path.display());
        let file = open_file(path, false)?;
        let (header, small) = read_file_header(&file).map_err(ctx)?;
        NpyFile::new(
            header,
            Source::File(file, small),
            path.to_string_lossy().into_owned(),
        )
    }

    /// Parse a .npy held in memory (the whole file's bytes).
    pub fn from_bytes(data: impl Bytes + 'static) -> Result<NpyFile> {
        let header = read_header_slice(data.bytes()).map_err(|e| e.context("<memory>"))?;
        NpyFile::new(header, Source::Memory(Box::new(data)), "<memory>".into())
    }

    /// An in-memory .npy whose header the library built as a value: `data`
    /// holds the bytes of that header ([`crate::header::header_bytes`] of
    /// its dtype, shape and order) and then the data. Nothing is parsed;
    /// the data's length is checked.
    pub(crate) fn from_built(header: Header, data: impl Bytes + 'static) -> Result<NpyFile> {
        let header =
            check_data(header, data.bytes().len() as u64).map_err(|e| e.context("<memory>"))?;
        NpyFile::new(header, Source::Memory(Box::new(data)), "<memory>".into())
    }

    /// Map a .npy file's data. The file's length is checked before mapping.
    /// An empty array maps nothing.
    pub fn mmap(path: impl AsRef<Path>, mode: MapMode) -> Result<NpyFile> {
        let path = path.as_ref();
        let ctx = |e: Error| e.context(path.display());
        let file = crate::io::open_for_map(path, mode == MapMode::ReadWrite)?;
        let (header, _) = read_file_header(&file).map_err(ctx)?;
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
        let map = if n == 0 {
            Map::Empty(mode != MapMode::Read)
        } else {
            let len = usize::try_from(n).map_err(|_| {
                err!(
                    Overflow,
                    "{name}: array of {n} bytes does not fit the address space"
                )
            })?;
            let mut opts = memmap2::MmapOptions::new();
            opts.offset(offset).len(len);
            // SAFETY: the mapping is only accessed through this handle; the
            // file's length was checked. A file truncated by another process
            // afterwards raises SIGBUS, as documented.
            let r = unsafe {
                match mode {
                    MapMode::Read => opts.map(file).map(Map::Ro),
                    MapMode::ReadWrite => opts.map_mut(file).map(Map::Rw),
                    MapMode::CopyOnWrite => opts.map_copy(file).map(Map::Rw),
                }
            };
            r.map_err(|e| Error::io(format!("{name}: mmap"), e))?
        };
        NpyFile::new(header, Source::Map(map), name)
    }

    /// An array inside an .npz member (see `NpzFile::open_member`).
    pub(crate) fn from_member(
        header: Header,
        m: crate::npz::Member,
        name: String,
    ) -> Result<NpyFile> {
        NpyFile::new(header, Source::Member(Box::new(m)), name)
    }

    /// For arrays inside an .npz: whether the member is stored (not compressed).
    pub fn is_compressed_member(&self) -> bool {
        matches!(&self.source, Source::Member(m) if !m.is_stored())
    }

    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Size of the data in bytes.
    pub fn nbytes(&self) -> u64 {
        self.header.nbytes()
    }

    /// The data, when it is in memory (memory buffers and maps).
    pub fn data(&self) -> Option<&[u8]> {
        let n = self.header.nbytes() as usize;
        match &self.source {
            Source::File(..) => None,
            Source::Memory(m) => {
                let o = self.header.data_offset as usize;
                Some(&m.bytes()[o..o + n])
            }
            Source::Map(Map::Ro(m)) => Some(&m[..]),
            Source::Map(Map::Rw(m)) => Some(&m[..]),
            Source::Map(Map::Empty(_)) => Some(&[]),
            Source::Member(m) => m.slice(self.header.data_offset, n as u64),
        }
    }

    /// The data, writable, for read-write and copy-on-write maps.
    pub fn data_mut(&mut self) -> Option<&mut [u8]> {
        match &mut self.source {
            Source::Map(Map::Rw(m)) => Some(&mut m[..]),
            Source::Map(Map::Empty(true)) => Some(&mut []),
            _ => None,
        }
    }

    /// Is this a writable map?
    pub fn is_writable(&self) -> bool {
        matches!(&self.source, Source::Map(Map::Rw(_) | Map::Empty(true)))
    }

    /// Flush a read-write map's changes to the file (msync). A no-op for
    /// other sources.
    pub fn flush(&self) -> Result<()> {
        if let Source::Map(Map::Rw(m)) = &self.source {
            m.flush().map_err(|e| Error::io("msync", e))?;
        }
        Ok(())
    }

    /// Copy `dst.len()` data bytes starting `off` bytes into the data.
    fn read_raw(&self, off: u64, dst: &mut [u8]) -> Result<()> {
        match &self.source {
            Source::File(_, Some(d)) => {
                let o = off as usize;
                dst.copy_from_slice(&d[o..o + dst.len()]);
                Ok(())
            }
            Source::File(f, None) => f.read_at(dst, self.header.data_offset + off),
            _ => {
                let d = self.data().unwrap_or(&[]);
                let o = off as usize;
                dst.copy_from_slice(&d[o..o + dst.len()]);
                Ok(())
            }
        }
    }

    /// Read a contiguous byte range of the data, converting byte order in
    /// cache-sized blocks when asked. For .npz members, a range that reaches
    /// the end of the data also checks the member's CRC.
    fn read_range(&self, off: u64, dst: &mut [u8], native: bool) -> Result<()> {
        let isz = self.header.dtype.itemsize().max(1);
        let block = (SWAP_BLOCK / isz).max(1) * isz;
        let swap = native && !self.swap.is_empty();
        if let Source::Member(m) = &self.source {
            let verify = off + dst.len() as u64 == self.header.nbytes();
            return m.read_span(
                self.header.data_offset + off,
                dst,
                verify,
                block,
                &mut |c| {
                    if swap {
                        swap_in_place(c, isz, &self.swap)
                    }
                },
            );
        }
        if !swap {
            return self.read_raw(off, dst);
        }
        let mut done = 0usize;
        for chunk in dst.chunks_mut(block) {
            self.read_raw(off + done as u64, chunk)?;
            swap_in_place(chunk, isz, &self.swap);
            done += chunk.len();
        }
        Ok(())
    }

    /// Run `f` on a view of the whole data region: the buffer or map itself,
    /// a temporary read-only map of a file (or stored member), or, for a
    /// deflate member, the inflated data.
    fn with_view<T>(&self, f: impl FnOnce(&[u8]) -> T) -> Result<T> {
        if let Some(d) = self.data() {
            if let Source::Member(m) = &self.source {
                m.verify()?;
            }
            return Ok(f(d));
        }
        let n = self.header.nbytes() as usize;
        if n == 0 {
            return Ok(f(&[]));
        }
        let (file, offset) = match &self.source {
            Source::File(_, Some(d)) => return Ok(f(d)),
            Source::File(file, None) => (file, self.header.data_offset),
            Source::Member(m) if m.is_stored() => {
                m.verify()?;
                match m.archive.file() {
                    Some(file) => (file, m.data_start + self.header.data_offset),
                    None => return Ok(f(&[])),
                }
            }
            Source::Member(_) => {
                let mut buf = crate::io::try_alloc(n)?;
                self.read_range(0, &mut buf, false)?;
                return Ok(f(&buf));
            }
            _ => return Ok(f(&[])),
        };
        // The file may have shrunk since it was opened: touching mapped pages
        // past its end would raise SIGBUS, so check its length again first.
        let len = file
            .metadata()
            .map_err(|e| Error::io("stat before mapping", e))?
            .len();
        let end = offset + n as u64;
        if end > len {
            bail!(
                Truncated,
                "file shrank while being read: the data needs bytes {offset}..{end} but the file now has {len}"
            );
        }
        // SAFETY: read-only map of a range that exists (checked just above;
        // a file truncated concurrently from now on raises SIGBUS, as for maps).
        let map = unsafe { memmap2::MmapOptions::new().offset(offset).len(n).map(file) }
            .map_err(|e| Error::io("mmap for reordering", e))?;
        Ok(f(&map[..]))
    }

    fn check_flags(flags: u32) -> Result<()> {
        if flags & !READ_ALL != 0 {
            bail!(InvalidArg, "unknown read flags 0x{:x}", flags & !READ_ALL);
        }
        Ok(())
    }

    fn dims(&self) -> Result<Vec<usize>> {
        self.header
            .shape
            .iter()
            .map(|&d| {
                usize::try_from(d)
                    .map_err(|_| err!(Overflow, "dimension {d} exceeds the address space"))
            })
            .collect()
    }

    /// Read the whole array into `dst` (at least [`NpyFile::nbytes`] long).
    ///
    /// Flags: [`READ_NATIVE`], [`READ_C_ORDER`]. Without flags the bytes are
    /// exactly as stored.
    pub fn read_into(&self, dst: &mut [u8], flags: u32) -> Result<()> {
        self.read_into_inner(dst, flags)
            .map_err(|e| e.context(&self.name))
    }

    fn read_into_inner(&self, dst: &mut [u8], flags: u32) -> Result<()> {
        Self::check_flags(flags)?;
        let n = self.header.nbytes();
        if (dst.len() as u64) < n {
            bail!(
                BufferTooSmall,
                "buffer of {} bytes is smaller than the array's {n} bytes",
                dst.len()
            );
        }
        let dst = &mut dst[..n as usize];
        let h = &self.header;
        if flags & READ_C_ORDER != 0 && effective_fortran(&h.shape, h.fortran_order) {
            let shape = self.dims()?;
            let isz = h.dtype.itemsize();
            self.with_view(|src| {
                copy_nd(
                    src,
                    0,
                    &f_strides(&shape, isz),
                    dst,
                    &c_strides(&shape, isz),
                    &shape,
                    isz,
                )
            })?;
            if flags & READ_NATIVE != 0 {
                swap_in_place(dst, isz, &self.swap);
            }
            Ok(())
        } else {
            self.read_range(0, dst, flags & READ_NATIVE != 0)
        }
    }

    /// Bytes of `count` rows along axis 0.
    pub fn rows_nbytes(&self, count: u64) -> Result<u64> {
        let h = &self.header;
        if h.shape.is_empty() {
            bail!(InvalidArg, "a 0-d array has no rows");
        }
        let mut rs = h.shape.clone();
        rs[0] = count;
        header::checked_nbytes(&rs, h.dtype.itemsize())
    }

    /// Read rows `first .. first + count` along axis 0 (a slab) into `dst`.
    ///
    /// For C-order arrays the slab is contiguous in the file and read with
    /// one positional read. For Fortran-order arrays the slab comes back in
    /// Fortran order (the bytes of `np.asfortranarray(a[first:first+count])`),
    /// or in C order with [`READ_C_ORDER`] (the bytes of
    /// `np.ascontiguousarray(a[first:first+count])`).
    pub fn read_rows(&self, first: u64, count: u64, dst: &mut [u8], flags: u32) -> Result<()> {
        self.read_rows_inner(first, count, dst, flags)
            .map_err(|e| e.context(&self.name))
    }

    fn read_rows_inner(&self, first: u64, count: u64, dst: &mut [u8], flags: u32) -> Result<()> {
        Self::check_flags(flags)?;
        let h = &self.header;
        if h.shape.is_empty() {
            bail!(InvalidArg, "read_rows: a 0-d array has no rows");
        }
        let d0 = h.shape[0];
        if first.checked_add(count).is_none_or(|end| end > d0) {
            bail!(
                InvalidArg,
                "read_rows: rows {first}..{} are outside the array's {d0} rows",
                first.saturating_add(count)
            );
        }
        let nb = self.rows_nbytes(count)?;
        if (dst.len() as u64) < nb {
            bail!(
                BufferTooSmall,
                "buffer of {} bytes is smaller than the {nb} bytes of {count} rows",
                dst.len()
            );
        }
        let dst = &mut dst[..nb as usize];
        if nb == 0 {
            return Ok(());
        }
        let isz = h.dtype.itemsize();
        if !effective_fortran(&h.shape, h.fortran_order) {
            let row = self.rows_nbytes(1)?;
            return self.read_range(first * row, dst, flags & READ_NATIVE != 0);
        }
        let shape = self.dims()?;
        let mut sub = shape.clone();
        sub[0] = count as usize;
        let src_strides = f_strides(&shape, isz);
        let dst_strides = if flags & READ_C_ORDER != 0 {
            c_strides(&sub, isz)
        } else {
            f_strides(&sub, isz)
        };
        self.with_view(|src| {
            copy_nd(
                src,
                first as usize * isz,
                &src_strides,
                dst,
                &dst_strides,
                &sub,
                isz,
            )
        })?;
        if flags & READ_NATIVE != 0 {
            swap_in_place(dst, isz, &self.swap);
        }
        Ok(())
    }
}
