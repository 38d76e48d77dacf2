//! Printing a dtype exactly as `np.save` writes it after `'descr': `, and
//! its type string.

use super::{DType, Layout, ScalarKind};
use crate::error::Result;
use crate::literal::{alloc_error, prefix_chars};
use crate::pytext::{repr_str, shape_repr};
use std::fmt::{self, Write as _};

impl DType {
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
