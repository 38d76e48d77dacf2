//! The zstd encoder of zstd members: one frame that records the member's
//! size, compressed by zstd's workers when the member is large, without
//! zstd's block pre-splitter.
//!
//! From zstd 1.5.7 on, levels 1–4 first look for a place to split each
//! 128 KiB block by sampling byte statistics. On float64 arrays it found
//! nothing worth it and cost much of the write: at level 3 a single
//! thread compresses 80 MB of random doubles in about 55% of the time
//! without it, to a member no larger (75,093,550 bytes against
//! 75,237,126), and 80 MB of mostly zeros in about 75% of the time, to the
//! same size; arange data was unchanged in time and size. zstd-safe has no
//! name for the setting, so the context is driven through zstd's C API.

use crate::error::Result;
use crate::{bail, err};
use zstd::zstd_safe::zstd_sys;

/// `ZSTD_c_blockSplitterLevel` (an experimental parameter in zstd.h):
/// 1 turns the pre-splitter off.
const BLOCK_SPLITTER_LEVEL: zstd_sys::ZSTD_cParameter =
    zstd_sys::ZSTD_cParameter::ZSTD_c_experimentalParam20;

/// A zstd compression context set up for one member.
pub(super) struct ZstdEncoder(std::ptr::NonNull<zstd_sys::ZSTD_CCtx>);

// SAFETY: the context is used by one thread at a time (`&mut self`);
// zstd's own workers are managed inside it.
unsafe impl Send for ZstdEncoder {}

impl ZstdEncoder {
    /// An encoder at `level` for a member of `size` bytes, with `workers`
    /// of zstd's threads (0: compress in the caller's thread).
    pub(super) fn new(level: i32, size: u64, workers: u32) -> Result<ZstdEncoder> {
        // SAFETY: plain constructor; NULL means out of memory.
        let p = unsafe { zstd_sys::ZSTD_createCCtx() };
        let e = ZstdEncoder(
            std::ptr::NonNull::new(p).ok_or_else(|| err!(Alloc, "cannot make a zstd encoder"))?,
        );
        e.set(zstd_sys::ZSTD_cParameter::ZSTD_c_compressionLevel, level)?;
        e.set(BLOCK_SPLITTER_LEVEL, 1)?;
        if workers > 0 {
            e.set(
                zstd_sys::ZSTD_cParameter::ZSTD_c_nbWorkers,
                workers.min(i32::MAX as u32) as i32,
            )?;
        }
        // SAFETY: a live context.
        check(unsafe { zstd_sys::ZSTD_CCtx_setPledgedSrcSize(e.0.as_ptr(), size) })?;
        Ok(e)
    }

    fn set(&self, p: zstd_sys::ZSTD_cParameter, v: i32) -> Result<()> {
        // SAFETY: a live context; zstd checks the value.
        check(unsafe { zstd_sys::ZSTD_CCtx_setParameter(self.0.as_ptr(), p, v) }).map(|_| ())
    }

    /// Compress from `input` into `out` as far as both go (with `end`, end
    /// the frame). Returns (input used, output made, what zstd still has to
    /// flush: 0 once the frame is complete when ending).
    pub(super) fn run(
        &mut self,
        input: &[u8],
        out: &mut [u8],
        end: bool,
    ) -> Result<(usize, usize, usize)> {
        let mut i = zstd_sys::ZSTD_inBuffer {
            src: input.as_ptr().cast(),
            size: input.len(),
            pos: 0,
        };
        let mut o = zstd_sys::ZSTD_outBuffer {
            dst: out.as_mut_ptr().cast(),
            size: out.len(),
            pos: 0,
        };
        let op = if end {
            zstd_sys::ZSTD_EndDirective::ZSTD_e_end
        } else {
            zstd_sys::ZSTD_EndDirective::ZSTD_e_continue
        };
        // SAFETY: both buffers are valid for their sizes for the call; zstd
        // copies what it keeps of the input (it is told nothing is stable).
        let left =
            check(unsafe { zstd_sys::ZSTD_compressStream2(self.0.as_ptr(), &mut o, &mut i, op) })?;
        Ok((i.pos, o.pos, left))
    }
}

impl Drop for ZstdEncoder {
    fn drop(&mut self) {
        // SAFETY: made by ZSTD_createCCtx, freed once (its workers too).
        unsafe {
            zstd_sys::ZSTD_freeCCtx(self.0.as_ptr());
        }
    }
}

fn check(r: usize) -> Result<usize> {
    // SAFETY: pure functions of the code.
    if unsafe { zstd_sys::ZSTD_isError(r) } == 0 {
        return Ok(r);
    }
    let name = unsafe { std::ffi::CStr::from_ptr(zstd_sys::ZSTD_getErrorName(r)) };
    bail!(Io, "zstd: {}", name.to_string_lossy())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compress `data` in pieces of `piece` bytes, as the writer does.
    fn compress(data: &[u8], level: i32, workers: u32, piece: usize) -> Vec<u8> {
        let mut e = ZstdEncoder::new(level, data.len() as u64, workers).unwrap();
        let mut out = Vec::new();
        let mut buf = vec![0u8; 4096];
        for mut input in data.chunks(piece) {
            loop {
                let (used, made, _) = e.run(input, &mut buf, false).unwrap();
                input = &input[used..];
                out.extend_from_slice(&buf[..made]);
                if input.is_empty() && made < buf.len() {
                    break;
                }
            }
        }
        loop {
            let (_, made, left) = e.run(&[], &mut buf, true).unwrap();
            out.extend_from_slice(&buf[..made]);
            if left == 0 {
                return out;
            }
        }
    }

    #[test]
    fn one_frame_recording_its_size_in_any_pieces() {
        let data: Vec<u8> = (0..5_000_000u32)
            .flat_map(|i| ((i % 1000) as f64 * 0.5).to_le_bytes())
            .collect();
        for (level, workers, piece) in [
            (3, 0, 1 << 20),
            (3, 2, 3 << 20),
            (1, 2, 999_999),
            (-5, 0, 4096),
        ] {
            let c = compress(&data, level, workers, piece);
            assert_eq!(
                zstd::zstd_safe::get_frame_content_size(&c).ok().flatten(),
                Some(data.len() as u64),
                "level {level}, {workers} workers"
            );
            assert_eq!(
                zstd::zstd_safe::find_frame_compressed_size(&c).ok(),
                Some(c.len())
            );
            let back = zstd::bulk::decompress(&c, data.len()).unwrap();
            assert!(back == data, "level {level}, {workers} workers");
        }
    }

    #[test]
    fn a_pledged_size_not_kept_is_an_error() {
        let mut e = ZstdEncoder::new(3, 10, 0).unwrap();
        let mut buf = vec![0u8; 4096];
        // More bytes than pledged, then the end (all input given with the
        // end at once would make zstd take its length as the size).
        let r = e
            .run(&[1u8; 20], &mut buf, false)
            .and_then(|_| e.run(&[], &mut buf, true));
        let err = r.unwrap_err();
        assert_eq!(err.status(), crate::Status::Io, "{err}");
        assert!(err.message().starts_with("zstd: "), "{err}");
    }
}
