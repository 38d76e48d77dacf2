"""NumPy checks what examples-c/preprocess.c leaves in its directory: the
archive holds data, mean and std as NumPy computes them from raw.csv.

    python text_preprocess_check.py <dir>
"""
import os
import sys

import numpy as np


def main():
    d = sys.argv[1]
    raw = np.loadtxt(os.path.join(d, "raw.csv"), delimiter=",", skiprows=1, ndmin=2)
    mean, std = raw.mean(axis=0), raw.std(axis=0)
    with np.load(os.path.join(d, "preprocessed.npz"), allow_pickle=False) as z:
        assert z.files == ["data", "mean", "std"], z.files
        for key, ref in (("data", (raw - mean) / std), ("mean", mean), ("std", std)):
            got = z[key]
            assert got.dtype == np.float64 and got.shape == ref.shape, (key, got.dtype, got.shape)
            assert np.allclose(got, ref, rtol=1e-12, atol=1e-12), key
        data = z["data"]
    assert np.allclose(data.mean(axis=0), 0, atol=1e-12) and np.allclose(data.std(axis=0), 1)
    print("1 passed, 0 failed")


if __name__ == "__main__":
    main()
