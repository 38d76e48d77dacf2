//! Loading a whole array into memory the library owns, as `np.load` does:
//! converted to a numeric type with NumPy's safe casting, or in its stored
//! type; always in host byte order and C order.

use super::read::{READ_C_ORDER, READ_NATIVE, READ_NO_HUGEPAGE};
use super::{NpyFile, Source};
use crate::cast::{self, Casting};
use crate::dtype::Type;
use crate::err;
use crate::error::Result;
use crate::header::Header;
use crate::io::{ArrayBuf, MemorySource};
use std::path::Path;

impl NpyFile {
    /// `np.load(path)` into memory the library owns: the whole array,
    /// converted to `ty` as `a.astype(ty, casting='safe')` does, or, for
    /// `None`, in its stored dtype (any dtype, records included) converted
    /// only to host byte order. The data is in C order; [`NpyFile::data`]
    /// gives it, and the header describes it (`fortran_order` false,
    /// `data_offset` 0, the file's format version). Arrays of 4 MiB or
    /// more get their own 2 MiB-aligned map advised for transparent huge
    /// pages, as NumPy allocates big arrays ([`ArrayBuf`]).
    pub fn load(path: impl AsRef<Path>, ty: Option<Type>) -> Result<NpyFile> {
        NpyFile::open(path)?.to_loaded(ty)
    }

    /// This array loaded into memory, as [`NpyFile::load`] loads a file:
    /// for archive members, buffers, maps and readers alike.
    pub fn to_loaded(&self, ty: Option<Type>) -> Result<NpyFile> {
        let h = &self.header;
        let (dtype, n) = match ty {
            Some(t) => {
                cast::check(&h.dtype, t, Casting::Safe).map_err(|e| e.context(&self.name))?;
                (t.dtype().clone(), self.nbytes_as(t)?)
            }
            None => (h.dtype.to_native(), h.nbytes()),
        };
        let n = usize::try_from(n).map_err(|_| {
            err!(
                Overflow,
                "{}: {n} bytes do not fit the address space",
                self.name
            )
        })?;
        let mut buf = ArrayBuf::new(n).map_err(|e| e.context(&self.name))?;
        match ty {
            Some(t) => self.read_as(t, &mut buf, Casting::Safe)?,
            // The buffer is advised already when big (ArrayBuf).
            None => self.read_into(&mut buf, READ_NATIVE | READ_C_ORDER | READ_NO_HUGEPAGE)?,
        }
        let header = Header {
            version: h.version,
            dtype,
            fortran_order: false,
            shape: h.shape.clone(),
            data_offset: 0,
        };
        NpyFile::new(
            header,
            Source::Read(Box::new(MemorySource::new(buf))),
            0,
            self.name.clone(),
        )
    }
}
