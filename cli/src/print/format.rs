//! The element formatters: statistics over the elements NumPy looks at
//! (its `fillFormat`), the formats they settle on, and the text of one
//! element.

use super::element::{i64_value, int_value, ElementType};
use super::float::{self, Class, Float, FloatType, Opts, Trim};
use super::{time, FloatMode, PrintOptions};

/// `FloatingFormat` while it looks at the data.
#[derive(Clone, Debug)]
pub(super) struct FloatStats {
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
pub(super) struct FloatFormat {
    exp_format: bool,
    opts: Opts,
    pad_left: i32,
    pad_right: i32,
}

impl FloatStats {
    fn new(ty: FloatType, o: &PrintOptions, sign: char) -> FloatStats {
        FloatStats {
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

    fn finish(&self) -> FloatFormat {
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
        FloatFormat {
            exp_format,
            opts,
            pad_left,
            pad_right,
        }
    }
}

impl FloatFormat {
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
pub(super) enum Stats {
    Bool,
    Int {
        min: i128,
        max: i128,
        any: bool,
        sign: char,
    },
    Float(FloatStats),
    Complex(FloatStats, FloatStats),
    Repr,
    Time {
        min: i64,
        max: i64,
        non_nat: bool,
        nat: bool,
    },
    Record(Vec<Stats>),
}

/// A ready formatter.
#[derive(Clone, Debug)]
pub(super) enum ElementFormat {
    Bool(&'static str),
    Int { width: usize, sign: char },
    Float(FloatFormat),
    Complex(FloatFormat, FloatFormat),
    Repr,
    Time { width: usize, nat: String },
    Record(Vec<ElementFormat>),
}

impl Stats {
    pub(super) fn new(n: &ElementType, o: &PrintOptions) -> Stats {
        match n {
            ElementType::Bool => Stats::Bool,
            ElementType::Int { .. } => Stats::Int {
                min: 0,
                max: 0,
                any: false,
                sign: o.sign,
            },
            ElementType::Float(t) => Stats::Float(FloatStats::new(*t, o, o.sign)),
            ElementType::Complex(t, _) => {
                Stats::Complex(FloatStats::new(*t, o, o.sign), FloatStats::new(*t, o, '+'))
            }
            ElementType::Bytes(_) | ElementType::Unicode(_) | ElementType::Void(_) => Stats::Repr,
            ElementType::Datetime(..) | ElementType::Timedelta => Stats::Time {
                min: i64::MAX,
                max: i64::MIN,
                non_nat: false,
                nat: false,
            },
            ElementType::Record(fields) => {
                Stats::Record(fields.iter().map(|(_, f)| Stats::new(f, o)).collect())
            }
            ElementType::Sub(base, ..) => Stats::new(base, o),
        }
    }

    pub(super) fn observe(&mut self, n: &ElementType, b: &[u8]) {
        match (self, n) {
            (Stats::Int { min, max, any, .. }, ElementType::Int { size, signed }) => {
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
            (Stats::Float(f), ElementType::Float(t)) => f.observe(&Float::decode(*t, b)),
            (Stats::Complex(r, i), ElementType::Complex(t, h)) => {
                r.observe(&Float::decode(*t, &b[..*h]));
                i.observe(&Float::decode(*t, &b[*h..]));
            }
            (
                Stats::Time {
                    min,
                    max,
                    non_nat,
                    nat,
                },
                ElementType::Datetime(..) | ElementType::Timedelta,
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
            (Stats::Record(accs), ElementType::Record(fields)) => {
                for (a, (off, f)) in accs.iter_mut().zip(fields) {
                    a.observe(f, &b[*off..]);
                }
            }
            (a, ElementType::Sub(base, bsize, count, _)) => {
                for k in 0..*count {
                    a.observe(base, &b[k * bsize..]);
                }
            }
            _ => {}
        }
    }

    pub(super) fn finish(&self, n: &ElementType, zero_d: bool) -> ElementFormat {
        match (self, n) {
            (_, ElementType::Sub(base, ..)) => self.finish(base, false),
            (Stats::Bool, _) => ElementFormat::Bool(if zero_d { "True" } else { " True" }),
            (
                Stats::Int {
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
                ElementFormat::Int { width, sign }
            }
            (Stats::Float(f), _) => ElementFormat::Float(f.finish()),
            (Stats::Complex(r, i), _) => ElementFormat::Complex(r.finish(), i.finish()),
            (Stats::Repr, _) => ElementFormat::Repr,
            (
                Stats::Time {
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
                ElementFormat::Time {
                    width,
                    nat: format!("{:>width$}", "'NaT'"),
                }
            }
            (Stats::Record(accs), ElementType::Record(fields)) => ElementFormat::Record(
                accs.iter()
                    .zip(fields)
                    .map(|(a, (_, f))| a.finish(f, zero_d))
                    .collect(),
            ),
            _ => ElementFormat::Repr,
        }
    }
}

fn time_text(n: &ElementType, v: i64) -> String {
    match n {
        ElementType::Datetime(u, m) => format!("'{}'", time::datetime_string(v, *u, *m)),
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

pub(super) fn format_elem(
    n: &ElementType,
    f: &ElementFormat,
    b: &[u8],
    o: &PrintOptions,
    out: &mut String,
) {
    match (n, f) {
        (ElementType::Bool, ElementFormat::Bool(t)) => {
            out.push_str(if b[0] != 0 { t } else { "False" })
        }
        (ElementType::Int { size, signed }, ElementFormat::Int { width, sign }) => {
            format_int(int_value(b, *size, *signed), *width, *sign, out)
        }
        (ElementType::Float(t), ElementFormat::Float(ff)) => ff.format(&Float::decode(*t, b), out),
        (ElementType::Complex(t, h), ElementFormat::Complex(rf, imf)) => {
            rf.format(&Float::decode(*t, &b[..*h]), out);
            let mut i = String::new();
            imf.format(&Float::decode(*t, &b[*h..]), &mut i);
            let sp = i.trim_end().len();
            out.push_str(&i[..sp]);
            out.push('j');
            out.push_str(&i[sp..]);
        }
        (ElementType::Bytes(k), _) => {
            let s = &b[..*k];
            let end = s.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            out.push_str(&npyio::pytext::bytes_repr(&s[..end]));
        }
        (ElementType::Void(k), _) => {
            // str(np.void): every byte as \xNN.
            out.push_str("b'");
            for c in &b[..*k] {
                out.push_str(&format!("\\x{c:02x}"));
            }
            out.push('\'');
        }
        (ElementType::Unicode(k), _) => {
            let units: Vec<u32> = (0..*k)
                .map(|i| u32::from_ne_bytes(b[4 * i..4 * i + 4].try_into().unwrap()))
                .collect();
            let end = units.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
            out.push_str(&npyio::pytext::repr_ucs4(&units[..end]));
        }
        (
            ElementType::Datetime(..) | ElementType::Timedelta,
            ElementFormat::Time { width, nat },
        ) => {
            let v = i64_value(b);
            if v == time::NAT {
                out.push_str(nat);
            } else {
                out.push_str(&format!("{:>width$}", time_text(n, v)));
            }
        }
        (ElementType::Record(fields), ElementFormat::Record(fmts)) => {
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
        (ElementType::Sub(base, bsize, count, shape), _) => {
            let summary = *count as u64 > o.threshold;
            sub_array(base, f, &b[..bsize * count], *bsize, shape, summary, o, out);
        }
        _ => out.push('?'),
    }
}

/// `SubArrayFormat.format_array`.
#[allow(clippy::too_many_arguments)]
fn sub_array(
    base: &ElementType,
    f: &ElementFormat,
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
