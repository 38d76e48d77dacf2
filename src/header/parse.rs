//! Reading a .npy header: the magic and version, the header length, and
//! the header dictionary (the form `np.save` writes on a fast path, any
//! literal Python accepts on the general one).

use super::{checked_nbytes, Header, MAGIC, MAX_NDIM};
use crate::dtype::{read_descr, read_dims, DType, Layout};
use crate::error::{Error, Result};
use crate::literal::{Item, Parser, Value};
use crate::{bail, err};
use std::borrow::Cow;

/// Check the 8 bytes at the start of a file: magic and version.
pub fn parse_magic(first: &[u8]) -> Result<(u8, u8)> {
    if first.is_empty() {
        bail!(Truncated, "empty file (0 bytes), not a .npy file");
    }
    let n = first.len().min(6);
    if first[..n] != MAGIC[..n] {
        if first.starts_with(b"PK\x03\x04") || first.starts_with(b"PK\x05\x06") {
            bail!(BadMagic, "this is a zip (.npz) archive, not a .npy file");
        }
        let shown: String = first[..n]
            .iter()
            .map(|&b| format!("{}", std::ascii::escape_default(b)))
            .collect();
        bail!(
            BadMagic,
            "bad magic: expected \\x93NUMPY, found \"{shown}\""
        );
    }
    if first.len() < 8 {
        bail!(
            Truncated,
            "file ends after {} bytes, inside the 8-byte magic and version",
            first.len()
        );
    }
    let v = (first[6], first[7]);
    if !matches!(v, (1, 0) | (2, 0) | (3, 0)) {
        bail!(
            UnsupportedVersion,
            "format version {}.{} is not supported (only 1.0, 2.0 and 3.0 exist)",
            v.0,
            v.1
        );
    }
    Ok(v)
}

/// Read the header-length field that follows the magic.
pub fn parse_header_len(version: (u8, u8), field: &[u8]) -> u64 {
    if version.0 == 1 {
        u16::from_le_bytes([field[0], field[1]]) as u64
    } else {
        u32::from_le_bytes([field[0], field[1], field[2], field[3]]) as u64
    }
}

/// Decode and parse the header text (the `HEADER_LEN` bytes after the length
/// field). `prefix_len + text.len()` is where the data starts.
pub fn parse_header_text(version: (u8, u8), text: &[u8]) -> Result<Header> {
    if let Some(h) = parse_canonical(version, text) {
        return h;
    }
    parse_header_general(version, text)
}

/// The header exactly as `np.save` writes it for a plain (non-record)
/// dtype — `{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }`,
/// spaces, newline — read without building literal values. `None` for any
/// other text, which then goes to the general parser (also for its error
/// messages); when it matches, the result is the general parser's.
fn parse_canonical(version: (u8, u8), text: &[u8]) -> Option<Result<Header>> {
    let rest = text.strip_prefix(b"{'descr': '")?;
    let q = memchr::memchr(b'\'', rest)?;
    let typestr = &rest[..q];
    if !typestr
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || b"<>|=[]".contains(&b))
    {
        return None;
    }
    let rest = rest[q..].strip_prefix(b"', 'fortran_order': ")?;
    let (fortran_order, rest) = if let Some(r) = rest.strip_prefix(b"False") {
        (false, r)
    } else {
        (true, rest.strip_prefix(b"True")?)
    };
    let mut rest = rest.strip_prefix(b", 'shape': (")?;
    // Room for the usual few dimensions without growing.
    let mut shape = Vec::with_capacity(4);
    // Python's repr of a tuple: "()", "(n,)", "(a, b, ...)".
    while let Some(&c) = rest.first() {
        if c == b')' {
            break;
        }
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        // No digits, or a leading zero (a syntax error in Python 3): leave
        // the verdict to the general parser.
        if digits == 0 || digits > 19 || (digits > 1 && rest[0] == b'0') {
            return None;
        }
        // More dimensions than NumPy allows: the general parser says so,
        // without this one collecting them.
        if shape.len() == MAX_NDIM {
            return None;
        }
        // At most 19 digits: no overflow.
        let d = rest[..digits]
            .iter()
            .fold(0u64, |acc, &c| acc * 10 + (c - b'0') as u64);
        shape.push(d);
        rest = &rest[digits..];
        if let Some(r) = rest.strip_prefix(b", ") {
            rest = r;
        } else if let Some(r) = rest.strip_prefix(b",") {
            // Only a 1-tuple ends with a bare comma.
            if shape.len() != 1 || r.first() != Some(&b')') {
                return None;
            }
            rest = r;
        } else if shape.len() == 1 {
            return None; // "(n)" is an int, not a tuple
        }
    }
    let tail = rest.strip_prefix(b"), }")?;
    let (newline, pad) = tail.split_last()?;
    if *newline != b'\n' || !all_spaces(pad) {
        return None;
    }
    // SAFETY: every byte was checked above to be ASCII.
    let t = unsafe { std::str::from_utf8_unchecked(typestr) };
    Some(finish_header(
        version,
        text.len(),
        DType::from_typestr(t).map_err(|e| e.context("header: 'descr'")),
        fortran_order,
        shape,
    ))
}

/// Whether `b` is all spaces, eight bytes at a time.
fn all_spaces(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    let eight = u64::from_ne_bytes([b' '; 8]);
    chunks.all(|c| u64::from_ne_bytes(c.try_into().unwrap_or([0; 8])) == eight)
        && chunks.remainder().iter().all(|&c| c == b' ')
}

/// The header text as a string: UTF-8 for format 3.0, Latin-1 before.
/// Borrowed when the bytes are already a valid string (any ASCII header);
/// a copy otherwise, allocated fallibly.
fn decode(version: (u8, u8), text: &[u8]) -> Result<Cow<'_, str>> {
    if version.0 >= 3 {
        return match std::str::from_utf8(text) {
            Ok(s) => Ok(Cow::Borrowed(s)),
            Err(e) => bail!(
                Encoding,
                "header: format 3.0 header is not valid UTF-8 at byte {}",
                e.valid_up_to()
            ),
        };
    }
    if text.is_ascii() {
        return Ok(Cow::Borrowed(std::str::from_utf8(text).unwrap_or_default()));
    }
    // Latin-1: every byte is one character, two UTF-8 bytes above 0x7f.
    let len = text.len() + text.iter().filter(|&&b| b >= 0x80).count();
    let mut s = String::new();
    s.try_reserve_exact(len)
        .map_err(|_| crate::literal::alloc_error("the header"))?;
    s.extend(text.iter().map(|&b| b as char));
    Ok(Cow::Owned(s))
}

fn parse_header_general(version: (u8, u8), text: &[u8]) -> Result<Header> {
    let decoded = decode(version, text)?;
    let ctx = |e: Error| e.context("header");
    let mut p = Parser::new(&decoded, version.0 <= 2).map_err(ctx)?;
    let fields = read_dict(&mut p).map_err(ctx)?;
    p.finish().map_err(ctx)?;
    let (descr, fortran, shape) = fields?;
    let missing: Vec<&str> = [
        ("descr", descr.is_none()),
        ("fortran_order", fortran.is_none()),
        ("shape", shape.is_none()),
    ]
    .iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| *k)
    .collect();
    if !missing.is_empty() {
        bail!(
            BadHeader,
            "header: missing key{} {}",
            if missing.len() > 1 { "s" } else { "" },
            missing
                .iter()
                .map(|k| format!("'{k}'"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let (Some(descr), Some(fortran), Some(shape)) = (descr, fortran, shape) else {
        bail!(BadHeader, "header: missing keys");
    };
    let fortran_order = fortran?;
    let shape = shape?;
    let dtype = descr.map_err(|e| e.context("header: 'descr'"));
    finish_header(version, text.len(), dtype, fortran_order, shape)
}

/// What the header dictionary held: each key's value, read (or its error).
type DictValues = (
    Option<Result<DType>>,
    Option<Result<bool>>,
    Option<Result<Vec<u64>>>,
);

/// Read the header dictionary. The outer error is a syntax error (or
/// memory); the inner one is the first error about the dictionary's
/// content, once the text is known to be a well-formed literal.
///
/// Each value is read by a reader that knows what it expects: the shape
/// keeps at most 64 dimensions, the descr only the dtype it builds, an
/// unexpected key's value is skipped. So memory is proportional to the
/// dtype, never to the text (a shape of millions of zeros costs nothing).
/// As in Python, a repeated key's last value counts.
fn read_dict(p: &mut Parser) -> Result<Result<DictValues>> {
    if let Some(it) = p.item_unless(b'{')? {
        return Ok(Err(err!(
            BadHeader,
            "header: is not a dictionary but a {} literal",
            it.v.type_name()
        )));
    }
    p.bump();
    let (mut descr, mut fortran, mut shape) = (None, None, None);
    let mut unexpected: Option<Error> = None;
    if p.eat(b'}') {
        return Ok(Ok((descr, fortran, shape)));
    }
    for first in std::iter::once(true).chain(std::iter::repeat(false)) {
        let key = p.item()?;
        if !first {
            p.expect(b':')?;
        } else if !p.eat(b':') {
            // A set, not a dictionary: the rest only needs its syntax checked.
            while p.next_or_close(b'}')? {
                p.skip_value()?;
            }
            return Ok(Err(err!(
                BadHeader,
                "header: is not a dictionary but a set literal"
            )));
        }
        let name = match &key.v {
            Value::Str(s) if unexpected.is_none() => s.as_str(),
            _ => "",
        };
        match name {
            "descr" => {
                drop(descr.take()); // free the last one before reading another
                descr = Some(read_descr(p, 0)?);
            }
            "fortran_order" => {
                let it = p.item()?;
                fortran = Some(match it.v {
                    Value::Bool(b) => Ok(b),
                    _ => Err(err!(
                        BadHeader,
                        "header: 'fortran_order' must be True or False, got {}",
                        p.shown(&it)
                    )),
                });
            }
            "shape" => shape = Some(read_shape(p)?),
            _ => {
                if unexpected.is_none() {
                    unexpected = Some(err!(
                        BadHeader,
                        "header: unexpected key {} (only 'descr', 'fortran_order' and 'shape' are allowed)",
                        p.shown(&key)
                    ));
                    // The header is refused whatever follows: free what was read.
                    (descr, fortran, shape) = (None, None, None);
                }
                p.skip_value()?;
            }
        }
        if !p.next_or_close(b'}')? {
            break;
        }
    }
    Ok(match unexpected {
        Some(e) => Err(e),
        None => Ok((descr, fortran, shape)),
    })
}

/// The `shape` value: a tuple of at most [`MAX_NDIM`] non-negative ints.
/// A longer tuple is refused after its 64th element: the rest is only
/// counted, never stored.
fn read_shape(p: &mut Parser) -> Result<Result<Vec<u64>>> {
    if let Some(it) = p.item_unless(b'(')? {
        return Ok(Err(err!(
            BadHeader,
            "header: 'shape' must be a tuple of non-negative ints, got {} {}",
            it.v.type_name(),
            p.shown(&it)
        )));
    }
    let start = p.pos();
    p.bump();
    read_dims(
        p,
        |p, it| {
            Ok(match it.v {
                Value::Int(i) if i >= 0 && i <= u64::MAX as i128 => Ok(i as u64),
                _ => Err(shape_item_error(p, start, it)?),
            })
        },
        |n| {
            err!(
                BadHeader,
                "header: 'shape' has {n} dimensions, more than NumPy's maximum of {MAX_NDIM}"
            )
        },
    )
}

/// The error for a shape element that is not a dimension. Quotes the whole
/// shape (read again from `start`; the parser comes back where it was).
fn shape_item_error(p: &mut Parser, start: usize, it: &Item) -> Result<Error> {
    let here = p.pos();
    let shape = p.shown_from(start)?;
    p.rewind(here);
    let item = p.shown(it);
    Ok(match &it.v {
        Value::Int(i) if *i < 0 => err!(
            BadHeader,
            "header: 'shape' {shape} has a negative dimension {i}"
        ),
        Value::Int(_) | Value::BigInt(_) => err!(
            Overflow,
            "header: dimension {item} in 'shape' {shape} does not fit in 64 bits"
        ),
        other => err!(
            BadHeader,
            "header: 'shape' must be a tuple of non-negative ints, got {shape} (item {item} is a {})",
            other.type_name()
        ),
    })
}

/// The checks both header parsers share, once the three values are read.
fn finish_header(
    version: (u8, u8),
    text_len: usize,
    dtype: Result<DType>,
    fortran_order: bool,
    mut shape: Vec<u64>,
) -> Result<Header> {
    let mut dtype = dtype?;
    // A top-level subarray dtype (written by NumPy's main branch) adds its
    // shape to the array's, as np.load does.
    while let Layout::SubArray(..) = dtype.layout() {
        let (base, sub) = dtype.into_subarray();
        shape.extend(sub);
        dtype = base;
    }
    if shape.len() > MAX_NDIM {
        bail!(
            BadHeader,
            "header: {} dimensions exceed NumPy's maximum of {MAX_NDIM}",
            shape.len()
        );
    }
    checked_nbytes(&shape, dtype.itemsize()).map_err(|e| e.context("header"))?;
    let data_offset = (Header::prefix_len(version) + text_len) as u64;
    Ok(Header {
        version,
        dtype,
        fortran_order,
        shape,
        data_offset,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_path_matches_general_parser() {
        let pad = |t: &str| format!("{t}{}\n", " ".repeat(40));
        let accepted = [
            "{'descr': '<f8', 'fortran_order': False, 'shape': (10,), }",
            "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 3), }",
            "{'descr': '|b1', 'fortran_order': False, 'shape': (), }",
            "{'descr': '<M8[10ms]', 'fortran_order': False, 'shape': (0, 5, 1), }",
            "{'descr': '<U7', 'fortran_order': False, 'shape': (3, ), }",
            "{'descr': '|V16', 'fortran_order': True, 'shape': (123456789012345678,), }",
            "{'descr': '<f16', 'fortran_order': False, 'shape': (1, 1, 1, 1), }",
        ];
        for t in accepted {
            let text = pad(t);
            for v in [(1, 0), (2, 0), (3, 0)] {
                let fast = parse_canonical(v, text.as_bytes()).expect(t);
                let slow = parse_header_general(v, text.as_bytes());
                assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{t}");
            }
        }
        let declined = [
            "{'descr': '<f8', 'fortran_order': False, 'shape': (10), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (010,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (10L,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }",
            "{'descr': '<f8', 'fortran_order': 0, 'shape': (1,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': 'a\\'b', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': [('x', '<f8')], 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '<f8', 'shape': (1,), 'fortran_order': False, }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (18446744073709551615,), }",
        ];
        for t in declined {
            assert!(parse_canonical((1, 0), pad(t).as_bytes()).is_none(), "{t}");
        }
        // Not padded with spaces and a newline: declined.
        let bare = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }";
        assert!(parse_canonical((1, 0), bare.as_bytes()).is_none());
        assert!(parse_canonical((1, 0), format!("{bare}\t\n").as_bytes()).is_none());
        for at in 0..20 {
            let mut pad = vec![b' '; 20];
            pad[at] = b'x';
            let text = [bare.as_bytes(), &pad, b"\n"].concat();
            assert!(parse_canonical((1, 0), &text).is_none(), "{at}");
        }
        // Errors found after the syntax (overflow, bad type) are the same.
        for t in [
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }",
            "{'descr': '<q9', 'fortran_order': False, 'shape': (1,), }",
            "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
        ] {
            let text = pad(t);
            let fast = parse_canonical((1, 0), text.as_bytes())
                .expect(t)
                .unwrap_err();
            let slow = parse_header_general((1, 0), text.as_bytes()).unwrap_err();
            assert_eq!(fast.code(), slow.code(), "{t}");
            assert_eq!(fast.message(), slow.message(), "{t}");
        }
    }

    #[test]
    fn strict_checks() {
        use crate::error::Status::*;
        let cases: &[(&str, crate::error::Status)] = &[
            ("[1]", BadHeader),
            ("{'descr': '<f8', 'shape': ()}", BadHeader),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': (), 'x': 1}",
                BadHeader,
            ),
            (
                "{'descr': '<f8', 'fortran_order': 0, 'shape': ()}",
                BadHeader,
            ),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}",
                BadHeader,
            ),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': (-1,)}",
                BadHeader,
            ),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': (True,)}",
                BadHeader,
            ),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}",
                Overflow,
            ),
            (
                "{'descr': '<f8', 'fortran_order': False, 'shape': (2305843009213693952,)}",
                Overflow,
            ),
            (
                "{'descr': '<q7', 'fortran_order': False, 'shape': ()}",
                BadDtype,
            ),
            (
                "{'descr': '|O', 'fortran_order': False, 'shape': ()}",
                ObjectDtype,
            ),
        ];
        for (text, want) in cases {
            let e = parse_header_text((1, 0), text.as_bytes()).unwrap_err();
            assert_eq!(e.status(), *want, "{text}: {e}");
        }
        assert_eq!(
            parse_header_text((3, 0), b"{'descr': '\xff'}")
                .unwrap_err()
                .status(),
            Encoding
        );
    }
}
