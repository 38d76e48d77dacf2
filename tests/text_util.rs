//! Helpers shared by the text tests (included with `#[path]`; no tests of its own).
#![allow(dead_code)]

use npyio::NpyFile;

/// Same dtype, shape and bytes.
pub fn same(ours: &NpyFile, theirs: &NpyFile) -> Result<(), String> {
    let (a, b) = (ours.header(), theirs.header());
    if a.dtype.descr() != b.dtype.descr() || a.shape != b.shape {
        return Err(format!(
            "ours {} {:?}, numpy {} {:?}",
            a.dtype.descr(),
            a.shape,
            b.dtype.descr(),
            b.shape
        ));
    }
    let mut x = vec![0u8; ours.nbytes() as usize];
    let mut y = vec![0u8; theirs.nbytes() as usize];
    ours.read_into(&mut x, 0).unwrap();
    theirs.read_into(&mut y, 0).unwrap();
    if x != y {
        let i = x.iter().zip(&y).position(|(p, q)| p != q).unwrap_or(0);
        return Err(format!("data differs at byte {i} of {}", x.len()));
    }
    Ok(())
}
