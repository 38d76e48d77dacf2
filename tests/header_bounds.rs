//! Large and hostile headers: a record of 100,000 fields from NumPy reads
//! correctly; repeated names are still refused; shapes of more than 64
//! dimensions are refused early; the memory a header costs is bounded by a
//! multiple of its length (docs/SECURITY.md); bombs that used to abort get
//! their error status under an address-space limit. No timing assertions:
//! `cargo bench --bench header` measures time.

use npyio_test_support as common;
use npyio_test_support::npy_file as npy;

use npyio::npz::NpzFile;
use npyio::{NpyFile, Status};
use std::ffi::CString;
use std::path::{Path, PathBuf};

#[global_allocator]
static A: common::Peak = common::Peak;

/// The bound docs/SECURITY.md states: opening a .npy allocates at most this
/// many times its header length (plus a little), at the peak, counting the
/// header's own buffer.
const MEMORY_MULTIPLE: usize = 20;
/// What every open may allocate besides (buffers of fixed size).
const SLACK: usize = 64 << 10;

fn hdr(descr: &str, shape: &str) -> String {
    format!("{{'descr': {descr}, 'fortran_order': False, 'shape': {shape}, }}")
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Open `path`; it must fail with `status` and a message naming the file
/// and containing every needle. Returns the message.
fn refused(path: &Path, status: Status, needles: &[&str]) -> String {
    let e = NpyFile::open(path).expect_err("must be refused");
    assert_eq!(e.status(), status, "{e}");
    let m = e.message().to_string();
    assert!(m.contains(&path.display().to_string()), "no file name: {m}");
    for n in needles {
        assert!(m.contains(n), "message lacks {n:?}: {m}");
    }
    m
}

#[test]
fn numpy_record_of_100k_fields() {
    let dir = common::scratch("hb_100k");
    let path = dir.join("f100k.npy");
    let out = common::run_python(&[
        "-c",
        r#"
import sys, json, warnings, numpy as np
warnings.simplefilter('ignore')
n = 100000
dt = np.dtype([('f%d' % i, ('<i4', '>f8', '|u1')[i % 3]) for i in range(n)])
a = np.zeros(2, dt)
for i in (0, 1, 2, n - 1):
    a['f%d' % i] = [i + 1, i + 2]
np.save(sys.argv[1], a)
b = open(sys.argv[1], 'rb').read(8)
print(json.dumps({'version': [b[6], b[7]], 'itemsize': dt.itemsize,
                  'offsets': [dt.fields[k][1] for k in dt.names]}))
"#,
        path.to_str().unwrap(),
    ]);
    let want: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(
        want["version"],
        serde_json::json!([2, 0]),
        "NumPy wrote 2.0"
    );
    let f = NpyFile::open(&path).unwrap();
    let h = f.header();
    assert_eq!(h.version, (2, 0));
    assert_eq!(h.shape, [2]);
    assert_eq!(
        h.dtype.itemsize() as u64,
        want["itemsize"].as_u64().unwrap()
    );
    let npyio::dtype::Layout::Record(fields) = h.dtype.layout() else {
        panic!("not a record");
    };
    let offsets = want["offsets"].as_array().unwrap();
    assert_eq!(fields.len(), 100_000);
    for (i, (f, o)) in fields.iter().zip(offsets).enumerate() {
        assert_eq!(f.name, format!("f{i}"));
        assert_eq!(f.offset as u64, o.as_u64().unwrap(), "offset of f{i}");
    }
    // The header we would write is byte for byte NumPy's.
    let file = std::fs::read(&path).unwrap();
    let ours = npyio::header::header_bytes(&h.dtype, &h.shape, false).unwrap();
    assert_eq!(ours.len() as u64, h.data_offset);
    assert!(ours == file[..ours.len()], "header differs from np.save's");
    // The data reads as stored, and in native order.
    let mut raw = vec![0u8; f.nbytes() as usize];
    f.read_into(&mut raw, 0).unwrap();
    assert!(raw == file[ours.len()..], "data differs");
    f.read_into(&mut raw, npyio::READ_NATIVE).unwrap();
    let item = h.dtype.itemsize();
    let field = |row: usize, i: usize| &raw[row * item + fields[i].offset..];
    // Field i is '<i4', '>f8' or '|u1' as i % 3; f0, f1, f2, f99999 hold [i + 1, i + 2].
    let i4 = |row, i| i32::from_ne_bytes(field(row, i)[..4].try_into().unwrap());
    let f8 = |row, i| f64::from_ne_bytes(field(row, i)[..8].try_into().unwrap());
    assert_eq!((i4(0, 0), i4(1, 0)), (1, 2));
    assert_eq!((f8(0, 1), f8(1, 1)), (2.0, 3.0));
    assert_eq!((field(0, 2)[0], field(1, 2)[0]), (3, 4));
    assert_eq!((i4(0, 99999), i4(1, 99999)), (100000, 100001));
    assert_eq!((i4(1, 3), f8(1, 4)), (0, 0.0));
}

#[test]
fn repeated_names_refused_among_many() {
    let dir = common::scratch("hb_dups");
    let many = |last: &str| {
        let mut d: Vec<String> = (0..100_000).map(|i| format!("('f{i}', '|i1')")).collect();
        d.push(last.to_string());
        format!("[{}]", d.join(", "))
    };
    // The last of 100,001 fields repeats the first.
    let p = write(
        &dir,
        "dup.npy",
        &npy(2, &hdr(&many("('f0', '<f8')"), "()"), 0),
    );
    refused(&p, Status::BadDtype, &["field name 'f0' appears twice"]);
    // A title repeats another field's name; a name repeats another field's title.
    let p = write(
        &dir,
        "title.npy",
        &npy(2, &hdr(&many("(('f7', 'z'), '<f8')"), "()"), 0),
    );
    refused(&p, Status::BadDtype, &["field name 'z' appears twice"]);
    let d = "[(('t', 'a'), '|i1'), ('b', '|i1'), ('t', '|i1')]";
    let p = write(&dir, "name_title.npy", &npy(1, &hdr(d, "()"), 0));
    refused(&p, Status::BadDtype, &["field name 't' appears twice"]);
    // A title equal to its own field's name (NumPy: "title already used").
    let p = write(
        &dir,
        "own.npy",
        &npy(1, &hdr("[(('a', 'a'), '|i1')]", "()"), 0),
    );
    refused(&p, Status::BadDtype, &["field name 'a' appears twice"]);
    // A field named '' keeps that name when a header is read (NumPy's
    // descr_to_dtype; np.dtype's list form would call it f1): no clash.
    let d = "[('f1', '|i1'), ('', '|i1')]";
    let p = write(&dir, "unnamed.npy", &npy(1, &hdr(d, "()"), 2));
    NpyFile::open(&p).unwrap();
    // The first repeat is reported, as NumPy checks names in order, even
    // when a later field is bad too.
    let d = "[('a', '|i1'), ('b', '|i1'), ('a', '|i1'), ('b', '|i1'), ('c', '<q9')]";
    let p = write(&dir, "first.npy", &npy(1, &hdr(d, "()"), 0));
    refused(&p, Status::BadDtype, &["field name 'a' appears twice"]);
    // NumPy agrees that each of these is an error.
    for (descr, needle) in [
        ("[('a', 'i1'), ('a', 'i1')]", "occurs more than once"),
        ("[(('a', 'a'), 'i1')]", "title already used"),
    ] {
        let code = format!(
            "import numpy as np\ntry:\n    np.dtype({descr})\nexcept ValueError as e:\n    print(e)\n"
        );
        let out = common::run_python(&["-c", &code]);
        assert!(out.contains(needle), "{descr}: NumPy says {out:?}");
    }
}

#[test]
fn too_many_dimensions_refused_early() {
    let dir = common::scratch("hb_ndim");
    // 65 dimensions in the form np.save writes (the fast path's form).
    let dims65 = format!("({})", vec!["1"; 65].join(", "));
    let p = write(&dir, "d65.npy", &npy(1, &hdr("'<f8'", &dims65), 8));
    refused(
        &p,
        Status::BadHeader,
        &["'shape' has 65 dimensions, more than NumPy's maximum of 64"],
    );
    // 64 is fine.
    let dims64 = format!("({})", vec!["1"; 64].join(", "));
    let p = write(&dir, "d64.npy", &npy(1, &hdr("'<f8'", &dims64), 8));
    assert_eq!(NpyFile::open(&p).unwrap().header().shape.len(), 64);
    // A million zero dimensions cost nothing beyond the header's bytes.
    let zeros = format!("({})", "0,".repeat(1 << 20));
    let bytes = npy(2, &hdr("'<f8'", &zeros), 0);
    let p = write(&dir, "d1m.npy", &bytes);
    common::reset_peak();
    refused(&p, Status::BadHeader, &["'shape' has 1048576 dimensions"]);
    let peak = common::peak_live();
    assert!(
        peak <= bytes.len() + SLACK,
        "{peak} bytes for a {}-byte header",
        bytes.len()
    );
    // A subarray shape is limited the same way (NumPy: "invalid shape").
    let sub = format!("[('x', '|i1', ({}))]", "1, ".repeat(65));
    let p = write(&dir, "sub65.npy", &npy(1, &hdr(&sub, "()"), 1));
    refused(
        &p,
        Status::BadDtype,
        &["subarray shape has 65 dimensions, more than NumPy's maximum of 64"],
    );
}

/// Hostile headers of about `len` bytes, each with what opening it must
/// give (None: it opens).
fn hostile(len: usize) -> Vec<(&'static str, u8, String, Option<Status>)> {
    let fill = |unit: &str| unit.repeat(len / unit.len());
    let numbered = |f: &dyn Fn(usize) -> String| {
        let mut s = String::new();
        let mut i = 0;
        while s.len() < len {
            s.push_str(&f(i));
            i += 1;
        }
        s
    };
    vec![
        (
            "zero dims",
            2,
            hdr("'<f8'", &format!("({})", fill("0,"))),
            Some(Status::BadHeader),
        ),
        (
            "unknown key first",
            2,
            format!("{{'x': [{}], {}", fill("0,"), &hdr("'<f8'", "()")[1..]),
            Some(Status::BadHeader),
        ),
        (
            "not a dict",
            2,
            format!("[{}]", fill("[],")),
            Some(Status::BadHeader),
        ),
        (
            "a set",
            2,
            format!("{{{}}}", fill("'',")),
            Some(Status::BadHeader),
        ),
        (
            "repeated descr keys",
            2,
            format!(
                "{{{} 'fortran_order': False, 'shape': ()}}",
                fill("'descr': [('a','b')],")
            ),
            Some(Status::Truncated),
        ),
        (
            "named fields",
            2,
            hdr(
                &format!("[{}]", numbered(&|i| format!("('{i:x}','b'),"))),
                "(0,)",
            ),
            None,
        ),
        (
            // Fields named '': the name repeats (NumPy refuses it too).
            "unnamed fields",
            2,
            hdr(&format!("[{}]", fill("('','b'),")), "(0,)"),
            Some(Status::BadDtype),
        ),
        (
            // Nameless void fields: all padding.
            "padding fields",
            2,
            hdr(&format!("[{}]", fill("('','V1'),")), "(0,)"),
            None,
        ),
        (
            "titled fields",
            2,
            hdr(
                &format!("[{}]", numbered(&|i| format!("(('{i:x}','n{i:x}'),'b'),"))),
                "(0,)",
            ),
            None,
        ),
        (
            "nested records",
            2,
            hdr(
                &format!("[{}]", numbered(&|i| format!("('{i:x}',[('','b')]),"))),
                "(0,)",
            ),
            None,
        ),
        (
            "deeply nested records",
            2,
            hdr(
                &format!(
                    "[{}]",
                    numbered(&|i| format!(
                        "('{i:x}',{}'b'{}),",
                        "[('',".repeat(30),
                        ")]".repeat(30)
                    ))
                ),
                "(0,)",
            ),
            None,
        ),
        (
            "subarray fields",
            2,
            hdr(&format!("[{}]", fill("('','b',1),")), "(0,)"),
            None,
        ),
        (
            "grouping parentheses",
            2,
            hdr(
                &format!("[{}]", numbered(&|i| format!("((('{i:x}','b'))),"))),
                "(0,)",
            ),
            None,
        ),
        (
            "one long name",
            2,
            hdr(&format!("[('{}','b')]", fill("x")), "(0,)"),
            None,
        ),
        (
            "one long name, data missing",
            2,
            hdr(&format!("[('{}','b')]", fill("x")), "()"),
            Some(Status::Truncated),
        ),
        (
            "one long unknown type string",
            2,
            hdr(&format!("[('x','{}')]", fill("q")), "(0,)"),
            Some(Status::BadDtype),
        ),
        (
            "one long name, twice",
            2,
            hdr(&format!("[('{0}','b'), ('{0}','b')]", fill("x")), "(0,)"),
            Some(Status::BadDtype),
        ),
        (
            "one long Latin-1 name",
            2,
            hdr(&format!("[('{}','b')]", fill("\u{e9}")), "(0,)"),
            None,
        ),
        (
            "one long escaped name",
            3,
            hdr(
                &format!("[('{}','b')]", fill("\\N{LATIN SMALL LETTER A}")),
                "(0,)",
            ),
            None,
        ),
        (
            "a huge integer",
            2,
            hdr("'<f8'", &format!("({},)", fill("9"))),
            Some(Status::Overflow),
        ),
    ]
}

/// Every hostile header costs at most MEMORY_MULTIPLE times its length at
/// the peak, whether it opens or not, through a path and from memory.
#[test]
fn memory_bounded_by_header_length() {
    let dir = common::scratch("hb_memory");
    let mut worst = (0.0f64, "");
    for (name, version, text, want) in hostile(1 << 20) {
        let mut bytes = npy(version, &text, 0);
        if version < 3 {
            // Latin-1 on disk.
            let t = String::from_utf8(bytes[12..].to_vec()).unwrap();
            bytes.truncate(12);
            bytes.extend(t.chars().map(|c| c as u32 as u8));
            let hl = (bytes.len() - 12) as u32;
            bytes[8..12].copy_from_slice(&hl.to_le_bytes());
        }
        let hl = bytes.len() - 12;
        let path = write(&dir, "h.npy", &bytes);
        common::reset_peak();
        let r = NpyFile::open(&path);
        let peak = common::peak_live();
        match (&r, want) {
            (Ok(_), None) => {}
            (Err(e), Some(s)) => {
                assert_eq!(e.status(), s, "{name}: {e}");
                let n = e.message().chars().count();
                assert!(n < 600, "{name}: a message of {n} characters");
            }
            (r, want) => panic!("{name}: wanted {want:?}, got {r:?}"),
        }
        drop(r);
        let ratio = peak as f64 / hl as f64;
        eprintln!("{name}: header {hl} bytes, peak {peak} bytes ({ratio:.2}x)");
        assert!(
            peak <= MEMORY_MULTIPLE * hl + SLACK,
            "{name}: {peak} bytes at the peak for a {hl}-byte header"
        );
        if ratio > worst.0 {
            worst = (ratio, name);
        }
        // From memory: the same bound (the file's bytes are the caller's).
        common::reset_peak();
        let r = NpyFile::from_bytes(bytes);
        let peak = common::peak_live();
        assert_eq!(r.is_ok(), want.is_none(), "{name} from memory");
        assert!(
            peak <= MEMORY_MULTIPLE * hl + SLACK,
            "{name}: {peak} from memory"
        );
    }
    eprintln!("worst: {:.2}x ({})", worst.0, worst.1);
}

/// An .npz whose member is a header bomb: `(0, 0, ...)` with millions of
/// dimensions, deflated to a few KB.
fn npz_with_member(dir: &Path, name: &str, member: &[u8]) -> PathBuf {
    let npy_path = write(dir, &format!("{name}.member"), member);
    let zip_path = dir.join(name);
    common::run_python(&[
        "-c",
        "import sys, zipfile\n\
         with zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED) as z:\n    \
             z.write(sys.argv[1], 'x.npy')\n",
        npy_path.to_str().unwrap(),
        zip_path.to_str().unwrap(),
    ]);
    zip_path
}

#[test]
fn npz_member_with_huge_shape() {
    let dir = common::scratch("hb_npz");
    let member = npy(2, &hdr("'<f8'", &format!("({})", "0,".repeat(1 << 20))), 0);
    let zip = npz_with_member(&dir, "bomb.npz", &member);
    assert!(std::fs::metadata(&zip).unwrap().len() < 64 << 10);
    let z = NpzFile::open(&zip).unwrap();
    common::reset_peak();
    let e = z.open_member("x").unwrap_err();
    let peak = common::peak_live();
    assert_eq!(e.status(), Status::BadHeader, "{e}");
    for n in [
        zip.display().to_string().as_str(),
        "'x.npy'",
        "'shape' has 1048576 dimensions, more than NumPy's maximum of 64",
    ] {
        assert!(e.message().contains(n), "lacks {n:?}: {e}");
    }
    // The inflated header and the inflater's buffers, nothing per dimension.
    assert!(
        peak <= member.len() + (2 << 20),
        "{peak} bytes for a {}-byte member",
        member.len()
    );
}

/// Run this test binary's `child_under_rlimit` in a child process with
/// `spec` and `path`; returns its `status=... message=...` line.
fn run_child(spec: &str, path: &Path) -> String {
    let out = common::test_in_child("child_under_rlimit")
        .arg("--ignored")
        .env("NPYIO_RLIMIT_CHILD", spec)
        .env("NPYIO_RLIMIT_PATH", path)
        // One malloc arena: the address space the child needs is predictable.
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .unwrap();
    common::child_result(&out).unwrap_or_else(|e| panic!("child ({spec}): {e}"))
}

/// The header bombs that aborted under a 250 MB address-space limit give
/// their error status and message instead; a header whose parse needs more
/// memory than there is gives NPYIO_ERR_ALLOC.
#[test]
fn bombs_under_address_space_limit() {
    let dir = common::scratch("hb_rlimit");
    // (0, 0, ...) with 8 million dimensions: a 16 MiB header.
    let zeros = "0,".repeat(((16 << 20) - 100) / 2);
    let bomb = npy(2, &hdr("'<f8'", &format!("({zeros})")), 0);
    assert!(bomb.len() <= (16 << 20) + 12);
    let npy_path = write(&dir, "bomb.npy", &bomb);
    let npz_path = npz_with_member(&dir, "bomb.npz", &bomb);
    let limit = 250 << 20;
    let line = run_child(&format!("npy:abs:{limit}"), &npy_path);
    assert!(line.contains("status=-6 "), "{line}");
    assert!(
        line.contains("dimensions, more than NumPy's maximum of 64") && line.contains("bomb.npy"),
        "{line}"
    );
    let line = run_child(&format!("npz:abs:{limit}"), &npz_path);
    assert!(line.contains("status=-6 "), "{line}");
    assert!(
        line.contains("dimensions, more than NumPy's maximum of 64")
            && line.contains("bomb.npz")
            && line.contains("'x.npy'"),
        "{line}"
    );
    // A 16 MiB field name with only 24 MiB of address space to spare: the
    // header buffer fits, the name does not.
    let long = npy(
        2,
        &hdr(
            &format!("[('{}', '<f8')]", "x".repeat((16 << 20) - 100)),
            "()",
        ),
        8,
    );
    let long_path = write(&dir, "longname.npy", &long);
    let line = run_child(&format!("npy:rel:{}", 24 << 20), &long_path);
    assert!(line.contains("status=-16 "), "{line}");
    assert!(
        line.contains("out of memory while reading") && line.contains("longname.npy"),
        "{line}"
    );
}

/// The address space this process has mapped, from /proc/self/status.
fn vm_size() -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap();
    let kb: u64 = s
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb << 10
}

/// Not a test of its own: `bombs_under_address_space_limit` runs it in a
/// child process, which limits its address space and opens a file through
/// the C API (`NPYIO_RLIMIT_CHILD` = `npy|npz` `:` `abs|rel` `:` bytes).
#[test]
#[ignore = "run in a child process by bombs_under_address_space_limit"]
fn child_under_rlimit() {
    use npyio::ffi::{npy, npyio_last_error, npz};
    let Ok(spec) = std::env::var("NPYIO_RLIMIT_CHILD") else {
        eprintln!("nothing to do: bombs_under_address_space_limit runs this");
        return;
    };
    let path = std::env::var("NPYIO_RLIMIT_PATH").unwrap();
    let parts: Vec<&str> = spec.split(':').collect();
    let n: u64 = parts[2].parse().unwrap();
    let limit = if parts[1] == "rel" { vm_size() + n } else { n };
    common::limit_address_space(limit);
    let cpath = CString::new(path).unwrap();
    let mut f: *mut npy::npy_file = std::ptr::null_mut();
    // SAFETY: valid C strings and out-pointers; handles closed below.
    let status = unsafe {
        if parts[0] == "npz" {
            let mut z: *mut npz::npz_file = std::ptr::null_mut();
            let s = npz::npz_open(cpath.as_ptr(), &mut z);
            if s != 0 {
                s
            } else {
                let s = npz::npz_open_member(z, c"x".as_ptr(), &mut f);
                npz::npz_close(z);
                s
            }
        } else {
            npy::npy_open(cpath.as_ptr(), &mut f)
        }
    };
    let mut buf = vec![0u8; 4096];
    // SAFETY: buf holds 4096 writable bytes.
    let n = unsafe { npyio_last_error(buf.as_mut_ptr().cast(), buf.len()) };
    let msg = String::from_utf8_lossy(&buf[..n.min(buf.len() - 1)]);
    // SAFETY: NULL or a handle from a successful open.
    unsafe { npy::npy_close(f) };
    println!("RESULT status={status} message={msg}");
}
