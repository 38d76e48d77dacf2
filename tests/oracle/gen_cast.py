"""NumPy's casting for tests/cast_oracle.rs: arrays of edge values of each of the fourteen
numeric types, saved in C and Fortran order and in both byte orders; what
a.astype(to, casting='unsafe') gives for each target type; np.can_cast for every pair and rule.

    gen_cast.py <out_dir>

Writes <out_dir>/src_<from>_<layout>.npy (layout: c, f, c_swapped, f_swapped; the swapped
ones only for multi-byte types), <out_dir>/exp_<from>_<to>.bin (the C-order bytes of the
converted array, host byte order) and <out_dir>/manifest.json.
"""
import json
import os
import sys
import warnings

import numpy as np

TYPES = ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
         "float16", "float32", "float64", "complex64", "complex128"]
RULES = ["no", "equiv", "safe", "same_kind", "unsafe"]

FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, 1.5, -1.5, 2.5, -2.7, 127.9, 128.0, -128.5, -129.0,
          255.5, 256.0, 300.0, -300.0, 32767.5, 32768.0, -32769.0, 65504.0, 65519.0,
          65520.0, 1e5, 2.0**31 - 0.5, 2.0**31, -2.0**31, -2.0**31 - 1, 2.0**32, -2.0**32,
          2.0**53 + 2, 2.0**63, -2.0**63, 1.8e19, 2.0**64, 1e20, -1e20, 3.4e38, 1e39, 1e300,
          -1e300, 1e-8, 6e-8, -3e-8, 3e-5, 1e-45, 1e-320, float("inf"), float("-inf"),
          float("nan"), -float("nan"), 1 / 3, 0.1, 2049.0, 4097.0]
INTS = [0, 1, -1, 2, 127, 128, 255, 256, -128, -129, 300, 2049, 4097, 32767, 32768, 65504,
        65535, 65536, 65520, 2**24 + 1, 2**31 - 1, 2**31, 2**32 - 1, 2**32, -2**31, -2**31 - 1,
        2**53 + 1, 2**63 - 1, -2**63, 2**64 - 1, 2**63 + 2**40 + 1, 123456789012345]


def values(t):
    dt = np.dtype(t)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if dt.kind == "b":
            v = np.array([True, False, True, True, False, False], dtype=bool)
        elif dt.kind in "iu":
            v = np.array([x % 2**64 for x in INTS], dtype=np.uint64).astype(dt)
        elif dt.kind == "f":
            v = np.array(FLOATS, dtype=np.float64).astype(dt)
        else:
            re = np.array(FLOATS, dtype=np.float64)
            im = np.roll(re, 7)
            v = (re + 0j).astype(dt)
            v.imag = im.astype(v.real.dtype)
    n = (len(v) // 3) * 3
    return v[:n].reshape(3, n // 3)


def main(out):
    # Overflow, NaN and complex-to-real casts warn; the values are what is wanted.
    warnings.simplefilter("ignore")
    os.makedirs(out, exist_ok=True)
    cases = []
    for t in TYPES:
        a = values(t)
        layouts = {"c": np.ascontiguousarray(a), "f": np.asfortranarray(a)}
        if a.dtype.itemsize > 1 and a.dtype.kind != "b":
            other = a.dtype.newbyteorder("S")
            layouts["c_swapped"] = np.ascontiguousarray(a).astype(other)
            layouts["f_swapped"] = np.asfortranarray(a).astype(other)
        files = {}
        for name, arr in layouts.items():
            assert (name.startswith("f")) == (arr.flags.f_contiguous and not arr.flags.c_contiguous)
            f = f"src_{t}_{name}.npy"
            np.save(os.path.join(out, f), arr)
            stored = np.load(os.path.join(out, f))
            assert stored.dtype == arr.dtype
            can = {}
            for to in TYPES:
                can[to] = {r: bool(np.can_cast(arr.dtype, np.dtype(to), r)) for r in RULES}
                for r in RULES:
                    try:
                        arr.astype(to, casting=r)
                        ok = True
                    except TypeError:
                        ok = False
                    assert ok == can[to][r], (t, name, to, r)
            files[name] = {"file": f, "descr": arr.dtype.str, "can": can}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for to in TYPES:
                exp = np.ascontiguousarray(a.astype(to, casting="unsafe"))
                with open(os.path.join(out, f"exp_{t}_{to}.bin"), "wb") as fh:
                    fh.write(exp.tobytes())
        cases.append({"type": t, "shape": list(a.shape), "layouts": files})
    with open(os.path.join(out, "manifest.json"), "w") as fh:
        json.dump({"types": TYPES, "rules": RULES, "cases": cases}, fh)


if __name__ == "__main__":
    main(sys.argv[1])
