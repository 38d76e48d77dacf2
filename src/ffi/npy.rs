//! `npy_file` and `npy_writer`: one .npy array.

use super::dtype::{dtype_arg, npyio_dtype};
use super::{
    arg, arg_mut, bytes_arg, bytes_arg_mut, getter, give, guard, npy_mmap_mode, npyio_status,
    out_arg, path_arg, shape_arg, NPYIO_SAVE_FSYNC, NPY_MMAP_COPY_ON_WRITE, NPY_MMAP_CREATE,
    NPY_MMAP_READ, NPY_MMAP_READ_WRITE,
};
use crate::npy::{MapMode, NpyFile, NpyWriter, SaveOptions};
use crate::{bail, err};
use std::ffi::c_char;

/// One .npy array (opaque), wherever it lives: a file on disk
/// (`npy_open`), a memory buffer (`npy_open_memory`) or a memory map
/// (`npy_mmap`). The describe functions and reads work the same on all.
/// Close with `npy_close`. Thread safety: the describe and read functions
/// may be called on one `npy_file` from several threads at once (reads are
/// positional); `npy_data_mut`, writes through it and `npy_close` need
/// exclusive access.
pub struct npy_file {
    pub(crate) file: NpyFile,
    dtype: npyio_dtype,
}

impl npy_file {
    pub(crate) fn new(file: NpyFile) -> npy_file {
        let dtype = npyio_dtype::new(file.header().dtype.clone());
        npy_file { file, dtype }
    }
}

/// A .npy file being written in pieces (opaque). Created by
/// `npy_writer_create`, ended by exactly one of `npy_writer_finish` or
/// `npy_writer_discard`. Belongs to one thread at a time.
pub struct npy_writer {
    w: NpyWriter,
}

struct Borrowed {
    ptr: *const u8,
    len: usize,
}
// SAFETY: the caller of npy_open_memory promises the bytes stay valid and
// unchanged until npy_close; they are only read.
unsafe impl Send for Borrowed {}
unsafe impl Sync for Borrowed {}
impl AsRef<[u8]> for Borrowed {
    fn as_ref(&self) -> &[u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: see above.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

/// Open the .npy file at `path` and parse its header; data is read later by
/// `npy_read_into` / `npy_read_rows`, except for a file of less than 4 KiB,
/// which comes whole with the first read: its reads then return the bytes
/// as they were at open, even if the file changes afterwards. The header is fully validated first:
/// magic, version, header syntax (NumPy's grammar, parsed without eval),
/// the three keys, shape and sizes with overflow checks, dtype (object dtypes
/// are refused with `NPYIO_ERR_OBJECT_DTYPE`), and that the file holds all
/// the data the header declares. On success `*out` receives a handle owned by
/// the caller (close with `npy_close`). Errors: `NPYIO_ERR_NULL_ARG`,
/// `NPYIO_ERR_IO`, `NPYIO_ERR_BAD_MAGIC`, `NPYIO_ERR_UNSUPPORTED_VERSION`,
/// `NPYIO_ERR_BAD_HEADER`, `NPYIO_ERR_BAD_DTYPE`, `NPYIO_ERR_OBJECT_DTYPE`,
/// `NPYIO_ERR_OVERFLOW`, `NPYIO_ERR_TRUNCATED`, `NPYIO_ERR_LIMIT`,
/// `NPYIO_ERR_ENCODING`. Thread-safe.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npy_open(path: *const c_char, out: *mut *mut npy_file) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        give(out, npy_file::new(NpyFile::open(path)?));
        Ok(())
    })
}

/// Parse a complete .npy file held in memory (`len` bytes at `data`). The
/// bytes are borrowed, not copied: they must stay valid and unchanged until
/// `npy_close`. `npy_data` then points into them. Errors as `npy_open`.
///
/// # Safety
/// `data` must point to `len` readable bytes that outlive the handle.
#[no_mangle]
pub unsafe extern "C" fn npy_open_memory(
    data: *const std::ffi::c_void,
    len: usize,
    out: *mut *mut npy_file,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        bytes_arg(data as *const u8, len, "data")?;
        let b = Borrowed {
            ptr: data as *const u8,
            len,
        };
        give(out, npy_file::new(NpyFile::from_bytes(b)?));
        Ok(())
    })
}

/// Map the .npy file at `path` into memory, like `np.load(mmap_mode=...)`.
/// `mode` is `NPY_MMAP_READ`, `NPY_MMAP_READ_WRITE` or
/// `NPY_MMAP_COPY_ON_WRITE`; any other value gives `NPYIO_ERR_INVALID_ARG`.
/// The header is validated as in `npy_open` and the file's length is checked
/// against the end of the data before mapping. `npy_data` points at the
/// array's first byte (not the header); `npy_data_mut` is non-NULL for the
/// two writable modes. Data is not converted: byte order and Fortran order
/// are as stored (`npy_read_into` with flags still converts into a buffer).
/// An empty array maps nothing and opens fine. Anything but a regular file
/// (a FIFO, a device, a directory) gives `NPYIO_ERR_NOT_MAPPABLE` without
/// waiting for a FIFO's writer.
///
/// If another process truncates the file while it is mapped, touching the
/// lost pages raises SIGBUS (the operating system's behaviour, as for
/// NumPy); do not map files that others may shrink.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npy_mmap(
    path: *const c_char,
    mode: npy_mmap_mode,
    out: *mut *mut npy_file,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        give(out, npy_file::new(NpyFile::mmap(path, map_mode(mode)?)?));
        Ok(())
    })
}

fn map_mode(mode: npy_mmap_mode) -> crate::error::Result<MapMode> {
    match mode {
        NPY_MMAP_READ => Ok(MapMode::Read),
        NPY_MMAP_READ_WRITE => Ok(MapMode::ReadWrite),
        NPY_MMAP_COPY_ON_WRITE => Ok(MapMode::CopyOnWrite),
        m => bail!(InvalidArg, "unknown mmap mode {m}"),
    }
}

/// Create a new .npy file and map it read-write, like NumPy's
/// `open_memmap(path, mode='w+', dtype, shape, fortran_order)`. The header
/// is byte-identical to np.save's; the data starts zeroed; the file's space
/// is reserved (posix_fallocate) before mapping, so a full disk gives
/// `NPYIO_ERR_IO` now rather than SIGBUS later. The file is prepared under a
/// temporary name and renamed over `path` once its space is reserved (an
/// existing file survives a failure). Fill it through `npy_data_mut`,
/// then `npy_flush` and `npy_close`. Errors as `npy_save`; a FIFO, a device
/// or a descriptor such as `/dev/stdout` at `path` gives
/// `NPYIO_ERR_NOT_MAPPABLE` and is left as it is.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npy_mmap_create(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    out: *mut *mut npy_file,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        let dt = dtype_arg(dtype)?;
        let shape = shape_arg(ndim, shape)?;
        give(
            out,
            npy_file::new(NpyFile::mmap_create(path, dt, shape, fortran_order)?),
        );
        Ok(())
    })
}

/// Map a raw file without a header, like `np.memmap(path, dtype, mode,
/// offset, shape, order)`. `mode` is `NPY_MMAP_READ` ('r'),
/// `NPY_MMAP_READ_WRITE` ('r+'), `NPY_MMAP_COPY_ON_WRITE` ('c') or
/// `NPY_MMAP_CREATE` ('w+': create or replace the file with
/// `offset + nbytes` zero bytes, space reserved first). `offset` need not be
/// page-aligned. `shape` NULL means one dimension holding every item after
/// `offset` (as np.memmap's `shape=None`; the remaining bytes must be a
/// whole number of items, else `NPYIO_ERR_INVALID_ARG`); for a 0-d map pass
/// `ndim` 0 with a non-NULL `shape`. The file must hold `offset + nbytes`
/// bytes, checked before mapping (`NPYIO_ERR_TRUNCATED`, also for an offset
/// beyond the end). `npy_data_offset` returns `offset` and
/// `npy_format_version` 0. Windows of a huge file can be mapped one at a
/// time by moving `offset`. Only a regular file can be mapped: a FIFO, a
/// device or a descriptor such as `/dev/stdout` gives
/// `NPYIO_ERR_NOT_MAPPABLE` (in every mode, without waiting on a FIFO) and
/// is never replaced by a regular file.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn npy_mmap_raw(
    path: *const c_char,
    dtype: *const npyio_dtype,
    mode: npy_mmap_mode,
    offset: u64,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    out: *mut *mut npy_file,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        let dt = dtype_arg(dtype)?;
        let shape = if shape.is_null() {
            None
        } else {
            Some(shape_arg(ndim, shape)?)
        };
        let mode = if mode == NPY_MMAP_CREATE {
            crate::mmap::RawMode::Create
        } else {
            crate::mmap::RawMode::Existing(map_mode(mode)?)
        };
        give(
            out,
            npy_file::new(NpyFile::mmap_raw(
                path,
                dt,
                shape,
                fortran_order,
                offset,
                mode,
            )?),
        );
        Ok(())
    })
}

/// Close an array and free everything it owns (file descriptor, map,
/// shape, dtype). Pointers borrowed from it become invalid. NULL is fine.
///
/// # Safety
/// `f` must be NULL or a handle not yet closed.
#[no_mangle]
pub unsafe extern "C" fn npy_close(f: *mut npy_file) {
    if !f.is_null() {
        let _ = super::quietly(|| drop(Box::from_raw(f)));
    }
}

/// Number of dimensions (0 for a 0-d array, and for NULL).
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_ndim(f: *const npy_file) -> usize {
    f.as_ref().map(|f| f.file.header().shape.len()).unwrap_or(0)
}

/// The shape: `npy_ndim(f)` dimensions, valid until `npy_close`. For a 0-d
/// array (and for NULL) the pointer must not be dereferenced.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_shape(f: *const npy_file) -> *const u64 {
    match f.as_ref() {
        Some(f) => f.file.header().shape.as_ptr(),
        None => std::ptr::null(),
    }
}

/// The array's dtype, borrowed: valid until `npy_close`, never to be freed.
/// NULL for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_dtype(f: *const npy_file) -> *const npyio_dtype {
    match f.as_ref() {
        Some(f) => &f.dtype,
        None => std::ptr::null(),
    }
}

/// The header's `fortran_order` value (false for NULL). Data read without
/// `NPYIO_READ_C_ORDER` is in this order.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_fortran_order(f: *const npy_file) -> bool {
    f.as_ref().is_some_and(|f| f.file.header().fortran_order)
}

/// The data size in bytes: product(shape) × itemsize (1 element for a 0-d
/// array, 0 bytes if any dimension is 0). Size buffers for `npy_read_into`
/// with this. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_nbytes(f: *const npy_file) -> u64 {
    f.as_ref().map(|f| f.file.nbytes()).unwrap_or(0)
}

/// Number of elements: product(shape), 1 for a 0-d array. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_count(f: *const npy_file) -> u64 {
    f.as_ref().map(|f| f.file.header().count()).unwrap_or(0)
}

/// Bytes of one row along axis 0: product(shape[1:]) × itemsize. Size
/// buffers for `npy_read_rows` with `count * npy_row_nbytes(f)`. 0 for a 0-d
/// array and for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_row_nbytes(f: *const npy_file) -> u64 {
    getter(0, || {
        f.as_ref()
            .and_then(|f| f.file.rows_nbytes(1).ok())
            .unwrap_or(0)
    })
}

/// Byte offset of the data from the start of its file (or buffer): 8 + 2 or
/// 4 + HEADER_LEN. A multiple of 64 for files NumPy ≥ 1.14 wrote; legacy
/// files may have 16. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data_offset(f: *const npy_file) -> u64 {
    f.as_ref().map(|f| f.file.header().data_offset).unwrap_or(0)
}

/// The file's format version major number: 1, 2 or 3 (the minor is always
/// 0). 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_format_version(f: *const npy_file) -> u32 {
    f.as_ref()
        .map(|f| f.file.header().version.0 as u32)
        .unwrap_or(0)
}

/// The array's data in memory, exactly as stored, for arrays opened with
/// `npy_open_memory` (a pointer into the caller's buffer) or `npy_mmap`
/// (into the map); valid until `npy_close`. NULL for arrays opened from a
/// path with `npy_open` (read them with `npy_read_into`) and for NULL. For an
/// empty array the pointer is non-NULL but must not be dereferenced.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data(f: *const npy_file) -> *const std::ffi::c_void {
    match f.as_ref().and_then(|f| f.file.data()) {
        Some(d) => d.as_ptr() as *const std::ffi::c_void,
        None => std::ptr::null(),
    }
}

/// The data, writable, for maps opened with `NPY_MMAP_READ_WRITE` (writes
/// reach the file; see `npy_flush`) or `NPY_MMAP_COPY_ON_WRITE` (writes stay
/// private); valid until `npy_close`. NULL for every other array.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data_mut(f: *mut npy_file) -> *mut std::ffi::c_void {
    match f.as_mut().and_then(|f| f.file.data_mut()) {
        Some(d) => d.as_mut_ptr() as *mut std::ffi::c_void,
        None => std::ptr::null_mut(),
    }
}

/// For a `NPY_MMAP_READ_WRITE` map, write changed pages to the file (msync)
/// and wait for it; a no-op returning `NPYIO_OK` for other arrays. Errors:
/// `NPYIO_ERR_NULL_ARG`, `NPYIO_ERR_IO`.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_flush(f: *mut npy_file) -> npyio_status {
    guard(|| {
        let f = arg_mut(f, "f")?;
        f.file.flush().map_err(|e| e.context(f.file.name()))
    })
}

/// Read the whole array into `dst` (`dst_len` ≥ `npy_nbytes(f)`, else
/// `NPYIO_ERR_BUFFER_TOO_SMALL`). With `flags` 0 the bytes are exactly as
/// stored. `NPYIO_READ_NATIVE` converts every multi-byte scalar to the host
/// byte order; `NPYIO_READ_C_ORDER` returns a Fortran-order array in C order
/// (ignored for C-order arrays). Conversions happen in `dst`, with no second
/// copy of the array. Unknown flags give `NPYIO_ERR_INVALID_ARG`. Other
/// errors: `NPYIO_ERR_NULL_ARG`, `NPYIO_ERR_IO`, `NPYIO_ERR_TRUNCATED` (the
/// file shrank after open). May be called from several threads at once on
/// one handle.
///
/// # Safety
/// `f` must be a valid handle; `dst` must point to `dst_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn npy_read_into(
    f: *mut npy_file,
    dst: *mut std::ffi::c_void,
    dst_len: usize,
    flags: u32,
) -> npyio_status {
    guard(|| {
        let f = arg(f, "f")?;
        let dst = bytes_arg_mut(dst as *mut u8, dst_len, "dst")?;
        f.file.read_into(dst, flags)
    })
}

/// Read rows `first` to `first + count - 1` along axis 0 (a slab of shape
/// `(count, shape[1], ...)`) into `dst`, which must hold
/// `count * npy_row_nbytes(f)` bytes. C-order arrays: one positional read.
/// Fortran-order arrays: the slab comes back in Fortran order (the bytes of
/// `np.asfortranarray(a[first:first+count])`), or in C order with
/// `NPYIO_READ_C_ORDER`. Flags as `npy_read_into`. A 0-d array or rows past
/// the end give `NPYIO_ERR_INVALID_ARG`. May be called from several threads
/// at once on one handle.
///
/// # Safety
/// `f` must be a valid handle; `dst` must point to `dst_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn npy_read_rows(
    f: *mut npy_file,
    first: u64,
    count: u64,
    dst: *mut std::ffi::c_void,
    dst_len: usize,
    flags: u32,
) -> npyio_status {
    guard(|| {
        let f = arg(f, "f")?;
        let dst = bytes_arg_mut(dst as *mut u8, dst_len, "dst")?;
        f.file.read_rows(first, count, dst, flags)
    })
}

fn save_options(flags: u32) -> crate::error::Result<SaveOptions> {
    if flags & !NPYIO_SAVE_FSYNC != 0 {
        bail!(
            InvalidArg,
            "unknown save flags 0x{:x}",
            flags & !NPYIO_SAVE_FSYNC
        );
    }
    Ok(SaveOptions {
        fsync: flags & NPYIO_SAVE_FSYNC != 0,
    })
}

/// Write an array to `path` as `np.save` does, byte for byte: the same
/// format version, header text, padding and alignment. `data` holds `len`
/// bytes in storage order (C order, or Fortran order if `fortran_order`),
/// in the dtype's byte order; `len` must equal product(shape) × itemsize,
/// else `NPYIO_ERR_SIZE_MISMATCH`. `shape` may be NULL when `ndim` is 0, and
/// `data` when `len` is 0. Like NumPy, `fortran_order` is recorded as false
/// when the array is also C-contiguous (at most one dimension > 1, or empty).
/// The file is written to a temporary file in the same directory and renamed
/// over `path` only when complete: on any error an existing file is left
/// untouched and the temporary file removed. A `path` that is (or links
/// to) a FIFO or a character or block device, or names one of the
/// process's descriptors (`/dev/stdout`, `/dev/fd/N`, `/proc/self/fd/N`),
/// is written in place and in order, with no temporary file and no rename:
/// atomicity cannot apply there, and a failed save leaves what was already
/// written. A FIFO blocks until a reader opens it; a reader that leaves
/// gives `NPYIO_ERR_IO` (EPIPE), never SIGPIPE. Errors: `NPYIO_ERR_NULL_ARG`,
/// `NPYIO_ERR_INVALID_ARG` (also a socket, a directory, or a descriptor
/// open only for reading), `NPYIO_ERR_OVERFLOW`, `NPYIO_ERR_SIZE_MISMATCH`,
/// `NPYIO_ERR_IO`. Thread-safe (for different paths).
///
/// # Safety
/// Pointers must be NULL or valid for the lengths given.
#[no_mangle]
pub unsafe extern "C" fn npy_save(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const std::ffi::c_void,
    len: usize,
) -> npyio_status {
    npy_save_ex(path, dtype, ndim, shape, fortran_order, data, len, 0)
}

/// `npy_save` with flags: `NPYIO_SAVE_FSYNC` makes the file and its
/// directory durable (fsync) before returning. Unknown flags give
/// `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// As `npy_save`.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn npy_save_ex(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const std::ffi::c_void,
    len: usize,
    flags: u32,
) -> npyio_status {
    guard(|| {
        let path = path_arg(path)?;
        let dt = dtype_arg(dtype)?;
        let shape = shape_arg(ndim, shape)?;
        let data = bytes_arg(data as *const u8, len, "data")?;
        let opts = save_options(flags)?;
        crate::npy::save(path, dt, shape, fortran_order, data, opts)
    })
}

/// Start writing an array of known dtype, shape and order to `path` in
/// pieces (`npy_writer_write`), for arrays larger than memory. The header is
/// written at once; data goes to a temporary file in the same directory
/// until `npy_writer_finish` renames it over `path` (a FIFO, a device or a
/// descriptor is written in place as the data comes, as `npy_save` says).
/// On success `*out` receives the writer. Errors as `npy_save`.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_create(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    out: *mut *mut npy_writer,
) -> npyio_status {
    npy_writer_create_ex(path, dtype, ndim, shape, fortran_order, 0, out)
}

/// `npy_writer_create` with flags (`NPYIO_SAVE_FSYNC`).
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_create_ex(
    path: *const c_char,
    dtype: *const npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    flags: u32,
    out: *mut *mut npy_writer,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        let dt = dtype_arg(dtype)?;
        let shape = shape_arg(ndim, shape)?;
        let opts = save_options(flags)?;
        let w = NpyWriter::create(path, dt, shape, fortran_order, opts)?;
        give(out, npy_writer { w });
        Ok(())
    })
}

/// Append `len` bytes of data (storage order). Writing more than the array
/// holds gives `NPYIO_ERR_SIZE_MISMATCH` and writes nothing. After an I/O
/// error the writer only accepts `npy_writer_finish` (which reports the
/// error) or `npy_writer_discard`; further writes give `NPYIO_ERR_STATE`.
///
/// # Safety
/// `w` must be a valid writer; `data` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_write(
    w: *mut npy_writer,
    data: *const std::ffi::c_void,
    len: usize,
) -> npyio_status {
    guard(|| {
        let w = arg_mut(w, "w")?;
        let data = bytes_arg(data as *const u8, len, "data")?;
        w.w.write(data)
    })
}

/// Finish: check that exactly product(shape) × itemsize bytes were written
/// (else `NPYIO_ERR_SIZE_MISMATCH`), then commit the file by renaming it over
/// the target. The writer is freed whatever the result; on error the
/// temporary file is removed and any old file at the path is untouched.
/// NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_finish(w: *mut npy_writer) -> npyio_status {
    guard(|| {
        if w.is_null() {
            return Err(err!(NullArg, "argument 'w' is NULL"));
        }
        let w = Box::from_raw(w);
        w.w.finish()
    })
}

/// Abandon a writer: remove its temporary file, keep any old file at the
/// path, free the writer. NULL is fine.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npy_writer_discard(w: *mut npy_writer) {
    if !w.is_null() {
        let _ = super::quietly(|| drop(Box::from_raw(w)));
    }
}
