//! `np.loadtxt`: a text table into an array, with NumPy's parsing rules,
//! in memory (parallel for large inputs) or streamed into a .npy file.

use super::columns::{
    flatten, ndmin_shape, put, put_bytes, put_complex, put_float, put_int, put_unicode, Conv,
    OutCol,
};
use super::convert::{np_complex, np_float, np_int, np_uint, py_float, IntErr};
use super::tokenize::{
    check_utf8, count_lines, field_err, loadtxt_cfg, show, skip_line, tokenize, Row, Step, TokCfg,
};
use crate::dtype::{DType, Layout};
use crate::error::{Error, Result};
use crate::header::header_bytes;
use crate::io::AtomicFile;
use crate::npy::NpyFile;
use crate::{bail, err};
use std::io::Read;
use std::path::Path;

/// Options of [`loadtxt`], with NumPy's defaults.
#[derive(Clone, Debug)]
pub struct LoadtxtOptions {
    /// `dtype` (default float64). Scalars give a 2-D result; a structured
    /// dtype maps columns to fields (nested records and subarray fields are
    /// flattened) and gives a 1-D result.
    pub dtype: DType,
    /// `comments`: comment markers (default `["#"]`; empty: none). Several
    /// markers, or one longer than a character, cannot be combined with a
    /// quote character.
    pub comments: Vec<String>,
    /// `delimiter`: one character, or `None` for runs of whitespace.
    pub delimiter: Option<String>,
    /// `quotechar`: one character, or `None`.
    pub quotechar: Option<String>,
    /// `skiprows`: physical lines skipped first (comment lines included).
    pub skiprows: u64,
    /// `usecols`: the columns to read (negative from the end of each row).
    pub usecols: Option<Vec<i64>>,
    /// `ndmin`: 0, 1 or 2.
    pub ndmin: u8,
    /// `max_rows`: stop after this many data rows (empty and comment-only
    /// lines do not count).
    pub max_rows: Option<u64>,
    /// Worker threads (0: one per available core).
    pub threads: usize,
}

impl Default for LoadtxtOptions {
    fn default() -> Self {
        LoadtxtOptions {
            dtype: DType::parse("<f8").unwrap_or_else(|_| unreachable!()),
            comments: vec!["#".into()],
            delimiter: None,
            quotechar: None,
            skiprows: 0,
            usecols: None,
            ndmin: 0,
            max_rows: None,
            threads: 0,
        }
    }
}

/// Inputs smaller than this are parsed on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// How rows become bytes.
pub(crate) struct Plan {
    cols: Vec<OutCol>,
    homogeneous: bool,
    itemsize: usize,
    usecols: Option<Vec<i64>>,
    /// Output columns (homogeneous: discovered from the first row).
    pub(crate) ncols: Option<usize>,
    fast_f64: bool,
}

impl Plan {
    fn new(opts: &LoadtxtOptions) -> Result<Plan> {
        let dt = &opts.dtype;
        let homogeneous = !matches!(dt.layout(), Layout::Record(_));
        if let Layout::SubArray(..) = dt.layout() {
            bail!(
                InvalidArg,
                "the text reader does not take a subarray dtype; wrap it in a structured one"
            );
        }
        let mut cols = Vec::new();
        flatten(dt, 0, &mut cols)?;
        if homogeneous && dt.itemsize() == 0 {
            bail!(
                Unsupported,
                "dtype {} has no length; give one (e.g. 'U10' or 'S10')",
                dt.descr()
            );
        }
        let ncols = match (&opts.usecols, homogeneous) {
            (Some(u), true) => Some(u.len()),
            (Some(u), false) => {
                if u.len() != cols.len() {
                    bail!(
                        InvalidArg,
                        "with a structured dtype, usecols must name one column per field: {} usecols for {} fields",
                        u.len(),
                        cols.len()
                    );
                }
                Some(u.len())
            }
            (None, true) => None,
            (None, false) => Some(cols.len()),
        };
        let fast_f64 =
            homogeneous && cols[0].conv == Conv::F64 && !cols[0].swap && opts.usecols.is_none();
        Ok(Plan {
            cols,
            homogeneous,
            itemsize: dt.itemsize(),
            usecols: opts.usecols.clone(),
            ncols,
            fast_f64,
        })
    }

    fn row_size(&self) -> usize {
        if self.homogeneous {
            self.itemsize * self.ncols.unwrap_or(1)
        } else {
            self.itemsize
        }
    }

    /// The array shape NumPy returns for `rows` rows.
    fn shape(&self, rows: u64, ndmin: u8) -> Vec<u64> {
        let base = if self.homogeneous {
            vec![rows, self.ncols.unwrap_or(1) as u64]
        } else {
            vec![rows]
        };
        ndmin_shape(&base, ndmin)
    }

    /// Convert one tokenized row into `out` (one row of the result).
    #[inline]
    fn fill(&self, text: &[u8], row: &Row, line: u64, out: &mut [u8]) -> Result<()> {
        let nf = row.len();
        let ncols = self.ncols.unwrap_or(nf);
        if self.usecols.is_none() && nf != ncols {
            bail!(
                Parse,
                "line {line}: the number of columns changed from {ncols} to {nf} (use usecols to read a subset)"
            );
        }
        if self.fast_f64 {
            for (i, slot) in out.chunks_exact_mut(8).enumerate().take(ncols) {
                let f = row.get(text, i);
                match np_float(f) {
                    Some(v) => slot.copy_from_slice(&v.to_ne_bytes()),
                    None => {
                        return Err(field_err(
                            line,
                            i + 1,
                            format_args!("cannot parse {} as float64", show(f)),
                        ))
                    }
                }
            }
            return Ok(());
        }
        for i in 0..ncols {
            let col = match &self.usecols {
                Some(u) => {
                    let c = u[i];
                    let r = if c < 0 { c + nf as i64 } else { c };
                    if r < 0 || r >= nf as i64 {
                        let shown = if c >= 0 { c + 1 } else { c };
                        bail!(
                            Parse,
                            "line {line}, column {shown}: no such column (usecols index {c}; the row has {nf} columns)"
                        );
                    }
                    r as usize
                }
                None => i,
            };
            let oc = if self.homogeneous {
                OutCol {
                    offset: i * self.itemsize,
                    ..self.cols[0]
                }
            } else {
                self.cols[i]
            };
            let f = row.get(text, col);
            let dst = &mut out[oc.offset..oc.offset + oc.conv.size()];
            convert_np(oc, f, dst).map_err(|m| field_err(line, col + 1, m))?;
        }
        Ok(())
    }
}

/// `np.loadtxt`'s conversion of one field; the error is the message tail.
#[inline]
pub(crate) fn convert_np(oc: OutCol, f: &[u8], dst: &mut [u8]) -> std::result::Result<(), String> {
    let bad = || format!("cannot parse {} as {}", show(f), oc.conv.name());
    let int_err = |e: IntErr| match e {
        IntErr::Overflow => format!("{} is out of range for {}", show(f), oc.conv.name()),
        IntErr::Invalid if np_float(f).is_some() => format!(
            "cannot parse {} as {} (a float is not accepted in an integer column)",
            show(f),
            oc.conv.name()
        ),
        IntErr::Invalid => bad(),
    };
    match oc.conv {
        Conv::F64 => put(dst, &np_float(f).ok_or_else(bad)?.to_ne_bytes(), oc.swap),
        Conv::F32 => put(
            dst,
            &(np_float(f).ok_or_else(bad)? as f32).to_ne_bytes(),
            oc.swap,
        ),
        Conv::F16 => put_float(dst, py_float(f).ok_or_else(bad)?, oc.conv, oc.swap),
        Conv::Int(_) => {
            let (lo, hi) = oc.conv.int_range();
            let v = np_int(f, lo, hi).map_err(int_err)?;
            put_int(dst, v as i128, oc.conv, oc.swap);
        }
        Conv::UInt(_) => {
            let v = np_uint(f, oc.conv.uint_max()).map_err(int_err)?;
            put_int(dst, v as i128, oc.conv, oc.swap);
        }
        Conv::Bool => {
            let v = np_int(f, i64::MIN, i64::MAX).map_err(int_err)?;
            dst[0] = (v != 0) as u8;
        }
        Conv::C64 | Conv::C128 => {
            let (re, im) = np_complex(f).ok_or_else(bad)?;
            put_complex(dst, re, im, oc.conv, oc.swap);
        }
        Conv::Bytes(_) => put_bytes(dst, f).map_err(|e| {
            format!(
                "cannot store {} as {}: {}",
                show(f),
                oc.conv.name(),
                e.message()
            )
        })?,
        Conv::Unicode(_) => put_unicode(dst, f, oc.swap),
    }
    Ok(())
}

/// Where parsed rows go.
trait Sink {
    /// A zeroed region for up to `rows` rows.
    fn region(&mut self, rows: usize) -> Result<&mut [u8]>;
    /// The first `rows` rows of the last region are final.
    fn commit(&mut self, rows: usize) -> Result<()>;
}

/// Parser state carried across blocks of text.
struct Loader {
    cfg: TokCfg,
    plan: Plan,
    threads: usize,
    /// Physical lines before the current position (1-based line of the next row - 1).
    line: u64,
    skip_left: u64,
    rows: u64,
    max_rows: u64,
    first_row: Vec<u8>,
}

/// What [`Loader::count_simple`] found.
enum FirstRow {
    /// The number of fields and where the next row starts.
    Fields(usize, usize),
    /// The row may continue past the text given.
    Incomplete,
    /// The row needs the general tokenizer (possible Unicode whitespace).
    General,
}

/// An upper bound of the rows in `text`: its lines, counting a last line
/// without a terminator.
fn max_rows_in(text: &[u8]) -> u64 {
    let open = text.last().is_some_and(|&c| c != b'\n' && c != b'\r');
    count_lines(text) + open as u64
}

/// Output of one chunk parsed on one thread.
struct ChunkOut {
    rows: usize,
    consumed: usize,
    lines: u64,
}

impl Loader {
    fn new(opts: &LoadtxtOptions) -> Result<Loader> {
        if opts.ndmin > 2 {
            bail!(InvalidArg, "illegal value of ndmin: {}", opts.ndmin);
        }
        let cfg = loadtxt_cfg(
            opts.delimiter.as_deref(),
            &opts.comments,
            opts.quotechar.as_deref(),
        )?;
        let plan = Plan::new(opts)?;
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            opts.threads
        };
        Ok(Loader {
            cfg,
            plan,
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
    fn parse_seq(
        &self,
        text: &[u8],
        start: usize,
        first_line: u64,
        is_final: bool,
        out: &mut [u8],
        limit: u64,
    ) -> Result<ChunkOut> {
        if is_final && self.plan.homogeneous && self.plan.usecols.is_none() {
            if let (Some(classes), Some(_)) = (self.cfg.simple_classes(), self.plan.ncols) {
                return self.parse_simple(text, start, first_line, out, limit, classes);
            }
        }
        self.parse_general(text, start, first_line, is_final, out, limit)
    }

    /// [`Loader::parse_seq`] through the general tokenizer.
    fn parse_general(
        &self,
        text: &[u8],
        start: usize,
        first_line: u64,
        is_final: bool,
        out: &mut [u8],
        limit: u64,
    ) -> Result<ChunkOut> {
        let rs = self.plan.row_size();
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
                        self.plan.fill(text, &row, line + 1, dst)?;
                        rows += 1;
                    }
                    pos = next;
                    line += lines;
                }
                Step::Incomplete | Step::End => break,
            }
        }
        Ok(ChunkOut {
            rows,
            consumed: pos - start,
            lines: line - first_line,
        })
    }

    /// [`Loader::parse_seq`] for the common case (no quotes, ASCII control
    /// characters, a homogeneous dtype, all columns, whole lines): fields
    /// are split and converted in one pass over each line, with NumPy's
    /// rules (an empty or comment-only line is no row; splitting on
    /// whitespace drops a trailing empty field; a row with another number
    /// of fields is an error before any of its values is). A line holding
    /// non-ASCII bytes where Unicode whitespace may split it goes through
    /// the general tokenizer.
    fn parse_simple(
        &self,
        b: &[u8],
        start: usize,
        first_line: u64,
        out: &mut [u8],
        limit: u64,
        class: &[u8; 256],
    ) -> Result<ChunkOut> {
        use super::tokenize::{C_COMMENT, C_HIGH, C_NL, C_WS};
        let ncols = self.plan.ncols.unwrap_or(0);
        let rs = self.plan.row_size();
        let cap = out.len().checked_div(rs).unwrap_or(usize::MAX);
        let ws = self.cfg.is_ws();
        let isz = self.plan.itemsize;
        let oc0 = self.plan.cols[0];
        let f64_fast = oc0.conv == Conv::F64 && !oc0.swap;
        let n = b.len();
        let mut pos = start;
        let mut line = first_line;
        let mut rows = 0usize;
        let mut row = Row::default();
        'rows: while (rows as u64) < limit && rows < cap && pos < n {
            let row_out = &mut out[rows * rs..(rows + 1) * rs];
            let mut i = pos;
            let mut nf = 0usize;
            let mut last_empty;
            // First conversion error of the row: (column, field range).
            let mut bad: Option<(usize, usize, usize)> = None;
            let end_of_row;
            loop {
                if ws {
                    while i < n && class[b[i] as usize] & C_WS != 0 {
                        i += 1;
                    }
                }
                let st = i;
                while i < n && class[b[i] as usize] == 0 {
                    i += 1;
                }
                if i < n && class[b[i] as usize] & C_HIGH != 0 {
                    // Possible Unicode whitespace: the general path for this row.
                    match tokenize(b, pos, true, &self.cfg, &mut row, line + 1)? {
                        Step::Row { next, lines } => {
                            if !row.is_empty() {
                                self.plan.fill(b, &row, line + 1, row_out)?;
                                rows += 1;
                            }
                            pos = next;
                            line += lines;
                            continue 'rows;
                        }
                        Step::Incomplete | Step::End => break 'rows,
                    }
                }
                let f = &b[st..i];
                if nf < ncols && bad.is_none() {
                    let dst = &mut row_out[nf * isz..(nf + 1) * isz];
                    let ok = if f64_fast {
                        match np_float(f) {
                            Some(v) => {
                                dst.copy_from_slice(&v.to_ne_bytes());
                                true
                            }
                            None => false,
                        }
                    } else {
                        convert_np(
                            OutCol {
                                offset: nf * isz,
                                ..oc0
                            },
                            f,
                            dst,
                        )
                        .is_ok()
                    };
                    if !ok {
                        bad = Some((nf, st, i));
                    }
                }
                nf += 1;
                last_empty = st == i;
                if i >= n {
                    end_of_row = n;
                    break;
                }
                let c = class[b[i] as usize];
                if c & C_NL != 0 {
                    end_of_row = if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
                        i + 2
                    } else {
                        i + 1
                    };
                    break;
                }
                if c & C_COMMENT != 0 {
                    end_of_row = super::tokenize::line_end(b, i).map_or(n, |(_, nx)| nx);
                    break;
                }
                i += 1; // a delimiter (or one whitespace byte)
            }
            let lines = (end_of_row > 0 && matches!(b[end_of_row - 1], b'\n' | b'\r')) as u64;
            if (nf == 1 || ws) && last_empty {
                nf -= 1;
            }
            if nf > 0 {
                if nf != ncols {
                    bail!(
                        Parse,
                        "line {}: the number of columns changed from {ncols} to {nf} (use usecols to read a subset)",
                        line + 1
                    );
                }
                if let Some((col, a, z)) = bad {
                    let oc = OutCol {
                        offset: col * isz,
                        ..oc0
                    };
                    let mut tmp = vec![0u8; oc.conv.size()];
                    let msg = convert_np(oc, &b[a..z], &mut tmp).err().unwrap_or_else(|| {
                        format!("cannot parse {} as {}", show(&b[a..z]), oc.conv.name())
                    });
                    return Err(field_err(line + 1, col + 1, msg));
                }
                rows += 1;
            }
            pos = end_of_row;
            line += lines;
        }
        Ok(ChunkOut {
            rows,
            consumed: pos - start,
            lines: line - first_line,
        })
    }

    /// The number of fields of the row at `pos` as [`Loader::parse_simple`]
    /// splits it, and where the next row starts.
    fn count_simple(&self, b: &[u8], pos: usize, is_final: bool, class: &[u8; 256]) -> FirstRow {
        use super::tokenize::{C_COMMENT, C_HIGH, C_NL, C_WS};
        let ws = self.cfg.is_ws();
        let n = b.len();
        let mut i = pos;
        let mut nf = 0usize;
        let mut last_empty;
        let end;
        loop {
            if ws {
                while i < n && class[b[i] as usize] & C_WS != 0 {
                    i += 1;
                }
            }
            let st = i;
            while i < n && class[b[i] as usize] == 0 {
                i += 1;
            }
            if i < n && class[b[i] as usize] & C_HIGH != 0 {
                return FirstRow::General;
            }
            nf += 1;
            last_empty = st == i;
            if i >= n {
                if !is_final {
                    return FirstRow::Incomplete;
                }
                end = n;
                break;
            }
            let c = class[b[i] as usize];
            if c & C_NL != 0 {
                end = if b[i] == b'\r' && i + 1 >= n && !is_final {
                    return FirstRow::Incomplete;
                } else if b[i] == b'\r' && b[i + 1..].first() == Some(&b'\n') {
                    i + 2
                } else {
                    i + 1
                };
                break;
            }
            if c & C_COMMENT != 0 {
                end = match super::tokenize::line_end(b, i) {
                    Some((e, next)) if is_final || next < n || b[e] == b'\n' || next == e + 2 => {
                        next
                    }
                    None if is_final => n,
                    _ => return FirstRow::Incomplete,
                };
                break;
            }
            i += 1;
        }
        if (nf == 1 || ws) && last_empty {
            nf -= 1;
        }
        FirstRow::Fields(nf, end)
    }

    /// `skiprows`, then (when the column count is not fixed by the dtype
    /// or usecols) the first data row, kept in `first_row`. Returns the
    /// bytes consumed and whether this phase is over.
    fn prologue(&mut self, text: &[u8], is_final: bool) -> Result<(usize, bool)> {
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
        if self.plan.ncols.is_some() || self.max_rows == 0 {
            return Ok((pos, true));
        }
        // The first row fixes the number of columns. Split by bytes (no
        // per-field storage) where the fast splitter applies.
        if let Some(classes) = self.cfg.simple_classes() {
            loop {
                if pos >= text.len() {
                    return Ok((pos, is_final));
                }
                match self.count_simple(text, pos, is_final, classes) {
                    FirstRow::Incomplete => return Ok((pos, false)),
                    FirstRow::General => break,
                    FirstRow::Fields(nf, end) => {
                        check_utf8(&text[pos..end], self.line + 1)?;
                        if nf == 0 {
                            self.line +=
                                (end > pos && matches!(text[end - 1], b'\n' | b'\r')) as u64;
                            pos = end;
                            continue;
                        }
                        self.plan.ncols = Some(nf);
                        let mut first = crate::io::try_alloc(self.plan.row_size())?;
                        let r = self.parse_simple(
                            &text[..end],
                            pos,
                            self.line,
                            &mut first,
                            1,
                            classes,
                        )?;
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
                    self.plan.ncols = Some(row.len());
                    let mut first = crate::io::try_alloc(self.plan.row_size())?;
                    self.plan.fill(text, &row, self.line + 1, &mut first)?;
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
    fn body(&mut self, text: &[u8], is_final: bool, sink: &mut dyn Sink) -> Result<usize> {
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
        let quoted = self.cfg.quote != super::tokenize::Ctl::NONE;
        if self.threads <= 1 || complete < PARALLEL_MIN || quoted || limit != u64::MAX {
            // Sequential. With quotes a row may run past `complete`, so the
            // whole text is offered and an incomplete row is left for later.
            let upto = if quoted { text.len() } else { complete };
            check_utf8(&text[..upto], self.line + 1)?;
            let cap = max_rows_in(&text[..upto]).min(limit) as usize;
            let region = sink.region(cap)?;
            let r = self.parse_seq(
                &text[..upto],
                0,
                self.line,
                is_final || !quoted,
                region,
                limit,
            )?;
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
        let rs = self.plan.row_size();
        let total: usize = caps.iter().sum();
        let mut first_lines = Vec::with_capacity(chunks.len());
        let mut acc = self.line;
        for &n in &line_counts {
            first_lines.push(acc);
            acc += n;
        }
        let region = sink.region(total)?;
        let results: Vec<Result<ChunkOut>> = {
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
                            this.parse_seq(c, 0, fl, true, out, u64::MAX)
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

/// Rows written into one vector holding the whole .npy: the header's
/// space is reserved first, rows are parsed in place after it.
struct VecSink {
    buf: Vec<u8>,
    row_size: usize,
    hdr: usize,
    used: usize,
}

impl Sink for VecSink {
    fn region(&mut self, rows: usize) -> Result<&mut [u8]> {
        let start = self.hdr + self.used;
        let need = rows
            .checked_mul(self.row_size)
            .and_then(|n| n.checked_add(start))
            .ok_or_else(|| err!(Overflow, "the result does not fit the address space"))?;
        if self.buf.len() < need {
            self.buf
                .try_reserve_exact(need - self.buf.len())
                .map_err(|_| err!(Alloc, "cannot allocate {need} bytes for the result"))?;
            self.buf.resize(need, 0);
        }
        Ok(&mut self.buf[start..need])
    }
    fn commit(&mut self, rows: usize) -> Result<()> {
        self.used += rows * self.row_size;
        Ok(())
    }
}

/// Load a text table held in memory. `name` is used in messages.
pub fn loadtxt_from_bytes(text: &[u8], name: &str, opts: &LoadtxtOptions) -> Result<NpyFile> {
    loadtxt_bytes(text, opts).map_err(|e| e.context(name))
}

fn loadtxt_bytes(text: &[u8], opts: &LoadtxtOptions) -> Result<NpyFile> {
    let mut ld = Loader::new(opts)?;
    let (pos, _) = ld.prologue(text, true)?;
    // Reserve the header of a result with ≥ 2 rows: the row count's digits
    // do not change its length (NumPy pads the shape for growth).
    let hdr = header_bytes(&opts.dtype, &ld.plan.shape(2, opts.ndmin), false)?.len();
    let rs = ld.plan.row_size();
    // Upper bound of the rows: one per line.
    let cap_rows = max_rows_in(&text[pos..]).min(ld.max_rows - ld.rows.min(ld.max_rows));
    let cap = (cap_rows as usize)
        .checked_mul(rs)
        .and_then(|n| n.checked_add(hdr + ld.first_row.len()))
        .ok_or_else(|| err!(Overflow, "the result does not fit the address space"))?;
    let mut buf = Vec::new();
    buf.try_reserve_exact(cap)
        .map_err(|_| err!(Alloc, "cannot allocate {cap} bytes for the result"))?;
    buf.resize(hdr, 0);
    buf.extend_from_slice(&std::mem::take(&mut ld.first_row));
    let mut sink = VecSink {
        used: buf.len() - hdr,
        buf,
        row_size: rs,
        hdr,
    };
    ld.body(&text[pos..], true, &mut sink)?;
    let shape = ld.plan.shape(ld.rows, opts.ndmin);
    finish_vec(&opts.dtype, &shape, &mut sink)
}

/// `np.loadtxt(path, ...)`: the result is an in-memory .npy array. A
/// regular file is mapped, not copied; large inputs are parsed on several
/// threads. Other files (a pipe, a FIFO, `/dev/stdin`) are read to their
/// end in blocks, each parsed as it arrives.
pub fn loadtxt(path: impl AsRef<Path>, opts: &LoadtxtOptions) -> Result<NpyFile> {
    super::with_text(path.as_ref(), |text, name| match text {
        super::Text::Mapped(b) => loadtxt_from_bytes(b, name, opts),
        super::Text::Stream(f) => loadtxt_stream(f, opts, 16 << 20).map_err(|e| e.context(name)),
    })
}

/// The result of a streamed loadtxt, parsed block by block into memory.
fn loadtxt_stream(input: &mut impl Read, opts: &LoadtxtOptions, block: usize) -> Result<NpyFile> {
    let mut ld = Loader::new(opts)?;
    let mut hdr = 0usize;
    let mut sink = stream_blocks(&mut ld, input, block, None, |ld| {
        hdr = header_bytes(&opts.dtype, &ld.plan.shape(2, opts.ndmin), false)?.len();
        let mut buf = Vec::new();
        let first = std::mem::take(&mut ld.first_row);
        buf.try_reserve_exact(hdr + first.len()).map_err(|_| {
            err!(
                Alloc,
                "cannot allocate {} bytes for the result",
                hdr + first.len()
            )
        })?;
        buf.resize(hdr, 0);
        buf.extend_from_slice(&first);
        Ok(VecSink {
            used: first.len(),
            buf,
            row_size: ld.plan.row_size(),
            hdr,
        })
    })?;
    let shape = ld.plan.shape(ld.rows, opts.ndmin);
    finish_vec(&opts.dtype, &shape, &mut sink)
}

/// The .npy bytes of a [`VecSink`]'s rows under the final header.
fn finish_vec(dtype: &DType, shape: &[u64], sink: &mut VecSink) -> Result<NpyFile> {
    let hdr = sink.hdr;
    let h = header_bytes(dtype, shape, false)?;
    sink.buf.truncate(hdr + sink.used);
    let buf = std::mem::take(&mut sink.buf);
    let buf = if h.len() == hdr {
        let mut buf = buf;
        buf[..hdr].copy_from_slice(&h);
        buf
    } else {
        // Only results of at most one row change the header's length.
        let mut v = h;
        v.extend_from_slice(&buf[hdr..]);
        v
    };
    NpyFile::from_bytes(buf)
}

/// Read `input` in blocks of `block` bytes and parse them: the prologue
/// (skiprows, the first row), then `start` makes the sink, then the rows
/// of each block go into it. A row longer than `max_row` bytes (if given)
/// is an error; otherwise the buffer grows, fallibly, to hold it.
fn stream_blocks<S: Sink>(
    ld: &mut Loader,
    input: &mut impl Read,
    block: usize,
    max_row: Option<usize>,
    start: impl FnOnce(&mut Loader) -> Result<S>,
) -> Result<S> {
    let mut start = Some(start);
    let mut sink: Option<S> = None;
    let mut buf: Vec<u8> = Vec::new();
    let mut eof = false;
    loop {
        if !eof {
            let old = buf.len();
            let want = block.max(old);
            buf.try_reserve(want)
                .map_err(|_| err!(Alloc, "cannot allocate {} bytes", old + want))?;
            buf.resize(old + want, 0);
            let mut got = 0;
            while got < want {
                let n = match input.read(&mut buf[old + got..]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(Error::io("read", e)),
                };
                if n == 0 {
                    eof = true;
                    break;
                }
                got += n;
            }
            buf.truncate(old + got);
        }
        if sink.is_none() {
            let (consumed, done) = ld.prologue(&buf, eof)?;
            buf.drain(..consumed);
            if !done {
                if eof {
                    bail!(Parse, "unexpected end of text");
                }
                continue;
            }
            let f = start
                .take()
                .ok_or_else(|| err!(State, "output already started"))?;
            sink = Some(f(ld)?);
        }
        let s = sink.as_mut().ok_or_else(|| err!(State, "no output"))?;
        let consumed = ld.body(&buf, eof, s)?;
        buf.drain(..consumed);
        if eof {
            break;
        }
        if let Some(m) = max_row {
            if buf.len() > m {
                bail!(
                    Limit,
                    "line {}: a row longer than {} MiB (an unterminated quote?)",
                    ld.line + 1,
                    m >> 20
                );
            }
        }
    }
    sink.ok_or_else(|| err!(State, "no output"))
}

/// Rows appended to a .npy file being streamed.
struct FileSink {
    file: AtomicFile,
    buf: Vec<u8>,
    row_size: usize,
    first_row: Vec<u8>,
}

impl Sink for FileSink {
    fn region(&mut self, rows: usize) -> Result<&mut [u8]> {
        let need = rows
            .checked_mul(self.row_size)
            .ok_or_else(|| err!(Overflow, "block too large"))?;
        self.buf.clear();
        self.buf
            .try_reserve_exact(need)
            .map_err(|_| err!(Alloc, "cannot allocate {need} bytes"))?;
        self.buf.resize(need, 0);
        Ok(&mut self.buf[..])
    }
    fn commit(&mut self, rows: usize) -> Result<()> {
        let n = rows * self.row_size;
        if self.first_row.len() < self.row_size {
            let take = (self.row_size - self.first_row.len()).min(n);
            self.first_row.extend_from_slice(&self.buf[..take]);
        }
        let data = std::mem::take(&mut self.buf);
        let r = self.file.write_all(&data[..n]);
        self.buf = data;
        r
    }
}

/// Convert a text table to a .npy file without holding the text (or the
/// array) in memory: the text is read in 16 MiB blocks, each block's rows
/// are parsed (on several threads) and appended to the output, and the
/// header's row count is filled in at the end. The result is
/// byte-identical to `np.save(npy_path, np.loadtxt(txt_path, ...))`. The
/// output goes to a temporary file renamed over `npy_path` when complete.
/// Returns the number of rows. Since the header is completed at the end,
/// `npy_path` must be a regular file (or new): anything else is
/// `InvalidArg` ([`Detail::NeedsRegularFile`](crate::error::Detail)),
/// before anything is opened.
pub fn loadtxt_to_npy(
    txt_path: impl AsRef<Path>,
    npy_path: impl AsRef<Path>,
    opts: &LoadtxtOptions,
) -> Result<u64> {
    let npy = npy_path.as_ref();
    if let Some(kind) = crate::io::special_target(npy) {
        return Err(err!(
            InvalidArg,
            "{}: is a {kind}; a streamed conversion completes the header at the end and needs a regular file",
            npy.display()
        )
        .with_detail(crate::error::Detail::NeedsRegularFile));
    }
    let name = txt_path.as_ref().display().to_string();
    to_npy(txt_path.as_ref(), npy_path.as_ref(), opts, 16 << 20).map_err(|e| e.context(name))
}

/// [`loadtxt_to_npy`] with a given block size (for tests of block
/// boundaries); the error does not name the text file.
#[doc(hidden)]
pub fn to_npy(
    txt_path: &Path,
    npy_path: &Path,
    opts: &LoadtxtOptions,
    block: usize,
) -> Result<u64> {
    use std::io::{Seek, SeekFrom, Write};
    let mut ld = Loader::new(opts)?;
    let mut input = std::fs::File::open(txt_path).map_err(|e| Error::io("open", e))?;
    let out_name = npy_path.display().to_string();
    let werr = |e| Error::io(format!("{out_name}: write"), e);
    let out = AtomicFile::create(npy_path, false)?;
    let mut header_len = 0usize;
    let sink = stream_blocks(&mut ld, &mut input, block, Some(256 << 20), |ld| {
        let hdr = header_bytes(&opts.dtype, &ld.plan.shape(2, opts.ndmin), false)?;
        header_len = hdr.len();
        let mut f = out;
        f.write_all(&hdr)?;
        let mut s = FileSink {
            file: f,
            buf: Vec::new(),
            row_size: ld.plan.row_size(),
            first_row: Vec::new(),
        };
        if !ld.first_row.is_empty() {
            let first = std::mem::take(&mut ld.first_row);
            s.region(1)?.copy_from_slice(&first);
            s.commit(1)?;
        }
        Ok(s)
    })?;
    let mut s = sink;
    let shape = ld.plan.shape(ld.rows, opts.ndmin);
    let hdr = header_bytes(&opts.dtype, &shape, false)?;
    if hdr.len() == header_len {
        std::os::unix::fs::FileExt::write_all_at(s.file.file(), &hdr, 0).map_err(werr)?;
    } else {
        // Only results of at most one row change the header's length.
        let first = std::mem::take(&mut s.first_row);
        let f = s.file.file();
        f.set_len(0).map_err(werr)?;
        f.seek(SeekFrom::Start(0)).map_err(werr)?;
        f.write_all(&hdr).map_err(werr)?;
        f.write_all(&first).map_err(werr)?;
    }
    s.file.commit()?;
    Ok(ld.rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-pass splitter and the general tokenizer agree on random
    /// text: same rows and bytes, or the same error.
    #[test]
    fn simple_path_matches_general_tokenizer() {
        let alphabet: [&str; 16] = [
            "1", "25", ".", "-", "e", "3e-2", ",", " ", "\t", "#", "\n", "\r", "x", "\u{a0}",
            "nan", "\r\n",
        ];
        let mut x: u64 = 0x1234_5678_9abc_def1;
        let (mut both_ok, mut both_err) = (0, 0);
        for case in 0..20_000 {
            let mut t = String::new();
            for _ in 0..(case % 40) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push_str(alphabet[(x % 16) as usize]);
            }
            for delim in [None, Some(",".to_string())] {
                for dt in ["<f8", ">i4"] {
                    let o = LoadtxtOptions {
                        delimiter: delim.clone(),
                        dtype: DType::parse(dt).unwrap(),
                        ..Default::default()
                    };
                    let b = t.as_bytes();
                    let mut ld = Loader::new(&o).unwrap();
                    // The first-row counter agrees with the tokenizer.
                    if let Some(classes) = ld.cfg.simple_classes() {
                        if let FirstRow::Fields(nf, end) = ld.count_simple(b, 0, true, classes) {
                            let mut row = Row::default();
                            match tokenize(b, 0, true, &ld.cfg, &mut row, 1) {
                                Ok(Step::Row { next, .. }) => {
                                    assert_eq!((nf, end), (row.len(), next), "{t:?}")
                                }
                                Ok(Step::End) => assert!(b.is_empty()),
                                other => panic!("{t:?}: {other:?}"),
                            }
                        }
                    }
                    let Ok((pos, _)) = ld.prologue(b, true) else {
                        continue;
                    };
                    if ld.plan.ncols.is_none() {
                        continue;
                    }
                    let rs = ld.plan.row_size();
                    let mut a = vec![0u8; rs * 64];
                    let mut g = vec![0u8; rs * 64];
                    let ra = ld.parse_seq(b, pos, ld.line, true, &mut a, u64::MAX);
                    let rg = ld.parse_general(b, pos, ld.line, true, &mut g, u64::MAX);
                    match (ra, rg) {
                        (Ok(p), Ok(q)) => {
                            assert_eq!(
                                (p.rows, p.consumed, p.lines),
                                (q.rows, q.consumed, q.lines),
                                "{t:?}"
                            );
                            assert_eq!(a[..p.rows * rs], g[..q.rows * rs], "{t:?}");
                            both_ok += 1;
                        }
                        (Err(e), Err(f)) => {
                            assert_eq!(e.message(), f.message(), "{t:?}");
                            both_err += 1;
                        }
                        (p, q) => panic!("{t:?} ({delim:?}, {dt}): {:?} vs {:?}", p.err(), q.err()),
                    }
                }
            }
        }
        assert!(both_ok > 1000 && both_err > 1000, "{both_ok} {both_err}");
    }
}
