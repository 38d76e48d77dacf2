# save_load.c in NumPy: exercise 1 of the NumPy I/O guide.
import os
import numpy as np

a = np.random.default_rng(42).random((100, 50)) - 0.5
np.save("save_load.npy", a)
loaded = np.load("save_load.npy")
print(f"Match: {np.array_equal(a, loaded)}")
print(f"File size: {os.path.getsize('save_load.npy') / 1024:.1f} KB")
