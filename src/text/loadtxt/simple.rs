//! The one-pass splitter of `np.loadtxt`'s common case: rows split and
//! converted byte by byte, with the byte classes of the tokenizer's
//! configuration.

use super::layout::convert_np;
use super::loader::{Loader, ParsedRows, TextAt};
use crate::bail;
use crate::error::Result;
use crate::text::columns::{Conv, OutCol};
use crate::text::convert::np_float;
use crate::text::tokenize::{
    field_err, line_end, show, tokenize, Row, Step, C_COMMENT, C_HIGH, C_NL, C_WS,
};

/// What [`Loader::count_simple`] found.
pub(super) enum RowScan {
    /// The number of fields and where the next row starts.
    Fields(usize, usize),
    /// The row may continue past the text given.
    Incomplete,
    /// The row needs the general tokenizer (possible Unicode whitespace).
    General,
}

/// What ends a field scanned byte by byte.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldEnd {
    /// The end of the text.
    Text,
    /// A line break (`\n` or `\r`).
    Newline,
    /// The comment character.
    Comment,
    /// A delimiter or one whitespace byte.
    Delimiter,
    /// The lead byte of possible Unicode whitespace: a row for the
    /// general tokenizer.
    High,
}

/// The field at `i`: its range (leading whitespace skipped when splitting
/// on whitespace) and what ends it.
#[inline]
fn next_field(b: &[u8], mut i: usize, class: &[u8; 256], ws: bool) -> (usize, usize, FieldEnd) {
    let n = b.len();
    if ws {
        while i < n && class[b[i] as usize] & C_WS != 0 {
            i += 1;
        }
    }
    let st = i;
    while i < n && class[b[i] as usize] == 0 {
        i += 1;
    }
    let end = match b.get(i).map(|&c| class[c as usize]) {
        None => FieldEnd::Text,
        Some(c) if c & C_HIGH != 0 => FieldEnd::High,
        Some(c) if c & C_NL != 0 => FieldEnd::Newline,
        Some(c) if c & C_COMMENT != 0 => FieldEnd::Comment,
        Some(_) => FieldEnd::Delimiter,
    };
    (st, i, end)
}

/// The fields of a row of `nf` split ones, NumPy's way: an empty last
/// field does not count when splitting on whitespace or when it is the
/// only one (an empty line).
fn row_fields(nf: usize, last_empty: bool, ws: bool) -> usize {
    if (nf == 1 || ws) && last_empty {
        nf - 1
    } else {
        nf
    }
}

impl Loader {
    /// [`Loader::parse_seq`] for the common case (no quotes, ASCII control
    /// characters, a homogeneous dtype, all columns, whole lines): fields
    /// are split and converted in one pass over each line, with NumPy's
    /// rules (an empty or comment-only line is no row; splitting on
    /// whitespace drops a trailing empty field; a row with another number
    /// of fields is an error before any of its values is). A line holding
    /// non-ASCII bytes where Unicode whitespace may split it goes through
    /// the general tokenizer.
    pub(super) fn parse_simple(
        &self,
        at: TextAt,
        out: &mut [u8],
        limit: u64,
        class: &[u8; 256],
    ) -> Result<ParsedRows> {
        let (b, start, first_line) = (at.text, at.start, at.first_line);
        let ncols = self.layout.ncols.unwrap_or(0);
        let rs = self.layout.row_size();
        let cap = out.len().checked_div(rs).unwrap_or(usize::MAX);
        let ws = self.cfg.is_ws();
        let isz = self.layout.itemsize;
        let oc0 = self.layout.cols[0];
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
                let (st, e, ends) = next_field(b, i, class, ws);
                i = e;
                if ends == FieldEnd::High {
                    // Possible Unicode whitespace: the general path for this row.
                    match tokenize(b, pos, true, &self.cfg, &mut row, line + 1)? {
                        Step::Row { next, lines } => {
                            if !row.is_empty() {
                                self.layout.fill(b, &row, line + 1, row_out)?;
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
                end_of_row = match ends {
                    FieldEnd::Text => n,
                    FieldEnd::Newline if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') => i + 2,
                    FieldEnd::Newline => i + 1,
                    FieldEnd::Comment => line_end(b, i).map_or(n, |(_, nx)| nx),
                    FieldEnd::Delimiter | FieldEnd::High => {
                        i += 1;
                        continue;
                    }
                };
                break;
            }
            let lines = (end_of_row > 0 && matches!(b[end_of_row - 1], b'\n' | b'\r')) as u64;
            let nf = row_fields(nf, last_empty, ws);
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
        Ok(ParsedRows {
            rows,
            consumed: pos - start,
            lines: line - first_line,
        })
    }

    /// The number of fields of the row at `pos` as [`Loader::parse_simple`]
    /// splits it, and where the next row starts.
    pub(super) fn count_simple(
        &self,
        b: &[u8],
        pos: usize,
        is_final: bool,
        class: &[u8; 256],
    ) -> RowScan {
        let ws = self.cfg.is_ws();
        let n = b.len();
        let mut i = pos;
        let mut nf = 0usize;
        let mut last_empty;
        let end;
        loop {
            let (st, e, ends) = next_field(b, i, class, ws);
            i = e;
            nf += 1;
            last_empty = st == i;
            end = match ends {
                FieldEnd::High => return RowScan::General,
                FieldEnd::Text if !is_final => return RowScan::Incomplete,
                FieldEnd::Text => n,
                FieldEnd::Newline if b[i] == b'\r' && i + 1 >= n && !is_final => {
                    return RowScan::Incomplete
                }
                FieldEnd::Newline if b[i] == b'\r' && b[i + 1..].first() == Some(&b'\n') => i + 2,
                FieldEnd::Newline => i + 1,
                FieldEnd::Comment => match line_end(b, i) {
                    Some((e, next)) if is_final || next < n || b[e] == b'\n' || next == e + 2 => {
                        next
                    }
                    None if is_final => n,
                    _ => return RowScan::Incomplete,
                },
                FieldEnd::Delimiter => {
                    i += 1;
                    continue;
                }
            };
            break;
        }
        RowScan::Fields(row_fields(nf, last_empty, ws), end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::LoadtxtOptions;
    use super::*;
    use crate::dtype::DType;

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
                        if let RowScan::Fields(nf, end) = ld.count_simple(b, 0, true, classes) {
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
                    if ld.layout.ncols.is_none() {
                        continue;
                    }
                    let rs = ld.layout.row_size();
                    let mut a = vec![0u8; rs * 64];
                    let mut g = vec![0u8; rs * 64];
                    let at = TextAt {
                        text: b,
                        start: pos,
                        first_line: ld.line,
                        is_final: true,
                    };
                    let ra = ld.parse_seq(at, &mut a, u64::MAX);
                    let rg = ld.parse_general(at, &mut g, u64::MAX);
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
