//! Reading an array's data: whole, or rows along axis 0, as stored or
//! converted to host byte order and C order.

use super::copy::{c_strides, copy_nd, f_strides};
use super::NpyFile;
use crate::dtype::swap_in_place;
use crate::error::{Error, Result};
use crate::header::{self, effective_fortran};
use crate::io::Map;
use crate::io::MapMode;
use crate::{bail, err};

/// Read flag: convert every multi-byte scalar to the host byte order.
pub const READ_NATIVE: u32 = 1;
/// Read flag: return C-order data for a Fortran-order array.
pub const READ_C_ORDER: u32 = 2;
/// Read flag: do not advise transparent huge pages for the destination.
///
/// Without it, [`NpyFile::read_into`] and [`NpyFile::read_rows`] advise
/// `madvise(MADV_HUGEPAGE)` on the 2 MiB-aligned interior of a destination
/// of 4 MiB or more before reading into it ([`crate::io::advise_huge`]):
/// a buffer just allocated (by `malloc`) then takes one page fault per
/// 2 MiB instead of one per 4 KiB, as NumPy's arrays do. The advice stays
/// on the caller's memory after the read.
pub const READ_NO_HUGEPAGE: u32 = 4;
const READ_ALL: u32 = READ_NATIVE | READ_C_ORDER | READ_NO_HUGEPAGE;

/// Bytes converted per block when swapping, so a block is still in cache.
const SWAP_BLOCK: usize = 256 << 10;

impl NpyFile {
    /// Read a contiguous byte range of the data, converting byte order in
    /// cache-sized blocks when asked. For .npz members, a range that reaches
    /// the end of the data also checks the member's CRC.
    pub(super) fn read_range(&self, off: u64, dst: &mut [u8], native: bool) -> Result<()> {
        let src = self.source.bytes();
        let at = self.start + off;
        if !native || self.swap.is_empty() {
            return src.read_at(at, dst);
        }
        let isz = self.header.dtype.itemsize().max(1);
        let block = (SWAP_BLOCK / isz).max(1) * isz;
        src.read_chunks(at, dst, block, &mut |piece| {
            swap_in_place(piece, isz, &self.swap)
        })
    }

    /// Run `f` on a view of the whole data region: the buffer or map itself,
    /// a temporary read-only map of a file (or stored member), or, for other
    /// sources (a deflate member, a caller's reader), the data read into
    /// memory.
    pub(super) fn with_view<T>(&self, f: impl FnOnce(&[u8]) -> T) -> Result<T> {
        let src = self.source.bytes();
        if let Some(d) = self.data() {
            src.verify()?;
            return Ok(f(d));
        }
        let n = self.header.nbytes() as usize;
        if n == 0 {
            return Ok(f(&[]));
        }
        let Some((file, base)) = src.file() else {
            let mut buf = crate::io::try_alloc(n)?;
            self.read_range(0, &mut buf, false)?;
            return Ok(f(&buf));
        };
        src.verify()?;
        let offset = base + self.start;
        // The file may have shrunk since it was opened: touching mapped pages
        // past its end would raise SIGBUS, so check its length again first.
        let len = file
            .metadata()
            .map_err(|e| Error::io("stat before mapping", e))?
            .len();
        let end = offset + n as u64;
        if end > len {
            bail!(
                Truncated,
                "file shrank while being read: the data needs bytes {offset}..{end} but the file now has {len}"
            );
        }
        // A file truncated concurrently from now on raises SIGBUS, as for maps.
        let map = Map::new(file, offset, n, MapMode::Read)
            .map_err(|e| Error::io("mmap for reordering", e))?;
        Ok(f(map.bytes()))
    }

    fn check_flags(flags: u32) -> Result<()> {
        if flags & !READ_ALL != 0 {
            bail!(InvalidArg, "unknown read flags 0x{:x}", flags & !READ_ALL);
        }
        Ok(())
    }

    pub(super) fn dims(&self) -> Result<Vec<usize>> {
        self.header
            .shape
            .iter()
            .map(|&d| {
                usize::try_from(d)
                    .map_err(|_| err!(Overflow, "dimension {d} exceeds the address space"))
            })
            .collect()
    }

    /// Read the whole array into `dst` (at least [`NpyFile::nbytes`] long).
    ///
    /// Flags: [`READ_NATIVE`], [`READ_C_ORDER`]. Without flags the bytes are
    /// exactly as stored.
    pub fn read_into(&self, dst: &mut [u8], flags: u32) -> Result<()> {
        self.read_into_inner(dst, flags)
            .map_err(|e| e.context(&self.name))
    }

    pub(super) fn read_into_inner(&self, dst: &mut [u8], flags: u32) -> Result<()> {
        Self::check_flags(flags)?;
        let n = self.header.nbytes();
        let dst = fit(dst, n, || format!("the array's {n} bytes"))?;
        advise(dst, flags);
        let h = &self.header;
        let native = flags & READ_NATIVE != 0;
        if flags & READ_C_ORDER != 0 && effective_fortran(&h.shape, h.fortran_order) {
            let rows = self.dims()?[0];
            self.copy_fortran_rows(0, rows, dst, true, native)
        } else {
            self.read_range(0, dst, native)
        }
    }

    /// Copy rows `first .. first + count` of a Fortran-order array into
    /// `dst`, in C order or in Fortran order, in host byte order when
    /// `native`.
    fn copy_fortran_rows(
        &self,
        first: usize,
        count: usize,
        dst: &mut [u8],
        c_order: bool,
        native: bool,
    ) -> Result<()> {
        let isz = self.header.dtype.itemsize();
        let shape = self.dims()?;
        let mut sub = shape.clone();
        sub[0] = count;
        let src_strides = f_strides(&shape, isz);
        let dst_strides = if c_order {
            c_strides(&sub, isz)
        } else {
            f_strides(&sub, isz)
        };
        self.with_view(|src| {
            copy_nd(src, first * isz, &src_strides, dst, &dst_strides, &sub, isz)
        })?;
        if native {
            swap_in_place(dst, isz, &self.swap);
        }
        Ok(())
    }

    /// Bytes of `count` rows along axis 0.
    pub fn rows_nbytes(&self, count: u64) -> Result<u64> {
        let h = &self.header;
        if h.shape.is_empty() {
            bail!(InvalidArg, "a 0-d array has no rows");
        }
        let mut rs = h.shape.clone();
        rs[0] = count;
        header::checked_nbytes(&rs, h.dtype.itemsize())
    }

    /// Read rows `first .. first + count` along axis 0 (a slab) into `dst`.
    ///
    /// For C-order arrays the slab is contiguous in the file and read with
    /// one positional read. For Fortran-order arrays the slab comes back in
    /// Fortran order (the bytes of `np.asfortranarray(a[first:first+count])`),
    /// or in C order with [`READ_C_ORDER`] (the bytes of
    /// `np.ascontiguousarray(a[first:first+count])`).
    pub fn read_rows(&self, first: u64, count: u64, dst: &mut [u8], flags: u32) -> Result<()> {
        self.read_rows_inner(first, count, dst, flags)
            .map_err(|e| e.context(&self.name))
    }

    fn read_rows_inner(&self, first: u64, count: u64, dst: &mut [u8], flags: u32) -> Result<()> {
        Self::check_flags(flags)?;
        let h = &self.header;
        if h.shape.is_empty() {
            bail!(InvalidArg, "read_rows: a 0-d array has no rows");
        }
        let d0 = h.shape[0];
        if first.checked_add(count).is_none_or(|end| end > d0) {
            bail!(
                InvalidArg,
                "read_rows: rows {first}..{} are outside the array's {d0} rows",
                first.saturating_add(count)
            );
        }
        let nb = self.rows_nbytes(count)?;
        let dst = fit(dst, nb, || format!("the {nb} bytes of {count} rows"))?;
        if nb == 0 {
            return Ok(());
        }
        advise(dst, flags);
        let native = flags & READ_NATIVE != 0;
        if !effective_fortran(&h.shape, h.fortran_order) {
            let row = self.rows_nbytes(1)?;
            return self.read_range(first * row, dst, native);
        }
        let c_order = flags & READ_C_ORDER != 0;
        self.copy_fortran_rows(first as usize, count as usize, dst, c_order, native)
    }
}

/// Huge-page advice for a read's destination, unless `flags` opt out.
fn advise(dst: &mut [u8], flags: u32) {
    if flags & READ_NO_HUGEPAGE == 0 {
        crate::io::advise_huge(dst);
    }
}

/// The first `n` bytes of `dst`, which must hold `what`.
pub(super) fn fit(dst: &mut [u8], n: u64, what: impl FnOnce() -> String) -> Result<&mut [u8]> {
    if (dst.len() as u64) < n {
        bail!(
            BufferTooSmall,
            "buffer of {} bytes is smaller than {}",
            dst.len(),
            what()
        );
    }
    Ok(&mut dst[..n as usize])
}
