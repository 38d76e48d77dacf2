//! `longdouble` and `clongdouble` columns of the text readers. A
//! long double is parsed by the C library's own decimal reader (`%Lf` of
//! `sscanf`, as NumPy's `strtold`), so the value is the exact correctly
//! rounded one of the platform's type (x86-64: 80-bit extended in 16
//! bytes). Complex long doubles are read as NumPy reads them: as two
//! float64 values widened exactly (x86-64 only).
//!
//! The C library reads numbers in the C locale's notation unless the
//! program has changed `LC_NUMERIC` with `setlocale`.

use libc::sscanf;
use std::ffi::{c_char, c_int};

/// Whether long doubles of `size` bytes are this platform's `long double`.
pub fn supported(size: usize) -> bool {
    size == 16 && std::mem::size_of::<u128>() == 16 && cfg!(target_os = "linux")
}

/// The long double of `b` as `strtold` reads it (leading whitespace, a
/// decimal or hexadecimal number, `inf`, `nan`), into `out` (16 bytes,
/// native order); trailing text (even whitespace) is refused, as NumPy
/// refuses it. False when it does not parse.
pub fn parse(b: &[u8], out: &mut [u8]) -> bool {
    if b.len() > 4096 || b.contains(&0) || out.len() != 16 {
        return false;
    }
    let mut s = Vec::with_capacity(b.len() + 1);
    s.extend_from_slice(b);
    s.push(0);
    let mut buf = [0u8; 16];
    let mut n: c_int = -1;
    // SAFETY: `s` is NUL-terminated; `%Lf` writes one long double (16
    // bytes on the supported platforms, see `supported`) to `buf`, `%n`
    // an int to `n`.
    let r = unsafe {
        sscanf(
            s.as_ptr() as *const c_char,
            c"%Lf%n".as_ptr(),
            buf.as_mut_ptr(),
            &mut n as *mut c_int,
        )
    };
    if r != 1 || n < 0 || n as usize != b.len() {
        return false;
    }
    out.copy_from_slice(&buf);
    if cfg!(target_arch = "x86_64") {
        // The 6 bytes above an 80-bit extended value are padding: zeroed.
        out[10..].fill(0);
        // NumPy reads a NaN without its sign (`-nan` is nan).
        let m = u64::from_le_bytes(out[..8].try_into().unwrap_or([0; 8]));
        if out[8] == 0xff && out[9] & 0x7f == 0x7f && m << 1 != 0 {
            out[9] &= 0x7f;
        }
    }
    true
}

/// A float64 widened exactly to an x86-64 80-bit extended value in 16
/// bytes (native order, padding zero).
pub fn from_f64(v: f64, out: &mut [u8]) {
    let bits = v.to_bits();
    let sign = (bits >> 63) as u16;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1 << 52) - 1);
    let (e, m): (u16, u64) = if exp == 0x7ff {
        (0x7fff, (1 << 63) | (frac << 11))
    } else if exp == 0 && frac == 0 {
        (0, 0)
    } else if exp == 0 {
        // Subnormal, frac × 2^-1074: normalised, m × 2^(E - 16383 - 63).
        let shift = frac.leading_zeros() as i32;
        ((15372 - shift) as u16, frac << shift)
    } else {
        ((exp - 1023 + 16383) as u16, (1 << 63) | (frac << 11))
    };
    out.fill(0);
    out[..8].copy_from_slice(&m.to_le_bytes());
    out[8..10].copy_from_slice(&((sign << 15) | e).to_le_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widening_matches_the_c_reader() {
        for v in [
            0.1f64,
            -2.5,
            1e300,
            5e-324,
            2.2250738585072014e-308,
            f64::INFINITY,
            0.0,
        ] {
            let mut a = [0u8; 16];
            let mut b = [0u8; 16];
            from_f64(v, &mut a);
            // The shortest repr of a float64 read as a long double is not
            // the float64, so compare against the exact hexadecimal form.
            let hex = if v.is_infinite() {
                "inf".to_string()
            } else {
                format!("{:x}", HexF(v))
            };
            assert!(parse(hex.as_bytes(), &mut b), "{hex}");
            assert_eq!(a, b, "{v}");
        }
        let mut b = [0u8; 16];
        assert!(parse(b" 0.1", &mut b));
        assert_eq!(
            &b[..10],
            &[0xcd, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xcc, 0xfb, 0x3f]
        );
        assert!(!parse(b"0.1 ", &mut b));
        assert!(!parse(b"", &mut b));
        assert!(!parse(b"1_0", &mut b));
    }

    /// `{:a}`: a float64 in C's hexadecimal notation.
    struct HexF(f64);
    impl std::fmt::LowerHex for HexF {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            let bits = self.0.to_bits();
            let sign = if bits >> 63 == 1 { "-" } else { "" };
            let exp = ((bits >> 52) & 0x7ff) as i64;
            let frac = bits & ((1 << 52) - 1);
            if exp == 0 {
                write!(f, "{sign}0x0.{frac:013x}p-1022")
            } else {
                write!(f, "{sign}0x1.{frac:013x}p{}", exp - 1023)
            }
        }
    }
}
