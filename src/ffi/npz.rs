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
///
/// \ingroup npyio_npz_read
pub struct npz_file {
    pub(crate) z: NpzFile,
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
/// Safety: `name` must be NULL or a NUL-terminated string.
pub(crate) unsafe fn member_name<'a>(name: *const c_char) -> Result<&'a str> {
    utf8(name, "name", "member name")
}

/// Open the .npz archive at `path` and read its central directory (the
/// authoritative index, as in Python's zipfile). Archives from `np.savez`,
/// `np.savez_compressed`, streamed writers (data descriptors) and zip64
/// archives all open. Members are checked when they are opened.
///
/// Ownership: `path` is read during the call only. On success `*out`
/// receives a new archive owned by the caller, to be closed with
/// `npz_close`; on failure `*out` is left as it was.
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
///   permission, ...); `npyio_last_errno` gives the number.
/// - `NPYIO_ERR_ZIP` (-17): not a zip archive, or a malformed one (a
///   truncated or inconsistent central directory, members overlapping each
///   other or the directory, duplicate member names: NumPy would silently
///   return the last).
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a multi-disk archive.
/// - `NPYIO_ERR_ENCODING` (-15): a member name flagged UTF-8 is not UTF-8.
/// - `NPYIO_ERR_LIMIT` (-11): more members than `NPYIO_LIMIT_NPZ_MEMBERS`.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the index of members.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_open(path: *const c_char, out: *mut *mut npz_file) -> npyio_status {
    new_handle(out, || NpzFile::open(args::path(path)?))
}

/// Open an .npz archive held in memory (`len` bytes at `data`), validated
/// as `npz_open` validates a file. Members opened from it read the
/// caller's bytes directly (`npz_mmap_member` points into them).
///
/// Ownership: the bytes are borrowed, not copied: they must stay valid and
/// unchanged until the archive and every member opened from it are
/// closed. On success `*out` receives a new archive owned by the caller,
/// to be closed with `npz_close`; on failure `*out` is left as it was.
///
/// NULL: `data` may be NULL only when `len` is 0 (which is not a zip:
/// `NPYIO_ERR_ZIP`); `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `out` is NULL, or `data` is NULL with `len`
///   > 0.
/// - `NPYIO_ERR_ZIP` (-17): not a zip archive, or a malformed one (a
///   truncated or inconsistent central directory, members overlapping each
///   other or the directory, duplicate member names: NumPy would silently
///   return the last).
/// - `NPYIO_ERR_UNSUPPORTED` (-19): a multi-disk archive.
/// - `NPYIO_ERR_ENCODING` (-15): a member name flagged UTF-8 is not UTF-8.
/// - `NPYIO_ERR_LIMIT` (-11): more members than `NPYIO_LIMIT_NPZ_MEMBERS`.
/// - `NPYIO_ERR_ALLOC` (-16): out of memory for the index of members.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from any thread; several archives may borrow the
/// same bytes.
///
/// \ingroup npyio_npz_read
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

/// The number of members, as `len(NpzFile.files)`; indices for
/// `npz_name` and the other member functions run from 0 to this minus one.
///
/// Ownership: `z` is borrowed for the call only.
///
/// NULL: `z` may be NULL: the result is then 0.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_count(z: *const npz_file) -> usize {
    getter(|| Some(npz_file::peek(z)?.z.len()))
}

/// The key of member `i` as `NpzFile.files` lists it: the member name
/// without its `.npy` suffix (`"x"` for `x.npy`; other members keep their
/// full name), in archive order. A stored name with a NUL byte is cut
/// there, as Python's zipfile cuts it (`"x.npy\0junk"` is `"x"`); two names
/// equal after the cut make `npz_open` refuse the archive as duplicates.
///
/// Ownership: the string belongs to `z` and lives until `npz_close`; never
/// free it.
///
/// NULL: returns NULL when `z` is NULL or `i` is out of range.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_name(z: *const npz_file, i: usize) -> *const c_char {
    getter(|| Some(npz_file::peek(z)?.keys.get(i)?.as_ptr()))
}

/// The uncompressed size in bytes of member `i` (the whole .npy file
/// inside), as the central directory records it: the buffer size
/// `npz_read_raw` needs.
///
/// Ownership: `z` is borrowed for the call only.
///
/// NULL: `z` may be NULL: the result is then 0, as for an index out of range.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_member_size(z: *const npz_file, i: usize) -> u64 {
    getter(|| Some(npz_file::peek(z)?.z.entries().get(i)?.size))
}

/// The compressed size in bytes of member `i`, as the central directory
/// records it (the uncompressed size for a stored member).
///
/// Ownership: `z` is borrowed for the call only.
///
/// NULL: `z` may be NULL: the result is then 0, as for an index out of range.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
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
/// Ownership: `z` is borrowed for the call only.
///
/// NULL: `z` may be NULL: the result is then -1, as for an index out of range.
///
/// Errors: none.
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
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
/// Reads of the member check its CRC-32 whenever they reach the end of
/// the data (`NPYIO_ERR_CRC` from the read).
///
/// Ownership: `name` is read during the call only. On success `*out`
/// receives a new array owned by the caller, independent of `z`: close it
/// with `npy_close`, before or after `npz_close`. On failure `*out` is
/// left as it was.
///
/// NULL: `z`, `name` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `z`, `name` or `out` is NULL.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not valid UTF-8.
/// - `NPYIO_ERR_NOT_FOUND` (-20): no member has that name or key.
/// - `NPYIO_ERR_ZIP` (-17): the member's local header disagrees with the
///   central directory (name, method, CRC, sizes) or is cut off, or a
///   deflate stream is corrupt.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): the member is encrypted or compressed
///   with a method other than stored or deflate.
/// - `NPYIO_ERR_LIMIT` (-11): the member is larger than
///   `NPYIO_LIMIT_NPZ_MEMBER_SIZE`, or its .npy header longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): the member is not a .npy file (read its
///   bytes with `npz_read_raw`).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5), `NPYIO_ERR_BAD_HEADER` (-6),
///   `NPYIO_ERR_BAD_DTYPE` (-7), `NPYIO_ERR_OBJECT_DTYPE` (-8),
///   `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ENCODING` (-15),
///   `NPYIO_ERR_ALLOC` (-16): the member's .npy header, as for `npy_open`.
/// - `NPYIO_ERR_TRUNCATED` (-10): the array does not fit in the member.
/// - `NPYIO_ERR_IO` (-3): reading the archive's file failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
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
/// `npz_open_member`.
///
/// Ownership: as `npz_open_member`.
///
/// NULL: `z` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `z` or `out` is NULL.
/// - `NPYIO_ERR_INVALID_ARG` (-13): `i` is out of range.
/// - `NPYIO_ERR_ZIP` (-17): the member's local header disagrees with the
///   central directory (name, method, CRC, sizes) or is cut off, or a
///   deflate stream is corrupt.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): the member is encrypted or compressed
///   with a method other than stored or deflate.
/// - `NPYIO_ERR_LIMIT` (-11): the member is larger than
///   `NPYIO_LIMIT_NPZ_MEMBER_SIZE`, or its .npy header longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): the member is not a .npy file (read its
///   bytes with `npz_read_raw`).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5), `NPYIO_ERR_BAD_HEADER` (-6),
///   `NPYIO_ERR_BAD_DTYPE` (-7), `NPYIO_ERR_OBJECT_DTYPE` (-8),
///   `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ENCODING` (-15),
///   `NPYIO_ERR_ALLOC` (-16): the member's .npy header, as for `npy_open`.
/// - `NPYIO_ERR_TRUNCATED` (-10): the array does not fit in the member.
/// - `NPYIO_ERR_IO` (-3): reading the archive's file failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
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
/// caller's buffer. The SIGBUS caveat of `npy_mmap` applies.
///
/// Ownership: `name` is read during the call only. On success `*out`
/// receives a new array owned by the caller, independent of `z` (it keeps
/// its own map): close it with `npy_close`, before or after `npz_close`.
/// On failure `*out` is left as it was.
///
/// NULL: `z`, `name` and `out` must not be NULL.
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `z`, `name` or `out` is NULL.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not valid UTF-8.
/// - `NPYIO_ERR_NOT_FOUND` (-20): no member has that name or key.
/// - `NPYIO_ERR_NOT_MAPPABLE` (-21): the member is deflate-compressed (open
///   it with `npz_open_member`).
/// - `NPYIO_ERR_ZIP` (-17): the member's local header disagrees with the
///   central directory (name, method, CRC, sizes) or is cut off, or a
///   deflate stream is corrupt.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): the member is encrypted or compressed
///   with a method other than stored or deflate.
/// - `NPYIO_ERR_LIMIT` (-11): the member is larger than
///   `NPYIO_LIMIT_NPZ_MEMBER_SIZE`, or its .npy header longer than
///   `NPYIO_LIMIT_HEADER_LEN`.
/// - `NPYIO_ERR_BAD_MAGIC` (-4): the member is not a .npy file (read its
///   bytes with `npz_read_raw`).
/// - `NPYIO_ERR_UNSUPPORTED_VERSION` (-5), `NPYIO_ERR_BAD_HEADER` (-6),
///   `NPYIO_ERR_BAD_DTYPE` (-7), `NPYIO_ERR_OBJECT_DTYPE` (-8),
///   `NPYIO_ERR_OVERFLOW` (-9), `NPYIO_ERR_ENCODING` (-15),
///   `NPYIO_ERR_ALLOC` (-16): the member's .npy header, as for `npy_open`.
/// - `NPYIO_ERR_TRUNCATED` (-10): the array does not fit in the member, or the archive shrank
///   since it was opened.
/// - `NPYIO_ERR_IO` (-3): reading or mapping the archive's file failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_maps
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
/// The member is found by name or key as `npz_open_member` finds it.
///
/// Ownership: `name` is read during the call only; `dst` is the caller's,
/// and `dst_len` bytes at it must be writable. Nothing is kept.
///
/// NULL: `z` and `name` must not be NULL; `dst` may be NULL only when
/// `dst_len` is 0 (an empty member).
///
/// Errors:
/// - `NPYIO_ERR_NULL_ARG` (-1): `z` or `name` is NULL, or `dst` is NULL
///   with `dst_len` > 0.
/// - `NPYIO_ERR_ENCODING` (-15): `name` is not valid UTF-8.
/// - `NPYIO_ERR_NOT_FOUND` (-20): no member has that name or key.
/// - `NPYIO_ERR_BUFFER_TOO_SMALL` (-12): `dst_len` <
///   `npz_member_size`.
/// - `NPYIO_ERR_CRC` (-18): the bytes do not match the member's CRC-32.
/// - `NPYIO_ERR_ZIP` (-17): the local header disagrees with the central
///   directory, or a deflate stream is corrupt.
/// - `NPYIO_ERR_UNSUPPORTED` (-19): encrypted, or a method other than
///   stored or deflate.
/// - `NPYIO_ERR_LIMIT` (-11): the member is larger than
///   `NPYIO_LIMIT_NPZ_MEMBER_SIZE`.
/// - `NPYIO_ERR_IO` (-3): reading the archive's file failed.
/// - `NPYIO_ERR_PANIC` (-2): internal error (a bug; please report it).
///
/// Threads: may be called from several threads at once on one archive.
///
/// \ingroup npyio_npz_read
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

/// Close an archive and free its index. Members opened from it stay valid
/// until their own `npy_close`.
///
/// Ownership: `z` must not have been closed; it and the names from
/// `npz_name` are invalid afterwards. Memory borrowed by `npz_open_memory`
/// may be released once the archive and its last member are closed.
///
/// NULL: `z` may be NULL (nothing happens).
///
/// Errors: none.
///
/// Threads: no other thread may use `z` during or after the call.
///
/// \ingroup npyio_npz_read
#[no_mangle]
pub unsafe extern "C" fn npz_close(z: *mut npz_file) {
    close(z)
}
