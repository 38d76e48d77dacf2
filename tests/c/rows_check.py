"""NumPy loads what test_rows wrote (tests/c/test_rows.c) and compares it with the values the
test meant to write: rows written by position from threads and processes, in C and Fortran
order, and rows appended.

    python rows_check.py <output directory of test_rows>

Checks every subdirectory that is there (c, cxx); at least one must be.
"""
import os
import sys

import numpy as np


def check(d):
    c = np.load(os.path.join(d, "c_threads.npy"), allow_pickle=False)
    assert c.dtype == "<f8" and c.shape == (1000, 5), (c.dtype, c.shape)
    assert np.array_equal(c, np.arange(5000).reshape(1000, 5) * 0.25), "c_threads"
    p = np.load(os.path.join(d, "c_procs.npy"), allow_pickle=False)
    assert p.dtype == "<i4" and np.array_equal(p, np.arange(2400).reshape(800, 3) - 1000), "c_procs"
    f = np.load(os.path.join(d, "f_threads.npy"), allow_pickle=False)
    i, j = np.indices((30, 4))
    assert f.dtype == ">i2" and np.isfortran(f), (f.dtype, f.flags)
    assert np.array_equal(f, i * 100 + j), "f_threads"
    a = np.load(os.path.join(d, "appended.npy"), allow_pickle=False)
    want = np.arange(1006 * 3, dtype="<i8").reshape(1006, 3)
    assert np.array_equal(a, want), "appended"
    # Grown in place, the file is what np.save writes for the whole array.
    import io
    b = io.BytesIO()
    np.save(b, want)
    with open(os.path.join(d, "appended.npy"), "rb") as fh:
        assert fh.read() == b.getvalue(), "appended: bytes differ from np.save's"


def main():
    root = sys.argv[1]
    subs = [s for s in ("c", "cxx") if os.path.isdir(os.path.join(root, s))]
    assert subs, f"nothing written under {root}"
    for s in subs:
        check(os.path.join(root, s))
    print(f"rows_check: {len(subs)} directories ok ({', '.join(subs)})")


if __name__ == "__main__":
    main()
