//! `npy_file`: one .npy array, wherever it lives (a file, memory, a map,
//! an .npz member, a text load): open, map, describe and read.

use super::args::{self, bytes_mut, Borrowed, DTypeShape};
use super::boundary::{close, getter, new_handle, status};
use super::codes::{map_mode, npy_mmap_mode, npyio_status, raw_mode};
use super::dtype::npyio_dtype;
use super::handle::{Handle, Owned};
use crate::NpyFile;
use std::ffi::{c_char, c_void};

// The writing functions live in npy_write; they are also found here, where
// they were first.
pub use super::npy_write::{
    npy_save, npy_save_ex, npy_writer, npy_writer_create, npy_writer_create_ex, npy_writer_discard,
    npy_writer_finish, npy_writer_write,
};

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

impl From<NpyFile> for npy_file {
    fn from(file: NpyFile) -> npy_file {
        let dtype = file.header().dtype.clone().into();
        npy_file { file, dtype }
    }
}

impl Handle for npy_file {}
impl Owned for npy_file {}

/// Open the .npy file at `path` and parse its header; data is read later by
/// `npy_read_into` / `npy_read_rows`, except for a file of less than 4 KiB,
/// which comes whole with the first read: its reads then return the bytes
/// as they were at open, even if the file changes afterwards. The header is fully validated first:
/// magic, version, header syntax (NumPy's grammar, parsed without eval),
/// the three keys, shape and sizes with overflow checks, dtype (object dtypes
/// are refused with `NPYIO_ERR_OBJECT_DTYPE`), and that the file holds all
/// the data the header declares. On success `*out` receives a handle owned by
/// the caller (close with `npy_close`). Errors: `NPYIO_ERR_NULL_ARG`,
/// `NPYIO_ERR_NOT_FOUND`, `NPYIO_ERR_IO`, `NPYIO_ERR_BAD_MAGIC`,
/// `NPYIO_ERR_UNSUPPORTED_VERSION`,
/// `NPYIO_ERR_BAD_HEADER`, `NPYIO_ERR_BAD_DTYPE`, `NPYIO_ERR_OBJECT_DTYPE`,
/// `NPYIO_ERR_OVERFLOW`, `NPYIO_ERR_TRUNCATED`, `NPYIO_ERR_LIMIT`,
/// `NPYIO_ERR_ENCODING`. Thread-safe.
///
/// A file that does not exist (or a path through a non-directory) gives
/// `NPYIO_ERR_NOT_FOUND` (earlier releases gave `NPYIO_ERR_IO`); other
/// operating-system failures (permissions, ...) `NPYIO_ERR_IO`;
/// `npyio_last_errno` gives the number (`ENOENT`, `EACCES`, ...).
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npy_open(path: *const c_char, out: *mut *mut npy_file) -> npyio_status {
    new_handle(out, || NpyFile::open(args::path(path)?))
}

/// Parse a complete .npy file held in memory (`len` bytes at `data`). The
/// bytes are borrowed, not copied: they must stay valid and unchanged until
/// `npy_close`. `npy_data` then points into them. Errors as `npy_open`.
///
/// # Safety
/// `data` must point to `len` readable bytes that outlive the handle.
#[no_mangle]
pub unsafe extern "C" fn npy_open_memory(
    data: *const c_void,
    len: usize,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        NpyFile::from_bytes(Borrowed::new(data, len, "data")?)
    })
}

/// Map the .npy file at `path` into memory, like `np.load(mmap_mode=...)`.
/// `mode` is `NPYIO_MMAP_READ`, `NPYIO_MMAP_READ_WRITE` or
/// `NPYIO_MMAP_COPY_ON_WRITE`; any other value gives `NPYIO_ERR_INVALID_ARG`
/// (`NPYIO_MMAP_CREATE` too: it is for `npy_mmap_raw`, and
/// `npy_mmap_create` creates a .npy file).
/// The header is validated as in `npy_open` and the file's length is checked
/// against the end of the data before mapping. `npy_data` points at the
/// array's first byte (not the header); `npy_data_mut` is non-NULL for the
/// two writable modes. Data is not converted: byte order and Fortran order
/// are as stored (`npy_read_into` with flags still converts into a buffer).
/// An empty array maps nothing and opens fine. Anything but a regular file
/// (a FIFO, a device, a directory) gives `NPYIO_ERR_NOT_MAPPABLE` without
/// waiting for a FIFO's writer.
/// A file that does not exist (or a path through a non-directory) gives
/// `NPYIO_ERR_NOT_FOUND` (earlier releases gave `NPYIO_ERR_IO`); other
/// operating-system failures (permissions, ...) `NPYIO_ERR_IO`;
/// `npyio_last_errno` gives the number (`ENOENT`, `EACCES`, ...).
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
    new_handle(out, || NpyFile::mmap(args::path(path)?, map_mode(mode)?))
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
    new_handle(out, || {
        let path = args::path(path)?;
        let a = DTypeShape::new(dtype, ndim, shape)?;
        NpyFile::mmap_create(path, a.dtype, a.shape, fortran_order)
    })
}

/// Map a raw file without a header, like `np.memmap(path, dtype, mode,
/// offset, shape, order)`. `mode` is `NPYIO_MMAP_READ` ('r'),
/// `NPYIO_MMAP_READ_WRITE` ('r+'), `NPYIO_MMAP_COPY_ON_WRITE` ('c') or
/// `NPYIO_MMAP_CREATE` ('w+': create or replace the file with
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
/// is never replaced by a regular file. In the modes that map an existing
/// file, a missing one gives `NPYIO_ERR_NOT_FOUND` as in `npy_mmap`.
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
    new_handle(out, || {
        let path = args::path(path)?;
        let (dtype, shape) = DTypeShape::with_optional_shape(dtype, ndim, shape)?;
        let mode = raw_mode(mode)?;
        NpyFile::mmap_raw(path, dtype, shape, fortran_order, offset, mode)
    })
}

/// Close an array and free everything it owns (file descriptor, map,
/// shape, dtype). Pointers borrowed from it become invalid. NULL is fine.
///
/// # Safety
/// `f` must be NULL or a handle not yet closed.
#[no_mangle]
pub unsafe extern "C" fn npy_close(f: *mut npy_file) {
    close(f)
}

/// Number of dimensions (0 for a 0-d array, and for NULL).
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_ndim(f: *const npy_file) -> usize {
    getter(|| Some(npy_file::peek(f)?.file.header().shape.len()))
}

/// The shape: `npy_ndim(f)` dimensions, valid until `npy_close`. For a 0-d
/// array (and for NULL) the pointer must not be dereferenced.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_shape(f: *const npy_file) -> *const u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().shape.as_ptr()))
}

/// The array's dtype, borrowed: valid until `npy_close`, never to be freed.
/// NULL for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_dtype(f: *const npy_file) -> *const npyio_dtype {
    getter(|| Some(&npy_file::peek(f)?.dtype as *const npyio_dtype))
}

/// The header's `fortran_order` value (false for NULL). Data read without
/// `NPYIO_READ_C_ORDER` is in this order.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_fortran_order(f: *const npy_file) -> bool {
    getter(|| Some(npy_file::peek(f)?.file.header().fortran_order))
}

/// The data size in bytes: product(shape) × itemsize (1 element for a 0-d
/// array, 0 bytes if any dimension is 0). Size buffers for `npy_read_into`
/// with this. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_nbytes(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.nbytes()))
}

/// Number of elements: product(shape), 1 for a 0-d array. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_count(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().count()))
}

/// Bytes of one row along axis 0: product(shape[1:]) × itemsize. Size
/// buffers for `npy_read_rows` with `count * npy_row_nbytes(f)`. 0 for a 0-d
/// array and for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_row_nbytes(f: *const npy_file) -> u64 {
    getter(|| npy_file::peek(f)?.file.rows_nbytes(1).ok())
}

/// Byte offset of the data from the start of its file (or buffer): 8 + 2 or
/// 4 + HEADER_LEN. A multiple of 64 for files NumPy ≥ 1.14 wrote; legacy
/// files may have 16. 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data_offset(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().data_offset))
}

/// The file's format version major number: 1, 2 or 3 (the minor is always
/// 0). 0 for NULL.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_format_version(f: *const npy_file) -> u32 {
    getter(|| Some(npy_file::peek(f)?.file.header().version.0 as u32))
}

/// The array's data in memory, exactly as stored, for arrays opened with
/// `npy_open_memory` (a pointer into the caller's buffer) or `npy_mmap`
/// (into the map), and for arrays loaded with `npy_load` or `npz_load` (the
/// library's memory, converted as the load asked); valid until `npy_close`.
/// NULL for arrays opened from a
/// path with `npy_open` (read them with `npy_read_into`) and for NULL. For an
/// empty array the pointer is non-NULL but must not be dereferenced.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data(f: *const npy_file) -> *const c_void {
    getter(|| Some(npy_file::peek(f)?.file.data()?.as_ptr() as *const c_void))
}

/// The data, writable, for maps opened with `NPYIO_MMAP_READ_WRITE` (writes
/// reach the file; see `npy_flush`) or `NPYIO_MMAP_COPY_ON_WRITE` (writes stay
/// private); valid until `npy_close`. NULL for every other array.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_data_mut(f: *mut npy_file) -> *mut c_void {
    getter(|| {
        // SAFETY: as the caller promises (a live handle no one else uses).
        let f = f.as_mut()?;
        Some(f.file.data_mut()?.as_mut_ptr() as *mut c_void)
    })
}

/// For a `NPYIO_MMAP_READ_WRITE` map, write changed pages to the file (msync)
/// and wait for it; a no-op returning `NPYIO_OK` for other arrays. Errors:
/// `NPYIO_ERR_NULL_ARG`, `NPYIO_ERR_IO`.
///
/// # Safety
/// `f` must be NULL or a valid handle.
#[no_mangle]
pub unsafe extern "C" fn npy_flush(f: *mut npy_file) -> npyio_status {
    status(|| {
        let f = npy_file::arg_mut(f, "f")?;
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
    dst: *mut c_void,
    dst_len: usize,
    flags: u32,
) -> npyio_status {
    status(|| {
        let f = npy_file::arg(f, "f")?;
        let dst = bytes_mut(dst, dst_len, "dst")?;
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
    dst: *mut c_void,
    dst_len: usize,
    flags: u32,
) -> npyio_status {
    status(|| {
        let f = npy_file::arg(f, "f")?;
        let dst = bytes_mut(dst, dst_len, "dst")?;
        f.file.read_rows(first, count, dst, flags)
    })
}
