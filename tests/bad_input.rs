//! Every class of malformed .npy file gets its own error: the specific
//! status code, a message naming the file and the problem, and no
//! allocation larger than the file.

use npyio_test_support as common;
use npyio_test_support::npy_file as npy;

use npyio::{NpyFile, Status};

#[global_allocator]
static A: common::Peak = common::Peak;

fn hdr(descr: &str, fortran: &str, shape: &str) -> String {
    format!("{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}")
}

/// Tests that change a process-wide limit hold this exclusively; the others
/// hold it shared, so they never see a changed limit.
static LIMITS: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// `f` run while no test changes the limits (tests that change them hold
/// `LIMITS` exclusively; a header limit of 32 bytes refuses every header).
fn shared_limits<T>(f: impl FnOnce() -> T) -> T {
    let _shared = LIMITS.read().unwrap_or_else(|p| p.into_inner());
    f()
}

/// Open `bytes` from a file and from memory; both must fail with `status`
/// and a message containing every one of `needles`.
fn expect(name: &str, bytes: &[u8], status: Status, needles: &[&str]) {
    let _shared = LIMITS.read().unwrap_or_else(|p| p.into_inner());
    let dir = common::scratch(&format!("bad_{name}"));
    let path = dir.join(format!("{name}.npy"));
    std::fs::write(&path, bytes).unwrap();
    common::reset_peak();
    let e = NpyFile::open(&path).expect_err(name);
    let peak = common::peak();
    assert_eq!(e.status(), status, "{name}: {e}");
    assert!(
        e.message().contains(&path.display().to_string()),
        "{name}: message does not name the file: {e}"
    );
    for n in needles {
        assert!(e.message().contains(n), "{name}: message lacks {n:?}: {e}");
    }
    assert!(
        peak <= bytes.len().max(1024),
        "{name}: allocated {peak} bytes for a {}-byte file",
        bytes.len()
    );
    let e2 = NpyFile::from_bytes(bytes.to_vec()).expect_err(name);
    assert_eq!(e2.status(), status, "{name} (memory): {e2}");
}

#[test]
fn bad_magic() {
    expect(
        "magic",
        b"\x93NUMPX\x01\x00rest of it",
        Status::BadMagic,
        &["bad magic"],
    );
    let zip = b"PK\x03\x04 an npz, not an npy";
    expect("magic_zip", zip, Status::BadMagic, &["zip"]);
}

#[test]
fn unknown_version() {
    let mut b = npy(1, &hdr("'<f8'", "False", "()"), 8);
    b[6] = 4;
    expect("version4", &b, Status::UnsupportedVersion, &["4.0"]);
    b[6] = 1;
    b[7] = 1;
    expect("version11", &b, Status::UnsupportedVersion, &["1.1"]);
}

#[test]
fn header_length_beyond_file() {
    let mut b = npy(2, &hdr("'<f8'", "False", "()"), 8);
    b[8..12].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
    expect(
        "hlen_huge",
        &b,
        Status::Truncated,
        &["header length 4294967295", "beyond the end"],
    );
}

#[test]
fn truncated_header() {
    expect(
        "trunc_magic",
        b"\x93NUM",
        Status::Truncated,
        &["inside the 8-byte magic"],
    );
    expect(
        "trunc_lenfield",
        b"\x93NUMPY\x01\x00\x76",
        Status::Truncated,
        &["header length field"],
    );
    let b = npy(1, &hdr("'<f8'", "False", "(3,)"), 24);
    expect(
        "trunc_text",
        &b[..60],
        Status::Truncated,
        &["beyond the end"],
    );
}

#[test]
fn empty_file() {
    expect("empty", b"", Status::Truncated, &["empty file"]);
}

#[test]
fn header_not_a_dict() {
    expect(
        "list",
        &npy(1, "['descr', '<f8']", 0),
        Status::BadHeader,
        &["not a dictionary", "list"],
    );
}

#[test]
fn header_not_a_literal() {
    let t = "{'descr': '<f8', 'fortran_order': False, 'shape': (2*3,), }";
    expect(
        "expr",
        &npy(1, t, 48),
        Status::BadHeader,
        &["not a Python literal"],
    );
    let t = "{'descr': '<f8', 'fortran_order': false, 'shape': (6,), }";
    expect(
        "json_false",
        &npy(1, t, 48),
        Status::BadHeader,
        &["\"false\" is not a literal"],
    );
    // Python 2 long suffixes are accepted in 1.0/2.0 only.
    let t = hdr("'<f8'", "False", "(2L, 3L)");
    assert_eq!(
        shared_limits(|| NpyFile::from_bytes(npy(1, &t, 48)))
            .unwrap()
            .header()
            .shape,
        vec![2, 3]
    );
    expect(
        "py2_long_v3",
        &npy(3, &t, 48),
        Status::BadHeader,
        &["invalid number"],
    );
}

#[test]
fn missing_or_extra_keys() {
    let t = "{'descr': '<f8', 'shape': (3,), }";
    expect(
        "missing",
        &npy(1, t, 24),
        Status::BadHeader,
        &["missing key 'fortran_order'"],
    );
    let t = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}";
    expect(
        "extra",
        &npy(1, t, 24),
        Status::BadHeader,
        &["unexpected key 'extra'"],
    );
}

#[test]
fn shape_not_a_tuple() {
    for (name, shape) in [
        ("shape_list", "[3]"),
        ("shape_int", "(3)"),
        ("shape_float", "(3.0,)"),
        ("shape_bool", "(True,)"),
    ] {
        expect(
            name,
            &npy(1, &hdr("'<f8'", "False", shape), 24),
            Status::BadHeader,
            &["'shape' must be a tuple"],
        );
    }
}

#[test]
fn negative_shape() {
    expect(
        "neg",
        &npy(1, &hdr("'<f8'", "False", "(-2, -3)"), 48),
        Status::BadHeader,
        &["negative dimension -2"],
    );
}

#[test]
fn count_overflow() {
    // NumPy's int64 product wraps (2**32 * 2**32 == 0); ours refuses.
    expect(
        "count_wrap",
        &npy(1, &hdr("'|u1'", "False", "(4294967296, 4294967296)"), 0),
        Status::Overflow,
        &["more elements than fit in 64 bits"],
    );
    expect(
        "dim_too_big",
        &npy(1, &hdr("'|u1'", "False", "(18446744073709551616,)"), 0),
        Status::Overflow,
        &["does not fit in 64 bits"],
    );
}

#[test]
fn bytes_overflow() {
    expect(
        "bytes_wrap",
        &npy(1, &hdr("'<f8'", "False", "(4294967296, 1073741824)"), 0),
        Status::Overflow,
        &["with itemsize 8 overflows 64 bits"],
    );
}

#[test]
fn fortran_order_not_bool() {
    expect(
        "fortran_int",
        &npy(1, &hdr("'<f8'", "0", "(3,)"), 24),
        Status::BadHeader,
        &["'fortran_order' must be True or False, got 0"],
    );
    expect(
        "fortran_str",
        &npy(1, &hdr("'<f8'", "'False'", "(3,)"), 24),
        Status::BadHeader,
        &["got 'False'"],
    );
}

#[test]
fn unknown_typestring() {
    expect(
        "dtype_q9",
        &npy(1, &hdr("'<q9'", "False", "(3,)"), 24),
        Status::BadDtype,
        &["unknown type string '<q9'"],
    );
    expect(
        "dtype_num",
        &npy(1, &hdr("7", "False", "(3,)"), 24),
        Status::BadDtype,
        &["descr must be"],
    );
}

#[test]
fn object_dtype() {
    expect(
        "object",
        &npy(1, &hdr("'|O'", "False", "(3,)"), 24),
        Status::ObjectDtype,
        &["pickle"],
    );
    expect(
        "object_field",
        &npy(1, &hdr("[('a', '<i4'), ('b', '|O')]", "False", "(3,)"), 36),
        Status::ObjectDtype,
        &["pickle"],
    );
}

#[test]
fn truncated_data() {
    let b = npy(1, &hdr("'<f8'", "False", "(3, 4)"), 95);
    expect(
        "trunc_data",
        &b,
        Status::Truncated,
        &["needs 96 bytes but only 95"],
    );
    // A huge declared array in a tiny file fails before any allocation.
    let b = npy(1, &hdr("'<f8'", "False", "(1099511627776,)"), 8);
    expect("trunc_huge", &b, Status::Truncated, &["only 8 follow"]);
}

#[test]
fn header_over_limit() {
    // A 2.0 header of ~70 kB (like NumPy's own 4000-field files) is
    // accepted by default; the limit is configurable and enforced.
    let fields: Vec<String> = (0..4000)
        .map(|i| format!("('field{i:05}', '<i4')"))
        .collect();
    let t = hdr(&format!("[{}]", fields.join(", ")), "False", "(1,)");
    let b = npy(2, &t, 16000);
    let _exclusive = LIMITS.write().unwrap_or_else(|p| p.into_inner());
    assert!(NpyFile::from_bytes(b.clone()).is_ok());
    npyio::Limit::HeaderLen.set(4096);
    let dir = common::scratch("bad_limit");
    let path = dir.join("limit.npy");
    std::fs::write(&path, &b).unwrap();
    let e = NpyFile::open(&path).unwrap_err();
    npyio::Limit::HeaderLen.set(0);
    assert_eq!(e.status(), Status::Limit, "{e}");
    assert!(
        e.message().contains("exceeds the limit of 4096 bytes"),
        "{e}"
    );
    assert!(NpyFile::open(&path).is_ok());
}

#[test]
fn header_limit_applies_to_a_header_read_before() {
    // The thread keeps the last small header it parsed; a limit lowered
    // since still refuses it.
    let b = npy(1, &hdr("'<f8'", "False", "(2,)"), 16);
    let _exclusive = LIMITS.write().unwrap_or_else(|p| p.into_inner());
    assert!(NpyFile::from_bytes(b.clone()).is_ok());
    npyio::Limit::HeaderLen.set(32);
    let e = NpyFile::from_bytes(b.clone()).unwrap_err();
    npyio::Limit::HeaderLen.set(0);
    assert_eq!(e.status(), Status::Limit, "{e}");
    assert!(e.message().contains("exceeds the limit of 32 bytes"), "{e}");
    assert!(NpyFile::from_bytes(b).is_ok());
}

#[test]
fn invalid_utf8_in_v3() {
    let mut b = npy(3, &hdr("[('\u{e9}', '<i4')]", "False", "(1,)"), 4);
    // Replace the two UTF-8 bytes of 'é' with a lone continuation byte and a space.
    let pos = b.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
    b[pos] = 0xA9;
    b[pos + 1] = b' ';
    expect("utf8", &b, Status::Encoding, &["not valid UTF-8"]);
    // The same byte in a 1.0 header is Latin-1 and fine.
    let mut b1 = npy(1, &hdr("[('xx', '<i4')]", "False", "(1,)"), 4);
    let pos = b1.windows(2).position(|w| w == b"xx").unwrap();
    b1[pos] = 0xE9;
    let f = shared_limits(|| NpyFile::from_bytes(b1)).unwrap();
    assert_eq!(f.header().dtype.descr(), "[('\u{e9}x', '<i4')]");
}
