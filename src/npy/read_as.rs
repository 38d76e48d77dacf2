//! Reading an array converted to a numeric type with NumPy's casting:
//! host byte order, C order, values as `a.astype(type, casting=...)`.

use super::copy::{c_strides, copy_nd, f_strides};
use super::read::{fit, READ_C_ORDER, READ_NATIVE};
use super::NpyFile;
use crate::cast::{self, Casting};
use crate::dtype::{swap_in_place, Type};
use crate::err;
use crate::error::Result;
use crate::header::effective_fortran;

/// Source bytes converted per block: the block stays in cache between its
/// read and its conversion.
const CAST_BLOCK: usize = 128 << 10;

impl NpyFile {
    /// Bytes of the whole array as `ty`: `count × ty.itemsize()`.
    pub fn nbytes_as(&self, ty: Type) -> Result<u64> {
        self.header
            .count()
            .checked_mul(ty.itemsize() as u64)
            .ok_or_else(|| {
                err!(
                    Overflow,
                    "{}: {} elements of {ty} overflow 64 bits",
                    self.name,
                    self.header.count()
                )
            })
    }

    /// Read the whole array into `dst` as type `ty`, in host byte order and
    /// C order, with the values `a.astype(ty, casting=casting)` gives (for
    /// the cases C leaves to the platform, see [`crate::cast`]).
    ///
    /// `dst` must hold [`NpyFile::nbytes_as`] bytes. The cast is checked
    /// first, as `np.can_cast(a.dtype, ty, casting)`: a refusal is a
    /// [`Status::Cast`](crate::Status::Cast) error naming both dtypes. Data
    /// moves once: blocks of the stored array are read (and reordered, for
    /// a Fortran-order array) into a buffer of at most 128 KiB and converted
    /// from there into `dst`; when no conversion is needed the read goes
    /// straight into `dst`.
    pub fn read_as(&self, ty: Type, dst: &mut [u8], casting: Casting) -> Result<()> {
        self.read_as_inner(ty, dst, casting)
            .map_err(|e| e.context(&self.name))
    }

    fn read_as_inner(&self, ty: Type, dst: &mut [u8], casting: Casting) -> Result<()> {
        let from = cast::check(&self.header.dtype, ty, casting)?;
        let n = self
            .header
            .count()
            .checked_mul(ty.itemsize() as u64)
            .ok_or_else(|| err!(Overflow, "the array as {ty} overflows 64 bits"))?;
        let dst = fit(dst, n, || format!("the array's {n} bytes as {ty}"))?;
        if from == ty {
            return self.read_into_inner(dst, READ_NATIVE | READ_C_ORDER);
        }
        let h = &self.header;
        let (sz, dz) = (from.itemsize(), ty.itemsize());
        if n == 0 {
            return Ok(());
        }
        if !effective_fortran(&h.shape, h.fortran_order) {
            let per = (CAST_BLOCK / sz).max(1);
            let count = h.count();
            let mut stage = crate::io::try_alloc(per.min(count as usize) * sz)?;
            let mut done = 0u64;
            while done < count {
                let k = (count - done).min(per as u64) as usize;
                let piece = &mut stage[..k * sz];
                self.read_range(done * sz as u64, piece, true)?;
                let at = done as usize * dz;
                cast::convert(from, ty, piece, &mut dst[at..at + k * dz]);
                done += k as u64;
            }
            return Ok(());
        }
        // Fortran order: blocks of the C-order result are gathered from the
        // stored array into the buffer, then converted. A block fixes the
        // indices of the axes before `k` and takes a range of `per` indices
        // along axis `k`, with every index of the axes after it: contiguous
        // in C order, and at most CAST_BLOCK bytes unless one item of the
        // innermost axis is larger.
        let shape = self.dims()?;
        let nd = shape.len();
        let inner = |k: usize| shape[k + 1..].iter().product::<usize>() * sz;
        let k = (0..nd).find(|&k| inner(k) <= CAST_BLOCK).unwrap_or(nd - 1);
        let per = (CAST_BLOCK / inner(k)).clamp(1, shape[k]);
        let mut stage = crate::io::try_alloc(per * inner(k))?;
        let src_strides = f_strides(&shape, sz);
        self.with_view(|src| {
            let mut idx = vec![0usize; k];
            let mut out = 0usize;
            loop {
                let base: usize = (0..k).map(|a| idx[a] * src_strides[a]).sum();
                let mut first = 0;
                while first < shape[k] {
                    let m = per.min(shape[k] - first);
                    let mut sub = vec![1usize; nd];
                    sub[k] = m;
                    sub[k + 1..].copy_from_slice(&shape[k + 1..]);
                    let piece = &mut stage[..m * inner(k)];
                    let off = base + first * src_strides[k];
                    copy_nd(
                        src,
                        off,
                        &src_strides,
                        piece,
                        &c_strides(&sub, sz),
                        &sub,
                        sz,
                    );
                    swap_in_place(piece, sz, &self.swap);
                    let items = piece.len() / sz;
                    cast::convert(from, ty, piece, &mut dst[out..out + items * dz]);
                    out += items * dz;
                    first += m;
                }
                // The next index of the axes before `k`, in C order.
                let mut a = k;
                loop {
                    if a == 0 {
                        return;
                    }
                    a -= 1;
                    idx[a] += 1;
                    if idx[a] < shape[a] {
                        break;
                    }
                    idx[a] = 0;
                }
            }
        })
    }
}
