//! IEEE 754 half precision (`float16`) to and from `f32` and `f64`,
//! bit-exact with NumPy's conversions: correctly rounded (to nearest, ties
//! to even), overflow to infinity, subnormals kept, and a NaN keeps its
//! sign and the top bits of its payload (a payload that would vanish
//! becomes 1, so a NaN stays a NaN).

/// The half with the nearest value to `x`.
pub fn from_f64(x: f64) -> u16 {
    let b = x.to_bits();
    let sign = ((b >> 48) & 0x8000) as u16;
    let exp = ((b >> 52) & 0x7ff) as i32;
    let man = b & ((1u64 << 52) - 1);
    if exp == 0x7ff {
        if man == 0 {
            return sign | 0x7c00;
        }
        let m = (man >> 42) as u16;
        return sign | 0x7c00 | if m == 0 { 1 } else { m };
    }
    if exp == 0 {
        // Zero or an f64 subnormal: far below half's smallest subnormal.
        return sign;
    }
    let e = exp - 1023;
    let full = man | (1u64 << 52);
    // Units of the result's last place: 2^(e-10) for normal halves, 2^-24
    // for subnormal ones; `shift` drops the bits below that unit.
    let (base, shift) = if e >= -14 {
        if e > 15 {
            return sign | 0x7c00;
        }
        (((e + 14) as u32) << 10, 42u32)
    } else {
        (0, (28 - e) as u32)
    };
    if shift >= 64 {
        return sign;
    }
    let mut m = full >> shift;
    let rem = full & ((1u64 << shift) - 1);
    let half = 1u64 << (shift - 1);
    if rem > half || (rem == half && m & 1 == 1) {
        m += 1;
    }
    // For normal halves `m` holds the hidden bit (1 << 10), which the base
    // (exponent - 1) turns into the exponent; a carry out of the
    // significand moves the exponent up, to infinity at the top.
    let bits = base + m as u32;
    if bits >= 0x7c00 {
        return sign | 0x7c00;
    }
    sign | bits as u16
}

/// The half nearest to `x` (a NaN keeps the top bits of its payload).
pub fn from_f32(x: f32) -> u16 {
    if x.is_nan() {
        let b = x.to_bits();
        let sign = ((b >> 16) & 0x8000) as u16;
        let m = ((b & 0x7f_ffff) >> 13) as u16;
        return sign | 0x7c00 | if m == 0 { 1 } else { m };
    }
    from_f64(x as f64)
}

/// The value of a half, exactly.
pub fn to_f64(h: u16) -> f64 {
    let sign = ((h as u64) & 0x8000) << 48;
    let exp = ((h >> 10) & 0x1f) as u64;
    let man = (h & 0x3ff) as u64;
    let bits = match exp {
        0 if man == 0 => sign,
        0 => {
            // Subnormal: man × 2^-24, exact in f64.
            let v = man as f64 / (1u64 << 24) as f64;
            return if sign != 0 { -v } else { v };
        }
        31 => sign | (0x7ffu64 << 52) | (man << 42),
        _ => sign | ((exp + 1023 - 15) << 52) | (man << 42),
    };
    f64::from_bits(bits)
}

/// The value of a half, exactly (a NaN keeps its payload).
pub fn to_f32(h: u16) -> f32 {
    let exp = (h >> 10) & 0x1f;
    if exp == 31 {
        let sign = ((h as u32) & 0x8000) << 16;
        return f32::from_bits(sign | 0x7f80_0000 | (((h & 0x3ff) as u32) << 13));
    }
    to_f64(h) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_half_round_trips() {
        for h in 0..=u16::MAX {
            assert_eq!(from_f64(to_f64(h)), h, "{h:#06x}");
            assert_eq!(from_f32(to_f32(h)), h, "{h:#06x}");
        }
    }

    #[test]
    fn rounding_and_limits() {
        assert_eq!(from_f64(1.0), 0x3c00);
        assert_eq!(from_f64(65504.0), 0x7bff);
        assert_eq!(from_f64(65519.99), 0x7bff);
        assert_eq!(from_f64(65520.0), 0x7c00);
        assert_eq!(from_f64(-1e300), 0xfc00);
        // Ties to even: 1 + 2^-11 is halfway between 1 and 1 + 2^-10.
        assert_eq!(from_f64(1.0 + 2f64.powi(-11)), 0x3c00);
        assert_eq!(from_f64(1.0 + 3.0 * 2f64.powi(-11)), 0x3c02);
        // Smallest subnormal 2^-24; half of it rounds to even (0), more rounds up.
        assert_eq!(from_f64(2f64.powi(-24)), 1);
        assert_eq!(from_f64(2f64.powi(-25)), 0);
        assert_eq!(from_f64(2f64.powi(-25) * 1.0001), 1);
        assert_eq!(from_f64(-0.0), 0x8000);
        assert_eq!(from_f64(f64::NAN), 0x7e00);
        assert_eq!(from_f32(f32::NAN), 0x7e00);
        assert_eq!(to_f64(0x0001), 2f64.powi(-24));
    }
}
