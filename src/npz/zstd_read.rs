//! A zstd member read to its end, decoded straight into the caller's
//! buffer.
//!
//! zstd's streaming decoder decodes every block into a window buffer of its
//! own and copies it out from there. When a read runs to the member's end
//! and the member is one zstd frame that declares the member's size, the
//! frame is decoded here block by block (zstd's buffer-less API) with each
//! block's output placed directly in the caller's buffer, one copy of the
//! whole member fewer. The bytes before the read (the .npy header) are
//! decoded into a small scratch buffer, which the decoder then keeps as the
//! history that lies outside the caller's buffer. The CRC-32 is taken block
//! by block while the block is in cache.
//!
//! Members of any other shape (several frames, a frame without its content
//! size, one whose size disagrees with the directory) are left to the
//! streaming decoder.

use super::compressed::CompressedBytes;
use crate::error::Result;
use crate::{bail, err};
use zstd::zstd_safe::zstd_sys;

/// zstd's largest block output (128 KiB): a block that ends past the read's
/// start fits in a scratch buffer this much longer than the bytes before it.
const BLOCK_MAX: usize = 128 << 10;
/// Compressed bytes read ahead at a time from archives not in memory; a
/// compressed block (at most [`BLOCK_MAX`] plus its 3-byte header) fits.
const READ_AHEAD: usize = 1 << 20;
/// Smaller members are left to the streaming decoder: the copy saved is
/// small, and the buffers here (about 1.2 MiB at most) could exceed them.
const MIN_SIZE: u64 = 4 << 20;
/// Reads that start further into the member than this (past any .npy
/// header) are left to the streaming decoder.
const AT_MAX: u64 = 1 << 20;
/// The longest zstd frame header.
const FRAME_HEADER_MAX: usize = 18;

/// Decode member bytes `at ..` of a zstd member of `size` bytes into `buf`
/// (exactly the rest of the member), returning the CRC-32 of the whole
/// member, or `None` (with `buf` untouched) when the member is not one
/// frame declaring `size` bytes and the streaming decoder must read it.
pub(super) fn read_to_end(
    c: CompressedBytes<'_>,
    size: u64,
    at: u64,
    buf: &mut [u8],
) -> Result<Option<crc32fast::Hasher>> {
    if at.checked_add(buf.len() as u64) != Some(size) || at > AT_MAX || size < MIN_SIZE {
        return Ok(None);
    }
    let len = c.len();
    let mut input = Input { src: c, used: 0 };
    let head = input.peek(FRAME_HEADER_MAX.min(len as usize))?;
    if declared_size(head) != Some(size) {
        return Ok(None);
    }
    let dctx = Dctx::new()?;
    let mut crc = crc32fast::Hasher::new();
    let at = at as usize;
    // The bytes before `at`, and the block that crosses it.
    let mut scratch = if at > 0 {
        vec![0u8; at + BLOCK_MAX]
    } else {
        Vec::new()
    };
    let mut made = 0usize;
    loop {
        let want = dctx.next_input();
        if want == 0 {
            break;
        }
        let src = input.take(want, made as u64, size)?;
        let n = if made < at {
            let n = dctx.decode(&mut scratch[made..], src)?;
            crc.update(&scratch[made..made + n]);
            if made + n > at {
                let spill = made + n - at;
                let Some(dst) = buf.get_mut(..spill) else {
                    return Err(past(size));
                };
                dst.copy_from_slice(&scratch[at..made + n]);
            }
            n
        } else {
            let off = made - at;
            let n = dctx.decode(&mut buf[off..], src)?;
            crc.update(&buf[off..off + n]);
            n
        };
        made += n;
    }
    if made as u64 != size {
        bail!(
            Zip,
            "zstd stream ended after {made} bytes but the member declares {size}"
        );
    }
    Ok(Some(crc))
}

/// The content size a zstd frame header at the start of `b` declares, if
/// `b` starts with a whole header of an ordinary (not skippable) frame that
/// records it.
pub(super) fn declared_size(b: &[u8]) -> Option<u64> {
    // SAFETY: a zeroed header is a valid value of this plain C struct, and
    // zstd reads only `b.len()` bytes of `b`.
    let mut h: zstd_sys::ZSTD_FrameHeader = unsafe { std::mem::zeroed() };
    let r = unsafe { zstd_sys::ZSTD_getFrameHeader(&mut h, b.as_ptr().cast(), b.len()) };
    if r != 0 || h.frameType != zstd_sys::ZSTD_FrameType_e::ZSTD_frame {
        return None;
    }
    (h.frameContentSize != zstd_sys::ZSTD_CONTENTSIZE_UNKNOWN as u64).then_some(h.frameContentSize)
}

fn past(size: u64) -> crate::error::Error {
    err!(
        Zip,
        "zstd stream inflates past its declared size of {size} bytes"
    )
}

/// A zstd decoding context used through the buffer-less API.
struct Dctx(std::ptr::NonNull<zstd_sys::ZSTD_DCtx>);

impl Dctx {
    fn new() -> Result<Dctx> {
        // SAFETY: plain constructor; NULL means out of memory.
        let p = unsafe { zstd_sys::ZSTD_createDCtx() };
        let d = Dctx(
            std::ptr::NonNull::new(p).ok_or_else(|| err!(Alloc, "cannot make a zstd decoder"))?,
        );
        // SAFETY: a live context.
        let r = unsafe { zstd_sys::ZSTD_decompressBegin(d.0.as_ptr()) };
        check(r)?;
        Ok(d)
    }

    /// The exact number of compressed bytes the next step takes; 0 once
    /// the frame has ended.
    fn next_input(&self) -> usize {
        // SAFETY: a live context.
        unsafe { zstd_sys::ZSTD_nextSrcSizeToDecompress(self.0.as_ptr()) }
    }

    /// One step: `src` (exactly [`Dctx::next_input`] bytes) in, the bytes
    /// made written to the front of `dst`, which zstd never writes past.
    /// Output of earlier steps that was not directly before `dst` stays
    /// the history the decoder refers back to, so it must still be there.
    fn decode(&self, dst: &mut [u8], src: &[u8]) -> Result<usize> {
        // SAFETY: both buffers are valid for their lengths; the context's
        // history (the scratch buffer and the caller's buffer) outlives the
        // context, which is dropped at the end of `read_to_end`.
        let r = unsafe {
            zstd_sys::ZSTD_decompressContinue(
                self.0.as_ptr(),
                dst.as_mut_ptr().cast(),
                dst.len(),
                src.as_ptr().cast(),
                src.len(),
            )
        };
        check(r)
    }
}

impl Drop for Dctx {
    fn drop(&mut self) {
        // SAFETY: made by ZSTD_createDCtx, freed once.
        unsafe {
            zstd_sys::ZSTD_freeDCtx(self.0.as_ptr());
        }
    }
}

/// zstd's result code as a result; a destination too small means the
/// frame makes more bytes than the member declares.
fn check(r: usize) -> Result<usize> {
    // SAFETY: pure functions of the code.
    if unsafe { zstd_sys::ZSTD_isError(r) } == 0 {
        return Ok(r);
    }
    if unsafe { zstd_sys::ZSTD_getErrorCode(r) }
        == zstd_sys::ZSTD_ErrorCode::ZSTD_error_dstSize_tooSmall
    {
        bail!(Zip, "zstd stream inflates past the member's declared size");
    }
    let name = unsafe { std::ffi::CStr::from_ptr(zstd_sys::ZSTD_getErrorName(r)) };
    bail!(Zip, "corrupt zstd stream: {}", name.to_string_lossy())
}

/// The member's compressed bytes, consumed in order.
struct Input<'a> {
    src: CompressedBytes<'a>,
    /// Compressed bytes consumed.
    used: u64,
}

impl Input<'_> {
    /// Up to `n` bytes from the current position, not consumed.
    fn peek(&mut self, n: usize) -> Result<&[u8]> {
        let b = self.src.get(self.used, u64::MAX, n, READ_AHEAD)?;
        Ok(&b[..n.min(b.len())])
    }

    /// Exactly `n` bytes, consumed; `made` and `size` for the message when
    /// the compressed data ends first.
    fn take(&mut self, n: usize, made: u64, size: u64) -> Result<&[u8]> {
        if n as u64 > self.src.len() - self.used {
            bail!(
                Zip,
                "truncated zstd stream: the compressed data ends after {made} of the {size} bytes the member declares"
            );
        }
        if n > READ_AHEAD {
            bail!(
                Zip,
                "corrupt zstd stream: a step of {n} bytes is longer than any zstd block"
            );
        }
        let at = self.used;
        self.used += n as u64;
        Ok(&self.src.get(at, u64::MAX, n, READ_AHEAD)?[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{ByteSource, MemorySource};

    /// An archive not in memory: bytes served by `read_at` only, from
    /// `skip` bytes on (so the member starts part way in).
    struct Unmapped(Vec<u8>);

    impl ByteSource for Unmapped {
        fn size(&self) -> u64 {
            self.0.len() as u64
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
            buf.copy_from_slice(&self.0[offset as usize..][..buf.len()]);
            Ok(())
        }
    }

    /// 6 MB of slowly varying bytes, and a frame of them made in one go.
    fn member() -> (Vec<u8>, Vec<u8>) {
        let data: Vec<u8> = (0..6_000_000u32).map(|i| (i / 7 % 251) as u8).collect();
        let frame = zstd::bulk::compress(&data, 1).unwrap();
        (data, frame)
    }

    #[test]
    fn declared_size_of_frame_headers() {
        let (data, frame) = member();
        assert_eq!(declared_size(&frame[..FRAME_HEADER_MAX]), Some(6_000_000));
        // Cut inside the header; another magic; a skippable frame.
        assert_eq!(declared_size(&frame[..5]), None);
        assert_eq!(declared_size(b"PK\x03\x04 and more bytes"), None);
        let skippable = [0x50, 0x2A, 0x4D, 0x18, 4, 0, 0, 0, 1, 2, 3, 4];
        assert_eq!(declared_size(&skippable), None);
        // zstd's streaming compressor records no size.
        let mut e = zstd::stream::Encoder::new(Vec::new(), 1).unwrap();
        std::io::Write::write_all(&mut e, &data[..1000]).unwrap();
        assert_eq!(declared_size(&e.finish().unwrap()), None);
    }

    #[test]
    fn decodes_into_the_buffer_from_any_start() {
        let (data, frame) = member();
        let mut archive = vec![9u8; 77];
        archive.extend_from_slice(&frame);
        let sources: [Box<dyn ByteSource>; 2] = [
            Box::new(MemorySource::new(archive.clone())),
            Box::new(Unmapped(archive)),
        ];
        for src in &sources {
            let c = || CompressedBytes::new(&**src, 77, frame.len() as u64);
            for at in [0usize, 1, 128, 200_000] {
                let mut buf = vec![0u8; data.len() - at];
                let crc = read_to_end(c(), data.len() as u64, at as u64, &mut buf)
                    .unwrap()
                    .expect("decoded here");
                assert!(buf == data[at..], "at {at}");
                assert_eq!(crc.finalize(), crc32fast::hash(&data), "at {at}");
            }
        }
    }

    #[test]
    fn other_members_are_left_to_the_streaming_decoder() {
        let (data, frame) = member();
        let src = MemorySource::new(frame.clone());
        let c = || CompressedBytes::new(&src, 0, frame.len() as u64);
        let n = data.len() as u64;
        let mut buf = vec![0u8; data.len()];
        // The frame's size is not the member's; the read does not reach
        // the end; the read starts too far in.
        assert!(read_to_end(c(), n + 1, 1, &mut buf).unwrap().is_none());
        assert!(read_to_end(c(), n + 1, 0, &mut buf).unwrap().is_none());
        let far = AT_MAX as usize + 1;
        assert!(read_to_end(c(), n, far as u64, &mut buf[far..])
            .unwrap()
            .is_none());
        // A small member.
        let small = zstd::bulk::compress(&data[..1000], 1).unwrap();
        let src = MemorySource::new(small.clone());
        let c = || CompressedBytes::new(&src, 0, small.len() as u64);
        assert!(read_to_end(c(), 1000, 0, &mut buf[..1000])
            .unwrap()
            .is_none());
        assert!(buf.iter().all(|&b| b == 0), "the buffer is untouched");
    }
}
