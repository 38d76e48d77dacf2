//! The loader: `skiprows` and the first row (the prologue), then the rows
//! of each block of text parsed into a [`RowSink`], sequentially or on
//! several threads.

use super::layout::RowLayout;
use super::simple::RowScan;
use super::LoadtxtOptions;
use crate::error::Result;
use crate::text::tokenize::{
    check_utf8, count_lines, loadtxt_cfg, skip_line, tokenize, Row, Step, TokenizerConfig,
};
use crate::{bail, err};

/// Inputs smaller than this are parsed on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// Where parsed rows go.
pub(super) trait RowSink {
    /// A zeroed region for up to `rows` rows.
    fn region(&mut self, rows: usize) -> Result<&mut [u8]>;
    /// The first `rows` rows of the last region are final.
    fn commit(&mut self, rows: usize) -> Result<()>;
}

/// Parser state carried across blocks of text.
pub(super) struct Loader {
    pub(super) cfg: TokenizerConfig,
    pub(super) layout: RowLayout,
    threads: usize,
    /// Physical lines before the current position (1-based line of the next row - 1).
    pub(super) line: u64,
    /// `skiprows` lines still to skip.
    skip_left: u64,
    /// Rows parsed so far.
    pub(super) rows: u64,
    pub(super) max_rows: u64,
    /// The first row, parsed by the prologue when it fixes the number of
    /// columns, until the output takes it.
    pub(super) first_row: Vec<u8>,
}

/// An upper bound of the rows in `text`: its lines, counting a last line
/// without a terminator.
pub(super) fn max_rows_in(text: &[u8]) -> u64 {
    let open = text.last().is_some_and(|&c| c != b'\n' && c != b'\r');
    count_lines(text) + open as u64
}

/// Text to parse into rows: `text[start..]`, which follows `first_line`
/// physical lines; `is_final`: the input ends with `text`.
#[derive(Clone, Copy)]
pub(super) struct TextAt<'t> {
    pub(super) text: &'t [u8],
    pub(super) start: usize,
    pub(super) first_line: u64,
    pub(super) is_final: bool,
}

/// Output of one chunk parsed on one thread.
pub(super) struct ParsedRows {
    /// Rows parsed.
    pub(super) rows: usize,
    /// Bytes of text consumed.
    pub(super) consumed: usize,
    /// Physical lines consumed.
    pub(super) lines: u64,
}

impl Loader {
    /// The byte classes of the fast splitter, when it applies: a simple
    /// tokenizer configuration and no caller converters.
    fn simple_classes(&self) -> Option<&[u8; 256]> {
        if self.layout.has_converters() {
            return None;
        }
        self.cfg.simple_classes()
    }

    pub(super) fn new(opts: &LoadtxtOptions) -> Result<Loader> {
        if opts.ndmin > 2 {
            bail!(InvalidArg, "illegal value of ndmin: {}", opts.ndmin);
        }
        let cfg = loadtxt_cfg(
            opts.delimiter.as_deref(),
            &opts.comments,
            opts.quotechar.as_deref(),
        )?;
        let layout = RowLayout::new(opts)?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            opts.threads
        };
        Ok(Loader {
            cfg,
            layout,
            threads,
            line: 0,
            skip_left: opts.skiprows,
            rows: 0,
            max_rows: opts.max_rows.unwrap_or(u64::MAX),
            first_row: Vec::new(),
        })
    }

    /// Parse rows of `text[start..]` sequentially into `out`. Stops at the
    /// end of the text, at an incomplete row (when not final), when `out`
    /// is full or after `limit` rows.
    pub(super) fn parse_seq(&self, at: TextAt, out: &mut [u8], limit: u64) -> Result<ParsedRows> {
        if at.is_final
            && self.layout.homogeneous
            && self.layout.usecols.is_none()
            && !self.layout.measure
        {
            if let (Some(classes), Some(_)) = (self.simple_classes(), self.layout.ncols) {
                return self.parse_simple(at, out, limit, classes);
            }
        }
        self.parse_general(at, out, limit)
    }

    /// [`Loader::parse_seq`] through the general tokenizer.
    pub(super) fn parse_general(
        &self,
        at: TextAt,
        out: &mut [u8],
        limit: u64,
    ) -> Result<ParsedRows> {
        let TextAt {
            text,
            start,
            first_line,
            is_final,
        } = at;
        let rs = self.layout.row_size();
        let cap = out.len().checked_div(rs).unwrap_or(usize::MAX);
        let mut row = Row::default();
        let mut pos = start;
        let mut line = first_line;
        let mut rows = 0usize;
        while (rows as u64) < limit && rows < cap {
            match tokenize(text, pos, is_final, &self.cfg, &mut row, line + 1)? {
                Step::Row { next, lines } => {
                    if !row.is_empty() {
                        let dst = &mut out[rows * rs..(rows + 1) * rs];
                        self.layout.fill(text, &row, line + 1, dst)?;
                        rows += 1;
                    }
                    pos = next;
                    line += lines;
                }
                Step::Incomplete | Step::End => break,
            }
        }
        Ok(ParsedRows {
            rows,
            consumed: pos - start,
            lines: line - first_line,
        })
    }

    /// `skiprows`, then (when the column count is not fixed by the dtype
    /// or usecols) the first data row, kept in `first_row`. Returns the
    /// bytes consumed and whether this phase is over.
    pub(super) fn prologue(&mut self, text: &[u8], is_final: bool) -> Result<(usize, bool)> {
        let mut pos = 0usize;
        while self.skip_left > 0 {
            match skip_line(text, pos, is_final) {
                Step::Row { next, lines } => {
                    check_utf8(&text[pos..next], self.line + 1)?;
                    pos = next;
                    self.line += lines;
                    self.skip_left -= 1;
                }
                Step::Incomplete => return Ok((pos, false)),
                Step::End => {
                    self.skip_left = 0;
                    return Ok((pos, is_final));
                }
            }
        }
        if self.layout.ncols.is_some() || self.max_rows == 0 {
            return Ok((pos, true));
        }
        // The first row fixes the number of columns. Split by bytes (no
        // per-field storage) where the fast splitter applies.
        let plain = !self.layout.has_converters();
        if let Some(classes) = self.cfg.simple_classes().filter(|_| plain) {
            loop {
                if pos >= text.len() {
                    return Ok((pos, is_final));
                }
                match self.count_simple(text, pos, is_final, classes) {
                    RowScan::Incomplete => return Ok((pos, false)),
                    RowScan::General => break,
                    RowScan::Fields(nf, end) => {
                        check_utf8(&text[pos..end], self.line + 1)?;
                        if nf == 0 {
                            self.line +=
                                (end > pos && matches!(text[end - 1], b'\n' | b'\r')) as u64;
                            pos = end;
                            continue;
                        }
                        self.layout.ncols = Some(nf);
                        let mut first = crate::io::try_alloc(self.layout.row_size())?;
                        let at = TextAt {
                            text: &text[..end],
                            start: pos,
                            first_line: self.line,
                            is_final: true,
                        };
                        let r = self.parse_simple(at, &mut first, 1, classes)?;
                        debug_assert_eq!(r.rows, 1);
                        self.first_row = first;
                        self.rows = 1;
                        self.line += r.lines;
                        return Ok((end, true));
                    }
                }
            }
        }
        let mut row = Row::default();
        loop {
            if pos >= text.len() {
                return Ok((pos, is_final));
            }
            let step = tokenize(text, pos, is_final, &self.cfg, &mut row, self.line + 1)?;
            match step {
                Step::Row { next, lines } => {
                    check_utf8(&text[pos..next], self.line + 1)?;
                    if row.is_empty() {
                        pos = next;
                        self.line += lines;
                        continue;
                    }
                    self.layout.ncols = Some(row.len());
                    let mut first = crate::io::try_alloc(self.layout.row_size())?;
                    self.layout.fill(text, &row, self.line + 1, &mut first)?;
                    self.first_row = first;
                    self.rows = 1;
                    pos = next;
                    self.line += lines;
                    return Ok((pos, true));
                }
                Step::End => return Ok((pos, true)),
                Step::Incomplete => {
                    if is_final {
                        return Ok((pos, true));
                    }
                    return Ok((pos, false));
                }
            }
        }
    }

    /// Parse the rows of `text` (after the prologue) into `sink`. Returns
    /// the bytes consumed; with `is_final` the text ends the input.
    pub(super) fn body(
        &mut self,
        text: &[u8],
        is_final: bool,
        sink: &mut dyn RowSink,
    ) -> Result<usize> {
        if self.rows >= self.max_rows {
            return Ok(text.len());
        }
        let complete = if is_final {
            text.len()
        } else {
            // Up to the last line terminator that cannot be half of "\r\n".
            let mut k = memchr::memrchr2(b'\n', b'\r', text).map_or(0, |k| k + 1);
            if k > 0 && k == text.len() && text[k - 1] == b'\r' {
                k = memchr::memrchr2(b'\n', b'\r', &text[..k - 1]).map_or(0, |j| j + 1);
            }
            k
        };
        let limit = self.max_rows - self.rows;
        let quoted = self.cfg.quote != crate::text::tokenize::ControlChar::NONE;
        if self.threads <= 1 || complete < PARALLEL_MIN || quoted || limit != u64::MAX {
            // Sequential. With quotes a row may run past `complete`, so the
            // whole text is offered and an incomplete row is left for later.
            let upto = if quoted { text.len() } else { complete };
            check_utf8(&text[..upto], self.line + 1)?;
            let cap = max_rows_in(&text[..upto]).min(limit) as usize;
            let region = sink.region(cap)?;
            let at = TextAt {
                text: &text[..upto],
                start: 0,
                first_line: self.line,
                is_final: is_final || !quoted,
            };
            let r = self.parse_seq(at, region, limit)?;
            sink.commit(r.rows)?;
            self.rows += r.rows as u64;
            self.line += r.lines;
            return Ok(r.consumed);
        }
        // Split at line boundaries into one chunk per thread.
        let body = &text[..complete];
        let t = self.threads;
        let mut bounds = vec![0usize];
        for i in 1..t {
            let target = body.len() * i / t;
            let prev = *bounds.last().unwrap_or(&0);
            let b = if target <= prev {
                prev
            } else {
                match memchr::memchr(b'\n', &body[target..]) {
                    Some(k) => target + k + 1,
                    None => body.len(),
                }
            };
            bounds.push(b.max(prev));
        }
        bounds.push(body.len());
        let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect();
        let line_counts: Vec<u64> = std::thread::scope(|s| {
            let hs: Vec<_> = chunks
                .iter()
                .map(|c| s.spawn(move || count_lines(c)))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap_or(0)).collect()
        });
        // Rows per chunk: at most its lines (a last one without terminator too).
        let caps: Vec<usize> = line_counts
            .iter()
            .zip(&chunks)
            .map(|(&n, c)| {
                n as usize + c.last().is_some_and(|&b| b != b'\n' && b != b'\r') as usize
            })
            .collect();
        let rs = self.layout.row_size();
        let total: usize = caps.iter().sum();
        let mut first_lines = Vec::with_capacity(chunks.len());
        let mut acc = self.line;
        for &n in &line_counts {
            first_lines.push(acc);
            acc += n;
        }
        let region = sink.region(total)?;
        let results: Vec<Result<ParsedRows>> = {
            let mut slices: Vec<&mut [u8]> = Vec::new();
            let mut rem: &mut [u8] = &mut region[..];
            for &c in &caps {
                let (a, b) = rem.split_at_mut((c * rs).min(rem.len()));
                slices.push(a);
                rem = b;
            }
            let this = &*self;
            std::thread::scope(|s| {
                let hs: Vec<_> = chunks
                    .iter()
                    .zip(slices)
                    .zip(&first_lines)
                    .map(|((c, out), &fl)| {
                        s.spawn(move || {
                            check_utf8(c, fl + 1)?;
                            let at = TextAt {
                                text: c,
                                start: 0,
                                first_line: fl,
                                is_final: true,
                            };
                            this.parse_seq(at, out, u64::MAX)
                        })
                    })
                    .collect();
                hs.into_iter()
                    .map(|h| {
                        h.join()
                            .unwrap_or_else(|_| Err(err!(Panic, "loadtxt worker panicked")))
                    })
                    .collect()
            })
        };
        // The first error in text order wins.
        let mut outs = Vec::with_capacity(results.len());
        for r in results {
            outs.push(r?);
        }
        // Close the gaps left by empty and comment lines.
        let mut dst = 0usize;
        let mut src = 0usize;
        for (o, &c) in outs.iter().zip(&caps) {
            let n = o.rows * rs;
            if src != dst {
                region.copy_within(src..src + n, dst);
            }
            dst += n;
            src += c * rs;
        }
        let rows: usize = outs.iter().map(|o| o.rows).sum();
        sink.commit(rows)?;
        self.rows += rows as u64;
        self.line = acc;
        Ok(complete)
    }
}
