#!/usr/bin/env python3
"""Check .npy files written by libnpyio against reference files.

Usage: python verify_npy.py PAIRS.json

PAIRS.json is a JSON list of {"ours": path, "ref": path} objects (an optional
"name" key labels the pair; otherwise the file name of "ours" is used).
Both files are loaded with np.load(allow_pickle=False) (with a large
max_header_size so format-2.0 files load too) and must agree in dtype
(including the written descr), shape, fortran-ness and contents.

Contents are compared byte for byte (which is NaN- and NaT-aware and also
catches -0.0 vs 0.0 or changed NaN payloads), except for long double data
(f16 / c32, alone or inside records), whose 6 unused bytes per value may
legitimately differ: those are compared by value, NaN-aware and sign-aware.

Prints one line per pair:
    OK name identical
    OK name loads-equal-but-bytes-differ
    FAIL name: reason
then "N passed, M failed"; exits 1 if any pair failed.
"""
import json
import os
import sys
import warnings

import numpy as np
from numpy.lib import format as npformat

BIG_HEADER = 2 ** 62


def _ld_segments(dt, base=0):
    """Yield (offset, byteorder) of every 16-byte long double scalar in one
    element of dt (the halves of a c32 count as two)."""
    if dt.names is not None:
        for name in dt.names:
            fdt, off = dt.fields[name][:2]
            yield from _ld_segments(fdt, base + off)
    elif dt.subdtype is not None:
        sub, shape = dt.subdtype
        for k in range(int(np.prod(shape, dtype=np.int64))):
            yield from _ld_segments(sub, base + k * sub.itemsize)
    elif (dt.kind == "f" and dt.itemsize == 16) or (
            dt.kind == "c" and dt.itemsize == 32):
        order = "<" if dt.byteorder in "=|" else dt.byteorder
        for k in range(dt.itemsize // 16):
            yield base + 16 * k, order


def _stored_bytes(x):
    """Element bytes of an np.load result in memory order, without a numpy
    copy (numpy copies records field by field and loses padding bytes)."""
    if x.flags.c_contiguous:
        return x.tobytes()
    if x.flags.f_contiguous:
        return x.T.tobytes()
    return np.ascontiguousarray(x).tobytes()


def compare_contents(x, y):
    """Return None if equal, else a reason.  x and y have equal dtype, shape
    and fortran-ness, so their memory orders agree."""
    dt = x.dtype
    bx = np.frombuffer(_stored_bytes(x), np.uint8).reshape(-1, dt.itemsize)
    by = np.frombuffer(_stored_bytes(y), np.uint8).reshape(-1, dt.itemsize)
    strict = np.ones(dt.itemsize, dtype=bool)
    for off, order in _ld_segments(dt):
        strict[off:off + 16] = False
        vx = bx[:, off:off + 16].copy().view(order + "f16")
        vy = by[:, off:off + 16].copy().view(order + "f16")
        same = np.array_equal(vx, vy, equal_nan=True) and np.array_equal(
            np.signbit(vx), np.signbit(vy))
        if not same:
            return "long double values differ (element byte offset %d)" % off
    if not np.array_equal(bx[:, strict], by[:, strict]):
        diff = np.argwhere(bx[:, strict] != by[:, strict])[0]
        col = int(np.flatnonzero(strict)[diff[1]])
        return "data bytes differ (element %d in storage order, byte %d)" % (
            int(diff[0]), col)
    return None


def load(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.load(path, allow_pickle=False, max_header_size=BIG_HEADER)


def check_pair(ours, ref):
    """Return (ok, message_suffix)."""
    try:
        a = load(ours)
    except Exception as e:  # noqa: BLE001 - report any load failure
        return False, "ours does not load: %s: %s" % (type(e).__name__, e)
    try:
        b = load(ref)
    except Exception as e:  # noqa: BLE001
        return False, "ref does not load: %s: %s" % (type(e).__name__, e)
    if not isinstance(a, np.ndarray) or not isinstance(b, np.ndarray):
        return False, "not an .npy array (npz?)"
    if a.dtype != b.dtype:
        return False, "dtype %r != %r" % (a.dtype, b.dtype)
    try:
        da = repr(npformat.dtype_to_descr(a.dtype))
        db = repr(npformat.dtype_to_descr(b.dtype))
    except Exception as e:  # noqa: BLE001
        return False, "descr: %s" % e
    if da != db:
        return False, "descr %s != %s" % (da, db)
    if a.shape != b.shape:
        return False, "shape %r != %r" % (a.shape, b.shape)
    if a.ndim > 1 and np.isfortran(a) != np.isfortran(b):
        return False, "fortran-ness %s != %s" % (np.isfortran(a),
                                                 np.isfortran(b))
    reason = compare_contents(a, b)
    if reason:
        return False, reason
    with open(ours, "rb") as f:
        fa = f.read()
    with open(ref, "rb") as f:
        fb = f.read()
    return True, ("identical" if fa == fb else "loads-equal-but-bytes-differ")


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        pairs = json.load(f)
    passed = failed = 0
    for i, p in enumerate(pairs):
        name = p.get("name") or os.path.splitext(
            os.path.basename(p.get("ours", "pair%d" % i)))[0]
        try:
            ok, msg = check_pair(p["ours"], p["ref"])
        except Exception as e:  # noqa: BLE001
            ok, msg = False, "verifier error: %s: %s" % (type(e).__name__, e)
        if ok:
            passed += 1
            print("OK %s %s" % (name, msg))
        else:
            failed += 1
            print("FAIL %s: %s" % (name, msg))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
