//! Python's printf-style `%` formatting, as `np.savetxt` applies it to the
//! NumPy scalars of each row: `d i u o x X e E f F g G s c` with the flags
//! `- + space # 0`, a width and a precision; `%%` is a literal percent sign.

use super::digits::{fixed_digits, sci_digits, MAX_FRAC_DIGITS, MAX_SIG_DIGITS};
use super::float::{self, FloatWidth};
use super::repr::push_bytes_repr;
use crate::error::Result;
use crate::{bail, err};

/// The widest field formatted (Python's own limit on precisions).
pub(crate) const MAX_WIDTH: usize = i32::MAX as usize;

/// Flags, width, precision and conversion of one `%` directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    minus: bool,
    plus: bool,
    space: bool,
    alt: bool,
    zero: bool,
    width: usize,
    prec: Option<usize>,
    conv: u8,
}

impl Spec {
    /// Is this exactly `%.{p}e` (no flags, no width)? Returns `p`.
    fn plain_e(&self) -> Option<usize> {
        if self.conv == b'e'
            && !self.minus
            && !self.plus
            && !self.space
            && !self.alt
            && !self.zero
            && self.width == 0
        {
            Some(self.prec.unwrap_or(6))
        } else {
            None
        }
    }
}

/// A piece of a parsed format: literal text or a directive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text copied as is (`%%` already reduced to `%`).
    Lit(Vec<u8>),
    /// A conversion consuming one value.
    Spec(Spec),
}

/// A parsed format string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format {
    pieces: Vec<Piece>,
    nspecs: usize,
}

impl Format {
    /// Parse a format as Python's `str % tuple` reads it: flags, a width of
    /// at most `isize::MAX` ("width too big" beyond, as Python), a precision
    /// of at most `i32::MAX` ("precision too big"), one optional length
    /// modifier `h`, `l` or `L` (Python skips one; `%lld` is an error), and
    /// the conversion. Widths above `i32::MAX` (which Python would try to
    /// allocate) are refused too.
    pub fn parse(fmt: &str) -> Result<Format> {
        let b = fmt.as_bytes();
        let mut pieces = Vec::new();
        let mut lit = Vec::new();
        let mut i = 0;
        let mut nspecs = 0;
        while i < b.len() {
            if b[i] != b'%' {
                lit.push(b[i]);
                i += 1;
                continue;
            }
            let spec_start = i;
            i += 1;
            if i < b.len() && b[i] == b'(' {
                bail!(
                    InvalidArg,
                    "format {fmt:?}: mapping keys '%(name)' are not supported (savetxt formats take one value per column; Python: format requires a mapping)"
                );
            }
            let mut s = Spec {
                minus: false,
                plus: false,
                space: false,
                alt: false,
                zero: false,
                width: 0,
                prec: None,
                conv: 0,
            };
            while i < b.len() {
                match b[i] {
                    b'-' => s.minus = true,
                    b'+' => s.plus = true,
                    b' ' => s.space = true,
                    b'#' => s.alt = true,
                    b'0' => s.zero = true,
                    _ => break,
                }
                i += 1;
            }
            // Digits as Python accumulates them, saturating far above the
            // limits so that any overflow is reported.
            let num = |i: &mut usize| -> u128 {
                let mut v: u128 = 0;
                while *i < b.len() && b[*i].is_ascii_digit() {
                    v = (v * 10 + (b[*i] - b'0') as u128).min(u64::MAX as u128);
                    *i += 1;
                }
                v
            };
            let star = || {
                err!(
                    InvalidArg,
                    "format {fmt:?}: '*' widths and precisions are not supported"
                )
            };
            if i < b.len() && b[i] == b'*' {
                return Err(star());
            }
            let width = num(&mut i);
            if width > isize::MAX as u128 {
                bail!(
                    InvalidArg,
                    "format {fmt:?}: width too big in {:?}",
                    &fmt[spec_start..i]
                );
            }
            if width > MAX_WIDTH as u128 {
                bail!(
                    InvalidArg,
                    "format {fmt:?}: width {width} in {:?} is more than {MAX_WIDTH} characters",
                    &fmt[spec_start..i]
                );
            }
            s.width = width as usize;
            if i < b.len() && b[i] == b'.' {
                i += 1;
                if i < b.len() && b[i] == b'*' {
                    return Err(star());
                }
                let prec = num(&mut i);
                if prec > i32::MAX as u128 {
                    bail!(
                        InvalidArg,
                        "format {fmt:?}: precision too big in {:?} (at most {})",
                        &fmt[spec_start..i],
                        i32::MAX
                    );
                }
                s.prec = Some(prec as usize);
            }
            if i < b.len() && matches!(b[i], b'h' | b'l' | b'L') {
                i += 1;
            }
            let Some(&c) = b.get(i) else {
                bail!(
                    InvalidArg,
                    "format {fmt:?}: incomplete format {:?} at the end",
                    &fmt[spec_start..]
                );
            };
            i += 1;
            match c {
                b'%' => {
                    lit.push(b'%');
                    continue;
                }
                b'd' | b'i' | b'u' | b'o' | b'x' | b'X' | b'e' | b'E' | b'f' | b'F' | b'g'
                | b'G' | b's' | b'c' => {}
                b'r' | b'a' => bail!(
                    InvalidArg,
                    "format {fmt:?}: '%{}' (repr of NumPy scalars) is not supported",
                    c as char
                ),
                _ => {
                    let ch = fmt[i - 1..].chars().next().unwrap_or('?');
                    bail!(
                        InvalidArg,
                        "format {fmt:?}: unsupported format character {ch:?} (0x{:x}) at index {}",
                        ch as u32,
                        fmt[..i - 1].chars().count()
                    )
                }
            }
            s.conv = c;
            if !lit.is_empty() {
                pieces.push(Piece::Lit(std::mem::take(&mut lit)));
            }
            pieces.push(Piece::Spec(s));
            nspecs += 1;
        }
        if !lit.is_empty() {
            pieces.push(Piece::Lit(lit));
        }
        Ok(Format { pieces, nspecs })
    }

    /// An upper bound of the bytes one row takes, for cells of at most
    /// `cell_bytes` bytes of storage each: literals, plus per directive its
    /// width, its precision and the longest number or text it can print.
    pub fn row_bound(&self, cell_bytes: usize) -> usize {
        let mut n = 0usize;
        for p in &self.pieces {
            n = n.saturating_add(match p {
                Piece::Lit(l) => l.len(),
                Piece::Spec(s) => s
                    .width
                    .saturating_add(s.prec.unwrap_or(0))
                    .saturating_add(cell_bytes.saturating_mul(4))
                    .saturating_add(400),
            });
        }
        n
    }

    /// Number of values the format consumes.
    pub fn nspecs(&self) -> usize {
        self.nspecs
    }

    /// The pieces.
    pub fn pieces(&self) -> &[Piece] {
        &self.pieces
    }

    /// If every directive is `%.{p}e` with the same `p`, that `p`.
    pub fn uniform_plain_e(&self) -> Option<usize> {
        let mut p = None;
        for piece in &self.pieces {
            if let Piece::Spec(s) = piece {
                let q = s.plain_e()?;
                if p.is_some_and(|p| p != q) {
                    return None;
                }
                p = Some(q);
            }
        }
        p
    }
}

/// One value of a row, as the NumPy scalar `tuple(row)` would give.
#[derive(Clone, Debug)]
pub enum Cell<'a> {
    /// A float of the given width (converted exactly to f64).
    Float(f64, FloatWidth),
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// `np.bool`.
    Bool(bool),
    /// `np.bytes_` (trailing NULs already removed).
    Bytes(&'a [u8]),
    /// `np.str_` (trailing NULs already removed).
    Text(String),
}

impl Cell<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Cell::Float(_, FloatWidth::F16) => "numpy.float16",
            Cell::Float(_, FloatWidth::F32) => "numpy.float32",
            Cell::Float(_, FloatWidth::F64) => "numpy.float64",
            Cell::Int(_) => "numpy.int64",
            Cell::UInt(_) => "numpy.uint64",
            Cell::Bool(_) => "numpy.bool",
            Cell::Bytes(_) => "numpy.bytes_",
            Cell::Text(_) => "numpy.str_",
        }
    }
}

/// Where formatted text goes: bounded pieces are appended to a buffer
/// directly; runs of one byte (padding and zeros, as long as a width or a
/// precision asks) go through [`Out::fill`], so that a streaming output can
/// write them out without holding them.
pub trait Out {
    /// The buffer bounded pieces are appended to.
    fn buf(&mut self) -> &mut Vec<u8>;
    /// Append `n` copies of `byte`.
    fn fill(&mut self, byte: u8, n: usize);
}

impl Out for Vec<u8> {
    #[inline]
    fn buf(&mut self) -> &mut Vec<u8> {
        self
    }
    #[inline]
    fn fill(&mut self, byte: u8, n: usize) {
        self.extend(std::iter::repeat_n(byte, n));
    }
}

/// A formatted body: `head`, then `zeros` zero digits, then `tail`.
struct Body<'a> {
    head: &'a [u8],
    zeros: usize,
    tail: &'a [u8],
}

impl Body<'_> {
    fn chars(&self) -> usize {
        count_chars(self.head) + self.zeros + count_chars(self.tail)
    }
}

/// Write one directive applied to one value.
pub fn write_spec<O: Out + ?Sized>(out: &mut O, s: &Spec, cell: &Cell) -> Result<()> {
    if let (Some(p), Cell::Float(v, _)) = (s.plain_e(), cell) {
        if p < MAX_SIG_DIGITS {
            float::push_e(out.buf(), *v, p, false);
            return Ok(());
        }
    }
    match s.conv {
        b'd' | b'i' | b'u' => {
            let (neg, digits) = match cell {
                Cell::Int(v) => (*v < 0, v.unsigned_abs().to_string().into_bytes()),
                Cell::UInt(v) => (false, v.to_string().into_bytes()),
                Cell::Bool(b) => (false, vec![b'0' + *b as u8]),
                Cell::Float(v, _) => float_to_int_digits(*v)?,
                other => bail!(
                    InvalidArg,
                    "%{} format: a real number is required, not {}",
                    s.conv as char,
                    other.type_name()
                ),
            };
            write_int(out, s, neg, &digits, b"");
        }
        b'o' | b'x' | b'X' => {
            let (neg, mag) = match cell {
                Cell::Int(v) => (*v < 0, v.unsigned_abs()),
                Cell::UInt(v) => (false, *v),
                other => bail!(
                    InvalidArg,
                    "%{} format: an integer is required, not {}",
                    s.conv as char,
                    other.type_name()
                ),
            };
            let (digits, prefix): (String, &[u8]) = match s.conv {
                b'o' => (format!("{mag:o}"), b"0o"),
                b'x' => (format!("{mag:x}"), b"0x"),
                _ => (format!("{mag:X}"), b"0X"),
            };
            write_int(
                out,
                s,
                neg,
                digits.as_bytes(),
                if s.alt { prefix } else { b"" },
            );
        }
        b'e' | b'E' | b'f' | b'F' | b'g' | b'G' => {
            let v = match cell {
                Cell::Float(v, _) => *v,
                Cell::Int(v) => *v as f64,
                Cell::UInt(v) => *v as f64,
                Cell::Bool(b) => *b as u8 as f64,
                other => bail!(
                    InvalidArg,
                    "%{} format: a real number is required, not {}",
                    s.conv as char,
                    other.type_name()
                ),
            };
            write_float(out, s, v);
        }
        b's' => {
            let mut text = Vec::new();
            match cell {
                Cell::Float(v, w) => float::push_repr(&mut text, *v, *w),
                Cell::Int(v) => text.extend_from_slice(v.to_string().as_bytes()),
                Cell::UInt(v) => text.extend_from_slice(v.to_string().as_bytes()),
                Cell::Bool(b) => text.extend_from_slice(if *b { b"True" } else { b"False" }),
                Cell::Bytes(b) => push_bytes_repr(&mut text, b),
                Cell::Text(t) => text.extend_from_slice(t.as_bytes()),
            }
            write_text(out, s, &text);
        }
        b'c' => {
            let ch = match cell {
                Cell::Int(v) => u32::try_from(*v).ok().and_then(char::from_u32),
                Cell::UInt(v) => u32::try_from(*v).ok().and_then(char::from_u32),
                Cell::Text(t) if t.chars().count() == 1 => t.chars().next(),
                other => bail!(
                    InvalidArg,
                    "%c requires an int or a unicode character, not {}",
                    other.type_name()
                ),
            };
            let ch = ch.ok_or_else(|| err!(InvalidArg, "%c arg not in range(0x110000)"))?;
            let mut b = [0u8; 4];
            let text = ch.encode_utf8(&mut b).as_bytes().to_vec();
            let s2 = Spec {
                prec: None,
                ..s.clone()
            };
            write_text(out, &s2, &text);
        }
        _ => bail!(InvalidArg, "unsupported conversion %{}", s.conv as char),
    }
    Ok(())
}

/// `int(v)` of a float as decimal digits of its magnitude (exact).
fn float_to_int_digits(v: f64) -> Result<(bool, Vec<u8>)> {
    if v.is_nan() {
        bail!(InvalidArg, "cannot convert float NaN to integer");
    }
    if v.is_infinite() {
        bail!(InvalidArg, "cannot convert float infinity to integer");
    }
    let t = v.trunc();
    let neg = t < 0.0;
    let a = t.abs();
    let digits = if a < 1.8e19 {
        (a as u64).to_string().into_bytes()
    } else {
        format!("{a:.0}").into_bytes()
    };
    Ok((neg && a != 0.0, digits))
}

fn sign_char(s: &Spec, neg: bool) -> Option<u8> {
    if neg {
        Some(b'-')
    } else if s.plus {
        Some(b'+')
    } else if s.space {
        Some(b' ')
    } else {
        None
    }
}

/// Pad `sign + prefix + body` to the width: left-justified with spaces,
/// zero-filled after the sign and prefix, or right-justified with spaces.
fn pad<O: Out + ?Sized>(
    out: &mut O,
    s: &Spec,
    sign: Option<u8>,
    prefix: &[u8],
    body: &Body,
    numeric: bool,
) {
    let len = (sign.is_some() as usize + prefix.len()).saturating_add(body.chars());
    let fill = s.width.saturating_sub(len);
    let put_body = |out: &mut O| {
        out.buf().extend_from_slice(body.head);
        out.fill(b'0', body.zeros);
        out.buf().extend_from_slice(body.tail);
    };
    if s.minus {
        out.buf().extend(sign);
        out.buf().extend_from_slice(prefix);
        put_body(out);
        out.fill(b' ', fill);
    } else if s.zero && numeric {
        out.buf().extend(sign);
        out.buf().extend_from_slice(prefix);
        out.fill(b'0', fill);
        put_body(out);
    } else {
        out.fill(b' ', fill);
        out.buf().extend(sign);
        out.buf().extend_from_slice(prefix);
        put_body(out);
    }
}

fn count_chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xc0) != 0x80).count()
}

fn write_int<O: Out + ?Sized>(out: &mut O, s: &Spec, neg: bool, digits: &[u8], prefix: &[u8]) {
    let zeros = s.prec.map_or(0, |p| p.saturating_sub(digits.len()));
    let body = Body {
        head: b"",
        zeros,
        tail: digits,
    };
    pad(out, s, sign_char(s, neg), prefix, &body, true);
}

fn write_text<O: Out + ?Sized>(out: &mut O, s: &Spec, text: &[u8]) {
    let text = match s.prec {
        Some(p) => {
            // Truncate to p characters.
            let mut n = 0;
            let mut end = text.len();
            for (i, &c) in text.iter().enumerate() {
                if (c & 0xc0) != 0x80 {
                    if n == p {
                        end = i;
                        break;
                    }
                    n += 1;
                }
            }
            &text[..end]
        }
        None => text,
    };
    let body = Body {
        head: text,
        zeros: 0,
        tail: b"",
    };
    pad(out, s, None, b"", &body, false);
}

/// `%e`, `%f` and `%g` of any precision up to Python's limit: the digits
/// that can be non-zero are computed (a double has at most 767
/// significant decimal digits and 1074 fraction digits), the rest are
/// zeros written as a run.
fn write_float<O: Out + ?Sized>(out: &mut O, s: &Spec, v: f64) {
    let upper = s.conv.is_ascii_uppercase();
    let neg = v.is_sign_negative() && !v.is_nan();
    let sign = sign_char(s, neg);
    let mut head = Vec::with_capacity(32);
    let mut tail = Vec::new();
    let zeros: usize;
    if !v.is_finite() {
        float::push_special(&mut head, v.abs(), upper);
        let body = Body {
            head: &head,
            zeros: 0,
            tail: b"",
        };
        pad(out, s, sign, b"", &body, true);
        return;
    }
    let a = v.abs();
    let prec = s.prec.unwrap_or(6);
    match s.conv.to_ascii_lowercase() {
        b'e' => {
            // prec + 1 significant digits: at most MAX_SIG_DIGITS computed.
            let want = prec.saturating_add(1);
            let got = want.min(MAX_SIG_DIGITS);
            let k = sig_digits(a, got, &mut head);
            if prec > 0 || s.alt {
                head.insert(1, b'.');
            }
            zeros = want - got;
            tail.push(if upper { b'E' } else { b'e' });
            float::push_exp(&mut tail, k);
        }
        b'f' => {
            let got = prec.min(MAX_FRAC_DIGITS);
            let mut fp = Vec::new();
            fixed_digits(a, got, &mut head, &mut fp);
            if prec > 0 || s.alt {
                head.push(b'.');
            }
            head.extend_from_slice(&fp);
            zeros = prec - got;
        }
        _ => {
            let p = prec.max(1);
            let got = p.min(MAX_SIG_DIGITS);
            let mut d = Vec::with_capacity(got);
            let x = sig_digits(a, got, &mut d);
            // With '#' the p digits are all kept (p - got of them zeros);
            // without, trailing zeros go, so the missing ones never show.
            let more = if s.alt { p - got } else { 0 };
            if -4 <= x && (x as i64) < p as i64 {
                // Positional with p - 1 - x decimals (x < p: the digits
                // reach the point).
                float::push_positional(&mut head, &d, x);
                if !s.alt {
                    while head.last() == Some(&b'0') {
                        head.pop();
                    }
                    if head.last() == Some(&b'.') {
                        head.pop();
                    }
                }
                zeros = more;
            } else {
                if !s.alt {
                    while d.len() > 1 && d.last() == Some(&b'0') {
                        d.pop();
                    }
                }
                head.push(d[0]);
                if d.len() > 1 || s.alt {
                    head.push(b'.');
                }
                head.extend_from_slice(&d[1..]);
                zeros = more;
                tail.push(if upper { b'E' } else { b'e' });
                float::push_exp(&mut tail, x);
            }
        }
    }
    let body = Body {
        head: &head,
        zeros,
        tail: &tail,
    };
    pad(out, s, sign, b"", &body, true);
}

/// `n` (1..=MAX_SIG_DIGITS) correctly rounded significant digits of
/// `a ≥ 0` and the exponent of the first (zeros and exponent 0 for 0).
fn sig_digits(a: f64, n: usize, out: &mut Vec<u8>) -> i32 {
    if a == 0.0 {
        out.extend(std::iter::repeat_n(b'0', n));
        0
    } else {
        sci_digits(a, n, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(fmt: &str, cells: &[Cell]) -> String {
        let f = Format::parse(fmt).unwrap();
        let mut out = Vec::new();
        let mut i = 0;
        for p in f.pieces() {
            match p {
                Piece::Lit(l) => out.extend_from_slice(l),
                Piece::Spec(s) => {
                    write_spec(&mut out, s, &cells[i]).unwrap();
                    i += 1;
                }
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn python_examples() {
        use Cell::*;
        let fl = |v| Float(v, FloatWidth::F64);
        assert_eq!(f("%010.3f", &[fl(f64::INFINITY)]), "0000000inf");
        assert_eq!(f("%05d", &[fl(-3.7)]), "-0003");
        assert_eq!(
            f("%#o %#x %#X %o", &[Int(8), Int(255), Int(-255), Int(-8)]),
            "0o10 0xff -0XFF -10"
        );
        assert_eq!(
            f(
                "%.3d|%5.3d|%-5d|%+d|% d",
                &[Int(5), Int(-5), Int(5), Int(5), Int(5)]
            ),
            "005| -005|5    |+5| 5"
        );
        assert_eq!(
            f(
                "%#.3g|%g|%g|%g|%.0g|%#.0e|%#.0f",
                &[
                    fl(1.0),
                    fl(1e-5),
                    fl(123456789.0),
                    fl(0.0001),
                    fl(2.5),
                    fl(3.0),
                    fl(3.0)
                ]
            ),
            "1.00|1e-05|1.23457e+08|0.0001|2|3.e+00|3."
        );
        assert_eq!(
            f("%5.2s|%05s|", &[Text("abcdef".into()), Text("ab".into())]),
            "   ab|   ab|"
        );
        assert_eq!(
            f("%d %s", &[fl(1e20), Bytes(b"a'b")]),
            "100000000000000000000 b\"a'b\""
        );
        assert_eq!(f("%s %s", &[fl(1e16), fl(1.5e-5)]), "1e+16 1.5e-05");
        assert_eq!(f("%08.3e|%5c", &[fl(f64::NAN), Int(65)]), "00000nan|    A");
        assert_eq!(
            f("%.0f %.0f %g %G", &[fl(0.5), fl(1.5), fl(-0.0), fl(1e-10)]),
            "0 2 -0 1E-10"
        );
    }
}
