//! Strided copies of n-dimensional arrays (Fortran ↔ C order), tiled so that
//! both the source and the destination are walked in cache-sized blocks.

/// Byte strides of a C-order (row-major) array.
pub fn c_strides(shape: &[usize], itemsize: usize) -> Vec<usize> {
    let mut s = vec![0; shape.len()];
    let mut acc = itemsize;
    for k in (0..shape.len()).rev() {
        s[k] = acc;
        acc = acc.saturating_mul(shape[k]);
    }
    s
}

/// Byte strides of a Fortran-order (column-major) array.
pub fn f_strides(shape: &[usize], itemsize: usize) -> Vec<usize> {
    let mut s = vec![0; shape.len()];
    let mut acc = itemsize;
    for k in 0..shape.len() {
        s[k] = acc;
        acc = acc.saturating_mul(shape[k]);
    }
    s
}

/// Tile edge, in items, for the 2-D blocked transpose.
fn tile_for(itemsize: usize) -> usize {
    (2048 / itemsize.max(1)).clamp(4, 64)
}

/// Copy every element of an array with `shape` from `src` to `dst`.
///
/// Element `I` is read at `src_off + Σ I[k]·src_strides[k]` and written at
/// `Σ I[k]·dst_strides[k]` (byte offsets). Panics if either side would be
/// accessed out of bounds (callers compute the strides from checked shapes).
pub fn copy_nd(
    src: &[u8],
    src_off: usize,
    src_strides: &[usize],
    dst: &mut [u8],
    dst_strides: &[usize],
    shape: &[usize],
    itemsize: usize,
) {
    if itemsize == 0 || shape.contains(&0) {
        return;
    }
    // Axes of length 1 do not move anything.
    let keep: Vec<usize> = (0..shape.len()).filter(|&k| shape[k] != 1).collect();
    let shp: Vec<usize> = keep.iter().map(|&k| shape[k]).collect();
    let ss: Vec<usize> = keep.iter().map(|&k| src_strides[k]).collect();
    let ds: Vec<usize> = keep.iter().map(|&k| dst_strides[k]).collect();
    let span = |strides: &[usize]| -> usize {
        shp.iter()
            .zip(strides)
            .map(|(&n, &s)| (n - 1).checked_mul(s).expect("stride overflow"))
            .fold(itemsize, |a, b| a.checked_add(b).expect("stride overflow"))
    };
    assert!(
        src_off
            .checked_add(span(&ss))
            .is_some_and(|e| e <= src.len()),
        "copy_nd: source out of bounds"
    );
    assert!(span(&ds) <= dst.len(), "copy_nd: destination out of bounds");
    let sp = src[src_off..].as_ptr();
    let dp = dst.as_mut_ptr();
    // SAFETY: every offset the kernels touch is below the spans checked above.
    unsafe {
        match itemsize {
            1 => run::<1>(sp, dp, &ss, &ds, &shp, 1),
            2 => run::<2>(sp, dp, &ss, &ds, &shp, 2),
            4 => run::<4>(sp, dp, &ss, &ds, &shp, 4),
            8 => run::<8>(sp, dp, &ss, &ds, &shp, 8),
            16 => run::<16>(sp, dp, &ss, &ds, &shp, 16),
            n => run::<0>(sp, dp, &ss, &ds, &shp, n),
        }
    }
}

#[inline(always)]
unsafe fn item<const N: usize>(s: *const u8, d: *mut u8, n: usize) {
    if N == 0 {
        std::ptr::copy_nonoverlapping(s, d, n);
    } else {
        std::ptr::copy_nonoverlapping(s, d, N);
    }
}

unsafe fn run<const N: usize>(
    sp: *const u8,
    dp: *mut u8,
    ss: &[usize],
    ds: &[usize],
    shape: &[usize],
    isz: usize,
) {
    if shape.is_empty() {
        item::<N>(sp, dp, isz);
        return;
    }
    let argmin = |s: &[usize]| (0..s.len()).min_by_key(|&k| s[k]).unwrap_or(0);
    let a = argmin(ds); // fastest axis of the destination
    let b = argmin(ss); // fastest axis of the source
    let outer: Vec<usize> = (0..shape.len()).filter(|&k| k != a && k != b).collect();
    let mut idx = vec![0usize; outer.len()];
    let (mut so, mut dof) = (0usize, 0usize);
    let tile = tile_for(isz);
    loop {
        let s0 = sp.add(so);
        let d0 = dp.add(dof);
        if a == b {
            let n = shape[a];
            if ss[a] == isz && ds[a] == isz {
                std::ptr::copy_nonoverlapping(s0, d0, n * isz);
            } else {
                for i in 0..n {
                    item::<N>(s0.add(i * ss[a]), d0.add(i * ds[a]), isz);
                }
            }
        } else {
            let (na, nb) = (shape[a], shape[b]);
            let (sa, sb, da, db) = (ss[a], ss[b], ds[a], ds[b]);
            let mut jb = 0;
            while jb < nb {
                let eb = (jb + tile).min(nb);
                let mut ja = 0;
                while ja < na {
                    let ea = (ja + tile).min(na);
                    for ib in jb..eb {
                        let s1 = s0.add(ib * sb);
                        let d1 = d0.add(ib * db);
                        for ia in ja..ea {
                            item::<N>(s1.add(ia * sa), d1.add(ia * da), isz);
                        }
                    }
                    ja = ea;
                }
                jb = eb;
            }
        }
        // Advance the odometer over the remaining axes.
        let mut k = outer.len();
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            let ax = outer[k];
            idx[k] += 1;
            so += ss[ax];
            dof += ds[ax];
            if idx[k] < shape[ax] {
                break;
            }
            so -= ss[ax] * shape[ax];
            dof -= ds[ax] * shape[ax];
            idx[k] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fortran → C for a 3-D array, checked element by element.
    #[test]
    fn transpose_3d() {
        for isz in [1usize, 2, 3, 4, 8, 16] {
            let shape = [5usize, 70, 3];
            let n: usize = shape.iter().product();
            let src: Vec<u8> = (0..n * isz).map(|i| (i * 7 % 251) as u8).collect();
            let mut dst = vec![0u8; n * isz];
            copy_nd(
                &src,
                0,
                &f_strides(&shape, isz),
                &mut dst,
                &c_strides(&shape, isz),
                &shape,
                isz,
            );
            for i in 0..shape[0] {
                for j in 0..shape[1] {
                    for k in 0..shape[2] {
                        let f = (i + shape[0] * (j + shape[1] * k)) * isz;
                        let c = ((i * shape[1] + j) * shape[2] + k) * isz;
                        assert_eq!(src[f..f + isz], dst[c..c + isz]);
                    }
                }
            }
        }
    }

    #[test]
    fn contiguous_is_memcpy() {
        let shape = [4usize, 1, 6];
        let src: Vec<u8> = (0..24 * 4).map(|i| i as u8).collect();
        let mut dst = vec![0u8; 96];
        copy_nd(
            &src,
            0,
            &c_strides(&shape, 4),
            &mut dst,
            &c_strides(&shape, 4),
            &shape,
            4,
        );
        assert_eq!(src, dst);
    }
}
