//! The literal reader: a parser over one literal's text, read piece by
//! piece (the header dictionary, dtypes) or as a whole [`Value`].

use super::{prefix_chars, push, shorten, Value, KEEP_ITEMS, MAX_DEPTH};
use crate::err;
use crate::error::{Error, Result};

/// What a bounded parse ([`Parser::item`]) read: the value (complete, or
/// with elements dropped beyond a small budget) and where it was.
pub(crate) struct Item {
    /// The value; containers may miss elements when `complete` is false.
    pub(crate) v: Value,
    start: usize,
    end: usize,
    /// Every element was kept.
    pub(super) complete: bool,
}

/// A reader over one literal's text, for readers that consume it piece by
/// piece (the header dictionary, dtypes) as well as for [`parse`].
pub(crate) struct Parser<'a> {
    pub(super) s: &'a [u8],
    pub(super) text: &'a str,
    pub(super) pos: usize,
    pub(super) py2_long: bool,
    /// Bit `i` is set when byte `i` is a parenthesis that only groups one
    /// value, `(x)`, which Python reads as `x`: such parentheses are
    /// skipped like white space, so that `(` always starts a tuple.
    pub(super) grouping: Vec<u64>,
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

    pub(super) fn skip(&mut self, parens: bool) {
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

    /// After white space: `None` when `open` comes next (the parser stays
    /// at it); otherwise the value that stands there instead, read as by
    /// [`Parser::item`], for a message about it.
    pub(crate) fn item_unless(&mut self, open: u8) -> Result<Option<Item>> {
        self.skip_ws();
        if self.peek() == Some(open) {
            return Ok(None);
        }
        self.item().map(Some)
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
    pub(super) fn keep<T>(&mut self, items: &mut Vec<T>, v: T) -> Result<()> {
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
        self.elements(close, |p, _| {
            let v = p.value(depth + 1)?;
            p.keep(&mut items, v)
        })?;
        Ok(items)
    }

    /// The elements of a sequence closed by `close`, whose opening bracket
    /// was consumed: `each(parser, index)` reads one element, every time.
    /// Returns how many there were.
    pub(crate) fn elements(
        &mut self,
        close: u8,
        mut each: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<usize> {
        if self.eat(close) {
            return Ok(0);
        }
        let mut n = 0;
        loop {
            each(self, n)?;
            n += 1;
            if !self.next_or_close(close)? {
                return Ok(n);
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
}
