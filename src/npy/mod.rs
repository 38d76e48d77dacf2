//! .npy arrays: open (file, memory, map, any byte source), describe, read,
//! write.

mod append;
pub mod copy;
mod load;
mod open;
mod read;
mod read_as;
mod rw;
mod write;

pub use crate::io::{Bytes, MapMode};
#[doc(hidden)]
pub use append::append_rows_stepped;
pub use append::{append_rows, AppendStep};
pub use read::{READ_C_ORDER, READ_NATIVE, READ_NO_HUGEPAGE};
pub use write::{save, save_typed, NpyWriter, SaveOptions};

use crate::bail;
use crate::dtype::SwapPlan;
use crate::error::{Error, Result};
use crate::header::{self, Header};
use crate::io::{ByteSource, FileSource, Map};
use crate::limits::Limit;

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
    if let Some(h) = recent::get(b) {
        return check_data(h, len);
    }
    let (version, prefix) = check_magic(&b[..b.len().min(8)], len)?;
    let hl = check_header_len(version, &b[8..prefix], len)?;
    let h = header::parse_header_text(version, &b[prefix..prefix + hl])?;
    recent::put(&b[..prefix + hl], &h);
    check_data(h, len)
}

/// The last header [`read_header_slice`] parsed on this thread, by its
/// exact bytes (from the magic to the end of the header text): programs
/// that open many small files of one layout parse the header once. The
/// parse is a function of these bytes alone, except for the header-length
/// limit, which is checked again on every use.
mod recent {
    use crate::header::Header;
    use crate::limits::Limit;
    use std::cell::RefCell;

    /// Longer headers are not kept.
    const MAX_KEY: usize = 512;

    thread_local! {
        static LAST: RefCell<Option<(Vec<u8>, Header)>> = const { RefCell::new(None) };
    }

    /// The header parsed from the bytes `b` starts with, if they are the
    /// last ones [`put`] on this thread.
    pub(super) fn get(b: &[u8]) -> Option<Header> {
        LAST.try_with(|l| {
            let l = l.try_borrow().ok()?;
            let (key, h) = l.as_ref()?;
            let text_len = key.len() - Header::prefix_len(h.version);
            (b.starts_with(key) && text_len as u64 <= Limit::HeaderLen.get()).then(|| h.clone())
        })
        .ok()
        .flatten()
    }

    /// Keep `h`, parsed from `key`.
    pub(super) fn put(key: &[u8], h: &Header) {
        if key.len() > MAX_KEY {
            return;
        }
        let _ = LAST.try_with(|l| {
            if let Ok(mut l) = l.try_borrow_mut() {
                let mut k = l.take().map(|(k, _)| k).unwrap_or_default();
                k.clear();
                k.extend_from_slice(key);
                *l = Some((k, h.clone()));
            }
        });
    }

    #[cfg(test)]
    mod tests {
        use super::super::read_header_slice;
        use crate::header::header_bytes;
        use crate::{DType, Status};

        fn file(shape: &[u64], data: usize) -> Vec<u8> {
            let dt = DType::parse("<f8").unwrap();
            let mut b = header_bytes(&dt, shape, false).unwrap();
            b.resize(b.len() + data, 7);
            b
        }

        #[test]
        fn a_header_seen_before_gives_the_same_result_with_its_own_checks() {
            let a = file(&[10], 80);
            let first = read_header_slice(&a).unwrap();
            assert!(super::get(&a).is_some(), "kept after a parse");
            assert_eq!(read_header_slice(&a).unwrap(), first);
            // The same header over too little data: still truncated.
            let short = &a[..a.len() - 8];
            let e = read_header_slice(short).unwrap_err();
            assert_eq!(e.status(), Status::Truncated, "{e}");
            assert!(e.message().contains("only 72 follow"), "{e}");
            // A header that differs in one digit is parsed for itself.
            let b = file(&[11], 88);
            assert!(super::get(&b).is_none());
            assert_eq!(read_header_slice(&b).unwrap().shape, vec![11]);
            assert_eq!(read_header_slice(&a).unwrap().shape, vec![10]);
        }

        /// Every outcome of `read_header_slice` (header, or status and
        /// message) is the same whatever was parsed before it on the
        /// thread: each input of a set of valid files, their truncations
        /// and single-byte changes is parsed fresh, then again after every
        /// other input.
        #[test]
        fn outcomes_do_not_depend_on_what_was_parsed_before() {
            let outcome = |b: &[u8]| match read_header_slice(b) {
                Ok(h) => Ok(h),
                Err(e) => Err((e.status(), e.message().to_string())),
            };
            let fresh = |b: &[u8]| {
                super::LAST.with(|l| *l.borrow_mut() = None);
                outcome(b)
            };
            let mut inputs = Vec::new();
            for (descr, shape) in [
                ("<f8", &[10u64][..]),
                ("<f8", &[11]),
                (">i4", &[2, 3]),
                ("|u1", &[]),
                ("<U3", &[4]),
            ] {
                let dt = DType::parse(descr).unwrap();
                let mut b = header_bytes(&dt, shape, false).unwrap();
                let hl = b.len();
                b.resize(
                    hl + dt.itemsize() * shape.iter().product::<u64>() as usize,
                    5,
                );
                for cut in [b.len(), b.len() - 1, hl, hl - 1, 9] {
                    inputs.push(b[..cut].to_vec());
                }
                for at in [8, 9, 12, 20, hl - 2, hl - 1] {
                    let mut m = b.clone();
                    m[at] ^= 0x21;
                    inputs.push(m);
                }
            }
            let want: Vec<_> = inputs.iter().map(|b| fresh(b)).collect();
            for (i, before) in inputs.iter().enumerate() {
                for (j, b) in inputs.iter().enumerate() {
                    let _ = fresh(before);
                    assert_eq!(outcome(b), want[j], "input {j} after input {i}");
                }
            }
        }
    }
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

/// Read the header of the .npy at the start of `src`, checking that the data
/// it declares is there (three reads, in order: magic and version, header
/// length, header text).
pub(crate) fn read_header(src: &dyn ByteSource) -> Result<Header> {
    let mut pos = 0u64;
    read_header_seq(src.size(), &mut |buf: &mut [u8]| {
        src.read_at(pos, buf)?;
        pos += buf.len() as u64;
        Ok(())
    })
}

/// Where an array's bytes are.
enum Source {
    /// A map (of a .npy file's data, a raw file, a stored member): read as
    /// any source, and written in place when it is writable.
    Map(Map),
    /// A .npy file opened for reading (no box: the common case).
    File(FileSource),
    /// Anything else: memory, an archive member, a caller's reader.
    Read(Box<dyn ByteSource>),
    /// A .npy file open for positional writes of rows (and reads).
    Write(FileSource),
}

impl Source {
    fn bytes(&self) -> &dyn ByteSource {
        match self {
            Source::Map(m) => m,
            Source::File(f) => f,
            Source::Read(r) => r.as_ref(),
            Source::Write(f) => f,
        }
    }
}

/// One .npy array, wherever it lives: a file, a memory buffer, a map, an
/// .npz member or any other [`ByteSource`].
///
/// All read methods take `&self` and use positional reads, so one `NpyFile`
/// may be read from several threads at once.
pub struct NpyFile {
    header: Header,
    source: Source,
    /// Where the data starts in the source.
    start: u64,
    swap: SwapPlan,
    name: Name,
}

/// Bytes of a name held in the array itself.
const NAME_INLINE: usize = 71;

/// An array's name for messages. A short one (most paths) is held in the
/// array itself, so opening a small file allocates once less.
#[derive(Clone)]
enum Name {
    Short { len: u8, bytes: [u8; NAME_INLINE] },
    Long(String),
}

impl Name {
    fn new(s: &str) -> Name {
        if s.len() > NAME_INLINE {
            return Name::Long(s.to_owned());
        }
        let mut bytes = [0u8; NAME_INLINE];
        bytes[..s.len()].copy_from_slice(s.as_bytes());
        Name::Short {
            len: s.len() as u8,
            bytes,
        }
    }

    /// A path's name: its bytes when they are UTF-8 (checked word by word
    /// when ASCII, the common case), else its lossy conversion.
    fn from_path(path: &std::path::Path) -> Name {
        use std::os::unix::ffi::OsStrExt;
        let b = path.as_os_str().as_bytes();
        let s = if b.is_ascii() {
            // SAFETY: ASCII bytes are UTF-8.
            Some(unsafe { std::str::from_utf8_unchecked(b) })
        } else {
            std::str::from_utf8(b).ok()
        };
        match s {
            Some(s) => Name::new(s),
            None => Name::Long(path.to_string_lossy().into_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied from a str whole: always valid, checked again only
            // when a message asks.
            Name::Short { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            Name::Long(s) => s,
        }
    }
}

impl From<String> for Name {
    fn from(s: String) -> Name {
        Name::Long(s)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for NpyFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpyFile")
            .field("header", &self.header)
            .finish()
    }
}

impl NpyFile {
    fn new(header: Header, source: Source, start: u64, name: impl Into<Name>) -> Result<NpyFile> {
        let name = name.into();
        let swap = header
            .dtype
            .try_swap_units()
            .map_err(|e| e.context(&name))?;
        Ok(NpyFile {
            header,
            source,
            start,
            swap,
            name,
        })
    }

    /// The name used in messages: the path, or `<memory>`.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// True when the array's bytes are inflated from a compressed stream,
    /// as in a deflate-compressed .npz member (false for stored members,
    /// files, memory and maps): reads are cheapest in order and in large
    /// pieces, since going back inflates the member again from its start.
    pub fn is_compressed_member(&self) -> bool {
        self.source.bytes().is_compressed()
    }

    /// The parsed header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// Size of the data in bytes.
    pub fn nbytes(&self) -> u64 {
        self.header.nbytes()
    }

    /// The data, when it is in memory (memory buffers, maps, stored members
    /// of archives in memory).
    pub fn data(&self) -> Option<&[u8]> {
        self.source.bytes().slice(self.start, self.header.nbytes())
    }

    /// The data, writable, for read-write and copy-on-write maps.
    pub fn data_mut(&mut self) -> Option<&mut [u8]> {
        match &mut self.source {
            Source::Map(m) => m.bytes_mut(),
            Source::File(_) | Source::Read(_) | Source::Write(_) => None,
        }
    }

    /// Is this a writable map?
    pub fn is_writable(&self) -> bool {
        matches!(&self.source, Source::Map(m) if m.is_writable())
    }

    /// Flush a read-write map's changes to the file (msync), or make the
    /// rows written to a file open for writes durable (fdatasync). A no-op
    /// for other sources.
    pub fn flush(&self) -> Result<()> {
        match &self.source {
            Source::Map(m) => m.flush(),
            Source::Write(f) => f
                .handle()
                .sync_data()
                .map_err(|e| Error::io(format!("{}: fdatasync", self.name), e)),
            Source::File(_) | Source::Read(_) => Ok(()),
        }
    }
}
