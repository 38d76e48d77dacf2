//! dtypes as NumPy shows them: `repr(dtype)`, `dtype.name`, the short form
//! an array's repr ends with, and a readable field table.

use npyio::dtype::{ByteOrder, Field, Layout, ScalarKind};
use npyio::pytext::repr_str;
use npyio::DType;

fn order_char(o: ByteOrder) -> &'static str {
    match o {
        ByteOrder::Little => "<",
        ByteOrder::Big => ">",
        ByteOrder::NotApplicable => "",
    }
}

fn is_native_order(o: ByteOrder) -> bool {
    o == ByteOrder::NotApplicable || o == ByteOrder::NATIVE
}

/// `dtype.isnative`: every scalar in host byte order.
pub fn is_native(dt: &DType) -> bool {
    match dt.layout() {
        Layout::Scalar { order, .. } => is_native_order(*order),
        Layout::Record(fields) => fields.iter().all(|f| is_native(&f.dtype)),
        Layout::SubArray(b, _) => is_native(b),
    }
}

fn unit_suffix(unit: &str) -> String {
    if unit.is_empty() {
        String::new()
    } else {
        format!("[{unit}]")
    }
}

fn kind_stem(kind: ScalarKind) -> &'static str {
    match kind {
        ScalarKind::Bool => "bool",
        ScalarKind::Int => "int",
        ScalarKind::UInt => "uint",
        ScalarKind::Float => "float",
        ScalarKind::Complex => "complex",
        ScalarKind::Bytes => "bytes",
        ScalarKind::Unicode => "str",
        ScalarKind::Void => "void",
        ScalarKind::Datetime => "datetime",
        ScalarKind::Timedelta => "timedelta",
    }
}

/// `dtype.name`: `float64`, `int8`, `str160`, `datetime64[ns]`, `void96`.
pub fn name(dt: &DType) -> String {
    match dt.layout() {
        Layout::Scalar { kind, unit, .. } => match kind {
            ScalarKind::Bool => "bool".into(),
            ScalarKind::Datetime | ScalarKind::Timedelta => {
                format!("{}64{}", kind_stem(*kind), unit_suffix(unit))
            }
            ScalarKind::Bytes | ScalarKind::Unicode | ScalarKind::Void if dt.itemsize() == 0 => {
                kind_stem(*kind).into()
            }
            _ => format!("{}{}", kind_stem(*kind), dt.itemsize() * 8),
        },
        _ => format!("void{}", dt.itemsize() * 8),
    }
}

/// `_scalar_str(dtype, short)` of NumPy's `_dtype.py`, with quotes.
fn scalar_str(dt: &DType, short: bool) -> String {
    let Layout::Scalar { kind, order, unit } = dt.layout() else {
        return construction_repr(dt, short);
    };
    let bo = order_char(*order);
    let n = dt.itemsize();
    match kind {
        ScalarKind::Bool => (if short { "'?'" } else { "'bool'" }).into(),
        ScalarKind::Bytes => format!("'S{n}'"),
        ScalarKind::Unicode => format!("'{bo}U{}'", n / 4),
        ScalarKind::Void => format!("'V{n}'"),
        ScalarKind::Datetime => format!("'{bo}M8{}'", unit_suffix(unit)),
        ScalarKind::Timedelta => format!("'{bo}m8{}'", unit_suffix(unit)),
        _ => {
            if short || !is_native_order(*order) {
                format!("'{bo}{}{n}'", kind.char())
            } else {
                format!("'{}{}'", kind_stem(*kind), 8 * n)
            }
        }
    }
}

fn shape_tuple(shape: &[u64]) -> String {
    npyio::pytext::shape_repr(shape)
}

fn is_packed(dt: &DType, fields: &[Field]) -> bool {
    let mut total = 0usize;
    for f in fields {
        if f.offset != total {
            return false;
        }
        total += f.dtype.itemsize();
    }
    total == dt.itemsize()
}

fn field_name_repr(f: &Field) -> String {
    match &f.title {
        Some(t) => format!("({}, {})", repr_str(t), repr_str(&f.name)),
        None => repr_str(&f.name),
    }
}

fn struct_str(dt: &DType, fields: &[Field]) -> String {
    if is_packed(dt, fields) {
        let items: Vec<String> = fields
            .iter()
            .map(|f| match f.dtype.layout() {
                Layout::SubArray(base, shape) => format!(
                    "({}, {}, {})",
                    field_name_repr(f),
                    construction_repr(base, true),
                    shape_tuple(shape)
                ),
                _ => format!(
                    "({}, {})",
                    field_name_repr(f),
                    construction_repr(&f.dtype, true)
                ),
            })
            .collect();
        return format!("[{}]", items.join(", "));
    }
    let names: Vec<String> = fields.iter().map(|f| repr_str(&f.name)).collect();
    let formats: Vec<String> = fields
        .iter()
        .map(|f| construction_repr(&f.dtype, true))
        .collect();
    let offsets: Vec<String> = fields.iter().map(|f| f.offset.to_string()).collect();
    let mut s = format!(
        "{{'names': [{}], 'formats': [{}], 'offsets': [{}",
        names.join(", "),
        formats.join(", "),
        offsets.join(", ")
    );
    if fields.iter().any(|f| f.title.is_some()) {
        let titles: Vec<String> = fields
            .iter()
            .map(|f| f.title.as_deref().map_or("None".into(), repr_str))
            .collect();
        s.push_str(&format!("], 'titles': [{}", titles.join(", ")));
    }
    s.push_str(&format!("], 'itemsize': {}}}", dt.itemsize()));
    s
}

/// `_construction_repr(dtype, short=short)`.
pub fn construction_repr(dt: &DType, short: bool) -> String {
    match dt.layout() {
        Layout::Record(fields) => struct_str(dt, fields),
        Layout::SubArray(base, shape) => {
            format!(
                "({}, {})",
                construction_repr(base, true),
                shape_tuple(shape)
            )
        }
        Layout::Scalar { .. } => scalar_str(dt, short),
    }
}

/// `repr(dtype)`: `dtype('float64')`, `dtype('<U5')`, `dtype([('a', '<i4')])`.
pub fn numpy_repr(dt: &DType) -> String {
    format!("dtype({})", construction_repr(dt, false))
}

/// `str(dtype)`.
pub fn numpy_str(dt: &DType) -> String {
    match dt.layout() {
        Layout::Record(fields) => struct_str(dt, fields),
        Layout::SubArray(..) => construction_repr(dt, true),
        Layout::Scalar { kind, .. } => {
            if matches!(
                kind,
                ScalarKind::Bytes | ScalarKind::Unicode | ScalarKind::Void
            ) || !is_native(dt)
            {
                dt.typestr()
            } else {
                name(dt)
            }
        }
    }
}

/// `dtype_short_repr(dtype)` from arrayprint: what follows `dtype=` in an
/// array's repr.
pub fn short_repr(dt: &DType) -> String {
    match dt.layout() {
        Layout::Record(_) => numpy_str(dt),
        Layout::Scalar {
            kind: ScalarKind::Bytes | ScalarKind::Unicode | ScalarKind::Void,
            ..
        } => format!("'{}'", numpy_str(dt)),
        _ if !is_native(dt) => format!("'{}'", numpy_str(dt)),
        _ => {
            let n = name(dt);
            if n.starts_with(|c: char| c.is_alphabetic()) && n.chars().all(|c| c.is_alphanumeric())
            {
                n
            } else {
                repr_str(&n)
            }
        }
    }
}

/// `dtype_is_implied(dtype)`: int64, float64, complex128 and bool in host
/// order need no `dtype=` in a repr.
pub fn is_implied(dt: &DType) -> bool {
    match dt.layout() {
        Layout::Scalar { kind, order, .. } => {
            is_native_order(*order)
                && matches!(
                    (kind, dt.itemsize()),
                    (ScalarKind::Int, 8)
                        | (ScalarKind::Float, 8)
                        | (ScalarKind::Complex, 16)
                        | (ScalarKind::Bool, 1)
                )
        }
        _ => false,
    }
}

fn order_word(o: ByteOrder) -> &'static str {
    match o {
        ByteOrder::Little => "little-endian",
        ByteOrder::Big => "big-endian",
        ByteOrder::NotApplicable => "",
    }
}

/// A readable description of a scalar or subarray type: `float64,
/// big-endian`, `str, 5 characters`, `float64 (2, 3)`.
pub fn readable_type(dt: &DType) -> String {
    match dt.layout() {
        Layout::Scalar { kind, order, .. } => {
            let mut s = match kind {
                ScalarKind::Unicode => format!("str, {} characters", dt.itemsize() / 4),
                ScalarKind::Bytes => format!("bytes, {} bytes", dt.itemsize()),
                ScalarKind::Void => format!("void, {} bytes", dt.itemsize()),
                _ => name(dt),
            };
            if !is_native_order(*order)
                || (*order != ByteOrder::NotApplicable && !is_native_order(*order))
            {
                s.push_str(", ");
                s.push_str(order_word(*order));
            }
            s
        }
        Layout::SubArray(base, shape) => {
            format!("{} {}", readable_type(base), shape_tuple(shape))
        }
        Layout::Record(_) => format!("record, {} bytes", dt.itemsize()),
    }
}

/// One row of the field table of a structured dtype.
#[derive(Debug, Clone)]
pub struct FieldRow {
    /// Dotted path of the field (`pos.x`).
    pub path: String,
    /// Title, if any.
    pub title: Option<String>,
    /// Offset in the record, bytes.
    pub offset: usize,
    /// Item size, bytes.
    pub size: usize,
    /// The field's type as NumPy writes it in a descr (`'<f8'`).
    pub descr: String,
    /// Readable type.
    pub readable: String,
}

/// Every field of a structured dtype, nested records flattened with dotted
/// paths (the record itself is listed before its fields).
pub fn field_rows(dt: &DType) -> Vec<FieldRow> {
    let mut out = Vec::new();
    walk(dt, "", 0, &mut out);
    out
}

fn walk(dt: &DType, prefix: &str, base: usize, out: &mut Vec<FieldRow>) {
    let Layout::Record(fields) = dt.layout() else {
        return;
    };
    for f in fields {
        let path = if prefix.is_empty() {
            f.name.clone()
        } else {
            format!("{prefix}.{}", f.name)
        };
        out.push(FieldRow {
            path: path.clone(),
            title: f.title.clone(),
            offset: base + f.offset,
            size: f.dtype.itemsize(),
            descr: construction_repr(&f.dtype, true),
            readable: readable_type(&f.dtype),
        });
        match f.dtype.layout() {
            Layout::Record(_) => walk(&f.dtype, &path, base + f.offset, out),
            Layout::SubArray(b, shape) if matches!(b.layout(), Layout::Record(_)) => walk(
                b,
                &format!("{path}[{}]", shape_items(shape)),
                base + f.offset,
                out,
            ),
            _ => {}
        }
    }
}

fn shape_items(shape: &[u64]) -> String {
    shape.iter().map(|_| "i").collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> DType {
        DType::parse(s).unwrap()
    }

    #[test]
    fn reprs() {
        assert_eq!(numpy_repr(&d("<f8")), "dtype('float64')");
        assert_eq!(numpy_repr(&d(">f8")), "dtype('>f8')");
        assert_eq!(numpy_repr(&d("<U5")), "dtype('<U5')");
        assert_eq!(numpy_repr(&d("|S3")), "dtype('S3')");
        assert_eq!(numpy_repr(&d("|b1")), "dtype('bool')");
        assert_eq!(numpy_repr(&d("|i1")), "dtype('int8')");
        assert_eq!(numpy_repr(&d("<M8[ns]")), "dtype('<M8[ns]')");
        assert_eq!(
            numpy_repr(&d("[('a', '<i4'), ('b', '>f8')]")),
            "dtype([('a', '<i4'), ('b', '>f8')])"
        );
        assert_eq!(
            numpy_repr(&d("[('', '|V1'), ('a', '<i4'), ('', '|V1'), ('b', '<i4'), ('', '|V2')]")),
            "dtype({'names': ['a', 'b'], 'formats': ['<i4', '<i4'], 'offsets': [1, 6], 'itemsize': 12})"
        );
        assert_eq!(short_repr(&d("<M8[D]")), "'datetime64[D]'");
        assert_eq!(short_repr(&d("|S3")), "'|S3'");
        assert_eq!(short_repr(&d("<f4")), "float32");
    }
}
