//! Every class of malformed .npz gets its own error: status code, a message
//! naming the archive, the member and the problem, and no allocation larger
//! than the member's declared size.

mod common;

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
            peak <= declared.max(64 << 10) + 4096,
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
    mm.method = Some(12);
    member_fails(
        "bzip2",
        &build(&[mm]),
        "a",
        false,
        Status::Unsupported,
        &["method 12 (bzip2)"],
    );
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
    let mut v = b"\x93NUMPY\x01\x00".to_vec();
    let text = "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }";
    let mut h = text.as_bytes().to_vec();
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(b' ');
    }
    h.push(b'\n');
    v.extend_from_slice(&(h.len() as u16).to_le_bytes());
    v.extend_from_slice(&h);
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
