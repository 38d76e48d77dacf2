# compression.c in NumPy: exercise 3 of the NumPy I/O guide.
import os
import numpy as np

a = np.random.default_rng(7).standard_normal((1000, 1000))
np.savez("uncompressed.npz", data=a)
np.savez_compressed("compressed.npz", data=a)
u, c = os.path.getsize("uncompressed.npz"), os.path.getsize("compressed.npz")
print(f"Uncompressed: {u / 1e6:.2f} MB")
print(f"Compressed: {c / 1e6:.2f} MB")
print(f"Compression ratio: {u / c:.2f}x")
