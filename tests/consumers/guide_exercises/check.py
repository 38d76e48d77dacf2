#!/usr/bin/env python3
"""NumPy checks what guide_exercises left in DIR: check.py DIR. Prints "N passed, M failed"."""
import io
import os
import sys
import zipfile

import numpy as np

d = sys.argv[1]
p = lambda f: os.path.join(d, f)  # noqa: E731
failures, passed = [], 0


def npy_bytes(a):
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def ex1():
    a = np.load(p("ex1.npy"), allow_pickle=False)
    assert a.dtype == np.float64 and a.shape == (100, 50)
    assert np.all((a >= -0.5) & (a < 0.5))
    assert open(p("ex1.npy"), "rb").read() == npy_bytes(a), "not byte-identical to np.save"


def ex2():
    with np.load(p("ex2.npz"), allow_pickle=False) as z:
        assert z.files == ["x_data", "y_data", "z_data"], z.files
        assert z["x_data"].dtype == np.int64 and np.array_equal(z["x_data"], np.arange(10))
        assert np.allclose(z["y_data"], np.linspace(0, 1, 10))
        assert np.array_equal(z["z_data"], np.eye(3))
    with zipfile.ZipFile(p("ex2.npz")) as zf:
        assert zf.read("z_data.npy") == npy_bytes(np.eye(3)), "member differs from np.save's bytes"


def ex3():
    with np.load(p("ex3_uncompressed.npz")) as u, np.load(p("ex3_compressed.npz")) as c:
        assert u["data"].shape == (1000, 1000) and np.array_equal(u["data"], c["data"])
    with zipfile.ZipFile(p("ex3_uncompressed.npz")) as zu, zipfile.ZipFile(p("ex3_compressed.npz")) as zc:
        assert zu.getinfo("data.npy").compress_type == zipfile.ZIP_STORED
        assert zc.getinfo("data.npy").compress_type == zipfile.ZIP_DEFLATED
    assert os.path.getsize(p("ex3_compressed.npz")) < os.path.getsize(p("ex3_uncompressed.npz"))


def ex4():
    with np.load(p("ex4_ckpt.npz"), allow_pickle=False) as z:
        assert z.files == ["epoch", "weights", "loss_history"], z.files
        assert z["epoch"].shape == () and z["epoch"].dtype == np.int64 and int(z["epoch"]) == 3
        assert z["weights"].shape == (10, 5) and z["weights"].dtype == np.float64
        assert z["loss_history"].tolist() == [1.0, 0.5, 1.0 / 3.0]


def ex5():
    a = np.load(p("ex5.npy"), allow_pickle=False)
    assert a.shape == (1_000_000,) and a.dtype == np.float64
    assert np.array_equal(np.loadtxt(p("ex5.csv")), a)
    ref = io.StringIO()
    np.savetxt(ref, a)
    assert open(p("ex5.csv")).read() == ref.getvalue(), "csv differs from np.savetxt's"
    with np.load(p("ex5.npz"), allow_pickle=False) as z:
        assert np.array_equal(z["data"], a)


for fn in (ex1, ex2, ex3, ex4, ex5):
    try:
        fn()
        passed += 1
        print(f"ok   {fn.__name__}")
    except Exception as e:  # noqa: BLE001 -- report every exercise
        failures.append(fn.__name__)
        print(f"FAIL {fn.__name__}: {e!r}")
print(f"{passed} passed, {len(failures)} failed")
sys.exit(1 if failures else 0)
