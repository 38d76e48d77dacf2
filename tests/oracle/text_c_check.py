"""NumPy checks the files tests/c/test_text.c leaves in <dir>/c and <dir>/cxx:
each result must equal what NumPy makes of the same input with the same
arguments (text byte for byte, arrays by dtype, shape and bytes).

    python text_c_check.py <dir>
"""
import io
import os
import sys
import warnings

import numpy as np


def same_array(ours, theirs, what):
    assert ours.dtype == theirs.dtype, f"{what}: dtype {ours.dtype} != {theirs.dtype}"
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    assert ours.tobytes() == theirs.tobytes(), f"{what}: data differs"


def savetxt_bytes(a, **kw):
    b = io.BytesIO()
    np.savetxt(b, a, **kw)
    return b.getvalue()


def check(d):
    p = lambda f: os.path.join(d, f)  # noqa: E731
    read = lambda f: open(p(f), "rb").read()  # noqa: E731
    a = np.load(p("c_input_a.npy"))
    assert read("c_default.txt") == savetxt_bytes(a), "c_default.txt"
    assert read("c_fmt.txt") == savetxt_bytes(a, fmt="%.3f", delimiter=",", header="a,b,c\nsecond",
                                              footer="end", comments="% "), "c_fmt.txt"
    b = np.load(p("c_input_b.npy"))
    assert read("c_fmts.txt") == savetxt_bytes(b, fmt=["%d", "%10.4e", "%g"]), "c_fmts.txt"
    loaded = np.loadtxt(p("in.csv"), delimiter=",")
    same_array(np.load(p("c_loaded.npy")), loaded, "c_loaded.npy")
    assert read("c_resaved.txt") == savetxt_bytes(loaded), "c_resaved.txt"
    ref = io.BytesIO()
    np.save(ref, loaded)
    assert read("c_stream.npy") == ref.getvalue(), "c_stream.npy is not np.save's bytes"
    assert read("c_stream2.npy") == ref.getvalue(), "c_stream2.npy"
    st = np.loadtxt(p("in_struct.csv"), dtype=[("s", "<U8"), ("i", "<i8"), ("x", "<f4")],
                    delimiter=",", quotechar='"')
    same_array(np.load(p("c_struct.npy")), st, "c_struct.npy")
    g = np.genfromtxt(p("in_gen.csv"), delimiter=",", missing_values="N/A", filling_values=-1,
                      usemask=True)
    same_array(np.load(p("c_gen.npy")), np.ma.getdata(g), "c_gen.npy")
    same_array(np.load(p("c_gen_mask.npy")), np.ma.getmaskarray(g), "c_gen_mask.npy")
    gn = np.genfromtxt(p("in_gen.csv"), delimiter=",", names=True)
    same_array(np.load(p("c_gen_names.npy")), gn, "c_gen_names.npy")


def main():
    warnings.simplefilter("ignore")
    root = sys.argv[1]
    n = 0
    for sub in ("c", "cxx"):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            check(d)
            n += 1
    assert n > 0, f"no results under {root}"
    print(f"{n} passed, 0 failed")


if __name__ == "__main__":
    main()
