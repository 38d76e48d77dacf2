//! String and bytes literals: prefixes, concatenation, and every escape
//! Python knows, names (`\N{...}`) included.

use super::names;
use super::{alloc_error, prefix_chars, push_str, Parser, Value};
use crate::error::Result;

/// The character a Python name escape (`\N{...}`) stands for, as Python
/// decodes it: names and aliases of the Unicode character database
/// (case-insensitive, spelled exactly), and the algorithmic names of Hangul
/// syllables and CJK unified ideographs (upper case, as Python requires).
/// Named sequences are not characters and are refused, as Python does.
///
/// The names are Unicode 17's (`unicode_names2`), the aliases those of
/// NameAliases.txt 17.0; Python's own are those of its version (14.0 for
/// Python 3.11), so names added since are accepted here and refused by
/// older Pythons.
pub fn char_from_name(name: &str) -> Option<char> {
    let b = name.as_bytes();
    // Python's names are upper-case letters, digits, single spaces and
    // hyphens, and start and end with a letter or digit.
    if b.is_empty()
        || b.len() > 256
        || !b
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b' ' || c == b'-')
        || !b[0].is_ascii_alphanumeric()
        || !b[b.len() - 1].is_ascii_alphanumeric()
        || name.contains("  ")
    {
        return None;
    }
    let up = name.to_ascii_uppercase();
    if let Some(rest) = up.strip_prefix("HANGUL SYLLABLE ") {
        // The syllable's jamo are matched case-sensitively by Python.
        let orig = &name[name.len() - rest.len()..];
        if rest.is_empty() || !orig.bytes().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        return names::find(&up);
    }
    if let Some(hex) = up.strip_prefix("CJK UNIFIED IDEOGRAPH-") {
        let orig = &name[name.len() - hex.len()..];
        if !(4..=5).contains(&hex.len())
            || !orig
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c))
        {
            return None;
        }
        // Any code point in the ranges of unified ideographs, leading zero
        // or not, as Python takes it.
        let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
        let n = unicode_names2::name(c)?.to_string();
        return n.starts_with("CJK UNIFIED IDEOGRAPH-").then_some(c);
    }
    names::find(&up).or_else(|| names::alias(&up))
}

impl Parser<'_> {
    /// One or more adjacent string literals (concatenated, as Python does).
    pub(super) fn string(&mut self) -> Result<Value> {
        let mut text = String::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut first = true;
        loop {
            if !first {
                // Only white space and comments join literals: `'a' ('b')`
                // is a call, not a concatenation.
                self.skip(false);
            }
            let start = self.pos;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'\'' | b'"')) {
                if first {
                    return Err(self.error("expected a string"));
                }
                self.pos = start;
                break;
            }
            let prefix = &self.s[start..self.pos];
            let lower = |i: usize| prefix.get(i).map(u8::to_ascii_lowercase);
            let (raw, is_bytes) = match (prefix.len(), lower(0), lower(1)) {
                (0, ..) | (1, Some(b'u'), _) => (false, false),
                (1, Some(b'r'), _) => (true, false),
                (1, Some(b'b'), _) => (false, true),
                (2, Some(b'b'), Some(b'r')) | (2, Some(b'r'), Some(b'b')) => (true, true),
                _ => {
                    self.pos = start;
                    return Err(self.error("invalid string prefix"));
                }
            };
            if !first && is_bytes != bytes.is_some() {
                self.pos = start;
                return Err(self.error("cannot mix bytes and str literals"));
            }
            if is_bytes {
                let b = bytes.get_or_insert_with(Vec::new);
                self.string_body(raw, &mut Sink::Bytes(b))?;
            } else {
                self.string_body(raw, &mut Sink::Str(&mut text))?;
            }
            first = false;
        }
        Ok(match bytes {
            Some(b) => Value::Bytes(b),
            None => Value::Str(text),
        })
    }

    /// The body of one string literal, from its opening quote to after its
    /// closing one, decoded into `out` as Python decodes it.
    fn string_body(&mut self, raw: bool, out: &mut Sink) -> Result<()> {
        let q = self.s[self.pos];
        let triple = self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..]);
        self.pos += if triple { 3 } else { 1 };
        loop {
            // Copy a run of ordinary characters at once.
            let run = self.s[self.pos..]
                .iter()
                .position(|&c| c == q || c == b'\\' || c == b'\n' || c == b'\r')
                .unwrap_or(self.s.len() - self.pos);
            if run > 0 {
                let chunk = &self.text[self.pos..self.pos + run];
                if out.is_bytes() && !chunk.is_ascii() {
                    let off = chunk.bytes().position(|c| !c.is_ascii()).unwrap_or(0);
                    self.pos += off;
                    return Err(self.error("bytes can only contain ASCII literal characters"));
                }
                out.push_str(chunk)?;
                self.pos += run;
            }
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            match c {
                _ if c == q => {
                    if !triple {
                        self.pos += 1;
                        return Ok(());
                    }
                    if self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..]) {
                        self.pos += 3;
                        return Ok(());
                    }
                    out.push(q as u32)?;
                    self.pos += 1;
                }
                b'\n' | b'\r' => {
                    if !triple {
                        return Err(self.error("end of line inside a string"));
                    }
                    // Python reads \r\n and \r as \n.
                    self.newline();
                    out.push('\n' as u32)?;
                }
                _ => self.escape(raw, out)?,
            }
        }
    }

    /// Step over one line end (`\n`, `\r\n` or `\r`).
    fn newline(&mut self) {
        if self.peek() == Some(b'\r') && self.s.get(self.pos + 1) == Some(&b'\n') {
            self.pos += 2;
        } else {
            self.pos += 1;
        }
    }

    /// A backslash sequence inside a string (the parser is at the backslash).
    fn escape(&mut self, raw: bool, out: &mut Sink) -> Result<()> {
        let at = self.pos;
        self.pos += 1;
        let Some(e) = self.peek() else {
            return Err(self.error("unterminated string"));
        };
        if raw {
            // A raw string keeps the backslash and the next character,
            // which cannot end the string.
            out.push('\\' as u32)?;
            if e == b'\n' || e == b'\r' {
                self.newline();
                return out.push('\n' as u32);
            }
            let ch = self.text[self.pos..].chars().next().unwrap_or('\\');
            if out.is_bytes() && !ch.is_ascii() {
                return Err(self.error("bytes can only contain ASCII literal characters"));
            }
            self.pos += ch.len_utf8();
            return out.push(ch as u32);
        }
        let bytes = out.is_bytes();
        let simple = match e {
            b'\n' | b'\r' => {
                self.newline();
                return Ok(());
            }
            b'\\' => Some(b'\\'),
            b'\'' => Some(b'\''),
            b'"' => Some(b'"'),
            b'a' => Some(0x07),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            _ => None,
        };
        if let Some(v) = simple {
            self.pos += 1;
            return out.push(v as u32);
        }
        match e {
            b'0'..=b'7' => {
                let mut v = 0u32;
                let mut n = 0;
                while n < 3 {
                    match self.peek() {
                        Some(d @ b'0'..=b'7') => {
                            v = v * 8 + (d - b'0') as u32;
                            self.pos += 1;
                            n += 1;
                        }
                        _ => break,
                    }
                }
                // Bytes keep the low 8 bits, as Python does.
                out.push(if bytes { v & 0xff } else { v })
            }
            b'x' => {
                let v = self.hex(2, at, "truncated \\xXX escape")?;
                out.push(v)
            }
            b'u' | b'U' if !bytes => {
                let (n, what) = if e == b'u' {
                    (4, "truncated \\uXXXX escape")
                } else {
                    (8, "truncated \\UXXXXXXXX escape")
                };
                let v = self.hex(n, at, what)?;
                if v > 0x10ffff {
                    self.pos = at;
                    return Err(self.error("illegal Unicode character in \\U escape"));
                }
                if (0xd800..=0xdfff).contains(&v) {
                    self.pos = at;
                    return Err(self.error(&format!(
                        "\\u{v:04x} is a lone surrogate, which libnpyio does not represent"
                    )));
                }
                out.push(v)
            }
            b'N' if !bytes => {
                self.pos += 1;
                let body = &self.s[self.pos..];
                // The name ends at '}'; a quote, backslash or line end first
                // (none is ever part of a name) means the brace is missing.
                let close = if body.first() == Some(&b'{') {
                    body.iter()
                        .take(258)
                        .position(|&c| matches!(c, b'}' | b'\'' | b'"' | b'\\' | b'\n' | b'\r'))
                        .filter(|&i| body[i] == b'}')
                } else {
                    None
                };
                let Some(close) = close.filter(|&i| i > 1) else {
                    self.pos = at;
                    return Err(self.error("malformed \\N character escape"));
                };
                let name = &self.text[self.pos + 1..self.pos + close];
                let Some(ch) = char_from_name(name) else {
                    self.pos = at;
                    return Err(self.error(&format!(
                        "unknown Unicode character name {:?} in \\N escape",
                        prefix_chars(name, 60)
                    )));
                };
                self.pos += close + 1;
                out.push(ch as u32)
            }
            _ => {
                // Unknown escapes keep their backslash, as in Python (which
                // warns); the character after it is read as usual.
                out.push('\\' as u32)
            }
        }
    }

    /// `n` hex digits after an escape letter (the parser is at the letter).
    fn hex(&mut self, n: usize, at: usize, what: &str) -> Result<u32> {
        let digits = self.s.get(self.pos + 1..self.pos + 1 + n);
        match digits.filter(|d| d.iter().all(u8::is_ascii_hexdigit)) {
            Some(d) => {
                let v = d.iter().fold(0u32, |acc, &c| {
                    acc * 16 + (c as char).to_digit(16).unwrap_or(0)
                });
                self.pos += 1 + n;
                Ok(v)
            }
            None => {
                self.pos = at;
                Err(self.error(what))
            }
        }
    }
}

/// Where a string literal's decoded characters go.
enum Sink<'b> {
    Str(&'b mut String),
    Bytes(&'b mut Vec<u8>),
}

impl Sink<'_> {
    fn is_bytes(&self) -> bool {
        matches!(self, Sink::Bytes(_))
    }

    /// One code point (at most 0xff for bytes; the caller ensures it).
    fn push(&mut self, v: u32) -> Result<()> {
        match self {
            Sink::Str(s) => {
                let c = char::from_u32(v).unwrap_or('\u{fffd}');
                if s.capacity() - s.len() < 4 {
                    s.try_reserve(4).map_err(|_| alloc_error("a string"))?;
                }
                s.push(c);
            }
            Sink::Bytes(b) => {
                if b.capacity() == b.len() {
                    b.try_reserve(1)
                        .map_err(|_| alloc_error("a bytes literal"))?;
                }
                b.push(v as u8);
            }
        }
        Ok(())
    }

    /// A run of ordinary characters (ASCII only for bytes; checked by the caller).
    fn push_str(&mut self, x: &str) -> Result<()> {
        match self {
            Sink::Str(s) => push_str(s, x),
            Sink::Bytes(b) => {
                b.try_reserve(x.len())
                    .map_err(|_| alloc_error("a bytes literal"))?;
                b.extend_from_slice(x.as_bytes());
                Ok(())
            }
        }
    }
}
