//! A small reader for the Python literals that appear in .npy headers, and
//! Python's `repr()` of the values it reads (made of the text forms of
//! [`crate::pytext`]).
//!
//! NumPy parses headers with `ast.literal_eval`. This reader accepts the same
//! subset that matters for headers (dicts, tuples, lists, sets, strings and
//! bytes with every escape Python knows, integers, booleans, `None`,
//! comments, implicit string concatenation, parentheses around any value,
//! Python 2 `L` suffixes when asked to) and never evaluates anything.
//!
//! Hostile text is bounded three ways:
//! - nesting: at most [`MAX_DEPTH`] brackets deep, as Python's tokenizer
//!   (checked by one scan before parsing, so recursion is bounded too);
//! - memory: every allocation whose size comes from the text is fallible
//!   ([`Status::Alloc`](crate::error::Status::Alloc) instead of an abort),
//!   and readers that know what they expect (the header dictionary, dtypes:
//!   see [`crate::header`] and [`crate::dtype`]) use [`Parser`] directly,
//!   keeping only what they need and skipping what they will refuse, so no
//!   tree of values as large as the text is ever built for them;
//! - messages quote at most about a hundred characters of the text.

use crate::err;
use crate::error::{Error, Result};
use crate::pytext::repr_str;
use std::fmt::Write as _;

/// Deepest nesting of brackets the reader accepts (Python's tokenizer stops
/// at 200 too).
pub const MAX_DEPTH: usize = 200;

/// Longest quotation of the input in an error message, in characters.
pub(crate) const QUOTE_CHARS: usize = 100;

/// Values a bounded parse ([`Parser::item`]) keeps, counting every element
/// of every container; the rest is parsed (the syntax is checked) and dropped.
const KEEP_ITEMS: usize = 80;

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
        self.write_repr(&mut s, usize::MAX);
        s
    }

    /// [`Value::repr`] cut to about a hundred characters (ending in `...`
    /// when cut), for messages.
    pub fn repr_short(&self) -> String {
        let mut s = String::new();
        self.write_repr(&mut s, 4 * QUOTE_CHARS);
        shorten(&s)
    }

    /// Write the repr; stops early (leaving a longer-than-`limit` prefix)
    /// once `out` holds more than `limit` bytes.
    fn write_repr(&self, out: &mut String, limit: usize) {
        if out.len() > limit {
            return;
        }
        let items = |out: &mut String, items: &[Value], open: char, close: char| {
            out.push(open);
            for (i, v) in items.iter().enumerate() {
                if out.len() > limit {
                    return;
                }
                if i > 0 {
                    out.push_str(", ");
                }
                v.write_repr(out, limit);
            }
            if open == '(' && items.len() == 1 {
                out.push(',');
            }
            out.push(close);
        };
        match self {
            Value::Str(s) => out.push_str(&repr_str(prefix_chars(s, limit))),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::BigInt(s) | Value::Float(s) => out.push_str(prefix_chars(s, limit)),
            Value::Bool(true) => out.push_str("True"),
            Value::Bool(false) => out.push_str("False"),
            Value::None => out.push_str("None"),
            Value::Bytes(b) => out.push_str(&crate::pytext::bytes_repr(&b[..b.len().min(limit)])),
            Value::Tuple(v) => items(out, v, '(', ')'),
            Value::List(v) => items(out, v, '[', ']'),
            Value::Set(v) => items(out, v, '{', '}'),
            Value::Dict(kv) => {
                out.push('{');
                for (i, (k, v)) in kv.iter().enumerate() {
                    if out.len() > limit {
                        return;
                    }
                    if i > 0 {
                        out.push_str(", ");
                    }
                    k.write_repr(out, limit);
                    out.push_str(": ");
                    v.write_repr(out, limit);
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

/// The first `n` characters of `s` at most (a cheap bound for messages).
pub(crate) fn prefix_chars(s: &str, n: usize) -> &str {
    match s.char_indices().nth(n) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Python's repr of `s` for a message: at most about a hundred characters.
pub(crate) fn repr_str_short(s: &str) -> String {
    shorten(&repr_str(prefix_chars(s, QUOTE_CHARS + 1)))
}

/// `s` cut to [`QUOTE_CHARS`] characters, with `...` when cut.
pub(crate) fn shorten(s: &str) -> String {
    let p = prefix_chars(s, QUOTE_CHARS);
    if p.len() < s.len() {
        format!("{p}...")
    } else {
        p.to_string()
    }
}

/// The error for an allocation of memory whose size comes from the input.
pub(crate) fn alloc_error(what: &str) -> Error {
    err!(Alloc, "out of memory while reading {what}")
}

/// Push onto a vector, reporting allocation failure instead of aborting.
/// Grows by an eighth (geometric, so pushes stay amortised O(1); large
/// blocks are moved by remapping, not copying), which keeps the unused
/// tail of large vectors, and of the many one-element ones, small.
pub(crate) fn push<T>(v: &mut Vec<T>, x: T, what: &str) -> Result<()> {
    if v.len() == v.capacity() {
        let more = (v.len() / 8).max(1);
        v.try_reserve_exact(more).map_err(|_| alloc_error(what))?;
    }
    v.push(x);
    Ok(())
}

/// Append to a string, reporting allocation failure instead of aborting.
fn push_str(s: &mut String, x: &str) -> Result<()> {
    s.try_reserve(x.len())
        .map_err(|_| alloc_error("a string"))?;
    s.push_str(x);
    Ok(())
}

/// Parse one Python literal from `text`. Leading and trailing white space and
/// comments are allowed; anything else after the literal is an error.
/// `py2_long` accepts Python 2 long suffixes (`3L`).
///
/// This builds the whole value: its memory is up to about 18 times the
/// length of the text (a 32-byte value per two characters, `0,`, plus
/// growth room), and allocation failure is
/// [`Status::Alloc`](crate::error::Status::Alloc). The header and dtype
/// readers do not use it: they read piece by piece.
pub fn parse(text: &str, py2_long: bool) -> Result<Value> {
    let mut p = Parser::new(text, py2_long)?;
    let v = p.value(0)?;
    p.finish()?;
    Ok(v)
}

mod aliases;
mod names;
mod number;
mod parser;
mod scan;
mod string;

pub(crate) use parser::{Item, Parser};
pub use string::char_from_name;

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
        assert_eq!(p("((((3))))"), Value::Int(3));
        assert_eq!(p("((3,))"), Value::Tuple(vec![Value::Int(3)]));
        assert_eq!(p("[(1), ((2, 3))]").repr(), "[1, (2, 3)]");
        assert_eq!(p("()"), Value::Tuple(vec![]));
        assert_eq!(p("( # empty\n)"), Value::Tuple(vec![]));
        assert_eq!(p("\"a\" 'b'"), Value::Str("ab".into()));
        assert_eq!(p("('a' 'b')"), Value::Str("ab".into()));
        assert_eq!(p("0x10"), Value::Int(16));
        assert_eq!(p("0x_f"), Value::Int(15));
        assert_eq!(p("0_0"), Value::Int(0));
        assert_eq!(p("1_000"), Value::Int(1000));
        assert_eq!(p("-3"), Value::Int(-3));
        assert_eq!(p("-(3)"), Value::Int(-3));
        assert_eq!(p("{1: 2, # comment\n 3: 4}").type_name(), "dict");
        assert_eq!(p("[1, # comment\r 2]").repr(), "[1, 2]");
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
            "2*3",
            "f(1)",
            "false",
            "{'a': 1",
            "'abc",
            "(1, 2) x",
            "0123",
            "[1,,2]",
            "",
            "--1",
            "'a' ('b')",
            "('a') 'b'",
            "(1)(2)",
            "1__0",
            "(,)",
            "ur'x'",
            "f'x'",
            "'a\x00'",
            "b'\u{e9}'",
            "'a\rb'",
        ] {
            assert!(parse(bad, false).is_err(), "{bad:?} should fail");
        }
        let deep = "(".repeat(MAX_DEPTH + 5);
        assert!(parse(&deep, false).is_err());
        let ok = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        assert_eq!(p(&ok), Value::Int(1));
        let too = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let e = parse(&too, false).unwrap_err();
        assert!(e.message().contains("nested deeper than 200"), "{e}");
    }

    #[test]
    fn escapes() {
        let s = |t: &str| match p(t) {
            Value::Str(s) => s,
            other => panic!("{other:?}"),
        };
        let b = |t: &str| match p(t) {
            Value::Bytes(b) => b,
            other => panic!("{other:?}"),
        };
        assert_eq!(s(r"'\N{LATIN SMALL LETTER E WITH ACUTE}'"), "é");
        assert_eq!(s(r"'\N{latin small letter e with acute}'"), "é");
        assert_eq!(s(r"'\N{LF}\N{BOM}'"), "\n\u{feff}");
        assert_eq!(
            s(r"'\N{HANGUL SYLLABLE GA}\N{CJK UNIFIED IDEOGRAPH-4E00}'"),
            "가一"
        );
        // Aliases with spaces, the two spellings U+116C and U+1180 differ
        // by, a leading zero in a CJK code point, a compatibility
        // ideograph's listed name (each as Python 3.11 reads it).
        assert_eq!(
            s(r"'\N{BYTE ORDER MARK}\N{new line}\N{LINE FEED}\N{latin capital letter gha}'"),
            "\u{feff}\n\n\u{1a2}"
        );
        assert_eq!(
            s(r"'\N{HANGUL JUNGSEONG O-E}\N{HANGUL JUNGSEONG OE}'"),
            "\u{1180}\u{116c}"
        );
        assert_eq!(
            s(r"'\N{CJK UNIFIED IDEOGRAPH-04E00}\N{CJK COMPATIBILITY IDEOGRAPH-F900}'"),
            "\u{4e00}\u{f900}"
        );
        for bad in [
            r"'\N{NOPE}'",
            r"'\N{-LATIN SMALL LETTER A}'",
            r"'\N{LATIN SMALL LETTER A-}'",
            r"'\N{}'",
            r"'\N'",
            r"'\N{LATIN SMALL LETTER A'",
            r"'\N{LATIN  SMALL LETTER A}'",
            r"'\N{latin_small_letter_a}'",
            r"'\N{hangul syllable ga}'",
            r"'\N{CJK UNIFIED IDEOGRAPH-4e00}'",
            r"'\N{KEYCAP NUMBER SIGN}'",
            r"'\N{LINE FEED (LF)}'",
            r"'\N{HANGUL JUNGSEONG O E}'",
            r"'\N{CJK UNIFIED IDEOGRAPH-4DC0}'",
            r"'\N{TANGUT IDEOGRAPH-17000}'",
        ] {
            assert!(parse(bad, false).is_err(), "{bad}");
        }
        assert_eq!(s(r"'\777\400\0123'"), "\u{1ff}\u{100}\n3");
        assert_eq!(b(r"b'\777\400\xe9'"), [0xff, 0, 0xe9]);
        assert_eq!(b(r"b'\u00e9\N{X}'"), b"\\u00e9\\N{X}");
        assert_eq!(s("'a\\\r\nb' 'c\\\rd'"), "abcd");
        assert_eq!(s("'''a\r\nb\rc'''"), "a\nb\nc");
        assert_eq!(s(r"'\q\8'"), "\\q\\8");
        assert_eq!(s(r"r'\x\''"), "\\x\\'");
        assert_eq!(b(r"rb'\x'"), b"\\x");
        for bad in [
            r"'\x4'",
            r"'\xzz'",
            r"'\u12'",
            r"'\U00110000'",
            r"'\ud800'",
            r"r'\'",
        ] {
            assert!(parse(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn bounded_items() {
        let text = format!("[{}] 7", "1, ".repeat(1000));
        let mut q = Parser::new(&text, false).unwrap();
        let it = q.item().unwrap();
        assert!(!it.complete);
        assert!(matches!(&it.v, Value::List(v) if v.len() == KEEP_ITEMS));
        let shown = q.shown(&it);
        assert!(
            shown.starts_with("[1, 1, ") && shown.ends_with("..."),
            "{shown}"
        );
        assert!(shown.chars().count() <= QUOTE_CHARS + 3);
        q.skip_value().unwrap();
        q.finish().unwrap();
    }

    #[test]
    fn repr_matches_python() {
        assert_eq!(Value::Tuple(vec![Value::Int(3)]).repr(), "(3,)".to_string());
        assert_eq!(Value::Tuple(vec![]).repr(), "()");
        let long = Value::List(vec![Value::Int(12345); 1000]);
        let r = long.repr_short();
        assert!(
            r.ends_with("...") && r.chars().count() == QUOTE_CHARS + 3,
            "{r}"
        );
    }
}
