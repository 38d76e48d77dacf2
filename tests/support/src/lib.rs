//! What the library's integration tests and benchmarks and the CLI's tests share: where the
//! repository and the scratch directories are, the NumPy oracle (a python3 with NumPy), the
//! per-thread allocation tracker, hand-made `.npy` bytes and the `npyio` binary.
//!
//! A test file imports it under the name it used to give its helpers:
//! `use npyio_test_support as common;`, then `common::scratch("name")`,
//! `common::run_python(&[...])`. Benchmarks use [`bench`].
//!
//! Everything here panics on failure, with a message that says what failed: these are test
//! helpers, and a failing helper is a failing test (the oracle tests never skip).

mod alloc;
pub mod bench;
mod child;
mod cli;
mod paths;
mod python;

pub use alloc::{peak, peak_live, reset_peak, Peak};
pub use child::{child_result, limit_address_space, test_in_child};
pub use cli::{npyio, npyio_exe, npyio_ok, stderr};
pub use paths::{root, scratch, target_dir, temp_files};
pub use python::{numpy_verifies, py, python, run_python, run_script};

/// Fails with every collected failure listed, if there is any: for tests that check many cases
/// and report all that fail rather than the first. `checked` is how many checks ran.
pub fn assert_none_failed(failures: &[String], checked: usize) {
    assert!(
        failures.is_empty(),
        "{} of {checked} checks failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The bytes of a `.npy` file of format `version` (1, 2 or 3) with this header text, padded
/// with spaces and a newline to a multiple of 64 bytes as NumPy pads it, followed by
/// `data_len` zero bytes of data. The text is not checked: hostile headers are the point.
pub fn npy_file(version: u8, text: &str, data_len: usize) -> Vec<u8> {
    let prefix = if version == 1 { 10 } else { 12 };
    let mut h = text.as_bytes().to_vec();
    while (prefix + h.len() + 1) % 64 != 0 {
        h.push(b' ');
    }
    h.push(b'\n');
    let mut out = b"\x93NUMPY".to_vec();
    out.extend_from_slice(&[version, 0]);
    if version == 1 {
        out.extend_from_slice(&(h.len() as u16).to_le_bytes());
    } else {
        out.extend_from_slice(&(h.len() as u32).to_le_bytes());
    }
    out.extend_from_slice(&h);
    out.resize(out.len() + data_len, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npy_file_pads_as_numpy() {
        for (version, prefix) in [(1u8, 10usize), (2, 12), (3, 12)] {
            let b = npy_file(
                version,
                "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                8,
            );
            let hl = b.len() - 8 - prefix;
            assert_eq!((prefix + hl) % 64, 0);
            assert_eq!(&b[..8], &[0x93, b'N', b'U', b'M', b'P', b'Y', version, 0]);
            assert_eq!(b[prefix + hl - 1], b'\n');
            let stored = if version == 1 {
                u16::from_le_bytes([b[8], b[9]]) as usize
            } else {
                u32::from_le_bytes(b[8..12].try_into().unwrap()) as usize
            };
            assert_eq!(stored, hl);
            assert!(b[prefix + hl..].iter().all(|&x| x == 0));
        }
    }

    #[test]
    fn root_holds_the_library() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("src/lib.rs").is_file());
    }

    #[test]
    fn scratch_is_fresh_and_inside_the_target_dir() {
        let d = scratch("support_self_test");
        std::fs::write(d.join("x"), b"1").unwrap();
        let again = scratch("support_self_test");
        assert_eq!(d, again);
        assert!(std::fs::read_dir(&again).unwrap().next().is_none());
        assert!(d.starts_with(target_dir().join("tmp")));
    }
}
