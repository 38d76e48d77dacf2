#!/usr/bin/env python3
"""NumPy checks the files the C examples leave behind.

Usage: check_examples.py EXAMPLE DIR   (DIR: the example's working directory)
Prints `1 passed, 0 failed` or the reason and exits non-zero.
"""
import os
import sys

import numpy as np

name, d = sys.argv[1], sys.argv[2]
p = lambda f: os.path.join(d, f)  # noqa: E731


def save_load():
    a = np.load(p("save_load.npy"), allow_pickle=False)
    assert a.dtype == np.float64 and a.shape == (100, 50)
    assert np.all(np.abs(a) <= 0.5)
    ref = p("ref.npy")
    np.save(ref, a)
    assert open(ref, "rb").read() == open(p("save_load.npy"), "rb").read(), "not byte-identical to np.save"


def named_arrays():
    with np.load(p("named_arrays.npz"), allow_pickle=False) as z:
        assert z.files == ["x_data", "y_data", "z_data"], z.files
        assert np.array_equal(z["x_data"], np.arange(10))
        assert np.allclose(z["y_data"], np.linspace(0, 1, 10))
        assert np.array_equal(z["z_data"], np.eye(3))


def compression():
    with np.load(p("uncompressed.npz")) as u, np.load(p("compressed.npz")) as c:
        a, b = u["data"], c["data"]
        assert a.shape == (1000, 1000) and np.array_equal(a, b)
    assert os.path.getsize(p("compressed.npz")) < os.path.getsize(p("uncompressed.npz"))


def checkpoint():
    with np.load(p("ckpt.npz"), allow_pickle=False) as z:
        assert z.files == ["epoch", "weights", "loss_history"], z.files
        assert z["epoch"].shape == () and int(z["epoch"]) == 3
        assert z["weights"].shape == (10, 5)
        assert z["loss_history"].tolist() == [1.0, 0.5, 1.0 / 3.0]


def bigdata():
    a = np.load(p("big.npy"), mmap_mode="r")
    n = a.shape[0]
    assert a.dtype == np.float64
    assert float(a.sum(dtype=np.float64)) == n * (n - 1) / 2
    assert a[12345] == 12345.0 and a[-1] == n - 1


def load_times():
    a = np.load(p("bench.npy"), allow_pickle=False)
    assert a.shape == (1_000_000,) and a.dtype == np.float64
    assert np.array_equal(np.loadtxt(p("bench.csv")), a)
    with np.load(p("bench.npz"), allow_pickle=False) as z:
        assert np.array_equal(z["data"], a)
    ref = p("ref.csv")
    np.savetxt(ref, a)
    assert open(ref, "rb").read() == open(p("bench.csv"), "rb").read(), "csv differs from np.savetxt"


def quickstart():
    f8 = np.load(p("quickstart_f8.npy"), allow_pickle=False)
    assert f8.dtype == np.float64 and f8.shape == (2, 3)
    assert f8.tolist() == [[1.5, 2.5, 3.5], [-1.0, 0.0, 1e10]]
    i4 = np.load(p("quickstart_i4.npy"), allow_pickle=False)
    assert i4.dtype == np.int32 and i4.tolist() == [1, -2, 3, -4, 2147483647]
    for name, a in (("quickstart_f8.npy", f8), ("quickstart_i4.npy", i4)):
        ref = p("ref.npy")
        np.save(ref, a)
        assert open(ref, "rb").read() == open(p(name), "rb").read(), f"{name}: not np.save's bytes"
    assert not os.path.exists(p("no-such-file.npy"))


def mpi_slabs():
    a = np.load(p("mpi_slabs.npy"), allow_pickle=False)
    assert a.dtype == np.float64 and a.shape == (1000, 6), (a.dtype, a.shape)
    assert np.array_equal(a, np.arange(6000).reshape(1000, 6)), "slabs differ"
    ref = p("ref.npy")
    np.save(ref, a)
    assert open(ref, "rb").read() == open(p("mpi_slabs.npy"), "rb").read(), "not byte-identical to np.save"


try:
    globals()[name]()
except Exception as e:  # noqa: BLE001
    print(f"{name}: {e!r}")
    print("0 passed, 1 failed")
    sys.exit(1)
print("1 passed, 0 failed")
