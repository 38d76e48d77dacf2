//! The scan before parsing: how deep brackets nest, and which parentheses
//! only group a value.

use super::{alloc_error, push, Parser, MAX_DEPTH};
use crate::error::Result;

impl Parser<'_> {
    /// One pass over the text, before parsing: the nesting depth of every
    /// bracket (at most [`MAX_DEPTH`]), and which parentheses only group.
    /// The scan tokenizes strings and comments as the parser does, and
    /// stops early only where the parser will find a syntax error.
    pub(super) fn scan_brackets(&mut self) -> Result<()> {
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

    pub(super) fn is_grouping(&self, i: usize) -> bool {
        self.grouping
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}
