//! The arrays `loadtxt` and `genfromtxt` return: .npy bytes in memory
//! under a header built as a value from the result's dtype and shape
//! (never written as text and parsed back).

use crate::dtype::DType;
use crate::error::Result;
use crate::header::{ArraySpec, Header};
use crate::io::MemorySource;
use crate::npy::NpyFile;

/// The header `np.save` writes for a C-order array of `dtype` and
/// `shape`: as a value, and as the bytes that stand for it.
pub(crate) fn npy_header(dtype: &DType, shape: &[u64]) -> Result<(Header, Vec<u8>)> {
    ArraySpec::new(dtype, shape, false)?.encode()
}

/// The array whose .npy bytes are `npy`: `header`'s bytes (from
/// [`npy_header`]), then the data.
pub(crate) fn in_memory(header: Header, npy: Vec<u8>) -> Result<NpyFile> {
    NpyFile::with_header(header, MemorySource::new(npy), "<memory>")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header built as a value is the one its bytes read back as.
    #[test]
    fn built_header_reads_back() {
        let many: String = (0..5000).map(|i| format!("('f{i}', '<i2'), ")).collect();
        for (descr, shape) in [
            ("<f8", vec![3u64, 4]),
            (">i2", vec![0]),
            ("|b1", vec![]),
            ("[('x', '<f4'), ('y', '>u8', (2,))]", vec![7]),
            ("[('\u{4e2d}', '<i4')]", vec![2]),
            (&format!("[{many}]"), vec![10]),
        ] {
            let dt = DType::parse(descr).unwrap();
            let (h, bytes) = npy_header(&dt, &shape).unwrap();
            let prefix = Header::prefix_len(h.version);
            let parsed = crate::header::parse_header_text(h.version, &bytes[prefix..]).unwrap();
            assert_eq!(h, parsed, "{descr}");
            let mut npy = bytes;
            npy.resize(npy.len() + h.nbytes() as usize, 0);
            assert_eq!(in_memory(h.clone(), npy).unwrap().header(), &h);
        }
    }
}
