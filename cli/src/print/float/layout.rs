//! NumPy's layout of float digits: `np.format_float_positional` and
//! `np.format_float_scientific` with their trimming, padding and exponent
//! rules, and the widths `FloatingFormat.fillFormat` measures.

use super::{digits, Class, Cutoff, Float};

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
