//! Errors the Rust API returns carry a [`Detail`] a caller can act on, and
//! their messages name Rust items only (the C layer names its own: see
//! tests/c/test_api.c and tests/c/test_npz.c). The limits are process-wide,
//! so the cases run one after another in one test.

mod common;

use npyio::error::Detail;
use npyio::npz::{Compression, NpzFile, NpzWriter, NpzWriterOptions};
use npyio::{DType, Error, Limit, NpyFile, SaveOptions, Status};

/// `e` has `status` and `detail`, and its message ends with the detail's
/// hint and names no C function or constant.
fn check(what: &str, e: Error, status: Status, detail: Detail, names: &str) {
    assert_eq!(e.status(), status, "{what}: {e}");
    assert_eq!(e.detail(), Some(detail), "{what}: {e}");
    let msg = e.message();
    assert!(msg.ends_with(&detail.hint()), "{what}: {msg}");
    assert!(msg.contains(names), "{what}: {msg}");
    for c_name in ["NPYIO_", "npyio_", "npz_", "npy_"] {
        assert!(!msg.contains(c_name), "{what}: C name in {msg}");
    }
}

#[test]
fn details_and_plain_messages() {
    let dir = common::scratch("error_details");
    let dt = DType::parse("<f8").unwrap();
    let data = vec![0u8; 8 * 100];

    // A header over the header-length limit.
    let npy = dir.join("a.npy");
    npyio::save(&npy, &dt, &[100], false, &data, SaveOptions::default()).unwrap();
    let bytes = std::fs::read(&npy).unwrap();
    Limit::HeaderLen.set(64);
    let e = NpyFile::from_bytes(bytes.clone()).unwrap_err();
    Limit::HeaderLen.set(0);
    let limit = Detail::Limit(Limit::HeaderLen);
    check("header", e, Status::Limit, limit, "Limit::HeaderLen");
    assert!(NpyFile::from_bytes(bytes).is_ok());

    // An archive with a stored and a deflate member.
    let npz = dir.join("a.npz");
    let mut w = NpzWriter::create(&npz, NpzWriterOptions::default()).unwrap();
    w.add("s", &dt, &[100], false, &data, Compression::Stored)
        .unwrap();
    w.add("d", &dt, &[100], false, &data, Compression::Deflate)
        .unwrap();
    w.finish().unwrap();
    let archive = std::fs::read(&npz).unwrap();

    Limit::NpzMembers.set(1);
    let e = NpzFile::from_bytes(archive.clone()).unwrap_err();
    Limit::NpzMembers.set(0);
    let limit = Detail::Limit(Limit::NpzMembers);
    check("members", e, Status::Limit, limit, "Limit::NpzMembers");

    let z = NpzFile::from_bytes(archive).unwrap();
    Limit::NpzMemberSize.set(64);
    let e = z.open_member("s").unwrap_err();
    Limit::NpzMemberSize.set(0);
    let limit = Detail::Limit(Limit::NpzMemberSize);
    check(
        "member size",
        e,
        Status::Limit,
        limit,
        "Limit::NpzMemberSize",
    );

    let e = z.mmap_member("d").unwrap_err();
    let compressed = Detail::CompressedMember;
    check(
        "map",
        e,
        Status::NotMappable,
        compressed,
        "NpzFile::open_member",
    );
    assert!(z.mmap_member("s").is_ok() && z.open_member("d").is_ok());

    // A member that is not a .npy file, as Python's zipfile writes one.
    let notes = dir.join("notes.npz");
    common::run_python(&[
        "-c",
        "import sys, zipfile\n\
         with zipfile.ZipFile(sys.argv[1], 'w') as z:\n    z.writestr('notes.txt', 'not an array')",
        notes.to_str().unwrap(),
    ]);
    let z = NpzFile::open(&notes).unwrap();
    let e = z.open_member("notes.txt").unwrap_err();
    check(
        "not npy",
        e,
        Status::BadMagic,
        Detail::NotAnArray,
        "NpzFile::read_raw",
    );
    let mut raw = vec![0u8; 12];
    z.read_raw_named("notes.txt", &mut raw).unwrap();
    assert_eq!(raw, b"not an array");
    let e = z.read_raw_named("nope", &mut raw).unwrap_err();
    assert_eq!(e.status(), Status::NotFound, "{e}");
    assert_eq!(e.detail(), None);

    // A streamed text conversion into a device.
    let txt = dir.join("t.csv");
    std::fs::write(&txt, b"1 2\n3 4\n").unwrap();
    let opts = npyio::text::LoadtxtOptions::default();
    let e = npyio::text::loadtxt_to_npy(&txt, "/dev/null", &opts).unwrap_err();
    let regular = Detail::NeedsRegularFile;
    check("to device", e, Status::InvalidArg, regular, "text::loadtxt");
}
