//! The header `np.save` writes: an array to write, checked once, and the
//! exact bytes of its header.

use super::{
    checked_nbytes, effective_fortran, Header, ARRAY_ALIGN, GROWTH_AXIS_MAX_DIGITS, MAGIC, MAX_NDIM,
};
use crate::bail;
use crate::dtype::{DType, Layout};
use crate::error::Result;

/// An array about to be written, described and checked once: its dtype,
/// shape and order, with at most [`MAX_NDIM`] dimensions, a dtype that is
/// not a subarray (its shape belongs in the array's), and a size in bytes
/// that fits a signed 64-bit integer. The writers build one and trust it
/// from then on.
#[derive(Clone, Copy, Debug)]
pub struct ArraySpec<'a> {
    dtype: &'a DType,
    shape: &'a [u64],
    fortran_order: bool,
    nbytes: u64,
}

impl<'a> ArraySpec<'a> {
    /// Check an array's dtype, shape and order. `fortran_order` is recorded
    /// as NumPy records it: false whenever the array is also C-contiguous.
    pub fn new(dtype: &'a DType, shape: &'a [u64], fortran_order: bool) -> Result<ArraySpec<'a>> {
        let nbytes = checked_nbytes(shape, dtype.itemsize())?;
        if shape.len() > MAX_NDIM {
            bail!(
                InvalidArg,
                "{} dimensions exceed NumPy's maximum of {MAX_NDIM}",
                shape.len()
            );
        }
        if let Layout::SubArray(..) = dtype.layout() {
            bail!(
                InvalidArg,
                "a subarray dtype cannot be the array's dtype; add its shape to the array's shape"
            );
        }
        Ok(ArraySpec {
            dtype,
            shape,
            fortran_order: effective_fortran(shape, fortran_order),
            nbytes,
        })
    }

    /// The element type.
    pub fn dtype(&self) -> &'a DType {
        self.dtype
    }

    /// The shape.
    pub fn shape(&self) -> &'a [u64] {
        self.shape
    }

    /// Whether the data is in Fortran order, as the header records it.
    pub fn fortran_order(&self) -> bool {
        self.fortran_order
    }

    /// The size of the data in bytes.
    pub fn nbytes(&self) -> u64 {
        self.nbytes
    }

    /// The complete header bytes `np.save` writes for this array (magic,
    /// version, length, text, padding, newline). Fails only for memory, or
    /// for a dtype whose description exceeds the 4 GiB a header can hold.
    pub fn header_bytes(&self) -> Result<Vec<u8>> {
        let shape = self.shape;
        let mut text = self.dict_text()?;
        if !shape.is_empty() {
            let growth = if self.fortran_order {
                shape[shape.len() - 1]
            } else {
                shape[0]
            };
            let digits = growth.checked_ilog10().unwrap_or(0) as usize + 1;
            text.extend(std::iter::repeat_n(
                ' ',
                GROWTH_AXIS_MAX_DIGITS.saturating_sub(digits),
            ));
        }
        let (version, encoded): ((u8, u8), Vec<u8>) = if self.dtype.needs_utf8() {
            ((3, 0), text.into_bytes())
        } else {
            let latin = latin1(text);
            let prefix = 10;
            let total = prefix + latin.len() + 1;
            let padded = total + (ARRAY_ALIGN - total % ARRAY_ALIGN);
            if padded - prefix <= u16::MAX as usize {
                ((1, 0), latin)
            } else {
                ((2, 0), latin)
            }
        };
        let prefix = Header::prefix_len(version);
        let hlen = encoded.len() + 1;
        let padlen = ARRAY_ALIGN - (prefix + hlen) % ARRAY_ALIGN;
        let header_len = hlen + padlen;
        if header_len > u32::MAX as usize {
            bail!(
                Overflow,
                "header of {header_len} bytes does not fit a .npy file"
            );
        }
        Ok(assemble(version, &encoded, header_len))
    }

    /// The header dictionary's text, `{'descr': ..., 'fortran_order': ...,
    /// 'shape': (...), }`, without padding.
    fn dict_text(&self) -> Result<String> {
        let mut text = String::with_capacity(128);
        text.push_str("{'descr': ");
        text.push_str(&self.dtype.try_descr()?);
        text.push_str(", 'fortran_order': ");
        text.push_str(if self.fortran_order { "True" } else { "False" });
        text.push_str(", 'shape': ");
        text.push_str(&crate::pytext::shape_repr(self.shape));
        text.push_str(", }");
        Ok(text)
    }

    /// Header bytes for this array of exactly `total` bytes (magic to the
    /// final newline) in format `version`, padded with spaces: what a
    /// header rewritten in place must be, so that the data does not move.
    /// `None` when the dictionary does not fit in `total` bytes, or cannot
    /// be encoded in `version` (latin-1 for 1.0 and 2.0), or `total` is
    /// beyond what the version's length field holds.
    pub fn header_bytes_sized(&self, version: (u8, u8), total: usize) -> Option<Vec<u8>> {
        let text = self.dict_text().ok()?;
        let encoded = if version.0 >= 3 {
            text.into_bytes()
        } else if text.chars().all(|c| (c as u32) < 256) {
            latin1(text)
        } else {
            return None;
        };
        let prefix = Header::prefix_len(version);
        let header_len = total.checked_sub(prefix)?;
        let max = if version.0 == 1 {
            u16::MAX as usize
        } else {
            u32::MAX as usize
        };
        if encoded.len() + 1 > header_len || header_len > max {
            return None;
        }
        Some(assemble(version, &encoded, header_len))
    }

    /// The header as a value, and its bytes (which read back as that value).
    pub fn encode(&self) -> Result<(Header, Vec<u8>)> {
        let bytes = self.header_bytes()?;
        Ok((self.header(&bytes), bytes))
    }

    /// The header whose bytes are `bytes` (from [`ArraySpec::header_bytes`]).
    fn header(&self, bytes: &[u8]) -> Header {
        Header {
            version: (bytes[6], bytes[7]),
            dtype: self.dtype.clone(),
            fortran_order: self.fortran_order,
            shape: self.shape.to_vec(),
            data_offset: bytes.len() as u64,
        }
    }
}

/// Text as latin-1 bytes (the caller knows every character is below 256).
fn latin1(text: String) -> Vec<u8> {
    if text.is_ascii() {
        text.into_bytes()
    } else {
        text.chars().map(|c| c as u32 as u8).collect()
    }
}

/// Magic, `version`, the length field, `encoded`, then spaces and a final
/// newline up to `header_len` bytes after the prefix (which must hold at
/// least `encoded` and the newline).
fn assemble(version: (u8, u8), encoded: &[u8], header_len: usize) -> Vec<u8> {
    let prefix = Header::prefix_len(version);
    let mut out = Vec::with_capacity(prefix + header_len);
    out.extend_from_slice(MAGIC);
    out.push(version.0);
    out.push(version.1);
    if version.0 == 1 {
        out.extend_from_slice(&(header_len as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(header_len as u32).to_le_bytes());
    }
    out.extend_from_slice(encoded);
    out.resize(prefix + header_len - 1, b' ');
    out.push(b'\n');
    out
}

impl Header {
    /// The header `np.save` writes for an array of this dtype, shape and
    /// order, built directly (never as text parsed back), checked as
    /// [`ArraySpec::new`] checks: `fortran_order` as NumPy records it, and
    /// the version and data offset of the bytes [`Header::to_bytes`] gives.
    pub fn new(dtype: DType, shape: Vec<u64>, fortran_order: bool) -> Result<Header> {
        let spec = ArraySpec::new(&dtype, &shape, fortran_order)?;
        let fortran_order = spec.fortran_order;
        let bytes = spec.header_bytes()?;
        Ok(Header {
            version: (bytes[6], bytes[7]),
            dtype,
            fortran_order,
            shape,
            data_offset: bytes.len() as u64,
        })
    }

    /// The complete header bytes `np.save` writes for this header's dtype,
    /// shape and order (checked as [`ArraySpec::new`] checks).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        ArraySpec::new(&self.dtype, &self.shape, self.fortran_order)?.header_bytes()
    }
}

/// The complete header bytes `np.save` writes for an array with this dtype,
/// shape and order (magic, version, length, text, padding, newline).
pub fn header_bytes(dtype: &DType, shape: &[u64], fortran_order: bool) -> Result<Vec<u8>> {
    ArraySpec::new(dtype, shape, fortran_order)?.header_bytes()
}

#[cfg(test)]
mod tests {
    use super::super::parse_header_text;
    use super::*;

    #[test]
    fn header_like_numpy() {
        let d = DType::parse("<f8").unwrap();
        let h = header_bytes(&d, &[3, 4], false).unwrap();
        assert_eq!(h.len(), 128);
        let text = std::str::from_utf8(&h[10..]).unwrap();
        assert!(text.starts_with("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }"));
        assert!(text.ends_with(" \n"));
        let parsed = parse_header_text((1, 0), &h[10..]).unwrap();
        assert_eq!(parsed.shape, vec![3, 4]);
        assert_eq!(parsed.data_offset, 128);
        // 0-d: no growth padding.
        let h0 = header_bytes(&d, &[], false).unwrap();
        assert_eq!(h0.len(), 128);
    }

    #[test]
    fn fortran_normalised() {
        assert!(!effective_fortran(&[5], true));
        assert!(!effective_fortran(&[5, 1], true));
        assert!(!effective_fortran(&[0, 3], true));
        assert!(effective_fortran(&[2, 3], true));
    }

    /// A header built directly is the one its bytes parse back to: the
    /// version (1.0, 2.0 for long headers, 3.0 for names beyond Latin-1),
    /// the data offset, Fortran order as NumPy records it.
    #[test]
    fn built_header_is_the_parsed_one() {
        let long: String = (0..5000).map(|i| format!("('f{i}', '<i2'), ")).collect();
        type Case<'a> = (&'a str, &'a [u64], bool, (u8, u8));
        let cases: &[Case] = &[
            ("<f8", &[3, 4], false, (1, 0)),
            (">i2", &[2, 3], true, (1, 0)),
            ("<c16", &[5, 1], true, (1, 0)),
            ("|b1", &[], false, (1, 0)),
            ("[('x', '<f4'), ('y', '>u8', (2,))]", &[0, 7], true, (1, 0)),
            ("[('été', '<i4')]", &[2], false, (1, 0)),
            ("[('中', '<i4')]", &[2], false, (3, 0)),
            (&format!("[{long}]"), &[10], false, (2, 0)),
        ];
        for &(descr, shape, fortran, version) in cases {
            let d = DType::parse(descr).unwrap();
            let h = Header::new(d.clone(), shape.to_vec(), fortran).unwrap();
            let bytes = h.to_bytes().unwrap();
            assert_eq!(bytes, header_bytes(&d, shape, fortran).unwrap(), "{descr}");
            let prefix = Header::prefix_len(h.version);
            assert_eq!(
                h,
                parse_header_text(h.version, &bytes[prefix..]).unwrap(),
                "{descr}"
            );
            assert_eq!(h.version, version, "{descr}");
            let spec = ArraySpec::new(&d, shape, fortran).unwrap();
            assert_eq!(spec.encode().unwrap(), (h, bytes), "{descr}");
        }
        // Checked once, on construction.
        let d = DType::parse("<f8").unwrap();
        let e = Header::new(d.clone(), vec![1 << 40, 1 << 30], false).unwrap_err();
        assert_eq!(e.status(), crate::error::Status::Overflow);
        let e = Header::new(d.clone(), vec![1; 65], false).unwrap_err();
        assert_eq!(e.status(), crate::error::Status::InvalidArg);
        let sub = DType::parse("('<f8', (2,))").unwrap();
        let e = Header::new(sub, vec![3], false).unwrap_err();
        assert!(e.message().contains("subarray"), "{e}");
    }
}
