//! genfromtxt's `dtype=None` (column types inferred), string dtypes without
//! a length, `usecols` by name, `unpack` and `defaultfmt`, against NumPy:
//! the cases of NumPy's own tests for these (test_io.py TestFromTxt,
//! test_loadtxt.py), with data and options written here. NumPy computes
//! every expected result in the same test run.

use npyio_test_support as common;
#[path = "numpy_text_infer/util.rs"]
mod util;

use npyio::text::{genfromtxt_from_bytes, Delimiter, GenfromtxtOptions, Names};
use npyio::DType;
use util::{check, numpy_results};

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
        case!("empty_inferred", "", "dict(dtype=None)", none),
        case!(
            "names_only_inferred",
            "a b\n",
            "dict(dtype=None, names=True)",
            |o| {
                none(o);
                o.names = Names::FirstLine;
            }
        ),
        case!(
            "skip_header_comments_inferred",
            "junk\n# c\n1 x # note\n2 yy\n",
            "dict(dtype=None, skip_header=1)",
            |o| {
                none(o);
                o.skip_header = 1;
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
