//! The zip directory of an .npz: the end records (plain and zip64), the
//! central directory, and each member's local header, checked against each
//! other as `zipfile` reads them and stricter where readers could disagree.

use super::zip::*;
use crate::error::{Error, Result};
use crate::io::ByteSource;
use crate::limits::Limit;
use crate::{bail, err};

/// Deflate cannot expand data more than about 1032 times; a member that
/// declares more is lying.
const MAX_DEFLATE_RATIO: u64 = 1040;

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
    pub(crate) flags: u16,
    /// Compression method: 0 stored, 8 deflate, 12 bzip2, 14 LZMA, 93 zstd
    /// (others are refused when the member is opened).
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

/// The fields of an end of central directory record (plain or zip64).
#[derive(Clone, Copy)]
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

/// Read and check the directory of the archive in `a`: the end record, every
/// central directory entry, and how the members lie in the archive.
pub(crate) fn read_central_directory(a: &dyn ByteSource) -> Result<Vec<Entry>> {
    let end = read_end_record(a)?;
    check_end_record(&end)?;
    let mut entries = read_entries(a, &end)?;
    check_member_spans(&mut entries, end.cd_offset)?;
    check_unique_names(&entries)?;
    Ok(entries)
}

/// Where the end of central directory record starts, and its bytes. NumPy's archives have
/// no comment, so the record is the last 22 bytes, and one read of them is
/// all it takes; otherwise the record is searched for in the last
/// 22 + 65535 bytes, from the end, as `zipfile` does.
fn find_end_record(a: &dyn ByteSource, len: u64) -> Result<(u64, [u8; EOCD_LEN])> {
    let is_record = |b: &[u8], i: usize| {
        b[i..i + 4] == EOCD_SIG.to_le_bytes()
            && i + EOCD_LEN + u16::from_le_bytes([b[i + 20], b[i + 21]]) as usize <= b.len()
    };
    let mut last = [0u8; EOCD_LEN];
    a.read_at(len - EOCD_LEN as u64, &mut last)?;
    if is_record(&last, 0) {
        return Ok((len - EOCD_LEN as u64, last));
    }
    let tail_len = len.min((EOCD_LEN + 0xFFFF) as u64) as usize;
    let mut tail = crate::io::try_alloc(tail_len)?;
    a.read_at(len - tail_len as u64, &mut tail)?;
    let eocd = (0..=tail_len - EOCD_LEN)
        .rev()
        .find(|&i| is_record(&tail, i))
        .ok_or_else(|| {
            err!(
                Zip,
                "not a zip archive (no end of central directory record)"
            )
        })?;
    last.copy_from_slice(&tail[eocd..eocd + EOCD_LEN]);
    Ok((len - tail_len as u64 + eocd as u64, last))
}

/// The end record that describes the central directory: the plain one, or
/// the zip64 one when a zip64 locator precedes the plain one (their fields
/// must then agree).
fn read_end_record(a: &dyn ByteSource) -> Result<EndRecord> {
    let len = a.size();
    if len < EOCD_LEN as u64 {
        bail!(
            Zip,
            "not a zip archive: {len} bytes is too short for an end of central directory record"
        );
    }
    let (eocd_pos, rec) = find_end_record(a, len)?;
    let mut r = LittleEndianReader::new(&rec[4..]);
    let plain = EndRecord {
        what: "the end record",
        disk: r.u16() as u64,
        cd_disk: r.u16() as u64,
        n_disk: r.u16() as u64,
        count: r.u16() as u64,
        cd_size: r.u32() as u64,
        cd_offset: r.u32() as u64,
        at: eocd_pos,
    };
    match read_zip64_end_record(a, eocd_pos)? {
        Some(z64) => {
            // Each field of the plain record is either the zip64 marker or
            // the same value: two records that disagree would show two
            // readers two different archives.
            for (name, plain, wide, marker) in [
                ("member count", plain.count, z64.count, 0xFFFF),
                (
                    "member count on this disk",
                    plain.n_disk,
                    z64.n_disk,
                    0xFFFF,
                ),
                (
                    "central directory size",
                    plain.cd_size,
                    z64.cd_size,
                    0xFFFF_FFFF,
                ),
                (
                    "central directory offset",
                    plain.cd_offset,
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
            Ok(z64)
        }
        None => Ok(plain),
    }
}

/// The zip64 end record, when a zip64 locator sits right before the end
/// record at `eocd_pos`. It must sit right before the locator (zipfile
/// reads it there, whatever the locator says).
fn read_zip64_end_record(a: &dyn ByteSource, eocd_pos: u64) -> Result<Option<EndRecord>> {
    if eocd_pos < EOCD64_LOC_LEN as u64 {
        return Ok(None);
    }
    let loc_pos = eocd_pos - EOCD64_LOC_LEN as u64;
    let mut loc = [0u8; EOCD64_LOC_LEN];
    a.read_at(loc_pos, &mut loc)?;
    let mut r = LittleEndianReader::new(&loc);
    if r.u32() != EOCD64_LOC_SIG {
        return Ok(None);
    }
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
    a.read_at(rec, &mut z)?;
    let mut r = LittleEndianReader::new(&z);
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
    Ok(Some(EndRecord {
        what: "the zip64 end record",
        disk: r.u32() as u64,
        cd_disk: r.u32() as u64,
        n_disk: r.u64(),
        count: r.u64(),
        cd_size: r.u64(),
        cd_offset: r.u64(),
        at: rec,
    }))
}

/// The end record's own consistency: one disk, the central directory
/// right before the record, a member count within the limit that fits.
fn check_end_record(end: &EndRecord) -> Result<()> {
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
    } = *end;
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
    Ok(())
}

/// Every entry in the central directory's bytes, read as zipfile does;
/// their number must be the one the end record states: a record that says
/// fewer would hide members from readers that trust it.
fn read_entries(a: &dyn ByteSource, end: &EndRecord) -> Result<Vec<Entry>> {
    let EndRecord {
        what,
        count,
        cd_size,
        cd_offset,
        ..
    } = *end;
    let limit = Limit::NpzMembers.get();
    let mut cd = crate::io::try_alloc(cd_size as usize)?;
    a.read_at(cd_offset, &mut cd)?;
    let mut entries: Vec<Entry> = Vec::new();
    entries
        .try_reserve_exact(count as usize)
        .map_err(|_| err!(Alloc, "cannot allocate the index of {count} members"))?;
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
        let mut r = LittleEndianReader::new(&cd[pos..]);
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
        let mut f = HeaderFields::read(&mut r);
        let comment_len = r.u16() as usize;
        let _disk = r.u16();
        let _iattr = r.u16();
        let _eattr = r.u32();
        let mut offset = r.u32() as u64;
        let total = CENTRAL_LEN + f.name_len + f.extra_len + comment_len;
        if pos + total > cd.len() {
            bail!(Zip, "truncated central directory: entry {i} is cut off");
        }
        let raw_name = r.bytes(f.name_len).to_vec();
        let extra = r.bytes(f.extra_len);
        apply_zip64(extra, &mut f.usize_, &mut f.csize, Some(&mut offset))
            .map_err(|e| e.context(format!("central directory entry {i}")))?;
        let (name, cut) = member_name(&raw_name, f.flags)?;
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
            flags: f.flags,
            method: f.method,
            crc: f.crc,
            compressed_size: f.csize,
            size: f.usize_,
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
    Ok(entries)
}

/// Members must not overlap each other or the central directory at
/// `cd_offset`; each entry learns where the next one starts.
fn check_member_spans(entries: &mut [Entry], cd_offset: u64) -> Result<()> {
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
                crate::pytext::repr_str(&e.name),
                e.header_offset
            );
        }
        e.next_offset = next;
    }
    Ok(())
}

/// Two members of one name (once cut at a NUL, as zipfile cuts them) would
/// be read as different arrays by different readers.
fn check_unique_names(entries: &[Entry]) -> Result<()> {
    let mut names: Vec<(&str, bool)> = entries
        .iter()
        .map(|e| (e.name.as_str(), e.cut_at_nul))
        .collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        bail!(
            Zip,
            "duplicate member name {}{} (ambiguous: refused)",
            crate::pytext::repr_str(w[0].0),
            if w[0].1 || w[1].1 {
                ", once the names are cut at their NUL byte as zipfile cuts them"
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// Check the local header against the central directory; returns where the
/// member's data starts.
pub(crate) fn check_local_header(a: &dyn ByteSource, e: &Entry) -> Result<u64> {
    if e.flags & FLAG_ENCRYPTED != 0 {
        bail!(Unsupported, "member is encrypted");
    }
    if e.method == DEFLATE64 {
        bail!(
            Unsupported,
            "compression method 9 (deflate64) is not supported (nor by Python's zipfile, so NumPy cannot read it either)"
        );
    }
    if !matches!(e.method, STORED | DEFLATED | BZIP2 | LZMA | ZSTD) {
        bail!(
            Unsupported,
            "compression method {} ({}) is not supported; stored (0), deflate (8), bzip2 (12), LZMA (14) and zstd (93) are",
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
    a.read_at(e.header_offset, &mut h)?;
    let mut r = LittleEndianReader::new(&h);
    if r.u32() != LOCAL_SIG {
        bail!(
            Zip,
            "bad local header signature at offset {}",
            e.header_offset
        );
    }
    let HeaderFields {
        flags,
        method,
        crc,
        mut csize,
        mut usize_,
        name_len,
        extra_len,
    } = HeaderFields::read(&mut r);
    let start = e.header_offset + (LOCAL_LEN + name_len + extra_len) as u64;
    if start > e.next_offset {
        bail!(
            Zip,
            "local header at {} runs into the next member",
            e.header_offset
        );
    }
    let mut ne = vec![0u8; name_len + extra_len];
    a.read_at(e.header_offset + LOCAL_LEN as u64, &mut ne)?;
    if ne[..name_len] != e.raw_name[..] {
        bail!(
            Zip,
            "local header name {} does not match the central directory name",
            crate::pytext::repr_str(&String::from_utf8_lossy(&ne[..name_len]))
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
