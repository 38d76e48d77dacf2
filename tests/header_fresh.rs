//! The checked-in include/npyio.h must be exactly what the pinned cbindgen
//! generates from the sources. `NPYIO_BLESS=1` rewrites it.

use std::path::Path;

#[test]
fn header_is_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut generated = Vec::new();
    cbindgen::Builder::new()
        .with_crate(root)
        .with_config(config)
        .generate()
        .expect("cbindgen failed")
        .write(&mut generated);
    let path = root.join("include/npyio.h");
    if std::env::var_os("NPYIO_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let current = std::fs::read(&path).unwrap_or_default();
    assert!(
        current == generated,
        "include/npyio.h is stale: run `NPYIO_BLESS=1 cargo test --test header_fresh` and commit it"
    );
}

#[test]
fn version_macros_match_cargo() {
    let h = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/npyio.h"))
        .unwrap();
    let get = |name: &str| -> String {
        h.lines()
            .find_map(|l| l.strip_prefix(&format!("#define {name} ")))
            .unwrap_or_else(|| panic!("{name} missing"))
            .trim()
            .to_string()
    };
    assert_eq!(get("NPYIO_VERSION_MAJOR"), env!("CARGO_PKG_VERSION_MAJOR"));
    assert_eq!(get("NPYIO_VERSION_MINOR"), env!("CARGO_PKG_VERSION_MINOR"));
    assert_eq!(get("NPYIO_VERSION_PATCH"), env!("CARGO_PKG_VERSION_PATCH"));
}

#[test]
fn header_names_use_the_three_prefixes() {
    let h = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("include/npyio.h"))
        .unwrap();
    let ok = |name: &str| {
        ["npy_", "npz_", "npyio_", "NPYIO_", "NPY_MMAP_"]
            .iter()
            .any(|p| name.starts_with(p))
    };
    for line in h.lines() {
        let name = if let Some(rest) = line.strip_prefix("#define ") {
            rest.split_whitespace().next().unwrap_or("")
        } else if let Some(rest) = line.strip_prefix("typedef ") {
            if rest.ends_with('{') {
                continue; // `typedef struct {` ... `} name;`: the name comes below
            }
            rest.trim_end_matches(';')
                .split_whitespace()
                .last()
                .unwrap_or("")
        } else if let Some(rest) = line.strip_prefix("} ").filter(|r| r.ends_with(';')) {
            rest.trim_end_matches(';').trim()
        } else {
            continue;
        };
        assert!(
            ok(name) || name == "NPYIO_H",
            "header defines {name:?} without an npy_/npz_/npyio_ prefix"
        );
    }
}
