//! Invariant checks shared by the fuzz targets (fuzz/fuzz_targets/*.rs) and
//! the regression test (tests/fuzz_regressions.rs, which includes this file
//! with `#[path]`). Each `check_*` function takes one raw input, runs it
//! through a parser or reader, and panics if an invariant does not hold:
//!
//! - no panic, no abort, no unbounded allocation (the fuzzer's RSS limit);
//! - errors carry a status a caller can act on (never `Panic`, and only the
//!   statuses documented for that entry point);
//! - a header that parses re-serialises (`header_bytes`) and re-parses to
//!   the same value, and re-serialising again gives the same bytes;
//! - what a reader accepts it can write back (`header_bytes` + data,
//!   `npyio::save`, `NpzWriter`) and read again identically, through every
//!   entry point (memory, path, map, npz member, npz map);
//! - flags and row reads agree with a naive reference implementation.
//!
//! Only the public Rust API of `npyio` is used.

#![allow(dead_code)]

use npyio::dtype::{swap_in_place, Layout};
use npyio::header::{self, effective_fortran, header_bytes, parse_header_text, Header};
use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{DType, MapMode, NpyFile, SaveOptions, Status, READ_C_ORDER, READ_NATIVE};
use std::path::PathBuf;

/// Inputs larger than this are cut (libFuzzer's -max_len is lower anyway).
pub const MAX_INPUT: usize = 1 << 20;
/// Arrays larger than this are read but not copied around for reference
/// checks (the reference transposes are slow).
const MAX_REFERENCE_BYTES: u64 = 1 << 22;

fn status_in(what: &str, e: &npyio::Error, allowed: &[Status]) {
    assert!(
        allowed.contains(&e.status()),
        "{what}: unexpected status {:?}: {}",
        e.status(),
        e.message()
    );
    assert!(!e.message().is_empty(), "{what}: empty error message");
}

/// Statuses a header or dtype parser may return.
const PARSE_ERRORS: &[Status] = &[
    Status::BadHeader,
    Status::BadDtype,
    Status::ObjectDtype,
    Status::Overflow,
    Status::Encoding,
];

/// Statuses opening a .npy from memory may return.
const OPEN_ERRORS: &[Status] = &[
    Status::BadMagic,
    Status::UnsupportedVersion,
    Status::BadHeader,
    Status::BadDtype,
    Status::ObjectDtype,
    Status::Overflow,
    Status::Truncated,
    Status::Limit,
    Status::Encoding,
];

/// A per-process scratch directory for write-back checks: $NPYIO_FUZZ_SCRATCH,
/// else /dev/shm (tmpfs) or the temp dir.
pub fn scratch_dir() -> PathBuf {
    use std::sync::OnceLock;
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(d) = std::env::var_os("NPYIO_FUZZ_SCRATCH") {
            let d = PathBuf::from(d);
            std::fs::create_dir_all(&d).expect("scratch dir");
            return d;
        }
        let base = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        let d = base.join(format!("npyio-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("scratch dir");
        d
    })
    .clone()
}

fn scratch_path(name: &str) -> PathBuf {
    // One file per thread, so the regression test may run cases in parallel.
    let t = format!("{:?}", std::thread::current().id());
    let t: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    scratch_dir().join(format!("{name}-{t}"))
}

// ---------------------------------------------------------------- headers

/// Check that a parsed header survives re-serialisation; returns the bytes
/// `np.save` would write for it.
pub fn check_header_roundtrip(h: &Header) -> Vec<u8> {
    let nbytes = header::checked_nbytes(&h.shape, h.dtype.itemsize())
        .expect("an accepted header has a checked size");
    assert_eq!(nbytes, h.nbytes());
    assert!(h.shape.len() <= header::MAX_NDIM);
    assert!(
        !matches!(h.dtype.layout(), Layout::SubArray(..)),
        "top-level subarray dtype not flattened"
    );
    let bytes = header_bytes(&h.dtype, &h.shape, h.fortran_order)
        .expect("an accepted header must re-serialise");
    assert_eq!(bytes.len() % header::ARRAY_ALIGN, 0, "data not 64-aligned");
    let version = header::parse_magic(&bytes[..8]).expect("own magic");
    let prefix = Header::prefix_len(version);
    let hl = header::parse_header_len(version, &bytes[8..prefix]);
    assert_eq!(prefix as u64 + hl, bytes.len() as u64, "HEADER_LEN wrong");
    assert_eq!(*bytes.last().unwrap(), b'\n');
    if h.dtype.needs_utf8() {
        assert_eq!(version, (3, 0));
    }
    let h2 = parse_header_text(version, &bytes[prefix..]).unwrap_or_else(|e| {
        panic!(
            "re-serialised header does not parse: {e}\n{}",
            String::from_utf8_lossy(&bytes)
        )
    });
    assert_eq!(h2.dtype, h.dtype, "dtype changed in round trip");
    assert_eq!(h2.shape, h.shape, "shape changed in round trip");
    assert_eq!(
        h2.fortran_order,
        effective_fortran(&h.shape, h.fortran_order),
        "fortran_order not normalised as NumPy does"
    );
    assert_eq!(h2.data_offset, bytes.len() as u64);
    let again = header_bytes(&h2.dtype, &h2.shape, h2.fortran_order).unwrap();
    assert_eq!(again, bytes, "header_bytes is not idempotent");
    bytes
}

/// Header target: byte 0 picks the version (1, 2 or 3), the rest is the
/// header text.
pub fn check_header(data: &[u8]) {
    let Some((&v, text)) = data.split_first() else {
        return;
    };
    let version = (v % 3 + 1, 0);
    match parse_header_text(version, text) {
        Ok(h) => {
            assert_eq!(h.version, version);
            assert_eq!(
                h.data_offset,
                (Header::prefix_len(version) + text.len()) as u64
            );
            check_header_roundtrip(&h);
            check_dtype_value(&h.dtype);
        }
        Err(e) => status_in("parse_header_text", &e, PARSE_ERRORS),
    }
}

// ----------------------------------------------------------------- dtypes

/// Invariants of one parsed dtype.
pub fn check_dtype_value(d: &DType) {
    let descr = d.descr();
    let d2 = DType::parse(&descr)
        .unwrap_or_else(|e| panic!("descr {descr} of a parsed dtype does not parse: {e}"));
    assert_eq!(&d2, d, "dtype changed through descr {descr}");
    assert_eq!(d2.descr(), descr, "descr not idempotent");
    if let Layout::Scalar { .. } = d.layout() {
        let ts = d.typestr();
        let d3 = DType::from_typestr(&ts).unwrap_or_else(|e| panic!("typestr {ts}: {e}"));
        assert_eq!(&d3, d, "dtype changed through typestr {ts}");
    }
    // The swap plan stays inside one item, sorted, non-overlapping.
    // Its description stays small whatever the item size (no allocation
    // proportional to a hostile itemsize); walk at most 4096 units of it.
    let plan = d.swap_units();
    assert!(
        format!("{plan:?}").len() <= 64 * d.descr().len() + 64,
        "plan larger than the descr"
    );
    let units = plan.units(4096);
    assert_eq!(plan.is_empty(), units.is_empty());
    let mut end = 0usize;
    for &(o, w) in &units {
        assert!(o >= end, "swap plan overlaps or is unsorted: {units:?}");
        assert!(w >= 2, "swap unit narrower than 2 bytes: {units:?}");
        end = o + w;
    }
    assert!(end <= d.itemsize(), "swap plan outside the item");
    // Swapping one item with the plan reverses exactly those units.
    if d.itemsize() <= 4096 && units.len() < 4096 {
        let item: Vec<u8> = (0..d.itemsize()).map(|i| i as u8).collect();
        let mut got = item.clone();
        swap_in_place(&mut got, d.itemsize(), &plan);
        let mut want = item;
        for &(o, w) in &units {
            want[o..o + w].reverse();
        }
        assert_eq!(got, want, "swap_in_place disagrees with the plan's units");
    }
    let n = d.to_native();
    assert!(n.is_native());
    assert_eq!(n.itemsize(), d.itemsize());
    // A header for an empty array of this dtype round-trips.
    if !matches!(d.layout(), Layout::SubArray(..)) {
        let bytes = header_bytes(d, &[0], false).expect("header for a parsed dtype");
        let version = header::parse_magic(&bytes[..8]).unwrap();
        let h = parse_header_text(version, &bytes[Header::prefix_len(version)..]).unwrap();
        assert_eq!(&h.dtype, d);
    }
}

/// Dtype target: the input as text (lossy UTF-8) given to `DType::parse`.
pub fn check_dtype(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    match DType::parse(&s) {
        Ok(d) => check_dtype_value(&d),
        Err(e) => status_in("DType::parse", &e, PARSE_ERRORS),
    }
}

// ------------------------------------------------------- reference copies

fn row_major_index(idx: &[usize], shape: &[usize]) -> usize {
    idx.iter().zip(shape).fold(0, |acc, (&i, &n)| acc * n + i)
}

fn col_major_index(idx: &[usize], shape: &[usize]) -> usize {
    idx.iter()
        .zip(shape)
        .rev()
        .fold(0, |acc, (&i, &n)| acc * n + i)
}

/// Visit every multi-index of `shape` in row-major order.
fn for_each_index(shape: &[usize], mut f: impl FnMut(&[usize])) {
    if shape.contains(&0) {
        return;
    }
    let mut idx = vec![0usize; shape.len()];
    loop {
        f(&idx);
        let mut k = shape.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            idx[k] += 1;
            if idx[k] < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
}

/// Fortran-order bytes → C-order bytes (`to_c`) or the reverse, one element at a time.
fn reorder(src: &[u8], shape: &[usize], isz: usize, to_c: bool) -> Vec<u8> {
    let mut out = vec![0u8; src.len()];
    for_each_index(shape, |idx| {
        let c = row_major_index(idx, shape) * isz;
        let f = col_major_index(idx, shape) * isz;
        let (from, to) = if to_c { (f, c) } else { (c, f) };
        out[to..to + isz].copy_from_slice(&src[from..from + isz]);
    });
    out
}

/// Fortran-order bytes → C-order bytes.
fn f_to_c(src: &[u8], shape: &[usize], isz: usize) -> Vec<u8> {
    reorder(src, shape, isz, true)
}

/// C-order bytes → Fortran-order bytes.
fn c_to_f(src: &[u8], shape: &[usize], isz: usize) -> Vec<u8> {
    reorder(src, shape, isz, false)
}

// -------------------------------------------------------------- .npy reads

/// Everything an accepted array must satisfy; returns its raw bytes.
/// `whole` is the complete .npy file when the array came from one.
pub fn check_array(f: &NpyFile, whole: Option<&[u8]>) -> Vec<u8> {
    let h = f.header().clone();
    let n = f.nbytes();
    assert_eq!(n, h.nbytes());
    let isz = h.dtype.itemsize();
    check_header_roundtrip(&h);

    let mut raw = vec![0u8; n as usize];
    f.read_into(&mut raw, 0)
        .unwrap_or_else(|e| panic!("accepted array does not read: {e}"));
    if let Some(whole) = whole {
        let o = h.data_offset as usize;
        assert_eq!(
            &raw[..],
            &whole[o..o + n as usize],
            "read_into(0) != stored bytes"
        );
    }
    if let Some(d) = f.data() {
        assert_eq!(d, &raw[..], "data() != read_into(0)");
    }
    // Too-small buffers and unknown flags are refused, nothing else happens.
    if n > 0 {
        let mut short = vec![0u8; n as usize - 1];
        let e = f.read_into(&mut short, 0).unwrap_err();
        assert_eq!(e.status(), Status::BufferTooSmall, "{e}");
    }
    let mut big = vec![0xA5u8; n as usize + 3];
    let e = f.read_into(&mut big, 1 << 20).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    f.read_into(&mut big, 0).unwrap();
    assert_eq!(&big[..n as usize], &raw[..]);
    assert_eq!(
        &big[n as usize..],
        &[0xA5; 3],
        "read_into wrote past nbytes"
    );

    let mut native = raw.clone();
    swap_in_place(&mut native, isz, &h.dtype.swap_units());
    let mut got = vec![0u8; n as usize];
    f.read_into(&mut got, READ_NATIVE).unwrap();
    assert_eq!(got, native, "READ_NATIVE");

    let dims: Vec<usize> = h.shape.iter().map(|&d| d as usize).collect();
    let fortran = effective_fortran(&h.shape, h.fortran_order);
    let small = n <= MAX_REFERENCE_BYTES && isz > 0;
    let c_raw = if fortran && small {
        Some(f_to_c(&raw, &dims, isz))
    } else if !fortran {
        Some(raw.clone())
    } else {
        None
    };
    f.read_into(&mut got, READ_C_ORDER).unwrap();
    if let Some(c) = &c_raw {
        assert_eq!(&got, c, "READ_C_ORDER");
    }
    let c_native = {
        let mut v = vec![0u8; n as usize];
        f.read_into(&mut v, READ_C_ORDER | READ_NATIVE).unwrap();
        let mut expect = got.clone();
        swap_in_place(&mut expect, isz, &h.dtype.swap_units());
        assert_eq!(v, expect, "READ_C_ORDER | READ_NATIVE");
        v
    };
    check_rows(f, &h, &dims, fortran, small, &c_native);
    raw
}

fn check_rows(
    f: &NpyFile,
    h: &Header,
    dims: &[usize],
    fortran: bool,
    small: bool,
    c_native: &[u8],
) {
    let mut buf = vec![0u8; 8];
    if dims.is_empty() {
        let e = f.read_rows(0, 1, &mut buf, 0).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArg, "{e}");
        return;
    }
    let d0 = h.shape[0];
    let e = f
        .read_rows(d0, 1, &mut buf, 0)
        .expect_err("rows past the end must fail");
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    let e = f.read_rows(1, u64::MAX, &mut buf, 0).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    // One row of an empty array may not fit 64 bits (shape (0, 2**64-1)):
    // then only zero rows can be read.
    let row = match f.rows_nbytes(1) {
        Ok(r) => r as usize,
        Err(e) => {
            assert_eq!(e.status(), Status::Overflow, "{e}");
            assert_eq!(d0, 0, "a row overflows but the array does not");
            f.read_rows(0, 0, &mut buf, 0).unwrap();
            return;
        }
    };
    let isz = h.dtype.itemsize();
    let ranges = [
        (0, d0),
        (0, d0.min(1)),
        (d0 / 2, d0 - d0 / 2),
        (d0 / 3, (d0 - d0 / 3).min(2)),
    ];
    for (first, count) in ranges {
        if first + count > d0 {
            continue;
        }
        let nb = f.rows_nbytes(count).unwrap() as usize;
        assert_eq!(nb, row * count as usize);
        let mut out = vec![0u8; nb];
        if nb > 0 {
            let mut short = vec![0u8; nb - 1];
            let e = f.read_rows(first, count, &mut short, 0).unwrap_err();
            assert_eq!(e.status(), Status::BufferTooSmall, "{e}");
        }
        let lo = first as usize * row;
        let c_slab = &c_native[lo..lo + nb];
        f.read_rows(first, count, &mut out, READ_C_ORDER | READ_NATIVE)
            .unwrap_or_else(|e| panic!("read_rows({first}, {count}): {e}"));
        if !fortran || small {
            assert_eq!(&out[..], c_slab, "read_rows C order, rows {first}+{count}");
        }
        f.read_rows(first, count, &mut out, READ_NATIVE).unwrap();
        if !fortran {
            assert_eq!(&out[..], c_slab, "read_rows rows {first}+{count}");
        } else if small {
            let mut sub = dims.to_vec();
            sub[0] = count as usize;
            assert_eq!(out, c_to_f(c_slab, &sub, isz), "read_rows Fortran slab");
        }
    }
}

/// Write an accepted array back (header_bytes + data, and `npyio::save` to
/// a file) and read it again through memory, path and map.
fn check_write_back(h: &Header, raw: &[u8], via_file: bool) {
    let mut bytes = header_bytes(&h.dtype, &h.shape, h.fortran_order).unwrap();
    let hlen = bytes.len();
    bytes.extend_from_slice(raw);
    let f2 = NpyFile::from_bytes(bytes.clone())
        .unwrap_or_else(|e| panic!("written-back array does not open: {e}"));
    let h2 = f2.header();
    assert_eq!(h2.dtype, h.dtype);
    assert_eq!(h2.shape, h.shape);
    assert_eq!(h2.data_offset, hlen as u64);
    assert_eq!(f2.data().unwrap(), raw, "written-back data differs");
    if !via_file {
        return;
    }
    let path = scratch_path("a.npy");
    npyio::save(
        &path,
        &h.dtype,
        &h.shape,
        h.fortran_order,
        raw,
        SaveOptions::default(),
    )
    .unwrap_or_else(|e| panic!("npyio::save of an accepted array: {e}"));
    let on_disk = std::fs::read(&path).unwrap();
    assert_eq!(on_disk, bytes, "npyio::save != header_bytes + data");
    let f3 = NpyFile::open(&path).unwrap();
    let mut got = vec![0u8; raw.len()];
    f3.read_into(&mut got, 0).unwrap();
    assert_eq!(got, raw, "read back from file differs");
    let m = NpyFile::mmap(&path, MapMode::Read).unwrap();
    assert_eq!(m.data().unwrap(), raw, "map of the written file differs");
    drop((f3, m));
    let _ = std::fs::remove_file(&path);
}

/// .npy target: the input is a whole .npy file in memory.
pub fn check_npy(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    match NpyFile::from_bytes(data.to_vec()) {
        Ok(f) => {
            let raw = check_array(&f, Some(data));
            let h = f.header().clone();
            // Every 8th accepted input also goes through a real file and map.
            let via_file = data.len() % 8 == 0;
            check_write_back(&h, &raw, via_file);
        }
        Err(e) => status_in("NpyFile::from_bytes", &e, OPEN_ERRORS),
    }
}

// ------------------------------------------------------------------ .npz

/// Statuses opening an archive or a member may return.
const NPZ_ERRORS: &[Status] = &[
    Status::Zip,
    Status::Crc,
    Status::Unsupported,
    Status::Limit,
    Status::Truncated,
    Status::Encoding,
    Status::BadMagic,
    Status::UnsupportedVersion,
    Status::BadHeader,
    Status::BadDtype,
    Status::ObjectDtype,
    Status::Overflow,
    Status::NotMappable,
];

/// .npz target: the input is a whole archive in memory.
pub fn check_npz(data: &[u8]) {
    let data = &data[..data.len().min(MAX_INPUT)];
    let z = match NpzFile::from_bytes(data.to_vec()) {
        Ok(z) => z,
        Err(e) => return status_in("NpzFile::from_bytes", &e, NPZ_ERRORS),
    };
    assert_eq!(z.len(), z.entries().len());
    let mut arrays: Vec<(String, Header, Vec<u8>)> = Vec::new();
    for (i, e) in z.entries().iter().enumerate() {
        assert_eq!(z.index_of(&e.name), Some(i), "member names must be unique");
        assert!(z.index_of(&e.key).is_some());
        // Raw bytes (CRC-checked), when the member is readable at all. Only
        // members up to MAX_REFERENCE_BYTES are read whole: `None` for a
        // larger one, `Some(None)` when the read failed.
        let raw = if e.size <= MAX_REFERENCE_BYTES {
            let mut buf = vec![0u8; e.size as usize];
            match z.read_raw(i, &mut buf) {
                Ok(()) => Some(Some(buf)),
                Err(err) => {
                    status_in("read_raw", &err, NPZ_ERRORS);
                    Some(None)
                }
            }
        } else {
            None
        };
        let f = match z.open_member_at(i) {
            Ok(f) => f,
            Err(err) => {
                status_in("open_member_at", &err, NPZ_ERRORS);
                continue;
            }
        };
        let h = f.header().clone();
        assert!(
            h.data_offset + h.nbytes() <= e.size,
            "array outside its member"
        );
        if h.nbytes() > MAX_REFERENCE_BYTES {
            continue;
        }
        let mut got = vec![0u8; h.nbytes() as usize];
        match f.read_into(&mut got, 0) {
            Ok(()) => {
                // A member too large to read whole (say an empty array with
                // megabytes after it) is checked without its raw bytes.
                let raw = match raw {
                    Some(Some(raw)) => Some(raw),
                    Some(None) => panic!("member {i} reads as an array but read_raw failed"),
                    None => None,
                };
                if let Some(raw) = &raw {
                    let o = h.data_offset as usize;
                    assert_eq!(&got[..], &raw[o..o + got.len()], "member data != raw bytes");
                }
                // Map (memory archives hand out the buffer itself).
                if let Ok(m) = z.mmap_member(&e.name) {
                    assert_eq!(m.data().unwrap(), &got[..], "mmap_member data");
                }
                // A full-array check on the member (flags, rows, write-back).
                let from_member = check_array(&f, None);
                assert_eq!(from_member, got);
                // The member is a complete .npy file on its own.
                if let Some(raw_whole) = raw {
                    if raw_whole.len() as u64 == h.data_offset + h.nbytes() {
                        let f2 = NpyFile::from_bytes(raw_whole).expect("member as .npy");
                        assert_eq!(f2.header(), &h);
                    }
                }
                arrays.push((e.key.clone(), h, got));
            }
            Err(err) => {
                status_in("member read_into", &err, NPZ_ERRORS);
                if let Some(Some(raw)) = &raw {
                    // read_raw passed the CRC: only an inconsistent stream
                    // (a compressed member's) can still fail the array read.
                    assert_ne!(
                        err.status(),
                        Status::Crc,
                        "CRC fails for the array but not raw: {}",
                        raw.len()
                    );
                }
            }
        }
    }
    if !arrays.is_empty() {
        check_npz_write_back(&arrays);
    }
}

/// Write the readable members into a new archive (stored, deflate and
/// zstd in turn) and read them back.
fn check_npz_write_back(arrays: &[(String, Header, Vec<u8>)]) {
    let path = scratch_path("a.npz");
    let opts = NpzWriterOptions {
        threads: 1,
        ..NpzWriterOptions::default()
    };
    let mut w = NpzWriter::create(&path, opts).unwrap();
    let mut written = Vec::new();
    for (i, (key, h, data)) in arrays.iter().enumerate() {
        let c = [Compression::Stored, Compression::Deflate, Compression::Zstd][i % 3];
        match w.add(key, &h.dtype, &h.shape, h.fortran_order, data, c) {
            Ok(()) => written.push((key, h, data)),
            // Names the writer refuses (empty, NUL, duplicates after adding .npy).
            Err(e) => assert_eq!(e.status(), Status::InvalidArg, "{e}"),
        }
    }
    w.finish().unwrap();
    let z = NpzFile::open(&path).unwrap();
    assert_eq!(z.len(), written.len());
    for (key, h, data) in written {
        let name = format!("{key}.npy");
        let f = z
            .open_member(&name)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(f.header().dtype, h.dtype);
        assert_eq!(f.header().shape, h.shape);
        let mut got = vec![0u8; data.len()];
        f.read_into(&mut got, 0).unwrap();
        assert_eq!(&got, data, "npz write-back of {name}");
        if let Ok(m) = z.mmap_member(&name) {
            assert_eq!(m.data().unwrap(), &data[..]);
        }
    }
    drop(z);
    let _ = std::fs::remove_file(&path);
}

// ------------------------------------------------------------------- text

/// Statuses `loadtxt` may return for bad text.
const TEXT_ERRORS: &[Status] = &[
    Status::Parse,
    Status::Encoding,
    Status::InvalidArg,
    Status::Overflow,
    Status::Unsupported,
];

/// The encodings the selector's high part picks (selectors below 54: UTF-8).
const TEXT_ENCODINGS: [npyio::text::Encoding; 5] = [
    npyio::text::Encoding::Utf8,
    npyio::text::Encoding::Latin1,
    npyio::text::Encoding::Utf16,
    npyio::text::Encoding::Utf32Be,
    npyio::text::Encoding::Ascii,
];

const TEXT_DTYPES: [&str; 6] = [
    "<f8",
    "<i8",
    "|u1",
    "<c16",
    "|S4",
    "[('a', '<i4'), ('b', '>f8')]",
];

/// Text target: byte 0 picks the options (dtype, delimiter, ndmin and, from
/// 54 up, the encoding), the rest is the table given to
/// `loadtxt_from_bytes`. An accepted table is a
/// well-formed array (every read check of `check_array`); a float64 table
/// written back by `savetxt` (`%.18e`, which round-trips float64) loads to
/// the same values.
pub fn check_text(data: &[u8]) {
    use npyio::text::loadtxt::{loadtxt_from_bytes, LoadtxtOptions};
    use npyio::text::savetxt::{savetxt_to_vec, SavetxtOptions};
    let Some((&sel, text)) = data.split_first() else {
        return;
    };
    let text = &text[..text.len().min(MAX_INPUT)];
    let sel = sel as usize;
    let opts = LoadtxtOptions {
        dtype: DType::parse(TEXT_DTYPES[sel % TEXT_DTYPES.len()]).unwrap(),
        delimiter: [None, Some(","), Some(";")][(sel / 6) % 3].map(String::from),
        ndmin: ((sel / 18) % 3) as u8,
        threads: 1,
        encoding: TEXT_ENCODINGS[(sel / 54) % TEXT_ENCODINGS.len()],
        ..LoadtxtOptions::default()
    };
    let f = match loadtxt_from_bytes(text, "<fuzz>", &opts) {
        Ok(f) => f,
        Err(e) => return status_in("loadtxt_from_bytes", &e, TEXT_ERRORS),
    };
    let raw = check_array(&f, None);
    let h = f.header().clone();
    assert_eq!(h.dtype, opts.dtype, "loadtxt changed the dtype");
    assert!(h.shape.len() <= 2 && h.shape.len() >= opts.ndmin as usize);
    if sel % TEXT_DTYPES.len() != 0 || h.shape.is_empty() || raw.is_empty() {
        return;
    }
    let saved = savetxt_to_vec(&h.dtype, &h.shape, &raw, &SavetxtOptions::default())
        .unwrap_or_else(|e| panic!("savetxt of a loaded float64 table: {e}"));
    let back_opts = LoadtxtOptions {
        threads: 1,
        ..LoadtxtOptions::default()
    };
    let g = loadtxt_from_bytes(&saved, "<saved>", &back_opts).unwrap_or_else(|e| {
        panic!(
            "savetxt output does not load: {e}\n{}",
            String::from_utf8_lossy(&saved)
        )
    });
    assert_same_f64s(&raw, g.data().unwrap(), &"savetxt round trip");
}

/// `got` holds the same little-endian float64 values as `want`, bit for bit (a NaN matches any
/// NaN); `what` names the round trip in the message.
fn assert_same_f64s(want: &[u8], got: &[u8], what: &dyn std::fmt::Display) {
    assert_eq!(got.len(), want.len(), "{what} changed the size");
    for (a, b) in want.chunks_exact(8).zip(got.chunks_exact(8)) {
        let x = f64::from_le_bytes(a.try_into().unwrap());
        let y = f64::from_le_bytes(b.try_into().unwrap());
        assert!(
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits(),
            "{what}: {x:e} came back as {y:e}"
        );
    }
}

// ---------------------------------------------------------------- savetxt

/// Dtypes the savetxt target formats (every scalar family savetxt takes,
/// both byte orders, and a record).
const SAVETXT_DTYPES: [&str; 12] = [
    "<f8", ">f4", "<f2", "<i8", ">i2", "|u1", "<u8", "|b1", "<c16", ">c8", "|S3", "<U2",
];

/// Output beyond this is cut off by the writer (an I/O error the check
/// expects): formats may ask for fields of up to 2^31 - 1 characters.
const SAVETXT_OUTPUT_CAP: usize = 1 << 20;

/// A writer that takes `SAVETXT_OUTPUT_CAP` bytes, then fails.
struct CappedWriter(Vec<u8>);

impl std::io::Write for CappedWriter {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let room = SAVETXT_OUTPUT_CAP - self.0.len();
        if room == 0 {
            return Err(std::io::Error::other("fuzz output cap reached"));
        }
        let n = b.len().min(room);
        self.0.extend_from_slice(&b[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `%[-+ #0]*[0-9]*.[0-9]+[eEgG]` with a precision that round-trips a
/// float64 (17 significant digits) and a width that keeps the text short.
fn round_trip_format(f: &str, finite: bool) -> bool {
    let Some(rest) = f.strip_prefix('%') else {
        return false;
    };
    let flags_end = rest
        .find(|c: char| !matches!(c, '-' | '+' | ' ' | '#' | '0'))
        .unwrap_or(rest.len());
    let (flags, rest) = rest.split_at(flags_end);
    // Zero padding without '-' pads inf and nan with zeros ("000inf"), as
    // Python does; float() refuses that text, so NumPy cannot load it back
    // either. Such formats round-trip finite tables only.
    if flags.contains('0') && !flags.contains('-') && !finite {
        return false;
    }
    let (width, rest) = rest.split_at(rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(0));
    let Some(rest) = rest.strip_prefix('.') else {
        return false;
    };
    let Some(conv) = rest.chars().last() else {
        return false;
    };
    let prec = &rest[..rest.len() - conv.len_utf8()];
    if !prec.bytes().all(|c| c.is_ascii_digit()) || prec.is_empty() || prec.len() > 3 {
        return false;
    }
    let p: usize = prec.parse().unwrap_or(0);
    width.len() <= 3
        && match conv {
            'e' | 'E' => p >= 16,
            'g' | 'G' => p >= 17,
            _ => false,
        }
}

/// Whether every native float64 in `bytes` is finite.
fn all_finite_f64(bytes: &[u8]) -> bool {
    bytes
        .chunks_exact(8)
        .all(|c| f64::from_le_bytes(c.try_into().unwrap()).is_finite())
}

/// Savetxt target. Byte 0 picks the dtype and the shape, byte 1 the `fmt`
/// form (one string or one per column); the rest, split at NUL bytes, is
/// `fmt`, `delimiter`, `newline`, `header`, `footer`, `comments` and the
/// array's bytes. Invariants: no panic, bounded memory whatever the widths
/// and precisions (the output is capped at 1 MiB by the writer); errors
/// are `InvalidArg`/`Unsupported` or the cap; the direct and the streamed
/// (bounded-buffer) paths write the same bytes or the same error; a float64
/// table written with a 17-digit `%e`/`%g` and a comma loads back to the
/// same values.
pub fn check_savetxt(data: &[u8]) {
    use npyio::text::loadtxt::{loadtxt_from_bytes, LoadtxtOptions};
    use npyio::text::savetxt::{
        savetxt_to_writer, savetxt_to_writer_streamed, Fmt, SavetxtOptions,
    };
    let data = &data[..data.len().min(MAX_INPUT)];
    let [sel, form, rest @ ..] = data else {
        return;
    };
    let (sel, form) = (*sel as usize, *form);
    let mut parts = rest.splitn(7, |&c| c == 0);
    let mut text = || {
        parts
            .next()
            .map(|p| String::from_utf8_lossy(p).into_owned())
    };
    let mut o = SavetxtOptions {
        threads: 1,
        ..SavetxtOptions::default()
    };
    let fmt = text();
    let fields: Vec<Option<String>> = (0..5).map(|_| text()).collect();
    let bytes = parts.next().unwrap_or(&[]);
    if let Some(d) = &fields[0] {
        o.delimiter = d.clone();
    }
    if let Some(d) = &fields[1] {
        o.newline = d.clone();
    }
    if let Some(d) = &fields[2] {
        o.header = d.clone();
    }
    if let Some(d) = &fields[3] {
        o.footer = d.clone();
    }
    if let Some(d) = &fields[4] {
        o.comments = d.clone();
    }
    let structured = sel % 13 == 12;
    let dtype = if structured {
        DType::parse("[('a', '<i4'), ('b', '>f8'), ('c', '|S2')]").unwrap()
    } else {
        DType::parse(SAVETXT_DTYPES[sel % 13 % SAVETXT_DTYPES.len()]).unwrap()
    };
    let ncols = 1 + (sel / 13) % 4;
    let two_d = !structured && (sel / 52) % 2 == 1;
    let row_bytes = dtype.itemsize() * if two_d { ncols } else { 1 };
    let rows = (bytes.len() / row_bytes).min(64);
    let shape: Vec<u64> = if two_d {
        vec![rows as u64, ncols as u64]
    } else {
        vec![rows as u64]
    };
    let arr = &bytes[..rows * row_bytes];
    if let Some(f) = &fmt {
        o.fmt = if form & 1 == 1 {
            Fmt::PerColumn(f.split('\u{1}').map(String::from).collect())
        } else {
            Fmt::One(f.clone())
        };
    }
    let mut direct = CappedWriter(Vec::new());
    let r1 = savetxt_to_writer(&mut direct, &dtype, &shape, arr, &o);
    let mut streamed = CappedWriter(Vec::new());
    let r2 = savetxt_to_writer_streamed(&mut streamed, &dtype, &shape, arr, &o);
    match (&r1, &r2) {
        (Ok(()), Ok(())) => {}
        (Err(a), Err(b)) => {
            let capped = |e: &npyio::Error| {
                e.status() == Status::Io && e.message().contains("fuzz output cap")
            };
            // The direct path formats a block of rows before writing it, the
            // streamed one writes row by row: a bad value after 1 MiB of
            // text is found by one before the other reaches the cap.
            if !capped(a) && !capped(b) {
                assert_eq!(a, b, "direct and streamed savetxt fail differently");
            }
            for e in [a, b] {
                if !capped(e) {
                    status_in("savetxt", e, &[Status::InvalidArg, Status::Unsupported]);
                }
            }
        }
        _ => panic!("direct savetxt gave {r1:?}, streamed {r2:?}"),
    }
    // On an error each path has written a prefix of the text: whole blocks
    // of rows (direct) or up to the failing row (streamed).
    let n = direct.0.len().min(streamed.0.len());
    assert!(
        (r1.is_err() || direct.0.len() == streamed.0.len()) && direct.0[..n] == streamed.0[..n],
        "direct and streamed savetxt wrote different bytes ({} and {})",
        direct.0.len(),
        streamed.0.len()
    );
    // Round trip of a float64 table through a 17-digit format.
    let round_trip = r1.is_ok()
        && dtype == DType::parse("<f8").unwrap()
        && rows > 0
        && o.delimiter == ","
        && o.newline == "\n"
        && o.header.is_empty()
        && o.footer.is_empty()
        && matches!(&o.fmt, Fmt::One(f) if round_trip_format(f, all_finite_f64(arr)));
    if !round_trip {
        return;
    }
    let back = loadtxt_from_bytes(
        &direct.0,
        "<saved>",
        &LoadtxtOptions {
            delimiter: Some(",".into()),
            comments: Vec::new(),
            ndmin: 2,
            threads: 1,
            ..LoadtxtOptions::default()
        },
    )
    .unwrap_or_else(|e| {
        panic!(
            "savetxt output ({:?}) does not load: {e}\n{}",
            o.fmt,
            String::from_utf8_lossy(&direct.0)
        )
    });
    assert_same_f64s(
        arr,
        back.data().unwrap(),
        &format_args!("savetxt {:?} round trip", o.fmt),
    );
}
