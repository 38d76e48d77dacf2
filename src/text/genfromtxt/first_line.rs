//! The lines before the data: `skip_header`, then the first line with
//! values, which fixes the number of columns and, with `names=True`, gives
//! the names (its comment marker removed, as NumPy does).

use super::names::{field_strings, py_is_space};
use super::split::{with_newline, FieldSpans, LineSplitter};
use super::{Delimiter, GenfromtxtOptions, Names};
use crate::error::Result;
use crate::text::tokenize::{check_utf8, line_end};

/// What the lines before the data tell.
pub(super) struct FirstLine {
    /// Where the rows start: the first line with values, or the line after
    /// it when it held the names; the end of the text when there is none.
    pub(super) body_start: usize,
    /// NumPy's index of the line at `body_start` (it counts from the first
    /// line with values).
    pub(super) np_line: u64,
    /// The physical (1-based) number of the line at `body_start`.
    pub(super) line: u64,
    /// The number of values on the first line with values (0: none).
    pub(super) ncols: usize,
    /// With `names=True`, the values of that line: the names.
    pub(super) names: Vec<String>,
}

/// Skip `skip_header` lines, then find the first line with values.
pub(super) fn read(
    text: &[u8],
    opts: &GenfromtxtOptions,
    splitter: &LineSplitter,
) -> Result<FirstLine> {
    let mut pos = 0usize;
    let mut phys = 1u64;
    let mut empty = false;
    for _ in 0..opts.skip_header {
        match line_end(text, pos) {
            _ if pos >= text.len() => {
                empty = true;
                break;
            }
            Some((_, next)) => pos = next,
            None => pos = text.len(),
        }
        phys += 1;
    }
    check_utf8(&text[..pos], 1)?;
    let mut fields: FieldSpans = Vec::new();
    let mut ncols = 0usize;
    let mut names: Vec<String> = Vec::new();
    let mut first_line_start = pos;
    let mut first_phys = phys;
    let mut linebuf = Vec::new();
    let want_names = opts.names == Names::FirstLine;
    if !empty {
        let widths = matches!(opts.delimiter, Delimiter::Widths(_));
        let comment = opts.comments.as_ref().map(|c| c.as_bytes());
        loop {
            if pos >= text.len() {
                empty = true;
                break;
            }
            let (end, next) = line_end(text, pos).unwrap_or((text.len(), text.len()));
            check_utf8(&text[pos..next], phys)?;
            let raw = &text[pos..end];
            let terminated = next > end;
            let content: &[u8] = match comment {
                Some(c) if want_names && memchr::memmem::find(raw, c).is_some() => {
                    // ''.join(line.split(comments)[1:]) of the line with its "\n".
                    with_newline(&mut linebuf, raw, phys)?;
                    if !terminated {
                        linebuf.pop();
                    }
                    let k = memchr::memmem::find(&linebuf, c).unwrap_or(0);
                    let mut joined = Vec::new();
                    let mut st = k + c.len();
                    for k in memchr::memmem::find_iter(&linebuf, c) {
                        if k < st {
                            continue;
                        }
                        joined.extend_from_slice(&linebuf[st..k]);
                        st = k + c.len();
                    }
                    joined.extend_from_slice(&linebuf[st..]);
                    linebuf = joined;
                    if !widths && linebuf.last() == Some(&b'\n') {
                        linebuf.pop();
                    }
                    &linebuf
                }
                _ if widths && terminated => {
                    with_newline(&mut linebuf, raw, phys)?;
                    &linebuf
                }
                // The splitter strips "\n" itself; pass the content only.
                _ => raw,
            };
            splitter.split(content, &mut fields, phys)?;
            first_line_start = pos;
            first_phys = phys;
            pos = next;
            phys += 1;
            if !fields.is_empty() {
                ncols = fields.len();
                if want_names {
                    names = field_strings(content, &fields, first_phys)?;
                }
                break;
            }
        }
    }
    // A first name that is the comment marker itself is dropped.
    if want_names && !names.is_empty() {
        let first = names[0].trim_matches(py_is_space).to_string();
        if let Some(c) = &opts.comments {
            if c.contains(&first) {
                names.remove(0);
                ncols -= 1;
            }
        }
    }
    let (body_start, np_line, line) = if empty {
        (text.len(), 0, phys)
    } else if want_names {
        (pos, 1, first_phys + 1)
    } else {
        (first_line_start, 0, first_phys)
    };
    Ok(FirstLine {
        body_start,
        np_line,
        line,
        ncols,
        names,
    })
}
