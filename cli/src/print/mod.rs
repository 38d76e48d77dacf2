//! Arrays printed exactly as NumPy's `repr(a)` prints them (nesting,
//! line wrapping, summarising, the element formats and the `dtype=` suffix)
//! for every dtype a .npy can hold; the tests compare with NumPy's output.
//!
//! The array is read by rows along axis 0 and never held whole: one pass
//! collects what the formatters need (NumPy's `fillFormat`), a second pass
//! prints. Summarised output (more elements than `threshold`) reads only the
//! edge rows.

pub mod float;
pub mod time;

use crate::dtypes;
use float::{Class, Float, FloatType, Opts, Trim};
use npyio::dtype::{Layout, ScalarKind};
use npyio::{DType, NpyFile, READ_C_ORDER, READ_NATIVE};
use std::io::Write;

/// `np.set_printoptions(floatmode=...)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatMode {
    /// Always `precision` digits.
    Fixed,
    /// Shortest round-trip digits, `precision` ignored.
    Unique,
    /// At most `precision` digits (NumPy's default).
    Maxprec,
    /// At most `precision` digits, the same number for every element.
    MaxprecEqual,
}

/// NumPy's print options (`np.get_printoptions()`), with its defaults.
#[derive(Clone, Debug)]
pub struct PrintOptions {
    /// `precision` (8).
    pub precision: i32,
    /// `floatmode` ('maxprec').
    pub floatmode: FloatMode,
    /// `suppress` (False).
    pub suppress: bool,
    /// `sign`: '-', '+' or ' ' ('-').
    pub sign: char,
    /// `linewidth` (75).
    pub linewidth: usize,
    /// `threshold` (1000): more elements than this are summarised.
    pub threshold: u64,
    /// `edgeitems` (3).
    pub edgeitems: usize,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions {
            precision: 8,
            floatmode: FloatMode::Maxprec,
            suppress: false,
            sign: '-',
            linewidth: 75,
            threshold: 1000,
            edgeitems: 3,
        }
    }
}

/// Errors while printing: the library's, or the output's.
#[derive(Debug)]
pub enum PrintError {
    /// Reading the array failed.
    Read(npyio::Error),
    /// Writing the output failed.
    Write(std::io::Error),
    /// The dtype cannot be printed.
    Unsupported(String),
}

impl From<npyio::Error> for PrintError {
    fn from(e: npyio::Error) -> Self {
        PrintError::Read(e)
    }
}
impl From<std::io::Error> for PrintError {
    fn from(e: std::io::Error) -> Self {
        PrintError::Write(e)
    }
}

type PResult<T> = Result<T, PrintError>;

// ---------------------------------------------------------------------------
// Element types

/// How one element is laid out (in host byte order, after READ_NATIVE).
#[derive(Clone, Debug)]
enum Node {
    Bool,
    Int { size: usize, signed: bool },
    Float(FloatType),
    Complex(FloatType, usize),
    Bytes(usize),
    Unicode(usize),
    Void(usize),
    Datetime(time::Unit, i64),
    Timedelta,
    Record(Vec<(usize, Node)>),
    Sub(Box<Node>, usize, usize, Vec<u64>),
}

fn node(dt: &DType) -> PResult<Node> {
    Ok(match dt.layout() {
        Layout::Scalar { kind, unit, .. } => {
            let n = dt.itemsize();
            match kind {
                ScalarKind::Bool => Node::Bool,
                ScalarKind::Int => Node::Int {
                    size: n,
                    signed: true,
                },
                ScalarKind::UInt => Node::Int {
                    size: n,
                    signed: false,
                },
                ScalarKind::Float => Node::Float(FloatType::of_size(n).ok_or_else(|| {
                    PrintError::Unsupported(format!("no float type of {n} bytes"))
                })?),
                ScalarKind::Complex => Node::Complex(
                    FloatType::of_size(n / 2).ok_or_else(|| {
                        PrintError::Unsupported(format!("no complex type of {n} bytes"))
                    })?,
                    n / 2,
                ),
                ScalarKind::Bytes => Node::Bytes(n),
                ScalarKind::Unicode => Node::Unicode(n / 4),
                ScalarKind::Void => Node::Void(n),
                ScalarKind::Datetime => {
                    let (u, m) = time::parse_unit(unit);
                    Node::Datetime(u, m)
                }
                ScalarKind::Timedelta => Node::Timedelta,
            }
        }
        Layout::Record(fields) => Node::Record(
            fields
                .iter()
                .map(|f| Ok((f.offset, node(&f.dtype)?)))
                .collect::<PResult<_>>()?,
        ),
        Layout::SubArray(base, shape) => {
            let count = shape.iter().product::<u64>() as usize;
            Node::Sub(Box::new(node(base)?), base.itemsize(), count, shape.clone())
        }
    })
}

fn int_value(b: &[u8], size: usize, signed: bool) -> i128 {
    match (size, signed) {
        (1, true) => b[0] as i8 as i128,
        (1, false) => b[0] as i128,
        (2, true) => i16::from_ne_bytes([b[0], b[1]]) as i128,
        (2, false) => u16::from_ne_bytes([b[0], b[1]]) as i128,
        (4, true) => i32::from_ne_bytes(b[..4].try_into().unwrap()) as i128,
        (4, false) => u32::from_ne_bytes(b[..4].try_into().unwrap()) as i128,
        (8, true) => i64::from_ne_bytes(b[..8].try_into().unwrap()) as i128,
        _ => u64::from_ne_bytes(b[..8].try_into().unwrap()) as i128,
    }
}

fn i64_value(b: &[u8]) -> i64 {
    i64::from_ne_bytes(b[..8].try_into().unwrap())
}

// ---------------------------------------------------------------------------
// Python reprs of strings and bytes

/// Python's `repr(bytes)`.
pub fn bytes_repr(b: &[u8]) -> String {
    let q = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::with_capacity(b.len() + 3);
    s.push('b');
    s.push(q);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            c if c as char == q => {
                s.push('\\');
                s.push(q);
            }
            0x20..=0x7e => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(q);
    s
}

/// Python's `repr(str)` of UCS-4 code units (surrogates and other code
/// units that are not characters are escaped as Python does).
pub fn str_repr(units: &[u32]) -> String {
    let has = |c: u32| units.contains(&c);
    let q = if has('\'' as u32) && !has('"' as u32) {
        '"'
    } else {
        '\''
    };
    let mut s = String::with_capacity(units.len() + 2);
    s.push(q);
    for &u in units {
        match char::from_u32(u) {
            Some(c) if c == q => {
                s.push('\\');
                s.push(c);
            }
            Some('\\') => s.push_str("\\\\"),
            Some('"') => s.push('"'),
            Some('\'') => s.push('\''),
            Some(c) if c.is_ascii_graphic() || c == ' ' => s.push(c),
            Some(c) => {
                let r = npyio::literal::repr_str(c.encode_utf8(&mut [0; 4]));
                s.push_str(&r[1..r.len() - 1]);
            }
            None if u < 0x10000 => s.push_str(&format!("\\u{u:04x}")),
            None => s.push_str(&format!("\\U{u:08x}")),
        }
    }
    s.push(q);
    s
}

// ---------------------------------------------------------------------------
// Formatters: statistics (NumPy's fillFormat) and element formatting

/// `FloatingFormat` while it looks at the data.
#[derive(Clone, Debug)]
struct FloatAcc {
    ty: FloatType,
    precision: i32,
    floatmode: FloatMode,
    suppress: bool,
    sign: char,
    n_finite: u64,
    any_nonzero: bool,
    max_abs: f64,
    min_abs: f64,
    pos_int: usize,
    pos_frac: usize,
    sci_int: usize,
    sci_frac: usize,
    sci_exp: usize,
    any_signbit: bool,
    nonfinite: bool,
    neg_inf: bool,
}

/// `FloatingFormat` ready to format.
#[derive(Clone, Debug)]
struct FloatFmt {
    exp_format: bool,
    opts: Opts,
    pad_left: i32,
    pad_right: i32,
}

impl FloatAcc {
    fn new(ty: FloatType, o: &PrintOptions, sign: char) -> FloatAcc {
        FloatAcc {
            ty,
            precision: if o.floatmode == FloatMode::Unique {
                -1
            } else {
                o.precision
            },
            floatmode: o.floatmode,
            suppress: o.suppress,
            sign,
            n_finite: 0,
            any_nonzero: false,
            max_abs: 0.0,
            min_abs: f64::INFINITY,
            pos_int: 0,
            pos_frac: 0,
            sci_int: 0,
            sci_frac: 0,
            sci_exp: 0,
            any_signbit: false,
            nonfinite: false,
            neg_inf: false,
        }
    }

    fn pass1_opts(&self) -> Opts {
        let fixed = self.floatmode == FloatMode::Fixed;
        Opts {
            precision: self.precision,
            unique: !fixed,
            trim: if fixed { Trim::None } else { Trim::Zeros },
            sign: self.sign == '+',
            ..Opts::default()
        }
    }

    fn observe(&mut self, x: &Float) {
        match x.class {
            Class::Nan => {
                self.nonfinite = true;
                return;
            }
            Class::Inf => {
                self.nonfinite = true;
                self.neg_inf |= x.neg;
                return;
            }
            _ => {}
        }
        self.n_finite += 1;
        self.any_signbit |= x.neg;
        if x.class == Class::Finite {
            let a = x.approx.abs();
            self.any_nonzero = true;
            self.max_abs = self.max_abs.max(a);
            self.min_abs = self.min_abs.min(a);
        }
        let o = self.pass1_opts();
        let [pi, pf, si, sf, se] = float::pass1_widths(x, o.precision, o.unique, o.sign);
        self.pos_int = self.pos_int.max(pi);
        self.pos_frac = self.pos_frac.max(pf);
        self.sci_int = self.sci_int.max(si);
        self.sci_frac = self.sci_frac.max(sf);
        self.sci_exp = self.sci_exp.max(se);
    }

    fn finish(&self) -> FloatFmt {
        let mut exp_format = false;
        if self.any_nonzero {
            let cutoff = 10f64.powi(self.ty.finfo_precision().min(8));
            let small = Float::round_to(self.ty, 0.0001);
            let ratio = Float::round_to(self.ty, self.max_abs / self.min_abs);
            if self.max_abs >= cutoff
                || (!self.suppress && (self.min_abs < small || ratio > 1000.0))
            {
                exp_format = true;
            }
        }
        let sign_plus = self.sign == '+';
        let mut opts = Opts {
            precision: self.precision,
            sign: sign_plus,
            ..Opts::default()
        };
        let (mut pad_left, pad_right);
        if self.n_finite == 0 {
            pad_left = 0;
            pad_right = 0;
            opts.trim = Trim::Zeros;
            opts.exp_digits = -1;
            opts.unique = true;
            opts.min_digits = -1;
        } else if exp_format {
            let unique = self.floatmode != FloatMode::Fixed;
            opts.exp_digits = self.sci_exp as i32 - 1;
            opts.trim = Trim::None;
            opts.precision = self.sci_frac as i32;
            opts.min_digits = opts.precision;
            opts.unique = unique;
            pad_left = self.sci_int as i32;
            pad_right = opts.exp_digits + 2 + opts.precision;
        } else {
            let unique = self.floatmode != FloatMode::Fixed;
            pad_left = self.pos_int as i32;
            pad_right = self.pos_frac as i32;
            opts.unique = unique;
            if matches!(self.floatmode, FloatMode::Fixed | FloatMode::MaxprecEqual) {
                opts.precision = pad_right;
                opts.min_digits = pad_right;
                opts.trim = Trim::None;
            } else {
                opts.trim = Trim::Zeros;
                opts.min_digits = 0;
            }
        }
        if self.sign == ' ' && !self.any_signbit {
            pad_left += 1;
        }
        if self.nonfinite {
            let neginf = self.sign != '-' || self.neg_inf;
            let offset = pad_right + 1;
            pad_left = pad_left.max(3 - offset).max(3 + neginf as i32 - offset);
        }
        opts.pad_left = pad_left;
        opts.pad_right = pad_right;
        FloatFmt {
            exp_format,
            opts,
            pad_left,
            pad_right,
        }
    }
}

impl FloatFmt {
    fn format(&self, x: &Float, out: &mut String) {
        match x.class {
            Class::Nan | Class::Inf => {
                let ret = if x.class == Class::Nan {
                    if self.opts.sign {
                        "+nan"
                    } else {
                        "nan"
                    }
                } else if x.neg {
                    "-inf"
                } else if self.opts.sign {
                    "+inf"
                } else {
                    "inf"
                };
                let w = (self.pad_left + self.pad_right + 1 - ret.len() as i32).max(0);
                for _ in 0..w {
                    out.push(' ');
                }
                out.push_str(ret);
            }
            _ => {
                if self.exp_format {
                    out.push_str(&float::scientific(x, &self.opts));
                } else {
                    out.push_str(&float::positional(x, &self.opts));
                }
            }
        }
    }
}

/// Statistics collected for one element type.
#[derive(Clone, Debug)]
enum Acc {
    Bool,
    Int {
        min: i128,
        max: i128,
        any: bool,
        sign: char,
    },
    Float(FloatAcc),
    Complex(FloatAcc, FloatAcc),
    Repr,
    Time {
        min: i64,
        max: i64,
        non_nat: bool,
        nat: bool,
    },
    Record(Vec<Acc>),
}

/// A ready formatter.
#[derive(Clone, Debug)]
enum Fmt {
    Bool(&'static str),
    Int { width: usize, sign: char },
    Float(FloatFmt),
    Complex(FloatFmt, FloatFmt),
    Repr,
    Time { width: usize, nat: String },
    Record(Vec<Fmt>),
}

impl Acc {
    fn new(n: &Node, o: &PrintOptions) -> Acc {
        match n {
            Node::Bool => Acc::Bool,
            Node::Int { .. } => Acc::Int {
                min: 0,
                max: 0,
                any: false,
                sign: o.sign,
            },
            Node::Float(t) => Acc::Float(FloatAcc::new(*t, o, o.sign)),
            Node::Complex(t, _) => {
                Acc::Complex(FloatAcc::new(*t, o, o.sign), FloatAcc::new(*t, o, '+'))
            }
            Node::Bytes(_) | Node::Unicode(_) | Node::Void(_) => Acc::Repr,
            Node::Datetime(..) | Node::Timedelta => Acc::Time {
                min: i64::MAX,
                max: i64::MIN,
                non_nat: false,
                nat: false,
            },
            Node::Record(fields) => {
                Acc::Record(fields.iter().map(|(_, f)| Acc::new(f, o)).collect())
            }
            Node::Sub(base, ..) => Acc::new(base, o),
        }
    }

    fn observe(&mut self, n: &Node, b: &[u8]) {
        match (self, n) {
            (Acc::Int { min, max, any, .. }, Node::Int { size, signed }) => {
                let v = int_value(b, *size, *signed);
                if *any {
                    *min = (*min).min(v);
                    *max = (*max).max(v);
                } else {
                    *min = v;
                    *max = v;
                    *any = true;
                }
            }
            (Acc::Float(f), Node::Float(t)) => f.observe(&Float::decode(*t, b)),
            (Acc::Complex(r, i), Node::Complex(t, h)) => {
                r.observe(&Float::decode(*t, &b[..*h]));
                i.observe(&Float::decode(*t, &b[*h..]));
            }
            (
                Acc::Time {
                    min,
                    max,
                    non_nat,
                    nat,
                },
                Node::Datetime(..) | Node::Timedelta,
            ) => {
                let v = i64_value(b);
                if v == time::NAT {
                    *nat = true;
                } else {
                    *non_nat = true;
                    *min = (*min).min(v);
                    *max = (*max).max(v);
                }
            }
            (Acc::Record(accs), Node::Record(fields)) => {
                for (a, (off, f)) in accs.iter_mut().zip(fields) {
                    a.observe(f, &b[*off..]);
                }
            }
            (a, Node::Sub(base, bsize, count, _)) => {
                for k in 0..*count {
                    a.observe(base, &b[k * bsize..]);
                }
            }
            _ => {}
        }
    }

    fn finish(&self, n: &Node, zero_d: bool) -> Fmt {
        match (self, n) {
            (_, Node::Sub(base, ..)) => self.finish(base, false),
            (Acc::Bool, _) => Fmt::Bool(if zero_d { "True" } else { " True" }),
            (
                Acc::Int {
                    min,
                    max,
                    any,
                    sign,
                },
                _,
            ) => {
                let mut sign = *sign;
                let width = if *any {
                    let mut maxlen = max.to_string().len();
                    if sign == ' ' && *min < 0 {
                        sign = '-';
                    }
                    if *max >= 0 && (sign == '+' || sign == ' ') {
                        maxlen += 1;
                    }
                    maxlen.max(min.to_string().len())
                } else {
                    0
                };
                Fmt::Int { width, sign }
            }
            (Acc::Float(f), _) => Fmt::Float(f.finish()),
            (Acc::Complex(r, i), _) => Fmt::Complex(r.finish(), i.finish()),
            (Acc::Repr, _) => Fmt::Repr,
            (
                Acc::Time {
                    min,
                    max,
                    non_nat,
                    nat,
                },
                _,
            ) => {
                let mut width = 0;
                if *non_nat {
                    width = time_text(n, *max)
                        .chars()
                        .count()
                        .max(time_text(n, *min).chars().count());
                }
                if *nat {
                    width = width.max(5);
                }
                Fmt::Time {
                    width,
                    nat: format!("{:>width$}", "'NaT'"),
                }
            }
            (Acc::Record(accs), Node::Record(fields)) => Fmt::Record(
                accs.iter()
                    .zip(fields)
                    .map(|(a, (_, f))| a.finish(f, zero_d))
                    .collect(),
            ),
            _ => Fmt::Repr,
        }
    }
}

fn time_text(n: &Node, v: i64) -> String {
    match n {
        Node::Datetime(u, m) => format!("'{}'", time::datetime_string(v, *u, *m)),
        _ => v.to_string(),
    }
}

fn format_int(v: i128, width: usize, sign: char, out: &mut String) {
    let s = if v >= 0 && sign == '+' {
        format!("+{v}")
    } else if v >= 0 && sign == ' ' {
        format!(" {v}")
    } else {
        v.to_string()
    };
    for _ in s.len()..width {
        out.push(' ');
    }
    out.push_str(&s);
}

fn format_elem(n: &Node, f: &Fmt, b: &[u8], o: &PrintOptions, out: &mut String) {
    match (n, f) {
        (Node::Bool, Fmt::Bool(t)) => out.push_str(if b[0] != 0 { t } else { "False" }),
        (Node::Int { size, signed }, Fmt::Int { width, sign }) => {
            format_int(int_value(b, *size, *signed), *width, *sign, out)
        }
        (Node::Float(t), Fmt::Float(ff)) => ff.format(&Float::decode(*t, b), out),
        (Node::Complex(t, h), Fmt::Complex(rf, imf)) => {
            rf.format(&Float::decode(*t, &b[..*h]), out);
            let mut i = String::new();
            imf.format(&Float::decode(*t, &b[*h..]), &mut i);
            let sp = i.trim_end().len();
            out.push_str(&i[..sp]);
            out.push('j');
            out.push_str(&i[sp..]);
        }
        (Node::Bytes(k), _) => {
            let s = &b[..*k];
            let end = s.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            out.push_str(&bytes_repr(&s[..end]));
        }
        (Node::Void(k), _) => {
            // str(np.void): every byte as \xNN.
            out.push_str("b'");
            for c in &b[..*k] {
                out.push_str(&format!("\\x{c:02x}"));
            }
            out.push('\'');
        }
        (Node::Unicode(k), _) => {
            let units: Vec<u32> = (0..*k)
                .map(|i| u32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap()))
                .collect();
            let end = units.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            out.push_str(&str_repr(&units[..end]));
        }
        (Node::Datetime(..) | Node::Timedelta, Fmt::Time { width, nat }) => {
            let v = i64_value(b);
            if v == time::NAT {
                out.push_str(nat);
            } else {
                out.push_str(&format!("{:>width$}", time_text(n, v)));
            }
        }
        (Node::Record(fields), Fmt::Record(fmts)) => {
            out.push('(');
            for (k, ((off, fnode), ff)) in fields.iter().zip(fmts).enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                format_elem(fnode, ff, &b[*off..], o, out);
            }
            if fields.len() == 1 {
                out.push(',');
            }
            out.push(')');
        }
        (Node::Sub(base, bsize, count, shape), _) => {
            let summary = *count as u64 > o.threshold;
            sub_array(base, f, &b[..bsize * count], *bsize, shape, summary, o, out);
        }
        _ => out.push('?'),
    }
}

/// `SubArrayFormat.format_array`.
#[allow(clippy::too_many_arguments)]
fn sub_array(
    base: &Node,
    f: &Fmt,
    b: &[u8],
    bsize: usize,
    shape: &[u64],
    summary: bool,
    o: &PrintOptions,
    out: &mut String,
) {
    if shape.is_empty() {
        format_elem(base, f, b, o, out);
        return;
    }
    let n = shape[0] as usize;
    let inner: usize = shape[1..].iter().product::<u64>() as usize * bsize;
    let mut idx: Vec<Option<usize>> = Vec::new();
    if summary && n > 2 * o.edgeitems {
        idx.extend((0..o.edgeitems).map(Some));
        idx.push(None);
        idx.extend((n - o.edgeitems..n).map(Some));
    } else {
        idx.extend((0..n).map(Some));
    }
    out.push('[');
    for (k, i) in idx.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        match i {
            Some(i) => sub_array(
                base,
                f,
                &b[i * inner..(i + 1) * inner],
                bsize,
                &shape[1..],
                summary,
                o,
                out,
            ),
            None => out.push_str("..."),
        }
    }
    out.push(']');
}

// ---------------------------------------------------------------------------
// Rows

/// Python's `slice(start, stop, step).indices(len)` and the slice's length.
pub fn slice_indices(
    len: u64,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> (i64, i64, u64) {
    let len = len as i64;
    let clamp = |v: Option<i64>, default: i64, lo: i64, hi: i64| -> i64 {
        match v {
            None => default,
            Some(v) if v < 0 => (v + len).max(lo),
            Some(v) => v.min(hi),
        }
    };
    let (s, e) = if step > 0 {
        (clamp(start, 0, 0, len), clamp(stop, len, 0, len))
    } else {
        (
            clamp(start, len - 1, -1, len - 1),
            clamp(stop, -1, -1, len - 1),
        )
    };
    let n = if step > 0 {
        if e > s {
            (e - s + step - 1) / step
        } else {
            0
        }
    } else if s > e {
        (s - e + (-step) - 1) / (-step)
    } else {
        0
    };
    (s, step, n as u64)
}

/// Rows `start, start + step, ...` (`n` of them) of an array along axis 0,
/// read in host byte order and C order, a bounded window at a time.
struct Rows<'a> {
    f: &'a NpyFile,
    start: i64,
    step: i64,
    n: u64,
    row_bytes: usize,
    buf: Vec<u8>,
    first: u64,
    count: u64,
    chunk_rows: u64,
}

const WINDOW: usize = 4 << 20;

impl<'a> Rows<'a> {
    fn new(f: &'a NpyFile, start: i64, step: i64, n: u64) -> PResult<Rows<'a>> {
        let row_bytes = f.rows_nbytes(1)? as usize;
        let chunk_rows = if step == 1 {
            (WINDOW / row_bytes.max(1)).max(1) as u64
        } else {
            1
        };
        Ok(Rows {
            f,
            start,
            step,
            n,
            row_bytes,
            buf: Vec::new(),
            first: 0,
            count: 0,
            chunk_rows,
        })
    }

    fn row(&mut self, i: u64) -> PResult<&[u8]> {
        if !(i >= self.first && i < self.first + self.count) {
            let count = self.chunk_rows.min(self.n - i);
            let orig = (self.start + i as i64 * self.step) as u64;
            let nb = self.row_bytes * count as usize;
            self.buf.resize(nb, 0);
            self.f
                .read_rows(orig, count, &mut self.buf, READ_NATIVE | READ_C_ORDER)?;
            self.first = i;
            self.count = count;
        }
        let o = (i - self.first) as usize * self.row_bytes;
        Ok(&self.buf[o..o + self.row_bytes])
    }
}

// ---------------------------------------------------------------------------
// Layout (_formatArray)

struct Ctx<'a> {
    node: &'a Node,
    fmt: &'a Fmt,
    o: &'a PrintOptions,
    itemsize: usize,
    summary: bool,
    separator: &'static str,
}

fn clen(s: &str) -> usize {
    s.chars().count()
}

/// `_extendLine` (words never span lines here: reprs escape line breaks).
fn extend_line(s: &mut String, line: &mut String, word: &str, width: usize, prefix: &str) {
    let mut wrap = clen(line) + clen(word) > width;
    if clen(line) <= clen(prefix) {
        wrap = false;
    }
    if wrap {
        s.push_str(line.trim_end());
        s.push('\n');
        line.clear();
        line.push_str(prefix);
    }
    line.push_str(word);
}

fn indices(n: usize, summary: bool, edge: usize) -> (bool, Vec<usize>, Vec<usize>) {
    if summary && 2 * edge < n {
        (true, (0..edge).collect(), (n - edge..n).collect())
    } else {
        (false, Vec::new(), (0..n).collect())
    }
}

impl Ctx<'_> {
    fn elem(&self, b: &[u8]) -> String {
        let mut s = String::new();
        format_elem(self.node, self.fmt, b, self.o, &mut s);
        s
    }

    /// `recurser` for a block in memory with `shape` (at least one axis).
    fn rec(&self, b: &[u8], shape: &[u64], hanging: &str, width: usize) -> String {
        let n = shape[0] as usize;
        let stride = shape[1..].iter().product::<u64>() as usize * self.itemsize;
        let sub = |i: usize| &b[i * stride..(i + 1) * stride];
        let next_hanging = format!("{hanging} ");
        let next_width = width.saturating_sub(1);
        let (show, lead, trail) = indices(n, self.summary, self.o.edgeitems);
        let mut s = String::new();
        if shape.len() == 1 {
            let elem_width = width.saturating_sub(self.separator.trim_end().len().max(1));
            let mut line = hanging.to_string();
            let last = trail.len() - 1;
            for &i in &lead {
                extend_line(&mut s, &mut line, &self.elem(sub(i)), elem_width, hanging);
                line.push_str(self.separator);
            }
            if show {
                extend_line(&mut s, &mut line, "...", elem_width, hanging);
                line.push_str(self.separator);
            }
            for (k, &i) in trail.iter().enumerate() {
                extend_line(&mut s, &mut line, &self.elem(sub(i)), elem_width, hanging);
                if k != last {
                    line.push_str(self.separator);
                }
            }
            s.push_str(&line);
        } else {
            let line_sep = format!(
                "{}{}",
                self.separator.trim_end(),
                "\n".repeat(shape.len() - 1)
            );
            for &i in &lead {
                s.push_str(hanging);
                s.push_str(&self.rec(sub(i), &shape[1..], &next_hanging, next_width));
                s.push_str(&line_sep);
            }
            if show {
                s.push_str(hanging);
                s.push_str("...");
                s.push_str(&line_sep);
            }
            let last = trail.len() - 1;
            for (k, &i) in trail.iter().enumerate() {
                s.push_str(hanging);
                s.push_str(&self.rec(sub(i), &shape[1..], &next_hanging, next_width));
                if k != last {
                    s.push_str(&line_sep);
                }
            }
        }
        format!("[{}]", &s[hanging.len()..])
    }
}

/// Output that replaces the top level's leading hanging indent with `[` and
/// remembers the current column.
struct Emitter<'w> {
    w: &'w mut dyn Write,
    skip: usize,
    col: usize,
}

impl Emitter<'_> {
    fn put(&mut self, s: &str) -> std::io::Result<()> {
        let mut s = s;
        if self.skip > 0 {
            let k = self.skip.min(s.len());
            s = &s[k..];
            self.skip -= k;
            if self.skip == 0 {
                self.w.write_all(b"[")?;
                self.col += 1;
            }
        }
        match s.rfind('\n') {
            Some(p) => self.col = clen(&s[p + 1..]),
            None => self.col += clen(s),
        }
        self.w.write_all(s.as_bytes())
    }
}

/// Which rows of the array to print.
#[derive(Clone, Copy, Debug)]
pub struct Selection {
    /// First row (Python slice start), or None.
    pub start: Option<i64>,
    /// End row (exclusive), or None.
    pub stop: Option<i64>,
    /// Step (not 0).
    pub step: i64,
}

impl Selection {
    /// Every row.
    pub const ALL: Selection = Selection {
        start: None,
        stop: None,
        step: 1,
    };
}

/// Print `repr(a[sel])` followed by a newline, exactly as NumPy does with
/// the given print options (`print(repr(a[sel]))`).
pub fn print_repr(f: &NpyFile, sel: Selection, o: &PrintOptions, w: &mut dyn Write) -> PResult<()> {
    let h = f.header();
    let dt = &h.dtype;
    let node = node(dt)?;
    let itemsize = dt.itemsize();
    let prefix = "array(";
    let zero_d = h.shape.is_empty();
    // The shape printed: the slice's.
    let (start, step, nrows) = if zero_d {
        (0, 1, 1)
    } else {
        slice_indices(h.shape[0], sel.start, sel.stop, sel.step)
    };
    let mut shape: Vec<u64> = h.shape.clone();
    if !zero_d {
        shape[0] = nrows;
    }
    let size: u128 = shape.iter().map(|&d| d as u128).product();
    let summary = size > o.threshold as u128;
    let mut em = Emitter { w, skip: 0, col: 0 };
    em.put(prefix)?;
    if size == 0 {
        em.put("[]")?;
    } else if zero_d {
        let mut b = vec![0u8; itemsize];
        f.read_into(&mut b, READ_NATIVE | READ_C_ORDER)?;
        let mut acc = Acc::new(&node, o);
        acc.observe(&node, &b);
        let fmt = acc.finish(&node, true);
        let mut s = String::new();
        format_elem(&node, &fmt, &b, o, &mut s);
        em.put(&s)?;
    } else {
        let mut rows = Rows::new(f, start, step, nrows)?;
        let inner: &[u64] = &shape[1..];
        let (show, lead, trail) = {
            let n = nrows;
            let e = o.edgeitems as u64;
            if summary && 2 * e < n {
                (
                    true,
                    (0..e).collect::<Vec<u64>>(),
                    (n - e..n).collect::<Vec<u64>>(),
                )
            } else {
                (false, Vec::new(), (0..n).collect())
            }
        };
        // Pass 1: what the formatters need, over the elements NumPy looks at.
        let mut acc = Acc::new(&node, o);
        for &i in lead.iter().chain(trail.iter()) {
            let r = rows.row(i)?;
            visit(&node, &mut acc, r, inner, itemsize, summary, o.edgeitems);
        }
        let fmt = acc.finish(&node, false);
        let ctx = Ctx {
            node: &node,
            fmt: &fmt,
            o,
            itemsize,
            summary,
            separator: ", ",
        };
        // Pass 2: print, streaming the top axis.
        let linewidth = o.linewidth.saturating_sub(1); // len(")")
        let hanging = " ".repeat(1 + prefix.len());
        em.skip = hanging.len();
        let next_hanging = format!("{hanging} ");
        let next_width = linewidth.saturating_sub(1);
        let last = trail.len() - 1;
        if inner.is_empty() {
            let elem_width = linewidth.saturating_sub(1);
            let mut line = hanging.clone();
            let mut s = String::new();
            for &i in &lead {
                let word = ctx.elem(rows.row(i)?);
                extend_line(&mut s, &mut line, &word, elem_width, &hanging);
                line.push_str(ctx.separator);
                em.put(&s)?;
                s.clear();
            }
            if show {
                extend_line(&mut s, &mut line, "...", elem_width, &hanging);
                line.push_str(ctx.separator);
            }
            for (k, &i) in trail.iter().enumerate() {
                let word = ctx.elem(rows.row(i)?);
                extend_line(&mut s, &mut line, &word, elem_width, &hanging);
                if k != last {
                    line.push_str(ctx.separator);
                }
                em.put(&s)?;
                s.clear();
            }
            em.put(&line)?;
        } else {
            let line_sep = format!(",{}", "\n".repeat(shape.len() - 1));
            for &i in &lead {
                let nested = ctx.rec(rows.row(i)?, inner, &next_hanging, next_width);
                em.put(&hanging)?;
                em.put(&nested)?;
                em.put(&line_sep)?;
            }
            if show {
                em.put(&hanging)?;
                em.put("...")?;
                em.put(&line_sep)?;
            }
            for (k, &i) in trail.iter().enumerate() {
                let nested = ctx.rec(rows.row(i)?, inner, &next_hanging, next_width);
                em.put(&hanging)?;
                em.put(&nested)?;
                if k != last {
                    em.put(&line_sep)?;
                }
            }
        }
        em.put("]")?;
    }
    // array_repr's extras.
    let mut extras = Vec::new();
    if (size == 0 && shape != [0]) || size > o.threshold as u128 {
        extras.push(format!("shape={}", npyio::dtype::shape_repr(&shape)));
    }
    if !dtypes::is_implied(dt) || size == 0 {
        extras.push(format!("dtype={}", dtypes::short_repr(dt)));
    }
    if extras.is_empty() {
        em.put(")\n")?;
    } else {
        em.put(",")?;
        let extra = format!("{})", extras.join(", "));
        if em.col + clen(&extra) + 1 > o.linewidth {
            em.put(&format!("\n{}", " ".repeat(prefix.len())))?;
        } else {
            em.put(" ")?;
        }
        em.put(&extra)?;
        em.put("\n")?;
    }
    Ok(())
}

/// Feed the elements of one row that NumPy's formatters look at
/// (`_leading_trailing` when summarising) to `acc`.
fn visit(
    node: &Node,
    acc: &mut Acc,
    b: &[u8],
    shape: &[u64],
    itemsize: usize,
    summary: bool,
    edge: usize,
) {
    if shape.is_empty() {
        acc.observe(node, b);
        return;
    }
    let n = shape[0] as usize;
    let stride = shape[1..].iter().product::<u64>() as usize * itemsize;
    let (_, lead, trail) = indices(n, summary, edge);
    for i in lead.into_iter().chain(trail) {
        visit(
            node,
            acc,
            &b[i * stride..(i + 1) * stride],
            &shape[1..],
            itemsize,
            summary,
            edge,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices() {
        assert_eq!(slice_indices(10, None, Some(3), 1), (0, 1, 3));
        assert_eq!(slice_indices(10, None, Some(-3), 1), (0, 1, 7));
        assert_eq!(slice_indices(10, Some(-3), None, 1), (7, 1, 3));
        assert_eq!(slice_indices(10, None, None, -1), (9, -1, 10));
        assert_eq!(slice_indices(10, None, None, 3), (0, 3, 4));
        assert_eq!(slice_indices(2, None, Some(10), 1), (0, 1, 2));
        assert_eq!(slice_indices(10, Some(8), Some(2), -2), (8, -2, 3));
    }

    #[test]
    fn reprs() {
        assert_eq!(bytes_repr(b"a'b"), "b\"a'b\"");
        assert_eq!(bytes_repr(b"a\x00\xff"), "b'a\\x00\\xff'");
        let u: Vec<u32> = "é\n'x".chars().map(|c| c as u32).collect();
        assert_eq!(str_repr(&u), "\"é\\n'x\"");
        assert_eq!(str_repr(&[0xd800]), "'\\ud800'");
    }
}
