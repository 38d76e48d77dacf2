//! Rows written by position: `npy_create`, `npy_open_rw`, `npy_write_rows`
//! (many writers of one full-size file) and `npy_append_rows` (growing a
//! file along axis 0).
//!
//! The caller's obligations are stated in each function's `Ownership:` and
//! `NULL:` paragraphs (the header's documentation) rather than under a
//! Rust-only safety heading.

use super::args::{self, bytes, DTypeShape};
use super::boundary::{new_handle, status};
use super::codes::npyio_status;
use super::dtype::npyio_dtype;
use super::handle::Handle;
use super::npy::npy_file;
use crate::NpyFile;
use std::ffi::{c_char, c_void};

/// Create the .npy file `path` at its full size for positional writes of
/// rows, and open it for them: the header is exactly what `np.save` writes
/// for `dtype`, `shape` and `fortran_order` (recorded false, as NumPy
/// does, when the array is also C-contiguous), and the data is reserved as
/// a hole (ftruncate), which reads as zeros and takes disk space only as
/// rows are written. The file is made under a temporary name in the same
/// directory and renamed over `path` when complete, so `path` is at every
/// instant either the old file or a new one NumPy loads. Fill it with
/// `npy_write_rows` from this handle and others (`npy_open_rw`, in other
/// threads or processes); every describe and read function works on it
/// too, and reads see the file as it is then.
///
/// Ownership: `*out` receives a handle the caller owns (close with
/// `npy_close`); `dtype` and `shape` are only read during the call.
///
/// NULL: `path`, `dtype` and `out` must not be NULL; `shape` may be NULL
/// when `ndim` is 0.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1) for a NULL argument;
/// `NPYIO_ERR_INVALID_ARG` (-13) for an empty path, more than 64
/// dimensions, a subarray dtype, or a FIFO, device, directory or
/// descriptor such as `/dev/stdout` at `path`; `NPYIO_ERR_OVERFLOW` (-9)
/// when the shape's size overflows; `NPYIO_ERR_IO` (-3) when the file
/// cannot be made (an existing file at `path` is then untouched).
///
/// Threads: may be called from any thread; the handle's use is as for any
/// `npy_file` (`npy_write_rows` may be called on it from several threads
/// at once).
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_create(
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
        NpyFile::create(path, a.dtype, a.shape, fortran_order)
    })
}

/// Open the existing .npy file `path` for positional writes of rows with
/// `npy_write_rows` (and for reads). The header is checked as `npy_open`
/// checks it, and the file must hold all the data it declares. Reads go to
/// the file each time (nothing is cached at open), so they see rows other
/// writers wrote meanwhile. Any number of processes and threads may hold
/// such handles on one file and write disjoint rows at once.
///
/// Ownership: `*out` receives a handle the caller owns (close with
/// `npy_close`).
///
/// NULL: `path` and `out` must not be NULL.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) for an
/// empty path or anything but a regular file; `NPYIO_ERR_NOT_FOUND` (-20)
/// when the file does not exist, or a directory in its path does not
/// (`npyio_last_errno`: `ENOENT` or `ENOTDIR`; earlier releases gave the
/// I/O status); `NPYIO_ERR_IO` (-3) when the file cannot be opened for
/// reading and writing otherwise; every error of
/// `npy_open` for the header (`NPYIO_ERR_BAD_MAGIC` (-4),
/// `NPYIO_ERR_UNSUPPORTED_VERSION` (-5), `NPYIO_ERR_BAD_HEADER` (-6),
/// `NPYIO_ERR_BAD_DTYPE` (-7), `NPYIO_ERR_OBJECT_DTYPE` (-8),
/// `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_TRUNCATED` (-10),
/// `NPYIO_ERR_LIMIT` (-11), `NPYIO_ERR_ENCODING` (-15)).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_open_rw(path: *const c_char, out: *mut *mut npy_file) -> npyio_status {
    new_handle(out, || NpyFile::open_rw(args::path(path)?))
}

/// Write rows `first` to `first + count - 1` of a file opened by
/// `npy_create` or `npy_open_rw`, from `len` bytes at `data`, with
/// positional writes (pwrite). A row is one index along axis 0, as for
/// `npy_read_rows`: the slab has shape `(count, shape[1], ...)` and
/// `count * npy_row_nbytes(f)` bytes, in the file's byte order. A 1-D
/// array's rows are its elements; a 0-d array has no rows. For a C-order
/// file the slab is C-order data and lands as one contiguous range at
/// `npy_data_offset(f) + first * npy_row_nbytes(f)`. For a Fortran-order
/// file the slab is given in Fortran order (the bytes of
/// `np.asfortranarray(a[first:first+count])`, what `npy_read_rows` returns
/// without `NPYIO_READ_C_ORDER`) and lands as `product(shape[1:])` runs of
/// `count` items (one range when all rows are written): write C-order
/// files when slabs are many and small. Disjoint rows are disjoint bytes
/// of the file in both orders. `count` 0 with `len` 0 writes nothing.
/// Nothing is synced: `npy_flush` makes the written rows durable.
///
/// Ownership: `data` is only read during the call.
///
/// NULL: `f` must not be NULL; `data` may be NULL when `len` is 0.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_STATE` (-23) when `f` was
/// not opened for writes (`npy_open`, `npy_open_memory`, maps, archive
/// members, text loads); `NPYIO_ERR_INVALID_ARG` (-13) for a 0-d array, or
/// rows past the end (`first + count > shape[0]`, overflow included);
/// `NPYIO_ERR_SIZE_MISMATCH` (-14) when `len` is not
/// `count * npy_row_nbytes(f)`; `NPYIO_ERR_IO` (-3) when the write fails.
///
/// Threads: may be called on one handle from several threads at once, and
/// on one file from several processes at once, each writing rows no other
/// writes at the same time. Writes of overlapping rows race (the bytes of
/// either may win); reads of rows being written may see old or new bytes.
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_write_rows(
    f: *mut npy_file,
    first: u64,
    count: u64,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    status(|| {
        let f = npy_file::arg(f, "f")?;
        let data = bytes(data, len, "data")?;
        f.file.write_rows(first, count, data)
    })
}

/// Append rows along axis 0 to the .npy file `path`, as
/// `np.concatenate([a, rows])` saved over it would: `len` bytes at `data`
/// are whole rows (a multiple of `npy_row_nbytes` of the file, C order,
/// the file's byte order), and the header's shape grows by their number.
/// The file must be in C order or 1-D. The file is at every instant either
/// the old array or the new one, after a crash at any point (a killed
/// process; a power cut too, on storage that writes a 512-byte sector whole
/// or not at all): when the new header fits in the old one's bytes (NumPy leaves
/// room for 21 digits of the first dimension) and the bytes that change
/// lie within one 512-byte sector, the rows are written after the old data
/// and synced first, then the header is rewritten by one write of the
/// changed bytes and synced (a sector is written whole or not at all);
/// otherwise (headers from other writers without that room, legacy 16-byte
/// alignment, a shape too long for format 1.0, which then becomes 2.0) the
/// file is rewritten as np.save writes it under a temporary name, synced
/// and renamed over `path`. A crash may leave that temporary file
/// (`.NAME.*.npyio-tmp`) behind, never a broken `path`. `len` 0 changes
/// nothing. A reader that reads the header at the very moment it is
/// rewritten in place is not protected (the kernel does not make a read
/// and a write of the same bytes exclusive): readers that run during
/// appends should take a shared `flock` on the file while they read its
/// header.
///
/// Ownership: `data` is only read during the call.
///
/// NULL: `path` must not be NULL; `data` may be NULL when `len` is 0.
///
/// Errors: `NPYIO_ERR_NULL_ARG` (-1); `NPYIO_ERR_INVALID_ARG` (-13) for an
/// empty path, anything but a regular file, a 0-d array or a Fortran-order
/// array of two or more dimensions; `NPYIO_ERR_SIZE_MISMATCH` (-14) when
/// `len` is not a whole number of rows (also for rows of 0 bytes);
/// `NPYIO_ERR_OVERFLOW` (-9) when the new shape overflows;
/// `NPYIO_ERR_NOT_FOUND` (-20) when the file does not exist, or a directory
/// in its path does not (earlier releases gave the I/O status); the errors
/// of `npy_open` for the file's header; `NPYIO_ERR_IO` (-3) when reading,
/// writing, syncing or renaming fails (the file is then still the old
/// array, possibly with unused bytes after its data).
///
/// Threads: appends to one file are serialised with an exclusive `flock`,
/// so threads and processes may append at once (each append's rows stay
/// together). Handles from `npy_open_rw` or `npy_open` on the file keep
/// the old shape; a handle opened before an append that rewrote the file
/// keeps reading (and writing) the old file.
///
/// \ingroup npyio_npy_write
#[no_mangle]
pub unsafe extern "C" fn npy_append_rows(
    path: *const c_char,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    status(|| {
        let path = args::path(path)?;
        let data = bytes(data, len, "data")?;
        crate::append_rows(path, data).map(|_| ())
    })
}
