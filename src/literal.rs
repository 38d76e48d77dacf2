//! A small reader for the Python literals that appear in .npy headers, and
//! Python's `repr()` for the values libnpyio writes.
//!
//! NumPy parses headers with `ast.literal_eval`. This reader accepts the same
//! subset that matters for headers (dicts, tuples, lists, strings, integers,
//! booleans, `None`, comments, implicit string concatenation, Python 2 `L`
//! suffixes when asked to) and never evaluates anything. Nesting is limited to
//! [`MAX_DEPTH`] so hostile input cannot exhaust the stack.

use crate::error::Result;
use std::fmt::Write as _;

/// Deepest nesting of brackets the reader accepts (Python's own parser stops at 200).
pub const MAX_DEPTH: usize = 200;

/// A parsed Python literal.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A `str` literal (after escapes and concatenation).
    Str(String),
    /// An integer that fits in i128.
    Int(i128),
    /// An integer literal too large for i128 (kept as written, for messages).
    BigInt(String),
    /// A float or complex literal (kept as written, for messages).
    Float(String),
    /// `True` / `False`.
    Bool(bool),
    /// `None`.
    None,
    /// A bytes literal.
    Bytes(Vec<u8>),
    /// A tuple.
    Tuple(Vec<Value>),
    /// A list.
    List(Vec<Value>),
    /// A set.
    Set(Vec<Value>),
    /// A dict, in source order (duplicate keys kept; callers decide).
    Dict(Vec<(Value, Value)>),
}

impl Value {
    /// Python's `repr()` of the value (as far as headers need it).
    pub fn repr(&self) -> String {
        let mut s = String::new();
        self.write_repr(&mut s);
        s
    }

    fn write_repr(&self, out: &mut String) {
        match self {
            Value::Str(s) => out.push_str(&repr_str(s)),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::BigInt(s) | Value::Float(s) => out.push_str(s),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::None => out.push_str("None"),
            Value::Bytes(b) => {
                out.push('b');
                let latin: String = b.iter().map(|&c| c as char).collect();
                out.push_str(&repr_str(&latin));
            }
            Value::Tuple(items) => {
                out.push('(');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_repr(out);
                }
                if items.len() == 1 {
                    out.push(',');
                }
                out.push(')');
            }
            Value::List(items) | Value::Set(items) => {
                let (open, close) = if matches!(self, Value::List(_)) {
                    ('[', ']')
                } else {
                    ('{', '}')
                };
                out.push(open);
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.write_repr(out);
                }
                out.push(close);
            }
            Value::Dict(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_repr(out);
                    out.push_str(": ");
                    v.write_repr(out);
                }
                out.push('}');
            }
        }
    }

    /// A short name of the value's Python type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "str",
            Value::Int(_) | Value::BigInt(_) => "int",
            Value::Float(_) => "float",
            Value::Bool(_) => "bool",
            Value::None => "NoneType",
            Value::Bytes(_) => "bytes",
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Dict(_) => "dict",
        }
    }
}

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

/// Python's `repr()` of a `str`.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
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
            c => {
                let u = c as u32;
                let _ = if u < 0x100 {
                    write!(out, "\\x{u:02x}")
                } else if u < 0x10000 {
                    write!(out, "\\u{u:04x}")
                } else {
                    write!(out, "\\U{u:08x}")
                };
            }
        }
    }
    out.push(quote);
    out
}

/// Parse one Python literal from `text`. Leading and trailing white space and
/// comments are allowed; anything else after the literal is an error.
/// `py2_long` accepts Python 2 long suffixes (`3L`).
pub fn parse(text: &str, py2_long: bool) -> Result<Value> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        pos: 0,
        py2_long,
    };
    let v = p.value(0)?;
    p.skip_ws();
    if p.pos < p.s.len() {
        return Err(p.error("unexpected text after the literal"));
    }
    Ok(v)
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    py2_long: bool,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> crate::error::Error {
        // Column in characters, for messages.
        let col = self.text[..self.pos.min(self.text.len())].chars().count();
        let rest: String = self.text[self.pos.min(self.text.len())..]
            .chars()
            .take(20)
            .collect();
        if rest.is_empty() {
            crate::err!(
                BadHeader,
                "not a Python literal: {what} at character {col} (end of text)"
            )
        } else {
            crate::err!(
                BadHeader,
                "not a Python literal: {what} at character {col} (near {rest:?})"
            )
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => self.pos += 1,
                b'#' => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'\\' if matches!(self.s.get(self.pos + 1), Some(b'\n')) => self.pos += 2,
                b'\\' if self.s.get(self.pos + 1..self.pos + 3) == Some(b"\r\n") => self.pos += 3,
                _ => break,
            }
        }
    }

    fn expect(&mut self, c: u8) -> Result<()> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", c as char)))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.skip_ws();
        let Some(c) = self.peek() else {
            return Err(self.error("expected a value"));
        };
        match c {
            b'{' => self.dict_or_set(depth),
            b'(' => {
                self.pos += 1;
                let (items, trailing_comma) = self.seq(b')', depth)?;
                if items.len() == 1 && !trailing_comma {
                    // A parenthesised expression, not a tuple.
                    Ok(items.into_iter().next().unwrap_or(Value::None))
                } else {
                    Ok(Value::Tuple(items))
                }
            }
            b'[' => {
                self.pos += 1;
                Ok(Value::List(self.seq(b']', depth)?.0))
            }
            b'-' | b'+' => {
                self.pos += 1;
                self.skip_ws();
                let v = self.value(depth + 1)?;
                match (c, v) {
                    (b'+', v @ (Value::Int(_) | Value::BigInt(_) | Value::Float(_))) => Ok(v),
                    (b'-', Value::Int(i)) => Ok(Value::Int(-i)),
                    (b'-', Value::BigInt(s)) => Ok(Value::BigInt(format!("-{s}"))),
                    (b'-', Value::Float(s)) => Ok(Value::Float(format!("-{s}"))),
                    _ => Err(self.error("unary sign on a non-number")),
                }
            }
            b'0'..=b'9' | b'.' => self.number(),
            b'\'' | b'"' => self.string(),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                // A name or a prefixed string.
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                    self.pos += 1;
                }
                let name = &self.text[start..self.pos];
                if matches!(self.peek(), Some(b'\'' | b'"'))
                    && name.len() <= 2
                    && name.chars().all(|c| "rRuUbB".contains(c))
                {
                    self.pos = start;
                    return self.string();
                }
                match name {
                    "True" => Ok(Value::Bool(true)),
                    "False" => Ok(Value::Bool(false)),
                    "None" => Ok(Value::None),
                    _ => {
                        self.pos = start;
                        Err(self.error(&format!("name {name:?} is not a literal")))
                    }
                }
            }
            _ => Err(self.error("unexpected character")),
        }
    }

    /// Items up to `close`; returns them and whether a trailing comma was seen.
    fn seq(&mut self, close: u8, depth: usize) -> Result<(Vec<Value>, bool)> {
        let mut items = Vec::new();
        let mut trailing = false;
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok((items, trailing));
            }
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    trailing = true;
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    return Ok((items, false));
                }
                _ => return Err(self.error(&format!("expected ',' or '{}'", close as char))),
            }
        }
    }

    fn dict_or_set(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1; // '{'
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Dict(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            // A set: reuse the sequence reader for the rest.
            let mut items = vec![first];
            match self.peek() {
                Some(b'}') => self.pos += 1,
                Some(b',') => {
                    self.pos += 1;
                    items.extend(self.seq(b'}', depth)?.0);
                }
                _ => return Err(self.error("expected ':', ',' or '}'")),
            }
            return Ok(Value::Set(items));
        }
        let mut items = Vec::new();
        let mut key = first;
        loop {
            self.expect(b':')?;
            let v = self.value(depth + 1)?;
            items.push((key, v));
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.peek() == Some(b'}') {
                        self.pos += 1;
                        return Ok(Value::Dict(items));
                    }
                    key = self.value(depth + 1)?;
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Dict(items));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn number(&mut self) -> Result<Value> {
        let start = self.pos;
        let radix = if self.peek() == Some(b'0') {
            match self.s.get(self.pos + 1).map(|c| c.to_ascii_lowercase()) {
                Some(b'x') => 16,
                Some(b'o') => 8,
                Some(b'b') => 2,
                _ => 10,
            }
        } else {
            10
        };
        let mut is_float = false;
        if radix != 10 {
            self.pos += 2;
            while matches!(self.peek(), Some(c) if c.is_ascii_hexdigit() || c == b'_') {
                self.pos += 1;
            }
        } else {
            while let Some(c) = self.peek() {
                match c {
                    b'0'..=b'9' | b'_' => self.pos += 1,
                    b'.' => {
                        is_float = true;
                        self.pos += 1;
                    }
                    b'e' | b'E' => {
                        is_float = true;
                        self.pos += 1;
                        if matches!(self.peek(), Some(b'+' | b'-')) {
                            self.pos += 1;
                        }
                    }
                    _ => break,
                }
            }
            if matches!(self.peek(), Some(b'j' | b'J')) {
                is_float = true;
                self.pos += 1;
            }
        }
        let lit = &self.text[start..self.pos];
        // A name character glued to a number is a syntax error, except a
        // Python 2 long suffix where it is allowed.
        if self.peek() == Some(b'L') && self.py2_long && !is_float {
            self.pos += 1;
        }
        if matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
            return Err(self.error("invalid number literal"));
        }
        if is_float {
            return Ok(Value::Float(lit.to_string()));
        }
        let digits_part = if radix == 10 { lit } else { &lit[2..] };
        if digits_part.is_empty()
            || digits_part.starts_with('_')
            || digits_part.ends_with('_')
            || digits_part.contains("__")
        {
            return Err(self.error("invalid integer literal"));
        }
        let digits: String = digits_part.chars().filter(|&c| c != '_').collect();
        if radix == 10
            && digits.len() > 1
            && digits.starts_with('0')
            && digits.bytes().any(|c| c != b'0')
        {
            return Err(self.error("leading zeros in a decimal integer literal"));
        }
        match i128::from_str_radix(&digits, radix) {
            Ok(i) => Ok(Value::Int(i)),
            Err(e) if matches!(e.kind(), std::num::IntErrorKind::PosOverflow) => {
                Ok(Value::BigInt(lit.to_string()))
            }
            Err(_) => Err(self.error("invalid integer literal")),
        }
    }

    /// One or more adjacent string literals (concatenated, as Python does).
    fn string(&mut self) -> Result<Value> {
        let mut text = String::new();
        let mut bytes: Option<Vec<u8>> = None;
        let mut first = true;
        loop {
            self.skip_ws();
            let start = self.pos;
            let mut raw = false;
            let mut is_bytes = false;
            while let Some(c) = self.peek() {
                match c {
                    b'r' | b'R' => raw = true,
                    b'b' | b'B' => is_bytes = true,
                    b'u' | b'U' => {}
                    _ => break,
                }
                self.pos += 1;
            }
            let Some(q) = self.peek().filter(|c| *c == b'\'' || *c == b'"') else {
                if first {
                    return Err(self.error("expected a string"));
                }
                self.pos = start;
                break;
            };
            if !first && is_bytes != bytes.is_some() {
                return Err(self.error("cannot mix bytes and str literals"));
            }
            let triple = self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..]);
            self.pos += if triple { 3 } else { 1 };
            let s = self.string_body(q, triple, raw)?;
            if is_bytes {
                if s.chars().any(|c| c as u32 > 0xff) {
                    return Err(self.error("non-Latin-1 character in a bytes literal"));
                }
                bytes
                    .get_or_insert_with(Vec::new)
                    .extend(s.chars().map(|c| c as u32 as u8));
            } else {
                text.push_str(&s);
            }
            first = false;
        }
        Ok(match bytes {
            Some(b) => Value::Bytes(b),
            None => Value::Str(text),
        })
    }

    fn string_body(&mut self, q: u8, triple: bool, raw: bool) -> Result<String> {
        let mut out = String::new();
        loop {
            let Some(c) = self.peek() else {
                return Err(self.error("unterminated string"));
            };
            if c == q {
                if !triple {
                    self.pos += 1;
                    return Ok(out);
                }
                if self.s.get(self.pos..self.pos + 3) == Some(&[q, q, q][..]) {
                    self.pos += 3;
                    return Ok(out);
                }
            }
            if c == b'\n' && !triple {
                return Err(self.error("end of line inside a string"));
            }
            if c == b'\\' {
                if raw {
                    // A raw string keeps the backslash and the next character.
                    out.push('\\');
                    self.pos += 1;
                    if let Some(ch) = self.text[self.pos..].chars().next() {
                        out.push(ch);
                        self.pos += ch.len_utf8();
                    }
                    continue;
                }
                self.pos += 1;
                let Some(e) = self.peek() else {
                    return Err(self.error("unterminated string"));
                };
                self.pos += 1;
                match e {
                    b'\n' => {}
                    b'\\' => out.push('\\'),
                    b'\'' => out.push('\''),
                    b'"' => out.push('"'),
                    b'a' => out.push('\x07'),
                    b'b' => out.push('\x08'),
                    b'f' => out.push('\x0c'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'v' => out.push('\x0b'),
                    b'0'..=b'7' => {
                        let mut v = (e - b'0') as u32;
                        for _ in 0..2 {
                            match self.peek() {
                                Some(d @ b'0'..=b'7') => {
                                    v = v * 8 + (d - b'0') as u32;
                                    self.pos += 1;
                                }
                                _ => break,
                            }
                        }
                        out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                    }
                    b'x' | b'u' | b'U' => {
                        let n = match e {
                            b'x' => 2,
                            b'u' => 4,
                            _ => 8,
                        };
                        let hex = self
                            .text
                            .get(self.pos..self.pos + n)
                            .filter(|h| h.bytes().all(|c| c.is_ascii_hexdigit()))
                            .ok_or_else(|| self.error("truncated \\x, \\u or \\U escape"))?;
                        let v = u32::from_str_radix(hex, 16).unwrap_or(u32::MAX);
                        let ch = char::from_u32(v)
                            .ok_or_else(|| self.error("escape is not a valid code point"))?;
                        out.push(ch);
                        self.pos += n;
                    }
                    _ => {
                        // Unknown escapes keep their backslash, as in Python.
                        out.push('\\');
                        self.pos -= 1;
                        let ch = self.text[self.pos..].chars().next().unwrap_or('\\');
                        out.push(ch);
                        self.pos += ch.len_utf8();
                    }
                }
                continue;
            }
            let ch = self.text[self.pos..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            self.pos += ch.len_utf8();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Value {
        parse(s, false).unwrap()
    }

    #[test]
    fn numpy_header() {
        let v = p("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }    \n");
        assert_eq!(
            v,
            Value::Dict(vec![
                (Value::Str("descr".into()), Value::Str("<f8".into())),
                (Value::Str("fortran_order".into()), Value::Bool(false)),
                (
                    Value::Str("shape".into()),
                    Value::Tuple(vec![Value::Int(3), Value::Int(4)])
                ),
            ])
        );
    }

    #[test]
    fn grammar_variants() {
        assert_eq!(p("(3,)"), Value::Tuple(vec![Value::Int(3)]));
        assert_eq!(p("(3)"), Value::Int(3));
        assert_eq!(p("()"), Value::Tuple(vec![]));
        assert_eq!(p("\"a\" 'b'"), Value::Str("ab".into()));
        assert_eq!(p("0x10"), Value::Int(16));
        assert_eq!(p("1_000"), Value::Int(1000));
        assert_eq!(p("-3"), Value::Int(-3));
        assert_eq!(p("{1: 2, # comment\n 3: 4}").type_name(), "dict");
        assert_eq!(p("{1, 2}").type_name(), "set");
        assert_eq!(p("'\\xe9\\u6e29'"), Value::Str("é温".into()));
        assert_eq!(p("3.0").type_name(), "float");
        assert_eq!(
            p("340282366920938463463374607431768211456"),
            Value::BigInt("340282366920938463463374607431768211456".into())
        );
        assert!(parse("(2L, 3L)", false).is_err());
        assert_eq!(
            parse("(2L, 3L)", true).unwrap(),
            Value::Tuple(vec![Value::Int(2), Value::Int(3)])
        );
    }

    #[test]
    fn rejects_non_literals() {
        for bad in [
            "2*3", "f(1)", "false", "{'a': 1", "'abc", "(1, 2) x", "0123", "[1,,2]", "",
        ] {
            assert!(parse(bad, false).is_err(), "{bad:?} should fail");
        }
        let deep = "(".repeat(MAX_DEPTH + 5);
        assert!(parse(&deep, false).is_err());
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(repr_str("abc"), "'abc'");
        assert_eq!(repr_str("a'b"), "\"a'b\"");
        assert_eq!(repr_str("a'\"b"), "'a\\'\"b'");
        assert_eq!(repr_str("é温"), "'é温'");
        assert_eq!(repr_str("\u{a0}\x7f\n"), "'\\xa0\\x7f\\n'");
        assert_eq!(Value::Tuple(vec![Value::Int(3)]).repr(), "(3,)".to_string());
        assert_eq!(Value::Tuple(vec![]).repr(), "()");
    }
}
