//! Text → number conversions with NumPy's rules: `np.loadtxt`'s C parsers,
//! and the Python constructors (`float`, `int`, `complex`) that
//! `np.genfromtxt` calls.

use super::tokenize::py_strip;

/// Why an integer did not parse.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntErr {
    /// Not an integer at all (`"abc"`, `"1.5"`, `""`).
    Invalid,
    /// An integer outside the type's range.
    Overflow,
}

/// The first code point of each run of ten Unicode decimal digits
/// (general category Nd) as Python 3.11's `unicodedata` (Unicode 14.0) has
/// them; ASCII `0` first.
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// The value of a Unicode decimal digit (Python's `unicodedata.decimal`).
pub fn decimal_value(c: char) -> Option<u8> {
    let c = c as u32;
    let k = DECIMAL_ZEROS.partition_point(|&z| z <= c);
    let z = *DECIMAL_ZEROS.get(k.checked_sub(1)?)?;
    (c - z < 10).then(|| (c - z) as u8)
}

/// Python's `Py_ISSPACE`: the ASCII whitespace `int()` and `float()` strip.
#[inline]
fn ascii_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// What Python's `int()`, `float()` and `complex()` parse for the text `b`:
/// every non-ASCII character made ASCII (Unicode whitespace a space, a
/// Unicode decimal digit its ASCII digit; anything else makes the text
/// invalid: `None`), then ASCII whitespace stripped from both ends.
pub fn py_number_text(b: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    use std::borrow::Cow;
    let t: Cow<[u8]> = if b.is_ascii() {
        Cow::Borrowed(b)
    } else {
        let s = std::str::from_utf8(b).ok()?;
        let mut v = Vec::with_capacity(b.len());
        for c in s.chars() {
            if c.is_ascii() {
                v.push(c as u8);
            } else if c.is_whitespace() {
                v.push(b' ');
            } else {
                v.push(b'0' + decimal_value(c)?);
            }
        }
        Cow::Owned(v)
    };
    let a = t.iter().position(|&c| !ascii_space(c)).unwrap_or(t.len());
    let z = t
        .iter()
        .rposition(|&c| !ascii_space(c))
        .map_or(a, |i| i + 1);
    Some(match t {
        Cow::Borrowed(b) => Cow::Borrowed(&b[a..z]),
        Cow::Owned(v) => Cow::Owned(v[a..z].to_vec()),
    })
}

/// Python's limit on the digits `int()` converts from a string
/// (`sys.get_int_max_str_digits()`, 4300 by default): more is a
/// ValueError, not a number.
pub(crate) const PY_INT_MAX_STR_DIGITS: usize = 4300;

/// Skip Python whitespace from `i`.
#[inline]
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        let n = super::tokenize::space_len(b, i);
        if n == 0 {
            break;
        }
        i += n;
    }
    i
}

/// The shared body of [`np_int`] and [`np_uint`]: optional whitespace,
/// a sign (`-` only if `allow_minus`), at least one ASCII digit, optional
/// whitespace. Returns whether it was negative and the magnitude, or
/// `None` for a magnitude above `limit` (the digits are still checked).
#[inline]
fn np_digits(b: &[u8], allow_minus: bool, limit: u128) -> Result<(bool, Option<u128>), IntErr> {
    let mut i = 0;
    if b.first().is_some_and(|&c| c <= b' ' || c >= 0x80) {
        i = skip_ws(b, 0);
    }
    let neg = match b.get(i) {
        Some(b'-') if !allow_minus => return Err(IntErr::Invalid),
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if !b.get(i).is_some_and(|c| c.is_ascii_digit()) {
        return Err(IntErr::Invalid);
    }
    let mut acc: Option<u128> = Some(0);
    while let Some(&c) = b.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        acc = acc
            .map(|a| a * 10 + (c - b'0') as u128)
            .filter(|&a| a <= limit);
        i += 1;
    }
    if skip_ws(b, i) != b.len() {
        return Err(IntErr::Invalid);
    }
    Ok((neg, acc))
}

/// NumPy's `str_to_int64`: optional whitespace, sign, at least one ASCII
/// digit, optional whitespace; nothing else. Range `[min, max]`.
#[inline]
pub fn np_int(b: &[u8], min: i64, max: i64) -> Result<i64, IntErr> {
    let limit = (max as i128 + 1).max(-(min as i128)) as u128;
    let (neg, acc) = np_digits(b, true, limit)?;
    let mag = acc.ok_or(IntErr::Overflow)? as i128;
    let v = if neg { -mag } else { mag };
    if v < min as i128 || v > max as i128 {
        return Err(IntErr::Overflow);
    }
    Ok(v as i64)
}

/// NumPy's `str_to_uint64`: as [`np_int`] but no minus sign at all.
#[inline]
pub fn np_uint(b: &[u8], max: u64) -> Result<u64, IntErr> {
    match np_digits(b, false, max as u128)? {
        (_, Some(v)) => Ok(v as u64),
        (_, None) => Err(IntErr::Overflow),
    }
}

/// NumPy's float parser for `np.loadtxt`: surrounding whitespace, then
/// exactly what `float()` accepts minus underscores (`1e5`, `.5`, `inf`,
/// `-nan`, `Infinity`; `1e400` is `inf`).
#[inline]
pub fn np_float(b: &[u8]) -> Option<f64> {
    let s = if b.first().is_some_and(|&c| c <= b' ' || c >= 0x80)
        || b.last().is_some_and(|&c| c <= b' ' || c >= 0x80)
    {
        py_strip(b)
    } else {
        b
    };
    fast_float2::parse::<f64, _>(s).ok()
}

/// Remove Python's digit-grouping underscores (each must sit between two
/// digits); `None` if they are misplaced.
fn strip_underscores(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    for (i, &c) in s.iter().enumerate() {
        if c == b'_' {
            let prev = i > 0 && s[i - 1].is_ascii_digit();
            let next = s.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            if !prev || !next {
                return None;
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Python's `float(s)`: Unicode digits and whitespace as Python reads them
/// ([`py_number_text`]), underscores between digits, and the same grammar
/// as [`np_float`] (`1e5`, `.5`, `inf`, `-nan`, `Infinity`; `1e400` is inf).
pub fn py_float(b: &[u8]) -> Option<f64> {
    let s = py_number_text(b)?;
    if s.contains(&b'_') {
        let t = strip_underscores(&s)?;
        return fast_float2::parse::<f64, _>(&t).ok();
    }
    fast_float2::parse::<f64, _>(&*s).ok()
}

/// Python's `int(s)` (base 10): Unicode digits and whitespace as Python
/// reads them, a sign, digits with underscores between them. The value as
/// i128 when it fits, else overflow; more than 4300 digits is invalid (a
/// ValueError in Python, whose default limit it is).
pub fn py_int(b: &[u8]) -> Result<i128, IntErr> {
    let s = py_number_text(b).ok_or(IntErr::Invalid)?;
    let (neg, rest) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, &s[..]),
    };
    if rest.is_empty() || !rest[0].is_ascii_digit() {
        return Err(IntErr::Invalid);
    }
    let digits = if rest.contains(&b'_') {
        strip_underscores(rest).ok_or(IntErr::Invalid)?
    } else {
        rest.to_vec()
    };
    if !digits.iter().all(|c| c.is_ascii_digit()) {
        return Err(IntErr::Invalid);
    }
    if digits.len() > PY_INT_MAX_STR_DIGITS {
        return Err(IntErr::Invalid);
    }
    let mut acc: i128 = 0;
    for &c in &digits {
        acc = acc
            .checked_mul(10)
            .and_then(|a| a.checked_add((c - b'0') as i128))
            .ok_or(IntErr::Overflow)?;
    }
    Ok(if neg { -acc } else { acc })
}

/// Where a complex number starts in `b`: after the whitespace (`skip`)
/// and an optional `(` with the whitespace after it; and whether there
/// was a parenthesis.
fn after_open_paren(b: &[u8], skip: impl Fn(&[u8], usize) -> usize) -> (usize, bool) {
    let i = skip(b, 0);
    if b.get(i) == Some(&b'(') {
        (skip(b, i + 1), true)
    } else {
        (i, false)
    }
}

/// NumPy's complex parser for `np.loadtxt` (`to_complex_int`): optional
/// parentheses, `a`, `bj`, `a+bj`, `a-bj` with imaginary unit `j`.
pub fn np_complex(b: &[u8]) -> Option<(f64, f64)> {
    let n = b.len();
    let (mut i, paren) = after_open_paren(b, skip_ws);
    if i >= n {
        return None;
    }
    let (re, k) = fast_float2::parse_partial::<f64, _>(&b[i..]).ok()?;
    if k == 0 {
        return None;
    }
    i += k;
    let (mut re, mut im) = (re, 0.0);
    if i == n {
        return (!paren).then_some((re, 0.0));
    }
    if b[i] == b'j' {
        im = re;
        re = 0.0;
        i += 1;
    } else if b[i] == b'+' || b[i] == b'-' {
        if b[i] == b'+' {
            i += 1;
        }
        let (v, k) = fast_float2::parse_partial::<f64, _>(b.get(i..)?).ok()?;
        if k == 0 {
            return None;
        }
        i += k;
        if b.get(i) != Some(&b'j') {
            return None;
        }
        im = v;
        i += 1;
    }
    if paren {
        i = skip_ws(b, i);
        if b.get(i) != Some(&b')') {
            return None;
        }
        i += 1;
    }
    (skip_ws(b, i) == n).then_some((re, im))
}

/// Python's `complex(s)`, with Unicode digits and whitespace as Python
/// reads them ([`py_number_text`]).
pub fn py_complex(b: &[u8]) -> Option<(f64, f64)> {
    let text = py_number_text(b)?;
    let owned;
    let b = if text.contains(&b'_') {
        owned = strip_underscores(&text)?;
        &owned[..]
    } else {
        &text[..]
    };
    let skip_ws = |b: &[u8], mut i: usize| {
        while i < b.len() && ascii_space(b[i]) {
            i += 1;
        }
        i
    };
    let n = b.len();
    let (mut i, paren) = after_open_paren(b, skip_ws);
    let is_j = |c: Option<&u8>| matches!(c, Some(b'j' | b'J'));
    let (mut x, mut y) = (0.0, 0.0);
    match fast_float2::parse_partial::<f64, _>(&b[i..]) {
        Ok((z, k)) if k > 0 => {
            i += k;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                x = z;
                match fast_float2::parse_partial::<f64, _>(&b[i..]) {
                    Ok((v, k)) if k > 0 => {
                        y = v;
                        i += k;
                    }
                    _ => {
                        y = if b[i] == b'+' { 1.0 } else { -1.0 };
                        i += 1;
                    }
                }
                if !is_j(b.get(i)) {
                    return None;
                }
                i += 1;
            } else if is_j(b.get(i)) {
                y = z;
                i += 1;
            } else {
                x = z;
            }
        }
        _ => {
            if matches!(b.get(i), Some(b'+' | b'-')) {
                y = if b[i] == b'+' { 1.0 } else { -1.0 };
                i += 1;
            } else {
                y = 1.0;
            }
            if !is_j(b.get(i)) {
                return None;
            }
            i += 1;
        }
    }
    i = skip_ws(b, i);
    if paren {
        if b.get(i) != Some(&b')') {
            return None;
        }
        i = skip_ws(b, i + 1);
    }
    (i == n).then_some((x, y))
}

/// `np.lib._iotools.str2bool`: `TRUE` or `FALSE` in any case, nothing else.
pub fn py_str2bool(b: &[u8]) -> Option<bool> {
    if b.eq_ignore_ascii_case(b"true") {
        Some(true)
    } else if b.eq_ignore_ascii_case(b"false") {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints() {
        assert_eq!(np_int(b" 12 ", i64::MIN, i64::MAX), Ok(12));
        assert_eq!(np_int(b"-128", -128, 127), Ok(-128));
        assert_eq!(np_int(b"128", -128, 127), Err(IntErr::Overflow));
        assert_eq!(np_int(b"1.0", -128, 127), Err(IntErr::Invalid));
        assert_eq!(np_int(b"", -128, 127), Err(IntErr::Invalid));
        assert_eq!(np_uint(b"-0", 255), Err(IntErr::Invalid));
        assert_eq!(np_uint(b"+255", 255), Ok(255));
        assert_eq!(
            np_int(b"99999999999999999999999", i64::MIN, i64::MAX),
            Err(IntErr::Overflow)
        );
        assert_eq!(py_int(b" 1_000 "), Ok(1000));
        assert_eq!(py_int(b"1__0"), Err(IntErr::Invalid));
        assert_eq!(py_int("\u{3000}-\u{661}\u{662}\u{a0}".as_bytes()), Ok(-12));
        assert_eq!(py_int("\u{ff11}_\u{ff12}".as_bytes()), Ok(12));
        assert_eq!(py_int("\u{b2}".as_bytes()), Err(IntErr::Invalid));
        assert_eq!(py_int(b"1\x1c"), Err(IntErr::Invalid));
        let long = "7".repeat(PY_INT_MAX_STR_DIGITS);
        assert_eq!(py_int(long.as_bytes()), Err(IntErr::Overflow));
        assert_eq!(py_int(format!("0{long}").as_bytes()), Err(IntErr::Invalid));
        assert_eq!(
            py_float("\u{ff11}.\u{ff15}e\u{663}".as_bytes()),
            Some(1500.0)
        );
        assert_eq!(py_float(b"\x0b1\x0c"), Some(1.0));
        assert_eq!(py_float(b"1\x1c"), None);
        assert_eq!(
            py_complex("(\u{663}-\u{664}j)".as_bytes()),
            Some((3.0, -4.0))
        );
    }

    #[test]
    fn complexes() {
        assert_eq!(np_complex(b" (1+2j) "), Some((1.0, 2.0)));
        assert_eq!(np_complex(b"3j"), Some((0.0, 3.0)));
        assert_eq!(np_complex(b"1-j"), None);
        assert_eq!(np_complex(b"1++2j"), Some((1.0, 2.0)));
        assert_eq!(py_complex(b"j"), Some((0.0, 1.0)));
        assert_eq!(py_complex(b" (1+2J) "), Some((1.0, 2.0)));
        assert_eq!(py_complex(b"1-j"), Some((1.0, -1.0)));
        assert_eq!(py_complex(b"1+"), None);
        assert_eq!(py_float(b" 1_0.5 "), Some(10.5));
        assert_eq!(py_float(b"1_"), None);
    }
}
