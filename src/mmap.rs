//! Memory maps beyond `NpyFile::mmap`: new mapped .npy files (like
//! `np.lib.format.open_memmap(mode='w+')`) and raw headerless files (like
//! `np.memmap`). Maps of stored .npz members live in `npz`.

use crate::dtype::{DType, Layout};
use crate::error::{Error, Result};
use crate::header::{ArraySpec, Header};
use crate::io::AtomicFile;
use crate::npy::{MapMode, NpyFile};
use crate::{bail, err};
use std::path::Path;

/// How to map a raw file (`np.memmap`'s `mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawMode {
    /// An existing file, as `MapMode` says (`'r'`, `'r+'`, `'c'`).
    Existing(MapMode),
    /// `'w+'`: create or replace the file, sized `offset + nbytes`, zeroed.
    Create,
}

/// A map needs a regular file: a FIFO, a device or a descriptor such as
/// `/dev/stdout` is refused before anything is opened or written (it is
/// never replaced by a regular file).
fn refuse_special(path: &Path) -> Result<()> {
    if let Some(kind) = crate::io::special_target(path) {
        bail!(
            NotMappable,
            "{}: is a {kind}; only a regular file can be memory-mapped",
            path.display()
        );
    }
    Ok(())
}

fn refuse_subarray(dtype: &DType) -> Result<()> {
    if let Layout::SubArray(..) = dtype.layout() {
        bail!(InvalidArg, "a subarray dtype cannot be the array's dtype");
    }
    Ok(())
}

impl NpyFile {
    /// Create a new .npy file mapped read-write, like `open_memmap(path,
    /// mode='w+', dtype, shape, fortran_order)`: the header is exactly what
    /// np.save writes, the data starts zeroed, and the file's space is
    /// reserved with `posix_fallocate` before anything is mapped, so a full
    /// disk is an error here and not a SIGBUS later. The file is prepared
    /// under a temporary name and renamed over `path` once its space is
    /// reserved: if that fails, an existing file is untouched. A FIFO, a
    /// device or a descriptor (`/dev/stdout`) at `path` is refused with
    /// `NotMappable` and left as it is.
    pub fn mmap_create(
        path: impl AsRef<Path>,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
    ) -> Result<NpyFile> {
        let path = path.as_ref();
        let ctx = |e: Error| e.context(path.display());
        refuse_subarray(dtype).map_err(ctx)?;
        let spec = ArraySpec::new(dtype, shape, fortran_order).map_err(ctx)?;
        let nbytes = spec.nbytes();
        let (h, hb) = spec.encode().map_err(ctx)?;
        let total = hb.len() as u64 + nbytes;
        refuse_special(path)?;
        let mut f = AtomicFile::create(path, false)?;
        f.write_all(&hb)?;
        f.reserve(total)?;
        let file = f.commit_keep()?;
        NpyFile::map_region(
            h,
            &file,
            hb.len() as u64,
            nbytes,
            MapMode::ReadWrite,
            path.display().to_string(),
        )
    }

    /// Map a raw file without a header, like `np.memmap(path, dtype, mode,
    /// offset, shape, order)`. `shape` `None` means one dimension, as many
    /// items as fit between `offset` and the end of the file (the file must
    /// hold a whole number of items). The offset need not be page-aligned.
    /// The file must hold `offset + nbytes` bytes (checked before mapping).
    pub fn mmap_raw(
        path: impl AsRef<Path>,
        dtype: &DType,
        shape: Option<&[u64]>,
        fortran_order: bool,
        offset: u64,
        mode: RawMode,
    ) -> Result<NpyFile> {
        let path = path.as_ref();
        let name = path.display().to_string();
        let ctx = |e: Error| e.context(path.display());
        refuse_subarray(dtype).map_err(ctx)?;
        let isz = dtype.itemsize() as u64;
        // No header in the file: the array is described by the arguments,
        // checked once, and its data starts at `offset`.
        let header_for = |shape: Vec<u64>| -> Result<Header> {
            ArraySpec::new(dtype, &shape, fortran_order)?;
            Ok(Header {
                version: (0, 0),
                dtype: dtype.clone(),
                fortran_order,
                shape,
                data_offset: offset,
            })
        };
        match mode {
            RawMode::Create => {
                let Some(shape) = shape else {
                    bail!(InvalidArg, "{name}: mode w+ needs a shape");
                };
                let h = header_for(shape.to_vec()).map_err(ctx)?;
                let n = h.nbytes();
                let total = offset
                    .checked_add(n)
                    .ok_or_else(|| ctx(err!(Overflow, "offset {offset} + {n} bytes overflows")))?;
                refuse_special(path)?;
                let mut f = AtomicFile::create(path, false)?;
                f.file()
                    .set_len(total)
                    .map_err(|e| Error::io(format!("{name}: set_len"), e))?;
                f.reserve(total)?;
                let file = f.commit_keep()?;
                NpyFile::map_region(h, &file, offset, n, MapMode::ReadWrite, name)
            }
            RawMode::Existing(m) => {
                let file = crate::io::open_for_map(path, m == MapMode::ReadWrite)?;
                let len = file
                    .metadata()
                    .map_err(|e| Error::io(format!("{name}: stat"), e))?
                    .len();
                if offset > len {
                    return Err(ctx(err!(
                        Truncated,
                        "offset {offset} is beyond the end of the file ({len} bytes)"
                    )));
                }
                let shape = match shape {
                    Some(s) => s.to_vec(),
                    None => {
                        let avail = len - offset;
                        if isz == 0 || avail % isz != 0 {
                            return Err(ctx(err!(
                                InvalidArg,
                                "the {avail} bytes after offset {offset} are not a whole number of {isz}-byte items"
                            )));
                        }
                        vec![avail / isz]
                    }
                };
                let h = header_for(shape).map_err(ctx)?;
                let n = h.nbytes();
                if offset + n > len {
                    return Err(ctx(err!(
                        Truncated,
                        "file of {len} bytes is too short: offset {offset} + {n} data bytes are needed"
                    )));
                }
                NpyFile::map_region(h, &file, offset, n, m, name)
            }
        }
    }
}
