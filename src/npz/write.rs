//! Writing .npz archives exactly as `np.savez` does (stored members are
//! byte-identical), with deflate and zstd members compressed on all cores,
//! members streamed in pieces, and the archive committed atomically.

use super::blocks::{compress_block, BLOCK, WINDOW};
pub use super::compression::Compression;
use super::compression::{extract_version, method_of};
use super::zip::*;
use super::zstd_write::ZstdEncoder;
use crate::dtype::DType;
use crate::error::{Error, Result};
use crate::header::ArraySpec;
use crate::io::AtomicFile;
use crate::{bail, err};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Options for an archive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NpzWriterOptions {
    /// fsync the archive and its directory on finish.
    pub fsync: bool,
    /// Pad local headers so every stored member's data starts at a multiple
    /// of 64 bytes (the array data too, since .npy headers are 64-aligned).
    pub align: bool,
    /// zlib level 0–9 for deflate members (NumPy uses 6).
    pub level: u32,
    /// Threads used to compress one member; 0 means all cores.
    pub threads: usize,
    /// The compression of members added with [`NpzWriter::add_array`]:
    /// `Stored` as `np.savez` writes them (the default), `Deflate` as
    /// `np.savez_compressed`.
    pub compression: Compression,
    /// zstd level for zstd members: 1–22, or zstd's negative fast levels
    /// (see [`NpzWriterOptions::checked_zstd_level`]); 1 by default (zstd's
    /// own default is 3).
    pub zstd_level: i32,
}

impl Default for NpzWriterOptions {
    fn default() -> Self {
        NpzWriterOptions {
            fsync: false,
            align: false,
            level: DEFAULT_LEVEL,
            threads: 0,
            compression: Compression::Stored,
            zstd_level: DEFAULT_ZSTD_LEVEL,
        }
    }
}

/// The level of zstd members unless set: 1, not zstd's own 3. On float64
/// arrays level 1 wrote about twice as fast as level 3 with members of
/// nearly the same size (docs/BENCHMARKS.md, "zstd level 1 as the
/// default"): 0.9954 of deflate's size on random doubles at both levels,
/// 0.956 against 1.005 on a mostly-zero array, 0.768 against 0.747 on
/// arange.
const DEFAULT_ZSTD_LEVEL: i32 = 1;
/// zstd members at least this large are compressed by several threads
/// (zstd's own workers, in one frame); smaller ones by one.
const ZSTD_THREADED_FROM: u64 = 4 << 20;

/// A member written whole, as the central directory will list it.
struct WrittenMember {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    crc: u32,
    csize: u64,
    usize_: u64,
    offset: u64,
}

/// The member being written in pieces (`begin` .. `end`).
struct StreamedMember {
    name: Vec<u8>,
    flags: u16,
    method: u16,
    offset: u64,
    usize_: u64,
    expected: u64,
    got: u64,
    crc: crc32fast::Hasher,
    csize: u64,
    deflate: Option<flate2::Compress>,
    zstd: Option<ZstdEncoder>,
    /// Local header offset of the zip64 extra's size fields.
    extra_at: u64,
}

/// An .npz archive being written. Members are added whole (`add`) or in
/// pieces (`begin` / `write` / `end`); `finish` writes the central directory
/// and renames the archive over the target. Dropping it, `discard`, or any
/// failure leaves an existing file at the path untouched. A FIFO, a device
/// or a descriptor (`/dev/stdout`) is written in place as a stream: members
/// written in pieces, and deflate members, then carry their CRC and sizes
/// in a data descriptor after their data (as `zipfile` writes to an
/// unseekable file), and nothing is ever rewritten.
pub struct NpzWriter {
    file: AtomicFile,
    opts: NpzWriterOptions,
    pos: u64,
    members: Vec<WrittenMember>,
    open: Option<StreamedMember>,
    failed: Option<Error>,
}

impl std::fmt::Debug for NpzWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NpzWriter")
            .field("target", &self.file.target())
            .field("members", &self.members.len())
            .finish()
    }
}

/// The deflate level NumPy (through zlib) uses.
const DEFAULT_LEVEL: u32 = 6;

impl NpzWriterOptions {
    /// A deflate level in zlib's convention: 0 to 9, or -1 for the default
    /// (6, as NumPy); others are `InvalidArg`.
    pub fn zlib_level(level: i32) -> Result<u32> {
        match level {
            -1 => Ok(DEFAULT_LEVEL),
            0..=9 => Ok(level as u32),
            l => bail!(
                InvalidArg,
                "compression level {l} is not in 0..=9 (or -1 for the default)"
            ),
        }
    }

    /// A zstd level: 1 to 22 (zstd's maximum), a negative fast level down
    /// to zstd's minimum (-131072), or 0 for the default (1, the initial level);
    /// others are `InvalidArg`.
    pub fn checked_zstd_level(level: i32) -> Result<i32> {
        let (lo, hi) = (
            zstd::zstd_safe::min_c_level(),
            zstd::zstd_safe::max_c_level(),
        );
        match level {
            0 => Ok(DEFAULT_ZSTD_LEVEL),
            l if (lo..=hi).contains(&l) => Ok(l),
            l => bail!(
                InvalidArg,
                "zstd level {l} is not in {lo}..={hi} (or 0 for the default)"
            ),
        }
    }
}

impl NpzWriter {
    /// Start an archive at `path` (written to a temporary file until finish).
    pub fn create(path: impl AsRef<Path>, opts: NpzWriterOptions) -> Result<NpzWriter> {
        if opts.level > 9 {
            bail!(
                InvalidArg,
                "compression level {} is not in 0..=9",
                opts.level
            );
        }
        if opts.zstd_level == 0 || NpzWriterOptions::checked_zstd_level(opts.zstd_level).is_err() {
            bail!(
                InvalidArg,
                "zstd level {} is not in {}..={} (0 is not a level here; NpzWriterOptions::checked_zstd_level maps it to the default)",
                opts.zstd_level,
                zstd::zstd_safe::min_c_level(),
                zstd::zstd_safe::max_c_level()
            );
        }
        Ok(NpzWriter {
            file: AtomicFile::create(path.as_ref(), opts.fsync)?,
            opts,
            pos: 0,
            members: Vec::new(),
            open: None,
            failed: None,
        })
    }

    /// Start an archive written to `sink`, a writer the caller supplies
    /// (as `np.savez` to a `BytesIO`): in order, as to a stream (members
    /// written in pieces and deflate members carry a data descriptor,
    /// nothing is rewritten); `finish` writes the directory and flushes
    /// it. `name` names the sink in messages.
    pub fn to_sink(
        sink: impl std::io::Write + Send + 'static,
        name: &str,
        opts: NpzWriterOptions,
    ) -> Result<NpzWriter> {
        if opts.level > 9 {
            bail!(
                InvalidArg,
                "compression level {} is not in 0..=9",
                opts.level
            );
        }
        Ok(NpzWriter {
            file: AtomicFile::to_sink(Box::new(sink), name),
            opts,
            pos: 0,
            members: Vec::new(),
            open: None,
            failed: None,
        })
    }

    fn target(&self) -> String {
        self.file.target().display().to_string()
    }

    fn check_usable(&self) -> Result<()> {
        if let Some(e) = &self.failed {
            bail!(
                State,
                "{}: archive writer already failed: {}",
                self.target(),
                e.message()
            );
        }
        Ok(())
    }

    /// Record an I/O failure: the writer only accepts finish/discard after it.
    fn fail(&mut self, e: Error) -> Error {
        self.failed = Some(e.clone());
        e
    }

    fn write_all(&mut self, b: &[u8]) -> Result<()> {
        if let Err(e) = self.file.write_all(b) {
            return Err(self.fail(e));
        }
        self.pos += b.len() as u64;
        Ok(())
    }

    fn pwrite(&mut self, b: &[u8], at: u64) -> Result<()> {
        let target = self.target();
        if let Err(e) = self.file.file().write_all_at(b, at) {
            return Err(self.fail(Error::io(format!("{target}: write"), e)));
        }
        Ok(())
    }

    fn check_name(&self, name: &str) -> Result<Vec<u8>> {
        if name.is_empty() {
            bail!(InvalidArg, "{}: member name is empty", self.target());
        }
        if name.contains('\0') {
            bail!(
                InvalidArg,
                "{}: member name {:?} contains a NUL byte",
                self.target(),
                name
            );
        }
        let full = format!("{name}.npy");
        if full.len() > 0xFFFF {
            bail!(
                InvalidArg,
                "{}: member name is longer than 65535 bytes",
                self.target()
            );
        }
        let (raw, _) = encode_name(&full);
        if self.members.iter().any(|m| m.name == raw) {
            bail!(
                InvalidArg,
                "{}: duplicate member name {}",
                self.target(),
                crate::pytext::repr_str(name)
            );
        }
        Ok(raw)
    }

    /// The local header, with `crc` and the sizes (in the zip64 extra) as
    /// given; Python's `zipfile` with `force_zip64=True` writes this form.
    fn local_header(
        &self,
        name: &[u8],
        flags: u16,
        method: u16,
        crc: u32,
        usize_: u64,
        csize: u64,
    ) -> Vec<u8> {
        let mut h = Vec::with_capacity(LOCAL_LEN + name.len() + 20 + 68);
        let base_extra = 20usize;
        let pad = if self.opts.align && method == STORED {
            let start = self.pos as usize + LOCAL_LEN + name.len() + base_extra;
            let mut p = (64 - start % 64) % 64;
            if p != 0 && p < 4 {
                p += 64;
            }
            p
        } else {
            0
        };
        h.extend_from_slice(&LOCAL_SIG.to_le_bytes());
        h.extend_from_slice(&extract_version(method).to_le_bytes());
        h.extend_from_slice(&flags.to_le_bytes());
        h.extend_from_slice(&method.to_le_bytes());
        h.extend_from_slice(&0u16.to_le_bytes()); // time 00:00
        h.extend_from_slice(&DOS_DATE_1980.to_le_bytes());
        h.extend_from_slice(&crc.to_le_bytes());
        h.extend_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        h.extend_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        h.extend_from_slice(&(name.len() as u16).to_le_bytes());
        h.extend_from_slice(&((base_extra + pad) as u16).to_le_bytes());
        h.extend_from_slice(name);
        h.extend_from_slice(&1u16.to_le_bytes());
        h.extend_from_slice(&16u16.to_le_bytes());
        h.extend_from_slice(&usize_.to_le_bytes());
        h.extend_from_slice(&csize.to_le_bytes());
        if pad > 0 {
            h.extend_from_slice(&ALIGN_EXTRA_ID.to_le_bytes());
            h.extend_from_slice(&((pad - 4) as u16).to_le_bytes());
            h.resize(h.len() + pad - 4, 0);
        }
        h
    }

    /// Check that a member may start now and that `name` is usable; returns
    /// the name's bytes and the member's .npy header.
    fn start_member(&mut self, name: &str, spec: &ArraySpec) -> Result<(Vec<u8>, Vec<u8>)> {
        self.check_usable()?;
        if self.open.is_some() {
            bail!(
                State,
                "{}: a streamed member is still open (call end first)",
                self.target()
            );
        }
        let raw = self.check_name(name)?;
        let header = spec.header_bytes().map_err(|e| e.context(self.target()))?;
        Ok((raw, header))
    }

    /// Add a C-order array as member `name` + ".npy" with the archive's
    /// compression ([`NpzWriterOptions::compression`]): the member is what
    /// `np.savez` (stored) or `np.savez_compressed` (deflate) writes for it.
    /// `data` is in the dtype's byte order, exactly product(`shape`) ×
    /// itemsize bytes. Errors as [`NpzWriter::add`].
    pub fn add_array(
        &mut self,
        name: &str,
        dtype: &DType,
        shape: &[u64],
        data: &[u8],
    ) -> Result<()> {
        self.add(name, dtype, shape, false, data, self.opts.compression)
    }

    /// Set the level of the members of `compression` added from now on:
    /// for [`Compression::Deflate`] a zlib level (0 to 9, or -1 for 6, as
    /// [`NpzWriterOptions::zlib_level`]), for [`Compression::Zstd`] a zstd
    /// level (as [`NpzWriterOptions::checked_zstd_level`]: 0 is zstd's
    /// default). Stored members have no level: `InvalidArg`, as is a level
    /// out of range. A member already open keeps its level.
    pub fn set_level(&mut self, compression: Compression, level: i32) -> Result<()> {
        let ctx = |e: Error| e.context(self.target());
        match compression {
            Compression::Deflate => {
                self.opts.level = NpzWriterOptions::zlib_level(level).map_err(ctx)?
            }
            Compression::Zstd => {
                self.opts.zstd_level = NpzWriterOptions::checked_zstd_level(level).map_err(ctx)?
            }
            Compression::Stored => {
                return Err(ctx(err!(InvalidArg, "stored members have no level")))
            }
        }
        Ok(())
    }

    /// Add a whole array as member `name` + ".npy". `data` is in storage
    /// order (C, or Fortran when `fortran_order`) and the dtype's byte order.
    #[allow(clippy::too_many_arguments)]
    pub fn add(
        &mut self,
        name: &str,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
        data: &[u8],
        compression: Compression,
    ) -> Result<()> {
        let spec =
            ArraySpec::new(dtype, shape, fortran_order).map_err(|e| e.context(self.target()))?;
        let expected = spec.nbytes();
        if data.len() as u64 != expected {
            bail!(
                SizeMismatch,
                "{}: member {}: data is {} bytes but shape {} of {} needs {expected}",
                self.target(),
                crate::pytext::repr_str(name),
                data.len(),
                crate::pytext::shape_repr(shape),
                dtype.descr()
            );
        }
        if compression == Compression::Stored {
            // Everything is known up front: one sequential pass, no patching.
            let (raw, header) = self.start_member(name, &spec)?;
            let mut crc = crc32fast::Hasher::new();
            crc.update(&header);
            crc.update(data);
            let crc = crc.finalize();
            let usize_ = (header.len() + data.len()) as u64;
            let (_, flags) = encode_name(&format!("{name}.npy"));
            let offset = self.pos;
            let lh = self.local_header(&raw, flags, STORED, crc, usize_, usize_);
            self.write_all(&lh)?;
            self.write_all(&header)?;
            self.write_all(data)?;
            self.members.push(WrittenMember {
                name: raw,
                flags,
                method: STORED,
                crc,
                csize: usize_,
                usize_,
                offset,
            });
            return Ok(());
        }
        self.begin_spec(name, spec, compression)?;
        self.write(data)?;
        self.end()
    }

    /// Start a member written in pieces with [`NpzWriter::write`].
    pub fn begin(
        &mut self,
        name: &str,
        dtype: &DType,
        shape: &[u64],
        fortran_order: bool,
        compression: Compression,
    ) -> Result<()> {
        let spec =
            ArraySpec::new(dtype, shape, fortran_order).map_err(|e| e.context(self.target()))?;
        self.begin_spec(name, spec, compression)
    }

    /// [`NpzWriter::begin`] for an array already described and checked.
    pub fn begin_spec(
        &mut self,
        name: &str,
        spec: ArraySpec,
        compression: Compression,
    ) -> Result<()> {
        let (raw, header) = self.start_member(name, &spec)?;
        let nbytes = spec.nbytes();
        let usize_ = header.len() as u64 + nbytes;
        let (_, mut flags) = encode_name(&format!("{name}.npy"));
        let method = method_of(compression);
        let offset = self.pos;
        // A target written as a stream (a FIFO, a device, a descriptor)
        // cannot have its local header patched at `end`: the CRC and sizes
        // follow the data in a data descriptor instead, as zipfile writes
        // to unseekable files.
        let lh = if self.file.is_stream() {
            flags |= FLAG_DATA_DESCRIPTOR;
            self.local_header(&raw, flags, method, 0, 0, 0)
        } else {
            let csize0 = if method == STORED { usize_ } else { 0 };
            self.local_header(&raw, flags, method, 0, usize_, csize0)
        };
        let extra_at = offset + (LOCAL_LEN + raw.len() + 4) as u64;
        let zstd = if method == ZSTD {
            Some(
                self.zstd_encoder(usize_)
                    .map_err(|e| e.context(self.target()))?,
            )
        } else {
            None
        };
        self.write_all(&lh)?;
        self.open = Some(StreamedMember {
            name: raw,
            flags,
            method,
            offset,
            usize_,
            expected: nbytes,
            got: 0,
            crc: crc32fast::Hasher::new(),
            csize: 0,
            deflate: (method == DEFLATED)
                .then(|| flate2::Compress::new(flate2::Compression::new(self.opts.level), false)),
            zstd,
            extra_at,
        });
        // The .npy header is the member's first bytes.
        self.feed(&header, true)
    }

    /// Append data to the member started with [`NpzWriter::begin`].
    pub fn write(&mut self, data: &[u8]) -> Result<()> {
        self.check_usable()?;
        let Some(o) = &self.open else {
            bail!(
                State,
                "{}: no member is open (call begin first)",
                self.target()
            );
        };
        if data.len() as u64 > o.expected - o.got {
            bail!(
                SizeMismatch,
                "{}: {} more bytes would exceed the member's {} data bytes ({} already written)",
                self.target(),
                data.len(),
                o.expected,
                o.got
            );
        }
        self.feed(data, false)
    }

    /// Add `data` to the open member. Any failure (writing, or compressing:
    /// part of the piece may already be in the file) makes the writer
    /// failed, so the member can never be ended with a wrong CRC or size.
    fn feed(&mut self, data: &[u8], is_header: bool) -> Result<()> {
        let mut o = self.open.take().expect("open member");
        let r = self.feed_inner(&mut o, data);
        if r.is_ok() && !is_header {
            o.got += data.len() as u64;
        }
        self.open = Some(o);
        r.map_err(|e| match &self.failed {
            Some(_) => e,
            None => self.fail(e),
        })
    }

    fn feed_inner(&mut self, o: &mut StreamedMember, data: &[u8]) -> Result<()> {
        if o.zstd.is_some() {
            o.crc.update(data);
            return self.zstd_step(o, data, false);
        }
        if o.deflate.is_none() {
            o.crc.update(data);
            o.csize += data.len() as u64;
            return self.write_all(data);
        }
        if data.len() >= 2 * BLOCK {
            // Big pieces: compress 1 MiB blocks on all cores, most with
            // libdeflate (about twice zlib's speed per core at the same
            // level; see compress_block). The stream so far is flushed to a
            // byte boundary first so blocks can be appended.
            self.deflate_step(o, &[], flate2::FlushCompress::Sync)?;
            let (crc, out_len) = self.deflate_parallel(data)?;
            o.crc.combine(&crc);
            o.csize += out_len;
            // Continue the serial stream primed with the data's last window.
            let mut c = flate2::Compress::new(flate2::Compression::new(self.opts.level), false);
            let tail = &data[data.len() - WINDOW.min(data.len())..];
            c.set_dictionary(tail)
                .map_err(|e| err!(Io, "deflate: set_dictionary: {e}"))?;
            o.deflate = Some(c);
            return Ok(());
        }
        o.crc.update(data);
        self.deflate_step(o, data, flate2::FlushCompress::None)
    }

    fn deflate_step(
        &mut self,
        o: &mut StreamedMember,
        mut input: &[u8],
        flush: flate2::FlushCompress,
    ) -> Result<()> {
        let mut out = vec![0u8; 256 << 10];
        loop {
            let c = o.deflate.as_mut().expect("deflate member");
            let (bi, bo) = (c.total_in(), c.total_out());
            let st = c
                .compress(input, &mut out, flush)
                .map_err(|e| err!(Io, "deflate: {e}"))?;
            let used = (c.total_in() - bi) as usize;
            let made = (c.total_out() - bo) as usize;
            input = &input[used..];
            if made > 0 {
                o.csize += made as u64;
                self.write_all(&out[..made])?;
            }
            let finished = st == flate2::Status::StreamEnd;
            if finished || (input.is_empty() && made < out.len()) {
                return Ok(());
            }
        }
    }

    /// A zstd encoder for a member of `size` bytes (see [`ZstdEncoder`]),
    /// with zstd's workers when the member is large.
    fn zstd_encoder(&self, size: u64) -> Result<ZstdEncoder> {
        let threads = self.threads();
        let workers = if threads > 1 && size >= ZSTD_THREADED_FROM {
            threads as u32
        } else {
            0
        };
        ZstdEncoder::new(self.opts.zstd_level, size, workers)
    }

    /// Compress `input` into the open zstd member, writing what comes out;
    /// with `end`, end the frame.
    fn zstd_step(&mut self, o: &mut StreamedMember, mut input: &[u8], end: bool) -> Result<()> {
        let mut out = vec![0u8; 256 << 10];
        loop {
            let enc = o.zstd.as_mut().expect("zstd member");
            let (used, made, left) = enc.run(input, &mut out, end)?;
            input = &input[used..];
            if made > 0 {
                o.csize += made as u64;
                self.write_all(&out[..made])?;
            }
            let done = if end {
                left == 0
            } else {
                input.is_empty() && made < out.len()
            };
            if done {
                return Ok(());
            }
        }
    }

    fn threads(&self) -> usize {
        if self.opts.threads > 0 {
            self.opts.threads
        } else {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        }
    }

    /// Compress `data` as independent 1 MiB blocks, each made a non-final,
    /// byte-aligned segment so they concatenate into one stream, on all
    /// cores, writing them in order. Returns the CRC of `data` and the
    /// compressed length.
    fn deflate_parallel(&mut self, data: &[u8]) -> Result<(crc32fast::Hasher, u64)> {
        let threads = self.threads();
        let level = self.opts.level;
        let nblocks = data.len().div_ceil(BLOCK);
        let mut crc = crc32fast::Hasher::new();
        let mut total = 0u64;
        let wave = threads * 2;
        let mut first = 0;
        while first < nblocks {
            let last = (first + wave).min(nblocks);
            type Slot = std::sync::Mutex<Option<Result<(Vec<u8>, crc32fast::Hasher)>>>;
            let next = std::sync::atomic::AtomicUsize::new(first);
            let slots: Vec<Slot> = (first..last).map(|_| std::sync::Mutex::new(None)).collect();
            let work = || {
                // `create` checked 0..=9; libdeflate takes 0..=12.
                let lvl = libdeflater::CompressionLvl::new(level as i32).unwrap_or_default();
                let mut c = libdeflater::Compressor::new(lvl);
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= last {
                        break;
                    }
                    let r = compress_block(&mut c, data, i, level);
                    *slots[i - first].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                }
            };
            std::thread::scope(|s| {
                for _ in 1..threads.min(last - first) {
                    s.spawn(work);
                }
                work();
            });
            let results = slots.into_iter().map(|m| {
                m.into_inner()
                    .unwrap_or_else(|p| p.into_inner())
                    .unwrap_or_else(|| Err(err!(Io, "deflate worker produced nothing")))
            });
            for r in results {
                let (out, c) = r?;
                crc.combine(&c);
                total += out.len() as u64;
                self.write_all(&out)?;
            }
            first = last;
        }
        Ok((crc, total))
    }

    /// Finish the member started with [`NpzWriter::begin`]: check its size,
    /// patch its CRC and compressed size into the local header.
    pub fn end(&mut self) -> Result<()> {
        self.check_usable()?;
        let Some(mut o) = self.open.take() else {
            bail!(
                State,
                "{}: no member is open (call begin first)",
                self.target()
            );
        };
        if o.got != o.expected {
            let e = err!(
                SizeMismatch,
                "{}: member {}: {} data bytes written but the array needs {}",
                self.target(),
                crate::pytext::repr_str(&String::from_utf8_lossy(&o.name)),
                o.got,
                o.expected
            );
            return Err(self.fail(e));
        }
        if o.deflate.is_some() {
            if let Err(e) = self.deflate_step(&mut o, &[], flate2::FlushCompress::Finish) {
                return Err(self.fail(e));
            }
        }
        if o.zstd.is_some() {
            if let Err(e) = self.zstd_step(&mut o, &[], true) {
                return Err(self.fail(e));
            }
        }
        let crc = o.crc.clone().finalize();
        let usize_ = o.usize_;
        if o.flags & FLAG_DATA_DESCRIPTOR != 0 {
            // Signature, CRC, then the zip64 sizes (compressed first), as
            // the local header has a zip64 extra.
            let mut dd = [0u8; 24];
            dd[..4].copy_from_slice(&DATA_DESCRIPTOR_SIG.to_le_bytes());
            dd[4..8].copy_from_slice(&crc.to_le_bytes());
            dd[8..16].copy_from_slice(&o.csize.to_le_bytes());
            dd[16..].copy_from_slice(&usize_.to_le_bytes());
            self.write_all(&dd)?;
        } else {
            self.pwrite(&crc.to_le_bytes(), o.offset + 14)?;
            self.pwrite(&o.csize.to_le_bytes(), o.extra_at + 8)?;
        }
        self.members.push(WrittenMember {
            name: o.name,
            flags: o.flags,
            method: o.method,
            crc,
            csize: o.csize,
            usize_,
            offset: o.offset,
        });
        Ok(())
    }

    /// Write the central directory and end records, then rename the archive
    /// over the target. The writer is consumed; on error the temporary file
    /// is removed and any old file is untouched.
    pub fn finish(mut self) -> Result<()> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        if self.open.is_some() {
            bail!(
                State,
                "{}: a streamed member is still open (call end first)",
                self.target()
            );
        }
        let cd_start = self.pos;
        let mut cd = Vec::new();
        for m in &self.members {
            let mut extra: Vec<u64> = Vec::new();
            let (fs, cs) = if m.usize_ > ZIP64_LIMIT || m.csize > ZIP64_LIMIT {
                extra.push(m.usize_);
                extra.push(m.csize);
                (0xFFFF_FFFFu32, 0xFFFF_FFFFu32)
            } else {
                (m.usize_ as u32, m.csize as u32)
            };
            let off = if m.offset > ZIP64_LIMIT {
                extra.push(m.offset);
                0xFFFF_FFFFu32
            } else {
                m.offset as u32
            };
            let version = extract_version(m.method);
            cd.extend_from_slice(&CENTRAL_SIG.to_le_bytes());
            cd.extend_from_slice(&version.to_le_bytes()[..1]);
            cd.push(CREATE_SYSTEM_UNIX);
            cd.extend_from_slice(&version.to_le_bytes());
            cd.extend_from_slice(&m.flags.to_le_bytes());
            cd.extend_from_slice(&m.method.to_le_bytes());
            cd.extend_from_slice(&0u16.to_le_bytes());
            cd.extend_from_slice(&DOS_DATE_1980.to_le_bytes());
            cd.extend_from_slice(&m.crc.to_le_bytes());
            cd.extend_from_slice(&cs.to_le_bytes());
            cd.extend_from_slice(&fs.to_le_bytes());
            cd.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
            let extra_len = if extra.is_empty() {
                0
            } else {
                4 + 8 * extra.len()
            };
            cd.extend_from_slice(&(extra_len as u16).to_le_bytes());
            cd.extend_from_slice(&0u16.to_le_bytes()); // comment
            cd.extend_from_slice(&0u16.to_le_bytes()); // disk
            cd.extend_from_slice(&0u16.to_le_bytes()); // internal attr
            cd.extend_from_slice(&EXTERNAL_ATTR_0600.to_le_bytes());
            cd.extend_from_slice(&off.to_le_bytes());
            cd.extend_from_slice(&m.name);
            if !extra.is_empty() {
                cd.extend_from_slice(&1u16.to_le_bytes());
                cd.extend_from_slice(&((8 * extra.len()) as u16).to_le_bytes());
                for v in extra {
                    cd.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
        let count = self.members.len() as u64;
        let cd_size = cd.len() as u64;
        let cd_end = cd_start + cd_size;
        if count > FILECOUNT_LIMIT || cd_start > ZIP64_LIMIT || cd_size > ZIP64_LIMIT {
            cd.extend_from_slice(&EOCD64_SIG.to_le_bytes());
            cd.extend_from_slice(&44u64.to_le_bytes());
            cd.extend_from_slice(&ZIP64_VERSION.to_le_bytes());
            cd.extend_from_slice(&ZIP64_VERSION.to_le_bytes());
            cd.extend_from_slice(&0u32.to_le_bytes());
            cd.extend_from_slice(&0u32.to_le_bytes());
            cd.extend_from_slice(&count.to_le_bytes());
            cd.extend_from_slice(&count.to_le_bytes());
            cd.extend_from_slice(&cd_size.to_le_bytes());
            cd.extend_from_slice(&cd_start.to_le_bytes());
            cd.extend_from_slice(&EOCD64_LOC_SIG.to_le_bytes());
            cd.extend_from_slice(&0u32.to_le_bytes());
            cd.extend_from_slice(&cd_end.to_le_bytes());
            cd.extend_from_slice(&1u32.to_le_bytes());
        }
        cd.extend_from_slice(&EOCD_SIG.to_le_bytes());
        cd.extend_from_slice(&0u16.to_le_bytes());
        cd.extend_from_slice(&0u16.to_le_bytes());
        let c16 = count.min(FILECOUNT_LIMIT) as u16;
        cd.extend_from_slice(&c16.to_le_bytes());
        cd.extend_from_slice(&c16.to_le_bytes());
        cd.extend_from_slice(&(cd_size.min(0xFFFF_FFFF) as u32).to_le_bytes());
        cd.extend_from_slice(&(cd_start.min(0xFFFF_FFFF) as u32).to_le_bytes());
        cd.extend_from_slice(&0u16.to_le_bytes());
        self.write_all(&cd)?;
        self.file.commit()
    }

    /// Abandon the archive: remove the temporary file, keep any old file.
    pub fn discard(self) {}
}
