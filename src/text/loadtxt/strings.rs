//! `np.loadtxt` with a string dtype without a length (`S`, `U`, `str`,
//! `bytes`): NumPy reads the fields as Python strings and sizes the array
//! to the longest. Here a first pass over the text measures the longest
//! field, storing nothing; the second pass loads into the sized dtype.
//! And `unpack`.

use super::LoadtxtOptions;
use crate::bail;
use crate::error::Result;
use crate::npy::NpyFile;
use crate::text::genfromtxt::dtype::{sized_string, unsized_string};
use crate::text::genfromtxt::reshape::transpose;

/// Is the dtype a plain string dtype without a length?
pub(super) fn lengthless(opts: &LoadtxtOptions) -> bool {
    unsized_string(&opts.dtype)
}

/// The options with the string dtype sized to `longest` characters (the
/// longest field, measured by a load that stored nothing), or `None` when
/// the dtype has a length.
pub(super) fn sized(opts: &LoadtxtOptions, longest: usize) -> Result<Option<LoadtxtOptions>> {
    if !lengthless(opts) {
        return Ok(None);
    }
    let mut o = opts.clone();
    o.dtype = sized_string(&opts.dtype, longest)?;
    Ok(Some(o))
}

/// A streamed conversion to a .npy file writes as it reads: it needs the
/// string's length up front.
pub(super) fn streamable(opts: &LoadtxtOptions) -> Result<()> {
    if lengthless(opts) {
        bail!(
            Unsupported,
            "dtype {} has no length: a streamed conversion needs one (e.g. 'U10' or 'S10'); \
             loadtxt into memory finds it",
            opts.dtype.descr()
        );
    }
    if opts.unpack {
        bail!(
            InvalidArg,
            "unpack applies to arrays loaded into memory, not to a streamed conversion"
        );
    }
    Ok(())
}

/// `unpack`: a plain result transposed; a structured one as it is (NumPy
/// returns the list of its fields).
pub(super) fn unpacked(r: Result<NpyFile>, opts: &LoadtxtOptions) -> Result<NpyFile> {
    match r {
        Ok(a) if opts.unpack => transpose(a),
        r => r,
    }
}
