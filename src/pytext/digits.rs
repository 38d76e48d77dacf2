//! Decimal digits: of integers, and the exact, correctly rounded digits
//! of binary floating-point numbers that Python's `%e`/`%f`/`%g` print.
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
/// digit (`v ≈ d.ddd × 10^k`). At most 800 digits are appended (a
/// double's exact decimal value has at most 767 significant digits): the
/// caller adds the zeros that follow them.
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
/// (no decimal point). `prec` is at most 1100 (a double's exact decimal
/// value has at most 1074 fraction digits; larger values are treated as
/// that: the caller adds the zeros that follow).
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

/// Text that ASCII digits are appended to: a byte vector or a `String`.
pub trait AsciiOut {
    /// Append `ascii`, which holds ASCII bytes only.
    fn push_ascii(&mut self, ascii: &[u8]);
}

impl AsciiOut for Vec<u8> {
    #[inline]
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.extend_from_slice(ascii);
    }
}

impl AsciiOut for String {
    #[inline]
    fn push_ascii(&mut self, ascii: &[u8]) {
        self.extend(ascii.iter().map(|&b| char::from(b)));
    }
}

/// Append `d` as exactly `width` decimal digits (zero-padded; `d < 10^width`,
/// `width ≤ 20`).
#[inline]
pub fn push_u64_padded<O: AsciiOut + ?Sized>(out: &mut O, d: u64, width: usize) {
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
    out.push_ascii(&buf[24 - width..]);
}

/// Append `d` in decimal, as Python's `str(int)` writes it.
pub fn push_u64<O: AsciiOut + ?Sized>(out: &mut O, d: u64) {
    let n = if d == 0 { 1 } else { d.ilog10() as usize + 1 };
    push_u64_padded(out, d, n);
}

fn push_u128(out: &mut Vec<u8>, d: u128) {
    if d <= u64::MAX as u128 {
        push_u64(out, d as u64);
    } else {
        out.extend_from_slice(d.to_string().as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        let mut s = String::new();
        let mut b = Vec::new();
        for v in [0, 7, 10, 99_999_999, 100_000_000, 12_345_678_901, u64::MAX] {
            s.clear();
            b.clear();
            push_u64(&mut s, v);
            push_u64(&mut b, v);
            assert_eq!(s, v.to_string());
            assert_eq!(b, v.to_string().into_bytes());
        }
        b.clear();
        push_u64_padded(&mut b, 42, 5);
        assert_eq!(b, b"00042");
        b.clear();
        push_u128(&mut b, u64::MAX as u128 * 10);
        assert_eq!(b, (u64::MAX as u128 * 10).to_string().into_bytes());
    }
}
