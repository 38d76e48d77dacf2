//! Exact decimal digits of binary floating-point numbers, as Python's `%`
//! formatting and `repr` produce them.
//!
//! `%.18e` needs the 19 correctly rounded significant digits of a double.
//! The fast path multiplies the 53-bit significand by a 128-bit
//! approximation of a power of ten (computed once, exactly, with a small
//! big-integer routine) and decides the rounding from the top bits of the
//! fraction; when the fraction is too close to one half to decide (a tie,
//! or within the approximation's error) it falls back to the standard
//! library's exact formatting, which rounds half to even as Python does.

use std::fmt::Write as _;
use std::sync::OnceLock;

/// Significant digits worth computing: a double's exact decimal value has
/// at most 767, so digits past this many are all zeros.
pub(crate) const MAX_SIG_DIGITS: usize = 800;

/// Fraction digits worth computing: a double's exact decimal value has at
/// most 1074 digits after the point.
pub(crate) const MAX_FRAC_DIGITS: usize = 1100;

const Q_MIN: i32 = -352;
const Q_MAX: i32 = 352;

/// `(P, p)` with `P·2^p ≤ 10^q < (P + 2)·2^p` and `2^127 ≤ P < 2^128`.
fn pow10(q: i32) -> Option<(u128, i32)> {
    static TABLE: OnceLock<Vec<(u128, i32)>> = OnceLock::new();
    if !(Q_MIN..=Q_MAX).contains(&q) {
        return None;
    }
    let t = TABLE.get_or_init(build_table);
    Some(t[(q - Q_MIN) as usize])
}

fn bitlen(v: &[u64]) -> u32 {
    for i in (0..v.len()).rev() {
        if v[i] != 0 {
            return 64 * i as u32 + 64 - v[i].leading_zeros();
        }
    }
    0
}

/// The top 128 bits of a big integer (truncated) and the shift: `v ≈ P·2^sh`.
fn top128(v: &[u64]) -> (u128, i32) {
    let bl = bitlen(v) as i32;
    let bit = |i: i32| -> u128 {
        if i < 0 {
            return 0;
        }
        let (l, b) = ((i / 64) as usize, i % 64);
        ((v[l] >> b) & 1) as u128
    };
    let mut p: u128 = 0;
    for i in (bl - 128..bl).rev() {
        p = (p << 1) | bit(i);
    }
    (p, bl - 128)
}

fn build_table() -> Vec<(u128, i32)> {
    let mut out = vec![(0u128, 0i32); (Q_MAX - Q_MIN + 1) as usize];
    // Non-negative powers: 10^q = 5^q · 2^q, 5^q exact.
    let mut five: Vec<u64> = vec![1];
    for q in 0..=Q_MAX {
        let (p, sh) = top128(&five);
        out[(q - Q_MIN) as usize] = (p, sh + q);
        let mut carry = 0u128;
        for limb in five.iter_mut() {
            let x = *limb as u128 * 5 + carry;
            *limb = x as u64;
            carry = x >> 64;
        }
        if carry != 0 {
            five.push(carry as u64);
        }
    }
    // Negative powers: 10^-j = 2^-j / 5^j ≈ floor(2^W / 5^j) · 2^(-W-j);
    // repeated floor division by 5 is exact: floor(floor(a/b)/c) = floor(a/bc).
    const W: usize = 1280;
    let mut inv: Vec<u64> = vec![0; W / 64 + 1];
    inv[W / 64] = 1;
    for j in 1..=-Q_MIN {
        let mut rem = 0u128;
        for limb in inv.iter_mut().rev() {
            let x = (rem << 64) | *limb as u128;
            *limb = (x / 5) as u64;
            rem = x % 5;
        }
        let (p, sh) = top128(&inv);
        out[(-j - Q_MIN) as usize] = (p, sh - W as i32 - j);
    }
    out
}

/// Bits `[n, n + 128)` of a 192-bit number given as three 64-bit limbs.
fn shr192(x: [u64; 3], n: u32) -> u128 {
    let get = |i: u32| if i < 3 { x[i as usize] } else { 0 };
    let (l, b) = (n / 64, n % 64);
    let word = |i: u32| {
        if b == 0 {
            get(i)
        } else {
            (get(i) >> b) | (get(i + 1) << (64 - b))
        }
    };
    ((word(l + 1) as u128) << 64) | word(l) as u128
}

/// `v·10^q` rounded half-to-even to an integer, for finite `v > 0`, or
/// `None` when the fast path cannot decide (the caller then uses the exact
/// slow path) or the result does not fit 92 bits.
fn scale_round(v: f64, q: i32) -> Option<u128> {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1u64 << 52), exp - 1075)
    };
    if m == 0 {
        return Some(0);
    }
    let lz = m.leading_zeros();
    let mm = m << lz;
    let ee = e - lz as i32;
    let (p, pe) = pow10(q)?;
    // X = mm · p, 192 bits.
    let lo = (mm as u128) * (p as u64 as u128);
    let hi = (mm as u128) * ((p >> 64) as u64 as u128);
    let x0 = lo as u64;
    let mid = (lo >> 64) + (hi as u64 as u128);
    let x1 = mid as u64;
    let x2 = ((hi >> 64) + (mid >> 64)) as u64;
    let x = [x0, x1, x2];
    let s = -(ee + pe);
    if s >= 193 {
        // v·10^q < 1/2.
        return Some(0);
    }
    if s < 100 {
        return None;
    }
    let s = s as u32;
    let int = shr192(x, s);
    let frac64 = shr192(x, s - 64) as u64;
    // Error of the product below the true value, in units of frac64's last
    // bit: < 2^(129 - s), plus the truncated bits below frac64.
    let err: u64 = (1u64 << (129 - s.min(129)).min(63)) + 2;
    let half = 1u64 << 63;
    if frac64.abs_diff(half) <= err {
        return None;
    }
    Some(if frac64 > half { int + 1 } else { int })
}

const POW10_U64: [u64; 20] = {
    let mut t = [1u64; 20];
    let mut i = 1;
    while i < 20 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `floor(log10(2^e))` for moderate `e`.
fn floor_log10_pow2(e: i32) -> i32 {
    ((e as i64 * 78913) >> 18) as i32
}

/// Fast path: `ndig` (1..=19) correctly rounded significant digits of a
/// finite `v > 0`: `(D, k)` with `10^(ndig-1) ≤ D < 10^ndig` and
/// `v ≈ D·10^(k + 1 - ndig)`.
fn sci_fast(v: f64, ndig: u32) -> Option<(u64, i32)> {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let e2 = if exp == 0 {
        let m = bits & ((1u64 << 52) - 1);
        -1074 + 63 - m.leading_zeros() as i32
    } else {
        exp - 1023
    };
    // v in [2^e2, 2^(e2+1)): floor(log10 v) is k_est or k_est + 1.
    let mut k = floor_log10_pow2(e2);
    let lo = POW10_U64[ndig as usize - 1] as u128;
    let hi = POW10_U64[ndig as usize] as u128;
    for _ in 0..3 {
        let q = ndig as i32 - 1 - k;
        let d = scale_round(v, q)?;
        if d >= hi {
            if d == hi {
                // Rounded up to the next power of ten: exact carry, unless
                // the unrounded value itself reached it (then k is low).
                // Both give the same digits: 10^(ndig-1) at k + 1.
                return Some((lo as u64, k + 1));
            }
            k += 1;
            continue;
        }
        if d < lo {
            k -= 1;
            continue;
        }
        return Some((d as u64, k));
    }
    None
}

/// Append `ndig` correctly rounded significant digits of finite `v > 0`
/// to `out` (ASCII) and return the decimal exponent `k` of the first
/// digit (`v ≈ d.ddd × 10^k`). At most [`MAX_SIG_DIGITS`] digits are
/// appended: the caller adds the zeros that follow them.
pub fn sci_digits(v: f64, ndig: usize, out: &mut Vec<u8>) -> i32 {
    debug_assert!(v > 0.0 && v.is_finite() && ndig >= 1);
    let ndig = ndig.clamp(1, MAX_SIG_DIGITS);
    if ndig <= 19 {
        if let Some((d, k)) = sci_fast(v, ndig as u32) {
            push_u64_padded(out, d, ndig);
            return k;
        }
    }
    let mut s = String::with_capacity(ndig + 8);
    let _ = write!(s, "{:.*e}", ndig - 1, v);
    let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
    out.extend(mant.bytes().filter(|b| b.is_ascii_digit()));
    exp.parse().unwrap_or(0)
}

/// Append the digits of finite `v ≥ 0` rounded to `prec` decimals:
/// the integer part (at least "0") and then exactly `prec` fraction digits
/// (no decimal point). `prec` is at most [`MAX_FRAC_DIGITS`] (larger
/// values are treated as that: the caller adds the zeros that follow).
pub fn fixed_digits(v: f64, prec: usize, int_out: &mut Vec<u8>, frac_out: &mut Vec<u8>) {
    let prec = prec.min(MAX_FRAC_DIGITS);
    if prec <= 60 {
        if let Some(d) = scale_round(v, prec as i32) {
            if prec <= 38 {
                let ten = 10u128.pow(prec as u32);
                push_u128(int_out, d / ten);
                if prec > 0 {
                    let start = frac_out.len();
                    push_u128(frac_out, d % ten);
                    let written = frac_out.len() - start;
                    frac_out.splice(start..start, std::iter::repeat_n(b'0', prec - written));
                }
                return;
            }
        }
    }
    let mut s = String::new();
    let _ = write!(s, "{:.*}", prec, v);
    match s.split_once('.') {
        Some((i, f)) => {
            int_out.extend_from_slice(i.as_bytes());
            frac_out.extend_from_slice(f.as_bytes());
        }
        None => int_out.extend_from_slice(s.as_bytes()),
    }
}

const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Write the 8 decimal digits of `v < 10^8` into `buf`.
#[inline]
fn write8(buf: &mut [u8], v: u32) {
    let (hi, lo) = (v / 10000, v % 10000);
    for (i, x) in [hi / 100, hi % 100, lo / 100, lo % 100]
        .into_iter()
        .enumerate()
    {
        let x = x as usize;
        buf[2 * i..2 * i + 2].copy_from_slice(&DIGIT_PAIRS[2 * x..2 * x + 2]);
    }
}

/// Append `d` as exactly `width` decimal digits (zero-padded; `d < 10^width`,
/// `width ≤ 20`).
#[inline]
pub fn push_u64_padded(out: &mut Vec<u8>, d: u64, width: usize) {
    let mut buf = [b'0'; 24];
    let (hi, lo) = (d / 100_000_000, (d % 100_000_000) as u32);
    write8(&mut buf[16..24], lo);
    if hi > 0 {
        let (hh, hl) = (hi / 100_000_000, (hi % 100_000_000) as u32);
        write8(&mut buf[8..16], hl);
        if hh > 0 {
            write8(&mut buf[0..8], hh as u32);
        }
    }
    out.extend_from_slice(&buf[24 - width..]);
}

/// Append `d` in decimal.
pub fn push_u64(out: &mut Vec<u8>, d: u64) {
    let n = if d == 0 { 1 } else { d.ilog10() as usize + 1 };
    push_u64_padded(out, d, n);
}

fn push_u128(out: &mut Vec<u8>, d: u128) {
    if d <= u64::MAX as u128 {
        push_u64(out, d as u64);
    } else {
        let _ = write!(VecWriter(out), "{d}");
    }
}

/// `fmt::Write` into a byte vector.
pub struct VecWriter<'a>(pub &'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

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
    if !v.is_finite() {
        push_special(out, v, upper);
        return;
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let a = v.abs();
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

/// Shortest round-tripping digits and exponent as Rust's `{:e}` gives them
/// for a positive finite value's text form.
fn split_shortest(s: &str) -> (Vec<u8>, i32) {
    let (mant, exp) = s.split_once('e').unwrap_or((s, "0"));
    let digits: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
    (digits, exp.parse().unwrap_or(0))
}

/// Python/NumPy `repr` layout for shortest digits `d1 d2 ... dn × 10^k`
/// (`d1.d2...`): positional for `-4 ≤ k < 16`, else scientific.
fn push_repr_layout(out: &mut Vec<u8>, digits: &[u8], k: i32) {
    let n = digits.len() as i32;
    if (-4..16).contains(&k) {
        if k >= 0 {
            let ip = (k + 1) as usize;
            if digits.len() <= ip {
                out.extend_from_slice(digits);
                out.extend(std::iter::repeat_n(b'0', ip - digits.len()));
                out.extend_from_slice(b".0");
            } else {
                out.extend_from_slice(&digits[..ip]);
                out.push(b'.');
                out.extend_from_slice(&digits[ip..]);
            }
        } else {
            out.extend_from_slice(b"0.");
            out.extend(std::iter::repeat_n(b'0', (-k - 1) as usize));
            out.extend_from_slice(digits);
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

/// `str()` of a NumPy float scalar of the given width (`repr`-style
/// shortest digits): `0.1`, `1e+16`, `1.5e-05`, `nan`, `-inf`, `-0.0`.
pub fn push_repr(out: &mut Vec<u8>, v: f64, width: FloatWidth) {
    if !v.is_finite() {
        push_special(out, v, false);
        return;
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    let a = v.abs();
    if a == 0.0 {
        out.extend_from_slice(b"0.0");
        return;
    }
    let (digits, k) = match width {
        FloatWidth::F64 => split_shortest(&format!("{a:e}")),
        FloatWidth::F32 => split_shortest(&format!("{:e}", a as f32)),
        FloatWidth::F16 => shortest_half(a),
    };
    push_repr_layout(out, &digits, k);
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

fn shortest_half(a: f64) -> (Vec<u8>, i32) {
    let target = f64_to_f16(a);
    for nd in 1..=17 {
        let mut d = Vec::new();
        let k = sci_digits(a, nd, &mut d);
        let text = format!(
            "{}.{}e{}",
            d[0] as char,
            std::str::from_utf8(&d[1..]).unwrap_or(""),
            k
        );
        if let Ok(x) = text.parse::<f64>() {
            if f64_to_f16(x) == target {
                while d.len() > 1 && d.last() == Some(&b'0') {
                    d.pop();
                }
                return (d, k);
            }
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

#[cfg(test)]
mod tests {
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
