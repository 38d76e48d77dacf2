//! Python's `repr()` of `str` and `bytes` values and of shape tuples.

use super::digits::push_u64;
use std::fmt::Write as _;

/// Is `c` printable in the sense of Python's `str.isprintable()`?
///
/// Exact for Latin-1; above it, control, format, separator, surrogate,
/// private-use and noncharacter code points are treated as unprintable.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    if u < 0x20 || (0x7f..=0xa0).contains(&u) || u == 0xad {
        return false;
    }
    if u < 0x100 {
        return true;
    }
    !(c.is_whitespace()
        || (0x200b..=0x200f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2060..=0x206f).contains(&u)
        || u == 0x061c
        || u == 0x180e
        || u == 0xfeff
        || (0xfff9..=0xfffb).contains(&u)
        || (0xe000..=0xf8ff).contains(&u)
        || (0xfdd0..=0xfdef).contains(&u)
        || (u & 0xfffe) == 0xfffe
        || u >= 0xf0000
        || (0xe0000..=0xe007f).contains(&u))
}

/// The quote Python's `repr` puts around a text: `"` when the text holds a
/// single quote and no double quote, `'` otherwise.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double {
        '"'
    } else {
        '\''
    }
}

/// Append character `c` of a `str` repr quoted with `quote`.
fn push_str_char(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if is_printable(c) => out.push(c),
        c => push_code_escape(out, c as u32),
    }
}

/// `\xNN`, `\uNNNN` or `\UNNNNNNNN`: the shortest escape Python writes for
/// the code point `u`.
fn push_code_escape(out: &mut String, u: u32) {
    let _ = if u < 0x100 {
        write!(out, "\\x{u:02x}")
    } else if u < 0x10000 {
        write!(out, "\\u{u:04x}")
    } else {
        write!(out, "\\U{u:08x}")
    };
}

/// Python's `repr()` of a `str`.
pub fn repr_str(s: &str) -> String {
    let quote = quote_for(s.contains('\''), s.contains('"'));
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        push_str_char(&mut out, c, quote);
    }
    out.push(quote);
    out
}

/// Python's `repr()` of a `str` held as UCS-4 code units (NumPy's `U`
/// dtype). Code units that are no character (a lone surrogate, a value
/// above U+10FFFF) are escaped as `\uNNNN` or `\UNNNNNNNN`, as Python
/// writes a lone surrogate.
pub fn repr_ucs4(units: &[u32]) -> String {
    let has = |c: char| units.contains(&(c as u32));
    let quote = quote_for(has('\''), has('"'));
    let mut out = String::with_capacity(units.len() + 2);
    out.push(quote);
    for &u in units {
        match char::from_u32(u) {
            Some(c) => push_str_char(&mut out, c, quote),
            None if u < 0x10000 => {
                let _ = write!(out, "\\u{u:04x}");
            }
            None => {
                let _ = write!(out, "\\U{u:08x}");
            }
        }
    }
    out.push(quote);
    out
}

/// Append Python's `repr()` of a `bytes` value: `b'...'` (double quotes
/// when the bytes hold a single quote and no double quote), with escapes
/// for `\\`, the quote, `\t \n \r` and every byte outside printable ASCII.
pub fn push_bytes_repr(out: &mut Vec<u8>, b: &[u8]) {
    let q = quote_for(b.contains(&b'\''), b.contains(&b'"')) as u8;
    out.push(b'b');
    out.push(q);
    for &c in b {
        match c {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            c if c == q => {
                out.push(b'\\');
                out.push(c);
            }
            0x20..=0x7e => out.push(c),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\x");
                out.push(HEX[(c >> 4) as usize]);
                out.push(HEX[(c & 15) as usize]);
            }
        }
    }
    out.push(q);
}

/// Python's `repr()` of a `bytes` value, as a string (see
/// [`push_bytes_repr`]).
pub fn bytes_repr(b: &[u8]) -> String {
    let mut out = Vec::with_capacity(b.len() + 3);
    push_bytes_repr(&mut out, b);
    // The repr is ASCII: every byte is one character.
    out.into_iter().map(char::from).collect()
}

/// Python's `repr()` of a shape tuple: `()`, `(3,)`, `(2, 3)`.
pub fn shape_repr(shape: &[u64]) -> String {
    let mut s = String::with_capacity(2 + shape.len() * 8);
    s.push('(');
    for (i, d) in shape.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        push_u64(&mut s, *d);
    }
    if shape.len() == 1 {
        s.push(',');
    }
    s.push(')');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_repr_matches_python() {
        assert_eq!(repr_str("abc"), "'abc'");
        assert_eq!(repr_str("a'b"), "\"a'b\"");
        assert_eq!(repr_str("a'\"b"), "'a\\'\"b'");
        assert_eq!(repr_str("é温"), "'é温'");
        assert_eq!(repr_str("\u{a0}\x7f\n"), "'\\xa0\\x7f\\n'");
    }

    #[test]
    fn shape_repr_is_pythons() {
        assert_eq!(shape_repr(&[]), "()");
        assert_eq!(shape_repr(&[0]), "(0,)");
        assert_eq!(shape_repr(&[3, 4]), "(3, 4)");
        assert_eq!(
            shape_repr(&[u64::MAX, 10, 1]),
            "(18446744073709551615, 10, 1)"
        );
        let mut s = String::new();
        for v in [0, 9, 10, 99, 100, 1234567890] {
            crate::pytext::push_u64(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0 9 10 99 100 1234567890 ");
    }

    /// More of `repr_str` is tested with the literal reader, which long held
    /// it, and `shape_repr` with the dtypes.
    #[test]
    fn strings() {
        assert_eq!(repr_str("\u{200b}\u{10ffff}"), "'\\u200b\\U0010ffff'");
        let u: Vec<u32> = "é\n'x\\".chars().map(|c| c as u32).collect();
        assert_eq!(repr_ucs4(&u), "\"é\\n'x\\\\\"");
        assert_eq!(repr_ucs4(&[0xd800, 0x110000]), "'\\ud800\\U00110000'");
    }

    /// A str repr and the repr of its UCS-4 units agree.
    #[test]
    fn str_and_ucs4_agree() {
        for s in [
            "",
            "a'b",
            "a\"b",
            "'\"",
            "\\\t\r\u{85}\u{ad}ß\u{fffe}x",
            "\u{e000}\u{1f600}",
        ] {
            let u: Vec<u32> = s.chars().map(|c| c as u32).collect();
            assert_eq!(repr_ucs4(&u), repr_str(s), "{s:?}");
        }
    }

    #[test]
    fn bytes() {
        assert_eq!(bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(bytes_repr(b"a'\"b"), "b'a\\'\"b'");
        assert_eq!(bytes_repr(b"a\x00\xff\\\t"), "b'a\\x00\\xff\\\\\\t'");
    }

    /// The command-line tool prints NumPy's `S` and `U` elements so.
    #[test]
    fn reprs() {
        assert_eq!(bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(bytes_repr(b"a\x00\xff"), "b'a\\x00\\xff'");
        let u: Vec<u32> = "é\n'x".chars().map(|c| c as u32).collect();
        assert_eq!(repr_ucs4(&u), "\"é\\n'x\"");
        assert_eq!(repr_ucs4(&[0xd800]), "'\\ud800'");
    }
}
