#!/usr/bin/env python3
"""Check .npz archives written by libnpyio against reference archives.

Usage: python verify_npz.py PAIRS.json
PAIRS.json: a list of {"name", "ours", "ref"}. Both archives are loaded with
np.load(allow_pickle=False); their `files` lists must be equal and every
member equal in dtype, shape, Fortran-ness and bytes (NaN-safe: bytes are
compared). Prints `OK name` or `FAIL name: reason`, then `N passed, M failed`.
"""
import json
import sys

import numpy as np

pairs = json.load(open(sys.argv[1]))
passed = failed = 0
for p in pairs:
    try:
        with np.load(p["ours"], allow_pickle=False) as a, np.load(p["ref"], allow_pickle=False) as b:
            assert a.files == b.files, f"files {a.files} != {b.files}"
            for k in a.files:
                x, y = a[k], b[k]
                if isinstance(y, bytes):
                    assert x == y, f"{k}: raw bytes differ"
                    continue
                assert x.dtype == y.dtype, f"{k}: dtype {x.dtype} != {y.dtype}"
                assert x.shape == y.shape, f"{k}: shape {x.shape} != {y.shape}"
                if x.ndim > 1:
                    assert np.isfortran(x) == np.isfortran(y), f"{k}: fortran order differs"
                assert x.tobytes(order="A") == y.tobytes(order="A"), f"{k}: data differs"
        print("OK", p["name"])
        passed += 1
    except Exception as e:  # noqa: BLE001 - report every failure
        print("FAIL", p["name"] + ":", e)
        failed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
