//! The zip structures an .npz uses, as Python's `zipfile` writes and reads
//! them: local headers, the central directory, the end records (plain and
//! zip64), and the zip64 extra field.

use crate::error::Result;
use crate::{bail, err};

pub(crate) const LOCAL_SIG: u32 = 0x0403_4b50;
pub(crate) const CENTRAL_SIG: u32 = 0x0201_4b50;
pub(crate) const EOCD_SIG: u32 = 0x0605_4b50;
pub(crate) const EOCD64_SIG: u32 = 0x0606_4b50;
pub(crate) const EOCD64_LOC_SIG: u32 = 0x0706_4b50;
pub(crate) const DATA_DESCRIPTOR_SIG: u32 = 0x0807_4b50;

pub(crate) const LOCAL_LEN: usize = 30;
pub(crate) const CENTRAL_LEN: usize = 46;
pub(crate) const EOCD_LEN: usize = 22;
pub(crate) const EOCD64_LEN: usize = 56;
pub(crate) const EOCD64_LOC_LEN: usize = 20;

/// Python's `ZIP64_LIMIT`: sizes and offsets above it need zip64 fields.
pub(crate) const ZIP64_LIMIT: u64 = (1 << 31) - 1;
/// Python's `ZIP_FILECOUNT_LIMIT`.
pub(crate) const FILECOUNT_LIMIT: u64 = 0xFFFF;
/// Version 4.5: zip64.
pub(crate) const ZIP64_VERSION: u16 = 45;
/// Version 6.3: zstd (zipfile's `ZSTANDARD_VERSION`).
pub(crate) const ZSTD_VERSION: u16 = 63;
/// `ZipInfo` date 1980-01-01, time 00:00.
pub(crate) const DOS_DATE_1980: u16 = (1 << 5) | 1;
/// Unix, as `create_system` 3.
pub(crate) const CREATE_SYSTEM_UNIX: u8 = 3;
/// `0o600 << 16`: what zipfile gives members written with `open(name, 'w')`.
pub(crate) const EXTERNAL_ATTR_0600: u32 = 0o600 << 16;
/// General-purpose flag bits.
pub(crate) const FLAG_ENCRYPTED: u16 = 1;
pub(crate) const FLAG_DATA_DESCRIPTOR: u16 = 1 << 3;
pub(crate) const FLAG_UTF8: u16 = 1 << 11;
/// Compression methods.
pub(crate) const STORED: u16 = 0;
pub(crate) const DEFLATED: u16 = 8;
pub(crate) const DEFLATE64: u16 = 9;
pub(crate) const BZIP2: u16 = 12;
pub(crate) const LZMA: u16 = 14;
pub(crate) const ZSTD: u16 = 93;
/// The extra-field id used to pad local headers so member data is aligned
/// (the id Android's zipalign uses; readers skip unknown ids).
pub(crate) const ALIGN_EXTRA_ID: u16 = 0xD935;

/// Reads the little-endian fields of a zip record in order from a byte
/// slice (which the caller checked to be long enough).
pub(crate) struct LittleEndianReader<'a> {
    b: &'a [u8],
    pub pos: usize,
}

impl<'a> LittleEndianReader<'a> {
    pub fn new(b: &'a [u8]) -> LittleEndianReader<'a> {
        LittleEndianReader { b, pos: 0 }
    }
    pub fn u16(&mut self) -> u16 {
        let v = u16::from_le_bytes([self.b[self.pos], self.b[self.pos + 1]]);
        self.pos += 2;
        v
    }
    pub fn u32(&mut self) -> u32 {
        let mut a = [0u8; 4];
        a.copy_from_slice(&self.b[self.pos..self.pos + 4]);
        self.pos += 4;
        u32::from_le_bytes(a)
    }
    pub fn u64(&mut self) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&self.b[self.pos..self.pos + 8]);
        self.pos += 8;
        u64::from_le_bytes(a)
    }
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let s = &self.b[self.pos..self.pos + n];
        self.pos += n;
        s
    }
}

/// The fields a local header and a central directory entry share, from the
/// version needed to extract to the length of the extra field.
pub(crate) struct HeaderFields {
    pub flags: u16,
    pub method: u16,
    pub crc: u32,
    /// Compressed size (0xFFFFFFFF: in the zip64 extra field).
    pub csize: u64,
    /// Uncompressed size (0xFFFFFFFF: in the zip64 extra field).
    pub usize_: u64,
    pub name_len: usize,
    pub extra_len: usize,
}

impl HeaderFields {
    /// Read the fields, `r` being at the version needed to extract.
    pub fn read(r: &mut LittleEndianReader) -> HeaderFields {
        let _need = r.u16();
        let flags = r.u16();
        let method = r.u16();
        let _time = r.u16();
        let _date = r.u16();
        HeaderFields {
            flags,
            method,
            crc: r.u32(),
            csize: r.u32() as u64,
            usize_: r.u32() as u64,
            name_len: r.u16() as usize,
            extra_len: r.u16() as usize,
        }
    }
}

/// Name of a compression method, for messages.
pub(crate) fn method_name(m: u16) -> &'static str {
    match m {
        0 => "stored",
        8 => "deflate",
        9 => "deflate64",
        12 => "bzip2",
        14 => "lzma",
        93 => "zstd",
        _ => "unknown",
    }
}

/// The upper half of code page 437, for names without the UTF-8 flag.
const CP437_HIGH: &str = "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{a0}";

/// Decode a member name as `zipfile` does: UTF-8 with flag 0x800, else cp437.
pub(crate) fn decode_name(raw: &[u8], flags: u16) -> Result<String> {
    if flags & FLAG_UTF8 != 0 {
        return std::str::from_utf8(raw)
            .map(str::to_string)
            .map_err(|_| err!(Encoding, "member name flagged UTF-8 is not valid UTF-8"));
    }
    let high: Vec<char> = CP437_HIGH.chars().collect();
    Ok(raw
        .iter()
        .map(|&b| {
            if b < 0x80 {
                b as char
            } else {
                high[(b - 0x80) as usize]
            }
        })
        .collect())
}

/// Encode a name as `zipfile` does: ASCII as is, otherwise UTF-8 with flag 0x800.
pub(crate) fn encode_name(name: &str) -> (Vec<u8>, u16) {
    let flags = if name.is_ascii() { 0 } else { FLAG_UTF8 };
    (name.as_bytes().to_vec(), flags)
}

/// Take the zip64 values that the 32-bit fields mark with 0xFFFFFFFF (in the
/// order uncompressed size, compressed size, header offset) from the extra
/// field block `extra`.
pub(crate) fn apply_zip64(
    extra: &[u8],
    usize_: &mut u64,
    csize: &mut u64,
    offset: Option<&mut u64>,
) -> Result<()> {
    let need_u = *usize_ == 0xFFFF_FFFF;
    let need_c = *csize == 0xFFFF_FFFF;
    let need_o = offset.as_ref().is_some_and(|o| **o == 0xFFFF_FFFF);
    if !(need_u || need_c || need_o) {
        return Ok(());
    }
    let mut i = 0;
    while i + 4 <= extra.len() {
        let id = u16::from_le_bytes([extra[i], extra[i + 1]]);
        let len = u16::from_le_bytes([extra[i + 2], extra[i + 3]]) as usize;
        let body = extra
            .get(i + 4..i + 4 + len)
            .ok_or_else(|| err!(Zip, "extra field runs past its block"))?;
        if id == 1 {
            let mut r = LittleEndianReader::new(body);
            let mut take = |want: bool, v: &mut u64, what: &str| -> Result<()> {
                if want {
                    if r.pos + 8 > body.len() {
                        bail!(Zip, "zip64 extra field lacks the {what}");
                    }
                    *v = r.u64();
                }
                Ok(())
            };
            take(need_u, usize_, "uncompressed size")?;
            take(need_c, csize, "compressed size")?;
            if let Some(o) = offset {
                take(need_o, o, "header offset")?;
            }
            return Ok(());
        }
        i += 4 + len;
    }
    bail!(
        Zip,
        "sizes are marked 0xFFFFFFFF but there is no zip64 extra field"
    )
}
