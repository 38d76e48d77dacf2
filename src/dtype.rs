//! NumPy dtypes as .npy headers describe them: parsing a `descr`, printing it
//! exactly as `np.save` does, item sizes, and byte-swap plans.

use crate::error::{Error, Result};
use crate::literal::{alloc_error, prefix_chars, push, repr_str, repr_str_short, Parser, Value};
use crate::{bail, err};
use std::fmt::{self, Write as _};

/// Byte order of a scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// `<`
    Little,
    /// `>`
    Big,
    /// `|`: byte order does not apply (single bytes, strings of bytes, voids).
    NotApplicable,
}

impl ByteOrder {
    /// The host's byte order.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "little") {
        ByteOrder::Little
    } else {
        ByteOrder::Big
    };

    /// The byte order's character in a type string: `<`, `>` or `|`.
    pub fn char(self) -> char {
        match self {
            ByteOrder::Little => '<',
            ByteOrder::Big => '>',
            ByteOrder::NotApplicable => '|',
        }
    }
}

/// The kind of a scalar, NumPy's `dtype.kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarKind {
    /// `b`: bool (1 byte).
    Bool,
    /// `i`: signed integer.
    Int,
    /// `u`: unsigned integer.
    UInt,
    /// `f`: floating point (`f16` is the platform's long double, opaque).
    Float,
    /// `c`: complex (two floats).
    Complex,
    /// `S`: NUL-padded bytes.
    Bytes,
    /// `U`: NUL-padded UCS-4 text, 4 bytes per code unit.
    Unicode,
    /// `V`: raw bytes.
    Void,
    /// `M`: datetime64, 8 bytes.
    Datetime,
    /// `m`: timedelta64, 8 bytes.
    Timedelta,
}

impl ScalarKind {
    /// The kind's letter in a type string (`dtype.kind`, with `S`/`U`/`V`
    /// for bytes, str and void).
    pub fn char(self) -> char {
        match self {
            ScalarKind::Bool => 'b',
            ScalarKind::Int => 'i',
            ScalarKind::UInt => 'u',
            ScalarKind::Float => 'f',
            ScalarKind::Complex => 'c',
            ScalarKind::Bytes => 'S',
            ScalarKind::Unicode => 'U',
            ScalarKind::Void => 'V',
            ScalarKind::Datetime => 'M',
            ScalarKind::Timedelta => 'm',
        }
    }
}

/// One field of a structured dtype.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// The field's title, if it has one.
    pub title: Option<String>,
    /// Byte offset of the field within the record.
    pub offset: usize,
    /// The field's type.
    pub dtype: DType,
}

/// The layout of a dtype.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    /// A scalar such as `<f8`, `|S5` or `<M8[ns]`.
    Scalar {
        /// Kind.
        kind: ScalarKind,
        /// Byte order (`NotApplicable` for single bytes, `S` and `V`).
        order: ByteOrder,
        /// Datetime unit text as NumPy prints it inside brackets (`"ns"`,
        /// `"10ms"`), or empty for generic units and non-datetime kinds.
        unit: String,
    },
    /// A record with named fields; gaps between them are padding.
    Record(Vec<Field>),
    /// A fixed-shape subarray of a base type (only as a field type).
    SubArray(Box<DType>, Vec<u64>),
}

/// A NumPy dtype (without object parts: those are refused when parsed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DType {
    layout: Layout,
    itemsize: usize,
}

const DATETIME_UNITS: [&str; 13] = [
    "Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as",
];

/// Nesting depth limit for dtypes (records inside records inside ...).
const MAX_DTYPE_DEPTH: usize = 64;

impl DType {
    /// The item size in bytes.
    pub fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The layout.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// A scalar dtype. `size` is in bytes (for `U`, 4 × the number of characters).
    pub fn scalar(kind: ScalarKind, order: ByteOrder, size: usize) -> Result<DType> {
        let ok = match kind {
            ScalarKind::Bool => size == 1,
            ScalarKind::Int | ScalarKind::UInt => matches!(size, 1 | 2 | 4 | 8),
            ScalarKind::Float => matches!(size, 2 | 4 | 8 | 12 | 16),
            ScalarKind::Complex => matches!(size, 8 | 16 | 24 | 32),
            ScalarKind::Bytes | ScalarKind::Void => true,
            ScalarKind::Unicode => size % 4 == 0,
            ScalarKind::Datetime | ScalarKind::Timedelta => size == 8,
        };
        if !ok {
            bail!(
                BadDtype,
                "no NumPy dtype of kind '{}' has item size {size}",
                kind.char()
            );
        }
        let order = if size == 1 || matches!(kind, ScalarKind::Bytes | ScalarKind::Void) {
            ByteOrder::NotApplicable
        } else if order == ByteOrder::NotApplicable {
            ByteOrder::NATIVE
        } else {
            order
        };
        Ok(DType {
            layout: Layout::Scalar {
                kind,
                order,
                unit: String::new(),
            },
            itemsize: size,
        })
    }

    /// Parse a dtype as text: a header literal (`'<f8'`, `"<f8"`,
    /// `[('x', '<f4')]`) or a bare type string (`<f8`, `int32`).
    ///
    /// A literal is read piece by piece, never as a whole tree of values:
    /// memory stays proportional to the dtype built (see docs/SECURITY.md).
    pub fn parse(text: &str) -> Result<DType> {
        let t = text.trim();
        if t.starts_with(['\'', '"', '[', '(']) {
            let ctx = |e: Error| e.context("dtype");
            let mut p = Parser::new(t, false).map_err(ctx)?;
            let d = read_descr(&mut p, 0).map_err(ctx)?;
            p.finish().map_err(ctx)?;
            d
        } else {
            DType::from_typestr(t)
        }
    }

    /// Build a dtype from a parsed header `descr` value, as NumPy's
    /// `descr_to_dtype` does (nameless void fields become padding).
    pub fn from_value(v: &Value) -> Result<DType> {
        let text = v.repr();
        let mut p = Parser::new(&text, false)?;
        let d = read_descr(&mut p, 0)?;
        p.finish()?;
        d
    }

    /// Parse a type string such as `<f8`, `|S5`, `<M8[10ms]`, `i4` or `float64`.
    pub fn from_typestr(s: &str) -> Result<DType> {
        parse_typestr(s)
    }

    /// The descr exactly as `np.save` writes it after `'descr': ` — a quoted
    /// type string, or a list of field tuples for records.
    pub fn descr(&self) -> String {
        match self.descr_limited(usize::MAX) {
            Ok(s) => s,
            Err(_) => std::alloc::handle_alloc_error(std::alloc::Layout::new::<u8>()),
        }
    }

    /// [`DType::descr`], reporting allocation failure (the descr of a record
    /// is about as long as the header it came from) instead of aborting.
    /// The string has room for one more byte, so that a C string can be
    /// made of it without reallocating.
    pub fn try_descr(&self) -> Result<String> {
        let mut s = self.descr_limited(usize::MAX)?;
        s.try_reserve_exact(1)
            .map_err(|_| alloc_error("a dtype description"))?;
        Ok(s)
    }

    /// The descr cut to about a hundred characters, for messages.
    pub(crate) fn descr_short(&self) -> String {
        let s = self
            .descr_limited(4 * crate::literal::QUOTE_CHARS)
            .unwrap_or_default();
        crate::literal::shorten(&s)
    }

    /// The descr, or its first `limit` bytes or so.
    fn descr_limited(&self, limit: usize) -> Result<String> {
        let mut out = Out {
            s: String::new(),
            limit,
            failed: false,
        };
        let _ = match &self.layout {
            Layout::Record(_) => self.write_descr_list(&mut out),
            // Top-level subarrays only come from explicit construction;
            // NumPy's main branch writes them as (base, shape).
            Layout::SubArray(..) => self.write_type_slot(&mut out),
            Layout::Scalar { .. } => {
                // A scalar's type string is ASCII letters, digits, `<>|=`
                // and brackets: its repr is the string in single quotes.
                let t = self.typestr();
                debug_assert_eq!(repr_str(&t), format!("'{t}'"));
                write!(out, "'{t}'")
            }
        };
        if out.failed {
            return Err(alloc_error("a dtype description"));
        }
        Ok(out.s)
    }

    /// The type string (`dtype.str`) for scalars; for records `|V<itemsize>`.
    pub fn typestr(&self) -> String {
        match &self.layout {
            Layout::Scalar { kind, order, unit } => {
                let mut s = String::new();
                s.push(order.char());
                s.push(kind.char());
                match kind {
                    ScalarKind::Unicode => {
                        let _ = write!(s, "{}", self.itemsize / 4);
                    }
                    ScalarKind::Datetime | ScalarKind::Timedelta => {
                        s.push('8');
                        if !unit.is_empty() {
                            let _ = write!(s, "[{unit}]");
                        }
                    }
                    _ => {
                        let _ = write!(s, "{}", self.itemsize);
                    }
                }
                s
            }
            _ => format!("|V{}", self.itemsize),
        }
    }

    fn write_descr_list(&self, out: &mut Out) -> fmt::Result {
        let Layout::Record(fields) = &self.layout else {
            return self.write_type_slot(out);
        };
        out.write_char('[')?;
        let mut cur = 0usize;
        let mut first = true;
        let mut sep = |out: &mut Out| {
            let r = if first { Ok(()) } else { out.write_str(", ") };
            first = false;
            r
        };
        for f in fields {
            if f.offset > cur {
                sep(out)?;
                write!(out, "('', '|V{}')", f.offset - cur)?;
            }
            sep(out)?;
            out.write_char('(')?;
            match &f.title {
                Some(t) => write!(out, "({}, {})", out.repr(t), out.repr(&f.name))?,
                None => out.write_str(&out.repr(&f.name))?,
            }
            out.write_str(", ")?;
            match &f.dtype.layout {
                Layout::SubArray(base, shape) => {
                    base.write_type_slot(out)?;
                    out.write_str(", ")?;
                    out.write_str(&shape_repr(shape))?;
                }
                _ => f.dtype.write_type_slot(out)?,
            }
            out.write_char(')')?;
            cur = f.offset + f.dtype.itemsize;
        }
        if self.itemsize > cur {
            sep(out)?;
            write!(out, "('', '|V{}')", self.itemsize - cur)?;
        }
        out.write_char(']')
    }

    fn write_type_slot(&self, out: &mut Out) -> fmt::Result {
        match &self.layout {
            Layout::Record(_) => self.write_descr_list(out),
            Layout::SubArray(base, shape) => {
                out.write_char('(')?;
                base.write_type_slot(out)?;
                out.write_str(", ")?;
                out.write_str(&shape_repr(shape))?;
                out.write_char(')')
            }
            _ => out.write_str(&repr_str(&self.typestr())),
        }
    }

    /// Does the descr need characters outside Latin-1 (forcing format 3.0)?
    pub fn needs_utf8(&self) -> bool {
        match &self.layout {
            Layout::Scalar { .. } => false,
            Layout::SubArray(b, _) => b.needs_utf8(),
            Layout::Record(fields) => fields.iter().any(|f| {
                f.name.chars().any(|c| c as u32 > 0xff)
                    || f.title
                        .as_deref()
                        .is_some_and(|t| t.chars().any(|c| c as u32 > 0xff))
                    || f.dtype.needs_utf8()
            }),
        }
    }

    /// Is every multi-byte scalar in this dtype already in host byte order?
    pub fn is_native(&self) -> bool {
        self.swap_units().is_empty()
    }

    /// The plan for bringing one item to host byte order: which byte units
    /// inside an item to reverse. Its size is bounded by the size of the
    /// dtype's description, not by its item size (a subarray of a billion
    /// big-endian ints is one entry), so hostile headers cannot make it large.
    pub fn swap_units(&self) -> SwapPlan {
        match self.try_swap_units() {
            Ok(p) => p,
            Err(_) => std::alloc::handle_alloc_error(std::alloc::Layout::new::<SwapOp>()),
        }
    }

    /// [`DType::swap_units`], reporting allocation failure instead of
    /// aborting (a record of a million fields in alternating byte orders
    /// has a plan of a million entries).
    pub fn try_swap_units(&self) -> Result<SwapPlan> {
        let mut ops = Vec::new();
        self.collect_swaps(0, &mut ops)?;
        Ok(SwapPlan { ops })
    }

    fn collect_swaps(&self, base: usize, out: &mut Vec<SwapOp>) -> Result<()> {
        match &self.layout {
            Layout::Scalar { kind, order, .. } => {
                if *order == ByteOrder::NotApplicable || *order == ByteOrder::NATIVE {
                    return Ok(());
                }
                let (width, count) = match kind {
                    ScalarKind::Complex => (self.itemsize / 2, 2),
                    ScalarKind::Unicode => (4, self.itemsize / 4),
                    _ => (self.itemsize, 1),
                };
                push_units(out, base, width, count, width)
            }
            Layout::Record(fields) => {
                for f in fields {
                    f.dtype.collect_swaps(base + f.offset, out)?;
                }
                Ok(())
            }
            Layout::SubArray(b, _) => {
                if b.itemsize == 0 {
                    return Ok(());
                }
                let n = self.itemsize / b.itemsize;
                if n == 0 {
                    return Ok(());
                }
                let mut sub = Vec::new();
                b.collect_swaps(0, &mut sub)?;
                match sub.as_slice() {
                    [] => Ok(()),
                    // Units that tile the base item repeat as one longer run.
                    [SwapOp::Units {
                        offset,
                        width,
                        count,
                        stride,
                    }] if *count == 1 || *count * *stride == b.itemsize => {
                        let stride = if *count == 1 { b.itemsize } else { *stride };
                        push_units(out, base + offset, *width, count * n, stride)
                    }
                    _ => push(
                        out,
                        SwapOp::Repeat {
                            offset: base,
                            stride: b.itemsize,
                            count: n,
                            ops: sub,
                        },
                        "a byte-swap plan",
                    ),
                }
            }
        }
    }

    /// A subarray's base and shape (any other dtype comes back as the base,
    /// with no dimensions).
    pub(crate) fn into_subarray(self) -> (DType, Vec<u64>) {
        match self.layout {
            Layout::SubArray(base, shape) => (*base, shape),
            layout => (
                DType {
                    layout,
                    itemsize: self.itemsize,
                },
                Vec::new(),
            ),
        }
    }

    /// The same dtype with every scalar in host byte order.
    pub fn to_native(&self) -> DType {
        let layout = match &self.layout {
            Layout::Scalar { kind, order, unit } => Layout::Scalar {
                kind: *kind,
                order: if *order == ByteOrder::NotApplicable {
                    *order
                } else {
                    ByteOrder::NATIVE
                },
                unit: unit.clone(),
            },
            Layout::Record(fields) => Layout::Record(
                fields
                    .iter()
                    .map(|f| Field {
                        dtype: f.dtype.to_native(),
                        ..f.clone()
                    })
                    .collect(),
            ),
            Layout::SubArray(b, s) => Layout::SubArray(Box::new(b.to_native()), s.clone()),
        };
        DType {
            layout,
            itemsize: self.itemsize,
        }
    }
}

/// Python's repr of a shape tuple, and decimal digits; kept here for
/// callers that still name these paths (their home is [`crate::pytext`]).
pub(crate) use crate::pytext::push_u64;
pub use crate::pytext::shape_repr;

fn object_error() -> crate::error::Error {
    err!(
        ObjectDtype,
        "dtype contains Python objects ('O'); object arrays need pickle and are never loaded"
    )
}

fn typestr_arg(v: Value, what: &str) -> Result<String> {
    match v {
        Value::Str(s) => Ok(s),
        other => bail!(
            BadDtype,
            "{what} must be a str, got {} {}",
            other.type_name(),
            other.repr_short()
        ),
    }
}

/// A result whose error is about meaning, not syntax: the reader that
/// returned it has read its value to the end, so that a syntax error later
/// in the text is still found first (as Python's parser would).
type Sem<T> = Result<T>;

/// A descr as NumPy's `descr_to_dtype` reads it: a type string, a list of
/// fields, or a `(base, shape)` tuple. `depth` counts dtype levels.
///
/// The value is read piece by piece; only the dtype being built is kept,
/// so memory is proportional to it (and the text is never held as a tree
/// of values). After the first error, the rest is only checked for syntax.
pub(crate) fn read_descr(p: &mut Parser, depth: usize) -> Result<Sem<DType>> {
    if depth > MAX_DTYPE_DEPTH {
        p.skip_value()?;
        return Ok(Err(err!(
            BadDtype,
            "dtype nested deeper than {MAX_DTYPE_DEPTH} levels"
        )));
    }
    p.skip_ws();
    match p.peek() {
        Some(b'[') => read_record(p, depth),
        Some(b'(') => read_subarray(p, depth),
        _ => {
            let it = p.item()?;
            Ok(match &it.v {
                Value::Str(s) => parse_typestr(s),
                _ => Err(descr_error(&p.shown(&it))),
            })
        }
    }
}

fn descr_error(shown: &str) -> Error {
    err!(
        BadDtype,
        "descr must be a type string, a list of fields or a (base, shape) tuple, got {shown}"
    )
}

/// `(base, shape)`; the parser is at the tuple's opening parenthesis.
fn read_subarray(p: &mut Parser, depth: usize) -> Result<Sem<DType>> {
    let start = p.pos();
    p.bump();
    let mut n = 0usize;
    let mut base = None;
    let mut shape = None;
    if !p.eat(b')') {
        loop {
            match n {
                0 => base = Some(read_descr(p, depth + 1)?),
                1 => shape = Some(read_subshape(p)?),
                _ => p.skip_value()?,
            }
            n += 1;
            if !p.next_or_close(b')')? {
                break;
            }
        }
    }
    match (base, shape) {
        (Some(base), Some(shape)) if n == 2 => Ok(base.and_then(|b| subarray(b, shape?))),
        _ => Ok(Err(descr_error(&p.shown_from(start)?))),
    }
}

/// A subarray shape: an int or a tuple of at most 64 ints.
fn read_subshape(p: &mut Parser) -> Result<Sem<Vec<u64>>> {
    let dim = |v: &Value| match v {
        Value::Int(i) if *i >= 0 && *i <= u32::MAX as i128 => Some(*i as u64),
        _ => None,
    };
    p.skip_ws();
    if p.peek() != Some(b'(') {
        let it = p.item()?;
        return Ok(match (&it.v, dim(&it.v)) {
            (_, Some(d)) => Ok(vec![d]),
            (Value::Int(_), None) => Err(err!(
                BadDtype,
                "subarray dimension must be a non-negative int, got {}",
                p.shown(&it)
            )),
            _ => Err(err!(
                BadDtype,
                "subarray shape must be an int or a tuple of ints, got {}",
                p.shown(&it)
            )),
        });
    }
    p.bump();
    let mut dims = Vec::new();
    let mut failed = None;
    let mut n = 0usize;
    if !p.eat(b')') {
        loop {
            if failed.is_some() || n >= crate::header::MAX_NDIM {
                p.skip_value()?;
            } else {
                let it = p.item()?;
                match dim(&it.v) {
                    Some(d) => push(&mut dims, d, "a subarray shape")?,
                    None => {
                        failed = Some(err!(
                            BadDtype,
                            "subarray dimension must be a non-negative int, got {}",
                            p.shown(&it)
                        ))
                    }
                }
            }
            n += 1;
            if !p.next_or_close(b')')? {
                break;
            }
        }
    }
    if let Some(e) = failed {
        return Ok(Err(e));
    }
    if n > crate::header::MAX_NDIM {
        return Ok(Err(err!(
            BadDtype,
            "subarray shape has {n} dimensions, more than NumPy's maximum of {}",
            crate::header::MAX_NDIM
        )));
    }
    Ok(Ok(dims))
}

fn subarray(base: DType, shape: Vec<u64>) -> Result<DType> {
    if shape.is_empty() {
        return Ok(base);
    }
    // A subarray of a subarray stays nested: NumPy keeps (and writes) it so.
    let count = shape
        .iter()
        .try_fold(1u64, |a, &d| a.checked_mul(d))
        .ok_or_else(|| err!(Overflow, "subarray shape {shape:?} overflows 64 bits"))?;
    let itemsize = (base.itemsize as u64)
        .checked_mul(count)
        .filter(|&n| n <= isize::MAX as u64)
        .ok_or_else(|| {
            err!(
                Overflow,
                "subarray of {count} items overflows the item size"
            )
        })?;
    Ok(DType {
        layout: Layout::SubArray(Box::new(base), shape),
        itemsize: itemsize as usize,
    })
}

/// A list of fields `[(name, type[, shape]), ...]`; the parser is at `[`.
fn read_record(p: &mut Parser, depth: usize) -> Result<Sem<DType>> {
    p.bump();
    let mut fields: Vec<Field> = Vec::new();
    let mut offset = 0usize;
    let mut failed: Option<Error> = None;
    let mut idx = 0usize;
    if !p.eat(b']') {
        loop {
            if failed.is_some() {
                p.skip_value()?;
            } else {
                match read_field(p, idx, depth)? {
                    Ok((name, title, dt)) => {
                        let size = dt.itemsize;
                        let is_padding = name.is_empty()
                            && title.is_none()
                            && matches!(
                                dt.layout,
                                Layout::Scalar {
                                    kind: ScalarKind::Void,
                                    ..
                                }
                            );
                        if !is_padding {
                            let name = if name.is_empty() {
                                default_name(idx)?
                            } else {
                                name
                            };
                            let field = Field {
                                name,
                                title,
                                offset,
                                dtype: dt,
                            };
                            push(&mut fields, field, "a record dtype")?;
                        }
                        match offset
                            .checked_add(size)
                            .filter(|&n| n <= isize::MAX as usize)
                        {
                            Some(o) => offset = o,
                            None => failed = Some(err!(Overflow, "record item size overflows")),
                        }
                    }
                    Err(e) => failed = Some(e),
                }
                if failed.is_some() {
                    // NumPy checks names as it goes: a repeated name in the
                    // fields before this one is the first error.
                    if let Err(e) = check_unique(&fields)? {
                        failed = Some(e);
                    }
                }
            }
            idx += 1;
            if !p.next_or_close(b']')? {
                break;
            }
        }
    }
    if let Some(e) = failed {
        return Ok(Err(e));
    }
    // Give back the growth room (shrinking moves nothing large) before the
    // name check allocates.
    fields.shrink_to_fit();
    if let Err(e) = check_unique(&fields)? {
        return Ok(Err(e));
    }
    Ok(Ok(DType {
        layout: Layout::Record(fields),
        itemsize: offset,
    }))
}

/// The name NumPy gives an unnamed field, `f<idx>`, allocated fallibly
/// and exactly (a record may have millions of them).
fn default_name(idx: usize) -> Result<String> {
    let digits = idx.checked_ilog10().unwrap_or(0) as usize + 1;
    let mut s = String::new();
    s.try_reserve_exact(1 + digits)
        .map_err(|_| alloc_error("a record dtype"))?;
    s.push('f');
    push_u64(&mut s, idx as u64);
    Ok(s)
}

/// Field `idx` of a record, `(name, type[, shape])` where the name may be
/// `(title, name)`: returns the name, the title and the type.
fn read_field(
    p: &mut Parser,
    idx: usize,
    depth: usize,
) -> Result<Sem<(String, Option<String>, DType)>> {
    p.skip_ws();
    if p.peek() != Some(b'(') {
        let it = p.item()?;
        return Ok(Err(err!(
            BadDtype,
            "field {idx} must be a tuple (name, type[, shape]), got {}",
            p.shown(&it)
        )));
    }
    let start = p.pos();
    p.bump();
    let mut n = 0usize;
    let (mut name, mut dt, mut shape) = (None, None, None);
    if !p.eat(b')') {
        loop {
            match n {
                0 => name = Some(p.item()?),
                1 => dt = Some(read_descr(p, depth + 1)?),
                2 => shape = Some(read_subshape(p)?),
                _ => p.skip_value()?,
            }
            n += 1;
            if !p.next_or_close(b')')? {
                break;
            }
        }
    }
    let (Some(name), Some(dt)) = (name, dt) else {
        let shown = p.shown_from(start)?;
        return Ok(Err(err!(
            BadDtype,
            "field {idx} must have 2 or 3 items, got {shown}"
        )));
    };
    if n > 3 {
        let shown = p.shown_from(start)?;
        return Ok(Err(err!(
            BadDtype,
            "field {idx} must have 2 or 3 items, got {shown}"
        )));
    }
    let bad_name = |p: &Parser, name: &crate::literal::Item| {
        err!(
            BadDtype,
            "field {idx} name must be a str or a (title, name) tuple, got {}",
            p.shown(name)
        )
    };
    if !matches!(&name.v, Value::Str(_) | Value::Tuple(_)) {
        return Ok(Err(bad_name(p, &name)));
    }
    if matches!(&name.v, Value::Tuple(nt) if nt.len() != 2) {
        return Ok(Err(bad_name(p, &name)));
    }
    let (name, title) = match name.v {
        Value::Str(s) => (s, None),
        Value::Tuple(nt) if nt.len() == 2 => {
            let mut nt = nt.into_iter();
            let (t, nm) = (nt.next(), nt.next());
            let (Some(t), Some(nm)) = (t, nm) else {
                return Ok(Err(err!(BadDtype, "field {idx} has no name")));
            };
            match (typestr_arg(nm, "field name"), typestr_arg(t, "field title")) {
                (Ok(nm), Ok(t)) => (nm, Some(t)),
                (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
            }
        }
        _ => return Ok(Err(err!(BadDtype, "field {idx} has no name"))),
    };
    let dt = match (dt, shape) {
        (Err(e), _) | (Ok(_), Some(Err(e))) => return Ok(Err(e)),
        (Ok(dt), None) => dt,
        (Ok(dt), Some(Ok(shape))) => match subarray(dt, shape) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        },
    };
    Ok(Ok((name, title, dt)))
}

/// NumPy refuses a record that uses a name twice: titles count as names,
/// and a title may not equal its own field's name. Sorting the names and
/// titles finds the first field that repeats one (the error NumPy reports,
/// checking as it goes) in O(n log n) time and 4 bytes per name.
fn check_unique(fields: &[Field]) -> Result<Sem<()>> {
    // Entry 2i is field i's name, 2i + 1 its title (32 bits: a header
    // cannot hold 2^31 fields).
    if fields.len() > (u32::MAX / 2) as usize {
        return Ok(Err(err!(Overflow, "record of {} fields", fields.len())));
    }
    let key = |e: u32| -> &str {
        let f = &fields[e as usize / 2];
        if e % 2 == 0 {
            &f.name
        } else {
            f.title.as_deref().unwrap_or_default()
        }
    };
    let titles = fields.iter().filter(|f| f.title.is_some()).count();
    if fields.len() + titles < 2 {
        return Ok(Ok(()));
    }
    let mut entries: Vec<u32> = Vec::new();
    entries
        .try_reserve_exact(fields.len() + titles)
        .map_err(|_| alloc_error("a record dtype"))?;
    for (i, f) in fields.iter().enumerate() {
        let e = 2 * i as u32;
        entries.push(e);
        if f.title.is_some() {
            entries.push(e + 1);
        }
    }
    entries.sort_unstable_by(|&a, &b| key(a).cmp(key(b)).then(a.cmp(&b)));
    // In a run of equal keys (ordered by field), every entry after the
    // first repeats an earlier name; the first such field is the error.
    let first = entries
        .windows(2)
        .filter(|w| key(w[0]) == key(w[1]))
        .map(|w| w[1] as usize / 2)
        .min();
    Ok(match first {
        Some(i) => Err(err!(
            BadDtype,
            "field name {} appears twice",
            repr_str_short(&fields[i].name)
        )),
        None => Ok(()),
    })
}

/// A `fmt::Write` into a string that reports allocation failure (and stops
/// quietly once `limit` bytes are written).
struct Out {
    s: String,
    limit: usize,
    failed: bool,
}

impl Out {
    /// Python's repr of a name; only as much of it as a cut output can show.
    fn repr(&self, s: &str) -> String {
        if self.limit == usize::MAX {
            repr_str(s)
        } else {
            repr_str(prefix_chars(s, self.limit))
        }
    }
}

impl fmt::Write for Out {
    fn write_str(&mut self, x: &str) -> fmt::Result {
        if self.failed || self.s.len() > self.limit {
            return Err(fmt::Error);
        }
        if self.s.try_reserve(x.len()).is_err() {
            self.failed = true;
            return Err(fmt::Error);
        }
        self.s.push_str(x);
        Ok(())
    }
}

fn parse_typestr(s: &str) -> Result<DType> {
    let bad = || err!(BadDtype, "unknown type string {}", repr_str_short(s));
    let (order, body) = match s.chars().next() {
        Some('<') => (ByteOrder::Little, &s[1..]),
        Some('>') => (ByteOrder::Big, &s[1..]),
        Some('|') => (ByteOrder::NotApplicable, &s[1..]),
        Some('=') => (ByteOrder::NATIVE, &s[1..]),
        _ => (ByteOrder::NotApplicable, s),
    };
    if body.is_empty() {
        return Err(bad());
    }
    // The form np.save writes (`f8`, `i4`, `U5`, ...): a kind letter and
    // digits, which no named type, object or datetime spelling matches.
    let b = body.as_bytes();
    if b.len() >= 2 && b"biufcSaVU".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit) {
        return sized_typestr(s, order, body);
    }
    // Named types first.
    let named: Option<(ScalarKind, usize)> = match body {
        "bool" | "bool_" | "?" => Some((ScalarKind::Bool, 1)),
        "int8" | "byte" | "b" => Some((ScalarKind::Int, 1)),
        "int16" | "short" | "h" => Some((ScalarKind::Int, 2)),
        "int32" | "intc" | "i" => Some((ScalarKind::Int, 4)),
        "int64" | "int" | "intp" | "long" | "longlong" | "l" | "q" | "p" | "int_" => {
            Some((ScalarKind::Int, 8))
        }
        "uint8" | "ubyte" | "B" => Some((ScalarKind::UInt, 1)),
        "uint16" | "ushort" | "H" => Some((ScalarKind::UInt, 2)),
        "uint32" | "uintc" | "I" => Some((ScalarKind::UInt, 4)),
        "uint64" | "uint" | "uintp" | "ulong" | "ulonglong" | "L" | "Q" | "P" => {
            Some((ScalarKind::UInt, 8))
        }
        "float16" | "half" | "e" => Some((ScalarKind::Float, 2)),
        "float32" | "single" | "f" => Some((ScalarKind::Float, 4)),
        "float64" | "double" | "float" | "d" => Some((ScalarKind::Float, 8)),
        "float128" | "longdouble" | "g" => Some((ScalarKind::Float, 16)),
        "complex64" | "csingle" | "F" => Some((ScalarKind::Complex, 8)),
        "complex128" | "cdouble" | "complex" | "D" => Some((ScalarKind::Complex, 16)),
        "complex256" | "clongdouble" | "G" => Some((ScalarKind::Complex, 32)),
        "bytes" | "bytes_" | "S" | "a" => Some((ScalarKind::Bytes, 0)),
        "str" | "str_" | "U" => Some((ScalarKind::Unicode, 0)),
        "void" | "V" => Some((ScalarKind::Void, 0)),
        _ => None,
    };
    if let Some((kind, size)) = named {
        return DType::scalar(kind, order, size);
    }
    if body.starts_with('O') || body == "object" || body == "object_" {
        return Err(object_error());
    }
    // datetime64 / timedelta64 with optional unit.
    for (prefix, kind) in [
        ("datetime64", ScalarKind::Datetime),
        ("timedelta64", ScalarKind::Timedelta),
        ("M8", ScalarKind::Datetime),
        ("m8", ScalarKind::Timedelta),
        ("M", ScalarKind::Datetime),
        ("m", ScalarKind::Timedelta),
    ] {
        if let Some(rest) = body.strip_prefix(prefix) {
            if !(rest.is_empty() || rest.starts_with('[')) {
                continue;
            }
            let unit = parse_unit(rest).ok_or_else(bad)?;
            let mut dt = DType::scalar(kind, order, 8)?;
            if let Layout::Scalar { unit: u, .. } = &mut dt.layout {
                *u = unit;
            }
            return Ok(dt);
        }
    }
    sized_typestr(s, order, body)
}

/// A kind letter and a size (`body` of the type string `s`).
fn sized_typestr(s: &str, order: ByteOrder, body: &str) -> Result<DType> {
    let bad = || err!(BadDtype, "unknown type string {}", repr_str_short(s));
    let mut chars = body.chars();
    let k = chars.next().ok_or_else(bad)?;
    let digits = chars.as_str();
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) || digits.len() > 12 {
        return Err(bad());
    }
    let n: usize = digits.parse().map_err(|_| bad())?;
    let (kind, size) = match k {
        'b' => (ScalarKind::Bool, n),
        'i' => (ScalarKind::Int, n),
        'u' => (ScalarKind::UInt, n),
        'f' => (ScalarKind::Float, n),
        'c' => (ScalarKind::Complex, n),
        'S' | 'a' => (ScalarKind::Bytes, n),
        'V' => (ScalarKind::Void, n),
        'U' => (
            ScalarKind::Unicode,
            n.checked_mul(4)
                .filter(|&b| b <= isize::MAX as usize)
                .ok_or_else(|| err!(Overflow, "type string {} overflows", repr_str_short(s)))?,
        ),
        _ => return Err(bad()),
    };
    DType::scalar(kind, order, size).map_err(|_| bad())
}

/// Parse `[10ms]`-style datetime units; returns NumPy's printed form.
fn parse_unit(rest: &str) -> Option<String> {
    if rest.is_empty() {
        return Some(String::new());
    }
    let inner = rest.strip_prefix('[')?.strip_suffix(']')?;
    let split = inner
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(inner.len());
    let (num, unit) = inner.split_at(split);
    if !DATETIME_UNITS.contains(&unit) {
        return None;
    }
    let mult: u64 = if num.is_empty() {
        1
    } else {
        num.parse()
            .ok()
            .filter(|&m| m > 0 && m <= i32::MAX as u64)?
    };
    Some(if mult == 1 {
        unit.to_string()
    } else {
        format!("{mult}{unit}")
    })
}

/// How to bring one item of a dtype to host byte order, from
/// [`DType::swap_units`]: byte units inside an item to reverse.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SwapPlan {
    ops: Vec<SwapOp>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum SwapOp {
    /// Reverse `count` units of `width` bytes at `offset + k * stride`.
    Units {
        offset: usize,
        width: usize,
        count: usize,
        stride: usize,
    },
    /// Apply `ops` at `offset + k * stride`, `count` times (records inside
    /// subarrays).
    Repeat {
        offset: usize,
        stride: usize,
        count: usize,
        ops: Vec<SwapOp>,
    },
}

/// Append a run of units, merging it with the previous run when it continues it.
fn push_units(
    out: &mut Vec<SwapOp>,
    offset: usize,
    width: usize,
    count: usize,
    stride: usize,
) -> Result<()> {
    if count == 0 || width < 2 {
        return Ok(());
    }
    let stride = if count == 1 { width } else { stride };
    if let Some(SwapOp::Units {
        offset: o,
        width: w,
        count: c,
        stride: s,
    }) = out.last_mut()
    {
        let s_eff = if *c == 1 { *w } else { *s };
        if *w == width && s_eff == stride && *o + *c * s_eff == offset {
            *c += count;
            *s = stride;
            return Ok(());
        }
    }
    push(
        out,
        SwapOp::Units {
            offset,
            width,
            count,
            stride,
        },
        "a byte-swap plan",
    )
}

impl SwapPlan {
    /// True if nothing needs swapping (every scalar is in host order).
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The units `(offset, width)` to reverse in one item, in order, at
    /// most `limit` of them (for tests and messages: the full list of a
    /// large subarray is as long as the item).
    pub fn units(&self, limit: usize) -> Vec<(usize, usize)> {
        fn walk(ops: &[SwapOp], base: usize, limit: usize, out: &mut Vec<(usize, usize)>) {
            for op in ops {
                match op {
                    SwapOp::Units {
                        offset,
                        width,
                        count,
                        stride,
                    } => {
                        for k in 0..*count {
                            if out.len() >= limit {
                                return;
                            }
                            out.push((base + offset + k * stride, *width));
                        }
                    }
                    SwapOp::Repeat {
                        offset,
                        stride,
                        count,
                        ops,
                    } => {
                        for k in 0..*count {
                            if out.len() >= limit {
                                return;
                            }
                            walk(ops, base + offset + k * stride, limit, out);
                        }
                    }
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.ops, 0, limit, &mut out);
        out
    }
}

fn apply_swaps(ops: &[SwapOp], item: &mut [u8]) {
    for op in ops {
        match *op {
            SwapOp::Units {
                offset,
                width,
                count,
                stride,
            } => {
                for k in 0..count {
                    let o = offset + k * stride;
                    item[o..o + width].reverse();
                }
            }
            SwapOp::Repeat {
                offset,
                stride,
                count,
                ref ops,
            } => {
                for k in 0..count {
                    apply_swaps(ops, &mut item[offset + k * stride..]);
                }
            }
        }
    }
}

/// Reverse the byte order of every unit of `plan` in each item of `data`.
/// `data.len()` must be a multiple of `itemsize`.
pub fn swap_in_place(data: &mut [u8], itemsize: usize, plan: &SwapPlan) {
    if plan.ops.is_empty() || itemsize == 0 {
        return;
    }
    // Fast path: the whole item is made of equal, adjacent units.
    if let [SwapOp::Units {
        offset: 0,
        width: w,
        count,
        stride,
    }] = plan.ops[..]
    {
        if stride == w && count * w == itemsize {
            match w {
                2 => data.chunks_exact_mut(2).for_each(|c| {
                    c.copy_from_slice(&u16::from_ne_bytes([c[0], c[1]]).swap_bytes().to_ne_bytes())
                }),
                4 => data.chunks_exact_mut(4).for_each(|c| {
                    let v = u32::from_ne_bytes(c.try_into().unwrap_or([0; 4]));
                    c.copy_from_slice(&v.swap_bytes().to_ne_bytes())
                }),
                8 => data.chunks_exact_mut(8).for_each(|c| {
                    let v = u64::from_ne_bytes(c.try_into().unwrap_or([0; 8]));
                    c.copy_from_slice(&v.swap_bytes().to_ne_bytes())
                }),
                _ => data.chunks_exact_mut(w).for_each(|c| c.reverse()),
            }
            return;
        }
    }
    for item in data.chunks_exact_mut(itemsize) {
        apply_swaps(&plan.ops, item);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_repr_is_pythons() {
        assert_eq!(shape_repr(&[]), "()");
        assert_eq!(shape_repr(&[0]), "(0,)");
        assert_eq!(shape_repr(&[3, 4]), "(3, 4)");
        assert_eq!(
            shape_repr(&[u64::MAX, 10, 1]),
            "(18446744073709551615, 10, 1)"
        );
        let mut s = String::new();
        for v in [0, 9, 10, 99, 100, 1234567890] {
            push_u64(&mut s, v);
            s.push(' ');
        }
        assert_eq!(s, "0 9 10 99 100 1234567890 ");
    }

    fn rt(descr: &str) {
        let d = DType::parse(descr).unwrap();
        assert_eq!(d.descr(), descr, "round trip of {descr}");
    }

    #[test]
    fn scalars_round_trip() {
        for s in [
            "'|b1'",
            "'|i1'",
            "'<i2'",
            "'>i4'",
            "'<i8'",
            "'|u1'",
            "'>u8'",
            "'<f2'",
            "'<f4'",
            "'>f8'",
            "'<f16'",
            "'<c8'",
            "'>c16'",
            "'<c32'",
            "'|S5'",
            "'<U5'",
            "'>U3'",
            "'|V8'",
            "'<M8[ns]'",
            "'<M8[D]'",
            "'<M8'",
            "'>m8[10ms]'",
            "'|S0'",
        ] {
            rt(s);
        }
    }

    #[test]
    fn normalises_like_numpy() {
        assert_eq!(DType::parse("<i1").unwrap().descr(), "'|i1'");
        assert_eq!(DType::parse("'<b1'").unwrap().descr(), "'|b1'");
        assert_eq!(DType::parse("int32").unwrap().descr(), "'<i4'");
        assert_eq!(DType::parse("=f8").unwrap().descr(), "'<f8'");
        assert_eq!(DType::parse("'<M8[1ms]'").unwrap().descr(), "'<M8[ms]'");
        assert_eq!(DType::parse("U3").unwrap().itemsize(), 12);
    }

    #[test]
    fn records() {
        rt("[('a', '<i4'), ('b', '>f8')]");
        rt("[('', '|V1'), ('a', '<i4'), ('', '|V1'), ('b', '<i4')]");
        rt("[('f0', '|i1'), ('', '|V3'), ('f1', '<i4'), ('f2', '|i1'), ('', '|V3')]");
        rt("[('', '|V8')]");
        rt("[('x', '<f8', (2, 3))]");
        rt("[(('title', 'name'), '<i4')]");
        rt("[('n', [('a', '|i1'), ('b', '<U2')]), ('c', '<f8', (5,))]");
        rt("[('r', [('a', '|i1'), ('', '|V3')], (4,))]");
        let d = DType::parse("[('c', ('<f8', (5,)), (2,))]").unwrap();
        assert_eq!(d.descr(), "[('c', ('<f8', (5,)), (2,))]");
        assert_eq!(d.itemsize(), 80);
        let d = DType::parse("[('a', '<i4'), ('', '|V4'), ('b', '>f8')]").unwrap();
        assert_eq!(d.itemsize(), 16);
    }

    #[test]
    fn refusals() {
        assert_eq!(
            DType::parse("'|O'").unwrap_err().status(),
            crate::error::Status::ObjectDtype
        );
        assert_eq!(
            DType::parse("[('a', '<i4'), ('o', '|O')]")
                .unwrap_err()
                .status(),
            crate::error::Status::ObjectDtype
        );
        for bad in [
            "'<q9'",
            "'<f3'",
            "'<i3'",
            "'x'",
            "'<M8[parsec]'",
            "[('a',)]",
            "[('a', 'f8'), ('a', 'f8')]",
        ] {
            assert_eq!(
                DType::parse(bad).unwrap_err().status(),
                crate::error::Status::BadDtype,
                "{bad}"
            );
        }
    }

    #[test]
    fn swap_plans() {
        let d = DType::parse("[('a', '>i4'), ('b', '<f8'), ('c', '>c8'), ('u', '>U2')]").unwrap();
        assert_eq!(
            d.swap_units().units(usize::MAX),
            vec![(0, 4), (12, 4), (16, 4), (20, 4), (24, 4)]
        );
        let mut v = vec![1u8, 2, 3, 4, 5, 6, 7, 8];
        swap_in_place(&mut v, 4, &DType::parse(">i4").unwrap().swap_units());
        assert_eq!(v, [4, 3, 2, 1, 8, 7, 6, 5]);
        assert!(DType::parse("'<f8'").unwrap().is_native());
        // Records inside subarrays: a nested plan, applied per element.
        let d = DType::parse("[('r', [('a', '>i2'), ('b', '|i1'), ('c', '<i2')], (2,))]").unwrap();
        assert_eq!(d.swap_units().units(usize::MAX), vec![(0, 2), (5, 2)]);
        let mut v: Vec<u8> = (0..10).collect();
        swap_in_place(&mut v, 10, &d.swap_units());
        assert_eq!(v, [1, 0, 2, 3, 4, 6, 5, 7, 8, 9]);
    }

    #[test]
    fn swap_plans_stay_small() {
        // A subarray with no elements has nothing to swap.
        let d = DType::parse("[('n', [('a', '|i1'), ('b', '>U2')], (0,))]").unwrap();
        assert!(d.swap_units().is_empty() && d.is_native());
        // Hostile item sizes: the plan is as long as the description, not the item.
        for descr in [
            "[('x', '>i4', (100000, 100000))]",
            "'>U999999999999'",
            "[('x', [('a', '>i2'), ('b', '>f8', (7,)), ('c', '|i1')], (4294967295,))]",
            "[('x', ('>c16', (65536,)), (65536,))]",
        ] {
            let d = DType::parse(descr).unwrap();
            let plan = d.swap_units();
            assert!(!plan.is_empty());
            assert!(plan.units(4).len() == 4, "{descr}");
            assert!(format!("{plan:?}").len() < 1000, "{descr}: {plan:?}");
        }
        let d = DType::parse("[('x', '>i4', (3,)), ('y', '>i4')]").unwrap();
        assert_eq!(
            d.swap_units().units(usize::MAX),
            vec![(0, 4), (4, 4), (8, 4), (12, 4)]
        );
        assert_eq!(format!("{:?}", d.swap_units()).matches("Units").count(), 1);
    }
}
