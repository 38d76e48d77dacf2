//! Python's text of floats: `repr` (and `str` of NumPy float scalars,
//! which is the same), the fast `%.{p}e`, the special values, and the
//! shortest round-trip digits they are made of. Also the binary16
//! conversions that float16's digits need.

use super::digits::{push_u64, sci_digits};

/// Append Python's exponent suffix digits: sign and at least two digits.
pub fn push_exp(out: &mut Vec<u8>, k: i32) {
    out.push(if k < 0 { b'-' } else { b'+' });
    let a = k.unsigned_abs() as u64;
    if a < 10 {
        out.push(b'0');
    }
    push_u64(out, a);
}

/// The fast whole-value path for `%.{prec}e` (no flags, no width) of a
/// finite or special double, exactly as Python prints it.
pub fn push_e(out: &mut Vec<u8>, v: f64, prec: usize, upper: bool) {
    let Some(a) = special_or_sign(out, v, upper) else {
        return;
    };
    let start = out.len();
    let want = prec.saturating_add(1);
    let k = if a == 0.0 {
        out.resize(start + want, b'0');
        0
    } else {
        let k = sci_digits(a, want, out);
        // Digits past MAX_SIG_DIGITS are zeros.
        out.resize(start + want, b'0');
        k
    };
    if prec > 0 {
        out.insert(start + 1, b'.');
    }
    out.push(if upper { b'E' } else { b'e' });
    push_exp(out, k);
}

/// Write `v` if it is special (and return `None`), else its sign (and
/// return `|v|`).
fn special_or_sign(out: &mut Vec<u8>, v: f64, upper: bool) -> Option<f64> {
    if !v.is_finite() {
        push_special(out, v, upper);
        return None;
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    Some(v.abs())
}

/// `inf`, `-inf`, `nan` (Python never prints a sign on NaN).
pub fn push_special(out: &mut Vec<u8>, v: f64, upper: bool) {
    let s: &[u8] = if v.is_nan() {
        b"nan"
    } else if v < 0.0 {
        b"-inf"
    } else {
        b"inf"
    };
    if upper {
        out.extend(s.iter().map(|c| c.to_ascii_uppercase()));
    } else {
        out.extend_from_slice(s);
    }
}

/// Digits `d1 d2 ... dn × 10^k` (`d1.d2...`) written positionally: the
/// integer digits (zeros added where there are fewer digits), the point,
/// then the fraction digits (`0.00ddd` for `k < 0`); nothing after the
/// point when every digit is an integer one.
pub(crate) fn push_positional(out: &mut Vec<u8>, digits: &[u8], k: i32) {
    if k < 0 {
        out.extend_from_slice(b"0.");
        out.extend(std::iter::repeat_n(b'0', (-k - 1) as usize));
        out.extend_from_slice(digits);
        return;
    }
    let ip = (k + 1) as usize;
    if digits.len() <= ip {
        out.extend_from_slice(digits);
        out.extend(std::iter::repeat_n(b'0', ip - digits.len()));
        out.push(b'.');
    } else {
        out.extend_from_slice(&digits[..ip]);
        out.push(b'.');
        out.extend_from_slice(&digits[ip..]);
    }
}

/// The `repr` layout of shortest digits `d1 d2 ... dn × 10^k` (`d1.d2...`):
/// positional (`k ≥ -4` then) or scientific.
fn push_repr_layout(out: &mut Vec<u8>, digits: &[u8], k: i32, positional: bool) {
    let n = digits.len() as i32;
    if positional {
        push_positional(out, digits, k);
        if out.last() == Some(&b'.') {
            out.push(b'0');
        }
    } else {
        out.push(digits[0]);
        if n > 1 {
            out.push(b'.');
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        push_exp(out, k);
    }
}

/// `str()` of a NumPy float scalar of the given width, which for float64
/// is Python's `repr(float)`: shortest round-trip digits, positional from
/// 1e-4 up to 1e16 (float64), 1e6 (float32) or 1e3 (float16), scientific
/// outside: `0.1`, `1e+16`, `1.5e-05`, `nan`, `-inf`, `-0.0`.
pub fn push_repr(out: &mut Vec<u8>, v: f64, width: FloatWidth) {
    let Some(a) = special_or_sign(out, v, false) else {
        return;
    };
    if a == 0.0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    let (digits, k) = shortest_digits(a, width);
    let below = match width {
        FloatWidth::F16 => 1e3,
        FloatWidth::F32 => 1e6,
        FloatWidth::F64 => 1e16,
    };
    push_repr_layout(out, &digits, k, (1e-4..below).contains(&a));
}

/// Which float type a value came from (for shortest `repr` digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatWidth {
    /// float16.
    F16,
    /// float32.
    F32,
    /// float64.
    F64,
}

/// The shortest decimal digits that read back as `v` in its type, and the
/// decimal exponent of the first (`v ≈ d.ddd × 10^k`), for a finite
/// `v > 0` that `width` holds exactly: what Python's `repr` and NumPy's
/// Dragon4 print. Of two shortest candidates equally near `v`, the one
/// with the even last digit (Rust's shortest formatting may give the
/// other). No trailing zeros.
pub fn shortest_digits(v: f64, width: FloatWidth) -> (Vec<u8>, i32) {
    let (mut d, mut k) = match width {
        FloatWidth::F64 => split_shortest(&format!("{v:e}")),
        FloatWidth::F32 => split_shortest(&format!("{:e}", v as f32)),
        FloatWidth::F16 => return shortest_half(v),
    };
    if d.len() > 1 && tie_possible(v, d.len()) {
        let mut even = Vec::with_capacity(d.len());
        let ke = sci_digits(v, d.len(), &mut even);
        if (even.as_slice(), ke) != (d.as_slice(), k) && reads_back(&even, ke, v, width) {
            d = even;
            k = ke;
        }
    }
    (d, k)
}

/// Digits and exponent of Rust's `{:e}` text of a positive value.
fn split_shortest(s: &str) -> (Vec<u8>, i32) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Do the digits `d` × 10^(k + 1 - len) read back as `v` in `width`?
fn reads_back(d: &[u8], k: i32, v: f64, width: FloatWidth) -> bool {
    let text = format!(
        "{}.{}e{k}",
        char::from(d[0]),
        std::str::from_utf8(&d[1..]).unwrap_or("")
    );
    match width {
        FloatWidth::F64 => text.parse::<f64>().is_ok_and(|x| x == v),
        FloatWidth::F32 => text.parse::<f32>().is_ok_and(|x| x as f64 == v),
        FloatWidth::F16 => text
            .parse::<f64>()
            .is_ok_and(|x| f64_to_f16(x) == f64_to_f16(v)),
    }
}

/// Can `v > 0` lie exactly halfway between two decimals of `n`
/// significant digits? Only if its exact decimal expansion has `n + 1`
/// significant digits, the last a 5: checked with integers, which rules
/// out almost every value cheaply.
fn tie_possible(v: f64, n: usize) -> bool {
    let b = v.to_bits();
    let e = ((b >> 52) & 0x7ff) as i32;
    let f = b & ((1 << 52) - 1);
    let (m, q) = if e == 0 {
        (f, -1074)
    } else {
        (f | 1 << 52, e - 1075)
    };
    if m == 0 {
        return false;
    }
    let tz = m.trailing_zeros();
    let (m, q) = (m >> tz, q + tz as i32);
    let mut exact: u128 = if q >= 0 {
        if q > 64 {
            return true; // rare: the exact check decides
        }
        (m as u128) << q
    } else {
        let k = (-q) as u32;
        if k > 27 {
            return false; // at least 19 significant digits
        }
        m as u128 * 5u128.pow(k)
    };
    while exact % 10 == 0 {
        exact /= 10;
    }
    exact % 10 == 5 && exact.ilog10() as usize + 1 == n + 1
}

/// The shortest digits of a float16 value: the fewest correctly rounded
/// digits that convert back to the same half.
fn shortest_half(a: f64) -> (Vec<u8>, i32) {
    for nd in 1..=17 {
        let mut d = Vec::new();
        let k = sci_digits(a, nd, &mut d);
        if reads_back(&d, k, a, FloatWidth::F16) {
            while d.len() > 1 && d.last() == Some(&b'0') {
                d.pop();
            }
            return (d, k);
        }
    }
    split_shortest(&format!("{a:e}"))
}

/// float64 → float16 bits, rounding to nearest even (as NumPy's cast).
pub fn f64_to_f16(v: f64) -> u16 {
    let b = v.to_bits();
    let sign = ((b >> 48) & 0x8000) as u16;
    let exp = ((b >> 52) & 0x7ff) as i32;
    let man = b & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        if man != 0 {
            return sign | 0x7e00 | ((man >> 42) as u16 & 0x3ff);
        }
        return sign | 0x7c00;
    }
    let e = exp - 1023;
    if e > 15 {
        return sign | 0x7c00;
    }
    if exp == 0 {
        return sign;
    }
    // Full significand with the implicit bit: 53 bits.
    let sig = man | (1u64 << 52);
    // Target: value = sig · 2^(e - 52). Half units: normal 2^(e-10) per ulp
    // for e ≥ -14, subnormal ulp 2^-24.
    let shift = if e >= -14 { 42 } else { 42 + (-14 - e) };
    if shift > 53 + 11 {
        return sign;
    }
    let shift = shift as u32;
    let q = if shift >= 64 { 0 } else { sig >> shift };
    let rem = if shift >= 64 {
        sig
    } else {
        sig & ((1u64 << shift) - 1)
    };
    let halfway = 1u64 << (shift - 1);
    let mut q = q;
    if rem > halfway || (rem == halfway && q & 1 == 1) {
        q += 1;
    }
    if e >= -14 {
        // q includes the implicit bit (1 << 10); carry may bump the exponent.
        let bits = (((e + 15) as u64) << 10) + (q - (1 << 10));
        if bits >= 0x7c00 {
            return sign | 0x7c00;
        }
        sign | bits as u16
    } else {
        sign | q as u16
    }
}

/// float16 bits → float64 (exact).
pub fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let man = (h & 0x3ff) as f64;
    if exp == 0 {
        sign * man * 2f64.powi(-24)
    } else if exp == 31 {
        if man == 0.0 {
            sign * f64::INFINITY
        } else {
            f64::NAN.copysign(sign)
        }
    } else {
        sign * (1.0 + man / 1024.0) * 2f64.powi(exp - 15)
    }
}

/// `v` rounded to the nearest float16 value (ties to even), as a float64.
pub fn round_to_f16(v: f64) -> f64 {
    f16_to_f64(f64_to_f16(v))
}

#[cfg(test)]
mod tests {
    use super::super::digits::fixed_digits;
    use super::*;

    fn e18(v: f64) -> String {
        let mut o = Vec::new();
        push_e(&mut o, v, 18, false);
        String::from_utf8(o).unwrap()
    }

    fn slow(v: f64, prec: usize) -> String {
        let s = format!("{:.*e}", prec, v);
        let (m, e) = s.split_once('e').unwrap();
        let e: i32 = e.parse().unwrap();
        format!("{m}e{}{:02}", if e < 0 { '-' } else { '+' }, e.abs())
    }

    #[test]
    fn fast_matches_exact() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for i in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = if i % 2 == 0 {
                f64::from_bits(x >> 1)
            } else {
                (x >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((i % 40) - 20)
            };
            if !v.is_finite() || v == 0.0 {
                continue;
            }
            for prec in [18usize, 17, 5, 0] {
                let mut o = Vec::new();
                push_e(&mut o, v, prec, false);
                assert_eq!(String::from_utf8(o).unwrap(), slow(v, prec), "{v:e} {prec}");
            }
            let mut ip = Vec::new();
            let mut fp = Vec::new();
            fixed_digits(v, 6, &mut ip, &mut fp);
            let s = format!(
                "{}.{}",
                String::from_utf8(ip).unwrap(),
                String::from_utf8(fp).unwrap()
            );
            assert_eq!(s, format!("{:.6}", v), "{v:e}");
        }
    }

    #[test]
    fn specials_and_extremes() {
        assert_eq!(e18(0.1), "1.000000000000000056e-01");
        assert_eq!(e18(-0.0), "-0.000000000000000000e+00");
        assert_eq!(e18(5e-324), "4.940656458412465442e-324");
        assert_eq!(e18(f64::MAX), "1.797693134862315708e+308");
        assert_eq!(e18(f64::NAN), "nan");
        assert_eq!(e18(f64::NEG_INFINITY), "-inf");
        assert_eq!(e18(1e23), "9.999999999999999161e+22");
        let mut o = Vec::new();
        push_e(&mut o, 2.5, 0, false);
        assert_eq!(o, b"2e+00");
    }

    fn repr(v: f64, width: FloatWidth) -> String {
        let mut o = Vec::new();
        push_repr(&mut o, v, width);
        String::from_utf8(o).unwrap()
    }

    /// NumPy's `str()` of its float scalars (as NumPy 2 prints these).
    #[test]
    fn reprs_as_numpy_prints_them() {
        use FloatWidth::*;
        let f32v = |bits: u32| f32::from_bits(bits) as f64;
        for (v, w, want) in [
            // Two shortest candidates equally near: the even one.
            (
                f64::from_bits(4835208444375637009),
                F64,
                "1837410958616324.2",
            ),
            (f32v(1236101442), F32, "1.4205842e+06"),
            (f32v(1219071572), F32, "347250.62"),
            // Where positional gives way to scientific, per width.
            (9999999999999998.0, F64, "9999999999999998.0"),
            (1e16, F64, "1e+16"),
            (1e-4, F64, "0.0001"),
            (999999.0, F32, "999999.0"),
            (1e6, F32, "1e+06"),
            (0.0001f32 as f64, F32, "1e-04"),
            (999.0, F16, "999.0"),
            (1000.0, F16, "1e+03"),
            (round_to_f16(0.0001), F16, "0.0001"),
            (round_to_f16(0.000099), F16, "9.9e-05"),
            (-0.0, F64, "-0.0"),
            (f64::NAN, F32, "nan"),
        ] {
            assert_eq!(repr(v, w), want, "{v:e} {w:?}");
        }
    }

    #[test]
    fn halves() {
        for (v, h) in [
            (1.0, 0x3c00u16),
            (65504.0, 0x7bff),
            (65520.0, 0x7c00),
            (5.960464477539063e-08, 1),
            (2.98e-08, 0),
            (2.99e-08, 1),
        ] {
            assert_eq!(f64_to_f16(v), h, "{v}");
        }
        for h in 0..0x7c00u16 {
            assert_eq!(f64_to_f16(f16_to_f64(h)), h);
        }
        assert_eq!(round_to_f16(1.0 / 3.0), 0.333251953125);
    }
}
#[cfg(test)]
mod speed {
    #[test]
    #[ignore]
    fn speed_e18() {
        let mut x: u64 = 12345;
        let vals: Vec<f64> = (0..1_000_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
            })
            .collect();
        let mut out = Vec::with_capacity(26_000_000);
        let t = std::time::Instant::now();
        for v in &vals {
            super::push_e(&mut out, *v, 18, false);
            out.push(b'\n');
        }
        eprintln!("push_e: {:.1} ns/val", t.elapsed().as_nanos() as f64 / 1e6);
    }
}
