//! genfromtxt's `dtype=None` (column types inferred), string dtypes without
//! a length, `usecols` by name, `unpack` and `defaultfmt`, against NumPy:
//! the cases of NumPy's own tests for these (test_io.py TestFromTxt,
//! test_loadtxt.py), with data and options written here. NumPy computes
//! every expected result in the same test run.

use npyio_test_support as common;
#[path = "text_util.rs"]
mod text_util;

use npyio::text::{
    genfromtxt_from_bytes, loadtxt_from_bytes, Delimiter, GenfromtxtOptions, LoadtxtOptions, Names,
};
use npyio::{DType, NpyFile};

type Setup = fn(&mut GenfromtxtOptions);

/// One case: its text, NumPy's keyword arguments (a Python expression),
/// and the same options for libnpyio.
struct Case {
    id: &'static str,
    text: &'static str,
    kw: &'static str,
    setup: Setup,
}

fn comma(o: &mut GenfromtxtOptions) {
    o.delimiter = Delimiter::Str(",".into());
}

fn none(o: &mut GenfromtxtOptions) {
    o.infer_dtype = true;
}

fn names(o: &mut GenfromtxtOptions, n: &str) {
    o.names = Names::List(n.split(',').map(String::from).collect());
}

fn cases() -> Vec<Case> {
    macro_rules! case {
        ($id:expr, $text:expr, $kw:expr, $setup:expr) => {
            Case {
                id: $id,
                text: $text,
                kw: $kw,
                setup: $setup,
            }
        };
    }
    vec![
        // TestFromTxt.test_auto_dtype (encoding=None: strings are str).
        case!(
            "auto_dtype",
            "A 64 75.0 3+4j True\nBCD 25 60.0 5+6j False",
            "dict(dtype=None)",
            none
        ),
        case!(
            "auto_dtype_uniform",
            "1 2 3 4\n5 6 7 8\n",
            "dict(dtype=None)",
            none
        ),
        // test_header, test_commented_header (both forms of the comment).
        case!(
            "header",
            "gender age weight\nM 64.0 75.0\nF 25.0 60.0",
            "dict(dtype=None, names=True)",
            |o| {
                none(o);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "commented_header",
            "\n#gender age weight\nM   21  72.100000\nF   35  58.330000\nM   33  21.99\n        ",
            "dict(dtype=None, names=True)",
            |o| {
                none(o);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "commented_header_space",
            "\n# gender age weight\nM   21  72.100000\nF   35  58.330000\nM   33  21.99\n        ",
            "dict(dtype=None, names=True)",
            |o| {
                none(o);
                o.names = Names::FirstLine;
            }
        ),
        // test_autonames_and_usecols: usecols by name with names=True.
        case!(
            "autonames_and_usecols",
            "A B C D\n aaaa 121 45 9.1",
            "dict(dtype=None, names=True, usecols=('A', 'C', 'D'))",
            |o| {
                none(o);
                o.names = Names::FirstLine;
                o.usecol_names = ["A", "C", "D"].map(|s| Some(s.to_string())).to_vec();
            }
        ),
        // test_usecols_as_css and test_usecols_with_named_columns.
        case!(
            "usecols_as_css",
            "1 2 3\n4 5 6",
            "dict(names='a, b, c', usecols='a, c')",
            |o| {
                names(o, "a, b, c");
                o.usecol_names = vec![Some("a".into()), Some("c".into())];
            }
        ),
        case!(
            "usecols_named_indices",
            "1 2 3\n4 5 6",
            "dict(names='a, b, c', usecols=(0, -1))",
            |o| {
                names(o, "a, b, c");
                o.usecols = Some(vec![0, -1]);
            }
        ),
        case!(
            "usecols_named",
            "1 2 3\n4 5 6",
            "dict(names='a, b, c', usecols=('a', 'c'))",
            |o| {
                names(o, "a, b, c");
                o.usecol_names = vec![Some("a".into()), Some("c".into())];
            }
        ),
        case!(
            "usecols_mixed",
            "1 2 3\n4 5 6",
            "dict(names='a, b, c', usecols=('c', 0), dtype=None)",
            |o| {
                none(o);
                names(o, "a, b, c");
                o.usecols = Some(vec![0, 0]);
                o.usecol_names = vec![Some("c".into()), None];
            }
        ),
        // test_withmissing (dtype=None).
        case!(
            "withmissing",
            "A,B\n0,1\n2,N/A",
            "dict(delimiter=',', missing_values='N/A', names=True, dtype=None, usemask=True)",
            |o| {
                none(o);
                comma(o);
                o.missing_values = vec!["N/A".into()];
                o.names = Names::FirstLine;
                o.usemask = true;
            }
        ),
        // test_user_missing_values, first part.
        case!(
            "user_missing_values",
            "A, B, C\n0, 0., 0j\n1, N/A, 1j\n-9, 2.2, N/A\n3, -99, 3j",
            "dict(dtype=None, delimiter=',', names=True, missing_values='N/A')",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
                o.missing_values = vec!["N/A".into()];
            }
        ),
        case!(
            "masked_column_uniform",
            "1 2 3\n4 5 6\n",
            "dict(dtype=None, missing_values='2,5', usemask=True)",
            |o| {
                none(o);
                o.missing_values = vec!["2".into(), "5".into()];
                o.usemask = true;
            }
        ),
        case!(
            "masked_column_various",
            "True 2 3\nFalse 5 6\n",
            "dict(dtype=None, missing_values='2,5', usemask=True)",
            |o| {
                none(o);
                o.missing_values = vec!["2".into(), "5".into()];
                o.usemask = true;
            }
        ),
        // test_invalid_raise (dtype=None, names=True, invalid rows skipped).
        case!(
            "invalid_raise",
            "a, b, c, d, e\n2, 2, 2, 2 2\n1, 1, 1, 1, 1\n1, 1, 1, 1, 1\n2, 2, 2, 2 2\n1, 1, 1, 1, 1",
            "dict(delimiter=',', dtype=None, names=True, invalid_raise=False)",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
                o.invalid_raise = false;
            }
        ),
        // test_default_field_format, test_single_dtype_wo_names.
        case!(
            "default_field_format",
            "0, 1, 2.3\n4, 5, 6.7",
            "dict(delimiter=',', dtype=None, defaultfmt='f%02i')",
            |o| {
                none(o);
                comma(o);
                o.defaultfmt = "f%02i".into();
            }
        ),
        case!(
            "single_dtype_wo_names",
            "0, 1, 2.3\n4, 5, 6.7",
            "dict(delimiter=',', dtype=float, defaultfmt='f%02i')",
            |o| {
                comma(o);
                o.defaultfmt = "f%02i".into();
            }
        ),
        case!(
            "defaultfmt_structured_dtype",
            "0, 1, 2.3\n4, 5, 6.7",
            "dict(delimiter=',', dtype='i4,i4,f8', defaultfmt='col_%i')",
            |o| {
                comma(o);
                o.dtype = DType::parse("[('f0','<i4'),('f1','<i4'),('f2','<f8')]").unwrap();
                o.defaultfmt = "col_%i".into();
            }
        ),
        // test_autostrip (encoding=None: str).
        case!(
            "autostrip_off",
            "01/01/2003  , 1.3,   abcde",
            "dict(delimiter=',', dtype=None)",
            |o| {
                none(o);
                comma(o);
            }
        ),
        case!(
            "autostrip_on",
            "01/01/2003  , 1.3,   abcde",
            "dict(delimiter=',', dtype=None, autostrip=True)",
            |o| {
                none(o);
                comma(o);
                o.autostrip = true;
            }
        ),
        // test_replace_space (dtype=None, three forms).
        case!(
            "replace_space",
            "A.A, B (B), C:C\n1, 2, 3.14",
            "dict(delimiter=',', names=True, dtype=None)",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "replace_space_none",
            "A.A, B (B), C:C\n1, 2, 3.14",
            "dict(delimiter=',', names=True, dtype=None, replace_space='', deletechars='')",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
                o.replace_space = String::new();
                o.deletechars = Some(String::new());
            }
        ),
        case!(
            "replace_space_nodelete",
            "A.A, B (B), C:C\n1, 2, 3.14",
            "dict(delimiter=',', names=True, dtype=None, deletechars='')",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
                o.deletechars = Some(String::new());
            }
        ),
        // test_incomplete_names (dtype=None).
        case!(
            "incomplete_names",
            "A,,C\n0,1,2\n3,4,5",
            "dict(delimiter=',', names=True, dtype=None)",
            |o| {
                none(o);
                comma(o);
                o.names = Names::FirstLine;
            }
        ),
        // test_names_with_usecols_bug1636, by name (the dtype=int form).
        case!(
            "names_usecols_by_name",
            "A,B,C,D,E\n0,1,2,3,4\n0,1,2,3,4\n0,1,2,3,4",
            "dict(dtype=int, delimiter=',', usecols=('A', 'C', 'E'), names=True)",
            |o| {
                comma(o);
                o.dtype = DType::parse("<i8").unwrap();
                o.names = Names::FirstLine;
                o.usecol_names = ["A", "C", "E"].map(|s| Some(s.to_string())).to_vec();
            }
        ),
        // test_fixed_width_names (dtype=None).
        case!(
            "fixed_width_names",
            "    A    B   C\n    0    1 2.3\n   45   67   9.",
            "dict(delimiter=(5, 5, 4), names=True, dtype=None)",
            |o| {
                none(o);
                o.delimiter = Delimiter::Widths(vec![5, 5, 4]);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "fixed_width_names_int",
            "    A    B   C\n    0    1 2.3\n   45   67   9.",
            "dict(delimiter=5, names=True, dtype=None)",
            |o| {
                none(o);
                o.delimiter = Delimiter::Width(5);
                o.names = Names::FirstLine;
            }
        ),
        // test_utf8_file_nodtype_unicode (encoding=None).
        case!(
            "utf8_nodtype_unicode",
            "norm1,norm2,norm3\nnorm1,\u{f6}\u{fc}\u{f6},norm3\ntest1,testNonethe\u{3d6},test3\n",
            "dict(dtype=None, comments=None, delimiter=',')",
            |o| {
                none(o);
                comma(o);
                o.comments = None;
            }
        ),
        // test_auto_dtype_largeint.
        case!(
            "auto_dtype_largeint",
            "73786976294838206464 17179869184 1024",
            "dict(dtype=None)",
            none
        ),
        // test_unpack_*: structured, dtype=None, one name, a scalar.
        case!(
            "unpack_float",
            "1,2,3\n4,5,6\n7,8,9\n0.0,1.0,2.0",
            "dict(delimiter=',', unpack=True)",
            |o| {
                comma(o);
                o.unpack = true;
            }
        ),
        case!(
            "unpack_structured",
            "M 21 72\nF 35 58",
            "dict(dtype={'names': ('a', 'b', 'c'), 'formats': ('S1', 'i4', 'f4')}, unpack=True)",
            |o| {
                o.dtype = DType::parse("[('a','S1'),('b','<i4'),('c','<f4')]").unwrap();
                o.unpack = true;
            }
        ),
        case!(
            "unpack_auto_dtype",
            "M 21 72.\nF 35 58.",
            "dict(dtype=None, unpack=True, encoding='utf-8')",
            |o| {
                none(o);
                o.unpack = true;
            }
        ),
        case!(
            "unpack_single_name",
            "21\n35",
            "dict(dtype={'names': ('a',), 'formats': ('i4',)}, unpack=True)",
            |o| {
                o.dtype = DType::parse("[('a','<i4')]").unwrap();
                o.unpack = true;
            }
        ),
        case!(
            "squeeze_scalar",
            "1",
            "dict(dtype={'names': ('a',), 'formats': ('i4',)}, unpack=True)",
            |o| {
                o.dtype = DType::parse("[('a','<i4')]").unwrap();
                o.unpack = true;
            }
        ),
        case!(
            "unpack_uniform_ints",
            "1 2 3\n4 5 6",
            "dict(dtype=None, unpack=True)",
            |o| {
                none(o);
                o.unpack = true;
            }
        ),
        // Inference corner cases of StringConverter's upgrade chain.
        case!(
            "bool_missing_column_cast",
            "1,2,\n3,4,",
            "dict(delimiter=',', dtype=None)",
            |o| {
                none(o);
                comma(o);
            }
        ),
        case!(
            "bool_and_missing_into_ints",
            "1,2,True\n3,4,",
            "dict(delimiter=',', dtype=None)",
            |o| {
                none(o);
                comma(o);
            }
        ),
        case!(
            "bool_missing_among_strings",
            "a,bb,\nccc,d,True",
            "dict(delimiter=',', dtype=None)",
            |o| {
                none(o);
                comma(o);
            }
        ),
        case!(
            "bool_then_int_is_string",
            "True 1\n2 False",
            "dict(dtype=None)",
            none
        ),
        case!(
            "int_then_text_is_numpy_type_error",
            "1\nabc",
            "dict(dtype=None)",
            none
        ),
        case!(
            "text_then_int_is_string",
            "\nabc\n1",
            "dict(dtype=None)",
            none
        ),
        case!(
            "int_float_complex_upgrade",
            "1 1 1 x\n2 2.5 2 y\n3 3 1+2j zz",
            "dict(dtype=None)",
            none
        ),
        case!(
            "datetimes_are_strings",
            "2020-01-01 x\n2021-01-01 yyy",
            "dict(dtype=None)",
            none
        ),
        case!(
            "missing_in_each_type",
            "1,1.5,1j,abc,True\n,,,,\n3,N/A,2j,,False",
            "dict(delimiter=',', dtype=None, missing_values='N/A')",
            |o| {
                none(o);
                comma(o);
                o.missing_values = vec!["N/A".into()];
            }
        ),
        case!(
            "filling_value_inferred",
            "1,2\n,4\n5,",
            "dict(delimiter=',', dtype=None, filling_values=-7)",
            |o| {
                none(o);
                comma(o);
                o.filling_value = Some("-7".into());
            }
        ),
        case!(
            "single_column",
            "1.5\n2\n3",
            "dict(dtype=None)",
            none
        ),
        case!(
            "single_string_column_names",
            "name\nab\nc\ndef",
            "dict(dtype=None, names=True)",
            |o| {
                none(o);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "usecols_inferred",
            "a 1 2.5\nbb 2 3",
            "dict(dtype=None, usecols=(0, 2))",
            |o| {
                none(o);
                o.usecols = Some(vec![0, 2]);
            }
        ),
        case!(
            "usecols_negative_inferred",
            "a 1 2.5\nbb 2 3",
            "dict(dtype=None, usecols=(-1, 1))",
            |o| {
                none(o);
                o.usecols = Some(vec![-1, 1]);
            }
        ),
        case!(
            "names_usecols_inferred",
            "x y z\na 1 2.5\nbb 2 3",
            "dict(dtype=None, names=True, usecols=(0, 2))",
            |o| {
                none(o);
                o.names = Names::FirstLine;
                o.usecols = Some(vec![0, 2]);
            }
        ),
        case!(
            "skip_footer_lengths",
            "a 1\nbbbbbb 2\ncc 3",
            "dict(dtype=None, skip_footer=1)",
            |o| {
                none(o);
                o.skip_footer = 1;
            }
        ),
        case!(
            "max_rows_inferred",
            "1 2\n3 4\nx 5",
            "dict(dtype=None, max_rows=2)",
            |o| {
                none(o);
                o.max_rows = Some(2);
            }
        ),
        case!(
            "ndmin_inferred",
            "1 2 3",
            "dict(dtype=None, ndmin=2)",
            |o| {
                none(o);
                o.ndmin = 2;
            }
        ),
        case!(
            "loose_false_inferred",
            "1,N/A\n2,3",
            "dict(delimiter=',', dtype=None, missing_values='N/A', loose=False)",
            |o| {
                none(o);
                comma(o);
                o.missing_values = vec!["N/A".into()];
                o.loose = false;
            }
        ),
        case!(
            "underscores_and_spaces",
            "1_000, 2 \n 3,4",
            "dict(delimiter=',', dtype=None)",
            |o| {
                none(o);
                comma(o);
            }
        ),
        // String dtypes without a length (test_loadtxt.py
        // test_string_no_length_given, in genfromtxt).
        case!(
            "string_no_length_U",
            "ab 1\ncde 2",
            "dict(dtype='U')",
            |o| o.dtype = DType::parse("U").unwrap()
        ),
        case!(
            "string_no_length_S",
            "ab 1\ncde 2",
            "dict(dtype='S')",
            |o| o.dtype = DType::parse("S").unwrap()
        ),
        case!(
            "string_no_length_str",
            "\u{e9}t\u{e9} 1\ncde 22222",
            "dict(dtype=str)",
            |o| o.dtype = DType::parse("str").unwrap()
        ),
        case!(
            "string_no_length_bytes",
            "ab,1\ncde,2",
            "dict(dtype=bytes, delimiter=',')",
            |o| {
                comma(o);
                o.dtype = DType::parse("bytes").unwrap();
            }
        ),
        case!(
            "string_no_length_empty_fields",
            ",\n,",
            "dict(dtype='U', delimiter=',')",
            |o| {
                comma(o);
                o.dtype = DType::parse("U").unwrap();
            }
        ),
        case!(
            "string_no_length_field_stays_empty",
            "ab 1\ncde 2",
            "dict(dtype=[('a', 'U'), ('b', int)])",
            |o| o.dtype = DType::parse("[('a','<U0'),('b','<i8')]").unwrap()
        ),
        case!(
            "string_no_length_unpack",
            "ab 1\ncde 2",
            "dict(dtype='U', unpack=True)",
            |o| {
                o.dtype = DType::parse("U").unwrap();
                o.unpack = true;
            }
        ),
    ]
}

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
fn numpy_results(dir: &std::path::Path, json: Vec<serde_json::Value>) {
    std::fs::write(dir.join("cases.json"), serde_json::to_vec(&json).unwrap()).unwrap();
    common::py(dir, ORACLE);
}

/// Compare our result (or error) with NumPy's for case `id`.
fn check(
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

#[test]
fn genfromtxt_matches_numpy() {
    let dir = common::scratch("numpy_text_infer");
    let cases = cases();
    numpy_results(
        &dir,
        cases
            .iter()
            .map(|c| serde_json::json!({"id": c.id, "text": c.text, "kw": c.kw}))
            .collect(),
    );
    let mut failures = Vec::new();
    for c in &cases {
        let mut o = GenfromtxtOptions::default();
        (c.setup)(&mut o);
        let ours = genfromtxt_from_bytes(c.text.as_bytes(), c.id, &o).map(|g| (g.data, g.mask));
        check(&dir, c.id, ours, &mut failures);
    }
    common::assert_none_failed(&failures, cases.len());
}

type LoadSetup = fn(&mut LoadtxtOptions);

/// loadtxt's cases: string dtypes without a length (test_loadtxt.py
/// test_string_no_length_given, TestLoadTxt.test_str_dtype) and unpack
/// (test_unpack_structured of both files, test_unpack_float_data).
fn load_cases() -> Vec<(&'static str, &'static str, &'static str, LoadSetup)> {
    fn comma(o: &mut LoadtxtOptions) {
        o.delimiter = Some(",".into());
    }
    vec![
        ("l_no_length_S", "AAA,5-1\nBBBBB,0-3\nC,4-9\n", "dict(dtype='S', delimiter=',')", |o| {
            comma(o);
            o.dtype = DType::parse("S").unwrap();
        }),
        ("l_no_length_U", "AAA,5-1\nBBBBB,0-3\nC,4-9\n", "dict(dtype='U', delimiter=',')", |o| {
            comma(o);
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_str_dtype", "str1\nstr2", "dict(dtype=str)", |o| {
            o.dtype = DType::parse("str").unwrap();
        }),
        ("l_bytes_dtype", "str1\nstr2", "dict(dtype=np.bytes_)", |o| {
            o.dtype = DType::parse("bytes").unwrap();
        }),
        ("l_no_length_unicode", "\u{e9}t\u{e9} x\ny \u{4e2d}\u{6587}\u{5b57}\u{7b26}", "dict(dtype='U')", |o| {
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_no_length_quoted", "\"a,b\",c\n\"dd\"\"d\",e\n", "dict(dtype='U', delimiter=',', quotechar='\"')", |o| {
            comma(o);
            o.quotechar = Some("\"".into());
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_no_length_usecols", "a,bbbbbbbb,cc\nd,e,f", "dict(dtype='U', delimiter=',', usecols=(0, 2))", |o| {
            comma(o);
            o.usecols = Some(vec![0, 2]);
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_no_length_max_rows", "a b\ncc d\neeeeee f", "dict(dtype='U', max_rows=2)", |o| {
            o.max_rows = Some(2);
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_no_length_empty", "", "dict(dtype='U')", |o| {
            o.dtype = DType::parse("U").unwrap();
        }),
        ("l_no_length_field", "ab 1\ncde 2", "dict(dtype=[('a', 'U'), ('b', 'i8')])", |o| {
            o.dtype = DType::parse("[('a','<U0'),('b','<i8')]").unwrap();
        }),
        ("l_unpack_structured", "1000;2.4;alpha;-34\n2000;3.1;beta;29\n3500;9.9;gamma;120\n4090;8.1;delta;0\n5001;4.4;epsilon;-99\n6543;7.8;omega;-1\n",
         "dict(dtype=[('f0', np.uint16), ('f1', np.float64), ('f2', 'S7'), ('f3', np.int8)], delimiter=';', unpack=True)", |o| {
            o.delimiter = Some(";".into());
            o.dtype = DType::parse("[('f0','<u2'),('f1','<f8'),('f2','S7'),('f3','i1')]").unwrap();
            o.unpack = true;
        }),
        ("l_unpack_structured_ws", "M 21 72\nF 35 58", "dict(dtype={'names': ('a', 'b', 'c'), 'formats': ('|S1', '<i4', '<f4')}, unpack=True)", |o| {
            o.dtype = DType::parse("[('a','S1'),('b','<i4'),('c','<f4')]").unwrap();
            o.unpack = true;
        }),
        ("l_unpack_float_data", "1,2,3\n4,5,6\n7,8,9\n0.0,1.0,2.0", "dict(delimiter=',', unpack=True)", |o| {
            comma(o);
            o.unpack = true;
        }),
        ("l_unpack_ndmin2_row", "1 2 3", "dict(unpack=True, ndmin=2)", |o| {
            o.unpack = true;
            o.ndmin = 2;
        }),
        ("l_unpack_one_column", "1\n2\n3", "dict(unpack=True)", |o| {
            o.unpack = true;
        }),
        ("l_unpack_strings", "ab c\nd eee", "dict(unpack=True, dtype='U')", |o| {
            o.unpack = true;
            o.dtype = DType::parse("U").unwrap();
        }),
    ]
}

#[test]
fn loadtxt_matches_numpy() {
    let dir = common::scratch("numpy_text_infer_loadtxt");
    let cases = load_cases();
    numpy_results(
        &dir,
        cases
            .iter()
            .map(|c| serde_json::json!({"id": c.0, "text": c.1, "kw": c.2, "fn": "loadtxt"}))
            .collect(),
    );
    let mut failures = Vec::new();
    for (id, text, _, setup) in &cases {
        for threads in [1, 2] {
            let mut o = LoadtxtOptions {
                threads,
                ..Default::default()
            };
            setup(&mut o);
            let ours = loadtxt_from_bytes(text.as_bytes(), id, &o).map(|a| (a, None));
            check(&dir, id, ours, &mut failures);
        }
    }
    common::assert_none_failed(&failures, cases.len() * 2);
}

/// A streamed conversion to .npy needs the string length up front, and
/// unpack is for arrays in memory: both refused, naming the problem.
#[test]
fn loadtxt_to_npy_refuses_lengthless_strings_and_unpack() {
    let dir = common::scratch("numpy_text_infer_to_npy");
    let txt = dir.join("in.txt");
    std::fs::write(&txt, "a b\nc d\n").unwrap();
    let o = LoadtxtOptions {
        dtype: DType::parse("U").unwrap(),
        ..Default::default()
    };
    let e = npyio::text::loadtxt_to_npy(&txt, dir.join("out.npy"), &o).unwrap_err();
    assert_eq!(e.status(), npyio::Status::Unsupported);
    assert!(
        e.to_string().contains("no length") && e.to_string().contains("in.txt"),
        "{e}"
    );
    let o = LoadtxtOptions {
        unpack: true,
        ..Default::default()
    };
    let e = npyio::text::loadtxt_to_npy(&txt, dir.join("out.npy"), &o).unwrap_err();
    assert_eq!(e.status(), npyio::Status::InvalidArg);
    assert!(e.to_string().contains("unpack"), "{e}");
    // In memory the same options load.
    let a = npyio::text::loadtxt(
        &txt,
        &LoadtxtOptions {
            dtype: DType::parse("U").unwrap(),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(a.header().dtype.descr(), "'<U1'");
}

/// The C API: `infer_dtype` with names by column, a structured result
/// whose dtype the caller inspects; `dtype` with `infer_dtype` refused; a
/// `struct_size` from before these fields still read with their defaults.
#[test]
fn c_api_infer_and_old_struct_size() {
    use npyio::ffi::npy::{npy_close, npy_dtype, npy_file};
    use npyio::ffi::text::npy_genfromtxt_memory;
    use npyio::ffi::text_options::{npyio_genfromtxt_options, npyio_genfromtxt_options_init};
    use std::ffi::{c_void, CStr};
    let text = b"a,b,c\nx,1,2.5\nyy,2,3\n";
    let descr = |o: &npyio_genfromtxt_options| unsafe {
        let mut f: *mut npy_file = std::ptr::null_mut();
        let st = npy_genfromtxt_memory(
            text.as_ptr() as *const c_void,
            text.len(),
            o,
            &mut f,
            std::ptr::null_mut(),
        );
        if st != 0 {
            return Err(st);
        }
        let d = npyio::ffi::dtype::npyio_dtype_descr(npy_dtype(f));
        let s = CStr::from_ptr(d).to_str().unwrap().to_string();
        npy_close(f);
        Ok(s)
    };
    unsafe {
        let mut o: npyio_genfromtxt_options = std::mem::zeroed();
        assert_eq!(npyio_genfromtxt_options_init(&mut o), 0);
        o.delimiter = c",".as_ptr();
        o.names = 1;
        o.infer_dtype = 1;
        let names = [c"c".as_ptr(), std::ptr::null(), c"a".as_ptr()];
        let idx = [0i64, 1, 0];
        o.usecol_names = names.as_ptr();
        o.n_usecol_names = 3;
        o.usecols = idx.as_ptr();
        o.n_usecols = 3;
        // As NumPy: names are narrowed by usecols only when there are more
        // names than columns used, so here they keep their order.
        assert_eq!(
            descr(&o).unwrap(),
            "[('a', '<f8'), ('b', '<i8'), ('c', '<U2')]"
        );
        // dtype=None and a dtype at once.
        let mut d = std::ptr::null_mut();
        assert_eq!(
            npyio::ffi::dtype::npyio_dtype_parse(c"<i4".as_ptr(), &mut d),
            0
        );
        o.dtype = d;
        let st = descr(&o).unwrap_err();
        assert_eq!(st, -13, "NPYIO_ERR_INVALID_ARG");
        let mut buf = [0u8; 512];
        npyio::ffi::npyio_last_error(buf.as_mut_ptr() as *mut std::ffi::c_char, buf.len());
        let msg = CStr::from_bytes_until_nul(&buf).unwrap().to_string_lossy();
        assert!(msg.contains("infer_dtype"), "{msg}");
        npyio::ffi::dtype::npyio_dtype_free(d);
        // A struct_size from before usecol_names: the new fields are
        // defaults (the names line gives a float64 record).
        let mut o2: npyio_genfromtxt_options = std::mem::zeroed();
        npyio_genfromtxt_options_init(&mut o2);
        o2.struct_size = std::mem::offset_of!(npyio_genfromtxt_options, usecol_names);
        o2.delimiter = c",".as_ptr();
        o2.names = 1;
        o2.infer_dtype = 7; // beyond the caller's size: never read
        assert_eq!(
            descr(&o2).unwrap(),
            "[('a', '<f8'), ('b', '<f8'), ('c', '<f8')]"
        );
    }
}
