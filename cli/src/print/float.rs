//! Floating-point text exactly as NumPy's `dragon4_positional` /
//! `dragon4_scientific` print it (checked against NumPy's output).
//!
//! Digit generation has two paths with the same results: `f32`/`f64` use
//! Rust's shortest round-trip and exactly rounded formatting (both are
//! correctly rounded, as Dragon4 is); `float16` and the long doubles
//! (x87 80-bit or IEEE binary128, stored in 16 bytes) go through the
//! Dragon4 algorithm (Steele & White) on big integers. The layout code
//! (`format_positional`, `format_scientific`) reproduces the padding,
//! trimming and exponent rules of NumPy's positional and scientific modes.

/// The binary formats NumPy can store as floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatType {
    /// IEEE binary16 (`float16`).
    F16,
    /// IEEE binary32 (`float32`).
    F32,
    /// IEEE binary64 (`float64`).
    F64,
    /// x87 80-bit extended precision in 16 (or 12) bytes (`longdouble` on x86).
    X87,
    /// IEEE binary128 (`longdouble` on aarch64, ppc64le with IEEE long double).
    F128,
}

impl FloatType {
    /// The type for a float of `size` bytes as stored in a .npy file on this
    /// platform (NumPy's `f16`/`f12` are the platform's long double).
    pub fn of_size(size: usize) -> Option<FloatType> {
        match size {
            2 => Some(FloatType::F16),
            4 => Some(FloatType::F32),
            8 => Some(FloatType::F64),
            12 => Some(FloatType::X87),
            16 if cfg!(any(target_arch = "x86_64", target_arch = "x86")) => Some(FloatType::X87),
            16 => Some(FloatType::F128),
            _ => None,
        }
    }

    /// `np.finfo(t).precision`: decimal digits of precision.
    pub fn finfo_precision(self) -> i32 {
        match self {
            FloatType::F16 => 3,
            FloatType::F32 => 6,
            FloatType::F64 => 15,
            FloatType::X87 => 18,
            FloatType::F128 => 33,
        }
    }
}

/// One float decoded from native-order bytes.
#[derive(Clone, Copy, Debug)]
pub struct Float {
    /// The sign bit.
    pub neg: bool,
    /// What kind of value it is.
    pub class: Class,
    /// The value as an f64 (rounded; ±0 / ±inf / nan for out-of-range
    /// long doubles keep their class through `class`), for comparisons.
    pub approx: f64,
    bits: Bits,
}

/// Classification of a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Zero (either sign).
    Zero,
    /// A finite non-zero value.
    Finite,
    /// An infinity.
    Inf,
    /// Not a number.
    Nan,
}

#[derive(Clone, Copy, Debug)]
enum Bits {
    F32(f32),
    F64(f64),
    /// `|value| = mantissa * 2^exponent`, with the index of the mantissa's
    /// top bit and whether the margin above is twice the one below.
    Big {
        mantissa: u128,
        exponent: i32,
        mantissa_bit: u32,
        unequal_margins: bool,
    },
}

fn class_of(zero: bool, special: bool, mant_zero: bool) -> Class {
    if special {
        if mant_zero {
            Class::Inf
        } else {
            Class::Nan
        }
    } else if zero {
        Class::Zero
    } else {
        Class::Finite
    }
}

impl Float {
    /// Decode a float of type `ty` from native-order bytes.
    pub fn decode(ty: FloatType, b: &[u8]) -> Float {
        match ty {
            FloatType::F32 => Float::from_f32(f32::from_ne_bytes(b[..4].try_into().unwrap())),
            FloatType::F64 => Float::from_f64(f64::from_ne_bytes(b[..8].try_into().unwrap())),
            FloatType::F16 => {
                let v = u16::from_ne_bytes(b[..2].try_into().unwrap());
                let m = (v & 0x3ff) as u128;
                let e = ((v >> 10) & 0x1f) as i32;
                let neg = v >> 15 != 0;
                let (mantissa, exponent, mantissa_bit, unequal) = if e != 0 {
                    (m | 1 << 10, e - 15 - 10, 10, e != 1 && m == 0)
                } else {
                    (m, 1 - 15 - 10, log2(m), false)
                };
                let class = class_of(e == 0 && m == 0, e == 0x1f, m == 0);
                Float::big(neg, class, mantissa, exponent, mantissa_bit, unequal)
            }
            FloatType::X87 => {
                let lo = u64::from_ne_bytes(b[..8].try_into().unwrap());
                let hi = u16::from_ne_bytes(b[8..10].try_into().unwrap());
                let e = (hi & 0x7fff) as i32;
                let neg = hi >> 15 != 0;
                let frac = (lo & ((1u64 << 63) - 1)) as u128;
                let (mantissa, exponent, mantissa_bit, unequal) = if e != 0 {
                    (frac | 1 << 63, e - 16383 - 63, 63, e != 1 && frac == 0)
                } else {
                    (lo as u128, 1 - 16383 - 63, log2(lo as u128), false)
                };
                let class = class_of(e == 0 && lo == 0, e == 0x7fff, frac == 0);
                Float::big(neg, class, mantissa, exponent, mantissa_bit, unequal)
            }
            FloatType::F128 => {
                let v = u128::from_ne_bytes(b[..16].try_into().unwrap());
                let frac = v & ((1u128 << 112) - 1);
                let e = ((v >> 112) & 0x7fff) as i32;
                let neg = v >> 127 != 0;
                let (mantissa, exponent, mantissa_bit, unequal) = if e != 0 {
                    (frac | 1 << 112, e - 16383 - 112, 112, e != 1 && frac == 0)
                } else {
                    (frac, 1 - 16383 - 112, log2(frac), false)
                };
                let class = class_of(e == 0 && frac == 0, e == 0x7fff, frac == 0);
                Float::big(neg, class, mantissa, exponent, mantissa_bit, unequal)
            }
        }
    }

    /// A float64.
    pub fn from_f64(v: f64) -> Float {
        Float {
            neg: v.is_sign_negative(),
            class: class_f(v.is_nan(), v.is_infinite(), v == 0.0),
            approx: v,
            bits: Bits::F64(v),
        }
    }

    /// A float32.
    pub fn from_f32(v: f32) -> Float {
        Float {
            neg: v.is_sign_negative(),
            class: class_f(v.is_nan(), v.is_infinite(), v == 0.0),
            approx: v as f64,
            bits: Bits::F32(v),
        }
    }

    fn big(
        neg: bool,
        class: Class,
        mantissa: u128,
        exponent: i32,
        mantissa_bit: u32,
        unequal_margins: bool,
    ) -> Float {
        let approx = match class {
            Class::Nan => f64::NAN,
            Class::Inf => f64::INFINITY,
            Class::Zero => 0.0,
            Class::Finite => {
                // Keep the top 64 bits: enough for an f64 approximation.
                let shift = mantissa_bit.saturating_sub(63);
                let m = (mantissa >> shift) as u64 as f64;
                let e = exponent + shift as i32;
                let v = m * 2f64.powi(e.clamp(-1100, 1100));
                if v == 0.0 {
                    // Smaller than any f64: keep it non-zero for comparisons.
                    f64::MIN_POSITIVE * f64::EPSILON
                } else {
                    v
                }
            }
        };
        Float {
            neg,
            class,
            approx: if neg { -approx } else { approx },
            bits: Bits::Big {
                mantissa,
                exponent,
                mantissa_bit,
                unequal_margins,
            },
        }
    }

    /// Round an f64 to this float's type (as NumPy's arithmetic in that
    /// type would), returned as an f64.
    pub fn round_to(ty: FloatType, v: f64) -> f64 {
        match ty {
            FloatType::F32 => v as f32 as f64,
            FloatType::F16 => f16_round(v),
            _ => v,
        }
    }
}

fn class_f(nan: bool, inf: bool, zero: bool) -> Class {
    if nan {
        Class::Nan
    } else if inf {
        Class::Inf
    } else if zero {
        Class::Zero
    } else {
        Class::Finite
    }
}

fn log2(m: u128) -> u32 {
    if m == 0 {
        0
    } else {
        127 - m.leading_zeros()
    }
}

/// Round an f64 to the nearest binary16 value (ties to even), as an f64.
pub fn f16_round(v: f64) -> f64 {
    if !v.is_finite() || v == 0.0 {
        return v;
    }
    let a = v.abs();
    if a >= 65520.0 {
        return f64::INFINITY.copysign(v);
    }
    // Spacing of binary16 values around `a`: 2^(e-10), at least 2^-24.
    let e = a.log2().floor() as i32;
    let e = e.max(-14);
    let ulp = 2f64.powi(e - 10);
    let q = a / ulp;
    let r = q.round_ties_even();
    (r * ulp).copysign(v)
}

// ---------------------------------------------------------------------------
// Digit generation

/// Dragon4's cutoff modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cutoff {
    /// `precision` counts all significant digits.
    Total,
    /// `precision` counts digits after the decimal point.
    Fraction,
}

/// Digits of |x| (no sign) and the decimal exponent of the first digit, as
/// `Dragon4()` returns them, except that trailing zeros are dropped (they
/// are only ever added back by the padding rules).
fn digits(
    x: &Float,
    unique: bool,
    mode: Cutoff,
    cutoff_max: i32,
    cutoff_min: i32,
) -> (Vec<u8>, i32) {
    if x.class == Class::Zero {
        return (vec![b'0'], 0);
    }
    match x.bits {
        Bits::F64(v) => fast_digits(FastVal::F64(v.abs()), unique, mode, cutoff_max, cutoff_min),
        Bits::F32(v) => fast_digits(FastVal::F32(v.abs()), unique, mode, cutoff_max, cutoff_min),
        Bits::Big {
            mantissa,
            exponent,
            mantissa_bit,
            unequal_margins,
        } => {
            let (mut d, e) = dragon4(
                mantissa,
                exponent,
                mantissa_bit,
                unequal_margins,
                unique,
                mode,
                cutoff_max,
                cutoff_min,
            );
            strip_zeros(&mut d);
            (d, e)
        }
    }
}

fn strip_zeros(d: &mut Vec<u8>) {
    while d.len() > 1 && d.last() == Some(&b'0') {
        d.pop();
    }
}

#[derive(Clone, Copy)]
enum FastVal {
    F32(f32),
    F64(f64),
}

impl FastVal {
    fn shortest(self) -> String {
        match self {
            FastVal::F32(v) => format!("{v:e}"),
            FastVal::F64(v) => format!("{v:e}"),
        }
    }
    fn sci(self, frac_digits: usize) -> String {
        match self {
            FastVal::F32(v) => format!("{v:.frac_digits$e}"),
            FastVal::F64(v) => format!("{v:.frac_digits$e}"),
        }
    }
    /// Can |v| lie exactly halfway between two decimals of `n` significant
    /// digits? Only if its exact decimal expansion has `n + 1` significant
    /// digits (ending in 5): checked with integers, cheaply ruling out
    /// almost every value.
    fn tie_possible(self, n: usize) -> bool {
        let (m, q): (u64, i32) = match self {
            FastVal::F64(v) => {
                let b = v.to_bits();
                let e = ((b >> 52) & 0x7ff) as i32;
                let f = b & ((1 << 52) - 1);
                if e == 0 {
                    (f, -1074)
                } else {
                    (f | 1 << 52, e - 1075)
                }
            }
            FastVal::F32(v) => {
                let b = v.to_bits();
                let e = ((b >> 23) & 0xff) as i32;
                let f = (b & ((1 << 23) - 1)) as u64;
                if e == 0 {
                    (f, -149)
                } else {
                    (f | 1 << 23, e - 150)
                }
            }
        };
        if m == 0 {
            return false;
        }
        let tz = m.trailing_zeros();
        let (m, q) = (m >> tz, q + tz as i32);
        let digits = |mut x: u128| {
            let mut k = 0;
            while x > 0 {
                x /= 10;
                k += 1;
            }
            k
        };
        let mut big: u128 = if q >= 0 {
            if q > 64 {
                return true; // rare: let the exact check decide
            }
            (m as u128) << q
        } else {
            let k = (-q) as u32;
            if k > 27 {
                return false; // at least 19 significant digits
            }
            m as u128 * 5u128.pow(k)
        };
        while big % 10 == 0 {
            big /= 10;
        }
        big % 10 == 5 && digits(big) == n + 1
    }
    fn reads_back(self, s: &str) -> bool {
        match self {
            FastVal::F32(v) => s.parse::<f32>().is_ok_and(|x| x.to_bits() == v.to_bits()),
            FastVal::F64(v) => s.parse::<f64>().is_ok_and(|x| x.to_bits() == v.to_bits()),
        }
    }
    fn fixed(self, frac_digits: usize) -> String {
        match self {
            FastVal::F32(v) => format!("{v:.frac_digits$}"),
            FastVal::F64(v) => format!("{v:.frac_digits$}"),
        }
    }
}

/// Parse Rust's `d.ddde[-]x` into digits and exponent.
fn parse_sci(s: &str) -> (Vec<u8>, i32) {
    let (m, e) = s.split_once('e').unwrap_or((s, "0"));
    let mut d: Vec<u8> = m.bytes().filter(|c| c.is_ascii_digit()).collect();
    let e: i32 = e.parse().unwrap_or(0);
    strip_zeros(&mut d);
    if d == b"0" {
        return (d, 0);
    }
    (d, e)
}

/// Parse Rust's positional `ddd.ddd` into digits and exponent.
fn parse_fixed(s: &str) -> (Vec<u8>, i32) {
    let (i, f) = s.split_once('.').unwrap_or((s, ""));
    let all: Vec<u8> = i.bytes().chain(f.bytes()).collect();
    let lead = all.iter().take_while(|&&c| c == b'0').count();
    if lead == all.len() {
        return (vec![b'0'], 0);
    }
    let mut d = all[lead..].to_vec();
    let e = i.len() as i32 - 1 - lead as i32;
    strip_zeros(&mut d);
    (d, e)
}

fn fast_digits(
    v: FastVal,
    unique: bool,
    mode: Cutoff,
    cutoff_max: i32,
    cutoff_min: i32,
) -> (Vec<u8>, i32) {
    // Exactly rounded to the cutoff: what Dragon4 does when it reaches the
    // cutoff digit, and in exact (non-unique) mode.
    let exact = |n: i32| -> (Vec<u8>, i32) {
        match mode {
            Cutoff::Fraction => parse_fixed(&v.fixed(n.max(0) as usize)),
            Cutoff::Total => parse_sci(&v.sci((n - 1).max(0) as usize)),
        }
    };
    if !unique {
        return exact(cutoff_max);
    }
    let (mut d, mut e) = parse_sci(&v.shortest());
    // When two shortest candidates are equally near, Dragon4 takes the even
    // digit; Rust's shortest formatting may take the other. The correctly
    // rounded (ties-to-even) string of the same length is Dragon4's choice
    // whenever it still reads back as the same float.
    if d.len() > 1 && v.tie_possible(d.len()) {
        let exact = v.sci(d.len() - 1);
        let (d2, e2) = parse_sci(&exact);
        if (d2.as_slice(), e2) != (d.as_slice(), e) && v.reads_back(&exact) {
            d = d2;
            e = e2;
        }
    }
    // The position (decimal exponent) of the last shortest digit.
    let last = e - (d.len() as i32 - 1);
    let cut_pos = |n: i32| match mode {
        Cutoff::Fraction => -n,
        Cutoff::Total => e + 1 - n,
    };
    if cutoff_max >= 0 && last < cut_pos(cutoff_max) {
        return exact(cutoff_max);
    }
    if cutoff_min >= 0 && last > cut_pos(cutoff_min) {
        return exact(cutoff_min);
    }
    (d, e)
}

// ---------------------------------------------------------------------------
// Dragon4 on big integers (for float16 and the long doubles)

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Big(Vec<u32>);

impl Big {
    fn from_u128(mut v: u128) -> Big {
        let mut b = Vec::new();
        while v != 0 {
            b.push(v as u32);
            v >>= 32;
        }
        Big(b)
    }
    fn pow2(n: u32) -> Big {
        let mut b = vec![0u32; (n / 32) as usize + 1];
        b[(n / 32) as usize] = 1 << (n % 32);
        Big(b)
    }
    fn is_zero(&self) -> bool {
        self.0.is_empty()
    }
    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }
    fn shl(&mut self, n: u32) {
        if self.is_zero() {
            return;
        }
        let words = (n / 32) as usize;
        let bits = n % 32;
        let mut out = vec![0u32; words];
        let mut carry = 0u32;
        for &w in &self.0 {
            if bits == 0 {
                out.push(w);
            } else {
                out.push((w << bits) | carry);
                carry = w >> (32 - bits);
            }
        }
        if carry != 0 {
            out.push(carry);
        }
        self.0 = out;
        self.trim();
    }
    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for w in self.0.iter_mut() {
            let p = *w as u64 * m as u64 + carry;
            *w = p as u32;
            carry = p >> 32;
        }
        if carry != 0 {
            self.0.push(carry as u32);
        }
    }
    fn mul_pow10(&mut self, mut n: u32) {
        while n >= 9 {
            self.mul_small(1_000_000_000);
            n -= 9;
        }
        if n > 0 {
            self.mul_small(10u32.pow(n));
        }
    }
    fn add(a: &Big, b: &Big) -> Big {
        let n = a.0.len().max(b.0.len());
        let mut out = Vec::with_capacity(n + 1);
        let mut carry = 0u64;
        for i in 0..n {
            let s = *a.0.get(i).unwrap_or(&0) as u64 + *b.0.get(i).unwrap_or(&0) as u64 + carry;
            out.push(s as u32);
            carry = s >> 32;
        }
        if carry != 0 {
            out.push(carry as u32);
        }
        Big(out)
    }
    /// `self -= other` (other <= self).
    fn sub(&mut self, other: &Big) {
        let mut borrow = 0i64;
        for i in 0..self.0.len() {
            let d = self.0[i] as i64 - *other.0.get(i).unwrap_or(&0) as i64 - borrow;
            if d < 0 {
                self.0[i] = (d + (1i64 << 32)) as u32;
                borrow = 1;
            } else {
                self.0[i] = d as u32;
                borrow = 0;
            }
        }
        self.trim();
    }
    fn cmp(&self, other: &Big) -> std::cmp::Ordering {
        self.0
            .len()
            .cmp(&other.0.len())
            .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
    }
    /// Quotient (< 10) and remainder of self / d.
    fn div_digit(&mut self, d: &Big) -> u32 {
        let mut q = 0;
        while self.cmp(d) != std::cmp::Ordering::Less {
            self.sub(d);
            q += 1;
        }
        q
    }
}

/// Dragon4 (Steele & White): digits of `mantissa * 2^exponent` and the
/// decimal exponent of the first one.
#[allow(clippy::too_many_arguments)]
fn dragon4(
    mantissa: u128,
    exponent: i32,
    mantissa_bit: u32,
    unequal_margins: bool,
    unique: bool,
    mode: Cutoff,
    cutoff_max: i32,
    cutoff_min: i32,
) -> (Vec<u8>, i32) {
    use std::cmp::Ordering::*;
    if mantissa == 0 {
        return (vec![b'0'], 0);
    }
    let is_even = mantissa & 1 == 0;
    let mut value = Big::from_u128(mantissa);
    let mut scale;
    let mut margin_low;
    let mut margin_high: Option<Big>;
    if unequal_margins {
        if exponent > 0 {
            value.shl(exponent as u32 + 2);
            scale = Big::from_u128(4);
            margin_low = Big::pow2(exponent as u32);
            margin_high = Some(Big::pow2(exponent as u32 + 1));
        } else {
            value.shl(2);
            scale = Big::pow2((-exponent + 2) as u32);
            margin_low = Big::from_u128(1);
            margin_high = Some(Big::from_u128(2));
        }
    } else if exponent > 0 {
        value.shl(exponent as u32 + 1);
        scale = Big::from_u128(2);
        margin_low = Big::pow2(exponent as u32);
        margin_high = None;
    } else {
        value.shl(1);
        scale = Big::pow2((-exponent + 1) as u32);
        margin_low = Big::from_u128(1);
        margin_high = None;
    }
    let fix_high = |low: &Big, high: &mut Option<Big>| {
        if let Some(h) = high {
            let mut l = low.clone();
            l.shl(1);
            *h = l;
        }
    };
    let log10_2 = std::f64::consts::LOG10_2;
    let mut digit_exp = (((mantissa_bit as i32 + exponent) as f64) * log10_2 - 0.69).ceil() as i32;
    if cutoff_max >= 0 && mode == Cutoff::Fraction && digit_exp <= -cutoff_max {
        digit_exp = -cutoff_max + 1;
    }
    if digit_exp > 0 {
        scale.mul_pow10(digit_exp as u32);
    } else if digit_exp < 0 {
        value.mul_pow10((-digit_exp) as u32);
        margin_low.mul_pow10((-digit_exp) as u32);
        fix_high(&margin_low, &mut margin_high);
    }
    if value.cmp(&scale) != Less {
        digit_exp += 1;
    } else {
        value.mul_small(10);
        margin_low.mul_small(10);
        fix_high(&margin_low, &mut margin_high);
    }
    let buffer = 16384i32;
    let mut cutoff_max_exp = digit_exp - buffer;
    if cutoff_max >= 0 {
        let desired = match mode {
            Cutoff::Total => digit_exp - cutoff_max,
            Cutoff::Fraction => -cutoff_max,
        };
        cutoff_max_exp = cutoff_max_exp.max(desired);
    }
    let mut cutoff_min_exp = digit_exp;
    if cutoff_min >= 0 {
        let desired = match mode {
            Cutoff::Total => digit_exp - cutoff_min,
            Cutoff::Fraction => -cutoff_min,
        };
        cutoff_min_exp = cutoff_min_exp.min(desired);
    }
    let mut out_exp = digit_exp - 1;
    let mut out: Vec<u8> = Vec::new();
    let mut low;
    let mut high;
    let mut digit;
    if unique {
        loop {
            digit_exp -= 1;
            digit = value.div_digit(&scale);
            let mh = margin_high.as_ref().unwrap_or(&margin_low);
            let value_high = Big::add(&value, mh);
            let c = value.cmp(&margin_low);
            low = if is_even { c != Greater } else { c == Less };
            let c = value_high.cmp(&scale);
            high = if is_even { c != Less } else { c == Greater };
            if ((low | high) & (digit_exp <= cutoff_min_exp)) | (digit_exp == cutoff_max_exp) {
                break;
            }
            out.push(b'0' + digit as u8);
            value.mul_small(10);
            margin_low.mul_small(10);
            fix_high(&margin_low, &mut margin_high);
        }
    } else {
        low = false;
        high = false;
        loop {
            digit_exp -= 1;
            digit = value.div_digit(&scale);
            if value.is_zero() | (digit_exp == cutoff_max_exp) {
                break;
            }
            out.push(b'0' + digit as u8);
            value.mul_small(10);
        }
    }
    let mut round_down = low;
    if low == high {
        value.shl(1);
        let c = value.cmp(&scale);
        round_down = c == Less;
        if c == Equal {
            round_down = digit & 1 == 0;
        }
    }
    if round_down {
        out.push(b'0' + digit as u8);
    } else if digit == 9 {
        loop {
            match out.pop() {
                None => {
                    out.push(b'1');
                    out_exp += 1;
                    break;
                }
                Some(b'9') => continue,
                Some(c) => {
                    out.push(c + 1);
                    break;
                }
            }
        }
    } else {
        out.push(b'0' + digit as u8 + 1);
    }
    (out, out_exp)
}

// ---------------------------------------------------------------------------
// Layout

/// Trailing-digit trimming (NumPy's `trim` argument).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trim {
    /// `'k'`: keep trailing zeros and the decimal point.
    None,
    /// `'.'`: trim trailing zeros, keep the decimal point.
    Zeros,
    /// `'0'`: trim all but one zero after the decimal point.
    LeaveOneZero,
    /// `'-'`: trim trailing zeros and the decimal point.
    DptZeros,
}

/// Options of `dragon4_positional` / `dragon4_scientific` (-1 means unset).
#[derive(Clone, Copy, Debug)]
pub struct Opts {
    /// Digits after the point (positional) or after the first digit.
    pub precision: i32,
    /// Minimum digits, with `unique`.
    pub min_digits: i32,
    /// Shortest round-trip digits (cut at `precision`) or exact digits.
    pub unique: bool,
    /// Trimming.
    pub trim: Trim,
    /// Always print a sign.
    pub sign: bool,
    /// Left padding: characters before the decimal point.
    pub pad_left: i32,
    /// Right padding: characters after the decimal point (positional).
    pub pad_right: i32,
    /// Minimum exponent digits (scientific).
    pub exp_digits: i32,
}

impl Default for Opts {
    fn default() -> Self {
        Opts {
            precision: -1,
            min_digits: -1,
            unique: true,
            trim: Trim::None,
            sign: false,
            pad_left: -1,
            pad_right: -1,
            exp_digits: -1,
        }
    }
}

fn sign_char(x: &Float, sign: bool) -> Option<char> {
    if x.neg {
        Some('-')
    } else if sign {
        Some('+')
    } else {
        None
    }
}

fn inf_nan(x: &Float, sign: bool) -> String {
    match x.class {
        Class::Nan => "nan".into(),
        _ => format!(
            "{}inf",
            sign_char(x, sign).map(String::from).unwrap_or_default()
        ),
    }
}

/// The widths NumPy's `FloatingFormat.fillFormat` measures on the strings
/// `dragon4_positional` and `dragon4_scientific` make for a finite `x`
/// (precision `precision`, `unique` with trim '.', or exact with trim
/// 'k'): (positional integer part incl. sign, positional fraction,
/// scientific integer part incl. sign, scientific fraction, exponent incl.
/// its sign).
pub fn pass1_widths(x: &Float, precision: i32, unique: bool, sign: bool) -> [usize; 5] {
    let s = (x.neg || sign) as usize;
    let (d, e) = digits(x, unique, Cutoff::Fraction, precision, -1);
    let pos_int = s + if e >= 0 { e as usize + 1 } else { 1 };
    let mut pos_frac = (d.len() as i32 - 1 - e).max(0) as usize;
    if !unique {
        pos_frac = pos_frac.max(precision.max(0) as usize);
    }
    let cmax = if precision < 0 { -1 } else { precision + 1 };
    let (d, e) = digits(x, unique, Cutoff::Total, cmax, -1);
    let mut sci_frac = d.len() - 1;
    if !unique {
        sci_frac = sci_frac.max(precision.max(0) as usize);
    }
    let exp = 1 + e.unsigned_abs().to_string().len().max(2);
    [pos_int, pos_frac, s + 1, sci_frac, exp]
}

/// `np.format_float_positional(x, ...)` with `fractional=True`.
pub fn positional(x: &Float, o: &Opts) -> String {
    if matches!(x.class, Class::Nan | Class::Inf) {
        return inf_nan(x, o.sign);
    }
    let (d, pexp) = digits(x, o.unique, Cutoff::Fraction, o.precision, o.min_digits);
    format_positional(&d, pexp, sign_char(x, o.sign), o)
}

/// `np.format_float_scientific(x, ...)`.
pub fn scientific(x: &Float, o: &Opts) -> String {
    if matches!(x.class, Class::Nan | Class::Inf) {
        return inf_nan(x, o.sign);
    }
    let cmax = if o.precision < 0 { -1 } else { o.precision + 1 };
    let cmin = if o.min_digits < 0 {
        -1
    } else {
        o.min_digits + 1
    };
    let (d, pexp) = digits(x, o.unique, Cutoff::Total, cmax, cmin);
    format_scientific(&d, pexp, sign_char(x, o.sign), o)
}

fn format_positional(d: &[u8], pexp: i32, sign: Option<char>, o: &Opts) -> String {
    let mut b = String::with_capacity(d.len() + 8);
    let has_sign = sign.is_some() as i32;
    if let Some(c) = sign {
        b.push(c);
    }
    let nd = d.len() as i32;
    let num_whole;
    let mut num_frac;
    let ds = std::str::from_utf8(d).unwrap_or("0");
    if pexp >= 0 {
        num_whole = pexp + 1;
        if nd <= num_whole {
            b.push_str(ds);
            for _ in 0..num_whole - nd {
                b.push('0');
            }
            num_frac = 0;
        } else {
            b.push_str(&ds[..num_whole as usize]);
            b.push('.');
            b.push_str(&ds[num_whole as usize..]);
            num_frac = nd - num_whole;
        }
    } else {
        let zeros = -(pexp + 1);
        b.push_str("0.");
        for _ in 0..zeros {
            b.push('0');
        }
        b.push_str(ds);
        num_frac = nd + zeros;
        num_whole = 1;
    }
    if o.trim != Trim::DptZeros && num_frac == 0 {
        b.push('.');
    }
    let add = if o.unique { o.min_digits } else { o.precision };
    let desired = add.max(0);
    if o.trim == Trim::LeaveOneZero {
        if num_frac == 0 {
            b.push('0');
            num_frac += 1;
        }
    } else if o.trim == Trim::None && desired > num_frac {
        for _ in 0..desired - num_frac {
            b.push('0');
        }
        num_frac = desired;
    }
    if o.trim != Trim::None && num_frac > 0 {
        while b.ends_with('0') {
            b.pop();
            num_frac -= 1;
        }
        if b.ends_with('.') {
            if o.trim == Trim::LeaveOneZero {
                b.push('0');
                num_frac += 1;
            } else if o.trim == Trim::DptZeros {
                b.pop();
            }
        }
    }
    if o.pad_right >= num_frac {
        if o.trim == Trim::DptZeros && num_frac == 0 {
            b.push(' ');
        }
        for _ in 0..o.pad_right - num_frac {
            b.push(' ');
        }
    }
    if o.pad_left > num_whole + has_sign {
        let shift = (o.pad_left - (num_whole + has_sign)) as usize;
        b.insert_str(0, &" ".repeat(shift));
    }
    b
}

fn format_scientific(d: &[u8], pexp: i32, sign: Option<char>, o: &Opts) -> String {
    let mut b = String::with_capacity(d.len() + 10);
    let left = 1 + sign.is_some() as i32;
    if o.pad_left > left {
        for _ in 0..o.pad_left - left {
            b.push(' ');
        }
    }
    if let Some(c) = sign {
        b.push(c);
    }
    let ds = std::str::from_utf8(d).unwrap_or("0");
    b.push_str(&ds[..1]);
    let mut num_frac = d.len() as i32 - 1;
    if num_frac > 0 {
        b.push('.');
        b.push_str(&ds[1..]);
    }
    if o.trim != Trim::DptZeros && num_frac == 0 {
        b.push('.');
    }
    let add = if o.unique { o.min_digits } else { o.precision }.max(0);
    if o.trim == Trim::LeaveOneZero {
        if num_frac == 0 {
            b.push('0');
            num_frac += 1;
        }
    } else if o.trim == Trim::None && add > num_frac {
        for _ in 0..add - num_frac {
            b.push('0');
        }
        num_frac = add;
    }
    if o.trim != Trim::None && num_frac > 0 {
        while b.ends_with('0') {
            b.pop();
        }
        if o.trim == Trim::LeaveOneZero && b.ends_with('.') {
            b.push('0');
        }
    }
    let exp_digits = if o.exp_digits < 0 {
        2
    } else {
        o.exp_digits.min(5)
    } as usize;
    b.push('e');
    b.push(if pexp >= 0 { '+' } else { '-' });
    b.push_str(&format!("{:0w$}", pexp.unsigned_abs(), w = exp_digits));
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_via_big(v: f64) -> Float {
        // The same f64 as a Big-path float, to check both digit paths agree.
        let bits = v.to_bits();
        let m = (bits & ((1 << 52) - 1)) as u128;
        let e = ((bits >> 52) & 0x7ff) as i32;
        let (mantissa, exponent, mb, uneq) = if e != 0 {
            (m | 1 << 52, e - 1023 - 52, 52, e != 1 && m == 0)
        } else {
            (m, 1 - 1023 - 52, log2(m), false)
        };
        let class = class_of(e == 0 && m == 0, e == 0x7ff, m == 0);
        Float::big(v < 0.0, class, mantissa, exponent, mb, uneq)
    }

    #[test]
    fn fast_and_big_paths_agree() {
        let mut s = 0x1234_5678_9abc_def0u64;
        let mut vals = vec![
            0.1,
            0.5,
            1.0,
            1.5,
            2.5,
            0.125,
            1e-5,
            1e16,
            123456789.0,
            5e-324,
            2.2250738585072014e-308,
            1.7976931348623157e308,
            0.3,
            2.0f64.powi(60),
            9.5,
            0.95,
            0.995,
        ];
        for _ in 0..3000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let v = f64::from_bits(s);
            if v.is_finite() {
                vals.push(v);
                vals.push(v.abs().log2() * 0.001);
            }
        }
        for v in vals {
            let a = Float::from_f64(v);
            let b = f64_via_big(v);
            for (p, m, u) in [
                (-1, -1, true),
                (8, 0, true),
                (3, 3, true),
                (8, 8, false),
                (0, 0, false),
                (17, -1, true),
            ] {
                for sci in [false, true] {
                    let o = Opts {
                        precision: p,
                        min_digits: m,
                        unique: u,
                        trim: Trim::Zeros,
                        ..Opts::default()
                    };
                    if !u && p < 0 {
                        continue;
                    }
                    let (x, y) = if sci {
                        (scientific(&a, &o), scientific(&b, &o))
                    } else {
                        (positional(&a, &o), positional(&b, &o))
                    };
                    assert_eq!(x, y, "{v:e} p={p} m={m} unique={u} sci={sci}");
                }
            }
        }
    }

    #[test]
    fn pass1_widths_match_the_strings() {
        let vals = [
            0.0,
            -0.0,
            1.0,
            1.5,
            -2.5e-7,
            123456.789,
            9.9999999999,
            1e300,
            5e-324,
            0.1,
        ];
        for v in vals {
            let x = Float::from_f64(v);
            for (p, u) in [(8, true), (-1, true), (3, false), (0, false), (0, true)] {
                let o = Opts {
                    precision: p,
                    unique: u,
                    trim: if u { Trim::Zeros } else { Trim::None },
                    ..Opts::default()
                };
                let ps = positional(&x, &o);
                let (pi, pf) = ps.split_once('.').unwrap();
                let ss = scientific(&x, &o);
                let (m, e) = ss.split_once('e').unwrap();
                let (si, sf) = m.split_once('.').unwrap();
                assert_eq!(
                    pass1_widths(&x, p, u, false),
                    [pi.len(), pf.len(), si.len(), sf.len(), e.len()],
                    "{v} p={p} u={u}: {ps} {ss}"
                );
            }
        }
    }

    #[test]
    fn numpy_examples() {
        let o = Opts {
            trim: Trim::Zeros,
            precision: 8,
            ..Opts::default()
        };
        assert_eq!(positional(&Float::from_f64(0.1), &o), "0.1");
        assert_eq!(positional(&Float::from_f64(1.0 / 3.0), &o), "0.33333333");
        assert_eq!(positional(&Float::from_f64(1.0), &o), "1.");
        assert_eq!(positional(&Float::from_f64(-0.0), &o), "-0.");
        let o = Opts {
            precision: 2,
            ..Opts::default()
        };
        assert_eq!(positional(&Float::from_f64(0.125), &o), "0.12");
        assert_eq!(
            scientific(&Float::from_f64(1e-5), &Opts::default()),
            "1.e-05"
        );
        assert_eq!(f16_round(1.0 / 3.0), 0.333251953125);
    }
}
