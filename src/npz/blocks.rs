//! Deflate members compressed in blocks on all cores: each block of
//! [`BLOCK`] bytes, primed with the [`WINDOW`] before it, is compressed on
//! its own into a byte-aligned segment; segment.rs joins the segments into
//! one stream.

use crate::err;
use crate::error::Result;

/// Uncompressed bytes per independently compressed block.
pub(super) const BLOCK: usize = 1 << 20;
/// Deflate's window: zlib-rs blocks, and the serial stream after blocks
/// compressed in parallel, are primed with this much of the data before.
pub(super) const WINDOW: usize = 32 << 10;

/// Blocks with at least this share of zero bytes (per mille) are
/// compressed with zlib-rs instead of libdeflate: on such data (mostly-zero
/// arrays) zlib-rs is faster (465 against 126 MB/s per core at 99% zeros,
/// 138 against 110 at 90%) and slightly smaller, while libdeflate is about
/// twice as fast on everything else (58 against 26 MB/s on random doubles).
const ZLIB_FROM_ZEROS_PERMILLE: usize = 850;

/// Compress block `i` of `data` into a non-final, byte-aligned segment of
/// the member's stream, with the compressor that suits the block (see
/// [`ZLIB_FROM_ZEROS_PERMILLE`]). The choice depends only on the data, so
/// the output is the same on every run.
pub(super) fn compress_block(
    c: &mut libdeflater::Compressor,
    data: &[u8],
    i: usize,
    level: u32,
) -> Result<(Vec<u8>, crc32fast::Hasher)> {
    let start = i * BLOCK;
    let end = (start + BLOCK).min(data.len());
    let block = &data[start..end];
    let mut crc = crc32fast::Hasher::new();
    crc.update(block);
    let zeros = block.iter().filter(|&&b| b == 0).count();
    let out = if zeros * 1000 >= block.len() * ZLIB_FROM_ZEROS_PERMILLE {
        let dict = &data[start - WINDOW.min(start)..start];
        zlib_segment(block, dict, level)?
    } else {
        let mut out = vec![0u8; c.deflate_compress_bound(block.len()) + 8];
        let n = c
            .deflate_compress(block, &mut out)
            .map_err(|e| err!(Io, "deflate: {e}"))?;
        out.truncate(n);
        super::segment::unfinalize(&mut out)
            .map_err(|e| err!(Io, "deflate: internal error joining blocks: {e}"))?;
        out
    };
    Ok((out, crc))
}

/// `block` compressed by zlib-rs, primed with `dict` (the data before it)
/// and ended with a sync flush: a non-final, byte-aligned segment.
fn zlib_segment(block: &[u8], dict: &[u8], level: u32) -> Result<Vec<u8>> {
    let mut c = flate2::Compress::new(flate2::Compression::new(level), false);
    if !dict.is_empty() {
        c.set_dictionary(dict)
            .map_err(|e| err!(Io, "deflate: set_dictionary: {e}"))?;
    }
    let mut out = Vec::with_capacity(block.len() + block.len() / 16 + 1024);
    let mut input = block;
    loop {
        if out.capacity() - out.len() < (64 << 10) {
            out.reserve(64 << 10);
        }
        let before = c.total_in();
        c.compress_vec(input, &mut out, flate2::FlushCompress::Sync)
            .map_err(|e| err!(Io, "deflate: {e}"))?;
        input = &input[(c.total_in() - before) as usize..];
        // A sync flush is complete when it left output space unused.
        if input.is_empty() && out.len() < out.capacity() {
            break;
        }
    }
    Ok(out)
}
