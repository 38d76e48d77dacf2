//! loadtxt with string dtypes without a length and `unpack`, and the C
//! API of genfromtxt's `dtype=None`, against NumPy: the cases of NumPy's
//! own tests for these (test_loadtxt.py, test_io.py TestLoadTxt), with
//! data and options written here; NumPy computes every expected result
//! in the same test run.

use npyio_test_support as common;
#[path = "numpy_text_infer/util.rs"]
mod util;

use npyio::text::{loadtxt_from_bytes, LoadtxtOptions};
use npyio::DType;
use util::{check, numpy_results};

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

/// The C API of loadtxt: `unpack` transposes (a Fortran-order array, as
/// NumPy's `.T` view: read with `NPYIO_READ_C_ORDER` it is the transpose), a lengthless `U` is sized, a value of
/// `unpack` other than 0 or 1 is refused, and a `struct_size` from before
/// `unpack` still loads (untransposed).
#[test]
fn c_api_loadtxt_unpack_and_old_struct_size() {
    use npyio::ffi::npy::{npy_close, npy_file};
    use npyio::ffi::text::npy_loadtxt_memory;
    use npyio::ffi::text_options::{npyio_loadtxt_options, npyio_loadtxt_options_init};
    use std::ffi::c_void;
    let text = b"1 2 3\n4 5 6\n";
    let load = |o: &npyio_loadtxt_options, flags: u32| unsafe {
        let mut f: *mut npy_file = std::ptr::null_mut();
        let st = npy_loadtxt_memory(text.as_ptr() as *const c_void, text.len(), o, &mut f);
        if st != 0 {
            return Err(st);
        }
        let nd = npyio::ffi::npy::npy_ndim(f);
        let shape = std::slice::from_raw_parts(npyio::ffi::npy::npy_shape(f), nd).to_vec();
        let mut data = vec![0f64; 6];
        let rc = npyio::ffi::npy::npy_read_into(f, data.as_mut_ptr() as *mut c_void, 48, flags);
        npy_close(f);
        assert_eq!(rc, 0);
        Ok((shape, data))
    };
    unsafe {
        let mut o: npyio_loadtxt_options = std::mem::zeroed();
        npyio_loadtxt_options_init(&mut o);
        o.unpack = 1;
        let c_order = npyio::ffi::NPYIO_READ_C_ORDER;
        let (shape, data) = load(&o, c_order).unwrap();
        assert_eq!(shape, [3, 2]);
        assert_eq!(data, [1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
        // Without the flag, the Fortran-order bytes: the text's row order.
        let (_, data) = load(&o, 0).unwrap();
        assert_eq!(data, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        o.unpack = 2;
        assert_eq!(load(&o, 0).unwrap_err(), -13, "NPYIO_ERR_INVALID_ARG");
        o.unpack = 1;
        o.struct_size = std::mem::offset_of!(npyio_loadtxt_options, unpack);
        let (shape, data) = load(&o, c_order).unwrap();
        assert_eq!(shape, [2, 3]);
        assert_eq!(data, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }
}
