"""NumPy oracle for savetxt: writes each case's array (.npy) and what
np.savetxt makes of it (.txt), or the error NumPy raised, plus a manifest.

    python text_savetxt.py <dir>

tests/text_savetxt.rs runs libnpyio's savetxt on the same arrays with the
same arguments and compares the bytes.
"""
import json
import os
import sys

import numpy as np


def cases():
    rng = np.random.default_rng(20240611)
    mags = 10.0 ** rng.integers(-300, 300, 6000)
    wide = rng.standard_normal(6000) * mags
    bits = rng.integers(0, 2**63, 3000, dtype=np.uint64).view(np.float64)
    bits = bits[np.isfinite(bits)]
    specials = np.array([0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 5e-324, 2.2250738585072014e-308,
                         2.225073858507201e-308, 1e308, 1.7976931348623157e308, 0.1, 1 / 3, 2 / 3,
                         123456789.0, -2.5, 0.5, 1.5, 2.5, 1e-5, 1e-4, 9.9999e-5, 1e15, 1e16, 1e17,
                         1e22, 1e23, 9.5, 0.125, 0.375, 12345678901234567890.0, 4.35, 0.3])
    small = rng.standard_normal((7, 4))
    ints = np.array([[0, -1, 1, 2**31], [-2**63, 2**63 - 1, 255, -255], [42, 7, -8, 100000]],
                     dtype=np.int64)
    cplx = (rng.standard_normal((5, 3)) + 1j * rng.standard_normal((5, 3)))
    cplx[0, 0] = complex(np.nan, -np.inf)
    cplx[1, 1] = complex(-0.0, -1.5)
    struct = np.array([(1, 2.5, b"ab", "x\u00e9"), (-3, -0.125, b"it's", ""), (70000, 1e300, b"", "\u2603z")],
                      dtype=[("a", "<i4"), ("b", "<f8"), ("c", "S5"), ("d", "<U3")])
    yield "f8_wide", wide, {}
    yield "f8_bits", bits, {}
    yield "f8_specials", specials, {}
    yield "f8_2d_comma", small, {"delimiter": ","}
    yield "f8_2d_tab_crlf", small, {"delimiter": "\t", "newline": "\r\n"}
    yield "f8_header_footer", small, {"header": "a b c\nsecond line", "footer": "the end\nreally",
                                      "comments": "% "}
    yield "f8_header_only", small, {"header": "x,y,z,w", "delimiter": ","}
    for i, f in enumerate(["%.3f", "%10.5f", "%-12.4e|", "%+.2e", "%g", "%.12g", "%#g", "%G", "%E",
                           "%.0f", "%s", "%d", "%F", "%.20e", "%.30f", "%#.0e", "% .3e", "%012.4f",
                           "%.17g", "%.1e", "%e", "%.25g", "%-10g|", "%5.1f%%"]):
        yield f"f8_fmt_{i}", specials if f not in ("%d",) else specials[np.isfinite(specials)], {"fmt": f}
    yield "f8_fmt_wide_g", wide[:300], {"fmt": "%.6g"}
    yield "f8_fmt_wide_f", wide[:300] / mags[:300] * 1e3, {"fmt": "%.4f"}
    for i, f in enumerate(["%d", "%5d", "%-5d|", "%05d", "%+d", "%x", "%#o", "%X", "%u", "%i", "%.3d",
                           "%#x", "%s", "%.3e", "% d", "%o"]):
        yield f"i8_fmt_{i}", ints, {"fmt": f}
    yield "i8_default", ints, {}
    yield "multi_fmt_str", small[:, :3], {"fmt": "%d, %.3f; %s"}
    yield "fmt_list", small[:, :3], {"fmt": ["%d", "%.2f", "%e"], "delimiter": " | "}
    yield "complex_default", cplx, {}
    yield "complex_fmt", cplx, {"fmt": "%.3f"}
    yield "complex_list", cplx[:, :2], {"fmt": ["%.3e%+.3ej", "(%.2f%+.2fj)"]}
    yield "complex_full", cplx[:, :2], {"fmt": " %.4e %+.4ej %.4e %+.4ej"}
    yield "complex_1d", cplx[:, 0].copy(), {"fmt": "%s"}
    yield "c8", cplx.astype(np.complex64), {}
    yield "c8_s", cplx.astype(np.complex64), {"fmt": "%s"}
    yield "f4_default", small.astype(np.float32), {}
    yield "f4_s", (wide[:200] / mags[:200]).astype(np.float32), {"fmt": "%s"}
    yield "f2_default", small.astype(np.float16), {}
    yield "f2_s", (wide[:200] / mags[:200] * 100).astype(np.float16), {"fmt": "%s"}
    # str() of float scalars: positional up to 1e3 (float16), 1e6 (float32)
    # or 1e16 (float64); of two shortest digit strings equally near, the even.
    yield "f2_s_edges", np.array([999.0, 1000.0, 1024.0, 1e-4, 9.9e-5, 65504.0], np.float16), {"fmt": "%s"}
    f4_bits = rng.integers(0, 2**31, 3000, dtype=np.uint32).view(np.float32)
    yield "f4_s_bits", f4_bits[np.isfinite(f4_bits)], {"fmt": "%s"}
    yield "f4_s_edges", np.array([999999.0, 1e6, 1234567.0, 1e-4, 1.0001e-4, 1e-5,
                                  1420584.2, 347250.62], np.float32), {"fmt": "%s"}
    yield "f8_s_ties", np.array([4835208444375637009, 4834858429162539209, 4827916468342424986],
                                np.uint64).view(np.float64), {"fmt": "%s"}
    yield "bool_d", np.array([[True, False], [False, True]]), {"fmt": "%d"}
    yield "bool_default", np.array([True, False, True]), {}
    yield "bool_s", np.array([True, False, True]), {"fmt": "%s"}
    yield "u1", np.arange(0, 256, 17, dtype=np.uint8).reshape(-1, 1), {"fmt": "%3d"}
    yield "u8_max", np.array([0, 2**64 - 1, 12345], dtype=np.uint64), {"fmt": "%d"}
    yield "u8_e", np.array([0, 2**64 - 1, 12345], dtype=np.uint64), {}
    yield "i8_big_e", np.array([2**62 + 1, -(2**63), 2**53 + 1], dtype=np.int64), {}
    yield "be_i2", np.array([[1, -2], [300, -32768]], dtype=">i2"), {"fmt": "%d"}
    yield "be_f8", small.astype(">f8"), {}
    yield "struct", struct, {"fmt": ["%d", "%.6f", "%s", "%s"]}
    yield "struct_one_fmt", struct[["a", "b"]].copy(), {"fmt": "%s", "delimiter": ";"}
    yield "struct_default", np.array([(1.5, 2), (-0.0, -7)], dtype=[("x", "<f4"), ("y", "<i8")]), {}
    yield "bytes_s", np.array([b"abc", b"a'b\"", b"\x00x", b"\xff\\"], dtype="S4"), {"fmt": "%s"}
    yield "unicode_s", np.array([["h\u00e9llo", "\u2603"], ["", "abcdef"]]), {"fmt": "%-8s|%.2s"}
    yield "wide_2d_parallel", wide.reshape(-1, 3), {"delimiter": ",", "fmt": "%.10g"}
    yield "unicode_w", np.array([["h\u00e9llo", "\u2603"], ["a", "bc"]]), {"fmt": "%6s"}
    yield "empty_rows", np.zeros((0, 3)), {"header": "h"}
    yield "empty_1d", np.zeros(0), {}
    yield "zero_cols", np.zeros((3, 0)), {}
    yield "float_as_int", np.array([1e20, -3.7, 0.99, -0.5, 2.0**70]), {"fmt": "%d"}
    yield "char", np.array([65, 0x2603, 97], dtype=np.int64), {"fmt": "%c"}
    # Long precisions and widths: Python formats them (up to 2**31 - 1
    # digits); only the digits a double can have are computed.
    yield "f8_prec_65535e", specials, {"fmt": "%.65535e"}
    yield "f8_prec_65536f", specials, {"fmt": "%.65536f"}
    yield "f8_prec_99999F", specials, {"fmt": "%.99999F"}
    yield "f8_prec_65536g", specials, {"fmt": "%.65536g"}
    yield "f8_prec_alt_g", specials, {"fmt": "%#.70000G"}
    yield "f8_prec_alt_g_small", specials, {"fmt": "%#.900g"}
    yield "f8_prec_800e", bits[:300], {"fmt": "%.800e"}
    yield "f8_prec_1100f", np.concatenate([bits[:300], specials]), {"fmt": "%.1100f"}
    yield "f8_width_70000", specials, {"fmt": "%-70000.3e|"}
    yield "f8_zero_width", specials, {"fmt": "%+070000.2f"}
    yield "i8_width_prec", ints, {"fmt": "%#70000.65536x"}
    yield "i8_prec_leading_zeros", ints, {"fmt": "%.000000000000000000003d"}
    yield "s_prec", struct[["c", "d"]].copy(), {"fmt": "%.99999999s"}
    # Rows whose text may exceed 16 MiB are written through a small buffer.
    yield "f8_stream_cols", (wide[:50000] / mags[:50000]).reshape(2, -1), {"fmt": "%.0f"}
    yield "f8_stream_long", specials[:3], {"fmt": "%.17000000f"}
    yield "c16_stream_cols", (rng.standard_normal((3, 20000)) + 1j * rng.standard_normal((3, 20000))),\
        {"fmt": "%.3f"}
    yield "ld_hd_Lf", ints, {"fmt": "%ld %hd %Lf %li"}
    # Errors NumPy raises.
    yield "err_prec_too_big", small, {"fmt": "%.2147483648f"}
    yield "err_width_too_big", small, {"fmt": "%9223372036854775808d"}
    yield "err_lld", ints, {"fmt": "%lld"}
    yield "err_hhd", ints, {"fmt": "%hhd"}
    yield "err_llf", small, {"fmt": "%llf"}
    yield "err_incomplete", ints[:, :1], {"fmt": "%5"}
    yield "err_incomplete_dot", ints[:, :1], {"fmt": "%5."}
    yield "err_fmt_count", small, {"fmt": "%.2f %.2f"}
    yield "err_fmt_list_len", small, {"fmt": ["%d", "%d"]}
    yield "err_percent_count", small[:, :1], {"fmt": "%.2f%%"}
    yield "err_x_float", small, {"fmt": "%x"}
    yield "err_3d", np.zeros((2, 2, 2)), {}
    yield "err_0d", np.array(1.0), {}
    yield "err_d_nan", np.array([1.0, np.nan]), {"fmt": "%d"}
    yield "err_e_bytes", np.array([b"a"]), {}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, arr, kw in cases():
        np.save(os.path.join(out, name + ".npy"), arr)
        txt = os.path.join(out, name + ".np.txt")
        err = None
        try:
            np.savetxt(txt, arr, **kw)
        except Exception as e:  # noqa: BLE001 - any NumPy error is the expected result
            err = f"{type(e).__name__}: {e}"
            if os.path.exists(txt):
                os.remove(txt)
        manifest.append({"name": name, "kw": kw, "error": err})
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
