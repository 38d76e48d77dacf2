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
///
/// \ingroup npyio_npy_read
pub struct npy_file {
    pub(crate) file: NpyFile,
    /// The dtype handle `npy_dtype` lends, made on first request (most
    /// handles never ask).
    dtype: std::sync::OnceLock<npyio_dtype>,
}

impl From<NpyFile> for npy_file {
    fn from(file: NpyFile) -> npy_file {
        npy_file {
            file,
            dtype: std::sync::OnceLock::new(),
        }
    }
}

impl Handle for npy_file {}
impl Owned for npy_file {}

/// Open the .npy file at `path` and parse its header, as `np.load` does
/// without pickle. The header is fully validated first: magic, version,
/// header syntax (NumPy's grammar, parsed without eval), the three keys,
/// shape and sizes with overflow checks, dtype, and that the file holds all
/// the data the header declares. The data is read later, by `npy_read_into`
/// and `npy_read_rows`, except for a file of less than 4 KiB, which comes
/// whole with the first read: its reads then return the bytes as they were
/// at open, even if the file changes afterwards.
///
/// Ownership: `path` is read during the call only. On success `*out`
/// receives a new array owned by the caller, to be closed with `npy_close`
/// (which closes the file); on failure `*out` is left as it was.
///
/// NULL: `path` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty.
/// - `NPYIO_ERR_NOT_FOUND` (-20): the file does not exist, or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): the file cannot be opened or read (no
///   permission, a directory, ...); the message has the system's reason and
///   `npyio_last_errno` its number.
/// - `NPYIO_ERR_TRUNCATED` (-10): the file ends inside the magic, the
///   header or the data the header declares.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): not a .npy file (an .npz archive is named
///   as such in the message).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5): format version other than 1.0,
///   2.0 or 3.0.
/// - `NPYIO_ERR_BAD_HEADER` (-6): the header is not NumPy's dictionary
///   (syntax, missing or unexpected keys, bad shape).
/// - `NPYIO_ERR_BAD_DTYPE` (-7): the `descr` is not a dtype NumPy knows.
/// - `NPYIO_ERR_OBJECT_DTYPE` (-8): the dtype is or contains Python objects
///   (never read: that would need pickle).
/// - `NPYIO_ERR_OVERFLOW` (-9): shape × itemsize overflows 64 bits.
/// - `NPYIO_ERR_ENCODING` (-15): a format 3.0 header is not valid UTF-8.
/// - `NPYIO_ERR_LIMIT` (-11): the header is longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the header.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread; the new array is independent of
/// every other handle.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_open(path: *const c_char, out: *mut *mut npy_file) -> npyio_status {
    new_handle(out, || NpyFile::open_c(args::path_c(path)?))
}

/// Parse a complete .npy file held in memory (`len` bytes at `data`),
/// validated as `npy_open` validates a file. `npy_data` then points into
/// the caller's bytes, at the array's first byte.
///
/// Ownership: the bytes are borrowed, not copied: they must stay valid and
/// unchanged until `npy_close` of the returned array. On success `*out`
/// receives a new array owned by the caller, to be closed with
/// `npy_close`; on failure `*out` is left as it was.
///
/// NULL: `data` may be NULL only when `len` is 0 (which then gives
/// `NPYIO_ERR_TRUNCATED`); `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `out` is NULL, or `data` is NULL with `len`
///   > 0.
/// - `NPYIO_ERR_TRUNCATED` (-10): the buffer ends inside the magic, the
///   header or the data the header declares.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): not a .npy file (an .npz archive is named
///   as such in the message).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5): format version other than 1.0,
///   2.0 or 3.0.
/// - `NPYIO_ERR_BAD_HEADER` (-6): the header is not NumPy's dictionary
///   (syntax, missing or unexpected keys, bad shape).
/// - `NPYIO_ERR_BAD_DTYPE` (-7): the `descr` is not a dtype NumPy knows.
/// - `NPYIO_ERR_OBJECT_DTYPE` (-8): the dtype is or contains Python objects
///   (never read: that would need pickle).
/// - `NPYIO_ERR_OVERFLOW` (-9): shape × itemsize overflows 64 bits.
/// - `NPYIO_ERR_ENCODING` (-15): a format 3.0 header is not valid UTF-8.
/// - `NPYIO_ERR_LIMIT` (-11): the header is longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the header.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread; several arrays may borrow the
/// same bytes.
///
/// \ingroup npyio_npy_read
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

/// Map the .npy file at `path` into memory, like `np.load(path,
/// mmap_mode=...)`. `mode` is `NPYIO_MMAP_READ` ('r'),
/// `NPYIO_MMAP_READ_WRITE` ('r+') or `NPYIO_MMAP_COPY_ON_WRITE` ('c'). The
/// header is validated as in `npy_open` and the file's length is checked
/// against the end of the data before mapping. `npy_data` points at the
/// array's first byte (not the header); `npy_data_mut` is non-NULL for the
/// two writable modes. Data is not converted: byte order and Fortran order
/// are as stored (`npy_read_into` with flags still converts into a
/// buffer). An empty array maps nothing and opens fine.
///
/// If another process truncates the file while it is mapped, touching the
/// lost pages raises SIGBUS (the operating system's behaviour, as for
/// NumPy); do not map files that others may shrink.
///
/// Ownership: `path` is read during the call only. On success `*out`
/// receives a new array owned by the caller; the map and the pointers into
/// it live until `npy_close`. On failure `*out` is left as it was.
///
/// NULL: `path` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty, or `mode` is not one
///   of the three above (`NPYIO_MMAP_CREATE` is for `npy_mmap_raw`;
///   `npy_mmap_create` creates a .npy file).
/// - `NPYIO_ERR_NOT_FOUND` (-20): the file does not exist, or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): the file cannot be opened, read or mapped.
/// - `NPYIO_ERR_NOT_MAPPABLE` (-21): not a regular file (a FIFO, a device,
///   a directory), refused without waiting for a FIFO's writer.
/// - `NPYIO_ERR_TRUNCATED` (-10): the file ends inside the magic, the
///   header or the data the header declares.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): not a .npy file (an .npz archive is named
///   as such in the message).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5): format version other than 1.0,
///   2.0 or 3.0.
/// - `NPYIO_ERR_BAD_HEADER` (-6): the header is not NumPy's dictionary
///   (syntax, missing or unexpected keys, bad shape).
/// - `NPYIO_ERR_BAD_DTYPE` (-7): the `descr` is not a dtype NumPy knows.
/// - `NPYIO_ERR_OBJECT_DTYPE` (-8): the dtype is or contains Python objects
///   (never read: that would need pickle).
/// - `NPYIO_ERR_OVERFLOW` (-9): shape × itemsize overflows 64 bits, or the
///   data does not fit the address space.
/// - `NPYIO_ERR_ENCODING` (-15): a format 3.0 header is not valid UTF-8.
/// - `NPYIO_ERR_LIMIT` (-11): the header is longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the header.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_maps
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
/// then `npy_flush` and `npy_close`.
///
/// Ownership: `path`, `dtype` and `shape` are read during the call only
/// (the dtype may be freed afterwards). On success `*out` receives a new
/// array owned by the caller, mapped read-write until `npy_close`; on
/// failure `*out` is left as it was.
///
/// NULL: `path`, `dtype` and `out` must not be NULL; `shape` may be NULL
/// when `ndim` is 0.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path`, `dtype` or `out` is NULL, or
///   `shape` is NULL with `ndim` > 0.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty; `ndim` exceeds
///   NumPy's 64 dimensions; the dtype is a subarray dtype (give its shape
///   in `shape`).
/// - `NPYIO_ERR_NOT_MAPPABLE` (-21): something other than a regular file
///   is at `path` (a directory, a FIFO, a device, a socket, or a descriptor
///   such as `/dev/stdout`); it is left as it is.
/// - `NPYIO_ERR_OVERFLOW` (-9): the size overflows 64 bits, the address
///   space or the file size limit.
/// - `NPYIO_ERR_IO` (-3): the temporary file cannot be created, its space
///   reserved (a full disk), mapped or renamed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread (for different paths).
///
/// \ingroup npyio_maps
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
/// Ownership: `path`, `dtype` and `shape` are read during the call only
/// (the dtype may be freed afterwards). On success `*out` receives a new
/// array owned by the caller; the map lives until `npy_close`. On failure
/// `*out` is left as it was.
///
/// NULL: `path`, `dtype` and `out` must not be NULL; `shape` NULL means
/// "no shape" (see above).
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `path`, `dtype` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `path` is empty; `mode` is unknown;
///   `ndim` exceeds NumPy's 64 dimensions; a subarray dtype;
///   `NPYIO_MMAP_CREATE` without a shape; with `shape` NULL, the bytes
///   after `offset` are not a whole number of items.
/// - `NPYIO_ERR_TRUNCATED` (-10): the file is shorter than
///   `offset + nbytes`, or `offset` is beyond its end.
/// - `NPYIO_ERR_NOT_MAPPABLE` (-21): not a regular file.
/// - `NPYIO_ERR_OVERFLOW` (-9): `offset + nbytes` overflows 64 bits or the
///   address space.
/// - `NPYIO_ERR_NOT_FOUND` (-20): the file does not exist (modes other than
///   `NPYIO_MMAP_CREATE`), or a directory
///   in its path does not (earlier releases gave the I/O status);
///   `npyio_last_errno` gives `ENOENT` or `ENOTDIR`.
/// - `NPYIO_ERR_IO` (-3): the file cannot be opened, created, sized or
///   mapped.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_maps
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
/// shape, dtype). A map's unflushed changes still reach the file (the
/// system writes them back), but only `npy_flush` waits for them and
/// reports errors.
///
/// Ownership: `f` must not have been closed; it and every pointer borrowed
/// from it (`npy_shape`, `npy_dtype`, its descr, `npy_data`,
/// `npy_data_mut`) are invalid afterwards. Memory borrowed by
/// `npy_open_memory` may be released once its last array is closed.
///
/// NULL: `f` may be NULL (nothing happens).
///
/// Errors: none.
///
/// Threads: no other thread may use `f` during or after the call.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_close(f: *mut npy_file) {
    close(f)
}

/// The number of dimensions, `len(shape)`: 0 for a 0-d array.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_ndim(f: *const npy_file) -> usize {
    getter(|| Some(npy_file::peek(f)?.file.header().shape.len()))
}

/// The shape: `npy_ndim(f)` dimensions. For a 0-d array the pointer must
/// not be dereferenced.
///
/// Ownership: the array belongs to `f` and lives until `npy_close`; never
/// free or modify it.
///
/// NULL: returns NULL when `f` is NULL.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_shape(f: *const npy_file) -> *const u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().shape.as_ptr()))
}

/// The array's dtype, for the `npyio_dtype_*` functions and to write
/// arrays of the same dtype.
///
/// Ownership: borrowed from `f`: valid until `npy_close`, never to be
/// freed.
///
/// NULL: returns NULL when `f` is NULL.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_dtype(f: *const npy_file) -> *const npyio_dtype {
    getter(|| {
        let f = npy_file::peek(f)?;
        let d = f.dtype.get_or_init(|| f.file.header().dtype.clone().into());
        Some(d as *const npyio_dtype)
    })
}

/// The header's `fortran_order` value. Data read without
/// `NPYIO_READ_C_ORDER` is in this order.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then false.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_fortran_order(f: *const npy_file) -> bool {
    getter(|| Some(npy_file::peek(f)?.file.header().fortran_order))
}

/// The data size in bytes: product(shape) × itemsize (1 element for a 0-d
/// array, 0 bytes if any dimension is 0). Size buffers for `npy_read_into`
/// with this.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_nbytes(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.nbytes()))
}

/// The number of elements: product(shape), 1 for a 0-d array.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_count(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().count()))
}

/// The bytes of one row along axis 0: product(shape[1:]) × itemsize. Size
/// buffers for `npy_read_rows` with `count * npy_row_nbytes(f)`. 0 for a
/// 0-d array, which has no rows.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_row_nbytes(f: *const npy_file) -> u64 {
    getter(|| npy_file::peek(f)?.file.rows_nbytes(1).ok())
}

/// The byte offset of the data from the start of its file, buffer or
/// archive member: 8 + 2 or 4 + HEADER_LEN (`offset` for `npy_mmap_raw`).
/// A multiple of 64 for files NumPy 1.14 or later wrote; legacy files may
/// have 16.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_data_offset(f: *const npy_file) -> u64 {
    getter(|| Some(npy_file::peek(f)?.file.header().data_offset))
}

/// The file's format version major number: 1, 2 or 3 (the minor is always
/// 0); 0 for a headerless map from `npy_mmap_raw`.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_format_version(f: *const npy_file) -> u32 {
    getter(|| Some(npy_file::peek(f)?.file.header().version.0 as u32))
}

/// The array's data in memory, exactly as stored, for arrays opened with
/// `npy_open_memory` (a pointer into the caller's buffer) or `npy_mmap`
/// (into the map), and for arrays loaded with `npy_load` or `npz_load` (the
/// library's memory, converted as the load asked); valid until `npy_close`.
/// NULL for arrays opened from a path with `npy_open` (read them with
/// `npy_read_into`). For an empty array the pointer is non-NULL but must
/// not be dereferenced.
///
/// Ownership: the data belongs to `f` (or to the caller's buffer) and
/// lives until `npy_close`; never free it. Read-only: write through
/// `npy_data_mut`.
///
/// NULL: returns NULL when `f` is NULL, and for arrays without data in
/// memory.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one array.
///
/// \ingroup npyio_npy_read
#[no_mangle]
pub unsafe extern "C" fn npy_data(f: *const npy_file) -> *const c_void {
    getter(|| Some(npy_file::peek(f)?.file.data()?.as_ptr() as *const c_void))
}

/// The data, writable, for maps opened with `NPYIO_MMAP_READ_WRITE` (writes
/// reach the file; see `npy_flush`) or `NPYIO_MMAP_COPY_ON_WRITE` (writes stay
/// private).
///
/// Ownership: the data belongs to the map and lives until `npy_close`;
/// never free it.
///
/// NULL: returns NULL when `f` is NULL and for every array other than
/// those two kinds of map.
///
/// Errors: none.
///
/// Threads: `f` must not be used by another thread during the call; the
/// caller orders its own writes through the pointer against other threads'
/// reads.
///
/// \ingroup npyio_maps
#[no_mangle]
pub unsafe extern "C" fn npy_data_mut(f: *mut npy_file) -> *mut c_void {
    getter(|| {
        // SAFETY: as the caller promises (a live handle no one else uses).
        let f = f.as_mut()?;
        Some(f.file.data_mut()?.as_mut_ptr() as *mut c_void)
    })
}

/// For a writable map of a file (`NPYIO_MMAP_READ_WRITE`, `npy_mmap_create`,
/// `npy_mmap_raw` with 'r+' or 'w+'), write changed pages to the file
/// (msync) and wait for it; for a file opened by `npy_create` or
/// `npy_open_rw`, make the rows written so far durable (fdatasync); a no-op
/// returning `NPYIO_OK` for other arrays.
///
/// Ownership: `f` is borrowed for the call only.
///
/// NULL: `f` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `f` is NULL.
/// - `NPYIO_ERR_IO` (-3): msync or fdatasync failed (the message names the
///   file).
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: `f` must not be used by another thread during the call.
///
/// \ingroup npyio_maps
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
/// copy of the array. A read of an .npz member that reaches the end of its
/// data checks the member's CRC-32. A `dst` of 4 MiB or more is advised for
/// transparent huge pages first (`madvise(MADV_HUGEPAGE)` on its 2 MiB-
/// aligned interior, so fresh `malloc` memory is faulted in 2 MiB pages;
/// `NPYIO_READ_NO_HUGEPAGE` opts out). A read of 16 MiB or more from a file
/// is split into slices read by up to `NPYIO_LIMIT_READ_THREADS` threads.
///
/// Ownership: `f` is borrowed for the call; `dst` is the caller's, and
/// `dst_len` bytes at it must be writable. Nothing is kept after the call
/// but the huge-page advice on `dst`'s pages.
///
/// NULL: `f` must not be NULL; `dst` may be NULL only when `dst_len` is 0
/// (for an empty array).
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `f` is NULL, or `dst` is NULL with
///   `dst_len` > 0.
/// - `NPYIO_ERR_INVALID_ARG` (-13): unknown bits in `flags`.
/// - `NPYIO_ERR_BUFFER_TOO_SMALL` (-12): `dst_len` < `npy_nbytes(f)`.
/// - `NPYIO_ERR_IO` (-3): reading (or, for `NPYIO_READ_C_ORDER`, mapping)
///   the file failed.
/// - `NPYIO_ERR_TRUNCATED` (-10): the file shrank after it was opened.
/// - `NPYIO_ERR_CRC` (-18): an .npz member's data does not match its
///   CRC-32.
/// - `NPYIO_ERR_ZIP` (-17): an .npz member's deflate stream is corrupt.
/// - `NPYIO_ERR_OVERFLOW` (-9): a dimension exceeds the address space
///   (`NPYIO_READ_C_ORDER` only).
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the temporary copy that
///   `NPYIO_READ_C_ORDER` needs for a deflate member.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one array (reads
/// are positional).
///
/// \ingroup npyio_npy_read
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
/// `NPYIO_READ_C_ORDER`. Flags, huge-page advice and threads as
/// `npy_read_into`.
///
/// Ownership: `f` is borrowed for the call; `dst` is the caller's, and
/// `dst_len` bytes at it must be writable. Nothing is kept after the call.
///
/// NULL: `f` must not be NULL; `dst` may be NULL only when `dst_len` is 0
/// (`count` 0, or empty rows).
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `f` is NULL, or `dst` is NULL with
///   `dst_len` > 0.
/// - `NPYIO_ERR_INVALID_ARG` (-13): unknown bits in `flags`; a 0-d array;
///   rows past the end of axis 0.
/// - `NPYIO_ERR_BUFFER_TOO_SMALL` (-12): `dst_len` <
///   `count * npy_row_nbytes(f)`.
/// - `NPYIO_ERR_OVERFLOW` (-9): the slab's size overflows 64 bits or the
///   address space.
/// - `NPYIO_ERR_IO` (-3), `NPYIO_ERR_TRUNCATED` (-10), `NPYIO_ERR_CRC`
///   (-18), `NPYIO_ERR_ZIP` (-17), `NPYIO_ERR_ALLOC` (-16): as
///   `npy_read_into`.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one array (reads
/// are positional).
///
/// \ingroup npyio_npy_read
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
