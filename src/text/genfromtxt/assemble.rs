//! From the parsed chunks to the result: which rows are kept (invalid
//! rows, `skip_footer`, hard conversion errors), then the data and the
//! mask as arrays.

use super::convert::value_eq;
use super::dtype::mask_dtype;
use super::rows::{InvalidRow, ParsedChunk, RowParser};
use super::{Genfromtxt, GenfromtxtOptions};
use crate::dtype::{DType, Layout};
use crate::err;
use crate::error::{Error, Result};
use crate::text::columns::ndmin_shape;
use crate::text::result::{in_memory, npy_header};

/// How many of the converted rows the result keeps: all but the
/// `skip_footer` last (less the invalid rows among those), once the
/// invalid rows (with `invalid_raise`) and the hard conversion errors in
/// the kept rows have been reported.
pub(super) fn kept_rows(
    opts: &GenfromtxtOptions,
    chunks: &[ParsedChunk],
    ncols: usize,
) -> Result<usize> {
    let total_rows: usize = chunks.iter().map(|p| p.rows).sum();
    let mut invalid: Vec<InvalidRow> = Vec::new();
    let mut before = 0usize;
    for p in chunks {
        invalid.extend(p.invalid.iter().map(|x| InvalidRow {
            rows_before: before + x.rows_before,
            ..*x
        }));
        before += p.rows;
    }
    let mut skip_footer = opts.skip_footer as usize;
    if !invalid.is_empty() {
        let nbrows = total_rows as i64 + invalid.len() as i64 - skip_footer as i64;
        if skip_footer > 0 {
            let skipped = invalid
                .iter()
                .filter(|x| x.np_line as i64 + 1 > nbrows)
                .count();
            invalid.truncate(invalid.len() - skipped);
            skip_footer -= skipped.min(skip_footer);
        }
        if !invalid.is_empty() && opts.invalid_raise {
            let mut msg = format!(
                "{} rows have the wrong number of columns (expected {ncols}):",
                invalid.len()
            );
            for x in invalid.iter().take(20) {
                msg.push_str(&format!(" line {} has {};", x.line, x.values));
            }
            if invalid.len() > 20 {
                msg.push_str(" ...");
            }
            msg.pop();
            return Err(err!(Parse, "{msg}"));
        }
    }
    let rows = total_rows.saturating_sub(skip_footer);
    let mut before = 0usize;
    for p in chunks {
        if let Some((r, e)) = &p.error {
            if before + r < rows {
                return Err(e.clone());
            }
        }
        before += p.rows;
    }
    Ok(rows)
}

/// The first `len` bytes of the chunks' `part`s, after `head`, in one
/// vector allocated fallibly (`fail`: the error when it cannot be).
fn concat(
    head: Vec<u8>,
    chunks: &[ParsedChunk],
    part: impl Fn(&ParsedChunk) -> &[u8],
    len: usize,
    fail: impl FnOnce() -> Error,
) -> Result<Vec<u8>> {
    let mut out = head;
    out.try_reserve_exact(len).map_err(|_| fail())?;
    let mut left = len;
    for p in chunks {
        let b = part(p);
        let n = b.len().min(left);
        out.extend_from_slice(&b[..n]);
        left -= n;
    }
    Ok(out)
}

/// The result of `rows` rows of `dtype`: the data and, with `usemask`,
/// the mask.
pub(super) fn result(
    opts: &GenfromtxtOptions,
    dtype: &DType,
    parser: &RowParser,
    chunks: &[ParsedChunk],
    rows: usize,
) -> Result<Genfromtxt> {
    let structured = matches!(dtype.layout(), Layout::Record(_));
    // np.array(rows, dtype): an empty list gives shape (0,).
    let shape_base = if structured || rows == 0 {
        vec![rows as u64]
    } else {
        vec![rows as u64, parser.ncols as u64]
    };
    let shape = ndmin_shape(&shape_base, opts.ndmin);
    let row_size = parser.converters.row_size;
    let (header, hdr) = npy_header(dtype, &shape)?;
    let data_off = hdr.len();
    let nbytes = rows * row_size;
    let data = concat(
        hdr,
        chunks,
        |p| &p.data,
        nbytes,
        || {
            err!(
                Alloc,
                "cannot allocate {} bytes for the result",
                data_off + nbytes
            )
        },
    )?;
    let mask = if opts.usemask {
        let (mheader, mhdr) = npy_header(&mask_dtype(dtype)?, &shape)?;
        let mask_off = mhdr.len();
        let mb = rows * parser.ncols;
        let mut m = concat(
            mhdr,
            chunks,
            |p| &p.mask,
            mb,
            || err!(Alloc, "cannot allocate {mb} bytes for the mask"),
        )?;
        if structured {
            // NumPy also masks values equal to a converted missing string.
            for (i, c) in parser.converters.first.iter().enumerate() {
                for v in c.missing_values() {
                    for r in 0..rows {
                        let o = data_off + r * row_size + c.out.offset;
                        if value_eq(c.out.conv, c.out.swap, &data[o..o + v.len()], &v) {
                            m[mask_off + r * parser.ncols + i] = 1;
                        }
                    }
                }
            }
        }
        Some(in_memory(mheader, m)?)
    } else {
        None
    };
    Ok(Genfromtxt {
        data: in_memory(header, data)?,
        mask,
    })
}
