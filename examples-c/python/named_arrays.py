# named_arrays.c in NumPy: exercise 2 of the NumPy I/O guide.
import numpy as np

x, y, z = np.arange(10), np.linspace(0, 1, 10), np.eye(3)
np.savez("named_arrays.npz", x_data=x, y_data=y, z_data=z)
with np.load("named_arrays.npz") as data:
    print(f"Stored arrays: {data.files}")
    print(f"x match: {np.array_equal(data['x_data'], x)}")
    print(f"y match: {np.array_equal(data['y_data'], y)}")
    print(f"z match: {np.array_equal(data['z_data'], z)}")
