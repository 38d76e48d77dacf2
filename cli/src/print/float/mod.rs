//! Floating-point text exactly as NumPy's `dragon4_positional` /
//! `dragon4_scientific` print it (checked against NumPy's output).
//!
//! The digits: float64 and float32 take the library's shortest and
//! correctly rounded digits ([`npyio::pytext`], the digits Python's `repr`
//! and `%` formatting print too, ties to even as Dragon4); float16 and the
//! long doubles (x87 80-bit or IEEE binary128, stored in 16 bytes) go
//! through the Dragon4 algorithm on big integers ([`dragon4`]). The layout
//! ([`layout`]) is NumPy's own: the padding, trimming and exponent rules
//! of its positional and scientific modes.

mod dragon4;
mod layout;

pub use layout::{pass1_widths, positional, scientific, Opts, Trim};

use npyio::pytext::digits::{fixed_digits, sci_digits};
use npyio::pytext::float::{round_to_f16, shortest_digits};
use npyio::pytext::FloatWidth;

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
                let e = ((v >> 10) & 0x1f) as i32;
                Float::ieee(v >> 15 != 0, e, (v & 0x3ff) as u128, 10, 15, 0x1f)
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
                let e = ((v >> 112) & 0x7fff) as i32;
                Float::ieee(
                    v >> 127 != 0,
                    e,
                    v & ((1u128 << 112) - 1),
                    112,
                    16383,
                    0x7fff,
                )
            }
        }
    }

    /// A float of an IEEE binary format (digits through Dragon4): the sign,
    /// the biased exponent `e` (`max_e` for infinities and NaNs) and the
    /// `bits`-bit fraction, whose leading one is implicit when `e != 0`.
    fn ieee(neg: bool, e: i32, frac: u128, bits: u32, bias: i32, max_e: i32) -> Float {
        let (mantissa, exponent, mantissa_bit, unequal) = if e != 0 {
            (
                frac | 1 << bits,
                e - bias - bits as i32,
                bits,
                e != 1 && frac == 0,
            )
        } else {
            (frac, 1 - bias - bits as i32, log2(frac), false)
        };
        let class = class_of(e == 0 && frac == 0, e == max_e, frac == 0);
        Float::big(neg, class, mantissa, exponent, mantissa_bit, unequal)
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
            FloatType::F16 => round_to_f16(v),
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
        Bits::F64(v) => exact_or_shortest(
            v.abs(),
            FloatWidth::F64,
            unique,
            mode,
            cutoff_max,
            cutoff_min,
        ),
        Bits::F32(v) => exact_or_shortest(
            v.abs() as f64,
            FloatWidth::F32,
            unique,
            mode,
            cutoff_max,
            cutoff_min,
        ),
        Bits::Big {
            mantissa,
            exponent,
            mantissa_bit,
            unequal_margins,
        } => {
            let (mut d, e) = dragon4::dragon4(
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

/// `n ≥ 1` correctly rounded significant digits of `v > 0`.
fn significant_digits(v: f64, n: usize) -> (Vec<u8>, i32) {
    let mut d = Vec::with_capacity(n);
    let e = sci_digits(v, n, &mut d);
    strip_zeros(&mut d);
    (d, e)
}

/// The digits of `v > 0` correctly rounded to `prec` decimals.
fn fraction_digits(v: f64, prec: usize) -> (Vec<u8>, i32) {
    let (mut all, mut frac) = (Vec::new(), Vec::new());
    fixed_digits(v, prec, &mut all, &mut frac);
    let int_len = all.len() as i32;
    all.extend_from_slice(&frac);
    let lead = all.iter().take_while(|&&c| c == b'0').count();
    if lead == all.len() {
        return (vec![b'0'], 0);
    }
    let mut d = all.split_off(lead);
    strip_zeros(&mut d);
    (d, int_len - 1 - lead as i32)
}

/// Dragon4's digits of a float64 or float32 `v > 0` (held exactly as an
/// f64): the shortest round-trip digits, cut to the cutoffs by exact
/// rounding, or (not `unique`) the exactly rounded digits.
fn exact_or_shortest(
    v: f64,
    width: FloatWidth,
    unique: bool,
    mode: Cutoff,
    cutoff_max: i32,
    cutoff_min: i32,
) -> (Vec<u8>, i32) {
    // Exactly rounded to the cutoff: what Dragon4 does when it reaches the
    // cutoff digit, and in exact (non-unique) mode.
    let exact = |n: i32| -> (Vec<u8>, i32) {
        match mode {
            Cutoff::Fraction => fraction_digits(v, n.max(0) as usize),
            Cutoff::Total => significant_digits(v, n.max(1) as usize),
        }
    };
    if !unique {
        return exact(cutoff_max);
    }
    let (d, e) = shortest_digits(v, width);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn f64_via_big(v: f64) -> Float {
        // The same f64 as a Big-path float, to check both digit paths agree.
        let bits = v.to_bits();
        let m = (bits & ((1 << 52) - 1)) as u128;
        let e = ((bits >> 52) & 0x7ff) as i32;
        Float::ieee(v < 0.0, e, m, 52, 1023, 0x7ff)
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
    }
}
