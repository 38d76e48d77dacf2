//! Caller-supplied column converters for [`loadtxt`](fn@super::loadtxt) and
//! [`genfromtxt`](fn@super::genfromtxt): NumPy's `converters`, as parse
//! rules. A converter receives a field's text and writes the value, in the
//! column's dtype, into the column's slot of the result.
//!
//! What a converter receives is what NumPy hands its converters: for
//! `loadtxt`, the field after quote handling (`""` made `"`, the quotes
//! removed), not stripped (with a delimiter, `" 1 "` stays as is); for
//! `genfromtxt`, the field as split, stripped only with `autostrip`, and
//! also for missing fields (an empty field gives an empty slice).
//!
//! Converters may be called from several threads at once (the loaders'
//! `threads` option; with `threads = 1` every call is made on the calling
//! thread, in row order). The field and the slot are valid during the call
//! only.

use crate::err;
use crate::error::Result;
use std::sync::Arc;

/// What a converter did with a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Converted {
    /// The value was written into the slot.
    Stored,
    /// The text is not a value (NumPy's `ValueError`): `genfromtxt` uses the
    /// filling value (`loose`) or fails unless the field is a missing
    /// value; `loadtxt` fails.
    Invalid,
    /// A hard failure: the load stops with an error naming the line and
    /// the column.
    Failed,
}

/// A converter: the field's bytes and the column's slot (the dtype's
/// itemsize, zeroed, in the dtype's byte order).
pub type ConvertFn = dyn Fn(&[u8], &mut [u8]) -> Converted + Send + Sync;

/// Which columns a converter applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConverterColumn {
    /// Every column (NumPy's `converters=func`).
    All,
    /// One column of the file (NumPy's `converters={i: func}`), negative
    /// from the end of the row. With `usecols`, it is matched against the
    /// `usecols` entries as given; a converter for a column not used is
    /// ignored, as NumPy ignores it.
    Index(i64),
}

/// One converter and the columns it applies to.
#[derive(Clone)]
pub struct Converter {
    /// The columns.
    pub column: ConverterColumn,
    /// The function.
    pub func: Arc<ConvertFn>,
}

/// The converters of a load: later entries win over earlier ones for the
/// same column, and a column's own converter over an `All` one.
#[derive(Clone, Default)]
pub struct Converters(pub Vec<Converter>);

impl std::fmt::Debug for Converters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|c| c.column))
            .finish()
    }
}

/// Each output column's converter, if any.
pub(crate) type ColumnFns = Vec<Option<Arc<ConvertFn>>>;

impl Converters {
    /// No converters?
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The converter of each of the `nout` output columns: `usecols` as
    /// given (`None`: output column i is file column i), `nfile` the
    /// number of values in a row of the file (for negative indices
    /// without `usecols`). An index outside the row is an error, in
    /// NumPy's words.
    pub(crate) fn resolve(
        &self,
        usecols: Option<&[i64]>,
        nfile: usize,
        nout: usize,
    ) -> Result<ColumnFns> {
        let mut out: ColumnFns = vec![None; nout];
        for c in self.0.iter().filter(|c| c.column == ConverterColumn::All) {
            out.iter_mut().for_each(|o| *o = Some(c.func.clone()));
        }
        for c in &self.0 {
            let ConverterColumn::Index(k) = c.column else {
                continue;
            };
            let pos = match usecols {
                Some(u) => u.iter().position(|&x| x == k),
                None => {
                    let j = if k < 0 { k + nfile as i64 } else { k };
                    if j < 0 || j >= nfile as i64 {
                        return Err(err!(
                            InvalidArg,
                            "converter specified for column {k}, which is invalid for the number of fields {nfile}"
                        ));
                    }
                    Some(j as usize)
                }
            };
            if let Some(slot) = pos.and_then(|p| out.get_mut(p)) {
                *slot = Some(c.func.clone());
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(column: ConverterColumn, tag: u8) -> Converter {
        Converter {
            column,
            func: Arc::new(move |_: &[u8], d: &mut [u8]| {
                d[0] = tag;
                Converted::Stored
            }),
        }
    }

    fn tags(f: &ColumnFns) -> Vec<u8> {
        f.iter()
            .map(|c| {
                let mut d = [0u8];
                if let Some(c) = c {
                    c(b"", &mut d);
                }
                d[0]
            })
            .collect()
    }

    #[test]
    fn columns_resolve_as_numpy_keys() {
        use ConverterColumn::*;
        let c = Converters(vec![conv(Index(-1), 1), conv(All, 2), conv(Index(0), 3)]);
        assert_eq!(tags(&c.resolve(None, 3, 3).unwrap()), [3, 2, 1]);
        // With usecols: the key is a file column among usecols.
        let c = Converters(vec![
            conv(Index(2), 1),
            conv(Index(1), 4),
            conv(Index(-1), 5),
        ]);
        assert_eq!(tags(&c.resolve(Some(&[2, 0]), 3, 2).unwrap()), [1, 0]);
        let Err(e) = Converters(vec![conv(Index(5), 1)]).resolve(None, 2, 2) else {
            panic!("column 5 of 2 accepted");
        };
        assert!(e.message().contains(
            "converter specified for column 5, which is invalid for the number of fields 2"
        ));
        assert!(Converters(vec![conv(Index(-3), 1)])
            .resolve(None, 2, 2)
            .is_err());
    }
}
