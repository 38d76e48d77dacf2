//! Number literals: integers in every base Python writes them, floats and
//! complex numbers (kept as written).

use super::{Parser, Value};
use crate::error::Result;

impl Parser<'_> {
    pub(super) fn number(&mut self) -> Result<Value> {
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
}
