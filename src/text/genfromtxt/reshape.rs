//! Results reshaped after conversion: a record of inferred columns cast to
//! one plain array (`dtype=None` with boolean columns that held missing
//! values), and `unpack`.

use super::Genfromtxt;
use crate::dtype::{DType, Layout, ScalarKind};
use crate::err;
use crate::error::Result;
use crate::npy::NpyFile;
use crate::text::columns::ndmin_shape;
use crate::text::result::in_memory;

/// The array's data bytes, allocated fallibly.
pub(crate) fn data_of(f: &NpyFile) -> Result<Vec<u8>> {
    let n = usize::try_from(f.nbytes())
        .map_err(|_| err!(Overflow, "the result does not fit the address space"))?;
    let mut v = crate::io::try_alloc(n)?;
    f.read_into(&mut v, 0)?;
    Ok(v)
}

/// An in-memory array of `dtype`, `shape` and `data` (C order unless
/// `fortran`).
pub(crate) fn array(dtype: &DType, shape: &[u64], fortran: bool, data: &[u8]) -> Result<NpyFile> {
    let (header, mut bytes) = crate::header::ArraySpec::new(dtype, shape, fortran)?.encode()?;
    bytes
        .try_reserve_exact(data.len())
        .map_err(|_| err!(Alloc, "cannot allocate {} bytes for the result", data.len()))?;
    bytes.extend_from_slice(data);
    in_memory(header, bytes)
}

/// The fields of a record dtype: (offset, dtype).
fn fields(dt: &DType) -> Vec<(usize, DType)> {
    match dt.layout() {
        Layout::Record(f) => f.iter().map(|f| (f.offset, f.dtype.clone())).collect(),
        _ => Vec::new(),
    }
}

/// Write boolean `b` as one element of the plain dtype `to`.
fn put_bool(dst: &mut [u8], b: bool, to: &DType) {
    dst.fill(0);
    match to.layout() {
        Layout::Scalar {
            kind: ScalarKind::Int,
            ..
        } => dst[0] = b as u8,
        Layout::Scalar {
            kind: ScalarKind::Float | ScalarKind::Complex,
            ..
        } => dst[..8].copy_from_slice(&(b as u8 as f64).to_le_bytes()),
        _ => {
            let t: &[u8] = if b { b"True" } else { b"False" };
            for (k, c) in t.iter().enumerate() {
                dst[4 * k] = *c;
            }
        }
    }
}

/// The record result `g` (one field per column) as one plain 2-D array of
/// `to`: fields of that dtype copied, boolean fields cast (NumPy's
/// `np.array(rows, dtype)` of the converted rows). Strings are copied
/// into the wider slots of `to`. The mask becomes a plain bool array.
pub(super) fn cast_to_plain(g: Genfromtxt, to: &DType, ndmin: u8) -> Result<Genfromtxt> {
    let rec = g.data.header().dtype.clone();
    let fl = fields(&rec);
    let ncols = fl.len();
    let rows = (g.data.header().shape.iter().product::<u64>()) as usize;
    let src = data_of(&g.data)?;
    let isz = to.itemsize();
    let too_big = || err!(Overflow, "the result does not fit the address space");
    let n = rows
        .checked_mul(ncols)
        .and_then(|x| x.checked_mul(isz))
        .ok_or_else(too_big)?;
    let mut out = crate::io::try_alloc(n)?;
    let rsz = rec.itemsize();
    for r in 0..rows {
        for (c, (off, dt)) in fl.iter().enumerate() {
            let s = &src[r * rsz + off..r * rsz + off + dt.itemsize()];
            let d = &mut out[(r * ncols + c) * isz..(r * ncols + c + 1) * isz];
            if matches!(
                dt.layout(),
                Layout::Scalar {
                    kind: ScalarKind::Bool,
                    ..
                }
            ) && !matches!(
                to.layout(),
                Layout::Scalar {
                    kind: ScalarKind::Bool,
                    ..
                }
            ) {
                put_bool(d, s[0] != 0, to);
            } else {
                d.fill(0);
                d[..s.len().min(isz)].copy_from_slice(&s[..s.len().min(isz)]);
            }
        }
    }
    let base = if rows == 0 {
        vec![0]
    } else {
        vec![rows as u64, ncols as u64]
    };
    let shape = ndmin_shape(&base, ndmin);
    let mask = match g.mask {
        Some(m) => {
            let b = DType::parse("|b1")?;
            Some(array(&b, &shape, false, &data_of(&m)?)?)
        }
        None => None,
    };
    Ok(Genfromtxt {
        data: array(to, &shape, false, &out)?,
        mask,
    })
}

/// `unpack`: a plain array transposed (the same bytes in Fortran order
/// under the reversed shape, as NumPy's `.T` view); a record of one field
/// becomes that field as a plain array; a record of several fields is
/// left as it is (NumPy returns a list of the fields; read them from the
/// record).
pub(crate) fn unpack(a: NpyFile) -> Result<NpyFile> {
    let h = a.header().clone();
    match h.dtype.layout() {
        Layout::Record(f) if f.len() == 1 => {
            let (off, dt) = (f[0].offset, f[0].dtype.clone());
            let src = data_of(&a)?;
            let rsz = h.dtype.itemsize();
            let isz = dt.itemsize();
            let n = src.len() / rsz.max(1);
            let mut out = crate::io::try_alloc(n * isz)?;
            for r in 0..n {
                out[r * isz..(r + 1) * isz]
                    .copy_from_slice(&src[r * rsz + off..r * rsz + off + isz]);
            }
            array(&dt, &h.shape, false, &out)
        }
        _ => transpose(a),
    }
}

/// `.T` of a plain array (the same bytes in the other order under the
/// reversed shape); records and arrays of fewer than 2 dimensions as they
/// are.
pub(crate) fn transpose(a: NpyFile) -> Result<NpyFile> {
    let h = a.header().clone();
    if matches!(h.dtype.layout(), Layout::Record(_)) || h.shape.len() < 2 {
        return Ok(a);
    }
    let shape: Vec<u64> = h.shape.iter().rev().copied().collect();
    array(&h.dtype, &shape, !h.fortran_order, &data_of(&a)?)
}
