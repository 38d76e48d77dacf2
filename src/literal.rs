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
use std::fmt::Write as _;

/// Python's `repr()` of a `str`; kept here for callers that still name
/// this path (its home is [`crate::pytext`]).
pub use crate::pytext::repr_str;

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

/// The character a Python name escape (`\N{...}`) stands for, as Python
/// decodes it: names and aliases of the Unicode character database
/// (case-insensitive, spelled exactly), and the algorithmic names of Hangul
/// syllables and CJK unified ideographs (upper case, as Python requires).
/// Named sequences are not characters and are refused, as Python does.
///
/// The table is Unicode 17 (`unicode_names2`); Python's own is the one of
/// its version (14.0 for Python 3.11), so names added since are accepted
/// here and refused by older Pythons.
pub fn char_from_name(name: &str) -> Option<char> {
    let b = name.as_bytes();
    // Python's names are upper-case letters, digits, single spaces and
    // hyphens, and start and end with a letter or digit. (Checking this
    // first also keeps names the crate mishandles away from it: one that
    // starts with a hyphen overflows an index in its loose matching.)
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
        return unicode_names2::character(&up);
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
        return unicode_names2::character(&up);
    }
    let c = unicode_names2::character(&up)?;
    // The crate matches loosely (spaces, hyphens and underscores ignored);
    // Python compares the upper-cased name exactly. A different spelling of
    // the character's own name is refused; anything else it found is one of
    // the character's aliases (`LF`, `BOM`, `NULL`, ...).
    match unicode_names2::name(c).map(|n| n.to_string()) {
        Some(n) if n == up => Some(c),
        Some(n) => {
            let loose =
                |s: &str| -> String { s.chars().filter(|&c| c != ' ' && c != '-').collect() };
            (loose(&n) != loose(&up)).then_some(c)
        }
        None => Some(c),
    }
}

/// What a bounded parse ([`Parser::item`]) read: the value (complete, or
/// with elements dropped beyond a small budget) and where it was.
pub(crate) struct Item {
    /// The value; containers may miss elements when `complete` is false.
    pub(crate) v: Value,
    start: usize,
    end: usize,
    complete: bool,
}

/// A reader over one literal's text, for readers that consume it piece by
/// piece (the header dictionary, dtypes) as well as for [`parse`].
pub(crate) struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    pos: usize,
    py2_long: bool,
    /// Bit `i` is set when byte `i` is a parenthesis that only groups one
    /// value, `(x)`, which Python reads as `x`: such parentheses are
    /// skipped like white space, so that `(` always starts a tuple.
    grouping: Vec<u64>,
    /// Container elements that may still be kept (bounded parses).
    keep: usize,
    /// Whether an element was dropped since `keep` was last set.
    dropped: bool,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`. Scans the text once: refuses NUL
    /// characters (Python does) and nesting deeper than [`MAX_DEPTH`], and
    /// finds the grouping parentheses.
    pub(crate) fn new(text: &'a str, py2_long: bool) -> Result<Parser<'a>> {
        let mut p = Parser {
            s: text.as_bytes(),
            text,
            pos: 0,
            py2_long,
            grouping: Vec::new(),
            keep: usize::MAX,
            dropped: false,
        };
        if let Some(i) = memchr::memchr(0, p.s) {
            p.pos = i;
            return Err(p.error("NUL character"));
        }
        p.scan_brackets()?;
        Ok(p)
    }

    /// A syntax error at the current position.
    pub(crate) fn error(&self, what: &str) -> Error {
        // Column in characters, for messages.
        let at = self.pos.min(self.text.len());
        let at = (0..=at)
            .rev()
            .find(|&i| self.text.is_char_boundary(i))
            .unwrap_or(0);
        let col = self.text[..at].chars().count();
        let rest = prefix_chars(&self.text[at..], 20);
        if rest.is_empty() {
            err!(
                BadHeader,
                "not a Python literal: {what} at character {col} (end of text)"
            )
        } else {
            err!(
                BadHeader,
                "not a Python literal: {what} at character {col} (near {rest:?})"
            )
        }
    }

    /// One pass over the text, before parsing: the nesting depth of every
    /// bracket (at most [`MAX_DEPTH`]), and which parentheses only group.
    /// The scan tokenizes strings and comments as the parser does, and
    /// stops early only where the parser will find a syntax error.
    fn scan_brackets(&mut self) -> Result<()> {
        struct Open {
            at: usize,
            close: u8,
            comma: bool,
            filled: bool,
        }
        let s = self.s;
        let n = s.len();
        let mut stack: Vec<Open> = Vec::new();
        // Only white space and comments from `i` to the end?
        let blank_from = |mut i: usize| {
            while i < n {
                match s[i] {
                    b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => i += 1,
                    b'#' => {
                        while i < n && s[i] != b'\n' && s[i] != b'\r' {
                            i += 1;
                        }
                    }
                    _ => return false,
                }
            }
            true
        };
        // Whether a token has been seen: outside brackets, a line end after
        // one ends the literal (Python's line structure).
        let mut seen = false;
        let mut i = 0;
        while i < n {
            let c = s[i];
            if !matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'#' | b'\\') {
                seen = true;
            }
            match c {
                b' ' | b'\t' | b'\x0c' => i += 1,
                b'\n' | b'\r' => {
                    if seen && stack.is_empty() {
                        if blank_from(i) {
                            return Ok(());
                        }
                        self.pos = i;
                        return Err(self.error("a line end outside brackets ends the literal"));
                    }
                    i += 1;
                }
                b'\\' => {
                    // A line continuation, which must not end the text.
                    let next = match (s.get(i + 1), s.get(i + 2)) {
                        (Some(b'\r'), Some(b'\n')) => i + 3,
                        (Some(b'\n' | b'\r'), _) => i + 2,
                        _ => i + 1,
                    };
                    if next > i + 1 && blank_from(next) {
                        self.pos = i;
                        return Err(self.error("a line continuation at the end of the text"));
                    }
                    i = next;
                }
                b'#' => {
                    while i < n && s[i] != b'\n' && s[i] != b'\r' {
                        i += 1;
                    }
                }
                b'\'' | b'"' => {
                    if let Some(top) = stack.last_mut() {
                        top.filled = true;
                    }
                    let triple = s.get(i..i + 3) == Some(&[c, c, c][..]);
                    i += if triple { 3 } else { 1 };
                    loop {
                        let Some(&d) = s.get(i) else {
                            return Ok(()); // unterminated: the parser says so
                        };
                        if d == b'\\' {
                            i += 2;
                        } else if d == c && (!triple || s.get(i..i + 3) == Some(&[c, c, c][..])) {
                            i += if triple { 3 } else { 1 };
                            break;
                        } else if !triple && (d == b'\n' || d == b'\r') {
                            return Ok(());
                        } else {
                            i += 1;
                        }
                    }
                }
                b'(' | b'[' | b'{' => {
                    if let Some(top) = stack.last_mut() {
                        top.filled = true;
                    }
                    if stack.len() == MAX_DEPTH {
                        self.pos = i;
                        return Err(
                            self.error(&format!("brackets nested deeper than {MAX_DEPTH} levels"))
                        );
                    }
                    let close = match c {
                        b'(' => b')',
                        b'[' => b']',
                        _ => b'}',
                    };
                    let open = Open {
                        at: i,
                        close,
                        comma: false,
                        filled: false,
                    };
                    push(&mut stack, open, "the header")?;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    let Some(open) = stack.pop() else {
                        return Ok(());
                    };
                    if open.close != c {
                        return Ok(());
                    }
                    if c == b')' && open.filled && !open.comma {
                        if self.grouping.is_empty() {
                            let words = n / 64 + 1;
                            self.grouping
                                .try_reserve_exact(words)
                                .map_err(|_| alloc_error("the header"))?;
                            self.grouping.resize(words, 0);
                        }
                        self.grouping[open.at / 64] |= 1 << (open.at % 64);
                        self.grouping[i / 64] |= 1 << (i % 64);
                    }
                    i += 1;
                }
                b',' => {
                    if let Some(top) = stack.last_mut() {
                        top.comma = true;
                    }
                    i += 1;
                }
                _ => {
                    if let Some(top) = stack.last_mut() {
                        top.filled = true;
                    }
                    i += 1;
                }
            }
        }
        Ok(())
    }

    fn is_grouping(&self, i: usize) -> bool {
        self.grouping
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// The next byte, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Step over the byte just peeked.
    pub(crate) fn bump(&mut self) {
        self.pos += 1;
    }

    /// The byte offset of the parser in the text.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Go back to an offset returned by [`Parser::pos`] (to read a value
    /// again, e.g. for a message).
    pub(crate) fn rewind(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// Skip white space, comments, line continuations and grouping parentheses.
    pub(crate) fn skip_ws(&mut self) {
        self.skip(true);
    }

    fn skip(&mut self, parens: bool) {
        while let Some(c) = self.peek() {
            match c {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => self.pos += 1,
                b'#' => {
                    while !matches!(self.peek(), None | Some(b'\n' | b'\r')) {
                        self.pos += 1;
                    }
                }
                b'\\' => match self.s.get(self.pos + 1) {
                    Some(b'\n') => self.pos += 2,
                    Some(b'\r') if self.s.get(self.pos + 2) == Some(&b'\n') => self.pos += 3,
                    Some(b'\r') => self.pos += 2,
                    _ => break,
                },
                b'(' | b')' if parens && self.is_grouping(self.pos) => self.pos += 1,
                _ => break,
            }
        }
    }

    /// After white space: consume `c` if it comes next.
    pub(crate) fn eat(&mut self, c: u8) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// After white space: consume `c`, or fail.
    pub(crate) fn expect(&mut self, c: u8) -> Result<()> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(&format!("expected '{}'", c as char)))
        }
    }

    /// After one element of a sequence closed by `close`: consume a comma
    /// (returning true while elements may follow) or the closing bracket
    /// (returning false), or fail.
    pub(crate) fn next_or_close(&mut self, close: u8) -> Result<bool> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(!self.eat(close))
            }
            Some(c) if c == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(self.error(&format!("expected ',' or '{}'", close as char))),
        }
    }

    /// Only white space and comments may follow the literal.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.skip_ws();
        if self.pos < self.s.len() {
            return Err(self.error("unexpected text after the literal"));
        }
        Ok(())
    }

    /// Read one value keeping at most a few dozen elements of its
    /// containers (the rest is parsed and dropped): for values that are
    /// small when valid (names, flags, dimensions) and only need quoting
    /// when not.
    pub(crate) fn item(&mut self) -> Result<Item> {
        self.bounded(KEEP_ITEMS)
    }

    /// Read one value and drop it, checking its syntax only.
    pub(crate) fn skip_value(&mut self) -> Result<()> {
        self.bounded(0).map(drop)
    }

    fn bounded(&mut self, keep: usize) -> Result<Item> {
        self.skip_ws();
        let start = self.pos;
        let saved = (self.keep, self.dropped);
        self.keep = keep;
        self.dropped = false;
        let r = self.value(0);
        let complete = !self.dropped;
        (self.keep, self.dropped) = saved;
        Ok(Item {
            v: r?,
            start,
            end: self.pos,
            complete,
        })
    }

    /// How an item is quoted in a message: its repr when it was read whole,
    /// else its text; at most about a hundred characters either way.
    pub(crate) fn shown(&self, it: &Item) -> String {
        if it.complete {
            it.v.repr_short()
        } else {
            shorten(&self.text[it.start..it.end])
        }
    }

    /// The value starting at `start`, read again as an [`Item`] and quoted
    /// (for messages about a value read piece by piece). The parser ends up
    /// after the value.
    pub(crate) fn shown_from(&mut self, start: usize) -> Result<String> {
        self.pos = start;
        let it = self.item()?;
        Ok(self.shown(&it))
    }

    /// Keep an element of a container, unless the budget is spent.
    fn keep<T>(&mut self, items: &mut Vec<T>, v: T) -> Result<()> {
        if self.keep == 0 {
            self.dropped = true;
            return Ok(());
        }
        self.keep -= 1;
        push(items, v, "a literal")
    }

    /// Read one whole value.
    pub(crate) fn value(&mut self, depth: usize) -> Result<Value> {
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
                // Grouping parentheses were skipped: this is a tuple.
                self.pos += 1;
                Ok(Value::Tuple(self.seq(b')', depth)?))
            }
            b'[' => {
                self.pos += 1;
                Ok(Value::List(self.seq(b']', depth)?))
            }
            b'-' | b'+' => {
                self.pos += 1;
                self.skip_ws();
                // Python's literal_eval takes one sign on a number, no more.
                if !matches!(self.peek(), Some(b'0'..=b'9' | b'.')) {
                    return Err(self.error("unary sign on a non-number"));
                }
                match (c, self.number()?) {
                    (b'-', Value::Int(i)) => Ok(Value::Int(-i)),
                    (b'-', Value::BigInt(s)) => Ok(Value::BigInt(format!("-{s}"))),
                    (b'-', Value::Float(s)) => Ok(Value::Float(format!("-{s}"))),
                    (_, v) => Ok(v),
                }
            }
            b'0'..=b'9' | b'.' => self.number(),
            b'\'' | b'"' => self.string(),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                // A name, or a string prefix.
                let start = self.pos;
                while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == b'_') {
                    self.pos += 1;
                }
                if matches!(self.peek(), Some(b'\'' | b'"')) {
                    self.pos = start;
                    return self.string();
                }
                match &self.text[start..self.pos] {
                    "True" => Ok(Value::Bool(true)),
                    "False" => Ok(Value::Bool(false)),
                    "None" => Ok(Value::None),
                    name => {
                        let what = format!("name {:?} is not a literal", prefix_chars(name, 40));
                        self.pos = start;
                        Err(self.error(&what))
                    }
                }
            }
            _ => Err(self.error("unexpected character")),
        }
    }

    /// Elements up to `close` (the opening bracket is consumed).
    fn seq(&mut self, close: u8, depth: usize) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            let v = self.value(depth + 1)?;
            self.keep(&mut items, v)?;
            if !self.next_or_close(close)? {
                return Ok(items);
            }
        }
    }

    fn dict_or_set(&mut self, depth: usize) -> Result<Value> {
        self.pos += 1; // '{'
        if self.eat(b'}') {
            return Ok(Value::Dict(Vec::new()));
        }
        let first = self.value(depth + 1)?;
        if !self.eat(b':') {
            // A set: the rest is a sequence.
            let mut items = Vec::new();
            self.keep(&mut items, first)?;
            if self.next_or_close(b'}')? {
                loop {
                    let v = self.value(depth + 1)?;
                    self.keep(&mut items, v)?;
                    if !self.next_or_close(b'}')? {
                        break;
                    }
                }
            }
            return Ok(Value::Set(items));
        }
        let mut items = Vec::new();
        let mut key = first;
        loop {
            let v = self.value(depth + 1)?;
            self.keep(&mut items, (key, v))?;
            if !self.next_or_close(b'}')? {
                return Ok(Value::Dict(items));
            }
            key = self.value(depth + 1)?;
            self.expect(b':')?;
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
            if !lit.bytes().any(|c| c.is_ascii_digit()) {
                return Err(self.error("invalid number literal"));
            }
            return Ok(Value::Float(lit.to_string()));
        }
        let digits_part = if radix == 10 { lit } else { &lit[2..] };
        // Python allows one underscore between digits, and after a base prefix.
        let body = if radix == 10 {
            digits_part
        } else {
            digits_part.strip_prefix('_').unwrap_or(digits_part)
        };
        if body.is_empty() || body.starts_with('_') || body.ends_with('_') || body.contains("__") {
            return Err(self.error("invalid integer literal"));
        }
        if radix == 10
            && body.len() > 1
            && body.starts_with('0')
            && body.bytes().any(|c| !matches!(c, b'0' | b'_'))
        {
            return Err(self.error("leading zeros in a decimal integer literal"));
        }
        let parsed = if body.contains('_') {
            let digits: String = body.chars().filter(|&c| c != '_').collect();
            i128::from_str_radix(&digits, radix)
        } else {
            i128::from_str_radix(body, radix)
        };
        match parsed {
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
        assert_eq!(repr_str("abc"), "'abc'");
        assert_eq!(repr_str("a'b"), "\"a'b\"");
        assert_eq!(repr_str("a'\"b"), "'a\\'\"b'");
        assert_eq!(repr_str("é温"), "'é温'");
        assert_eq!(repr_str("\u{a0}\x7f\n"), "'\\xa0\\x7f\\n'");
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
