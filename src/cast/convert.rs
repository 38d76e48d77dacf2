//! Element conversion between the fourteen numeric types, with the values
//! of NumPy's `astype` on x86-64.
//!
//! Values follow C's conversions, as NumPy's cast loops do: integers wrap
//! (two's complement), integers and floats round to nearest, anything to
//! bool is "not zero" (a NaN is true), complex to real keeps the real part.
//! Where C leaves the result undefined (a float that is NaN or out of range
//! converted to an integer) NumPy's value is the x86-64 instruction's:
//! `cvttsd2si` gives the "integer indefinite" value (the most negative
//! integer of its width) for NaN and out-of-range values; `int8`,
//! `int16`, `uint8` and `uint16` take the low bits of the 32-bit
//! conversion; `uint32` and `uint64` convert values below 2^31 (2^63) with
//! the signed conversion of their width, and larger ones by subtracting
//! 2^31 (2^63) first and flipping the top bit after. So NaN becomes
//! `i32::MIN` as `int32`, 0 as `int8`, 2^31 as `uint32`, `i64::MIN` as
//! `int64` and 2^63 as `uint64`; 300.0 as `int8` is 44; -1.0 as `uint32`
//! is 4294967295; 2^32 and +inf as `uint32` are 0. A `float16` goes to
//! `uint32` by way of the 64-bit conversion instead (NaN and -inf give 0). (Measured against
//! NumPy 2.4 on x86-64 by tests/cast_oracle.rs.)

use super::half;
use crate::dtype::Type;

/// One element's value, as the conversions need it.
#[derive(Clone, Copy)]
enum Val {
    Bool(bool),
    Int(i64),
    UInt(u64),
    /// A real float (its value in `f64`, exact for every source).
    Float(f64),
    /// A float32 (kept apart so that its NaN payload reaches float16 as
    /// NumPy's float-to-half does).
    Float32(f32),
    /// A float16 (its value in `f64`): NumPy converts it to `uint32` by
    /// way of a 64-bit conversion, unlike the other floats.
    Half(f64),
    Complex(f64, f64),
}

/// A native element type.
trait Elem: Copy {
    const SIZE: usize;
    fn get(b: &[u8]) -> Self;
    fn put(self, b: &mut [u8]);
    fn val(self) -> Val;
    fn from_val(v: Val) -> Self;
}

/// `cvttsd2si` with a 32-bit result.
fn cvt32(f: f64) -> i32 {
    if f > -2147483649.0 && f < 2147483648.0 {
        f as i32
    } else {
        i32::MIN
    }
}

/// `cvttsd2si` with a 64-bit result.
fn cvt64(f: f64) -> i64 {
    if (-9223372036854775808.0..9223372036854775808.0).contains(&f) {
        f as i64
    } else {
        i64::MIN
    }
}

/// A float's conversion to `uint32` as NumPy's x86-64 code does it.
fn cvt_u32(f: f64) -> u32 {
    const TWO31: f64 = 2147483648.0;
    if f >= TWO31 {
        (cvt32(f - TWO31) as u32) ^ (1u32 << 31)
    } else {
        cvt32(f) as u32
    }
}

/// A float's conversion to `uint64` as x86-64 code does it.
fn cvt_u64(f: f64) -> u64 {
    const TWO63: f64 = 9223372036854775808.0;
    if f >= TWO63 {
        (cvt64(f - TWO63) as u64) ^ (1u64 << 63)
    } else {
        cvt64(f) as u64
    }
}

fn real(v: Val) -> f64 {
    match v {
        Val::Bool(b) => b as u8 as f64,
        Val::Int(i) => i as f64,
        Val::UInt(u) => u as f64,
        Val::Float(f) => f,
        Val::Float32(f) => f as f64,
        Val::Half(f) => f,
        Val::Complex(r, _) => r,
    }
}

macro_rules! int_elem {
    ($t:ty, $wide:ident, $from_float:expr) => {
        int_elem!($t, $wide, $from_float, $from_float);
    };
    ($t:ty, $wide:ident, $from_float:expr, $from_half:expr) => {
        impl Elem for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            #[inline(always)]
            fn get(b: &[u8]) -> Self {
                <$t>::from_ne_bytes(b.try_into().unwrap())
            }
            #[inline(always)]
            fn put(self, b: &mut [u8]) {
                b.copy_from_slice(&self.to_ne_bytes())
            }
            #[inline(always)]
            fn val(self) -> Val {
                Val::$wide(self as _)
            }
            #[inline(always)]
            fn from_val(v: Val) -> Self {
                match v {
                    Val::Bool(b) => b as $t,
                    Val::Int(i) => i as $t,
                    Val::UInt(u) => u as $t,
                    Val::Half(h) => {
                        let f: fn(f64) -> $t = $from_half;
                        f(h)
                    }
                    v => {
                        let f: fn(f64) -> $t = $from_float;
                        f(real(v))
                    }
                }
            }
        }
    };
}

int_elem!(i8, Int, |f| cvt32(f) as i8);
int_elem!(i16, Int, |f| cvt32(f) as i16);
int_elem!(i32, Int, cvt32);
int_elem!(i64, Int, cvt64);
int_elem!(u8, UInt, |f| cvt32(f) as u8);
int_elem!(u16, UInt, |f| cvt32(f) as u16);
int_elem!(u32, UInt, cvt_u32, |f| cvt64(f) as u32);
int_elem!(u64, UInt, cvt_u64);

/// `bool` as NumPy stores it: one byte; any non-zero byte reads as true.
#[derive(Clone, Copy)]
struct Bool(bool);

impl Elem for Bool {
    const SIZE: usize = 1;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        Bool(b[0] != 0)
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        b[0] = self.0 as u8
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Bool(self.0)
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        Bool(match v {
            Val::Bool(b) => b,
            Val::Int(i) => i != 0,
            Val::UInt(u) => u != 0,
            Val::Float(f) => f != 0.0,
            Val::Float32(f) => f != 0.0,
            Val::Half(f) => f != 0.0,
            Val::Complex(r, i) => r != 0.0 || i != 0.0,
        })
    }
}

/// `float16`, by its bits.
#[derive(Clone, Copy)]
struct F16(u16);

fn to_f16(v: Val) -> u16 {
    match v {
        Val::Bool(b) => {
            if b {
                0x3c00
            } else {
                0
            }
        }
        Val::Int(i) => half::from_f64(i as f64),
        Val::UInt(u) => half::from_f64(u as f64),
        Val::Float(f) => half::from_f64(f),
        Val::Float32(f) => half::from_f32(f),
        Val::Half(f) => half::from_f64(f),
        Val::Complex(r, _) => half::from_f64(r),
    }
}

impl Elem for F16 {
    const SIZE: usize = 2;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        F16(u16::from_ne_bytes(b.try_into().unwrap()))
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        b.copy_from_slice(&self.0.to_ne_bytes())
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Half(half::to_f64(self.0))
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        F16(to_f16(v))
    }
}

fn to_f32(v: Val) -> f32 {
    match v {
        Val::Bool(b) => b as u8 as f32,
        Val::Int(i) => i as f32,
        Val::UInt(u) => u as f32,
        Val::Float(f) => f as f32,
        Val::Float32(f) => f,
        Val::Half(f) => f as f32,
        Val::Complex(r, _) => r as f32,
    }
}

impl Elem for f32 {
    const SIZE: usize = 4;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        f32::from_ne_bytes(b.try_into().unwrap())
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        b.copy_from_slice(&self.to_ne_bytes())
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Float32(self)
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        to_f32(v)
    }
}

impl Elem for f64 {
    const SIZE: usize = 8;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        f64::from_ne_bytes(b.try_into().unwrap())
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        b.copy_from_slice(&self.to_ne_bytes())
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Float(self)
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        real(v)
    }
}

/// `complex64`: real and imaginary float32.
#[derive(Clone, Copy)]
struct C64(f32, f32);

impl Elem for C64 {
    const SIZE: usize = 8;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        C64(f32::get(&b[..4]), f32::get(&b[4..]))
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        self.0.put(&mut b[..4]);
        self.1.put(&mut b[4..]);
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Complex(self.0 as f64, self.1 as f64)
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        match v {
            Val::Complex(r, i) => C64(r as f32, i as f32),
            v => C64(to_f32(v), 0.0),
        }
    }
}

/// `complex128`: real and imaginary float64.
#[derive(Clone, Copy)]
struct C128(f64, f64);

impl Elem for C128 {
    const SIZE: usize = 16;
    #[inline(always)]
    fn get(b: &[u8]) -> Self {
        C128(f64::get(&b[..8]), f64::get(&b[8..]))
    }
    #[inline(always)]
    fn put(self, b: &mut [u8]) {
        self.0.put(&mut b[..8]);
        self.1.put(&mut b[8..]);
    }
    #[inline(always)]
    fn val(self) -> Val {
        Val::Complex(self.0, self.1)
    }
    #[inline(always)]
    fn from_val(v: Val) -> Self {
        match v {
            Val::Complex(r, i) => C128(r, i),
            v => C128(real(v), 0.0),
        }
    }
}

fn run<S: Elem, D: Elem>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(S::SIZE).zip(dst.chunks_exact_mut(D::SIZE)) {
        D::from_val(S::get(s).val()).put(d);
    }
}

macro_rules! dispatch_dst {
    ($s:ty, $to:expr, $src:expr, $dst:expr) => {
        match $to {
            Type::Bool => run::<$s, Bool>($src, $dst),
            Type::Int8 => run::<$s, i8>($src, $dst),
            Type::Int16 => run::<$s, i16>($src, $dst),
            Type::Int32 => run::<$s, i32>($src, $dst),
            Type::Int64 => run::<$s, i64>($src, $dst),
            Type::UInt8 => run::<$s, u8>($src, $dst),
            Type::UInt16 => run::<$s, u16>($src, $dst),
            Type::UInt32 => run::<$s, u32>($src, $dst),
            Type::UInt64 => run::<$s, u64>($src, $dst),
            Type::Float16 => run::<$s, F16>($src, $dst),
            Type::Float32 => run::<$s, f32>($src, $dst),
            Type::Float64 => run::<$s, f64>($src, $dst),
            Type::Complex64 => run::<$s, C64>($src, $dst),
            Type::Complex128 => run::<$s, C128>($src, $dst),
        }
    };
}

/// Convert the elements of `src` (type `from`, host byte order) to `to`
/// into `dst`, as `astype(to, casting='unsafe')` does. Converts
/// `min(src.len() / from.itemsize(), dst.len() / to.itemsize())` elements.
///
/// Integers wrap; integers and floats round to nearest (ties to even);
/// anything to bool is "not zero" (NaN is true); complex to real keeps the
/// real part. Where C leaves the value undefined (a NaN or out-of-range
/// float to an integer) the value is NumPy's on x86-64: the most negative
/// `int32` / `int64` for `int32` / `int64`; the low bits of the `int32`
/// result for `int8`, `int16`, `uint8`, `uint16`; for `uint32` and `uint64`,
/// values below 2^31 (2^63) convert as signed and larger ones have 2^31
/// (2^63) subtracted first and the top bit flipped after (NaN gives 2^31
/// and 2^63), except that `float16` reaches `uint32` through the 64-bit
/// conversion (NaN gives 0).
pub fn convert(from: Type, to: Type, src: &[u8], dst: &mut [u8]) {
    match from {
        Type::Bool => dispatch_dst!(Bool, to, src, dst),
        Type::Int8 => dispatch_dst!(i8, to, src, dst),
        Type::Int16 => dispatch_dst!(i16, to, src, dst),
        Type::Int32 => dispatch_dst!(i32, to, src, dst),
        Type::Int64 => dispatch_dst!(i64, to, src, dst),
        Type::UInt8 => dispatch_dst!(u8, to, src, dst),
        Type::UInt16 => dispatch_dst!(u16, to, src, dst),
        Type::UInt32 => dispatch_dst!(u32, to, src, dst),
        Type::UInt64 => dispatch_dst!(u64, to, src, dst),
        Type::Float16 => dispatch_dst!(F16, to, src, dst),
        Type::Float32 => dispatch_dst!(f32, to, src, dst),
        Type::Float64 => dispatch_dst!(f64, to, src, dst),
        Type::Complex64 => dispatch_dst!(C64, to, src, dst),
        Type::Complex128 => dispatch_dst!(C128, to, src, dst),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one<S: Elem, D: Elem>(s: S) -> D {
        D::from_val(s.val())
    }

    #[test]
    fn x86_float_to_int() {
        assert_eq!(one::<f64, i8>(300.0), 44);
        assert_eq!(one::<f64, i8>(f64::NAN), 0);
        assert_eq!(one::<f64, i32>(f64::NAN), i32::MIN);
        assert_eq!(one::<f64, i32>(-2147483648.9), i32::MIN);
        assert_eq!(one::<f64, i32>(2147483647.9), i32::MAX);
        assert_eq!(one::<f64, i64>(1e300), i64::MIN);
        assert_eq!(one::<f64, u32>(-1.0), u32::MAX);
        assert_eq!(one::<f64, u32>(4294967296.0), 0);
        assert_eq!(one::<f64, u32>(-4294967296.0), 1 << 31);
        assert_eq!(one::<f64, u32>(f64::NAN), 1 << 31);
        assert_eq!(one::<f64, u64>(f64::NAN), 1 << 63);
        assert_eq!(one::<f64, u64>(1.8e19), 18000000000000000000);
        assert_eq!(one::<f64, u64>(-1.0), u64::MAX);
        assert_eq!(one::<f32, i16>(-2.5), -2);
    }
}
