//! Arrays printed exactly as NumPy's `repr(a)` prints them (nesting,
//! line wrapping, summarising, the element formats and the `dtype=` suffix)
//! for every dtype a .npy can hold; the tests compare with NumPy's output.
//!
//! The array is read by rows along axis 0 and never held whole: one pass
//! collects what the formatters need (NumPy's `fillFormat`), a second pass
//! prints. Summarised output (more elements than `threshold`) reads only the
//! edge rows.

mod element;
pub mod float;
mod format;
mod layout;
pub mod time;

use crate::dtypes;
use element::element_type;
use format::{format_elem, Stats};
use layout::{char_len, extend_line, slice_indices, visit, BlockPrinter, Emitter, RowReader};
use npyio::{NpyFile, READ_C_ORDER, READ_NATIVE};
use std::io::Write;

/// `np.set_printoptions(floatmode=...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatMode {
    /// Always `precision` digits.
    Fixed,
    /// Shortest round-trip digits, `precision` ignored.
    Unique,
    /// At most `precision` digits (NumPy's default).
    Maxprec,
    /// At most `precision` digits, the same number for every element.
    MaxprecEqual,
}

/// NumPy's print options (`np.get_printoptions()`), with its defaults.
#[derive(Clone, Debug)]
pub struct PrintOptions {
    /// `precision` (8).
    pub precision: i32,
    /// `floatmode` ('maxprec').
    pub floatmode: FloatMode,
    /// `suppress` (False).
    pub suppress: bool,
    /// `sign`: '-', '+' or ' ' ('-').
    pub sign: char,
    /// `linewidth` (75).
    pub linewidth: usize,
    /// `threshold` (1000): more elements than this are summarised.
    pub threshold: u64,
    /// `edgeitems` (3).
    pub edgeitems: usize,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 8,
            floatmode: FloatMode::Maxprec,
            suppress: false,
            sign: '-',
            linewidth: 75,
            threshold: 1000,
            edgeitems: 3,
        }
    }
}

/// Errors while printing: the library's, or the output's.
#[derive(Debug)]
pub enum PrintError {
    /// Reading the array failed.
    Read(npyio::Error),
    /// Writing the output failed.
    Write(std::io::Error),
    /// The dtype cannot be printed.
    Unsupported(String),
}

impl From<npyio::Error> for PrintError {
    fn from(e: npyio::Error) -> Self {
        PrintError::Read(e)
    }
}
impl From<std::io::Error> for PrintError {
    fn from(e: std::io::Error) -> Self {
        PrintError::Write(e)
    }
}

type PResult<T> = Result<T, PrintError>;

/// Which rows of the array to print.
#[derive(Clone, Copy, Debug)]
pub struct Selection {
    /// First row (Python slice start), or None.
    pub start: Option<i64>,
    /// End row (exclusive), or None.
    pub stop: Option<i64>,
    /// Step (not 0).
    pub step: i64,
}

impl Selection {
    /// Every row.
    pub const ALL: Selection = Selection {
        start: None,
        stop: None,
        step: 1,
    };
}

/// Print `repr(a[sel])` followed by a newline, exactly as NumPy does with
/// the given print options (`print(repr(a[sel]))`).
pub fn print_repr(f: &NpyFile, sel: Selection, o: &PrintOptions, w: &mut dyn Write) -> PResult<()> {
    let h = f.header();
    let dt = &h.dtype;
    let node = element_type(dt)?;
    let itemsize = dt.itemsize();
    let prefix = "array(";
    let zero_d = h.shape.is_empty();
    // The shape printed: the slice's.
    let (start, step, nrows) = if zero_d {
        (0, 1, 1)
    } else {
        slice_indices(h.shape[0], sel.start, sel.stop, sel.step)
    };
    let mut shape: Vec<u64> = h.shape.clone();
    if !zero_d {
        shape[0] = nrows;
    }
    let size: u128 = shape.iter().map(|&d| d as u128).product();
    let summary = size > o.threshold as u128;
    let mut em = Emitter { w, skip: 0, col: 0 };
    em.put(prefix)?;
    if size == 0 {
        em.put("[]")?;
    } else if zero_d {
        let mut b = vec![0u8; itemsize];
        f.read_into(&mut b, READ_NATIVE | READ_C_ORDER)?;
        let mut acc = Stats::new(&node, o);
        acc.observe(&node, &b);
        let fmt = acc.finish(&node, true);
        let mut s = String::new();
        format_elem(&node, &fmt, &b, o, &mut s);
        em.put(&s)?;
    } else {
        let mut rows = RowReader::new(f, start, step, nrows)?;
        let inner: &[u64] = &shape[1..];
        let (show, lead, trail) = {
            let n = nrows;
            let e = o.edgeitems as u64;
            if summary && 2 * e < n {
                (
                    true,
                    (0..e).collect::<Vec<u64>>(),
                    (n - e..n).collect::<Vec<u64>>(),
                )
            } else {
                (false, Vec::new(), (0..n).collect())
            }
        };
        // Pass 1: what the formatters need, over the elements NumPy looks at.
        let mut acc = Stats::new(&node, o);
        for &i in lead.iter().chain(trail.iter()) {
            let r = rows.row(i)?;
            visit(&node, &mut acc, r, inner, itemsize, summary, o.edgeitems);
        }
        let fmt = acc.finish(&node, false);
        let ctx = BlockPrinter {
            node: &node,
            fmt: &fmt,
            o,
            itemsize,
            summary,
            separator: ", ",
        };
        // Pass 2: print, streaming the top axis.
        let linewidth = o.linewidth.saturating_sub(1); // len(")")
        let hanging = " ".repeat(1 + prefix.len());
        em.skip = hanging.len();
        let next_hanging = format!("{hanging} ");
        let next_width = linewidth.saturating_sub(1);
        let last = trail.len() - 1;
        if inner.is_empty() {
            let elem_width = linewidth.saturating_sub(1);
            let mut line = hanging.clone();
            let mut s = String::new();
            for &i in &lead {
                let word = ctx.elem(rows.row(i)?);
                extend_line(&mut s, &mut line, &word, elem_width, &hanging);
                line.push_str(ctx.separator);
                em.put(&s)?;
                s.clear();
            }
            if show {
                extend_line(&mut s, &mut line, "...", elem_width, &hanging);
                line.push_str(ctx.separator);
            }
            for (k, &i) in trail.iter().enumerate() {
                let word = ctx.elem(rows.row(i)?);
                extend_line(&mut s, &mut line, &word, elem_width, &hanging);
                if k != last {
                    line.push_str(ctx.separator);
                }
                em.put(&s)?;
                s.clear();
            }
            em.put(&line)?;
        } else {
            let line_sep = format!(",{}", "\n".repeat(shape.len() - 1));
            for &i in &lead {
                let nested = ctx.rec(rows.row(i)?, inner, &next_hanging, next_width);
                em.put(&hanging)?;
                em.put(&nested)?;
                em.put(&line_sep)?;
            }
            if show {
                em.put(&hanging)?;
                em.put("...")?;
                em.put(&line_sep)?;
            }
            for (k, &i) in trail.iter().enumerate() {
                let nested = ctx.rec(rows.row(i)?, inner, &next_hanging, next_width);
                em.put(&hanging)?;
                em.put(&nested)?;
                if k != last {
                    em.put(&line_sep)?;
                }
            }
        }
        em.put("]")?;
    }
    // array_repr's extras.
    let mut extras = Vec::new();
    if (size == 0 && shape != [0]) || size > o.threshold as u128 {
        extras.push(format!("shape={}", npyio::pytext::shape_repr(&shape)));
    }
    if !dtypes::is_implied(dt) || size == 0 {
        extras.push(format!("dtype={}", dtypes::short_repr(dt)));
    }
    if extras.is_empty() {
        em.put(")\n")?;
    } else {
        em.put(",")?;
        let extra = format!("{})", extras.join(", "));
        if em.col + char_len(&extra) + 1 > o.linewidth {
            em.put(&format!("\n{}", " ".repeat(prefix.len())))?;
        } else {
            em.put(" ")?;
        }
        em.put(&extra)?;
        em.put("\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices() {
        assert_eq!(slice_indices(10, None, Some(3), 1), (0, 1, 3));
        assert_eq!(slice_indices(10, None, Some(-3), 1), (0, 1, 7));
        assert_eq!(slice_indices(10, Some(-3), None, 1), (7, 1, 3));
        assert_eq!(slice_indices(10, None, None, -1), (9, -1, 10));
        assert_eq!(slice_indices(10, None, None, 3), (0, 3, 4));
        assert_eq!(slice_indices(2, None, Some(10), 1), (0, 1, 2));
        assert_eq!(slice_indices(10, Some(8), Some(2), -2), (8, -2, 3));
    }
}
