# load_times.c in NumPy: exercise 5 of the NumPy I/O guide.
import os
import time
import numpy as np

arr = np.random.default_rng(2024).standard_normal(1_000_000)
np.save("bench.npy", arr)
np.savetxt("bench.csv", arr)
np.savez_compressed("bench.npz", data=arr)
t0 = time.perf_counter()
a = np.load("bench.npy")
t_npy = time.perf_counter() - t0
t0 = time.perf_counter()
b = np.loadtxt("bench.csv")
t_csv = time.perf_counter() - t0
t0 = time.perf_counter()
with np.load("bench.npz") as f:
    c = f["data"]
t_npz = time.perf_counter() - t0
print(f"{'Format':<12} {'Load time':>12} {'Size (MB)':>10}")
for name, t, path in (("NPY", t_npy, "bench.npy"), ("CSV", t_csv, "bench.csv"), ("NPZ (comp)", t_npz, "bench.npz")):
    print(f"{name:<12} {t:>11.4f}s {os.path.getsize(path) / 1e6:>10.2f}")
print(f"all three loads equal the original: {'yes' if all(np.array_equal(x, arr) for x in (a, b, c)) else 'NO'}")
