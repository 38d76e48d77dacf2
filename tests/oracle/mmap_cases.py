#!/usr/bin/env python3
"""NumPy side of libnpyio's memory-map tests.

  mmap_cases.py gen DIR    open_memmap(mode='w+') files and a raw file with
                           np.memmap views; writes DIR/manifest.json with, per
                           case, what NumPy maps (dtype str, shape, order,
                           offset) and the mapped bytes in memory order.
  mmap_cases.py check DIR  loads the files libnpyio created (listed in
                           DIR/ours.json) with np.load, np.load(mmap_mode='r')
                           and np.memmap, and compares them with the arrays
                           they should hold; prints `N passed, M failed`.
"""
import json
import os
import sys

import numpy as np

cmd, d = sys.argv[1], sys.argv[2]
if cmd == "gen":
    os.makedirs(d, exist_ok=True)
    cases = []
    a = np.lib.format.open_memmap(os.path.join(d, "om_c.npy"), mode="w+", dtype="<f4", shape=(5, 7))
    a[:] = np.arange(35, dtype="<f4").reshape(5, 7)
    a.flush()
    del a
    b = np.lib.format.open_memmap(os.path.join(d, "om_f.npy"), mode="w+", dtype=">i2", shape=(3, 4), fortran_order=True)
    b[:] = np.arange(12).reshape(3, 4)
    b.flush()
    del b
    for name in ("om_c.npy", "om_f.npy"):
        m = np.load(os.path.join(d, name), mmap_mode="r")
        cases.append({"kind": "npy", "file": name, "descr": m.dtype.str, "shape": list(m.shape),
                      "fortran": bool(np.isfortran(m)), "hex": m.tobytes(order="A").hex()})
    raw = np.random.default_rng(3).integers(0, 256, 10007, dtype=np.uint8).tobytes()
    with open(os.path.join(d, "raw.bin"), "wb") as fh:
        fh.write(raw)
    for dt, off, shape, order in [("<f8", 7, None, "C"), (">i4", 3, (10, 20), "C"), ("<u2", 4099, (7, 9), "F"),
                                  ("|u1", 10000, None, "C"), ("<c8", 4096, (2, 3, 4), "C")]:
        m = np.memmap(os.path.join(d, "raw.bin"), dtype=dt, mode="r", offset=off, shape=shape, order=order)
        cases.append({"kind": "raw", "file": "raw.bin", "descr": np.dtype(dt).str, "offset": off,
                      "shape": list(m.shape), "given_shape": shape is not None, "fortran": order == "F",
                      "hex": m.tobytes(order="A").hex()})
        del m
    json.dump(cases, open(os.path.join(d, "manifest.json"), "w"))
    print(len(cases), "cases")
elif cmd == "check":
    ours = json.load(open(os.path.join(d, "ours.json")))
    passed = failed = 0
    for c in ours:
        try:
            want = np.frombuffer(bytes.fromhex(c["hex"]), dtype=c["descr"])
            want = want.reshape(c["shape"], order="F" if c["fortran"] else "C")
            p = os.path.join(d, c["file"])
            if c["kind"] == "npy":
                for x in (np.load(p, allow_pickle=False), np.load(p, mmap_mode="r")):
                    assert x.dtype == want.dtype and x.shape == want.shape, (x.dtype, x.shape)
                    assert np.array_equal(x, want)
                    assert x.ndim < 2 or np.isfortran(x) == c["fortran"]
                ref = os.path.join(d, "ref_" + c["file"])
                np.save(ref, want)
                assert open(ref, "rb").read() == open(p, "rb").read(), "not byte-identical to np.save"
            else:
                x = np.memmap(p, dtype=c["descr"], mode="r", offset=c["offset"], shape=tuple(c["shape"]),
                              order="F" if c["fortran"] else "C")
                assert np.array_equal(x, want)
                assert os.path.getsize(p) == c["offset"] + want.nbytes
            print("OK", c["file"])
            passed += 1
        except Exception as e:  # noqa: BLE001
            print("FAIL", c["file"], e)
            failed += 1
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
