//! Dragon4 (Steele & White) on big integers: the digits of float16 and of
//! the long doubles, with NumPy's cutoff modes.

use super::Cutoff;

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
pub(super) fn dragon4(
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
