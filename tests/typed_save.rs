//! `npy_save_typed` and `npz_writer_add_typed`: for every element type and
//! several shapes (0-d, empty, 1-d to 4-d), the .npy file is byte-identical
//! to `np.save` of the same array, and archive members are byte-identical to
//! it as well, stored (`np.savez`) or deflated (`np.savez_compressed`), which
//! NumPy loads equal. Bad arguments each get their status and a message
//! naming the problem; a failed save leaves an existing file untouched.

use npyio_test_support as common;

use npyio::ffi::npz_write::*;
use npyio::ffi::*;
use npyio::ffi::{npy_write::npy_save_typed, NPYIO_NPZ_COMPRESSED};
use npyio::Type;
use std::ffi::CString;
use std::path::Path;

const SHAPES: &[&[u64]] = &[&[], &[0], &[5], &[2, 3], &[2, 0, 3], &[1, 2, 1, 4]];

fn c(p: &Path) -> CString {
    CString::new(p.as_os_str().as_encoded_bytes()).unwrap()
}

/// Deterministic element bytes for `n` items of `t` (bool: 0 or 1; the
/// other types any bits, NaN payloads included).
fn data(t: Type, n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..n * t.itemsize())
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if t == Type::Bool {
                (x & 1) as u8
            } else {
                x as u8
            }
        })
        .collect()
}

fn last_error() -> String {
    let mut buf = [0u8; 1024];
    // SAFETY: buf holds 1024 writable bytes.
    let n = unsafe { npyio_last_error(buf.as_mut_ptr().cast(), buf.len()) };
    String::from_utf8_lossy(&buf[..n.min(buf.len() - 1)]).into_owned()
}

#[test]
fn typed_saves_are_byte_identical_to_numpy() {
    let dir = common::scratch("typed_save");
    let mut cases = Vec::new();
    let stored = dir.join("stored.npz");
    let deflated = dir.join("deflated.npz");
    let (sp, dp) = (c(&stored), c(&deflated));
    let mut ws: *mut npz_writer = std::ptr::null_mut();
    let mut wd: *mut npz_writer = std::ptr::null_mut();
    // SAFETY: valid paths and out-pointers.
    unsafe {
        assert_eq!(npz_writer_open(sp.as_ptr(), &mut ws), NPYIO_OK);
        assert_eq!(
            npz_writer_open_ex(dp.as_ptr(), NPYIO_NPZ_COMPRESSED, -1, &mut wd),
            NPYIO_OK
        );
    }
    for (ti, &t) in Type::ALL.iter().enumerate() {
        for (si, shape) in SHAPES.iter().enumerate() {
            let n: u64 = shape.iter().product();
            let bytes = data(t, n as usize, (ti * 100 + si) as u64 + 1);
            let name = format!("{t}_{si}");
            let raw = dir.join(format!("{name}.raw"));
            std::fs::write(&raw, &bytes).unwrap();
            let out = dir.join(format!("{name}.npy"));
            let key = CString::new(name.clone()).unwrap();
            let shape_ptr = if shape.is_empty() {
                std::ptr::null()
            } else {
                shape.as_ptr()
            };
            // SAFETY: `bytes` holds the array; shape has ndim values (or is
            // NULL for ndim 0); the writers are open.
            unsafe {
                let st = npy_save_typed(
                    c(&out).as_ptr(),
                    t.code(),
                    shape.len(),
                    shape_ptr,
                    bytes.as_ptr().cast(),
                    bytes.len(),
                );
                assert_eq!(st, NPYIO_OK, "{name}: {}", last_error());
                for w in [ws, wd] {
                    let st = npz_writer_add_typed(
                        w,
                        key.as_ptr(),
                        t.code(),
                        shape.len(),
                        shape_ptr,
                        bytes.as_ptr().cast(),
                        bytes.len(),
                    );
                    assert_eq!(st, NPYIO_OK, "{name}: {}", last_error());
                }
            }
            cases.push(format!(
                "('{name}', '{}', {:?})",
                t.name(),
                shape.iter().map(|d| *d as i64).collect::<Vec<_>>()
            ));
        }
    }
    // SAFETY: the writers are open; finish frees them.
    unsafe {
        assert_eq!(npz_writer_finish(ws), NPYIO_OK, "{}", last_error());
        assert_eq!(npz_writer_finish(wd), NPYIO_OK, "{}", last_error());
    }
    let script = format!(
        r#"
import io, zipfile, numpy as np
cases = [{cases}]
ok = 0
zs, zd = zipfile.ZipFile('stored.npz'), zipfile.ZipFile('deflated.npz')
with np.load('stored.npz', allow_pickle=False) as S, np.load('deflated.npz', allow_pickle=False) as D:
    for name, t, shape in cases:
        a = np.frombuffer(open(name + '.raw', 'rb').read(), dtype=np.dtype(t)).reshape(shape)
        buf = io.BytesIO()
        np.save(buf, a)
        want = buf.getvalue()
        got = open(name + '.npy', 'rb').read()
        assert got == want, (name, got[:128], want[:128])
        for z, L, method in ((zs, S, zipfile.ZIP_STORED), (zd, D, zipfile.ZIP_DEFLATED)):
            info = z.getinfo(name + '.npy')
            assert info.compress_type == method, (name, info.compress_type)
            assert z.read(info) == want, name
            m = L[name]
            assert m.dtype == a.dtype and m.shape == a.shape and m.tobytes() == a.tobytes(), name
        ok += 1
assert sorted(zs.namelist()) == sorted(n + '.npy' for n, _, _ in cases)
print(ok, 'passed, 0 failed')
"#,
        cases = cases.join(", ")
    );
    let out = common::py(&dir, &script);
    let n = Type::ALL.len() * SHAPES.len();
    assert!(out.contains(&format!("{n} passed, 0 failed")), "{out}");
}

#[test]
fn typed_save_errors() {
    let dir = common::scratch("typed_save_errors");
    let old = dir.join("old.npy");
    std::fs::write(&old, b"previous contents").unwrap();
    let p = c(&old);
    let v = [1.0f64, 2.0, 3.0];
    let shape = [3u64];
    let save = |ty: i32, ndim: usize, shape: *const u64, data: *const f64, len: usize| {
        // SAFETY: the pointers are NULL or valid for the lengths given.
        unsafe { npy_save_typed(p.as_ptr(), ty, ndim, shape, data.cast(), len) }
    };
    let f8 = Type::Float64.code();
    let ones = [1u64; 65];
    let huge = [1u64 << 40, 1 << 40];
    type Case<'a> = (
        &'a str,
        i32,
        usize,
        *const u64,
        *const f64,
        usize,
        i32,
        &'a str,
    );
    let (sh, vp, null_u, null_f) = (
        shape.as_ptr(),
        v.as_ptr(),
        std::ptr::null(),
        std::ptr::null(),
    );
    let cases: Vec<Case> = vec![
        ("short", f8, 1, sh, vp, 23, NPYIO_ERR_SIZE_MISMATCH, "24"),
        ("long", f8, 1, sh, vp, 16, NPYIO_ERR_SIZE_MISMATCH, "(3,)"),
        (
            "type 0",
            0,
            1,
            sh,
            vp,
            24,
            NPYIO_ERR_INVALID_ARG,
            "type code 0",
        ),
        (
            "type 15",
            15,
            1,
            sh,
            vp,
            24,
            NPYIO_ERR_INVALID_ARG,
            "type code 15",
        ),
        (
            "type -1",
            -1,
            1,
            sh,
            vp,
            24,
            NPYIO_ERR_INVALID_ARG,
            "type code -1",
        ),
        (
            "ndim 65",
            f8,
            65,
            ones.as_ptr(),
            vp,
            8,
            NPYIO_ERR_INVALID_ARG,
            "ndim 65",
        ),
        (
            "NULL shape",
            f8,
            1,
            null_u,
            vp,
            24,
            NPYIO_ERR_NULL_ARG,
            "'shape'",
        ),
        (
            "NULL data",
            f8,
            1,
            sh,
            null_f,
            24,
            NPYIO_ERR_NULL_ARG,
            "'data'",
        ),
        (
            "overflow",
            f8,
            2,
            huge.as_ptr(),
            vp,
            24,
            NPYIO_ERR_OVERFLOW,
            "64 bits",
        ),
    ];
    for (what, ty, ndim, shape, data, len, want, needle) in cases {
        let st = save(ty, ndim, shape, data, len);
        let msg = last_error();
        assert_eq!(st, want, "{what}: {msg}");
        assert!(msg.contains(needle), "{what}: {msg}");
        assert_eq!(std::fs::read(&old).unwrap(), b"previous contents", "{what}");
    }
    assert!(common::temp_files(&dir).is_empty());
    // SAFETY: NULL path is refused before anything else.
    let st = unsafe {
        npy_save_typed(
            std::ptr::null(),
            f8,
            0,
            std::ptr::null(),
            v.as_ptr().cast(),
            8,
        )
    };
    assert_eq!(st, NPYIO_ERR_NULL_ARG);
    assert!(last_error().contains("'path'"));
    // ndim 64 is fine.
    assert_eq!(
        save(f8, 64, [1u64; 64].as_ptr(), v.as_ptr(), 8),
        NPYIO_OK,
        "{}",
        last_error()
    );

    // The archive writer: the same checks, and a failed add adds nothing.
    let z = dir.join("a.npz");
    let zp = c(&z);
    let mut w: *mut npz_writer = std::ptr::null_mut();
    // SAFETY: valid pointers; the writer is finished at the end.
    unsafe {
        assert_eq!(npz_writer_open(zp.as_ptr(), &mut w), NPYIO_OK);
        let k = c"x";
        let add = |w, ty, ndim, shape: *const u64, len| {
            npz_writer_add_typed(w, k.as_ptr(), ty, ndim, shape, v.as_ptr().cast(), len)
        };
        assert_eq!(add(w, f8, 1, shape.as_ptr(), 16), NPYIO_ERR_SIZE_MISMATCH);
        assert!(last_error().contains("'x'"), "{}", last_error());
        assert_eq!(add(w, 99, 1, shape.as_ptr(), 24), NPYIO_ERR_INVALID_ARG);
        assert!(last_error().contains("type code 99"));
        assert_eq!(
            add(w, f8, 65, [1u64; 65].as_ptr(), 8),
            NPYIO_ERR_INVALID_ARG
        );
        assert_eq!(
            add(std::ptr::null_mut(), f8, 1, shape.as_ptr(), 24),
            NPYIO_ERR_NULL_ARG
        );
        let st = npz_writer_add_typed(
            w,
            std::ptr::null(),
            f8,
            0,
            std::ptr::null(),
            v.as_ptr().cast(),
            8,
        );
        assert_eq!(st, NPYIO_ERR_NULL_ARG);
        assert_eq!(
            add(w, f8, 1, shape.as_ptr(), 24),
            NPYIO_OK,
            "{}",
            last_error()
        );
        assert_eq!(
            add(w, f8, 1, shape.as_ptr(), 24),
            NPYIO_ERR_INVALID_ARG,
            "duplicate"
        );
        assert_eq!(npz_writer_finish(w), NPYIO_OK, "{}", last_error());
    }
    let out = common::py(
        &dir,
        "import numpy as np\nz = np.load('a.npz')\nassert z.files == ['x'], z.files\nassert (z['x'] == [1, 2, 3]).all()\nprint('ok')",
    );
    assert!(out.contains("ok"));
}
