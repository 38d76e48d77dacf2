//! Reading a dtype: a header's `descr` (type strings, field lists,
//! `(base, shape)` tuples) as NumPy's `descr_to_dtype` reads it, and the
//! type strings and names `np.dtype` accepts.

use super::{object_error, ByteOrder, DType, Field, Layout, ScalarKind, MAX_NDIM};
use crate::error::{Error, Result};
use crate::literal::{alloc_error, push, repr_str_short, Item, Parser, Value};
use crate::{bail, err};

const DATETIME_UNITS: [&str; 13] = [
    "Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as",
];

/// Nesting depth limit for dtypes (records inside records inside ...).
const MAX_DTYPE_DEPTH: usize = 64;

impl DType {
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

    /// A packed record of these `(name, dtype)` fields, one after the other
    /// without padding, as `np.dtype([(name, dtype), ...])` makes it. Names
    /// are used as given; a repeated name is refused as NumPy refuses it
    /// (checked in O(n log n)).
    pub fn packed_record(fields: impl IntoIterator<Item = (String, DType)>) -> Result<DType> {
        let fields = fields.into_iter();
        let mut out: Vec<Field> = Vec::new();
        out.try_reserve_exact(fields.size_hint().0)
            .map_err(|_| alloc_error("a record dtype"))?;
        let mut offset = 0usize;
        for (name, dtype) in fields {
            let size = dtype.itemsize;
            push(
                &mut out,
                Field {
                    name,
                    title: None,
                    offset,
                    dtype,
                },
                "a record dtype",
            )?;
            offset = offset
                .checked_add(size)
                .filter(|&n| n <= isize::MAX as usize)
                .ok_or_else(|| err!(Overflow, "record item size overflows"))?;
        }
        check_unique(&out)??;
        Ok(DType {
            layout: Layout::Record(out),
            itemsize: offset,
        })
    }
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
    let mut base = None;
    let mut shape = None;
    let n = p.elements(b')', |p, i| {
        match i {
            0 => base = Some(read_descr(p, depth + 1)?),
            1 => shape = Some(read_subshape(p)?),
            _ => p.skip_value()?,
        }
        Ok(())
    })?;
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
    if let Some(it) = p.item_unless(b'(')? {
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
    read_dims(
        p,
        |p, it| {
            Ok(dim(&it.v).ok_or_else(|| {
                err!(
                    BadDtype,
                    "subarray dimension must be a non-negative int, got {}",
                    p.shown(it)
                )
            }))
        },
        |n| {
            err!(
                BadDtype,
                "subarray shape has {n} dimensions, more than NumPy's maximum of {MAX_NDIM}"
            )
        },
    )
}

/// The dimensions of a shape tuple, the parser after its `(`: each element
/// goes through `dim` (which gives the dimension or the error about it);
/// after the first error, or past [`MAX_NDIM`] elements, the rest is only
/// checked for syntax and counted, never stored. More than [`MAX_NDIM`]
/// elements give the error `too_many(count)`.
pub(crate) fn read_dims(
    p: &mut Parser,
    mut dim: impl FnMut(&mut Parser, &Item) -> Result<Sem<u64>>,
    too_many: impl FnOnce(usize) -> Error,
) -> Result<Sem<Vec<u64>>> {
    let mut dims = Vec::new();
    let mut failed = None;
    let n = p.elements(b')', |p, i| {
        if failed.is_some() || i >= MAX_NDIM {
            return p.skip_value();
        }
        let it = p.item()?;
        match dim(p, &it)? {
            Ok(d) => push(&mut dims, d, "a shape"),
            Err(e) => {
                failed = Some(e);
                Ok(())
            }
        }
    })?;
    Ok(match failed {
        Some(e) => Err(e),
        None if n > MAX_NDIM => Err(too_many(n)),
        None => Ok(dims),
    })
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
    p.elements(b']', |p, idx| {
        if failed.is_some() {
            return p.skip_value();
        }
        match read_field(p, idx, depth)? {
            Ok((name, title, dt)) => {
                let size = dt.itemsize;
                // `descr_to_dtype`: a nameless field whose type is void
                // without fields (a void scalar, or any subarray) is
                // padding; any other nameless field keeps the name ''.
                let is_padding = name.is_empty()
                    && title.is_none()
                    && matches!(
                        dt.layout,
                        Layout::Scalar {
                            kind: ScalarKind::Void,
                            ..
                        } | Layout::SubArray(..)
                    );
                if !is_padding {
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
        Ok(())
    })?;
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

/// Field `idx` of a record, `(name, type[, shape])` where the name may be
/// `(title, name)`: returns the name, the title and the type.
fn read_field(
    p: &mut Parser,
    idx: usize,
    depth: usize,
) -> Result<Sem<(String, Option<String>, DType)>> {
    if let Some(it) = p.item_unless(b'(')? {
        return Ok(Err(err!(
            BadDtype,
            "field {idx} must be a tuple (name, type[, shape]), got {}",
            p.shown(&it)
        )));
    }
    let start = p.pos();
    p.bump();
    let (mut name, mut dt, mut shape) = (None, None, None);
    let n = p.elements(b')', |p, i| {
        match i {
            0 => name = Some(p.item()?),
            1 => dt = Some(read_descr(p, depth + 1)?),
            2 => shape = Some(read_subshape(p)?),
            _ => p.skip_value()?,
        }
        Ok(())
    })?;
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
