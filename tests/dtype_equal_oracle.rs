//! NumPy as the oracle for dtype equality and type strings: for dtypes of every kind
//! (byte orders, datetime units, strings, records with titles, padding, subarrays), NumPy
//! gives the header descr, `dtype.str` and `==` for every pair; `DType::parse` of the descr
//! must give the same `typestr()` and the same equality (what `npyio_dtype_str` and
//! `npyio_dtype_equal` return).

use npyio_test_support as common;

use npyio::DType;
use serde_json::Value;

const GEN: &str = r#"
import json, sys
import numpy as np
from numpy.lib import format as fmt
d = np.dtype
dts = [d("<f8"), d(">f8"), d("<f4"), d("|u1"), d("|i1"), d("|b1"), d("<i8"), d(">i8"),
       d("<u2"), d("<f2"), d("<c16"), d(">c8"), d("<f16"), d("|S3"), d("|S4"), d("<U5"),
       d(">U5"), d("|V8"), d("<M8[ns]"), d("<M8[us]"), d("<M8"), d(">m8[s]"),
       d([("a", "<i4")]), d([("b", "<i4")]), d([(("t", "a"), "<i4")]),
       d([("a", "<i4"), ("b", ">f8")]), d([("b", ">f8"), ("a", "<i4")]),
       d({"names": ["a"], "formats": ["<i4"], "offsets": [0], "itemsize": 8}),
       d({"names": ["a"], "formats": ["<i4"], "offsets": [4], "itemsize": 8}),
       d([("a", "<i4", (2,))]), d([("a", "<i4", (1, 2))]), d([("a", "<i4", (2,))]),
       d([("n", [("x", "<f4"), ("y", "|u1")])])]
out = []
for x in dts:
    out.append({"descr": repr(fmt.dtype_to_descr(x)), "str": x.str,
                "eq": [bool(np.lib.format.descr_to_dtype(fmt.dtype_to_descr(x)) ==
                            np.lib.format.descr_to_dtype(fmt.dtype_to_descr(y))) for y in dts]})
json.dump(out, sys.stdout)
"#;

#[test]
fn equality_and_str_match_numpy() {
    let dir = common::scratch("dtype_equal_oracle");
    let m: Value = serde_json::from_str(&common::py(&dir, GEN)).unwrap();
    let cases = m.as_array().unwrap();
    let parsed: Vec<DType> = cases
        .iter()
        .map(|c| DType::parse(c["descr"].as_str().unwrap()).unwrap())
        .collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, c) in cases.iter().enumerate() {
        checked += 1;
        if parsed[i].typestr() != c["str"].as_str().unwrap() {
            failures.push(format!(
                "{}: str {} (NumPy {})",
                c["descr"],
                parsed[i].typestr(),
                c["str"]
            ));
        }
        for (j, eq) in c["eq"].as_array().unwrap().iter().enumerate() {
            checked += 1;
            if (parsed[i] == parsed[j]) != eq.as_bool().unwrap() {
                failures.push(format!(
                    "{} == {}: NumPy says {eq}",
                    c["descr"], cases[j]["descr"]
                ));
            }
        }
    }
    common::assert_none_failed(&failures, checked);
}
