"""NumPy oracle for loadtxt and genfromtxt: writes each case's text file,
then what np.loadtxt / np.genfromtxt return for it (.npy, and the mask for
genfromtxt) or the error NumPy raised, plus a manifest.

    python text_loadtxt.py <dir>

tests/text_loadtxt.rs and tests/text_genfromtxt.rs load the same files
with the same arguments and compare dtype, shape and bytes.
"""
import json
import os
import sys
import warnings

import numpy as np


def descr(dt):
    dt = np.dtype(dt)
    return repr(dt.descr) if dt.names is not None else dt.str


def loadtxt_cases():
    rng = np.random.default_rng(7)
    vals = rng.standard_normal((50, 4)) * 10.0 ** rng.integers(-20, 20, (50, 4))
    plain = "".join(" ".join(repr(float(v)) for v in row) + "\n" for row in vals)
    yield "ws_basic", plain, {}
    yield "ws_messy", " 1  2\t3 \n\n# comment\n4 5 6 # trailing\n  \n7\u00a08 9\n", {}
    yield "comma", "1,2,3\n4,5,6\n", {"delimiter": ","}
    yield "comma_spaces", "1, 2 ,3\n4 ,5, 6\n", {"delimiter": ","}
    yield "semicolon_crlf", "1;2\r\n3;4\r\n", {"delimiter": ";"}
    yield "cr_only", "1 2\r3 4\r", {}
    yield "no_final_newline", "1 2\n3 4", {}
    yield "specials", "nan -nan inf -inf\nInfinity -INF 1e400 -1e400\n5e-324 1e-400 -0.0 +.5\n", {}
    yield "float_forms", "1. .5 1e5 1E+05\n00.10 -0 +1 0e0\n", {}
    yield "skiprows", "header line\nanother, with stuff\n1 2\n3 4\n", {"skiprows": 2}
    yield "skiprows_comments", "# c\n1 2\n# c\n3 4\n5 6\n", {"skiprows": 2}
    yield "max_rows", "1 2\n\n# x\n3 4\n5 6\n7 8\n", {"max_rows": 2}
    yield "max_rows_bad_after", "1 2\n3 4\nbad row here\n", {"max_rows": 2}
    yield "usecols", "1 2 3 4\n5 6 7 8\n", {"usecols": [0, 2]}
    yield "usecols_neg", "1 2 3 4\n5 6 7\n", {"usecols": [-1, 0]}
    yield "usecols_one", "1 2 3\n4 5 6\n", {"usecols": [1]}
    yield "ndmin0_scalar", "3.5\n", {}
    yield "ndmin1_scalar", "3.5\n", {"ndmin": 1}
    yield "ndmin2_scalar", "3.5\n", {"ndmin": 2}
    yield "ndmin0_row", "1 2 3\n", {}
    yield "ndmin2_row", "1 2 3\n", {"ndmin": 2}
    yield "ndmin0_col", "1\n2\n3\n", {}
    yield "ndmin2_col", "1\n2\n3\n", {"ndmin": 2}
    yield "ndmin1_col", "1\n2\n3\n", {"ndmin": 1}
    yield "empty", "", {}
    yield "empty_ndmin2", "", {"ndmin": 2}
    yield "only_comments", "# a\n\n# b\n", {}
    yield "only_comments_usecols", "# a\n", {"usecols": [0, 1]}
    # Leading comment and blank lines that fill a whole 7-byte block (the
    # streamed reader's smallest test block): the first row is in the next.
    yield "comment_fills_block", "#abcde\n1 2\n3 4\n", {}
    yield "blank_fills_block", "\n\n \n  \n1 2\n3 4\n", {}
    yield "comment_fills_block_quoted", "#abcde\n\"1\",2\n3,4\n", {"delimiter": ",", "quotechar": '"'}
    yield "f4", "0.1 1e-5 3.4028235e38 1e39\n", {"dtype": "f4"}
    yield "f2", "0.1 65504 65520 1_0\n", {"dtype": "f2"}
    for t in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8"]:
        info = np.iinfo(t)
        yield f"int_{t}", f"{info.min} {info.max} 0 +7\n -1 1 2 3 \n".replace("-1", "0" if t[0] == "u" else "-1"), {"dtype": t}
        yield f"int_{t}_over", f"{int(info.max) + 1}\n", {"dtype": t}
        yield f"int_{t}_under", f"{int(info.min) - 1}\n", {"dtype": t}
    yield "int_float_text", "1.0\n", {"dtype": "i8"}
    yield "uint_minus_zero", "-0\n", {"dtype": "u4"}
    yield "bool", "0 1 2 -3\n", {"dtype": "?"}
    yield "bool_text", "True\n", {"dtype": "?"}
    yield "complex", " (1+2j) ,3j,-infj\n1.5,-1.5e-3-2j,( 1-2j )\n(1++2j),1+-2j,nanj\n", {"dtype": "c16", "delimiter": ","}
    yield "complex_bad", "1-j\n", {"dtype": "c16"}
    yield "complex64", "1+2j 0.1-0.2j\n", {"dtype": "c8"}
    yield "bytes", "abc,de,fghijk\n\u00e9,x,\n", {"dtype": "S5", "delimiter": ","}
    yield "bytes_nonlatin", "\u2603\n", {"dtype": "S5"}
    yield "unicode", "h\u00e9llo,\u2603,a long string\n", {"dtype": "U5", "delimiter": ","}
    yield "big_endian", "1 2\n3 4\n", {"dtype": ">f8"}
    yield "big_endian_i4", "1 -2\n", {"dtype": ">i4"}
    yield "struct", "1 2.5 abc\n-3 1e10 xyz\n", {"dtype": [("a", "<i4"), ("b", "<f8"), ("c", "<U3")]}
    yield "struct_nested", "1 2 3 4 5\n6 7 8 9 10\n", {"dtype": [("a", [("x", "<f4"), ("y", "<f4")]), ("b", "<i2", (3,))]}
    yield "struct_usecols", "1 2 3\n4 5 6\n", {"dtype": [("a", "<i8"), ("b", "<f4")], "usecols": [2, 0]}
    yield "struct_ndmin2", "1 2\n", {"dtype": [("a", "<i8"), ("b", "<f8")], "ndmin": 2}
    yield "struct_one_row", "1 2\n", {"dtype": [("a", "<i8"), ("b", "<f8")]}
    yield "quotes", '"a, b",1\n"c ""q""",2\n"x"y,3\n', {"dtype": [("s", "<U10"), ("n", "<i4")], "delimiter": ",", "quotechar": '"'}
    yield "quotes_ws", '"a b" 1\n  "c"   2\n', {"dtype": [("s", "<U10"), ("n", "<i4")], "quotechar": '"'}
    yield "quotes_multiline", '"a\nb",1\n"c",2\n', {"dtype": [("s", "<U10"), ("n", "<i4")], "delimiter": ",", "quotechar": '"'}
    yield "quote_comment_inside", '"#x",1\n', {"dtype": [("s", "<U10"), ("n", "<i4")], "delimiter": ",", "quotechar": '"'}
    yield "multi_comments", "1 2 // c\n# x\n3 4 # y // z\n", {"comments": ["#", "//"]}
    yield "multichar_comment", "1,2//c\n3,4\n", {"comments": "//", "delimiter": ","}
    yield "no_comments", "1 #\n", {"comments": None, "dtype": "U2"}
    yield "other_comment", "1 2 % c\n% x\n3 4\n", {"comments": "%"}
    yield "unicode_delim", "1\u00a72\u00a73\n4\u00a75\u00a76\n", {"delimiter": "\u00a7"}
    yield "unicode_ws", "1\u20032\u30003\n", {}
    yield "trailing_delim", "1,2,\n", {"delimiter": ","}
    yield "comment_then_ws_line", "1,2\n  # c\n3,4\n", {"delimiter": ","}
    # Errors.
    yield "err_ragged", "1 2 3\n4 5\n", {}
    yield "err_text", "1 2\n3 abc\n", {}
    yield "err_usecols_range", "1 2\n3 4\n", {"usecols": [5]}
    yield "err_empty_field", "1,,3\n", {"delimiter": ","}
    yield "err_hex", "0x10\n", {}
    yield "err_underscore", "1_0\n", {}
    yield "err_ndmin", "1\n", {"ndmin": 3}
    yield "err_comment_quote", "1\n", {"comments": ["#", "//"], "quotechar": '"'}
    yield "err_delim_comment", "1\n", {"comments": ",", "delimiter": ","}
    # NumPy's own parsers take ASCII digits only; float16 goes through
    # Python's float(), which reads Unicode digits and underscores.
    uni = ["\u0661\u0662", "\uff11\uff12", "\u09e7.\u09eb", "1e\u0663", "-\U0001d7cf"]
    yield "f2_unicode_digits", ",".join(uni) + "\n", {"dtype": "f2", "delimiter": ","}
    yield "f2_x1c", "1\x1c\n", {"dtype": "f2", "delimiter": ","}
    for t in ["f8", "f4", "i8", "u1", "c16"]:
        yield f"err_unicode_digits_{t}", "\u0661\u0662\n", {"dtype": t, "delimiter": ","}
        yield f"err_fullwidth_digits_{t}", "\uff11\uff12\n", {"dtype": t, "delimiter": ","}
    yield "long_int_f8", "1" * 5000 + ",-" + "9" * 400 + "\n", {"delimiter": ","}
    yield "long_int_c16", "1" * 5000 + "\n", {"dtype": "c16"}
    yield "err_long_int_i8", "1" * 5000 + "\n", {"dtype": "i8"}
    yield "err_long_int_u8", "1" * 30 + "\n", {"dtype": "u8"}
    # Large: parsed on several threads.
    big = rng.standard_normal((60000, 5))
    lines = [" ".join("%.17g" % v for v in row) for row in big]
    lines[1000] = "# a comment in the middle"
    lines[40000] = ""
    yield "big_parallel", "\n".join(lines) + "\n", {}
    yield "big_parallel_comma", "\n".join(l.replace(" ", ",") for l in lines) + "\n", {"delimiter": ","}
    bad = list(lines)
    bad[45000] = bad[45000] + " 1"
    yield "err_big_ragged", "\n".join(bad) + "\n", {}


def genfromtxt_cases():
    rng = np.random.default_rng(11)
    vals = rng.standard_normal((40, 3))
    csv = "".join(",".join(repr(float(v)) for v in row) + "\n" for row in vals)
    yield "g_basic", csv, {"delimiter": ","}
    yield "g_ws", "1 2 3\n4 5 6\n", {}
    yield "g_missing_empty", "1,,3\n4,5,\n,,\n", {"delimiter": ","}
    yield "g_missing_strings", "1,N/A,3\n4,5,-999\n?,8,9\n", {"delimiter": ",", "missing_values": "N/A,?,-999"}
    yield "g_fill_global", "1,N/A,3\n4,,6\n", {"delimiter": ",", "missing_values": "N/A", "filling_values": 0}
    yield "g_fill_list", "1,,3\n,5,\n", {"delimiter": ",", "filling_values": [-1, -2, -3]}
    yield "g_fill_short_list", "1,,3\n,5,\n", {"delimiter": ",", "filling_values": [-1]}
    yield "g_col_missing", "1,x,3\nx,5,y\n", {"delimiter": ",", "missing_values": ["x", "y", "y"]}
    yield "g_loose_garbage", "1,abc,3\n4,5,6\n", {"delimiter": ","}
    yield "g_strict_garbage", "1,abc,3\n4,5,6\n", {"delimiter": ",", "loose": False}
    yield "g_strict_missing_ok", "1,NA,3\n4,5,6\n", {"delimiter": ",", "loose": False, "missing_values": "NA"}
    yield "g_names", "a,b c,d#e\n1,2,3\n4,5,6\n", {"delimiter": ",", "names": True}
    yield "g_names_comment", "# x y z\n1 2 3\n4 5 6\n", {"names": True}
    yield "g_names_clean", "file, with space ,a,a,,print,\"q\"\n1,2,3,4,5,6,7\n", {"delimiter": ",", "names": True}
    yield "g_names_list", "1 2\n3 4\n", {"names": ["x", "y"]}
    yield "g_names_case", "Ab cD\n1 2\n", {"names": True, "case_sensitive": "lower"}
    yield "g_names_upper", "Ab cD\n1 2\n", {"names": True, "case_sensitive": False}
    yield "g_names_usecols", "a,b,c\n1,2,3\n4,5,6\n", {"delimiter": ",", "names": True, "usecols": [0, 2]}
    yield "g_names_missing", "a,b\n1,\n,4\n", {"delimiter": ",", "names": True}
    yield "g_names_int", "a b\n1 2\n3 x\n", {"names": True, "dtype": "i8"}
    yield "g_skip", "junk\njunk2\n1 2\n3 4\n5 6\nfooter here\n", {"skip_header": 2, "skip_footer": 1, "invalid_raise": True}
    yield "g_skip_footer_rows", "1 2\n3 4\n5 6\n", {"skip_footer": 2}
    yield "g_max_rows", "1 2\n3 4\n5 6\n", {"max_rows": 2}
    yield "g_usecols", "1 2 3 4\n5 6 7 8\n", {"usecols": [0, -1]}
    yield "g_comments", "1 2 % c\n% x\n3 4\n", {"comments": "%"}
    yield "g_no_comments", "1 2\n3 4\n", {"comments": None}
    yield "g_autostrip", " a , b \n 1 , 2 \n", {"delimiter": ",", "names": True, "autostrip": True}
    yield "g_multichar_delim", "1::2::3\n4::::6\n", {"delimiter": "::"}
    yield "g_width", "  1  2  3\n  4  5  6\n", {"delimiter": 3}
    yield "g_widths", "1 23  4\n5 67  8\n", {"delimiter": [1, 3, 3]}
    yield "g_widths_missing", "12   4\n\n", {"delimiter": [2, 3, 2]}
    yield "g_invalid_skip", "1 2\n3\n4 5\n", {"invalid_raise": False}
    yield "g_int32", "1,2.7,3\n4,,6\n", {"delimiter": ",", "dtype": "i4"}
    yield "g_int64", "1,2.7,3\n4,,6\n", {"delimiter": ",", "dtype": "i8"}
    yield "g_bool", "true,FALSE,x\n", {"delimiter": ",", "dtype": "?"}
    yield "g_complex", "1+2j,j,(3-1j)\n", {"delimiter": ",", "dtype": "c16"}
    yield "g_float32", "0.1,1e-5,\n", {"delimiter": ",", "dtype": "f4"}
    yield "g_str", "ab,\u00e9,\n", {"delimiter": ",", "dtype": "U3"}
    yield "g_bytes", "ab,cd,\n", {"delimiter": ",", "dtype": "S3"}
    yield "g_struct", "1,2.5,x\n,3,y\n", {"delimiter": ",", "dtype": [("a", "<i8"), ("b", "<f8"), ("c", "<U2")]}
    yield "g_struct_mask_value", "1,N\n-1,2\n", {"delimiter": ",", "dtype": [("a", "<i8"), ("b", "<i8")], "missing_values": "N"}
    yield "g_ndmin2", "1 2\n", {"ndmin": 2}
    yield "g_single", "5\n", {}
    yield "g_underscore", "1_000 2\n", {}
    # Python's int(), float() and complex() read Unicode decimal digits and
    # whitespace; int() refuses more than 4300 digits (ValueError: the
    # filling value), and overflows int64 below that.
    uni = ["\u0661\u0662", "\uff11\uff12", "-\u0661\u0662", "\u3000\u0967\u0968\u00a0",
           "\u0661_\u0662", "\U0001d7cf\U0001d7d0", "\u07c0", "\u00b2", "\u00bd", "\u2167",
           "\uff11.\uff15e\uff11", "1\x1c", "\x0b1\x0c", "1\u30002", "\uff49\uff4e\uff46"]
    for t in ["f8", "f4", "f2", "i8", "i4", "u1", "u8", "c16"]:
        yield f"g_unicode_digits_{t}", ",".join(uni) + "\n", {"delimiter": ",", "dtype": t}
    yield "g_unicode_complex", "\u0663+\u0664j,(\uff11-\uff12j),\u0661\u0662j\n", {"delimiter": ",", "dtype": "c16"}
    yield "g_unicode_names", "\u0661 b\n\u0661 \u0662\n", {"names": True}
    long = ["1" * 4301, "0" * 4300 + "1", "1_" * 4300 + "1", "1_" * 4299 + "1", "9" * 4300, "-" + "9" * 4300,
            "1" * 5000, "0" * 4300, "12345678901234567890123"]
    for t in ["f8", "i4", "u1", "c16"]:
        yield f"g_long_ints_{t}", ",".join(long) + "\n", {"delimiter": ",", "dtype": t}
    yield "g_long_ints_i8", ",".join(["1" * 4301, "0" * 4300 + "1", "1_" * 4300 + "1", "1" * 5000, "7"]) + "\n",\
        {"delimiter": ",", "dtype": "i8"}
    yield "g_long_ints_u8", ",".join(["1" * 4301, "0" * 4301, "7"]) + "\n", {"delimiter": ",", "dtype": "u8", "filling_values": 5}
    yield "g_err_long_int_i8", "1_" * 4299 + "1\n", {"dtype": "i8"}
    yield "g_err_long_int_u8", "9" * 4300 + "\n", {"dtype": "u8"}
    yield "g_empty", "", {}
    yield "g_only_comments", "# x\n\n", {}
    big = rng.standard_normal((50000, 4))
    rows = []
    for i, row in enumerate(big):
        cells = ["" if (i * 7 + j) % 97 == 0 else "%.17g" % v for j, v in enumerate(row)]
        rows.append(",".join(cells))
    rows[3000] = "# comment"
    yield "g_big_parallel", "\n".join(rows) + "\n", {"delimiter": ","}
    # Errors.
    yield "g_err_ragged", "1 2\n3\n4 5 6\n", {}
    yield "g_err_overflow", "1,1e9\n", {"delimiter": ",", "dtype": "i1"}
    yield "g_err_inf_int", "1,inf\n", {"delimiter": ",", "dtype": "i4"}
    yield "g_err_uint_missing", "1,\n", {"delimiter": ",", "dtype": "u1"}
    yield "g_err_int64_big", "99999999999999999999\n", {"dtype": "i8"}
    yield "g_err_maxrows_footer", "1\n", {"max_rows": 1, "skip_footer": 1}


def run(out, fn, cases, kind):
    manifest = []
    for name, text, kw in cases:
        path = os.path.join(out, name + ".txt")
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        call = dict(kw)
        if kind == "genfromtxt":
            call["usemask"] = True
            call["encoding"] = "utf-8"
        else:
            call["encoding"] = "utf-8"
        err = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                res = fn(path, **call)
            except Exception as e:  # noqa: BLE001 - any NumPy error is the expected result
                err = f"{type(e).__name__}: {e}"
        entry = {"name": name, "kw": kw, "error": err}
        if "dtype" in kw:
            entry["dtype_descr"] = descr(kw["dtype"])
        if err is None:
            if kind == "genfromtxt":
                np.save(os.path.join(out, name + ".npy"), np.ma.getdata(res))
                np.save(os.path.join(out, name + ".mask.npy"), np.ma.getmaskarray(res))
            else:
                np.save(os.path.join(out, name + ".npy"), res)
        manifest.append(entry)
    with open(os.path.join(out, kind + ".json"), "w") as f:
        json.dump(manifest, f, indent=1)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    run(out, np.loadtxt, loadtxt_cases(), "loadtxt")
    run(out, np.genfromtxt, genfromtxt_cases(), "genfromtxt")
    # Invalid UTF-8 (NumPy raises UnicodeDecodeError for both).
    with open(os.path.join(out, "bad_utf8.txt"), "wb") as f:
        f.write(b"1 2\n3 \xff\n")


if __name__ == "__main__":
    main()
