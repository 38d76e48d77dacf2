//! The C API's numbers: status codes, flags, limits, map modes, compression
//! methods and the text options' codes, and their conversion to Rust values.
//!
//! Each number is written here once, as a literal (cbindgen copies literals
//! and their doc comments into npyio.h). The Rust side defines the same sets
//! as enums ([`Status`], [`Limit`], [`MapMode`], [`RawMode`],
//! [`Compression`], [`Case`]) and flag constants ([`crate::READ_NATIVE`],
//! ...); the tests at the end of this file tie every constant of the
//! header to its Rust value, by name and number, in both directions.
//! Codes arrive from C as integers and are converted by the functions here:
//! an out-of-range enum value would be undefined behaviour in Rust.

use crate::cast::Casting;
use crate::error::Result;
use crate::npz::{Compression, NpzWriterOptions};
use crate::text::Case;
use crate::{bail, err};
use crate::{Limit, MapMode, RawMode, SaveOptions, Type};

/// Status code returned by every fallible function: 0 (`NPYIO_OK`) on
/// success, a negative `NPYIO_ERR_*` code on failure. Codes never change
/// meaning; `npyio_status_str` describes one and `npyio_last_error` gives
/// the message of this thread's last failure.
/// \ingroup npyio_codes
pub type npyio_status = i32;

/// Success.
/// \ingroup npyio_codes
pub const NPYIO_OK: npyio_status = 0;
/// A required pointer argument was NULL.
/// \ingroup npyio_codes
pub const NPYIO_ERR_NULL_ARG: npyio_status = -1;
/// Internal error: a panic was caught at the boundary (please report it).
/// \ingroup npyio_codes
pub const NPYIO_ERR_PANIC: npyio_status = -2;
/// Operating-system I/O error (open, read, write, rename, mmap, ...).
/// \ingroup npyio_codes
pub const NPYIO_ERR_IO: npyio_status = -3;
/// Not a .npy file: the first bytes are not `\x93NUMPY`.
/// \ingroup npyio_codes
pub const NPYIO_ERR_BAD_MAGIC: npyio_status = -4;
/// The format version is not 1.0, 2.0 or 3.0.
/// \ingroup npyio_codes
pub const NPYIO_ERR_UNSUPPORTED_VERSION: npyio_status = -5;
/// The header is not a valid header dictionary (syntax, keys, value types).
/// \ingroup npyio_codes
pub const NPYIO_ERR_BAD_HEADER: npyio_status = -6;
/// The dtype descriptor is unknown or malformed.
/// \ingroup npyio_codes
pub const NPYIO_ERR_BAD_DTYPE: npyio_status = -7;
/// The dtype is or contains Python objects; such data is never read.
/// \ingroup npyio_codes
pub const NPYIO_ERR_OBJECT_DTYPE: npyio_status = -8;
/// A size derived from the header overflows 64 bits.
/// \ingroup npyio_codes
pub const NPYIO_ERR_OVERFLOW: npyio_status = -9;
/// The file or buffer ends before the header or the data.
/// \ingroup npyio_codes
pub const NPYIO_ERR_TRUNCATED: npyio_status = -10;
/// A limit set with `npyio_set_limit` was exceeded.
/// \ingroup npyio_codes
pub const NPYIO_ERR_LIMIT: npyio_status = -11;
/// The destination buffer is too small.
/// \ingroup npyio_codes
pub const NPYIO_ERR_BUFFER_TOO_SMALL: npyio_status = -12;
/// An argument is out of range (unknown flag or enum value, bad row range, ...).
/// \ingroup npyio_codes
pub const NPYIO_ERR_INVALID_ARG: npyio_status = -13;
/// The data supplied does not match the shape and dtype in size.
/// \ingroup npyio_codes
pub const NPYIO_ERR_SIZE_MISMATCH: npyio_status = -14;
/// Header text is not valid in its encoding (UTF-8 for format 3.0).
/// \ingroup npyio_codes
pub const NPYIO_ERR_ENCODING: npyio_status = -15;
/// Memory allocation failed.
/// \ingroup npyio_codes
pub const NPYIO_ERR_ALLOC: npyio_status = -16;
/// Malformed zip container (.npz).
/// \ingroup npyio_codes
pub const NPYIO_ERR_ZIP: npyio_status = -17;
/// CRC-32 mismatch (.npz member).
/// \ingroup npyio_codes
pub const NPYIO_ERR_CRC: npyio_status = -18;
/// Valid but unsupported feature (compression method, encryption, ...).
/// \ingroup npyio_codes
pub const NPYIO_ERR_UNSUPPORTED: npyio_status = -19;
/// A file to read (`ENOENT`, `ENOTDIR`: see `npyio_last_errno`), a named
/// member or an item does not exist.
/// \ingroup npyio_codes
pub const NPYIO_ERR_NOT_FOUND: npyio_status = -20;
/// The object cannot be memory-mapped.
/// \ingroup npyio_codes
pub const NPYIO_ERR_NOT_MAPPABLE: npyio_status = -21;
/// A text table could not be parsed.
/// \ingroup npyio_codes
pub const NPYIO_ERR_PARSE: npyio_status = -22;
/// The operation is not valid in the handle's current state.
/// \ingroup npyio_codes
pub const NPYIO_ERR_STATE: npyio_status = -23;
/// The array's dtype cannot be cast to the requested type under the
/// casting rule (NumPy's `np.can_cast` is false); the message names both.
pub const NPYIO_ERR_CAST: npyio_status = -24;

/// A numeric element type, passed as an integer: one of `NPYIO_BOOL` ...
/// `NPYIO_COMPLEX128`, in the host's byte order. Functions that take one
/// check it and answer any other value with `NPYIO_ERR_INVALID_ARG`, naming
/// the value. `npyio_type_dtype` gives the type's dtype.
pub type npyio_type = i32;
/// `bool` (`|b1`), one byte holding 0 or 1.
pub const NPYIO_BOOL: npyio_type = 1;
/// `int8` (`|i1`).
pub const NPYIO_INT8: npyio_type = 2;
/// `int16` (`<i2` on a little-endian host).
pub const NPYIO_INT16: npyio_type = 3;
/// `int32` (`<i4`).
pub const NPYIO_INT32: npyio_type = 4;
/// `int64` (`<i8`).
pub const NPYIO_INT64: npyio_type = 5;
/// `uint8` (`|u1`).
pub const NPYIO_UINT8: npyio_type = 6;
/// `uint16` (`<u2`).
pub const NPYIO_UINT16: npyio_type = 7;
/// `uint32` (`<u4`).
pub const NPYIO_UINT32: npyio_type = 8;
/// `uint64` (`<u8`).
pub const NPYIO_UINT64: npyio_type = 9;
/// `float16` (`<f2`, IEEE 754 half precision).
pub const NPYIO_FLOAT16: npyio_type = 10;
/// `float32` (`<f4`).
pub const NPYIO_FLOAT32: npyio_type = 11;
/// `float64` (`<f8`).
pub const NPYIO_FLOAT64: npyio_type = 12;
/// `complex64` (`<c8`: two float32, real then imaginary).
pub const NPYIO_COMPLEX64: npyio_type = 13;
/// `complex128` (`<c16`: two float64).
pub const NPYIO_COMPLEX128: npyio_type = 14;
/// For `npy_load` and `npz_load` only: keep the stored dtype (any dtype,
/// records included), converted only to the host byte order and C order.
pub const NPYIO_TYPE_STORED: npyio_type = -1;

/// NumPy's casting rule, passed as an integer (NumPy's own numbers): what
/// `npy_read_as_ex` may do to convert an array's values, as
/// `a.astype(type, casting=...)`.
pub type npyio_casting = i32;
/// `casting="no"`: the same type in the same byte order only.
pub const NPYIO_CASTING_NO: npyio_casting = 0;
/// `casting="equiv"`: the same type, in either byte order.
pub const NPYIO_CASTING_EQUIV: npyio_casting = 1;
/// `casting="safe"`: only casts that keep every value (int32 to float64,
/// not float64 to int32 nor int32 to int16). The default of `npy_read_as`.
pub const NPYIO_CASTING_SAFE: npyio_casting = 2;
/// `casting="same_kind"`: safe casts, or casts within a kind or to a
/// higher one (bool, unsigned, signed, float, complex): float64 to float32.
pub const NPYIO_CASTING_SAME_KIND: npyio_casting = 3;
/// `casting="unsafe"`: any cast, with C's conversions (see `npy_read_as_ex`).
pub const NPYIO_CASTING_UNSAFE: npyio_casting = 4;

/// Read flag for `npy_read_into` / `npy_read_rows`: convert every multi-byte
/// scalar (record fields, complex halves and `U` code units included) to the
/// host byte order.
/// \ingroup npyio_npy_read
pub const NPYIO_READ_NATIVE: u32 = 1;
/// Read flag: return C-order (row-major) data for a Fortran-order array.
/// \ingroup npyio_npy_read
pub const NPYIO_READ_C_ORDER: u32 = 2;
/// Read flag: do not advise transparent huge pages for `dst`. Without it,
/// `npy_read_into` and `npy_read_rows` call `madvise(MADV_HUGEPAGE)` on the
/// 2 MiB-aligned interior of a `dst` of 4 MiB or more before reading, so a
/// buffer fresh from `malloc` is faulted in 2 MiB pages (as NumPy's arrays
/// are) rather than 4 KiB ones; the advice stays on that memory. What it
/// does depends on `/sys/kernel/mm/transparent_hugepage/enabled` and
/// `defrag` (docs/BENCHMARKS.md): nothing under `never` or `always`.
/// \ingroup npyio_npy_read
pub const NPYIO_READ_NO_HUGEPAGE: u32 = 4;

/// Save flag for `npy_save_ex` / `npy_writer_create_ex`: fsync the file and
/// its directory before the save returns.
/// \ingroup npyio_npy_write
pub const NPYIO_SAVE_FSYNC: u32 = 1;
/// Flag for `npz_writer_open_ex`: pad local headers so every stored
/// member's data (and so its array data) starts at a multiple of 64 bytes in
/// the archive, ready for zero-copy maps. NumPy loads such archives as usual.
/// \ingroup npyio_npz_write
pub const NPYIO_NPZ_ALIGN: u32 = 2;
/// Flag for `npz_writer_open_ex`: members added with `npz_writer_add_typed`
/// are deflated, as `np.savez_compressed` writes them (without it they are
/// stored, as `np.savez` writes them).
pub const NPYIO_NPZ_COMPRESSED: u32 = 4;

/// Limit for `npyio_set_limit`: largest .npy header length accepted, in
/// bytes (default 16 MiB; NumPy itself refuses more than 10000 by default).
/// \ingroup npyio_codes
pub const NPYIO_LIMIT_HEADER_LEN: i32 = 0;
/// Limit: most members an .npz archive may have (default 1000000).
/// \ingroup npyio_codes
pub const NPYIO_LIMIT_NPZ_MEMBERS: i32 = 1;
/// Limit: largest uncompressed .npz member in bytes (default 2^62).
/// \ingroup npyio_codes
pub const NPYIO_LIMIT_NPZ_MEMBER_SIZE: i32 = 2;
/// Limit: most threads one read of a regular file uses (default: the cores
/// available to the process, at most 8). Reads of 16 MiB or more into a
/// caller's buffer are split into slices of at least 8 MiB read at once
/// with `pread`, a whole read of a deflate member of 16 MiB or more is
/// inflated in pieces of at least 1 MiB of compressed bytes at once, and
/// one of a zstd member of 16 MiB or more has a helper thread (its CRC and
/// read-ahead) when this is 2 or more; 1 keeps every read on the calling
/// thread. Read when each read starts.
/// \ingroup npyio_codes
pub const NPYIO_LIMIT_READ_THREADS: i32 = 3;

/// Map mode for `npy_mmap` and `npy_mmap_raw`, passed as an integer.
/// \ingroup npyio_maps
pub type npy_mmap_mode = i32;
/// `mmap_mode='r'`: read-only; `npy_data_mut` returns NULL.
/// \ingroup npyio_maps
pub const NPYIO_MMAP_READ: npy_mmap_mode = 0;
/// `mmap_mode='r+'`: writes through `npy_data_mut` reach the file.
/// \ingroup npyio_maps
pub const NPYIO_MMAP_READ_WRITE: npy_mmap_mode = 1;
/// `mmap_mode='c'`: copy-on-write; writes stay in memory, never reach the file.
/// \ingroup npyio_maps
pub const NPYIO_MMAP_COPY_ON_WRITE: npy_mmap_mode = 2;
/// Map mode for `npy_mmap_raw` only: create (or replace) the file, zeroed.
/// NumPy's `mode='w+'`; `npy_mmap` refuses it (`npy_mmap_create` makes a
/// new .npy file).
/// \ingroup npyio_maps
pub const NPYIO_MMAP_CREATE: npy_mmap_mode = 3;

/// Deprecated: use `NPYIO_MMAP_READ` (the `NPY_` prefix is NumPy's). Kept
/// for the rest of the 0.1 series (see the README, "Versioning").
/// \ingroup npyio_maps
#[deprecated(note = "use NPYIO_MMAP_READ")]
pub const NPY_MMAP_READ: npy_mmap_mode = NPYIO_MMAP_READ;
/// Deprecated: use `NPYIO_MMAP_READ_WRITE` (the `NPY_` prefix is NumPy's).
/// Kept for the rest of the 0.1 series (see the README, "Versioning").
/// \ingroup npyio_maps
#[deprecated(note = "use NPYIO_MMAP_READ_WRITE")]
pub const NPY_MMAP_READ_WRITE: npy_mmap_mode = NPYIO_MMAP_READ_WRITE;
/// Deprecated: use `NPYIO_MMAP_COPY_ON_WRITE` (the `NPY_` prefix is
/// NumPy's). Kept for the rest of the 0.1 series (see the README,
/// "Versioning").
/// \ingroup npyio_maps
#[deprecated(note = "use NPYIO_MMAP_COPY_ON_WRITE")]
pub const NPY_MMAP_COPY_ON_WRITE: npy_mmap_mode = NPYIO_MMAP_COPY_ON_WRITE;
/// Deprecated: use `NPYIO_MMAP_CREATE` (the `NPY_` prefix is NumPy's). Kept
/// for the rest of the 0.1 series (see the README, "Versioning").
/// \ingroup npyio_maps
#[deprecated(note = "use NPYIO_MMAP_CREATE")]
pub const NPY_MMAP_CREATE: npy_mmap_mode = NPYIO_MMAP_CREATE;

/// Compression of an .npz member being written, passed as an integer (the
/// zip method number): `NPYIO_STORED`, `NPYIO_DEFLATE` or `NPYIO_ZSTD`.
/// \ingroup npyio_npz_write
pub type npyio_compression = i32;
/// Stored, uncompressed (`np.savez`).
/// \ingroup npyio_npz_write
pub const NPYIO_STORED: npyio_compression = 0;
/// Deflate (`np.savez_compressed`).
/// \ingroup npyio_npz_write
pub const NPYIO_DEFLATE: npyio_compression = 8;
/// Zstandard (zip method 93): read by `np.load` where Python's zipfile
/// reads it (Python 3.14 and later, or older Pythons with the
/// `backports.zstd` package's zipfile).
pub const NPYIO_ZSTD: npyio_compression = 93;

/// `case_sensitive` for `npy_genfromtxt`: names as given (NumPy's `True`).
/// \ingroup npyio_text
pub const NPYIO_CASE_SENSITIVE: i32 = 0;
/// `case_sensitive`: names in upper case (NumPy's `False` or `'upper'`).
/// \ingroup npyio_text
pub const NPYIO_CASE_UPPER: i32 = 1;
/// `case_sensitive`: names in lower case (NumPy's `'lower'`).
/// \ingroup npyio_text
pub const NPYIO_CASE_LOWER: i32 = 2;

/// The element type with C code `code`.
pub(crate) fn elem_type(code: npyio_type) -> Result<Type> {
    Type::from_code(code).ok_or_else(|| {
        err!(
            InvalidArg,
            "unknown type code {code} (use NPYIO_BOOL ... NPYIO_COMPLEX128)"
        )
    })
}

/// The type of a load: `None` for `NPYIO_TYPE_STORED`, else as
/// [`elem_type`].
pub(crate) fn load_type(code: npyio_type) -> Result<Option<Type>> {
    if code == NPYIO_TYPE_STORED {
        return Ok(None);
    }
    elem_type(code).map(Some)
}

/// The casting rule with C code `code`.
pub(crate) fn casting(code: npyio_casting) -> Result<Casting> {
    Casting::from_code(code).ok_or_else(|| {
        err!(
            InvalidArg,
            "unknown casting rule {code} (use NPYIO_CASTING_NO ... NPYIO_CASTING_UNSAFE)"
        )
    })
}

/// The limit with C code `code`.
pub(crate) fn limit(code: i32) -> Result<Limit> {
    Limit::from_code(code).ok_or_else(|| err!(InvalidArg, "unknown limit {code}"))
}

/// The C name of a limit, `NPYIO_LIMIT_` and its Rust name in capitals.
pub(crate) fn limit_name(l: Limit) -> String {
    format!("NPYIO_LIMIT_{}", upper_snake(&format!("{l:?}")))
}

/// `npy_mmap`'s mode: an existing file's three modes. `NPYIO_MMAP_CREATE`
/// is refused with a message saying where it belongs.
pub(crate) fn map_mode(code: npy_mmap_mode) -> Result<MapMode> {
    match raw_mode(code)? {
        RawMode::Existing(m) => Ok(m),
        RawMode::Create => bail!(
            InvalidArg,
            "mode NPYIO_MMAP_CREATE is only for npy_mmap_raw; npy_mmap maps an existing .npy file \
             (npy_mmap_create creates one)"
        ),
    }
}

/// `npy_mmap_raw`'s mode: all four.
pub(crate) fn raw_mode(code: npy_mmap_mode) -> Result<RawMode> {
    Ok(match code {
        NPYIO_MMAP_READ => RawMode::Existing(MapMode::Read),
        NPYIO_MMAP_READ_WRITE => RawMode::Existing(MapMode::ReadWrite),
        NPYIO_MMAP_COPY_ON_WRITE => RawMode::Existing(MapMode::CopyOnWrite),
        NPYIO_MMAP_CREATE => RawMode::Create,
        m => bail!(InvalidArg, "unknown mmap mode {m}"),
    })
}

/// The compression of a member to be written.
pub(crate) fn compression(code: npyio_compression) -> Result<Compression> {
    u16::try_from(code)
        .ok()
        .and_then(Compression::from_method)
        .ok_or_else(|| {
            err!(
                InvalidArg,
                "unknown compression {code} (use NPYIO_STORED, NPYIO_DEFLATE or NPYIO_ZSTD)"
            )
        })
}

/// `flags` with every bit checked against `known`.
fn known_flags(flags: u32, known: u32, what: &str) -> Result<u32> {
    if flags & !known != 0 {
        bail!(InvalidArg, "unknown {what} flags 0x{:x}", flags & !known);
    }
    Ok(flags)
}

/// The options of a save from its flags (`NPYIO_SAVE_FSYNC`).
pub(crate) fn save_options(flags: u32) -> Result<SaveOptions> {
    let flags = known_flags(flags, NPYIO_SAVE_FSYNC, "save")?;
    Ok(SaveOptions {
        fsync: flags & NPYIO_SAVE_FSYNC != 0,
    })
}

/// The options of an .npz writer from `npz_writer_open_ex`'s flags and
/// level.
pub(crate) fn npz_writer_options(flags: u32, level: i32) -> Result<NpzWriterOptions> {
    let all = NPYIO_SAVE_FSYNC | NPYIO_NPZ_ALIGN | NPYIO_NPZ_COMPRESSED;
    let flags = known_flags(flags, all, "npz writer")?;
    Ok(NpzWriterOptions {
        fsync: flags & NPYIO_SAVE_FSYNC != 0,
        align: flags & NPYIO_NPZ_ALIGN != 0,
        level: NpzWriterOptions::zlib_level(level)?,
        compression: if flags & NPYIO_NPZ_COMPRESSED != 0 {
            Compression::Deflate
        } else {
            Compression::Stored
        },
        ..NpzWriterOptions::default()
    })
}

/// `case_sensitive` of `npy_genfromtxt`.
pub(crate) fn case(code: i32) -> Result<Case> {
    Ok(match code {
        NPYIO_CASE_SENSITIVE => Case::Sensitive,
        NPYIO_CASE_UPPER => Case::Upper,
        NPYIO_CASE_LOWER => Case::Lower,
        v => bail!(InvalidArg, "unknown case_sensitive value {v}"),
    })
}

/// `CamelCase` as `CAMEL_CASE`: a Rust variant's name as its C constant's.
fn upper_snake(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            s.push('_');
        }
        s.push(c.to_ascii_uppercase());
    }
    s
}

#[cfg(test)]
mod tests {
    //! Every integer `#define` of include/npyio.h in these sets equals the
    //! Rust value of the same name, and every Rust value has its `#define`.
    use super::*;
    use crate::Status;
    use std::collections::BTreeMap;

    /// The header's integer `#define`s whose names start with `prefix`.
    fn defines(prefix: &str) -> BTreeMap<String, i64> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/npyio.h");
        let h = std::fs::read_to_string(path).unwrap();
        h.lines()
            .filter_map(|l| l.strip_prefix("#define "))
            .filter_map(|l| {
                let (name, value) = l.split_once(' ')?;
                let v = value.trim().trim_matches(|c| c == '(' || c == ')');
                Some((name.to_string(), v.parse::<i64>().ok()?))
            })
            .filter(|(n, _)| n.starts_with(prefix))
            .collect()
    }

    fn named<T: std::fmt::Debug>(prefix: &str, items: &[(T, i64)]) -> BTreeMap<String, i64> {
        items
            .iter()
            .map(|(t, v)| (format!("{prefix}{}", upper_snake(&format!("{t:?}"))), *v))
            .collect()
    }

    #[test]
    fn status_codes() {
        let errors: Vec<_> = Status::ALL[1..].iter().map(|&s| (s, s as i64)).collect();
        assert_eq!(defines("NPYIO_ERR_"), named("NPYIO_ERR_", &errors));
        assert_eq!(defines("NPYIO_OK"), named("NPYIO_", &[(Status::Ok, 0)]));
        assert_eq!(Status::ALL[0], Status::Ok);
        // Numbered 0, -1, -2, ... without gaps, each with its description.
        for (i, s) in Status::ALL.iter().enumerate() {
            assert_eq!(*s as i64, -(i as i64));
            assert_eq!(Status::from_code(*s as i32), Some(*s));
            assert!(!s.as_str().is_empty());
        }
    }

    #[test]
    fn types() {
        let rust: BTreeMap<String, i64> = Type::ALL
            .iter()
            .map(|t| {
                (
                    format!("NPYIO_{}", t.name().to_uppercase()),
                    t.code() as i64,
                )
            })
            .collect();
        let mut header = BTreeMap::new();
        for t in Type::ALL {
            let name = format!("NPYIO_{}", t.name().to_uppercase());
            header.extend(defines(&name).into_iter().filter(|(n, _)| *n == name));
        }
        assert_eq!(header, rust);
        for t in Type::ALL {
            assert_eq!(elem_type(t.code()).unwrap(), t);
        }
        assert_eq!(defines("NPYIO_TYPE_STORED")["NPYIO_TYPE_STORED"], -1);
        assert_eq!(load_type(NPYIO_TYPE_STORED).unwrap(), None);
        assert_eq!(load_type(NPYIO_INT8).unwrap(), Some(Type::Int8));
        assert!(elem_type(NPYIO_TYPE_STORED).is_err() && load_type(0).is_err());
        for bad in [0, 15, -7] {
            let e = elem_type(bad).unwrap_err();
            assert_eq!(e.status(), Status::InvalidArg);
            assert!(e.message().contains(&format!("type code {bad}")), "{e}");
        }
    }

    #[test]
    fn castings() {
        let header = defines("NPYIO_CASTING_");
        assert_eq!(header.len(), Casting::ALL.len());
        for c in Casting::ALL {
            let code = header[&format!("NPYIO_CASTING_{}", c.name().to_uppercase())];
            assert_eq!(code, c as i64);
            assert_eq!(casting(code as i32).unwrap(), c);
        }
        let e = casting(5).unwrap_err();
        assert!(e.message().contains("casting rule 5"), "{e}");
        assert!(casting(-1).is_err());
    }

    #[test]
    fn limits() {
        let all: Vec<_> = Limit::ALL.iter().map(|&l| (l, l as i64)).collect();
        assert_eq!(defines("NPYIO_LIMIT_"), named("NPYIO_LIMIT_", &all));
        for l in Limit::ALL {
            assert_eq!(defines(&limit_name(l)).len(), 1, "{l:?}");
            assert_eq!(limit(l as i32).unwrap(), l);
        }
        assert!(limit(Limit::ALL.len() as i32).is_err());
        assert!(limit(-1).is_err());
    }

    #[test]
    fn read_flags() {
        let rust = BTreeMap::from([
            ("NPYIO_READ_NATIVE".to_string(), crate::READ_NATIVE as i64),
            ("NPYIO_READ_C_ORDER".to_string(), crate::READ_C_ORDER as i64),
            (
                "NPYIO_READ_NO_HUGEPAGE".to_string(),
                crate::READ_NO_HUGEPAGE as i64,
            ),
        ]);
        assert_eq!(defines("NPYIO_READ_"), rust);
    }

    #[test]
    fn save_and_npz_flags() {
        let rust = BTreeMap::from([("NPYIO_SAVE_FSYNC".to_string(), 1)]);
        assert_eq!(defines("NPYIO_SAVE_"), rust);
        assert!(save_options(NPYIO_SAVE_FSYNC).unwrap().fsync);
        assert!(!save_options(0).unwrap().fsync);
        assert!(save_options(NPYIO_NPZ_ALIGN).is_err());
        // The npz writer's flags share one word: distinct bits.
        assert_eq!(NPYIO_SAVE_FSYNC & NPYIO_NPZ_ALIGN, 0);
        assert_eq!(
            (NPYIO_SAVE_FSYNC | NPYIO_NPZ_ALIGN) & NPYIO_NPZ_COMPRESSED,
            0
        );
        let npz = BTreeMap::from([
            ("NPYIO_NPZ_ALIGN".to_string(), NPYIO_NPZ_ALIGN as i64),
            (
                "NPYIO_NPZ_COMPRESSED".to_string(),
                NPYIO_NPZ_COMPRESSED as i64,
            ),
        ]);
        assert_eq!(defines("NPYIO_NPZ_"), npz);
        let o = npz_writer_options(NPYIO_SAVE_FSYNC | NPYIO_NPZ_ALIGN, -1).unwrap();
        assert!(o.fsync && o.align);
        assert_eq!(o.level, NpzWriterOptions::default().level);
        assert_eq!(o.compression, Compression::Stored);
        let o = npz_writer_options(NPYIO_NPZ_COMPRESSED, -1).unwrap();
        assert_eq!(o.compression, Compression::Deflate);
        assert!(npz_writer_options(8, -1).is_err());
        assert!(npz_writer_options(0, 10).is_err());
    }

    #[test]
    fn map_modes() {
        let modes = [
            (RawMode::Existing(MapMode::Read), "READ"),
            (RawMode::Existing(MapMode::ReadWrite), "READ_WRITE"),
            (RawMode::Existing(MapMode::CopyOnWrite), "COPY_ON_WRITE"),
            (RawMode::Create, "CREATE"),
        ];
        let header = defines("NPYIO_MMAP_");
        assert_eq!(header.len(), modes.len());
        for (mode, name) in modes {
            let code = header[&format!("NPYIO_MMAP_{name}")] as i32;
            assert_eq!(raw_mode(code).unwrap(), mode);
            match mode {
                RawMode::Existing(m) => assert_eq!(map_mode(code).unwrap(), m),
                RawMode::Create => assert!(map_mode(code).is_err()),
            }
        }
        assert!(raw_mode(4).is_err() && raw_mode(-1).is_err());
    }

    #[test]
    #[allow(deprecated)]
    fn deprecated_map_mode_names() {
        assert_eq!(NPY_MMAP_READ, NPYIO_MMAP_READ);
        assert_eq!(NPY_MMAP_READ_WRITE, NPYIO_MMAP_READ_WRITE);
        assert_eq!(NPY_MMAP_COPY_ON_WRITE, NPYIO_MMAP_COPY_ON_WRITE);
        assert_eq!(NPY_MMAP_CREATE, NPYIO_MMAP_CREATE);
    }

    #[test]
    fn compressions() {
        let all = [Compression::Stored, Compression::Deflate, Compression::Zstd];
        let rust: Vec<_> = all.iter().map(|&c| (c, c.method() as i64)).collect();
        let mut header = defines("NPYIO_STORED");
        header.extend(defines("NPYIO_DEFLATE"));
        header.extend(defines("NPYIO_ZSTD"));
        assert_eq!(header, named("NPYIO_", &rust));
        for c in all {
            assert_eq!(compression(c.method() as i32).unwrap(), c);
        }
        assert!(compression(12).is_err() && compression(-1).is_err());
    }

    #[test]
    fn cases() {
        let header = defines("NPYIO_CASE_");
        let all = [Case::Sensitive, Case::Upper, Case::Lower];
        assert_eq!(header.len(), all.len());
        for c in all {
            let code = header[&format!("NPYIO_CASE_{}", upper_snake(&format!("{c:?}")))];
            assert_eq!(case(code as i32).unwrap(), c);
        }
        assert!(case(3).is_err() && case(-1).is_err());
    }
}
