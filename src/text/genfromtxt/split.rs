//! NumPy's `LineSplitter`: a line into fields (a delimiter string, runs
//! of whitespace, or fixed widths), after its comment is cut.

use super::{Delimiter, GenfromtxtOptions};
use crate::error::Result;
use crate::text::tokenize::{py_strip, space_len};
use crate::{bail, err};

/// Python's `str.strip(chars)` for ASCII `chars`.
fn strip_chars<'a>(s: &'a [u8], chars: &[u8]) -> &'a [u8] {
    let a = s.iter().position(|c| !chars.contains(c)).unwrap_or(s.len());
    let z = s
        .iter()
        .rposition(|c| !chars.contains(c))
        .map_or(a, |i| i + 1);
    &s[a..z.max(a)]
}

/// NumPy's `LineSplitter`. Fields are byte ranges of the line passed in
/// (which, as Python's file iteration gives it, ends with `\n` unless it
/// is the last line).
pub(super) struct LineSplitter {
    comments: Option<Vec<u8>>,
    pub(super) delimiter: Delimiter,
    autostrip: bool,
}

/// Field ranges of one line, relative to its start.
pub(super) type FieldSpans = Vec<(u32, u32)>;

impl LineSplitter {
    /// The splitter of these options.
    pub(super) fn new(opts: &GenfromtxtOptions) -> LineSplitter {
        LineSplitter {
            comments: opts.comments.as_ref().map(|c| c.as_bytes().to_vec()),
            delimiter: opts.delimiter.clone(),
            autostrip: opts.autostrip,
        }
    }

    /// An upper bound of the fields `split` can find in `line`.
    fn max_fields(&self, line: &[u8]) -> usize {
        match &self.delimiter {
            Delimiter::Whitespace => line.len() / 2 + 1,
            Delimiter::Str(d) if d.len() == 1 => {
                memchr::memchr_iter(d.as_bytes()[0], line).count() + 1
            }
            Delimiter::Str(d) => memchr::memmem::find_iter(line, d.as_bytes()).count() + 1,
            Delimiter::Width(w) => line.len() / (*w).max(1) + 1,
            Delimiter::Widths(ws) => ws.len(),
        }
    }

    /// Split `line` into `out`. The field list is sized before it is
    /// filled, fallibly; a line longer than 4 GiB is refused.
    pub(super) fn split(&self, line: &[u8], out: &mut FieldSpans, line_no: u64) -> Result<()> {
        out.clear();
        if line.len() > u32::MAX as usize {
            bail!(
                Limit,
                "line {line_no}: a line longer than {} bytes cannot be split into fields",
                u32::MAX
            );
        }
        let bound = self.max_fields(line);
        if out.capacity() < bound {
            out.try_reserve_exact(bound).map_err(|_| {
                err!(
                    Alloc,
                    "line {line_no}: cannot allocate memory for {bound} fields"
                )
            })?;
        }
        let mut push = |a: usize, b: usize| out.push((a as u32, b as u32));
        let mut line = line;
        if let Some(c) = &self.comments {
            let k = if c.len() == 1 {
                memchr::memchr(c[0], line)
            } else {
                memchr::memmem::find(line, c)
            };
            if let Some(k) = k {
                line = &line[..k];
            }
        }
        match &self.delimiter {
            Delimiter::Whitespace | Delimiter::Str(_) => {
                let t = strip_chars(line, b" \r\n");
                if t.is_empty() {
                    return Ok(());
                }
                let base = t.as_ptr() as usize - line.as_ptr() as usize;
                match &self.delimiter {
                    Delimiter::Str(d) => {
                        let d = d.as_bytes();
                        let mut st = 0;
                        if d.len() == 1 {
                            for k in memchr::memchr_iter(d[0], t) {
                                push(base + st, base + k);
                                st = k + 1;
                            }
                        } else {
                            for k in memchr::memmem::find_iter(t, d) {
                                if k < st {
                                    continue;
                                }
                                push(base + st, base + k);
                                st = k + d.len();
                            }
                        }
                        push(base + st, base + t.len());
                    }
                    _ => {
                        // str.split(): runs of whitespace, none at the ends.
                        let mut i = 0;
                        let n = t.len();
                        loop {
                            while i < n && space_len(t, i) > 0 {
                                i += space_len(t, i);
                            }
                            if i >= n {
                                break;
                            }
                            let st = i;
                            while i < n && space_len(t, i) == 0 {
                                i += 1;
                            }
                            push(base + st, base + i);
                        }
                    }
                }
            }
            Delimiter::Width(w) => {
                let t = strip_chars(line, b"\r\n");
                if t.is_empty() {
                    return Ok(());
                }
                let base = t.as_ptr() as usize - line.as_ptr() as usize;
                let w = *w;
                // Every w characters (a character: a byte that does not
                // continue a UTF-8 sequence).
                let mut start = 0usize;
                let mut chars = 0usize;
                for (i, &c) in t.iter().enumerate() {
                    if (c & 0xc0) != 0x80 {
                        if chars == w {
                            push(base + start, base + i);
                            start = i;
                            chars = 0;
                        }
                        chars += 1;
                    }
                }
                push(base + start, base + t.len());
            }
            Delimiter::Widths(ws) => {
                if line.is_empty() {
                    return Ok(());
                }
                // Byte offset of character `c` (clamped to the end).
                let mut bounds = line
                    .iter()
                    .enumerate()
                    .filter(|(_, &c)| (c & 0xc0) != 0x80)
                    .map(|(i, _)| i)
                    .chain(std::iter::once(line.len()));
                let mut at_char = 0usize;
                let mut at_byte = bounds.next().unwrap_or(line.len());
                let mut c = 0usize;
                for w in ws {
                    let a = advance(&mut bounds, &mut at_char, &mut at_byte, c);
                    let b = advance(
                        &mut bounds,
                        &mut at_char,
                        &mut at_byte,
                        c.saturating_add(*w),
                    );
                    push(a, b);
                    c = c.saturating_add(*w);
                }
            }
        }
        if self.autostrip {
            for f in out.iter_mut() {
                let s = py_strip(&line[f.0 as usize..f.1 as usize]);
                let a = s.as_ptr() as usize - line.as_ptr() as usize;
                *f = (a as u32, (a + s.len()) as u32);
            }
        }
        Ok(())
    }
}

/// Move the character cursor (`at_char`, at byte `at_byte`, the next
/// boundaries in `bounds`) forward to character `target` (or the end) and
/// return its byte offset. Targets never decrease.
fn advance(
    bounds: &mut impl Iterator<Item = usize>,
    at_char: &mut usize,
    at_byte: &mut usize,
    target: usize,
) -> usize {
    while *at_char < target {
        match bounds.next() {
            Some(b) => {
                *at_char += 1;
                *at_byte = b;
            }
            None => break,
        }
    }
    *at_byte
}

/// `line` followed by "\n", in `buf` (fallibly).
pub(super) fn with_newline(buf: &mut Vec<u8>, line: &[u8], line_no: u64) -> Result<()> {
    buf.clear();
    buf.try_reserve(line.len() + 1).map_err(|_| {
        err!(
            Alloc,
            "line {line_no}: cannot allocate {} bytes for the line",
            line.len() + 1
        )
    })?;
    buf.extend_from_slice(line);
    buf.push(b'\n');
    Ok(())
}
