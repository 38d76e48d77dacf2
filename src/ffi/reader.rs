//! Caller-supplied I/O: `npyio_reader`, a positional-read callback with its
//! context, turned into a [`ByteSource`] for `npy_open_reader` and
//! `npz_open_reader` (objects in a store, HTTP range requests, encrypted
//! files, ...); and `npyio_writer_sink`, a write callback, turned into a
//! [`std::io::Write`] for `npy_writer_create_sink` and
//! `npz_writer_open_sink` (np.save to a file object, np.savez to BytesIO).
//!
//! The caller's obligations are stated in each function's `Ownership:` and
//! `NULL:` paragraphs (the header's documentation) rather than under a
//! Rust-only safety heading.

use super::args::null_arg;
use super::args::DTypeShape;
use super::boundary::new_handle;
use super::codes::{npyio_status, npz_writer_options};
use super::dtype::npyio_dtype;
use super::npy::npy_file;
use super::npy_write::npy_writer;
use super::npz::npz_file;
use super::npz_write::npz_writer;
use crate::error::Result;
use crate::io::ByteSource;
use crate::npz::NpzFile;
use crate::npz::NpzWriter;
use crate::NpyWriter;
use crate::{bail, err, NpyFile};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A positional reader the caller supplies: where `npy_open_reader` and
/// `npz_open_reader` get their bytes. Fill every field; set `struct_size`
/// to `sizeof(npyio_reader)` (later versions of the library may append
/// fields after `release`; they will read `struct_size` to know which ones
/// the caller's struct has, and give the new fields neutral defaults when
/// it is smaller). The library copies the struct at open: it need not
/// outlive the call, only `ctx` must.
///
/// \ingroup npyio_npy_read
#[repr(C)]
pub struct npyio_reader {
    /// `sizeof(npyio_reader)` as the caller compiled it; smaller than this
    /// version's struct gives `NPYIO_ERR_INVALID_ARG`.
    pub struct_size: usize,
    /// The caller's context, passed to `read_at` and `release` as is.
    pub ctx: *mut c_void,
    /// Read up to `len` bytes at `offset` into `buf` and return how many
    /// were read (at least 1 while `offset < size`; fewer than `len` is
    /// fine, the library asks again for the rest), or a negative number on
    /// failure (the library reports `NPYIO_ERR_IO` with that number in the
    /// message). The library asks only for ranges inside `size`. Must not
    /// be NULL.
    pub read_at: Option<
        unsafe extern "C" fn(ctx: *mut c_void, offset: u64, buf: *mut c_void, len: usize) -> i64,
    >,
    /// The total size in bytes of what is read (the .npy file or the .npz
    /// archive).
    pub size: u64,
    /// Called once with `ctx` when the library no longer needs the reader
    /// (see the open functions); may be NULL.
    pub release: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
}

/// The caller's reader as a byte source. Releases the context when
/// dropped, unless disarmed (a failed open leaves the context to the
/// caller).
struct CallbackSource {
    ctx: *mut c_void,
    read_at: unsafe extern "C" fn(*mut c_void, u64, *mut c_void, usize) -> i64,
    size: u64,
    release: Option<unsafe extern "C" fn(*mut c_void)>,
    armed: AtomicBool,
}

// SAFETY: the context is only handed back to the caller's callbacks, which
// the caller documents to be callable from any thread (and concurrently,
// see `npy_open_reader`'s Threads paragraph).
unsafe impl Send for CallbackSource {}
unsafe impl Sync for CallbackSource {}

impl CallbackSource {
    /// The reader `r` describes, checked.
    ///
    /// # Safety
    /// `r` must be NULL or point to a readable `npyio_reader` of at least
    /// `struct_size` bytes whose callbacks are valid for its context.
    unsafe fn new(r: *const npyio_reader) -> Result<Arc<CallbackSource>> {
        // SAFETY: as the caller promises.
        let r = r.as_ref().ok_or_else(|| null_arg("reader"))?;
        let need = std::mem::size_of::<npyio_reader>();
        if r.struct_size < need {
            bail!(
                InvalidArg,
                "reader: struct_size {} is smaller than this library's npyio_reader ({need} bytes); set it to sizeof(npyio_reader)",
                r.struct_size
            );
        }
        let read_at = r.read_at.ok_or_else(|| null_arg("reader->read_at"))?;
        Ok(Arc::new(CallbackSource {
            ctx: r.ctx,
            read_at,
            size: r.size,
            release: r.release,
            armed: AtomicBool::new(true),
        }))
    }

    /// Keep the context from being released: the open failed and the
    /// caller keeps it.
    fn disarm(&self) {
        self.armed.store(false, Ordering::SeqCst);
    }
}

impl ByteSource for CallbackSource {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> Result<()> {
        let mut done = 0usize;
        // An empty read asks nothing of the callback.
        while done < buf.len() {
            let at = offset + done as u64;
            let want = buf.len() - done;
            // SAFETY: the callback receives `want` writable bytes of `buf`,
            // and the context the caller gave with it.
            let n = unsafe { (self.read_at)(self.ctx, at, buf[done..].as_mut_ptr().cast(), want) };
            if n < 0 {
                bail!(
                    Io,
                    "reader: read_at failed at offset {at} ({want} bytes asked): returned {n}"
                );
            }
            if n == 0 {
                bail!(
                    Truncated,
                    "reader: read_at returned no bytes at offset {at}, before the end of its {} bytes",
                    self.size
                );
            }
            if n as u64 > want as u64 {
                return Err(err!(
                    Io,
                    "reader: read_at returned {n} bytes at offset {at} but {want} were asked"
                ));
            }
            done += n as usize;
        }
        Ok(())
    }
}

impl Drop for CallbackSource {
    fn drop(&mut self) {
        if let (Some(release), true) = (self.release, *self.armed.get_mut()) {
            // SAFETY: the caller's release hook with its own context, once.
            unsafe { release(self.ctx) }
        }
    }
}

/// Open with `open` over the caller's reader; on failure the reader is
/// not released (the caller keeps its context).
fn open_with<T>(
    reader: *const npyio_reader,
    open: impl FnOnce(Arc<CallbackSource>) -> Result<T>,
) -> Result<T> {
    // SAFETY: as the exported functions' callers promise.
    let src = unsafe { CallbackSource::new(reader)? };
    let keep = src.clone();
    open(src).inspect_err(|_| keep.disarm())
}

/// Open the .npy array that the caller's `reader` reads, as `npy_open`
/// opens a file: the header is read now (three reads, in order, at the
/// start) and fully checked, including that `reader->size` holds all the
/// data; the data is read when asked, only the bytes asked for (reads of
/// rows ask for those rows). Every describe and read function works on the
/// handle (`npy_data` is NULL: nothing is in memory). The array is named
/// `<reader>` in messages.
///
/// Ownership: `*reader` is copied during the call; `reader->ctx` is the
/// caller's until the call succeeds, and from then on must stay valid until
/// the library calls `reader->release(ctx)`, exactly once, when the handle
/// is closed (`npy_close`). On failure `release` is not called and the
/// context stays the caller's. `*out` receives a handle the caller owns.
///
/// NULL: `reader`, `reader->read_at` and `out` must not be NULL;
/// `reader->release` may be NULL (nothing to release).
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) when
/// `reader->struct_size` is smaller than `sizeof(npyio_reader)`;
/// `NPYIO_ERR_IO` (-3) when `read_at` returns a negative number (or more
/// bytes than asked); `NPYIO_ERR_TRUNCATED` (-10) when it returns 0 before
/// `size`, or `size` is too small for the header or the data; every error
/// of `npy_open` for the header. Later reads report the same errors.
///
/// Threads: `read_at` is called from the threads that call the library on
/// this handle, during those calls only, and concurrently when they are
/// concurrent (the describe and read functions may be called from several
/// threads at once on one handle): a `read_at` that cannot serve
/// concurrent calls must lock, or the caller must not read concurrently.
/// `release` is called from the thread that closes the handle.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_open_reader(
    reader: *const npyio_reader,
    out: *mut *mut npy_file,
) -> npyio_status {
    // `out` is checked before the reader is looked at.
    new_handle(out, || {
        open_with(reader, |src| NpyFile::from_reader(src, "<reader>"))
    })
}

/// Open the .npz archive that the caller's `reader` reads, as `npz_open`
/// opens a file: the directory is read now (the end records and the
/// central directory, a few reads near the end) and checked; a member's
/// bytes are read only when it is opened and read, and only that member's
/// (its local header and data): reading one member of a large remote
/// archive fetches about that member's size plus the directory. Every
/// `npz_*` function works on the handle, and members opened from it
/// (`npz_open_member`) work with every `npy_*` describe and read function.
/// `npz_mmap_member` gives `NPYIO_ERR_NOT_MAPPABLE` (there is no file to
/// map). The archive is named `<reader>` in messages.
///
/// Ownership: `*reader` is copied during the call; `reader->ctx` is the
/// caller's until the call succeeds, and from then on must stay valid until
/// the library calls `reader->release(ctx)`, exactly once, when the archive
/// and every member opened from it are closed (members stay valid after
/// `npz_close`). On failure `release` is not called and the context stays
/// the caller's. `*out` receives a handle the caller owns.
///
/// NULL: `reader`, `reader->read_at` and `out` must not be NULL;
/// `reader->release` may be NULL.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) when
/// `reader->struct_size` is smaller than `sizeof(npyio_reader)`;
/// `NPYIO_ERR_IO` (-3) when `read_at` fails; `NPYIO_ERR_TRUNCATED` (-10)
/// when it returns 0 before `size`; every error of `npz_open` for the
/// archive (`NPYIO_ERR_ZIP` (-17), `NPYIO_ERR_LIMIT` (-11), ...). Later
/// reads report the same errors, and `NPYIO_ERR_CRC` (-18).
///
/// Threads: `read_at` is called during the library's calls on the archive
/// or its members only, from the threads that make them, and concurrently
/// when they are concurrent (members may be opened and read from several
/// threads at once). A whole read of a deflate or zstd member of 16 MiB or
/// more also calls it from threads the library starts for that read (for a
/// deflate member several at once), unless `NPYIO_LIMIT_READ_THREADS` is 1.
/// A `read_at` that cannot serve concurrent calls must lock. `release` is
/// called from the thread that closes the last of the archive and its
/// members.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_open_reader(
    reader: *const npyio_reader,
    out: *mut *mut npz_file,
) -> npyio_status {
    new_handle(out, || {
        open_with(reader, |src| NpzFile::from_reader(src, "<reader>"))
    })
}

/// A writer the caller supplies: where `npy_writer_create_sink` and
/// `npz_writer_open_sink` send their bytes, in order (as `np.save` writes
/// to a file object and `np.savez` to a `BytesIO`). Fill every field; set
/// `struct_size` to `sizeof(npyio_writer_sink)` (later versions may append
/// fields, as for `npyio_reader`). The library copies the struct: only
/// `ctx` must outlive the call.
///
/// \ingroup npyio_npy_write
#[repr(C)]
pub struct npyio_writer_sink {
    /// `sizeof(npyio_writer_sink)` as the caller compiled it; smaller than
    /// this version's struct gives `NPYIO_ERR_INVALID_ARG`.
    pub struct_size: usize,
    /// The caller's context, passed to `write` and `release` as is.
    pub ctx: *mut c_void,
    /// Take up to `len` bytes at `buf` (the next bytes of the file) and
    /// return how many were taken (at least 1; fewer than `len` is fine,
    /// the library passes the rest again), or a negative number on failure
    /// (the library reports `NPYIO_ERR_IO` with that number). Must not be
    /// NULL.
    pub write:
        Option<unsafe extern "C" fn(ctx: *mut c_void, buf: *const c_void, len: usize) -> i64>,
    /// Called once with `ctx` when the writer is done with the sink (see
    /// the functions that take one); may be NULL.
    pub release: Option<unsafe extern "C" fn(ctx: *mut c_void)>,
}

/// The caller's sink as a [`std::io::Write`]. Releases the context when
/// dropped once armed (armed when the writer that holds it is made: a
/// failed open leaves the context to the caller).
struct CallbackSink {
    ctx: *mut c_void,
    write: unsafe extern "C" fn(*mut c_void, *const c_void, usize) -> i64,
    release: Option<unsafe extern "C" fn(*mut c_void)>,
    armed: Arc<AtomicBool>,
}

// SAFETY: the writer that owns the sink belongs to one thread at a time;
// the context only goes back to the caller's callbacks.
unsafe impl Send for CallbackSink {}

impl CallbackSink {
    /// The sink `s` describes, checked.
    ///
    /// # Safety
    /// `s` must be NULL or point to a readable `npyio_writer_sink` of at
    /// least `struct_size` bytes whose callbacks are valid for its context.
    unsafe fn new(s: *const npyio_writer_sink) -> Result<CallbackSink> {
        // SAFETY: as the caller promises.
        let s = s.as_ref().ok_or_else(|| null_arg("sink"))?;
        let need = std::mem::size_of::<npyio_writer_sink>();
        if s.struct_size < need {
            bail!(
                InvalidArg,
                "sink: struct_size {} is smaller than this library's npyio_writer_sink ({need} bytes); set it to sizeof(npyio_writer_sink)",
                s.struct_size
            );
        }
        let write = s.write.ok_or_else(|| null_arg("sink->write"))?;
        Ok(CallbackSink {
            ctx: s.ctx,
            write,
            release: s.release,
            armed: Arc::new(AtomicBool::new(false)),
        })
    }
}

impl std::io::Write for CallbackSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // SAFETY: the callback reads `buf.len()` bytes of `buf`, with the
        // context the caller gave with it.
        let n = unsafe { (self.write)(self.ctx, buf.as_ptr().cast(), buf.len()) };
        if n < 0 {
            return Err(std::io::Error::other(format!(
                "the sink's write failed: returned {n}"
            )));
        }
        if n == 0 || n as u64 > buf.len() as u64 {
            return Err(std::io::Error::other(format!(
                "the sink's write returned {n} for {} bytes",
                buf.len()
            )));
        }
        Ok(n as usize)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for CallbackSink {
    fn drop(&mut self) {
        if let (Some(release), true) = (self.release, self.armed.load(Ordering::SeqCst)) {
            // SAFETY: the caller's release hook with its own context, once.
            unsafe { release(self.ctx) }
        }
    }
}

/// Make a writer over the caller's sink with `make`; on failure the sink
/// is not released (the caller keeps its context).
fn sink_with<T>(
    sink: *const npyio_writer_sink,
    make: impl FnOnce(CallbackSink) -> Result<T>,
) -> Result<T> {
    // SAFETY: as the exported functions' callers promise.
    let s = unsafe { CallbackSink::new(sink)? };
    let armed = s.armed.clone();
    let w = make(s)?;
    armed.store(true, Ordering::SeqCst);
    Ok(w)
}

/// Start writing one array to the caller's `sink`, as `np.save` writes to
/// a file object: `npy_writer_write` passes the data on in order (the
/// header first, with the first data), `npy_writer_finish` checks the size
/// and returns, `npy_writer_discard` abandons. The bytes are those
/// `npy_save` writes. Nothing is rewritten and nothing is atomic: after a
/// failure or a discard the sink holds what was written so far. The sink
/// is named `<sink>` in messages.
///
/// Ownership: `*sink` is copied during the call; `sink->ctx` is the
/// caller's until the call succeeds, and from then on must stay valid until
/// the library calls `sink->release(ctx)`, once, when the writer ends
/// (`npy_writer_finish` or `npy_writer_discard`, whatever their result).
/// On failure `release` is not called. `*out` receives a writer the caller
/// owns; `dtype` and `shape` are only read during the call.
///
/// NULL: `sink`, `sink->write`, `dtype` and `out` must not be NULL;
/// `shape` may be NULL when `ndim` is 0; `sink->release` may be NULL.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) when
/// `sink->struct_size` is smaller than `sizeof(npyio_writer_sink)`, for
/// more than 64 dimensions or a subarray dtype; `NPYIO_ERR_OVERFLOW` (-9).
/// Later, `npy_writer_write` and `npy_writer_finish` give `NPYIO_ERR_IO`
/// (-3) when `write` fails and `NPYIO_ERR_SIZE_MISMATCH` (-14) as for a
/// file.
///
/// Threads: `write` and `release` are called from the thread that calls
/// the writer's functions (a writer belongs to one thread at a time).
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_writer_create_sink(
    sink: *const npyio_writer_sink,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    out: *mut *mut npy_writer,
) -> npyio_status {
    new_handle(out, || {
        let a = DTypeShape::new(dtype, ndim, shape)?;
        sink_with(sink, |s| {
            NpyWriter::to_sink(s, "<sink>", a.dtype, a.shape, fortran_order)
        })
    })
}

/// Start an .npz archive written to the caller's `sink`, as `np.savez`
/// writes to a `BytesIO`: members (`npz_writer_add`, or `npz_writer_begin`
/// / `npz_writer_write` / `npz_writer_end`) go to it in order, and
/// `npz_writer_finish` writes the central directory. As for a FIFO, the
/// archive is written as a stream: members written in pieces and deflate
/// members carry their CRC and sizes in a data descriptor after their data
/// (as Python's zipfile writes to an unseekable file; NumPy and zip tools
/// read it), and nothing is rewritten, so a failed or discarded writer
/// leaves what was written. `flags` and `level` as `npz_writer_open_ex`
/// (`NPYIO_SAVE_FSYNC` has nothing to sync here and is ignored). The sink
/// is named `<sink>` in messages.
///
/// Ownership: `*sink` is copied during the call; `sink->ctx` is the
/// caller's until the call succeeds, and from then on must stay valid until
/// the library calls `sink->release(ctx)`, once, when the writer ends
/// (`npz_writer_finish` or `npz_writer_discard`). On failure `release` is
/// not called. `*out` receives a writer the caller owns.
///
/// NULL: `sink`, `sink->write` and `out` must not be NULL;
/// `sink->release` may be NULL.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) when
/// `sink->struct_size` is smaller than `sizeof(npyio_writer_sink)`, for
/// unknown flags or a level outside 0–9 and -1. Later, the writer's
/// functions give `NPYIO_ERR_IO` (-3) when `write` fails.
///
/// Threads: `write` and `release` are called from the thread that calls
/// the writer's functions (a writer belongs to one thread at a time).
///
/// \ingroup npyio_npz_write
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open_sink(
    sink: *const npyio_writer_sink,
    flags: u32,
    level: i32,
    out: *mut *mut npz_writer,
) -> npyio_status {
    new_handle(out, || {
        let opts = npz_writer_options(flags, level)?;
        sink_with(sink, |s| NpzWriter::to_sink(s, "<sink>", opts))
    })
}
