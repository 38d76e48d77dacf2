//! Every class of malformed .npz gets its own error: status code, a message
//! naming the archive, the member and the problem, and no allocation larger
//! than the member's declared size.

use npyio_test_support as common;

use npyio::npz::NpzFile;
use npyio::{DType, Status};
use std::io::Write;

#[global_allocator]
static A: common::Peak = common::Peak;

/// One member of a hand-built archive; every field can lie.
#[derive(Clone)]
struct M {
    name: String,
    data: Vec<u8>,
    deflate: bool,
    flags: u16,
    method: Option<u16>,
    crc: Option<u32>,
    size: Option<u64>,
    local_name: Option<String>,
    stream: Option<Vec<u8>>,
}

fn m(name: &str, data: Vec<u8>) -> M {
    M {
        name: name.into(),
        data,
        deflate: false,
        flags: 0,
        method: None,
        crc: None,
        size: None,
        local_name: None,
        stream: None,
    }
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(6));
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A plain (non-zip64) archive of `members`.
fn build(members: &[M]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut cd = Vec::new();
    for mm in members {
        let stored = if mm.deflate {
            deflate(&mm.data)
        } else {
            mm.data.clone()
        };
        let stored = mm.stream.clone().unwrap_or(stored);
        let method = mm.method.unwrap_or(if mm.deflate { 8 } else { 0 });
        let crc = mm.crc.unwrap_or_else(|| crc32fast::hash(&mm.data));
        let size = mm.size.unwrap_or(mm.data.len() as u64) as u32;
        let offset = out.len() as u32;
        let lname = mm.local_name.clone().unwrap_or(mm.name.clone());
        for (sig, hdr) in [(0x0403_4b50u32, &mut out), (0x0201_4b50u32, &mut cd)] {
            hdr.extend_from_slice(&sig.to_le_bytes());
            if sig == 0x0201_4b50 {
                hdr.extend_from_slice(&20u16.to_le_bytes());
            }
            hdr.extend_from_slice(&20u16.to_le_bytes());
            hdr.extend_from_slice(&mm.flags.to_le_bytes());
            hdr.extend_from_slice(&method.to_le_bytes());
            hdr.extend_from_slice(&0u16.to_le_bytes());
            hdr.extend_from_slice(&0x21u16.to_le_bytes());
            hdr.extend_from_slice(&crc.to_le_bytes());
            hdr.extend_from_slice(&(stored.len() as u32).to_le_bytes());
            hdr.extend_from_slice(&size.to_le_bytes());
            let n = if sig == 0x0403_4b50 { &lname } else { &mm.name };
            hdr.extend_from_slice(&(n.len() as u16).to_le_bytes());
            hdr.extend_from_slice(&0u16.to_le_bytes());
            if sig == 0x0201_4b50 {
                hdr.extend_from_slice(&[0u8; 6]);
                hdr.extend_from_slice(&0x0180_0000u32.to_le_bytes());
                hdr.extend_from_slice(&offset.to_le_bytes());
            }
            hdr.extend_from_slice(n.as_bytes());
        }
        out.extend_from_slice(&stored);
    }
    let cd_off = out.len() as u32;
    out.extend_from_slice(&cd);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(members.len() as u16).to_le_bytes());
    out.extend_from_slice(&(cd.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_off.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// np.save bytes of a float64 array 0..n.
fn npy(n: u64) -> Vec<u8> {
    let mut v = npyio::header::header_bytes(&DType::parse("<f8").unwrap(), &[n], false).unwrap();
    for i in 0..n {
        v.extend_from_slice(&(i as f64).to_le_bytes());
    }
    v
}

fn write(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = common::scratch(&format!("badnpz_{name}"));
    let p = dir.join(format!("{name}.npz"));
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Tests that change a process-wide limit hold this exclusively; the others
/// hold it shared, so they never see a changed limit.
static LIMITS: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Opening the archive fails with `status` and a message with every needle.
fn open_fails(name: &str, bytes: &[u8], status: Status, needles: &[&str]) {
    let _shared = LIMITS.read().unwrap_or_else(|p| p.into_inner());
    let p = write(name, bytes);
    let e = NpzFile::open(&p).unwrap_err();
    assert_eq!(e.status(), status, "{name}: {e}");
    assert!(
        e.message().contains(&p.display().to_string()),
        "{name}: no file name: {e}"
    );
    for n in needles {
        assert!(e.message().contains(n), "{name}: lacks {n:?}: {e}");
    }
}

/// Opening member `member` fails (or, with `read`, reading it fully does).
fn member_fails(
    name: &str,
    bytes: &[u8],
    member: &str,
    read: bool,
    status: Status,
    needles: &[&str],
) {
    member_fails_within(name, bytes, member, read, status, needles, 0);
}

/// [`member_fails`], allowing `state` more bytes at the peak: a decoder's
/// own state, whatever the member's size (bzip2's is about 3.6 MB).
fn member_fails_within(
    name: &str,
    bytes: &[u8],
    member: &str,
    read: bool,
    status: Status,
    needles: &[&str],
    state: usize,
) {
    let _shared = LIMITS.read().unwrap_or_else(|p| p.into_inner());
    let p = write(name, bytes);
    for z in [
        NpzFile::open(&p).unwrap(),
        NpzFile::from_bytes(bytes.to_vec()).unwrap(),
    ] {
        common::reset_peak();
        let e = match z.open_member(member) {
            Err(e) => {
                assert!(!read, "{name}: open failed, expected the read to: {e}");
                e
            }
            Ok(f) => {
                assert!(read, "{name}: member opened");
                let mut buf = vec![0u8; f.nbytes() as usize];
                common::reset_peak();
                f.read_into(&mut buf, 0).unwrap_err()
            }
        };
        let declared = z.entries()[z.index_of(member).unwrap()].size as usize;
        let peak = common::peak();
        assert!(
            peak <= declared.max(64 << 10) + 4096 + state,
            "{name}: allocated {peak} for a {declared}-byte member"
        );
        assert_eq!(e.status(), status, "{name}: {e}");
        assert!(
            e.message().contains(&format!("member '{member}")),
            "{name}: no member name: {e}"
        );
        for n in needles {
            assert!(e.message().contains(n), "{name}: lacks {n:?}: {e}");
        }
    }
}

#[test]
fn not_a_zip() {
    open_fails("notzip", &npy(4), Status::Zip, &["not a zip archive"]);
    open_fails("tiny", b"PK\x05", Status::Zip, &["too short"]);
}

#[test]
fn truncated_central_directory() {
    let a = build(&[m("a.npy", npy(10)), m("b.npy", npy(3))]);
    // Cut bytes out of the middle of the central directory, keep the end record.
    let eocd = a.len() - 22;
    let mut cut = a[..eocd - 30].to_vec();
    cut.extend_from_slice(&a[eocd..]);
    open_fails(
        "truncated_cd",
        &cut,
        Status::Zip,
        &["truncated central directory"],
    );
}

#[test]
fn crc_mismatch_stored() {
    let a = build(&[m("a.npy", npy(16)).clone()]);
    let mut bad = a.clone();
    let pos = 30 + 5 + 128 + 8; // one byte inside the array data
    bad[pos] ^= 0x40;
    member_fails(
        "crc_stored",
        &bad,
        "a",
        true,
        Status::Crc,
        &["CRC-32 mismatch"],
    );
}

#[test]
fn crc_mismatch_deflate() {
    let mut mm = m("a.npy", npy(1000));
    mm.deflate = true;
    mm.crc = Some(0x1234_5678);
    member_fails(
        "crc_deflate",
        &build(&[mm]),
        "a",
        true,
        Status::Crc,
        &["CRC-32 mismatch"],
    );
}

#[test]
fn corrupt_deflate_stream() {
    let mut mm = m("a.npy", npy(1000));
    mm.deflate = true;
    let mut s = deflate(&mm.data);
    let mid = s.len() / 2;
    for b in &mut s[mid..mid + 8] {
        *b = 0xFF;
    }
    mm.stream = Some(s);
    member_fails(
        "corrupt_deflate",
        &build(&[mm]),
        "a",
        true,
        Status::Zip,
        &[],
    );
}

#[test]
fn header_declares_more_than_member_holds() {
    let mut data = npy(10);
    data.truncate(data.len() - 8);
    member_fails(
        "short_member",
        &build(&[m("a.npy", data)]),
        "a",
        false,
        Status::Truncated,
        &["needs 80 bytes but only 72"],
    );
    // A tiny compressed member declaring a 1 TiB array is refused before any
    // allocation: the header must fit the member's declared size.
    let mut big =
        npyio::header::header_bytes(&DType::parse("|u1").unwrap(), &[1 << 40], false).unwrap();
    big.extend_from_slice(&[0u8; 64]);
    let mut mm = m("big.npy", big);
    mm.deflate = true;
    member_fails(
        "bomb_header",
        &build(&[mm]),
        "big",
        false,
        Status::Truncated,
        &["only 64 follow"],
    );
}

#[test]
fn inflates_past_declared_size() {
    let data = npy(1000);
    let mut mm = m("a.npy", data.clone());
    mm.deflate = true;
    mm.size = Some(data.len() as u64 - 800); // claims fewer bytes than the stream holds
    mm.crc = Some(crc32fast::hash(&data[..data.len() - 800]));
    // The header (1000 values) no longer fits the declared size...
    member_fails(
        "past_size_hdr",
        &build(&[mm.clone()]),
        "a",
        false,
        Status::Truncated,
        &[],
    );
    // ...and a raw read stops at the declared size.
    let p = write("past_size", &build(&[mm]));
    let z = NpzFile::open(&p).unwrap();
    let mut buf = vec![0u8; z.entries()[0].size as usize];
    let e = z.read_raw(0, &mut buf).unwrap_err();
    assert_eq!(e.status(), Status::Zip, "{e}");
    assert!(
        e.message().contains("inflates past its declared size"),
        "{e}"
    );
}

#[test]
fn impossible_ratio() {
    let mut mm = m("a.npy", npy(4));
    mm.deflate = true;
    mm.size = Some(4_000_000_000);
    member_fails(
        "ratio",
        &build(&[mm]),
        "a",
        false,
        Status::Zip,
        &["more than deflate can produce"],
    );
}

#[test]
fn local_central_name_mismatch() {
    let mut mm = m("a.npy", npy(4));
    mm.local_name = Some("b.npy".into());
    member_fails(
        "names",
        &build(&[mm]),
        "a",
        false,
        Status::Zip,
        &["local header name 'b.npy' does not match"],
    );
}

#[test]
fn encrypted() {
    let mut mm = m("a.npy", npy(4));
    mm.flags = 1;
    member_fails(
        "encrypted",
        &build(&[mm]),
        "a",
        false,
        Status::Unsupported,
        &["encrypted"],
    );
}

#[test]
fn unknown_method() {
    let mut mm = m("a.npy", npy(4));
    mm.method = Some(99);
    member_fails(
        "method99",
        &build(&[mm]),
        "a",
        false,
        Status::Unsupported,
        &["method 99 (unknown) is not supported"],
    );
}

#[test]
fn deflate64_refused() {
    let mut mm = m("a.npy", npy(4));
    mm.method = Some(9);
    member_fails(
        "deflate64",
        &build(&[mm]),
        "a",
        false,
        Status::Unsupported,
        &["method 9 (deflate64) is not supported"],
    );
}

fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A zip LZMA member's bytes: version 9.20 and the 5 property bytes (lc 3,
/// lp 0, pb 2, dictionary 64 KiB), then the raw LZMA1 stream, which ends
/// with the end marker (zip flag bit 1).
fn lzma(data: &[u8]) -> Vec<u8> {
    use liblzma::stream::{Action, Filters, LzmaOptions, Status as S, Stream};
    let mut o = LzmaOptions::new_preset(6).unwrap();
    o.dict_size(1 << 16);
    let mut f = Filters::new();
    f.lzma1(&o);
    let mut enc = Stream::new_raw_encoder(&f).unwrap();
    let mut out = vec![9, 20, 5, 0, 3 + 9 * (2 * 5), 0, 0, 1, 0];
    let mut buf = vec![0u8; data.len() * 2 + 4096];
    let mut at = 0;
    loop {
        let before = (enc.total_in(), enc.total_out());
        let st = enc.process(&data[at..], &mut buf, Action::Finish).unwrap();
        at += (enc.total_in() - before.0) as usize;
        out.extend_from_slice(&buf[..(enc.total_out() - before.1) as usize]);
        if st == S::StreamEnd {
            return out;
        }
    }
}

/// Member `a.npy` holding `data`, compressed as `stream` with `method`.
fn packed(data: Vec<u8>, method: u16, stream: Vec<u8>) -> M {
    let mut mm = m("a.npy", data);
    mm.method = Some(method);
    mm.stream = Some(stream);
    if method == 14 {
        mm.flags = 2;
    }
    mm
}

const BZIP2_STATE: usize = 4 << 20;

#[test]
fn well_formed_bzip2_and_lzma_members_read() {
    let data = npy(5000);
    for (what, mm) in [
        ("bzip2", packed(data.clone(), 12, bzip2(&data))),
        ("lzma", packed(data.clone(), 14, lzma(&data))),
    ] {
        let z = NpzFile::from_bytes(build(&[mm])).unwrap();
        let f = z.open_member("a").unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut got = vec![0u8; f.nbytes() as usize];
        f.read_into(&mut got, 0)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(got == data[data.len() - got.len()..], "{what}: data");
    }
    // LZMA without its end marker (flag bit 1 clear) ends at the declared
    // size: the decoder stops there and never looks at what follows.
    let mut mm = packed(data.clone(), 14, lzma(&data));
    mm.flags = 0;
    let z = NpzFile::from_bytes(build(&[mm])).unwrap();
    let mut got = vec![0u8; data.len()];
    z.read_raw(0, &mut got).unwrap();
    assert!(got == data);
}

#[test]
fn truncated_bzip2_stream() {
    let data = npy(5000);
    let mut s = bzip2(&data);
    s.truncate(s.len() * 2 / 3);
    member_fails_within(
        "bzip2_cut",
        &build(&[packed(data, 12, s)]),
        "a",
        false, // bzip2 decodes whole blocks: the header's block fails
        Status::Zip,
        &["truncated bzip2 stream: the compressed data ends after"],
        BZIP2_STATE,
    );
}

#[test]
fn truncated_lzma_stream() {
    let data = npy(5000);
    let mut s = lzma(&data);
    s.truncate(s.len() * 2 / 3);
    member_fails(
        "lzma_cut",
        &build(&[packed(data, 14, s)]),
        "a",
        true,
        Status::Zip,
        &["truncated LZMA stream: the compressed data ends after"],
    );
}

#[test]
fn corrupt_bzip2_stream() {
    let data = npy(5000);
    let mut s = bzip2(&data);
    let mid = s.len() / 2;
    for b in &mut s[mid..mid + 16] {
        *b ^= 0x5A;
    }
    member_fails_within(
        "bzip2_bad",
        &build(&[packed(data, 12, s)]),
        "a",
        false, // bzip2 decodes whole blocks: the header's block fails
        Status::Zip,
        &["corrupt bzip2 stream"],
        BZIP2_STATE,
    );
}

#[test]
fn crc_mismatch_bzip2_and_lzma() {
    let data = npy(500);
    for (what, method, s) in [("bzip2", 12, bzip2(&data)), ("lzma", 14, lzma(&data))] {
        let mut mm = packed(data.clone(), method, s);
        mm.crc = Some(crc32fast::hash(&data) ^ 1);
        member_fails_within(
            &format!("{what}_crc"),
            &build(&[mm]),
            "a",
            true,
            Status::Crc,
            &["CRC-32 mismatch"],
            BZIP2_STATE,
        );
    }
}

#[test]
fn declared_size_lies_bzip2_and_lzma() {
    let data = npy(5000);
    for (what, method, s, name) in [
        ("bzip2", 12, bzip2(&data), "bzip2"),
        ("lzma", 14, lzma(&data), "LZMA"),
    ] {
        // More than the stream holds: the stream ends early.
        let mut more = data.clone();
        more.extend_from_slice(&[0u8; 100]);
        let mut mm = packed(more, method, s.clone());
        mm.crc = Some(crc32fast::hash(&data));
        let p = write(&format!("{what}_more"), &build(&[mm]));
        let z = NpzFile::open(&p).unwrap();
        let mut buf = vec![0u8; z.entries()[0].size as usize];
        let e = z.read_raw(0, &mut buf).unwrap_err();
        assert_eq!(e.status(), Status::Zip, "{what}: {e}");
        assert!(
            e.message()
                .contains(&format!("{name} stream ended after {} bytes", data.len())),
            "{what}: {e}"
        );
        assert!(e.message().contains("member 'a.npy'"), "{what}: {e}");
        // Fewer: a bomb stops at the declared size, its memory bounded by it.
        let bomb = vec![0u8; 50 << 20];
        let s = if method == 12 {
            bzip2(&bomb)
        } else {
            lzma(&bomb)
        };
        let mut mm = packed(bomb[..1000].to_vec(), method, s);
        mm.crc = Some(crc32fast::hash(&bomb[..1000]));
        let p = write(&format!("{what}_bomb"), &build(&[mm]));
        let z = NpzFile::open(&p).unwrap();
        let mut buf = vec![0u8; 1000];
        common::reset_peak();
        let e = z.read_raw(0, &mut buf).unwrap_err();
        let peak = common::peak();
        assert!(peak < (64 << 10) + BZIP2_STATE, "{what}: peak {peak}");
        assert_eq!(e.status(), Status::Zip, "{what}: {e}");
        assert!(
            e.message().contains(&format!(
                "{name} stream inflates past its declared size of 1000 bytes"
            )),
            "{what}: {e}"
        );
        assert!(e.message().contains("member 'a.npy'"), "{what}: {e}");
    }
}

#[test]
fn bad_lzma_properties() {
    let data = npy(50);
    for (what, at, value, needle) in [
        (
            "props_len",
            2,
            4u8,
            "the header gives 4 bytes of properties",
        ),
        ("props_byte", 4, 225, "byte 0xe1 is not a valid lc/lp/pb"),
        ("lc_lp", 4, 4 + 9, "lc 4 + lp 1 exceeds 4"),
    ] {
        let mut s = lzma(&data);
        s[at] = value;
        member_fails(
            &format!("lzma_{what}"),
            &build(&[packed(data.clone(), 14, s)]),
            "a",
            false,
            Status::Zip,
            &["bad LZMA properties", needle],
        );
    }
}

#[test]
fn duplicate_names() {
    open_fails(
        "dups",
        &build(&[m("a.npy", npy(4)), m("a.npy", npy(5))]),
        Status::Zip,
        &["duplicate member name 'a.npy'"],
    );
}

#[test]
fn overlapping_members() {
    let a = build(&[m("a.npy", npy(40)), m("b.npy", npy(4))]);
    // Point member b's central entry at member a's local header.
    let mut bad = a.clone();
    let cd = u32::from_le_bytes(bad[a.len() - 6..a.len() - 2].try_into().unwrap()) as usize;
    let second = cd + 46 + 5;
    bad[second + 42..second + 46].copy_from_slice(&10u32.to_le_bytes());
    open_fails("overlap", &bad, Status::Zip, &["overlaps"]);
}

#[test]
fn object_dtype_member() {
    let text = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }";
    let mut v = common::npy_file(1, text, 0);
    v.extend_from_slice(b"\x80\x04pickle...");
    member_fails(
        "object",
        &build(&[m("o.npy", v)]),
        "o",
        false,
        Status::ObjectDtype,
        &["pickle"],
    );
}

#[test]
fn member_count_limit() {
    let members: Vec<M> = (0..5).map(|i| m(&format!("m{i}.npy"), npy(1))).collect();
    let a = build(&members);
    let _exclusive = LIMITS.write().unwrap_or_else(|p| p.into_inner());
    npyio::Limit::NpzMembers.set(4);
    let p = write("count", &a);
    let e = NpzFile::open(&p).unwrap_err();
    npyio::Limit::NpzMembers.set(0);
    assert_eq!(e.status(), Status::Limit, "{e}");
    assert!(NpzFile::open(&p).is_ok());
}

/// The end record of a `build` archive: (count on this disk, count,
/// directory size, directory offset) at these byte positions.
fn eocd_at(a: &[u8]) -> usize {
    a.len() - 22
}

fn set_u16(a: &mut [u8], at: usize, v: u16) {
    a[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn set_u32(a: &mut [u8], at: usize, v: u32) {
    a[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

/// `a` with a zip64 end record and locator put before its end record,
/// stating `count` members (the directory's size and offset copied).
fn with_zip64(a: &[u8], count: u64) -> Vec<u8> {
    let e = eocd_at(a);
    let cd_size = u32::from_le_bytes(a[e + 12..e + 16].try_into().unwrap()) as u64;
    let cd_off = u32::from_le_bytes(a[e + 16..e + 20].try_into().unwrap()) as u64;
    let mut out = a[..e].to_vec();
    let rec = out.len() as u64;
    out.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    out.extend_from_slice(&44u64.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&45u16.to_le_bytes());
    out.extend_from_slice(&[0u8; 8]);
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&count.to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_off.to_le_bytes());
    out.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&rec.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    out.extend_from_slice(&a[e..]);
    out
}

/// What NumPy lists for an archive's bytes (np.load(...).files).
fn numpy_files(name: &str, bytes: &[u8]) -> String {
    let p = write(&format!("{name}_np"), bytes);
    common::run_python(&[
        "-c",
        &format!(
            "import numpy as np\nprint(np.load({:?}).files)",
            p.display().to_string()
        ),
    ])
    .trim()
    .to_string()
}

#[test]
fn end_record_count_differs_from_directory() {
    let long = |c: char| format!("{}.npy", c.to_string().repeat(60));
    let a = build(&[m(&long('a'), npy(3)), m(&long('b'), npy(4))]);
    let e = eocd_at(&a);
    // The end record says 1 member while the directory holds 2: NumPy
    // lists both, a reader trusting the record would list one.
    let mut one = a.clone();
    set_u16(&mut one, e + 8, 1);
    set_u16(&mut one, e + 10, 1);
    assert_eq!(
        numpy_files("count1", &one),
        format!("['{}', '{}']", "a".repeat(60), "b".repeat(60))
    );
    open_fails(
        "count1",
        &one,
        Status::Zip,
        &["the end record says 1 member but the central directory holds 2"],
    );
    // More members stated than present (the directory is long enough for 3
    // fixed-size entries, so only counting them finds it).
    let mut three = a.clone();
    set_u16(&mut three, e + 8, 3);
    set_u16(&mut three, e + 10, 3);
    open_fails(
        "count3",
        &three,
        Status::Zip,
        &["the end record says 3 members but the central directory holds 2"],
    );
    // The two counts of the end record disagree.
    let mut disk = a.clone();
    set_u16(&mut disk, e + 8, 1);
    open_fails(
        "count_disk",
        &disk,
        Status::Zip,
        &["says 1 members on this disk but 2 in all"],
    );
    // The zip64 end record says 1, the plain record defers to it (0xFFFF).
    let mut z = with_zip64(&a, 1);
    let ze = eocd_at(&z);
    set_u16(&mut z, ze + 8, 0xFFFF);
    set_u16(&mut z, ze + 10, 0xFFFF);
    open_fails(
        "count_zip64",
        &z,
        Status::Zip,
        &["the zip64 end record says 1 member but the central directory holds 2"],
    );
    // The plain record says 1, the zip64 record 2.
    let mut z = with_zip64(&a, 2);
    let ze = eocd_at(&z);
    set_u16(&mut z, ze + 8, 1);
    set_u16(&mut z, ze + 10, 1);
    open_fails(
        "count_plain_vs_zip64",
        &z,
        Status::Zip,
        &["the end record's member count is 1 but the zip64 end record's is 2"],
    );
    // Consistent zip64 records open.
    let z = with_zip64(&a, 2);
    assert_eq!(NpzFile::from_bytes(z).unwrap().len(), 2);
    let mut z = with_zip64(&a, 2);
    let ze = eocd_at(&z);
    set_u16(&mut z, ze + 8, 0xFFFF);
    set_u16(&mut z, ze + 10, 0xFFFF);
    set_u32(&mut z, ze + 12, 0xFFFF_FFFF);
    set_u32(&mut z, ze + 16, 0xFFFF_FFFF);
    assert_eq!(NpzFile::from_bytes(z).unwrap().len(), 2);
}

#[test]
fn central_directory_must_end_at_the_end_record() {
    let a = build(&[m("a.npy", npy(3)), m("b.npy", npy(4))]);
    let e = eocd_at(&a);
    let cd_size = u32::from_le_bytes(a[e + 12..e + 16].try_into().unwrap());
    let cd_off = u32::from_le_bytes(a[e + 16..e + 20].try_into().unwrap()) as usize;
    let first = 46 + 5;
    // The record covers only the first entry: the second hides in the bytes
    // between the directory and the record.
    let mut hidden = a.clone();
    set_u16(&mut hidden, e + 8, 1);
    set_u16(&mut hidden, e + 10, 1);
    set_u32(&mut hidden, e + 12, first as u32);
    open_fails(
        "hidden_entry",
        &hidden,
        Status::Zip,
        &[&format!(
            "the central directory (bytes {cd_off}..{}) does not end where the end record is ({e}): {} bytes between them",
            cd_off + first,
            cd_size as usize - first
        )],
    );
    // Junk between the directory and the record.
    let mut junk = a[..e].to_vec();
    junk.extend_from_slice(b"junk");
    junk.extend_from_slice(&a[e..]);
    open_fails(
        "junk_before_eocd",
        &junk,
        Status::Zip,
        &[
            "does not end where the end record is",
            "4 bytes between them",
        ],
    );
    // Same with zip64: the directory must end at the zip64 end record.
    let mut z = a[..e].to_vec();
    z.extend_from_slice(b"junk");
    z.extend_from_slice(&a[e..]);
    let z = with_zip64(&z, 2);
    open_fails(
        "junk_before_zip64",
        &z,
        Status::Zip,
        &[
            "does not end where the zip64 end record is",
            "4 bytes between them",
        ],
    );
    // A zip64 end record that is not right before its locator.
    let mut z = with_zip64(&a, 2);
    let loc = z.len() - 22 - 20;
    let rec = loc - 56;
    z[rec + 4..rec + 12].copy_from_slice(&40u64.to_le_bytes());
    open_fails(
        "zip64_record_size",
        &z,
        Status::Zip,
        &["does not end at the zip64 locator"],
    );
}

/// A name with a NUL byte is cut there, as zipfile cuts it: the key NumPy
/// lists is the key libnpyio lists (and npz_name returns).
#[test]
fn member_names_are_cut_at_nul() {
    let dir = common::scratch("badnpz_nul");
    let p = dir.join("nul.npz");
    // zipfile itself cuts names at NUL when writing, so the NUL is put
    // into the bytes afterwards (local header and central directory).
    common::run_python(&[
        "-c",
        &format!(
            "import numpy as np\n\
             p = {:?}\n\
             np.savez(p, **{{'aX_junk': np.arange(5.0), 'b': np.arange(3)}})\n\
             d = open(p, 'rb').read()\n\
             assert d.count(b'aX_junk.npy') == 2\n\
             open(p, 'wb').write(d.replace(b'aX_junk.npy', b'a\\x00_junk.npy'))\n\
             z = np.load(p)\n\
             assert z.files == ['a', 'b'], z.files\n\
             assert np.array_equal(z['a'], np.arange(5.0))\n",
            p.display().to_string()
        ),
    ]);
    let z = NpzFile::open(&p).unwrap();
    let keys: Vec<&str> = z.entries().iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["a", "b"]);
    assert_eq!(z.entries()[0].name, "a");
    let f = z.open_member("a").unwrap();
    let mut got = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut got, 0).unwrap();
    let want: Vec<u8> = (0..5).flat_map(|i| (i as f64).to_le_bytes()).collect();
    assert_eq!(got, want);
    // Through the C API: npz_name gives the cut key.
    let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
    let mut h = std::ptr::null_mut();
    unsafe {
        assert_eq!(npyio::ffi::npz::npz_open(c.as_ptr(), &mut h), 0);
        let k = std::ffi::CStr::from_ptr(npyio::ffi::npz::npz_name(h, 0));
        assert_eq!(k.to_str().unwrap(), "a");
        npyio::ffi::npz::npz_close(h);
    }

    // Two names equal once cut are duplicates.
    let dups = build(&[m("a.npy", npy(4)), m("a.npy\0x", npy(5))]);
    open_fails(
        "nul_dups",
        &dups,
        Status::Zip,
        &["duplicate member name 'a.npy', once the names are cut at their NUL byte"],
    );
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::bulk::compress(data, 3).unwrap()
}

#[test]
fn truncated_zstd_stream() {
    // Several zstd blocks of 128 KiB: the header's block is whole.
    let data = npy(100_000);
    let mut s = zstd(&data);
    s.truncate(s.len() * 2 / 3);
    member_fails(
        "zstd_cut",
        &build(&[packed(data, 93, s)]),
        "a",
        true,
        Status::Zip,
        &["truncated zstd stream: the compressed data ends after"],
    );
}

#[test]
fn corrupt_zstd_stream() {
    let data = npy(5000);
    let mut s = zstd(&data);
    // The frame header's magic number.
    s[0] ^= 0xFF;
    member_fails(
        "zstd_bad",
        &build(&[packed(data, 93, s)]),
        "a",
        false,
        Status::Zip,
        &["corrupt zstd stream"],
    );
}

#[test]
fn crc_mismatch_zstd() {
    let data = npy(500);
    let mut mm = packed(data.clone(), 93, zstd(&data));
    mm.crc = Some(crc32fast::hash(&data) ^ 1);
    member_fails(
        "zstd_crc",
        &build(&[mm]),
        "a",
        true,
        Status::Crc,
        &["CRC-32 mismatch"],
    );
}

#[test]
fn declared_size_lies_zstd() {
    let data = npy(5000);
    let mut more = data.clone();
    more.extend_from_slice(&[0u8; 100]);
    let mut mm = packed(more, 93, zstd(&data));
    mm.crc = Some(crc32fast::hash(&data));
    let z = NpzFile::open(write("zstd_more", &build(&[mm]))).unwrap();
    let mut buf = vec![0u8; z.entries()[0].size as usize];
    let e = z.read_raw(0, &mut buf).unwrap_err();
    assert_eq!(e.status(), Status::Zip, "{e}");
    assert!(
        e.message()
            .contains(&format!("zstd stream ended after {} bytes", data.len())),
        "{e}"
    );
    assert!(e.message().contains("member 'a.npy'"), "{e}");
    // A bomb: 50 MB of zeros declared as 1000 bytes stops there.
    let bomb = vec![0u8; 50 << 20];
    let mut mm = packed(bomb[..1000].to_vec(), 93, zstd(&bomb));
    mm.crc = Some(crc32fast::hash(&bomb[..1000]));
    let z = NpzFile::open(write("zstd_bomb", &build(&[mm]))).unwrap();
    let mut buf = vec![0u8; 1000];
    common::reset_peak();
    let e = z.read_raw(0, &mut buf).unwrap_err();
    assert!(common::peak() < 1 << 20, "peak {}", common::peak());
    assert_eq!(e.status(), Status::Zip, "{e}");
    assert!(
        e.message()
            .contains("zstd stream inflates past its declared size of 1000 bytes"),
        "{e}"
    );
}
