//! Text encodings other than UTF-8, as Python's codecs name and treat them:
//! reading transcodes to UTF-8 as the text streams in (the parsers only
//! ever see UTF-8), writing transcodes the UTF-8 that savetxt formats.
//!
//! UTF-8 itself (and `bytes`, which NumPy reads in the locale's encoding,
//! UTF-8) never goes through here: it keeps the mapped, zero-copy path.
//! ASCII and Latin-1 text that holds only ASCII bytes takes that path too,
//! after one check.

use crate::error::{Error, Result};
use crate::{bail, err};
use std::io::{self, Read, Write};

/// A text encoding, named as Python's codecs name it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// `utf-8` (the default: NumPy opens paths in the locale's encoding).
    #[default]
    Utf8,
    /// `bytes`: loadtxt's and genfromtxt's legacy mode. The file is read as
    /// UTF-8 (the locale's encoding); only converters and inferred string
    /// columns see bytes. savetxt has no such encoding.
    Bytes,
    /// `utf-8-sig`: UTF-8 whose leading byte-order mark is dropped on
    /// reading and written on writing.
    Utf8Sig,
    /// `ascii`: bytes above 0x7f are an error.
    Ascii,
    /// `latin-1` (`iso8859-1`): every byte is the code point of its value.
    Latin1,
    /// `utf-16`: a leading byte-order mark says the byte order and is
    /// dropped; text without one is an error, as in Python's text files.
    /// Writing puts one first.
    Utf16,
    /// `utf-16-le`.
    Utf16Le,
    /// `utf-16-be`.
    Utf16Be,
    /// `utf-32`: as `utf-16`, with 4-byte units.
    Utf32,
    /// `utf-32-le`.
    Utf32Le,
    /// `utf-32-be`.
    Utf32Be,
}

/// Python's codec names and aliases of the encodings supported, after
/// Python's normalisation (lower case, runs of other characters than
/// letters, digits and `.` as one `_`).
const NAMES: &[(&str, Encoding)] = {
    use Encoding::*;
    &[
        ("utf_8", Utf8),
        ("utf8", Utf8),
        ("u8", Utf8),
        ("utf", Utf8),
        ("utf8_ucs2", Utf8),
        ("utf8_ucs4", Utf8),
        ("cp65001", Utf8),
        ("bytes", Bytes),
        ("utf_8_sig", Utf8Sig),
        ("ascii", Ascii),
        ("646", Ascii),
        ("ansi_x3.4_1968", Ascii),
        ("ansi_x3.4_1986", Ascii),
        ("ansi_x3_4_1968", Ascii),
        ("cp367", Ascii),
        ("csascii", Ascii),
        ("ibm367", Ascii),
        ("iso646_us", Ascii),
        ("iso_646.irv_1991", Ascii),
        ("iso_ir_6", Ascii),
        ("us", Ascii),
        ("us_ascii", Ascii),
        ("latin_1", Latin1),
        ("latin1", Latin1),
        ("latin", Latin1),
        ("l1", Latin1),
        ("8859", Latin1),
        ("cp819", Latin1),
        ("csisolatin1", Latin1),
        ("ibm819", Latin1),
        ("iso8859", Latin1),
        ("iso8859_1", Latin1),
        ("iso_8859_1", Latin1),
        ("iso_8859_1_1987", Latin1),
        ("iso_ir_100", Latin1),
        ("utf_16", Utf16),
        ("utf16", Utf16),
        ("u16", Utf16),
        ("utf_16_le", Utf16Le),
        ("utf_16le", Utf16Le),
        ("unicodelittleunmarked", Utf16Le),
        ("utf_16_be", Utf16Be),
        ("utf_16be", Utf16Be),
        ("unicodebigunmarked", Utf16Be),
        ("utf_32", Utf32),
        ("utf32", Utf32),
        ("u32", Utf32),
        ("utf_32_le", Utf32Le),
        ("utf_32le", Utf32Le),
        ("utf_32_be", Utf32Be),
        ("utf_32be", Utf32Be),
    ]
};

impl Encoding {
    /// The encoding Python's codecs call `name` (case-insensitive, with
    /// Python's aliases: `"UTF-16LE"`, `"latin1"`, `"iso-8859-1"`, ...);
    /// `bytes` is loadtxt's and genfromtxt's legacy mode. Any other name is
    /// an `InvalidArg` error naming it.
    pub fn from_name(name: &str) -> Result<Encoding> {
        let mut norm = String::with_capacity(name.len());
        let mut gap = false;
        for c in name.trim().chars() {
            if c.is_ascii_alphanumeric() || c == '.' {
                if gap && !norm.is_empty() {
                    norm.push('_');
                }
                gap = false;
                norm.push(c.to_ascii_lowercase());
            } else {
                gap = true;
            }
        }
        match NAMES.iter().find(|(n, _)| *n == norm) {
            Some(&(_, e)) => Ok(e),
            None => bail!(
                InvalidArg,
                "unknown or unsupported encoding {name:?} (supported: utf-8, utf-8-sig, ascii, \
                 latin-1, utf-16, utf-16-le, utf-16-be, utf-32, utf-32-le, utf-32-be and their \
                 Python aliases; bytes for reading)"
            ),
        }
    }

    /// Python's name of the codec, as its messages say it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 | Encoding::Bytes => "utf-8",
            Encoding::Utf8Sig => "utf-8-sig",
            Encoding::Ascii => "ascii",
            Encoding::Latin1 => "latin-1",
            Encoding::Utf16 => "utf-16",
            Encoding::Utf16Le => "utf-16-le",
            Encoding::Utf16Be => "utf-16-be",
            Encoding::Utf32 => "utf-32",
            Encoding::Utf32Le => "utf-32-le",
            Encoding::Utf32Be => "utf-32-be",
        }
    }

    /// Text in this encoding is read as it is, as UTF-8.
    pub(crate) fn is_utf8(self) -> bool {
        matches!(self, Encoding::Utf8 | Encoding::Bytes)
    }

    /// The text `b`, in this encoding, can be parsed where it lies: UTF-8,
    /// or ASCII-compatible and all ASCII. A `utf-8-sig` byte-order mark is
    /// skipped. `None`: it must be transcoded (or, for ASCII, is invalid).
    pub(crate) fn in_place(self, b: &[u8]) -> Option<&[u8]> {
        match self {
            Encoding::Utf8 | Encoding::Bytes => Some(b),
            Encoding::Utf8Sig => Some(b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b)),
            Encoding::Ascii | Encoding::Latin1 if b.is_ascii() => Some(b),
            _ => None,
        }
    }

    /// A reader of the UTF-8 text of `inner`, which is in this encoding.
    pub(crate) fn decoder<'a>(self, inner: impl Read + 'a) -> Decoder<'a> {
        Decoder {
            inner: Box::new(inner),
            enc: self,
            start: true,
            big: matches!(self, Encoding::Utf16Be | Encoding::Utf32Be),
            raw: Vec::new(),
            out: Vec::new(),
            pos: 0,
            consumed: 0,
            line: 1,
            eof: false,
        }
    }
}

/// The bytes to read from the inner reader at a time.
const CHUNK: usize = 64 << 10;

/// A reader of UTF-8 text transcoded from text in another encoding; a
/// byte sequence invalid in that encoding is an `Encoding` error (carried
/// in the `io::Error`) naming the line, the byte offset and the encoding.
///
/// One type for every source (behind a box): the decoder is compiled once.
pub(crate) struct Decoder<'a> {
    inner: Box<dyn Read + 'a>,
    enc: Encoding,
    /// Nothing decoded yet (a byte-order mark may come).
    start: bool,
    /// UTF-16/32 units are big endian.
    big: bool,
    /// Undecoded input: the tail of a unit or of a surrogate pair.
    raw: Vec<u8>,
    /// Decoded text not yet returned.
    out: Vec<u8>,
    pos: usize,
    /// Input bytes decoded so far (for messages).
    consumed: u64,
    /// The line being decoded (for messages).
    line: u64,
    eof: bool,
}

impl Decoder<'_> {
    fn fail(&self, at: usize, len: usize, why: &str) -> Error {
        let off = self.consumed + at as u64;
        let what = if len == 1 {
            format!("byte 0x{:02x} at offset {off}", self.raw[at])
        } else {
            let hex: String = self.raw[at..at + len]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("bytes 0x{hex} at offset {off}")
        };
        err!(
            Encoding,
            "line {}: '{}' codec can't decode {what}: {why}",
            self.line,
            self.enc.name()
        )
    }

    /// Decode `raw` into `out`, keeping an incomplete tail unless `last`.
    fn decode(&mut self, last: bool) -> Result<()> {
        let unit = match self.enc {
            Encoding::Utf16 | Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf32 | Encoding::Utf32Le | Encoding::Utf32Be => 4,
            _ => 1,
        };
        let mut i = 0usize;
        if self.start {
            let bom = match self.enc {
                Encoding::Utf16 => match self.raw.get(..2) {
                    Some(b"\xff\xfe") => Some(false),
                    Some(b"\xfe\xff") => Some(true),
                    _ => None,
                },
                Encoding::Utf32 => match self.raw.get(..4) {
                    Some(b"\xff\xfe\0\0") => Some(false),
                    Some(b"\0\0\xfe\xff") => Some(true),
                    _ => None,
                },
                _ => None,
            };
            let sig = self.enc == Encoding::Utf8Sig && self.raw.starts_with(b"\xef\xbb\xbf");
            let wait = self.raw.len() < unit.max(if self.enc == Encoding::Utf8Sig { 3 } else { 0 });
            if wait && !last {
                return Ok(());
            }
            if let Some(big) = bom {
                self.big = big;
                i = unit;
            } else if sig {
                i = 3;
            } else if matches!(self.enc, Encoding::Utf16 | Encoding::Utf32)
                && self.raw.len() >= unit
            {
                // Python's incremental decoders, which read text files,
                // require the mark (only bytes.decode assumes an order).
                bail!(
                    Encoding,
                    "line 1: {} stream does not start with BOM",
                    if unit == 2 { "UTF-16" } else { "UTF-32" }
                );
            }
            self.start = false;
        }
        self.out.clear();
        self.pos = 0;
        self.out
            .try_reserve(self.raw.len().saturating_mul(2))
            .map_err(|_| err!(Alloc, "cannot allocate memory to decode the text"))?;
        let raw = std::mem::take(&mut self.raw);
        let n = raw.len();
        let mut buf = [0u8; 4];
        let res = (|| {
            while i < n {
                let b = &raw[i..];
                let (c, used) = match self.enc {
                    Encoding::Latin1 => (raw[i] as u32, 1),
                    Encoding::Ascii => {
                        if raw[i] >= 0x80 {
                            return Err((i, 1, "ordinal not in range(128)"));
                        }
                        (raw[i] as u32, 1)
                    }
                    Encoding::Utf8Sig | Encoding::Utf8 | Encoding::Bytes => {
                        // Whole valid runs at once.
                        let valid = match std::str::from_utf8(b) {
                            Ok(s) => s.len(),
                            Err(e) => e.valid_up_to(),
                        };
                        if valid > 0 {
                            self.note_lines(&b[..valid]);
                            self.out.extend_from_slice(&b[..valid]);
                            i += valid;
                            continue;
                        }
                        match std::str::from_utf8(b) {
                            Err(e) if e.error_len().is_none() && !last => break,
                            _ => return Err((i, 1, "invalid start byte or continuation byte")),
                        }
                    }
                    Encoding::Utf16 | Encoding::Utf16Le | Encoding::Utf16Be => {
                        if b.len() < 2 {
                            if last {
                                return Err((i, b.len(), "truncated data"));
                            }
                            break;
                        }
                        let u = self.u16_at(b, 0);
                        match u {
                            0xd800..=0xdbff => {
                                if b.len() < 4 {
                                    if last {
                                        return Err((i, b.len(), "unexpected end of data"));
                                    }
                                    break;
                                }
                                let lo = self.u16_at(b, 2);
                                if !(0xdc00..=0xdfff).contains(&lo) {
                                    return Err((i, 2, "illegal UTF-16 surrogate"));
                                }
                                (
                                    0x10000 + ((u as u32 - 0xd800) << 10) + (lo as u32 - 0xdc00),
                                    4,
                                )
                            }
                            0xdc00..=0xdfff => return Err((i, 2, "illegal encoding")),
                            _ => (u as u32, 2),
                        }
                    }
                    _ => {
                        if b.len() < 4 {
                            if last {
                                return Err((i, b.len(), "truncated data"));
                            }
                            break;
                        }
                        let a = [b[0], b[1], b[2], b[3]];
                        let c = if self.big {
                            u32::from_be_bytes(a)
                        } else {
                            u32::from_le_bytes(a)
                        };
                        if (0xd800..0xe000).contains(&c) {
                            return Err((
                                i,
                                4,
                                "code point in surrogate code point range(0xd800, 0xe000)",
                            ));
                        }
                        if c > 0x10ffff {
                            return Err((i, 4, "code point not in range(0x110000)"));
                        }
                        (c, 4)
                    }
                };
                let ch = char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER);
                if ch == '\n' {
                    self.line += 1;
                }
                self.out
                    .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                i += used;
            }
            Ok(())
        })();
        self.raw = raw;
        if let Err((at, len, why)) = res {
            return Err(self.fail(at, len, why));
        }
        self.raw.drain(..i);
        self.consumed += i as u64;
        Ok(())
    }

    fn u16_at(&self, b: &[u8], k: usize) -> u16 {
        let a = [b[k], b[k + 1]];
        if self.big {
            u16::from_be_bytes(a)
        } else {
            u16::from_le_bytes(a)
        }
    }

    fn note_lines(&mut self, s: &[u8]) {
        self.line += memchr::memchr_iter(b'\n', s).count() as u64;
    }

    /// Read and decode until there is output or the input ends.
    fn fill(&mut self) -> Result<()> {
        while self.pos == self.out.len() && !self.eof {
            let have = self.raw.len();
            self.raw
                .try_reserve(CHUNK)
                .map_err(|_| err!(Alloc, "cannot allocate memory to decode the text"))?;
            self.raw.resize(have + CHUNK, 0);
            let got = loop {
                match self.inner.read(&mut self.raw[have..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        self.raw.truncate(have);
                        return Err(Error::io("read", e));
                    }
                }
            };
            self.raw.truncate(have + got);
            self.eof = got == 0;
            self.decode(self.eof)?;
        }
        Ok(())
    }
}

impl Read for Decoder<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill().map_err(carry)?;
        let n = (self.out.len() - self.pos).min(buf.len());
        buf[..n].copy_from_slice(&self.out[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// An `io::Error` that carries a library error (its status and message
/// come back out of [`Error::io`]).
pub(crate) fn carry(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

/// The line (1-based) and byte of the first non-ASCII byte of `b`, if any.
pub(crate) fn check_ascii(b: &[u8]) -> Result<()> {
    if let Some(at) = b.iter().position(|&c| c >= 0x80) {
        let line = 1 + memchr::memchr_iter(b'\n', &b[..at]).count();
        bail!(
            Encoding,
            "line {line}: 'ascii' codec can't decode byte 0x{:02x} at offset {at}: ordinal not in range(128)",
            b[at]
        );
    }
    Ok(())
}

/// A writer that takes UTF-8 text and writes it in an encoding: a
/// character the encoding cannot represent is an `Encoding` error (carried
/// in the `io::Error`) naming the line and the character.
pub(crate) struct Encoder<W: Write> {
    inner: W,
    enc: Encoding,
    /// The byte-order mark is still to be written (before the first text).
    bom: bool,
    /// The start of a UTF-8 sequence split between writes.
    pending: Vec<u8>,
    out: Vec<u8>,
    line: u64,
}

impl<W: Write> Encoder<W> {
    /// Write text in `enc` to `inner`; `bytes` is refused as Python's
    /// codecs refuse it.
    pub(crate) fn new(inner: W, enc: Encoding) -> Result<Encoder<W>> {
        if enc == Encoding::Bytes {
            bail!(InvalidArg, "unknown encoding: bytes (savetxt writes text)");
        }
        Ok(Encoder {
            inner,
            enc,
            bom: matches!(enc, Encoding::Utf8Sig | Encoding::Utf16 | Encoding::Utf32),
            pending: Vec::new(),
            out: Vec::new(),
            line: 1,
        })
    }

    fn encode(&mut self, s: &str) -> Result<()> {
        self.out.clear();
        if self.bom && !s.is_empty() {
            self.bom = false;
            self.out.extend_from_slice(match self.enc {
                Encoding::Utf8Sig => b"\xef\xbb\xbf",
                Encoding::Utf16 => b"\xff\xfe",
                _ => b"\xff\xfe\0\0",
            });
        }
        let mut u16s = [0u16; 2];
        for ch in s.chars() {
            let c = ch as u32;
            match self.enc {
                Encoding::Ascii | Encoding::Latin1 => {
                    let max = if self.enc == Encoding::Ascii {
                        0x7f
                    } else {
                        0xff
                    };
                    if c > max {
                        bail!(
                            Encoding,
                            "line {}: '{}' codec can't encode character {:?} (U+{c:04X}): ordinal not in range({})",
                            self.line,
                            self.enc.name(),
                            ch,
                            max + 1
                        );
                    }
                    self.out.push(c as u8);
                }
                Encoding::Utf16 | Encoding::Utf16Le | Encoding::Utf16Be => {
                    for u in ch.encode_utf16(&mut u16s).iter() {
                        if self.enc == Encoding::Utf16Be {
                            self.out.extend_from_slice(&u.to_be_bytes());
                        } else {
                            self.out.extend_from_slice(&u.to_le_bytes());
                        }
                    }
                }
                Encoding::Utf32 | Encoding::Utf32Le | Encoding::Utf32Be => {
                    if self.enc == Encoding::Utf32Be {
                        self.out.extend_from_slice(&c.to_be_bytes());
                    } else {
                        self.out.extend_from_slice(&c.to_le_bytes());
                    }
                }
                _ => {
                    let mut b = [0u8; 4];
                    self.out
                        .extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                }
            }
            if ch == '\n' {
                self.line += 1;
            }
        }
        Ok(())
    }
}

impl<W: Write> Write for Encoder<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let joined;
        let b: &[u8] = if self.pending.is_empty() {
            buf
        } else {
            let mut v = std::mem::take(&mut self.pending);
            v.extend_from_slice(buf);
            joined = v;
            &joined
        };
        let (text, rest) = match std::str::from_utf8(b) {
            Ok(s) => (s, &b[b.len()..]),
            Err(e) if e.error_len().is_none() => {
                let at = e.valid_up_to();
                // SAFETY-free: the prefix is valid UTF-8 by `valid_up_to`.
                (std::str::from_utf8(&b[..at]).unwrap_or(""), &b[at..])
            }
            Err(_) => return Err(carry(err!(Encoding, "text to write is not valid UTF-8"))),
        };
        self.encode(text).map_err(carry)?;
        let tail = rest.to_vec();
        self.inner.write_all(&self.out)?;
        self.pending = tail;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
