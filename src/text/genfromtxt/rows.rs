//! The data rows: each line split, its fields picked by `usecols`,
//! checked for missing values and converted into the result's row bytes
//! (and the mask's), on several threads for large inputs.

use super::convert::{Conversion, Converters};
use super::split::{with_newline, FieldSpans, LineSplitter};
use super::Delimiter;
use crate::error::{Error, Result};
use crate::text::tokenize::{check_utf8, count_lines, line_end, py_strip, show};
use crate::{bail, err};

/// A line whose number of values is not the number of columns.
#[derive(Clone, Copy, Debug)]
pub(super) struct InvalidRow {
    /// NumPy's index of the line (for `skip_footer`).
    pub(super) np_line: u64,
    /// The physical line number (for messages).
    pub(super) line: u64,
    /// The values it holds.
    pub(super) values: usize,
    /// The rows converted before it.
    pub(super) rows_before: usize,
}

/// The rows of one chunk of lines.
#[derive(Default)]
pub(super) struct ParsedChunk {
    pub(super) rows: usize,
    /// `rows` rows of the result.
    pub(super) data: Vec<u8>,
    /// With `usemask`, one byte per value: 1 where it was missing.
    pub(super) mask: Vec<u8>,
    pub(super) invalid: Vec<InvalidRow>,
    /// The first hard conversion error: the row it is in (within the
    /// chunk), and the error.
    pub(super) error: Option<(usize, Error)>,
}

/// How lines become rows.
pub(super) struct RowParser {
    pub(super) splitter: LineSplitter,
    pub(super) converters: Converters,
    pub(super) usecols: Option<Vec<i64>>,
    pub(super) ncols: usize,
    pub(super) loose: bool,
    pub(super) usemask: bool,
}

impl RowParser {
    /// Process the lines of `text` (whole lines) into a chunk of rows.
    /// `np_base`: NumPy's line index of the first line; `phys_base`: its
    /// physical line number (1-based); `limit`: max rows.
    pub(super) fn lines(
        &self,
        text: &[u8],
        np_base: u64,
        phys_base: u64,
        limit: u64,
    ) -> Result<ParsedChunk> {
        let row_size = self.converters.row_size;
        let mut p = ParsedChunk::default();
        let cap = (count_lines(text) + 1).min(limit) as usize;
        let too_big = || err!(Overflow, "the result does not fit the address space");
        p.data = crate::io::try_alloc(cap.checked_mul(row_size).ok_or_else(too_big)?)?;
        if self.usemask {
            p.mask = crate::io::try_alloc(cap.checked_mul(self.ncols).ok_or_else(too_big)?)?;
        }
        let mut fields: FieldSpans = Vec::new();
        let mut pos = 0;
        let mut idx = 0u64;
        let mut linebuf: Vec<u8> = Vec::new();
        while pos < text.len() && (p.rows as u64) < limit {
            let (end, next) = line_end(text, pos).unwrap_or((text.len(), text.len()));
            let np_line = np_base + idx;
            let phys = phys_base + idx;
            // Python's line: the content plus "\n" when it had a terminator.
            let line: &[u8] = if next > end {
                if matches!(self.splitter.delimiter, Delimiter::Widths(_)) {
                    with_newline(&mut linebuf, &text[pos..end], phys)?;
                    &linebuf
                } else {
                    &text[pos..end]
                }
            } else {
                &text[pos..end]
            };
            self.splitter.split(line, &mut fields, phys)?;
            pos = next;
            idx += 1;
            if fields.is_empty() {
                continue;
            }
            let nb = fields.len();
            let pick = |i: usize| -> Option<(usize, usize)> {
                match &self.usecols {
                    Some(u) => {
                        let c = u[i];
                        let r = if c < 0 { c + nb as i64 } else { c };
                        if r < 0 || r >= nb as i64 {
                            None
                        } else {
                            let f = fields[r as usize];
                            Some((f.0 as usize, f.1 as usize))
                        }
                    }
                    None => Some((fields[i].0 as usize, fields[i].1 as usize)),
                }
            };
            if self.usecols.is_none() && nb != self.ncols
                || (0..self.ncols).any(|i| pick(i).is_none())
            {
                p.invalid.push(InvalidRow {
                    np_line,
                    line: phys,
                    values: nb,
                    rows_before: p.rows,
                });
                continue;
            }
            let r = p.rows;
            let row = &mut p.data[r * row_size..(r + 1) * row_size];
            for i in 0..self.converters.columns {
                let Some((oc, c)) = self.converters.get(i) else {
                    bail!(State, "line {phys}: no converter for column {}", i + 1);
                };
                let (a, b) = pick(i).unwrap_or((0, 0));
                let v = &line[a..b];
                let missing = c.is_missing(py_strip(v));
                if self.usemask {
                    p.mask[r * self.ncols + i] = missing as u8;
                }
                let dst = &mut row[oc.offset..oc.offset + oc.conv.size()];
                let use_fill = match c.convert(oc, v, dst) {
                    Ok(Conversion::Value) => false,
                    Ok(Conversion::Invalid) => {
                        if !self.loose && !missing {
                            if p.error.is_none() {
                                p.error = Some((
                                    r,
                                    err!(
                                        Parse,
                                        "line {phys}, column {}: cannot convert {} to {}",
                                        i + 1,
                                        show(v),
                                        oc.conv.name()
                                    ),
                                ));
                            }
                            false
                        } else {
                            true
                        }
                    }
                    Err(m) => {
                        if p.error.is_none() {
                            p.error = Some((r, err!(Parse, "line {phys}, column {}: {m}", i + 1)));
                        }
                        false
                    }
                };
                if use_fill {
                    match &c.fill {
                        Ok(f) => dst.copy_from_slice(f),
                        Err(e) => {
                            if p.error.is_none() {
                                p.error = Some((
                                    r,
                                    err!(Parse, "line {phys}, column {}: {}", i + 1, e.message()),
                                ));
                            }
                        }
                    }
                }
            }
            p.rows += 1;
        }
        p.data.truncate(p.rows * row_size);
        p.mask.truncate(p.rows * self.ncols);
        Ok(p)
    }

    /// The rows of `body`, whose first line is NumPy's line `np_base` and
    /// physical line `phys_base`: at most `limit`, on up to `threads`
    /// threads (large inputs without a row limit are split at line ends).
    pub(super) fn body(
        &self,
        body: &[u8],
        np_base: u64,
        phys_base: u64,
        limit: u64,
        threads: usize,
    ) -> Result<Vec<ParsedChunk>> {
        if threads <= 1 || body.len() < (1 << 20) || limit != u64::MAX {
            check_utf8(body, phys_base)?;
            return Ok(vec![self.lines(body, np_base, phys_base, limit)?]);
        }
        let mut bounds = vec![0usize];
        for i in 1..threads {
            let target = body.len() * i / threads;
            let prev = *bounds.last().unwrap_or(&0);
            let b = match memchr::memchr(b'\n', &body[target.max(prev)..]) {
                Some(k) => target.max(prev) + k + 1,
                None => body.len(),
            };
            bounds.push(b);
        }
        bounds.push(body.len());
        let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect();
        let counts: Vec<u64> = chunks.iter().map(|c| count_lines(c)).collect();
        let mut starts = Vec::new();
        let mut acc = 0u64;
        for &c in &counts {
            starts.push(acc);
            acc += c;
        }
        let res: Vec<Result<ParsedChunk>> = std::thread::scope(|s| {
            let hs: Vec<_> = chunks
                .iter()
                .zip(&starts)
                .map(|(c, &st)| {
                    s.spawn(move || {
                        check_utf8(c, phys_base + st)?;
                        self.lines(c, np_base + st, phys_base + st, u64::MAX)
                    })
                })
                .collect();
            hs.into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(err!(Panic, "genfromtxt worker panicked")))
                })
                .collect()
        });
        res.into_iter().collect()
    }
}
