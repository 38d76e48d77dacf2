#!/usr/bin/env python3
"""NumPy side of the C <-> NumPy interoperability test (driven by ctest).

    numpy_interop.py gen   <numpy_dir> <c_out_root>   write files for test_numpy_interop to read
    numpy_interop.py check <c_out_root>               load what test_numpy_interop wrote

`gen` also empties <c_out_root>, so `check` never sees files from an earlier run.
`check` looks in <c_out_root>/c and <c_out_root>/cxx (the test compiled as C and
as C++), loads every file with np.load(allow_pickle=False), compares values,
dtype, shape and order, and requires the bytes to equal what np.save writes.
"""
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from interop import lang_dirs, report, same, same_as_np_save, save_numpy_files  # noqa: E402

REC = np.dtype([("a", "<i4"), ("b", ">f8")])


def both_ways():
    """Arrays NumPy writes for test_numpy_interop.c and the C test writes back."""
    return {
        "f8_2d": np.arange(12, dtype="<f8").reshape(3, 4) * 0.5 - 1,
        "i4_be": np.array([1, -2, 300000, -400000, 2**31 - 1], dtype=">i4"),
        "i2_fortran": np.asfortranarray(np.arange(12, dtype="<i2").reshape(3, 4) - 5),
        "record": np.array([(1, 1.5), (-2, 2.5), (3, -3.5)], dtype=REC),
        "unicode": np.array(["ab", "xyz", ""], dtype="<U3"),
    }


def numpy_files():
    """Arrays NumPy writes and test_numpy_interop.c reads (it knows the same values)."""
    return dict(both_ways(),
                c16_be=np.array([1 + 2j, -3.5 - 0.25j], dtype=">c16"),
                bool_0d=np.array(True),
                empty=np.zeros((0, 2, 3), dtype="<f4"))


def c_files():
    """Arrays test_numpy_interop.c writes, as NumPy expects them."""
    return dict(both_ways(),
                f8_0d=np.array(2.5, dtype="<f8"),
                empty=np.zeros((0, 3), dtype="<i4"))


def gen(numpy_dir, out_root):
    # With format 2.0 (py_v2.npy) ...
    save_numpy_files(numpy_dir, numpy_files())
    # ... and 3.0, which np.save picks for a field name that is not latin-1.
    np.save(os.path.join(numpy_dir, "py_v3.npy"),
            np.array([(1.5,), (-2.0,)], dtype=[("\u03c0", "<f4")]))
    with open(os.path.join(numpy_dir, "py_v3.npy"), "rb") as fh:
        assert fh.read(8) == b"\x93NUMPY\x03\x00", "expected np.save to write format 3.0"
    shutil.rmtree(out_root, ignore_errors=True)
    print(f"numpy_interop: wrote {len(os.listdir(numpy_dir))} files to {numpy_dir}")


def check(out_root):
    failures = []
    checked = 0
    for _, d in lang_dirs(out_root, "test_numpy_interop", failures):
        for name, want in c_files().items():
            path = os.path.join(d, f"c_{name}.npy")
            try:
                same(np.load(path, allow_pickle=False), want)
                same_as_np_save(path, want)
                checked += 1
            except Exception as e:  # noqa: BLE001 -- report every file, then fail
                failures.append(f"{path}: {e}")
    return report("numpy_interop", failures,
                  f"{checked} files written by libnpyio load in NumPy {np.__version__} "
                  "and match np.save byte for byte")


def main(argv):
    if len(argv) == 4 and argv[1] == "gen":
        gen(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
