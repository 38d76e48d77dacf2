//! Reading .npz archives: the archive and its directory, members opened as
//! arrays or read raw, stored members mapped.

use super::directory::{check_local_header, read_central_directory, Entry};
use super::member::Member;
use crate::error::{Detail, Error, Result};
use crate::io::{ByteSource, Bytes, FileSource, MemorySource};
use crate::npy::{read_header, MapMode, NpyFile};
use crate::{bail, err};
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// An .npz archive: the central directory read at open, members opened on
/// demand. Reads are positional, so members may be opened and read from
/// several threads at once.
pub struct NpzFile {
    source: Arc<dyn ByteSource>,
    name: String,
    entries: Vec<Entry>,
}

impl std::fmt::Debug for NpzFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpzFile")
            .field("name", &self.name)
            .field("entries", &self.entries)
            .finish()
    }
}

impl NpzFile {
    /// Open an archive and read its central directory. A file that does not
    /// exist is [`Status::NotFound`](crate::Status::NotFound).
    pub fn open(path: impl AsRef<Path>) -> Result<NpzFile> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| Error::open(format!("{}: open", path.display()), e))?;
        let source =
            FileSource::new(file).map_err(|e| Error::io(format!("{}: stat", path.display()), e))?;
        Self::from_source(Arc::new(source), path.display().to_string())
    }

    /// Read an archive held in memory (the whole file's bytes).
    pub fn from_bytes(data: impl Bytes + 'static) -> Result<NpzFile> {
        Self::from_source(Arc::new(MemorySource::new(data)), "<memory>".into())
    }

    /// Read an archive from any byte source: a reader the caller supplies
    /// (see [`ByteSource`]), a file, memory. The directory is read now (the
    /// end record and the central directory: a few reads at the end of the
    /// archive); a member's bytes are read only when it is opened and read,
    /// and only that member's. `name` names the archive in messages.
    pub fn from_reader(
        reader: impl ByteSource + 'static,
        name: impl Into<String>,
    ) -> Result<NpzFile> {
        Self::from_source(Arc::new(reader), name.into())
    }

    fn from_source(source: Arc<dyn ByteSource>, name: String) -> Result<NpzFile> {
        let entries = read_central_directory(source.as_ref()).map_err(|e| e.context(&name))?;
        Ok(NpzFile {
            source,
            name,
            entries,
        })
    }

    /// The archive's name in messages (its path, or `<memory>`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True if the archive has no members.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The members, in archive order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The index of a member by full name (`"x.npy"`) or key (`"x"`), as
    /// `NpzFile.__getitem__` looks them up: full names first.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|e| e.name == name)
            .or_else(|| self.entries.iter().position(|e| e.key == name))
    }

    fn index(&self, name: &str) -> Result<usize> {
        self.index_of(name).ok_or_else(|| {
            err!(
                NotFound,
                "{}: no member named {}",
                self.name,
                crate::pytext::repr_str(name)
            )
        })
    }

    /// How messages name member `e`: the archive, then the member.
    fn context(&self, e: &Entry) -> String {
        format!("{}: member {}", self.name, crate::pytext::repr_str(&e.name))
    }

    /// Open a member as an array, by full name or key.
    pub fn open_member(&self, name: &str) -> Result<NpyFile> {
        self.open_member_at(self.index(name)?)
    }

    /// Read member `name` (key or full name) converted to `ty`, as
    /// [`NpyFile::read_as`] reads an array: host byte order, C order,
    /// NumPy's casting rule `casting`. A missing member is
    /// [`Status::NotFound`](crate::Status::NotFound).
    pub fn read_as(
        &self,
        name: &str,
        ty: crate::Type,
        dst: &mut [u8],
        casting: crate::Casting,
    ) -> Result<()> {
        self.open_member(name)?.read_as(ty, dst, casting)
    }

    /// Load member `name` (key or full name) into memory the library
    /// owns, as [`NpyFile::load`] loads a file: converted to `ty` with
    /// NumPy's safe casting, or in its stored dtype for `None`; host byte
    /// order, C order.
    pub fn load(&self, name: &str, ty: Option<crate::Type>) -> Result<NpyFile> {
        self.open_member(name)?.to_loaded(ty)
    }

    /// Open the member at `index` as an array. Only its header is read (and,
    /// for deflate members, only the header bytes are inflated).
    pub fn open_member_at(&self, index: usize) -> Result<NpyFile> {
        let (m, ctx) = self.member(index)?;
        let (m, header) = member_header(m).map_err(|e| e.context(&ctx))?;
        NpyFile::with_header(header, m, ctx)
    }

    /// Check a member's local header and make a reader for it; with how
    /// messages name it.
    fn member(&self, index: usize) -> Result<(Member, String)> {
        let e = self.entries.get(index).ok_or_else(|| {
            err!(
                InvalidArg,
                "{}: member index {index} out of range (0..{})",
                self.name,
                self.entries.len()
            )
        })?;
        let ctx = self.context(e);
        let data_start =
            check_local_header(self.source.as_ref(), e).map_err(|x| x.context(&ctx))?;
        Ok((Member::new(self.source.clone(), e.clone(), data_start), ctx))
    }

    /// The whole uncompressed bytes of a member (for members that are not
    /// .npy files), CRC-checked. `dst` must hold the member's size.
    pub fn read_raw(&self, index: usize, dst: &mut [u8]) -> Result<()> {
        let (m, ctx) = self.member(index)?;
        let n = m.entry().size;
        if (dst.len() as u64) < n {
            bail!(
                BufferTooSmall,
                "{}: buffer of {} bytes is smaller than member {}'s {n} bytes",
                self.name,
                dst.len(),
                crate::pytext::repr_str(&m.entry().name)
            );
        }
        m.check_at(n)
            .read_at(0, &mut dst[..n as usize])
            .map_err(|e| e.context(&ctx))
    }

    /// [`read_raw`](Self::read_raw) of a member found by full name or key,
    /// as [`open_member`](Self::open_member) finds it (`NotFound` if none).
    pub fn read_raw_named(&self, name: &str, dst: &mut [u8]) -> Result<()> {
        self.read_raw(self.index(name)?, dst)
    }

    /// Map a stored member's array read-only, zero-copy: the data pointer
    /// lies inside the archive's mapping (64-byte aligned in archives
    /// written with `NpzWriterOptions::align`). Deflate members give `NotMappable`. A map does
    /// not read the whole member, so its CRC is not checked by this handle
    /// (open the member with `open_member` for a verified read). In an
    /// archive held in memory the member's data is addressable already: it
    /// is opened as by `open_member`. An archive read through a reader
    /// cannot be mapped (`NotMappable`).
    pub fn mmap_member(&self, name: &str) -> Result<NpyFile> {
        let (m, ctx) = self.member(self.index(name)?)?;
        if !m.is_stored() {
            return Err(err!(
                NotMappable,
                "{ctx}: is {}-compressed; only stored members can be mapped",
                super::zip::method_name(m.entry().method)
            )
            .with_detail(Detail::CompressedMember));
        }
        let (m, header) = member_header(m).map_err(|e| e.context(&ctx))?;
        let Some((file, base)) = m.file() else {
            if m.slice(0, 0).is_some() {
                // A memory archive: the member's data is already addressable.
                return NpyFile::with_header(header, m, ctx);
            }
            bail!(
                NotMappable,
                "{ctx}: the archive is read through a reader, not from a file or memory; open the member instead"
            );
        };
        let offset = base + header.data_offset;
        let n = header.nbytes();
        // The archive's length was checked when it was opened; it may have
        // shrunk since, and mapped pages past its end raise SIGBUS.
        let len = file
            .metadata()
            .map_err(|e| Error::io(format!("{ctx}: stat"), e))?
            .len();
        if offset + n > len {
            bail!(
                Truncated,
                "{ctx}: the archive shrank to {len} bytes since it was opened; the member's data needs bytes {offset}..{}",
                offset + n
            );
        }
        NpyFile::map_region(header, file, offset, n, MapMode::Read, ctx)
    }
}

/// Read the .npy header at the start of member `m`; the member then checks
/// its CRC when a read reaches the end of the array data.
fn member_header(m: Member) -> Result<(Member, crate::header::Header)> {
    if m.entry().size < MAGIC_LEN {
        // NumPy reads 6 bytes and compares them with the magic: a shorter
        // member (an empty one, a directory entry) comes back as its bytes.
        return Err(err!(
            BadMagic,
            "not a .npy file ({} bytes, shorter than the 6-byte magic)",
            m.entry().size
        )
        .with_detail(Detail::NotAnArray));
    }
    let header = read_header(&m).map_err(|e| not_npy(e, m.entry()))?;
    let end = header.data_offset + header.nbytes();
    Ok((m.check_at(end), header))
}

/// The bytes NumPy compares with the .npy magic before it reads a member
/// as an array.
const MAGIC_LEN: u64 = 6;

fn not_npy(e: Error, entry: &Entry) -> Error {
    if e.status() == crate::error::Status::BadMagic {
        err!(BadMagic, "not a .npy file ({})", e.message())
            .with_detail(Detail::NotAnArray)
            .context(format!("size {}", entry.size))
    } else {
        e
    }
}
