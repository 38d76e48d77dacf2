//! The small Rust-API functions behind C conveniences: zlib's level
//! convention, zip method numbers, and savetxt of an open array.

mod common;

use npyio::npz::{Compression, NpzWriterOptions};
use npyio::text::{savetxt, savetxt_array, SavetxtOptions};
use npyio::{DType, NpyFile, SaveOptions, Status};

#[test]
fn zlib_levels() {
    assert_eq!(NpzWriterOptions::zlib_level(-1).unwrap(), 6);
    for l in 0..=9 {
        assert_eq!(NpzWriterOptions::zlib_level(l).unwrap(), l as u32);
    }
    for l in [-2, 10, i32::MIN, i32::MAX] {
        let e = NpzWriterOptions::zlib_level(l).unwrap_err();
        assert_eq!(e.status(), Status::InvalidArg);
        assert!(
            e.message().contains(&format!("compression level {l}")),
            "{e}"
        );
    }
    for c in [Compression::Stored, Compression::Deflate] {
        assert_eq!(Compression::from_method(c.method()), Some(c));
    }
    assert_eq!(Compression::Deflate.method(), 8);
    assert_eq!(Compression::from_method(12), None);
}

/// `savetxt_array` writes what `savetxt` writes for the array's C-order
/// data, whether the array is in memory in C order (formatted in place) or
/// must be read (a file on disk, Fortran order).
#[test]
fn savetxt_of_open_arrays() {
    let dir = common::scratch("rust_api_savetxt");
    let dt = DType::parse("<i4").unwrap();
    // 2 x 3, C order: 0 1 2 / 3 4 5; the same array in Fortran order.
    let c: Vec<u8> = (0..6i32).flat_map(|v| v.to_le_bytes()).collect();
    let f: Vec<u8> = [0, 3, 1, 4, 2, 5i32]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let opts = SavetxtOptions {
        fmt: npyio::text::Fmt::One("%d".into()),
        ..SavetxtOptions::default()
    };
    let want = dir.join("want.txt");
    savetxt(&want, &dt, &[2, 3], &c, &opts).unwrap();
    let want = std::fs::read(&want).unwrap();
    assert_eq!(want, b"0 1 2\n3 4 5\n");
    for (name, data, fortran) in [("c", &c, false), ("f", &f, true)] {
        let npy = dir.join(format!("{name}.npy"));
        npyio::save(&npy, &dt, &[2, 3], fortran, data, SaveOptions::default()).unwrap();
        let on_disk = NpyFile::open(&npy).unwrap();
        let in_memory = NpyFile::from_bytes(std::fs::read(&npy).unwrap()).unwrap();
        assert!(in_memory.data().is_some());
        for (how, a) in [("disk", on_disk), ("memory", in_memory)] {
            let out = dir.join(format!("{name}-{how}.txt"));
            savetxt_array(&out, &a, &opts).unwrap();
            assert_eq!(std::fs::read(&out).unwrap(), want, "{name} {how}");
        }
    }
    // Errors name the file, as savetxt's do.
    let a = NpyFile::open(dir.join("c.npy")).unwrap();
    let bad = SavetxtOptions {
        fmt: npyio::text::Fmt::One("%d %d".into()),
        ..SavetxtOptions::default()
    };
    let e = savetxt_array(dir.join("bad.txt"), &a, &bad).unwrap_err();
    assert_eq!(e.status(), Status::InvalidArg, "{e}");
    assert!(e.message().contains("bad.txt"), "{e}");
}
