//! `npz_file`: .npz archives opened for reading, their members as
//! `npy_file` arrays.

use super::args::{self, bytes_mut, utf8, Borrowed};
use super::boundary::{close, getter, getter_or, new_handle, status};
use super::codes::npyio_status;
use super::handle::{Handle, Owned};
use super::npy::npy_file;
use crate::error::Result;
use crate::npz::NpzFile;
use std::ffi::{c_char, c_void, CString};

// The writing functions live in npz_write; they are also found here, where
// they were first.
pub use super::npz_write::{
    npz_writer, npz_writer_add, npz_writer_begin, npz_writer_discard, npz_writer_end,
    npz_writer_finish, npz_writer_open, npz_writer_open_ex, npz_writer_write,
};

/// An .npz archive opened for reading (opaque). The central directory is
/// read at open; members are opened on demand with `npz_open_member` as
/// `npy_file` handles that work with every `npy_*` describe and read
/// function, and stay valid after `npz_close`. Thread-safe: members may be
/// opened and read from several threads at once (reads are positional; a
/// deflate member inflates its own stream on each read).
pub struct npz_file {
    z: NpzFile,
    keys: Vec<CString>,
}

impl From<NpzFile> for npz_file {
    fn from(z: NpzFile) -> npz_file {
        let keys = z
            .entries()
            .iter()
            // Names are cut at their first NUL when the archive is read.
            .map(|e| CString::new(e.key.as_str()).unwrap_or_default())
            .collect();
        npz_file { z, keys }
    }
}

impl Handle for npz_file {}
impl Owned for npz_file {}

/// A member name argument (`name`), UTF-8.
///
/// # Safety
/// `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn member_name<'a>(name: *const c_char) -> Result<&'a str> {
    utf8(name, "name", "member name")
}

/// Open the .npz archive at `path` and read its central directory (the
/// authoritative index, as in Python's zipfile). Archives from `np.savez`,
/// `np.savez_compressed`, streamed writers (data descriptors) and zip64
/// archives all open. Refused: not a zip (`NPYIO_ERR_ZIP`), a truncated
/// central directory (`NPYIO_ERR_ZIP`), members overlapping each other
/// (`NPYIO_ERR_ZIP`), duplicate member names (`NPYIO_ERR_ZIP`: NumPy would
/// silently return the last), more members than `NPYIO_LIMIT_NPZ_MEMBERS`
/// (`NPYIO_ERR_LIMIT`). On success `*out` receives the archive (close with
/// `npz_close`). Thread-safe.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npz_open(path: *const c_char, out: *mut *mut npz_file) -> npyio_status {
    new_handle(out, || NpzFile::open(args::path(path)?))
}

/// Open an .npz archive held in memory (`len` bytes at `data`). The bytes
/// are borrowed: they must stay valid and unchanged until the archive and
/// every member opened from it are closed. Errors as `npz_open`.
///
/// # Safety
/// `data` must point to `len` readable bytes that outlive the handles.
#[no_mangle]
pub unsafe extern "C" fn npz_open_memory(
    data: *const c_void,
    len: usize,
    out: *mut *mut npz_file,
) -> npyio_status {
    new_handle(out, || {
        NpzFile::from_bytes(Borrowed::new(data, len, "data")?)
    })
}

/// Number of members (0 for NULL).
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_count(z: *const npz_file) -> usize {
    getter(|| Some(npz_file::peek(z)?.z.len()))
}

/// The key of member `i` as `NpzFile.files` lists it: the member name
/// without its `.npy` suffix (`"x"` for `x.npy`; other members keep their
/// full name), in archive order. A stored name with a NUL byte is cut
/// there, as Python's zipfile cuts it (`"x.npy\0junk"` is `"x"`); two names
/// equal after the cut make `npz_open` refuse the archive as duplicates.
/// Valid until `npz_close`. NULL for NULL or an index out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_name(z: *const npz_file, i: usize) -> *const c_char {
    getter(|| Some(npz_file::peek(z)?.keys.get(i)?.as_ptr()))
}

/// Uncompressed size in bytes of member `i` (the whole .npy file inside);
/// 0 for NULL or out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_size(z: *const npz_file, i: usize) -> u64 {
    getter(|| Some(npz_file::peek(z)?.z.entries().get(i)?.size))
}

/// Compressed size in bytes of member `i`; 0 for NULL or out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_compressed_size(z: *const npz_file, i: usize) -> u64 {
    getter(|| Some(npz_file::peek(z)?.z.entries().get(i)?.compressed_size))
}

/// The zip compression method number of member `i`, as the archive
/// records it: 0 (`NPYIO_STORED`), 8 (`NPYIO_DEFLATE`), 12 (bzip2), 14
/// (LZMA) or 93 (Zstandard), which are read, or another zip method, such
/// as 9 (Deflate64), whose members cannot be opened
/// (`NPYIO_ERR_UNSUPPORTED`); -1 for NULL or out of range. An integer rather than `npyio_compression`, which names only
/// what the writer offers.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_compression(z: *const npz_file, i: usize) -> i32 {
    getter_or(-1, || {
        Some(i32::from(npz_file::peek(z)?.z.entries().get(i)?.method))
    })
}

/// Open member `name` (`"x"` or `"x.npy"`, looked up like NumPy: full names
/// first, then keys) as an array. Only the member's local header and .npy
/// header are read (a deflate member inflates just the header bytes). The
/// local header must agree with the central directory (name, method, CRC,
/// sizes), and the array must fit in the member's uncompressed size.
/// Errors: `NPYIO_ERR_NOT_FOUND`, `NPYIO_ERR_ZIP`, `NPYIO_ERR_UNSUPPORTED`
/// (encryption, a method other than stored/deflate), `NPYIO_ERR_BAD_MAGIC`
/// (a member that is not a .npy file: use `npz_read_raw`), and every
/// `npy_open` error. Reads of the member check its CRC-32 whenever they
/// reach the end of the data (`NPYIO_ERR_CRC`). The handle is independent
/// of `z` (close it with `npy_close`, before or after `npz_close`).
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_open_member(
    z: *const npz_file,
    name: *const c_char,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        npz_file::arg(z, "z")?.z.open_member(member_name(name)?)
    })
}

/// Open member number `i` (archive order, as `npz_name`) as an array; as
/// `npz_open_member`. An index out of range gives `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_open_member_at(
    z: *const npz_file,
    i: usize,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || npz_file::arg(z, "z")?.z.open_member_at(i))
}

/// Map stored member `name` read-only, zero-copy, like `npy_mmap` on a
/// file: `npy_data` points into the archive's mapping (64-byte aligned for
/// archives written with `NPYIO_NPZ_ALIGN`), `npy_data_mut` is NULL. The
/// member's sizes are checked against the archive before mapping. A deflate
/// member gives `NPYIO_ERR_NOT_MAPPABLE`. A map never reads the whole
/// member, so reads through this handle are not guaranteed to check the
/// member's CRC-32: for a verified read, open it with `npz_open_member`. For
/// an archive opened with `npz_open_memory` the pointer lies in the
/// caller's buffer. The SIGBUS caveat of `npy_mmap` applies. Thread-safe.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_mmap_member(
    z: *const npz_file,
    name: *const c_char,
    out: *mut *mut npy_file,
) -> npyio_status {
    new_handle(out, || {
        npz_file::arg(z, "z")?.z.mmap_member(member_name(name)?)
    })
}

/// Copy the whole uncompressed bytes of member `name` into `dst` (for
/// members that are not .npy files; NumPy returns those as `bytes`).
/// `dst_len` must be at least `npz_member_size`. The CRC-32 is checked.
/// Errors: `NPYIO_ERR_NOT_FOUND`, `NPYIO_ERR_BUFFER_TOO_SMALL`,
/// `NPYIO_ERR_CRC`, `NPYIO_ERR_ZIP`, `NPYIO_ERR_UNSUPPORTED`.
///
/// # Safety
/// Pointers must be NULL or valid; `dst` must hold `dst_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn npz_read_raw(
    z: *const npz_file,
    name: *const c_char,
    dst: *mut c_void,
    dst_len: usize,
) -> npyio_status {
    status(|| {
        let z = npz_file::arg(z, "z")?;
        let name = member_name(name)?;
        let dst = bytes_mut(dst, dst_len, "dst")?;
        z.z.read_raw_named(name, dst)
    })
}

/// Close an archive. Members opened from it stay valid. NULL is fine.
///
/// # Safety
/// `z` must be NULL or an archive not yet closed.
#[no_mangle]
pub unsafe extern "C" fn npz_close(z: *mut npz_file) {
    close(z)
}
