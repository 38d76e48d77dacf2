//! Reading .npz archives: the central directory index, members as arrays,
//! CRC checks and limits.

use super::zip::*;
use crate::error::{Detail, Error, Result};
use crate::limits::Limit;
use crate::npy::{read_header_seq, Bytes, NpyFile, ReadAt};
use crate::{bail, err};
use std::fs::File;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Deflate cannot expand data more than about 1032 times; a member that
/// declares more is lying.
const MAX_DEFLATE_RATIO: u64 = 1040;
/// Compressed bytes read per positional read while inflating.
const INFLATE_IN: usize = 256 << 10;

pub(crate) enum ArchiveSource {
    File(File),
    Memory(Box<dyn Bytes>),
}

/// The bytes of an archive: a file read positionally, or memory.
pub(crate) struct Archive {
    src: ArchiveSource,
    len: u64,
    pub(crate) name: String,
}

impl ReadAt for Archive {
    fn size(&self) -> u64 {
        self.len
    }
    fn read_at(&self, buf: &mut [u8], offset: u64) -> Result<()> {
        match &self.src {
            ArchiveSource::File(f) => f.read_at(buf, offset),
            ArchiveSource::Memory(m) => m.bytes().read_at(buf, offset),
        }
    }
}

impl Archive {
    /// A borrowed slice, for memory archives.
    pub(crate) fn slice(&self, off: u64, len: u64) -> Option<&[u8]> {
        match &self.src {
            ArchiveSource::Memory(m) => Some(&m.bytes()[off as usize..(off + len) as usize]),
            ArchiveSource::File(_) => None,
        }
    }

    /// The archive's file, for maps.
    pub(crate) fn file(&self) -> Option<&File> {
        match &self.src {
            ArchiveSource::File(f) => Some(f),
            ArchiveSource::Memory(_) => None,
        }
    }
}

/// One member as the central directory describes it.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The full member name (`"x.npy"`), cut at its first NUL as
    /// `zipfile` cuts it.
    pub name: String,
    /// The key as `NpzFile.files` lists it (`"x"`).
    pub key: String,
    /// The name's bytes as stored (the local header must repeat them).
    raw_name: Vec<u8>,
    /// The stored name had a NUL, and `name` is what came before it.
    cut_at_nul: bool,
    flags: u16,
    /// Compression method (0 stored, 8 deflate; others are refused on open).
    pub method: u16,
    /// CRC-32 of the uncompressed bytes.
    pub crc: u32,
    /// Compressed size in bytes.
    pub compressed_size: u64,
    /// Uncompressed size in bytes.
    pub size: u64,
    header_offset: u64,
    /// Where the next member (or the central directory) starts.
    next_offset: u64,
}

/// An .npz archive: the central directory read at open, members opened on
/// demand. Reads are positional, so members may be opened and read from
/// several threads at once.
pub struct NpzFile {
    archive: Arc<Archive>,
    entries: Vec<Entry>,
}

impl std::fmt::Debug for NpzFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpzFile")
            .field("name", &self.archive.name)
            .field("entries", &self.entries)
            .finish()
    }
}

impl NpzFile {
    /// Open an archive and read its central directory.
    pub fn open(path: impl AsRef<Path>) -> Result<NpzFile> {
        let path = path.as_ref();
        let file =
            File::open(path).map_err(|e| Error::io(format!("{}: open", path.display()), e))?;
        let len = file
            .metadata()
            .map_err(|e| Error::io(format!("{}: stat", path.display()), e))?
            .len();
        Self::from_archive(Archive {
            src: ArchiveSource::File(file),
            len,
            name: path.display().to_string(),
        })
    }

    /// Read an archive held in memory (the whole file's bytes).
    pub fn from_bytes(data: impl Bytes + 'static) -> Result<NpzFile> {
        let len = data.bytes().len() as u64;
        Self::from_archive(Archive {
            src: ArchiveSource::Memory(Box::new(data)),
            len,
            name: "<memory>".into(),
        })
    }

    fn from_archive(archive: Archive) -> Result<NpzFile> {
        let entries = read_central_directory(&archive).map_err(|e| e.context(&archive.name))?;
        Ok(NpzFile {
            archive: Arc::new(archive),
            entries,
        })
    }

    /// The archive's name in messages (its path, or `<memory>`).
    pub fn name(&self) -> &str {
        &self.archive.name
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
                self.archive.name,
                crate::literal::repr_str(name)
            )
        })
    }

    /// Open a member as an array, by full name or key.
    pub fn open_member(&self, name: &str) -> Result<NpyFile> {
        self.open_member_at(self.index(name)?)
    }

    /// Open the member at `index` as an array. Only its header is read (and,
    /// for deflate members, only the header bytes are inflated).
    pub fn open_member_at(&self, index: usize) -> Result<NpyFile> {
        let m = self.member(index)?;
        let ctx = format!(
            "{}: member {}",
            self.archive.name,
            crate::literal::repr_str(&m.entry.name)
        );
        let header = m.read_header().map_err(|e| e.context(&ctx))?;
        NpyFile::from_member(header, m, ctx)
    }

    /// Check a member's local header and make a reader for it.
    pub(crate) fn member(&self, index: usize) -> Result<Member> {
        let e = self.entries.get(index).ok_or_else(|| {
            err!(
                InvalidArg,
                "{}: member index {index} out of range (0..{})",
                self.archive.name,
                self.entries.len()
            )
        })?;
        let ctx = format!(
            "{}: member {}",
            self.archive.name,
            crate::literal::repr_str(&e.name)
        );
        let data_start = check_local_header(&self.archive, e).map_err(|x| x.context(&ctx))?;
        Ok(Member {
            archive: self.archive.clone(),
            entry: e.clone(),
            data_start,
            verified: AtomicBool::new(false),
            cursor: std::sync::Mutex::new(None),
        })
    }

    /// The whole uncompressed bytes of a member (for members that are not
    /// .npy files), CRC-checked. `dst` must hold the member's size.
    pub fn read_raw(&self, index: usize, dst: &mut [u8]) -> Result<()> {
        let m = self.member(index)?;
        let n = m.entry.size;
        if (dst.len() as u64) < n {
            bail!(
                BufferTooSmall,
                "{}: buffer of {} bytes is smaller than member {}'s {n} bytes",
                self.archive.name,
                dst.len(),
                crate::literal::repr_str(&m.entry.name)
            );
        }
        m.read_span(0, &mut dst[..n as usize], true, usize::MAX, &mut |_| {})
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
    /// (open the member with `open_member` for a verified read).
    pub fn mmap_member(&self, name: &str) -> Result<NpyFile> {
        let m = self.member(self.index(name)?)?;
        let ctx = format!(
            "{}: member {}",
            self.archive.name,
            crate::literal::repr_str(&m.entry.name)
        );
        if !m.is_stored() {
            return Err(err!(
                NotMappable,
                "{ctx}: is deflate-compressed; only stored members can be mapped"
            )
            .with_detail(Detail::CompressedMember));
        }
        let header = m.read_header().map_err(|e| e.context(&ctx))?;
        let Some(file) = self.archive.file() else {
            // A memory archive: the member's data is already addressable.
            return NpyFile::from_member(header, m, ctx);
        };
        let offset = m.data_start + header.data_offset;
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
        NpyFile::map_region(header, file, offset, n, crate::npy::MapMode::Read, ctx)
    }
}

/// The fields of an end of central directory record (plain or zip64).
struct EndRecord {
    /// Which record, for messages.
    what: &'static str,
    disk: u64,
    cd_disk: u64,
    n_disk: u64,
    count: u64,
    cd_size: u64,
    cd_offset: u64,
    /// Where the record starts: the central directory ends here.
    at: u64,
}

/// A member's name as `zipfile` reads it: decoded (UTF-8 with flag 0x800,
/// else cp437), then cut at the first NUL (`ZipInfo` drops the rest, a
/// trick of malicious archives). Returns the name and whether it was cut.
fn member_name(raw: &[u8], flags: u16) -> Result<(String, bool)> {
    let mut name = decode_name(raw, flags)?;
    match name.find('\0') {
        Some(i) => {
            name.truncate(i);
            Ok((name, true))
        }
        None => Ok((name, false)),
    }
}

fn read_central_directory(a: &Archive) -> Result<Vec<Entry>> {
    let len = a.len;
    if len < EOCD_LEN as u64 {
        bail!(
            Zip,
            "not a zip archive: {len} bytes is too short for an end of central directory record"
        );
    }
    // The end record is within the last 22 + 65535 bytes.
    let tail_len = len.min((EOCD_LEN + 0xFFFF) as u64) as usize;
    let mut tail = vec![0u8; tail_len];
    a.read_at(&mut tail, len - tail_len as u64)?;
    let eocd = (0..=tail_len - EOCD_LEN)
        .rev()
        .find(|&i| {
            tail[i..i + 4] == EOCD_SIG.to_le_bytes()
                && i + EOCD_LEN + u16::from_le_bytes([tail[i + 20], tail[i + 21]]) as usize
                    <= tail_len
        })
        .ok_or_else(|| {
            err!(
                Zip,
                "not a zip archive (no end of central directory record)"
            )
        })?;
    let eocd_pos = len - tail_len as u64 + eocd as u64;
    let mut r = Le::new(&tail[eocd + 4..]);
    let disk = r.u16() as u64;
    let cd_disk = r.u16() as u64;
    let n_disk = r.u16() as u64;
    let count16 = r.u16() as u64;
    let size32 = r.u32() as u64;
    let offset32 = r.u32() as u64;
    let mut end = EndRecord {
        what: "the end record",
        disk,
        cd_disk,
        n_disk,
        count: count16,
        cd_size: size32,
        cd_offset: offset32,
        at: eocd_pos,
    };
    // A zip64 locator right before the end record points at the zip64 end
    // record, which must sit right before the locator (zipfile reads it
    // there, whatever the locator says).
    if eocd_pos >= EOCD64_LOC_LEN as u64 {
        let loc_pos = eocd_pos - EOCD64_LOC_LEN as u64;
        let mut loc = [0u8; EOCD64_LOC_LEN];
        a.read_at(&mut loc, loc_pos)?;
        let mut r = Le::new(&loc);
        if r.u32() == EOCD64_LOC_SIG {
            let loc_disk = r.u32();
            let rec = r.u64();
            let disks = r.u32();
            if loc_disk != 0 || disks > 1 {
                bail!(Unsupported, "multi-disk zip archives are not supported");
            }
            if rec
                .checked_add(EOCD64_LEN as u64)
                .is_none_or(|e| e > loc_pos)
            {
                bail!(
                    Zip,
                    "zip64 end of central directory record at {rec} is outside the archive"
                );
            }
            let mut z = [0u8; EOCD64_LEN];
            a.read_at(&mut z, rec)?;
            let mut r = Le::new(&z);
            if r.u32() != EOCD64_SIG {
                bail!(
                    Zip,
                    "zip64 locator points at {rec}, where there is no zip64 end record"
                );
            }
            let size = r.u64();
            if rec + 12 + size.min(u64::MAX - rec - 12) != loc_pos {
                bail!(
                    Zip,
                    "zip64 end record at {rec} of {} bytes does not end at the zip64 locator at {loc_pos}",
                    size.saturating_add(12)
                );
            }
            let _ver = r.u16();
            let _need = r.u16();
            let z64 = EndRecord {
                what: "the zip64 end record",
                disk: r.u32() as u64,
                cd_disk: r.u32() as u64,
                n_disk: r.u64(),
                count: r.u64(),
                cd_size: r.u64(),
                cd_offset: r.u64(),
                at: rec,
            };
            // Each field of the plain record is either the zip64 marker or
            // the same value: two records that disagree would show two
            // readers two different archives.
            for (name, plain, wide, marker) in [
                ("member count", count16, z64.count, 0xFFFF),
                ("member count on this disk", n_disk, z64.n_disk, 0xFFFF),
                ("central directory size", size32, z64.cd_size, 0xFFFF_FFFF),
                (
                    "central directory offset",
                    offset32,
                    z64.cd_offset,
                    0xFFFF_FFFF,
                ),
            ] {
                if plain != marker && plain != wide {
                    bail!(
                        Zip,
                        "the end record's {name} is {plain} but the zip64 end record's is {wide} (inconsistent: refused)"
                    );
                }
            }
            end = z64;
        }
    }
    if end.disk != 0 || end.cd_disk != 0 {
        bail!(Unsupported, "multi-disk zip archives are not supported");
    }
    let EndRecord {
        what,
        count,
        cd_size,
        cd_offset,
        at: end_of_cd,
        ..
    } = end;
    if end.n_disk != count {
        bail!(
            Zip,
            "{what} says {} members on this disk but {count} in all, in a single-disk archive (inconsistent: refused)",
            end.n_disk
        );
    }
    let cd_end = cd_offset.checked_add(cd_size);
    if cd_end.is_none_or(|e| e > end_of_cd) {
        bail!(
            Zip,
            "truncated central directory: it should span bytes {cd_offset}..{} but {what} is at {end_of_cd}",
            cd_offset.saturating_add(cd_size)
        );
    }
    if cd_end != Some(end_of_cd) {
        // zipfile takes the directory to end at the end record and reads
        // such a gap as bytes prepended to the archive; other readers read
        // the directory where the record says. Bytes there could hold
        // entries one reader lists and another does not.
        bail!(
            Zip,
            "the central directory (bytes {cd_offset}..{}) does not end where {what} is ({end_of_cd}): {} bytes between them (inconsistent: refused)",
            cd_offset + cd_size,
            end_of_cd - cd_offset - cd_size
        );
    }
    let limit = Limit::NpzMembers.get();
    if count > limit {
        return Err(Error::limit(
            Limit::NpzMembers,
            format!("{count} members exceed the limit of {limit}"),
        ));
    }
    if count.saturating_mul(CENTRAL_LEN as u64) > cd_size {
        bail!(
            Zip,
            "truncated central directory: {count} members cannot fit in {cd_size} bytes"
        );
    }
    let mut cd = crate::io::try_alloc(cd_size as usize)?;
    a.read_at(&mut cd, cd_offset)?;
    let mut entries: Vec<Entry> = Vec::new();
    entries
        .try_reserve_exact(count as usize)
        .map_err(|_| err!(Alloc, "cannot allocate the index of {count} members"))?;
    // Every entry in the directory's bytes is read, as zipfile does, and
    // their number must be the one the end record states: a record that
    // says fewer would hide members from readers that trust it.
    let mut pos = 0usize;
    while pos < cd.len() {
        let i = entries.len();
        if i as u64 >= limit {
            return Err(Error::limit(
                Limit::NpzMembers,
                format!("the central directory holds more than {limit} members"),
            ));
        }
        if pos + CENTRAL_LEN > cd.len() {
            bail!(Zip, "truncated central directory: entry {i} is cut off");
        }
        let mut r = Le::new(&cd[pos..]);
        if r.u32() != CENTRAL_SIG {
            if i as u64 == count {
                bail!(
                    Zip,
                    "{what} says {count} members, but {} more bytes follow them in the central directory (inconsistent: refused)",
                    cd.len() - pos
                );
            }
            bail!(Zip, "central directory entry {i} has a bad signature");
        }
        let _made_by = r.u16();
        let _need = r.u16();
        let flags = r.u16();
        let method = r.u16();
        let _time = r.u16();
        let _date = r.u16();
        let crc = r.u32();
        let mut csize = r.u32() as u64;
        let mut usize_ = r.u32() as u64;
        let name_len = r.u16() as usize;
        let extra_len = r.u16() as usize;
        let comment_len = r.u16() as usize;
        let _disk = r.u16();
        let _iattr = r.u16();
        let _eattr = r.u32();
        let mut offset = r.u32() as u64;
        let total = CENTRAL_LEN + name_len + extra_len + comment_len;
        if pos + total > cd.len() {
            bail!(Zip, "truncated central directory: entry {i} is cut off");
        }
        let raw_name = r.bytes(name_len).to_vec();
        let extra = r.bytes(extra_len);
        apply_zip64(extra, &mut usize_, &mut csize, Some(&mut offset))
            .map_err(|e| e.context(format!("central directory entry {i}")))?;
        let (name, cut) = member_name(&raw_name, flags)?;
        let key = name.strip_suffix(".npy").unwrap_or(&name).to_string();
        if entries.len() == entries.capacity() {
            entries
                .try_reserve(1)
                .map_err(|_| err!(Alloc, "cannot allocate the index of {} members", i + 1))?;
        }
        entries.push(Entry {
            name,
            key,
            raw_name,
            cut_at_nul: cut,
            flags,
            method,
            crc,
            compressed_size: csize,
            size: usize_,
            header_offset: offset,
            next_offset: cd_offset,
        });
        pos += total;
    }
    if entries.len() as u64 != count {
        bail!(
            Zip,
            "{what} says {count} member{} but the central directory holds {} (inconsistent: refused)",
            if count == 1 { "" } else { "s" },
            entries.len()
        );
    }
    // Members must not overlap each other or the central directory.
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| entries[i].header_offset);
    for w in 0..order.len() {
        let next = if w + 1 < order.len() {
            entries[order[w + 1]].header_offset
        } else {
            cd_offset
        };
        let e = &mut entries[order[w]];
        let min_end = e
            .header_offset
            .saturating_add((LOCAL_LEN + e.raw_name.len()) as u64)
            .saturating_add(e.compressed_size);
        if min_end > next {
            bail!(
                Zip,
                "member {} (bytes {}..{min_end}) overlaps the next member or the central directory at {next}",
                crate::literal::repr_str(&e.name),
                e.header_offset
            );
        }
        e.next_offset = next;
    }
    let mut names: Vec<(&str, bool)> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.cut_at_nul))
        .collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!(
            Zip,
            "duplicate member name {}{} (ambiguous: refused)",
            crate::literal::repr_str(w[0].0),
            if w[0].1 || w[1].1 {
                ", once the names are cut at their NUL byte as zipfile cuts them"
            } else {
                ""
            }
        );
    }
    Ok(entries)
}

/// Check the local header against the central directory; returns where the
/// member's data starts.
fn check_local_header(a: &Archive, e: &Entry) -> Result<u64> {
    if e.flags & FLAG_ENCRYPTED != 0 {
        bail!(Unsupported, "member is encrypted");
    }
    if e.method != STORED && e.method != DEFLATED {
        bail!(
            Unsupported,
            "compression method {} ({}) is not supported; only stored (0) and deflate (8) are",
            e.method,
            method_name(e.method)
        );
    }
    let limit = Limit::NpzMemberSize.get();
    if e.size > limit {
        return Err(Error::limit(
            Limit::NpzMemberSize,
            format!(
                "uncompressed size {} exceeds the limit of {limit} bytes",
                e.size
            ),
        ));
    }
    if e.method == STORED && e.size != e.compressed_size {
        bail!(
            Zip,
            "stored member with compressed size {} != uncompressed size {}",
            e.compressed_size,
            e.size
        );
    }
    if e.method == DEFLATED
        && e.size
            > e.compressed_size
                .saturating_mul(MAX_DEFLATE_RATIO)
                .saturating_add(1024)
    {
        bail!(
            Zip,
            "declares {} uncompressed bytes from {} compressed bytes, more than deflate can produce",
            e.size,
            e.compressed_size
        );
    }
    if e.header_offset + LOCAL_LEN as u64 > e.next_offset {
        bail!(Zip, "local header at {} is cut off", e.header_offset);
    }
    let mut h = [0u8; LOCAL_LEN];
    a.read_at(&mut h, e.header_offset)?;
    let mut r = Le::new(&h);
    if r.u32() != LOCAL_SIG {
        bail!(
            Zip,
            "bad local header signature at offset {}",
            e.header_offset
        );
    }
    let _need = r.u16();
    let flags = r.u16();
    let method = r.u16();
    let _time = r.u16();
    let _date = r.u16();
    let crc = r.u32();
    let mut csize = r.u32() as u64;
    let mut usize_ = r.u32() as u64;
    let name_len = r.u16() as usize;
    let extra_len = r.u16() as usize;
    let start = e.header_offset + (LOCAL_LEN + name_len + extra_len) as u64;
    if start > e.next_offset {
        bail!(
            Zip,
            "local header at {} runs into the next member",
            e.header_offset
        );
    }
    let mut ne = vec![0u8; name_len + extra_len];
    a.read_at(&mut ne, e.header_offset + LOCAL_LEN as u64)?;
    if ne[..name_len] != e.raw_name[..] {
        bail!(
            Zip,
            "local header name {} does not match the central directory name",
            crate::literal::repr_str(&String::from_utf8_lossy(&ne[..name_len]))
        );
    }
    if flags & FLAG_ENCRYPTED != 0 {
        bail!(Unsupported, "member is encrypted");
    }
    if method != e.method {
        bail!(
            Zip,
            "local header method {method} does not match the central directory's {}",
            e.method
        );
    }
    if flags & FLAG_DATA_DESCRIPTOR == 0 {
        apply_zip64(&ne[name_len..], &mut usize_, &mut csize, None)?;
        if crc != e.crc || csize != e.compressed_size || usize_ != e.size {
            bail!(
                Zip,
                "local header (crc {crc:08x}, sizes {csize}/{usize_}) does not match the central directory (crc {:08x}, sizes {}/{})",
                e.crc,
                e.compressed_size,
                e.size
            );
        }
    }
    if start.saturating_add(e.compressed_size) > e.next_offset {
        bail!(
            Zip,
            "data (bytes {start}..{}) overlaps the next member or the central directory at {}",
            start.saturating_add(e.compressed_size),
            e.next_offset
        );
    }
    Ok(start)
}

/// A member's bytes: positional for stored members, inflated from the start
/// for deflate members.
pub(crate) struct Member {
    pub(crate) archive: Arc<Archive>,
    pub(crate) entry: Entry,
    pub(crate) data_start: u64,
    verified: AtomicBool,
    /// Where the last read of a deflate member stopped, so sequential reads
    /// (rows in order, chunked conversions) continue instead of inflating
    /// from the start again.
    cursor: std::sync::Mutex<Option<InflateState>>,
}

impl Member {
    pub(crate) fn is_stored(&self) -> bool {
        self.entry.method == STORED
    }

    fn read_header(&self) -> Result<crate::header::Header> {
        let size = self.entry.size;
        if self.is_stored() {
            let mut pos = 0u64;
            return read_header_seq(size, &mut |buf: &mut [u8]| {
                self.archive.read_at(buf, self.data_start + pos)?;
                pos += buf.len() as u64;
                Ok(())
            })
            .map_err(|e| not_npy(e, &self.entry));
        }
        let mut inf = Inflater::new(self);
        read_header_seq(size, &mut |buf: &mut [u8]| inf.fill(buf))
            .map_err(|e| not_npy(e, &self.entry))
    }

    fn crc_error(&self, got: u32) -> Error {
        err!(
            Crc,
            "CRC-32 mismatch: computed {got:08x}, the archive says {:08x} (the member is damaged)",
            self.entry.crc
        )
    }

    /// Fill `dst` with member bytes `start .. start + dst.len()`. With
    /// `verify`, the CRC of the whole member is checked too (once, for
    /// stored members). `each` sees every filled chunk (of `chunk` bytes,
    /// the last one shorter) after its CRC was taken: conversions go there.
    pub(crate) fn read_span(
        &self,
        start: u64,
        dst: &mut [u8],
        verify: bool,
        chunk: usize,
        each: &mut dyn FnMut(&mut [u8]),
    ) -> Result<()> {
        let chunk = chunk.max(1);
        let end = start + dst.len() as u64;
        if end > self.entry.size {
            bail!(
                Truncated,
                "read past the member's {} bytes",
                self.entry.size
            );
        }
        if !self.is_stored() {
            let mut inf = Inflater::resume(self, start);
            inf.skip(start - inf.produced)?;
            for c in dst.chunks_mut(chunk) {
                inf.fill(c)?;
                each(c);
            }
            if verify {
                inf.finish()?;
            } else {
                inf.park();
            }
            return Ok(());
        }
        let verify = verify && !self.verified.load(Ordering::Relaxed);
        let mut crc = crc32fast::Hasher::new();
        if verify && start > 0 {
            self.crc_range(&mut crc, 0, start)?;
        }
        let mut off = start;
        for c in dst.chunks_mut(chunk) {
            self.archive.read_at(c, self.data_start + off)?;
            if verify {
                crc.update(c);
            }
            each(c);
            off += c.len() as u64;
        }
        if verify {
            self.crc_range(&mut crc, end, self.entry.size)?;
            let got = crc.finalize();
            if got != self.entry.crc {
                return Err(self.crc_error(got));
            }
            self.verified.store(true, Ordering::Relaxed);
        }
        Ok(())
    }

    /// Check the whole member's CRC (once for stored members).
    pub(crate) fn verify(&self) -> Result<()> {
        if self.is_stored() {
            if self.verified.load(Ordering::Relaxed) {
                return Ok(());
            }
            let mut crc = crc32fast::Hasher::new();
            self.crc_range(&mut crc, 0, self.entry.size)?;
            let got = crc.finalize();
            if got != self.entry.crc {
                return Err(self.crc_error(got));
            }
            self.verified.store(true, Ordering::Relaxed);
            return Ok(());
        }
        let mut inf = Inflater::new(self);
        inf.finish()
    }

    fn crc_range(&self, crc: &mut crc32fast::Hasher, from: u64, to: u64) -> Result<()> {
        if let Some(s) = self.archive.slice(self.data_start + from, to - from) {
            crc.update(s);
            return Ok(());
        }
        let mut buf = vec![0u8; ((to - from) as usize).min(1 << 20)];
        let mut off = from;
        while off < to {
            let n = ((to - off) as usize).min(buf.len());
            self.archive.read_at(&mut buf[..n], self.data_start + off)?;
            crc.update(&buf[..n]);
            off += n as u64;
        }
        Ok(())
    }

    /// A borrowed view of member bytes `start..start+len` for memory archives.
    pub(crate) fn slice(&self, start: u64, len: u64) -> Option<&[u8]> {
        if !self.is_stored() {
            return None;
        }
        self.archive.slice(self.data_start + start, len)
    }
}

fn not_npy(e: Error, entry: &Entry) -> Error {
    if e.status() == crate::error::Status::BadMagic {
        err!(BadMagic, "not a .npy file ({})", e.message())
            .with_detail(Detail::NotAnArray)
            .context(format!("size {}", entry.size))
    } else {
        e
    }
}

/// The resumable part of an [`Inflater`]: the stream state and how far it got.
struct InflateState {
    d: flate2::Decompress,
    consumed: u64,
    produced: u64,
    crc: crc32fast::Hasher,
    ended: bool,
}

/// Inflates a deflate member from its start, checking sizes and the CRC.
struct Inflater<'a> {
    m: &'a Member,
    d: flate2::Decompress,
    inbuf: Vec<u8>,
    in_pos: usize,
    in_len: usize,
    consumed: u64,
    produced: u64,
    crc: crc32fast::Hasher,
    ended: bool,
}

impl<'a> Inflater<'a> {
    fn new(m: &'a Member) -> Inflater<'a> {
        Inflater {
            m,
            d: flate2::Decompress::new(false),
            inbuf: Vec::new(),
            in_pos: 0,
            in_len: 0,
            consumed: 0,
            produced: 0,
            crc: crc32fast::Hasher::new(),
            ended: false,
        }
    }

    /// Continue where the member's last read stopped if that is at or
    /// before `start`; otherwise start from the beginning.
    fn resume(m: &'a Member, start: u64) -> Inflater<'a> {
        let saved = m
            .cursor
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
            .filter(|st| st.produced <= start);
        let mut inf = Inflater::new(m);
        if let Some(st) = saved {
            inf.d = st.d;
            inf.consumed = st.consumed;
            inf.produced = st.produced;
            inf.crc = st.crc;
            inf.ended = st.ended;
        }
        inf
    }

    /// Leave the stream state with the member for the next sequential read.
    fn park(self) {
        let st = InflateState {
            d: self.d,
            consumed: self.consumed,
            produced: self.produced,
            crc: self.crc,
            ended: self.ended,
        };
        *self.m.cursor.lock().unwrap_or_else(|p| p.into_inner()) = Some(st);
    }

    /// Make sure the input buffer holds unread compressed bytes (file
    /// archives only; memory archives are read in place).
    fn refill(&mut self) -> Result<()> {
        let csize = self.m.entry.compressed_size;
        if self.in_pos == self.in_len && self.consumed < csize {
            let n = ((csize - self.consumed) as usize).min(INFLATE_IN);
            if self.inbuf.len() < n {
                self.inbuf.resize(n, 0);
            }
            self.m
                .archive
                .read_at(&mut self.inbuf[..n], self.m.data_start + self.consumed)?;
            self.in_pos = 0;
            self.in_len = n;
        }
        Ok(())
    }

    /// One decompress call into `out`; returns (input used, output made, status).
    fn step(
        &mut self,
        out: &mut [u8],
        flush: flate2::FlushDecompress,
    ) -> Result<(usize, usize, flate2::Status)> {
        let m = self.m;
        let csize = m.entry.compressed_size;
        let (before_in, before_out) = (self.d.total_in(), self.d.total_out());
        let status = if let Some(s) = m.archive.slice(m.data_start, csize) {
            self.d.decompress(&s[self.consumed as usize..], out, flush)
        } else {
            self.refill()?;
            self.d
                .decompress(&self.inbuf[self.in_pos..self.in_len], out, flush)
        }
        .map_err(|e| err!(Zip, "corrupt deflate stream: {e}"))?;
        let used = (self.d.total_in() - before_in) as usize;
        let made = (self.d.total_out() - before_out) as usize;
        self.consumed += used as u64;
        self.in_pos += used;
        Ok((used, made, status))
    }

    /// Produce exactly `out.len()` bytes.
    fn fill(&mut self, out: &mut [u8]) -> Result<()> {
        let size = self.m.entry.size;
        if self.produced + out.len() as u64 > size {
            bail!(Truncated, "read past the member's {size} bytes");
        }
        let mut done = 0;
        while done < out.len() {
            if self.ended {
                bail!(
                    Zip,
                    "deflate stream ended after {} bytes but the member declares {size}",
                    self.produced
                );
            }
            let (used, made, status) =
                self.step(&mut out[done..], flate2::FlushDecompress::None)?;
            self.crc.update(&out[done..done + made]);
            done += made;
            self.produced += made as u64;
            if status == flate2::Status::StreamEnd {
                self.ended = true;
            } else if used == 0 && made == 0 {
                if self.consumed == self.m.entry.compressed_size {
                    bail!(
                        Zip,
                        "corrupt deflate stream: the compressed data ends before the stream does"
                    );
                }
                bail!(Zip, "corrupt deflate stream: no progress");
            }
        }
        Ok(())
    }

    fn skip(&mut self, mut n: u64) -> Result<()> {
        let mut scratch = vec![0u8; (n as usize).min(256 << 10)];
        while n > 0 {
            let k = (n as usize).min(scratch.len());
            self.fill(&mut scratch[..k])?;
            n -= k as u64;
        }
        Ok(())
    }

    /// Inflate the rest, then check the stream ends exactly at the declared
    /// sizes and the CRC matches.
    fn finish(&mut self) -> Result<()> {
        let rest = self.m.entry.size - self.produced;
        self.skip(rest)?;
        // The stream must end exactly here: one more byte of output is too many.
        while !self.ended {
            let mut one = [0u8; 1];
            let (used, made, status) = self.step(&mut one, flate2::FlushDecompress::None)?;
            if made > 0 {
                bail!(
                    Zip,
                    "inflates past its declared size of {} bytes",
                    self.m.entry.size
                );
            }
            if status == flate2::Status::StreamEnd {
                self.ended = true;
            } else if used == 0 {
                bail!(
                    Zip,
                    "corrupt deflate stream: it does not end at the declared size"
                );
            }
        }
        let got = self.crc.clone().finalize();
        if got != self.m.entry.crc {
            return Err(self.m.crc_error(got));
        }
        Ok(())
    }
}
