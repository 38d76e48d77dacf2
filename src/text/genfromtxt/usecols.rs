//! `usecols` by column name: each name is looked up among the validated
//! names of all the columns (`names`), as NumPy does; names and indices
//! may be mixed.

use super::GenfromtxtOptions;
use crate::error::Result;
use crate::{bail, err};
use std::borrow::Cow;

/// The options with `usecols` as indices only: the entries of
/// `usecol_names` that are names replaced by the index of that name in
/// `names` (the other entries keep the index of `usecols` at the same
/// position). Unchanged when no name is given.
pub(super) fn resolve<'a>(
    opts: &'a GenfromtxtOptions,
    names: Option<&[String]>,
) -> Result<Cow<'a, GenfromtxtOptions>> {
    if opts.usecol_names.iter().all(Option::is_none) {
        return Ok(Cow::Borrowed(opts));
    }
    let idx = opts.usecols.as_deref().unwrap_or(&[]);
    let n = opts.usecol_names.len().max(idx.len());
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        match (opts.usecol_names.get(i).cloned().flatten(), idx.get(i)) {
            (Some(name), _) => {
                let Some(all) = names else {
                    bail!(
                        InvalidArg,
                        "usecols names a column ({name:?}) but the columns have no names"
                    );
                };
                let k = all.iter().position(|x| *x == name).ok_or_else(|| {
                    err!(
                        InvalidArg,
                        "usecols: no column is named {name:?} (names: {})",
                        all.join(", ")
                    )
                })?;
                out.push(k as i64);
            }
            (None, Some(&k)) => out.push(k),
            (None, None) => bail!(
                InvalidArg,
                "usecols entry {i} has neither a name nor an index"
            ),
        }
    }
    let mut o = opts.clone();
    o.usecols = Some(out);
    o.usecol_names.clear();
    Ok(Cow::Owned(o))
}
