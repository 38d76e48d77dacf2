//! `npz_file` and `npz_writer`: .npz archives.

use super::dtype::dtype_arg;
use super::npy::npy_file;
use super::{
    arg, arg_mut, bytes_arg, bytes_arg_mut, give, guard, npyio_status, out_arg, path_arg,
    shape_arg, NPYIO_SAVE_FSYNC,
};
use crate::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use crate::{bail, err};
use std::ffi::{c_char, c_void, CStr, CString};

/// Compression of an .npz member, passed as an integer (the zip method
/// number).
pub type npyio_compression = i32;
/// Stored, uncompressed (`np.savez`).
pub const NPYIO_STORED: npyio_compression = 0;
/// Deflate (`np.savez_compressed`).
pub const NPYIO_DEFLATE: npyio_compression = 8;

/// Flag for `npz_writer_open_ex`: pad local headers so every stored
/// member's data (and so its array data) starts at a multiple of 64 bytes in
/// the archive, ready for zero-copy maps. NumPy loads such archives as usual.
pub const NPYIO_NPZ_ALIGN: u32 = 2;

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

/// An .npz archive being written (opaque). Belongs to one thread at a time.
/// Ended by exactly one of `npz_writer_finish` or `npz_writer_discard`.
pub struct npz_writer {
    w: NpzWriter,
}

fn wrap(z: NpzFile) -> npz_file {
    let keys = z
        .entries()
        .iter()
        // Names are cut at their first NUL when the archive is read.
        .map(|e| CString::new(e.key.as_str()).unwrap_or_default())
        .collect();
    npz_file { z, keys }
}

struct Borrowed(*const u8, usize);
// SAFETY: the caller of npz_open_memory keeps the bytes valid and unchanged
// until the archive and every member opened from it are closed; only read.
unsafe impl Send for Borrowed {}
unsafe impl Sync for Borrowed {}
impl AsRef<[u8]> for Borrowed {
    fn as_ref(&self) -> &[u8] {
        if self.1 == 0 {
            return &[];
        }
        // SAFETY: see above.
        unsafe { std::slice::from_raw_parts(self.0, self.1) }
    }
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
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        give(out, wrap(NpzFile::open(path)?));
        Ok(())
    })
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
    guard(|| {
        out_arg(out, "out")?;
        bytes_arg(data as *const u8, len, "data")?;
        give(
            out,
            wrap(NpzFile::from_bytes(Borrowed(data as *const u8, len))?),
        );
        Ok(())
    })
}

/// Number of members (0 for NULL).
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_count(z: *const npz_file) -> usize {
    z.as_ref().map(|z| z.z.len()).unwrap_or(0)
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
    match z.as_ref().and_then(|z| z.keys.get(i)) {
        Some(k) => k.as_ptr(),
        None => std::ptr::null(),
    }
}

/// Uncompressed size in bytes of member `i` (the whole .npy file inside);
/// 0 for NULL or out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_size(z: *const npz_file, i: usize) -> u64 {
    z.as_ref()
        .and_then(|z| z.z.entries().get(i))
        .map(|e| e.size)
        .unwrap_or(0)
}

/// Compressed size in bytes of member `i`; 0 for NULL or out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_compressed_size(z: *const npz_file, i: usize) -> u64 {
    z.as_ref()
        .and_then(|z| z.z.entries().get(i))
        .map(|e| e.compressed_size)
        .unwrap_or(0)
}

/// The zip compression method of member `i`: `NPYIO_STORED`,
/// `NPYIO_DEFLATE`, or another zip method number (such members cannot be
/// opened); -1 for NULL or out of range.
///
/// # Safety
/// `z` must be NULL or a valid archive.
#[no_mangle]
pub unsafe extern "C" fn npz_member_compression(z: *const npz_file, i: usize) -> npyio_compression {
    z.as_ref()
        .and_then(|z| z.z.entries().get(i))
        .map(|e| e.method as i32)
        .unwrap_or(-1)
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
    guard(|| {
        out_arg(out, "out")?;
        let z = arg(z, "z")?;
        let name = name_arg(name)?;
        give(out, npy_file::new(z.z.open_member(&name)?));
        Ok(())
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
    guard(|| {
        out_arg(out, "out")?;
        let z = arg(z, "z")?;
        give(out, npy_file::new(z.z.open_member_at(i)?));
        Ok(())
    })
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
    guard(|| {
        out_arg(out, "out")?;
        let z = arg(z, "z")?;
        let name = name_arg(name)?;
        give(out, npy_file::new(z.z.mmap_member(&name)?));
        Ok(())
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
    guard(|| {
        let z = arg(z, "z")?;
        let name = name_arg(name)?;
        let i = z.z.index_of(&name).ok_or_else(|| {
            err!(
                NotFound,
                "{}: no member named {}",
                z.z.name(),
                crate::literal::repr_str(&name)
            )
        })?;
        let dst = bytes_arg_mut(dst as *mut u8, dst_len, "dst")?;
        z.z.read_raw(i, dst)
    })
}

/// Close an archive. Members opened from it stay valid. NULL is fine.
///
/// # Safety
/// `z` must be NULL or an archive not yet closed.
#[no_mangle]
pub unsafe extern "C" fn npz_close(z: *mut npz_file) {
    if !z.is_null() {
        let _ = super::quietly(|| drop(Box::from_raw(z)));
    }
}

fn compression_arg(c: npyio_compression) -> crate::error::Result<Compression> {
    match c {
        NPYIO_STORED => Ok(Compression::Stored),
        NPYIO_DEFLATE => Ok(Compression::Deflate),
        other => bail!(
            InvalidArg,
            "unknown compression {other} (use NPYIO_STORED or NPYIO_DEFLATE)"
        ),
    }
}

unsafe fn name_arg(name: *const c_char) -> crate::error::Result<String> {
    if name.is_null() {
        bail!(NullArg, "argument 'name' is NULL");
    }
    CStr::from_ptr(name)
        .to_str()
        .map(str::to_string)
        .map_err(|_| err!(Encoding, "member name is not valid UTF-8"))
}

/// Start writing an .npz archive at `path`, like `np.savez`: members are
/// written to a temporary file in the same directory, which `npz_writer_finish`
/// renames over `path`. A FIFO, a device or a descriptor (`/dev/stdout`)
/// is written in place as a stream, as `npy_save` says: streamed and
/// deflate members then carry their CRC and sizes in a data descriptor
/// after their data, as Python's zipfile writes to an unseekable file.
/// Same as `npz_writer_open_ex(path, 0, -1, out)`.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open(
    path: *const c_char,
    out: *mut *mut npz_writer,
) -> npyio_status {
    npz_writer_open_ex(path, 0, -1, out)
}

/// `npz_writer_open` with options: `flags` may combine `NPYIO_SAVE_FSYNC`
/// (fsync the archive and its directory on finish) and `NPYIO_NPZ_ALIGN`
/// (64-byte aligned stored members); `level` is the deflate level 0–9 for
/// `NPYIO_DEFLATE` members, or -1 for NumPy's default (6). Unknown flags or
/// levels give `NPYIO_ERR_INVALID_ARG`.
///
/// # Safety
/// `path` must be NULL or NUL-terminated; `out` must be NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_open_ex(
    path: *const c_char,
    flags: u32,
    level: i32,
    out: *mut *mut npz_writer,
) -> npyio_status {
    guard(|| {
        out_arg(out, "out")?;
        let path = path_arg(path)?;
        let known = NPYIO_SAVE_FSYNC | NPYIO_NPZ_ALIGN;
        if flags & !known != 0 {
            bail!(
                InvalidArg,
                "unknown npz writer flags 0x{:x}",
                flags & !known
            );
        }
        let level = match level {
            -1 => 6,
            0..=9 => level as u32,
            l => bail!(
                InvalidArg,
                "compression level {l} is not in 0..=9 (or -1 for the default)"
            ),
        };
        let opts = NpzWriterOptions {
            fsync: flags & NPYIO_SAVE_FSYNC != 0,
            align: flags & NPYIO_NPZ_ALIGN != 0,
            level,
            threads: 0,
        };
        give(
            out,
            npz_writer {
                w: NpzWriter::create(path, opts)?,
            },
        );
        Ok(())
    })
}

/// Add a whole array as member `name` + ".npy" (as `np.savez(f, name=a)`
/// names it). `data` holds `len` bytes in storage order (C, or Fortran if
/// `fortran_order`) and the dtype's byte order; `len` must equal
/// product(shape) × itemsize (`NPYIO_ERR_SIZE_MISMATCH`). `compression` is
/// `NPYIO_STORED` (the member is byte-identical to `np.savez`'s) or
/// `NPYIO_DEFLATE` (large members are compressed on all cores). Empty names,
/// names with NUL bytes and duplicate names give `NPYIO_ERR_INVALID_ARG`.
/// After an I/O error the writer only accepts finish (which reports it) or
/// discard.
///
/// # Safety
/// Pointers must be NULL or valid for the lengths given.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn npz_writer_add(
    w: *mut npz_writer,
    name: *const c_char,
    dtype: *const super::dtype::npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    data: *const c_void,
    len: usize,
    compression: npyio_compression,
) -> npyio_status {
    guard(|| {
        let w = arg_mut(w, "w")?;
        let name = name_arg(name)?;
        let dt = dtype_arg(dtype)?;
        let shape = shape_arg(ndim, shape)?;
        let data = bytes_arg(data as *const u8, len, "data")?;
        w.w.add(
            &name,
            dt,
            shape,
            fortran_order,
            data,
            compression_arg(compression)?,
        )
    })
}

/// Start a member written in pieces (for arrays larger than memory):
/// follow with `npz_writer_write` calls totalling product(shape) × itemsize
/// bytes, then `npz_writer_end`. Nothing buffers the member. Errors as
/// `npz_writer_add`, and `NPYIO_ERR_STATE` if a member is already open.
///
/// # Safety
/// Pointers must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_begin(
    w: *mut npz_writer,
    name: *const c_char,
    dtype: *const super::dtype::npyio_dtype,
    ndim: usize,
    shape: *const u64,
    fortran_order: bool,
    compression: npyio_compression,
) -> npyio_status {
    guard(|| {
        let w = arg_mut(w, "w")?;
        let name = name_arg(name)?;
        let dt = dtype_arg(dtype)?;
        let shape = shape_arg(ndim, shape)?;
        w.w.begin(
            &name,
            dt,
            shape,
            fortran_order,
            compression_arg(compression)?,
        )
    })
}

/// Append data to the member started with `npz_writer_begin`. More bytes
/// than the array holds give `NPYIO_ERR_SIZE_MISMATCH`; no open member gives
/// `NPYIO_ERR_STATE`.
///
/// # Safety
/// `w` must be valid; `data` must point to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_write(
    w: *mut npz_writer,
    data: *const c_void,
    len: usize,
) -> npyio_status {
    guard(|| {
        let w = arg_mut(w, "w")?;
        let data = bytes_arg(data as *const u8, len, "data")?;
        w.w.write(data)
    })
}

/// End the member started with `npz_writer_begin`: too few bytes written
/// give `NPYIO_ERR_SIZE_MISMATCH` (and the writer then only accepts
/// discard or a failing finish).
///
/// # Safety
/// `w` must be NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_end(w: *mut npz_writer) -> npyio_status {
    guard(|| arg_mut(w, "w")?.w.end())
}

/// Write the central directory (zip64 records when needed, exactly as
/// Python's zipfile) and rename the archive over the target. The writer is
/// freed whatever the result; on error the temporary file is removed and an
/// existing file at the path is untouched. NULL gives `NPYIO_ERR_NULL_ARG`.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_finish(w: *mut npz_writer) -> npyio_status {
    guard(|| {
        if w.is_null() {
            bail!(NullArg, "argument 'w' is NULL");
        }
        Box::from_raw(w).w.finish()
    })
}

/// Abandon an archive: remove its temporary file, keep any old file at the
/// path, free the writer. NULL is fine.
///
/// # Safety
/// `w` must be NULL or a writer not yet finished or discarded.
#[no_mangle]
pub unsafe extern "C" fn npz_writer_discard(w: *mut npz_writer) {
    if !w.is_null() {
        let _ = super::quietly(|| drop(Box::from_raw(w)));
    }
}
