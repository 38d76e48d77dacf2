//! Decoders of the compression methods an archive member may use, behind
//! one interface: compressed bytes in, uncompressed bytes out, in pieces,
//! into the caller's buffer.
//!
//! Python's zipfile writes deflate (8), bzip2 (12) and LZMA (14), and from
//! Python 3.14 on zstd (93); `np.load` reads whatever zipfile reads.

use super::zip::{BZIP2, DEFLATED, LZMA, ZSTD};
use crate::error::Result;
use crate::{bail, err};

/// The zip LZMA header before the LZMA properties: version (2 bytes), size
/// of the properties (2 bytes).
const LZMA_PREFIX: usize = 4;
/// The LZMA1 properties: lc/lp/pb in one byte, the dictionary size.
const LZMA_PROPS: usize = 5;

/// zstd's default window limit (2**27, 128 MiB), which a member that
/// declares more bytes may exceed up to its size (2**31 at most).
const ZSTD_WINDOW_LOG_DEFAULT: u32 = 27;
const ZSTD_WINDOW_LOG_MAX: u32 = 31;

/// One member's decoder, from the start of its compressed bytes.
pub(crate) enum Decoder {
    Deflate(flate2::Decompress),
    Bzip2(bzip2::Decompress),
    Lzma(Lzma),
    Zstd(Box<zstd::stream::raw::Decoder<'static>>),
}

/// LZMA as zip stores it: a 4-byte header and the 5 property bytes, then
/// the raw LZMA1 stream, which ends with an end marker when flag bit 1 is
/// set and otherwise at the declared size.
pub(crate) struct Lzma {
    /// The header and properties, gathered until complete.
    header: Vec<u8>,
    stream: Option<liblzma::stream::Stream>,
    /// The uncompressed size: the dictionary need not be larger.
    size: u64,
    end_marker: bool,
}

/// What one call of [`Decoder::run`] did.
pub(crate) struct Step {
    /// Compressed bytes consumed.
    pub used: usize,
    /// Uncompressed bytes written to the front of the output.
    pub made: usize,
    /// The stream reached its end.
    pub ended: bool,
}

impl Decoder {
    /// A decoder for zip method `method` of a member of `size` uncompressed
    /// bytes and general-purpose `flags`. Methods without a decoder are
    /// refused when the member is opened, before this.
    pub(crate) fn new(method: u16, size: u64, flags: u16) -> Result<Decoder> {
        Ok(match method {
            DEFLATED => Decoder::Deflate(flate2::Decompress::new(false)),
            BZIP2 => Decoder::Bzip2(bzip2::Decompress::new(false)),
            LZMA => Decoder::Lzma(Lzma {
                header: Vec::with_capacity(LZMA_PREFIX + LZMA_PROPS),
                stream: None,
                size,
                end_marker: flags & 2 != 0,
            }),
            ZSTD => {
                let mut d = zstd::stream::raw::Decoder::new()
                    .map_err(|e| err!(Alloc, "cannot make a zstd decoder: {e}"))?;
                let need = (64 - size.saturating_sub(1).leading_zeros()).min(ZSTD_WINDOW_LOG_MAX);
                let log = need.max(ZSTD_WINDOW_LOG_DEFAULT);
                d.set_parameter(zstd::stream::raw::DParameter::WindowLogMax(log))
                    .map_err(|e| err!(Alloc, "cannot set the zstd window limit: {e}"))?;
                Decoder::Zstd(Box::new(d))
            }
            m => bail!(
                Unsupported,
                "compression method {m} ({}) has no decoder",
                super::zip::method_name(m)
            ),
        })
    }

    /// The method's name, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Decoder::Deflate(_) => "deflate",
            Decoder::Bzip2(_) => "bzip2",
            Decoder::Lzma(_) => "LZMA",
            Decoder::Zstd(_) => "zstd",
        }
    }

    /// Whether the stream may end without a marker, at the declared size
    /// (LZMA without its end marker).
    pub(crate) fn ends_at_size(&self) -> bool {
        matches!(self, Decoder::Lzma(l) if !l.end_marker)
    }

    /// Decode from `input` into `out` as far as both go.
    pub(crate) fn run(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step> {
        let corrupt =
            |name: &str, e: &dyn std::fmt::Display| err!(Zip, "corrupt {name} stream: {e}");
        match self {
            Decoder::Deflate(d) => {
                let (i, o) = (d.total_in(), d.total_out());
                let s = d
                    .decompress(input, out, flate2::FlushDecompress::None)
                    .map_err(|e| corrupt("deflate", &e))?;
                Ok(Step {
                    used: (d.total_in() - i) as usize,
                    made: (d.total_out() - o) as usize,
                    ended: s == flate2::Status::StreamEnd,
                })
            }
            Decoder::Bzip2(d) => {
                let (i, o) = (d.total_in(), d.total_out());
                let s = d.decompress(input, out).map_err(|e| corrupt("bzip2", &e))?;
                Ok(Step {
                    used: (d.total_in() - i) as usize,
                    made: (d.total_out() - o) as usize,
                    ended: s == bzip2::Status::StreamEnd,
                })
            }
            Decoder::Lzma(l) => l.run(input, out),
            Decoder::Zstd(d) => {
                use zstd::stream::raw::{InBuffer, Operation, OutBuffer};
                let mut i = InBuffer::around(input);
                let mut o = OutBuffer::around(out);
                let hint = d.run(&mut i, &mut o).map_err(|e| corrupt("zstd", &e))?;
                Ok(Step {
                    used: i.pos(),
                    made: o.pos(),
                    ended: hint == 0,
                })
            }
        }
    }
}

impl Lzma {
    fn run(&mut self, input: &[u8], out: &mut [u8]) -> Result<Step> {
        let mut used = 0;
        if self.stream.is_none() {
            let want = LZMA_PREFIX + LZMA_PROPS - self.header.len();
            let take = want.min(input.len());
            self.header.extend_from_slice(&input[..take]);
            used = take;
            if self.header.len() < LZMA_PREFIX + LZMA_PROPS {
                return Ok(Step {
                    used,
                    made: 0,
                    ended: false,
                });
            }
            self.stream = Some(self.start()?);
        }
        let Some(s) = self.stream.as_mut() else {
            bail!(Zip, "LZMA stream has no decoder");
        };
        let (i, o) = (s.total_in(), s.total_out());
        let status = s
            .process(&input[used..], out, liblzma::stream::Action::Run)
            .map_err(|e| err!(Zip, "corrupt LZMA stream: {e}"))?;
        Ok(Step {
            used: used + (s.total_in() - i) as usize,
            made: (s.total_out() - o) as usize,
            ended: status == liblzma::stream::Status::StreamEnd,
        })
    }

    /// Check the header and the properties, and make the raw LZMA1 decoder.
    /// The dictionary is no larger than the member: a valid stream never
    /// reaches back further than what it produced.
    fn start(&self) -> Result<liblzma::stream::Stream> {
        let h = &self.header;
        let props_len = u16::from_le_bytes([h[2], h[3]]) as usize;
        if props_len != LZMA_PROPS {
            bail!(
                Zip,
                "bad LZMA properties: the header gives {props_len} bytes of properties, LZMA1 has {LZMA_PROPS}"
            );
        }
        let p = &h[LZMA_PREFIX..];
        let d = p[0] as u32;
        if d >= 9 * 5 * 5 {
            bail!(
                Zip,
                "bad LZMA properties: byte {d:#04x} is not a valid lc/lp/pb combination"
            );
        }
        let (lc, lp, pb) = (d % 9, (d / 9) % 5, d / 45);
        if lc + lp > 4 {
            bail!(
                Zip,
                "bad LZMA properties: lc {lc} + lp {lp} exceeds 4, which LZMA1 decoders refuse"
            );
        }
        let dict = u32::from_le_bytes([p[1], p[2], p[3], p[4]]);
        let dict = (dict as u64).min(self.size.max(4096)) as u32;
        let mut opts = liblzma::stream::LzmaOptions::new();
        opts.literal_context_bits(lc)
            .literal_position_bits(lp)
            .position_bits(pb)
            .dict_size(dict);
        let mut filters = liblzma::stream::Filters::new();
        filters.lzma1(&opts);
        liblzma::stream::Stream::new_raw_decoder(&filters)
            .map_err(|e| err!(Zip, "bad LZMA properties: the decoder refuses them ({e})"))
    }
}
