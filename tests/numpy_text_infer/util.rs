//! Shared by the NumPy-oracle tests of type inference, string lengths and
//! unpack (included with `#[path]`): NumPy runs the cases, we compare.
#![allow(dead_code)]

use npyio::NpyFile;
use npyio_test_support as common;
#[path = "../text_util.rs"]
mod text_util;

const ORACLE: &str = r#"
import io, json, sys, warnings
import numpy as np
warnings.simplefilter('ignore')
cases = json.load(open('cases.json'))
for c in cases:
    kw = eval(c['kw'])
    fn = getattr(np, c.get('fn', 'genfromtxt'))
    try:
        r = fn(io.StringIO(c['text']), **kw)
    except Exception as e:
        open(c['id'] + '.err', 'w').write(type(e).__name__ + ': ' + str(e))
        continue
    if isinstance(r, (list, tuple)):
        # unpack of several fields: the fields as one record again.
        k2 = dict(kw); k2.pop('unpack')
        names = fn(io.StringIO(c['text']), **k2).dtype.names
        rec = np.empty(len(r[0]), dtype=[(n, a.dtype) for n, a in zip(names, r)])
        for n, a in zip(names, r):
            rec[n] = a
        r = rec
    if isinstance(r, np.ma.MaskedArray):
        np.save(c['id'] + '.mask.npy', np.ma.getmaskarray(r))
        r = r.data
    np.save(c['id'] + '.npy', r)
"#;

/// Run NumPy on `json` cases (id, text, kw, fn) in `dir`: `<id>.npy`
/// (and `<id>.mask.npy`) or `<id>.err` for each.
pub fn numpy_results(dir: &std::path::Path, json: Vec<serde_json::Value>) {
    std::fs::write(dir.join("cases.json"), serde_json::to_vec(&json).unwrap()).unwrap();
    common::py(dir, ORACLE);
}

/// Compare our result (or error) with NumPy's for case `id`.
pub fn check(
    dir: &std::path::Path,
    id: &str,
    ours: npyio::Result<(NpyFile, Option<NpyFile>)>,
    failures: &mut Vec<String>,
) {
    let err = dir.join(format!("{id}.err"));
    if err.exists() {
        if ours.is_ok() {
            let m = std::fs::read_to_string(&err).unwrap();
            failures.push(format!("{id}: NumPy raised {m}, we did not"));
        }
        return;
    }
    let (data, mask) = match ours {
        Ok(g) => g,
        Err(e) => {
            failures.push(format!("{id}: {e}"));
            return;
        }
    };
    let theirs = NpyFile::open(dir.join(format!("{id}.npy"))).unwrap();
    // unpack of several fields: NumPy's list of fields is our record.
    if let Err(m) = text_util::same(&data, &theirs) {
        failures.push(format!("{id}: {m}"));
    }
    // unpack's transpose is NumPy's `.T`: a Fortran-order array.
    if data.header().fortran_order != theirs.header().fortran_order {
        failures.push(format!("{id}: Fortran order differs"));
    }
    let mpath = dir.join(format!("{id}.mask.npy"));
    if mpath.exists() {
        let theirs = NpyFile::open(mpath).unwrap();
        match &mask {
            Some(m) => {
                if let Err(e) = text_util::same(m, &theirs) {
                    failures.push(format!("{id} (mask): {e}"));
                }
            }
            None => failures.push(format!("{id}: no mask")),
        }
    }
}
