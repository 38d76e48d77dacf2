//! The array's layout as NumPy's `_formatArray` makes it: rows read a
//! window at a time, nested blocks, line wrapping, summaries, and the
//! output that tracks the current column.

use super::element::ElementType;
use super::format::{format_elem, ElementFormat, Stats};
use super::{PResult, PrintOptions};
use npyio::{NpyFile, READ_C_ORDER, READ_NATIVE};
use std::io::Write;

/// Python's `slice(start, stop, step).indices(len)` and the slice's length.
pub(super) fn slice_indices(
    len: u64,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> (i64, i64, u64) {
    let len = len as i64;
    let clamp = |v: Option<i64>, default: i64, lo: i64, hi: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => (v + len).max(lo),
            Some(v) => v.min(hi),
        }
    };
    let (s, e) = if step > 0 {
        (clamp(start, 0, 0, len), clamp(stop, len, 0, len))
    } else {
        (
            clamp(start, len - 1, -1, len - 1),
            clamp(stop, -1, -1, len - 1),
        )
    };
    let n = if step > 0 {
        if e > s {
            (e - s + step - 1) / step
        } else {
            0
        }
    } else if s > e {
        (s - e + (-step) - 1) / (-step)
    } else {
        0
    };
    (s, step, n as u64)
}

/// RowReader `start, start + step, ...` (`n` of them) of an array along axis 0,
/// read in host byte order and C order, a bounded window at a time.
pub(super) struct RowReader<'a> {
    f: &'a NpyFile,
    start: i64,
    step: i64,
    n: u64,
    row_bytes: usize,
    buf: Vec<u8>,
    first: u64,
    count: u64,
    chunk_rows: u64,
}

const WINDOW: usize = 4 << 20;

impl<'a> RowReader<'a> {
    pub(super) fn new(f: &'a NpyFile, start: i64, step: i64, n: u64) -> PResult<RowReader<'a>> {
        let row_bytes = f.rows_nbytes(1)? as usize;
        let chunk_rows = if step == 1 {
            (WINDOW / row_bytes.max(1)).max(1) as u64
        } else {
            1
        };
        Ok(RowReader {
            f,
            start,
            step,
            n,
            row_bytes,
            buf: Vec::new(),
            first: 0,
            count: 0,
            chunk_rows,
        })
    }

    pub(super) fn row(&mut self, i: u64) -> PResult<&[u8]> {
        if !(i >= self.first && i < self.first + self.count) {
            let count = self.chunk_rows.min(self.n - i);
            let orig = (self.start + i as i64 * self.step) as u64;
            let nb = self.row_bytes * count as usize;
            self.buf.resize(nb, 0);
            self.f
                .read_rows(orig, count, &mut self.buf, READ_NATIVE | READ_C_ORDER)?;
            self.first = i;
            self.count = count;
        }
        let o = (i - self.first) as usize * self.row_bytes;
        Ok(&self.buf[o..o + self.row_bytes])
    }
}

/// `_formatArray`'s recursion over a block of rows held in memory.
pub(super) struct BlockPrinter<'a> {
    pub(super) node: &'a ElementType,
    pub(super) fmt: &'a ElementFormat,
    pub(super) o: &'a PrintOptions,
    pub(super) itemsize: usize,
    pub(super) summary: bool,
    pub(super) separator: &'static str,
}

pub(super) fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `_extendLine` (words never span lines here: reprs escape line breaks).
pub(super) fn extend_line(
    s: &mut String,
    line: &mut String,
    word: &str,
    width: usize,
    prefix: &str,
) {
    let mut wrap = char_len(line) + char_len(word) > width;
    if char_len(line) <= char_len(prefix) {
        wrap = false;
    }
    if wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        line.clear();
        line.push_str(prefix);
    }
    line.push_str(word);
}

fn indices(n: usize, summary: bool, edge: usize) -> (bool, Vec<usize>, Vec<usize>) {
    if summary && 2 * edge < n {
        (true, (0..edge).collect(), (n - edge..n).collect())
    } else {
        (false, Vec::new(), (0..n).collect())
    }
}

impl BlockPrinter<'_> {
    pub(super) fn elem(&self, b: &[u8]) -> String {
        let mut s = String::new();
        format_elem(self.node, self.fmt, b, self.o, &mut s);
        s
    }

    /// `recurser` for a block in memory with `shape` (at least one axis).
    pub(super) fn rec(&self, b: &[u8], shape: &[u64], hanging: &str, width: usize) -> String {
        let n = shape[0] as usize;
        let stride = shape[1..].iter().product::<u64>() as usize * self.itemsize;
        let sub = |i: usize| &b[i * stride..(i + 1) * stride];
        let next_hanging = format!("{hanging} ");
        let next_width = width.saturating_sub(1);
        let (show, lead, trail) = indices(n, self.summary, self.o.edgeitems);
        let mut s = String::new();
        if shape.len() == 1 {
            let elem_width = width.saturating_sub(self.separator.trim_end().len().max(1));
            let mut line = hanging.to_string();
            let last = trail.len() - 1;
            for &i in &lead {
                extend_line(&mut s, &mut line, &self.elem(sub(i)), elem_width, hanging);
                line.push_str(self.separator);
            }
            if show {
                extend_line(&mut s, &mut line, "...", elem_width, hanging);
                line.push_str(self.separator);
            }
            for (k, &i) in trail.iter().enumerate() {
                extend_line(&mut s, &mut line, &self.elem(sub(i)), elem_width, hanging);
                if k != last {
                    line.push_str(self.separator);
                }
            }
            s.push_str(&line);
        } else {
            let line_sep = format!(
                "{}{}",
                self.separator.trim_end(),
                "\n".repeat(shape.len() - 1)
            );
            for &i in &lead {
                s.push_str(hanging);
                s.push_str(&self.rec(sub(i), &shape[1..], &next_hanging, next_width));
                s.push_str(&line_sep);
            }
            if show {
                s.push_str(hanging);
                s.push_str("...");
                s.push_str(&line_sep);
            }
            let last = trail.len() - 1;
            for (k, &i) in trail.iter().enumerate() {
                s.push_str(hanging);
                s.push_str(&self.rec(sub(i), &shape[1..], &next_hanging, next_width));
                if k != last {
                    s.push_str(&line_sep);
                }
            }
        }
        format!("[{}]", &s[hanging.len()..])
    }
}

/// Output that replaces the top level's leading hanging indent with `[` and
/// remembers the current column.
pub(super) struct Emitter<'w> {
    pub(super) w: &'w mut dyn Write,
    pub(super) skip: usize,
    pub(super) col: usize,
}

impl Emitter<'_> {
    pub(super) fn put(&mut self, s: &str) -> std::io::Result<()> {
        let mut s = s;
        if self.skip > 0 {
            let k = self.skip.min(s.len());
            s = &s[k..];
            self.skip -= k;
            if self.skip == 0 {
                self.w.write_all(b"[")?;
                self.col += 1;
            }
        }
        match s.rfind('\n') {
            Some(p) => self.col = char_len(&s[p + 1..]),
            None => self.col += char_len(s),
        }
        self.w.write_all(s.as_bytes())
    }
}

/// Feed the elements of one row that NumPy's formatters look at
/// (`_leading_trailing` when summarising) to `acc`.
pub(super) fn visit(
    node: &ElementType,
    acc: &mut Stats,
    b: &[u8],
    shape: &[u64],
    itemsize: usize,
    summary: bool,
    edge: usize,
) {
    if shape.is_empty() {
        acc.observe(node, b);
        return;
    }
    let n = shape[0] as usize;
    let stride = shape[1..].iter().product::<u64>() as usize * itemsize;
    let (_, lead, trail) = indices(n, summary, edge);
    for i in lead.into_iter().chain(trail) {
        visit(
            node,
            acc,
            &b[i * stride..(i + 1) * stride],
            &shape[1..],
            itemsize,
            summary,
            edge,
        );
    }
}
