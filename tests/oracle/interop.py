"""What the NumPy sides of the C and C++ interoperability tests share (tests/c/numpy_interop.py,
tests/c/npz_interop.py, tests/cpp/cpp_numpy.py): comparing a loaded array with the expected
one, comparing a file with np.save's bytes, the per-language output directories and the final
report. Those scripts put this directory on sys.path to import it.
"""
import io
import os
import sys

import numpy as np


def same(got, want, what=None):
    """`got` equals `want`: dtype, shape, memory order and values (AssertionError if not)."""
    at = f"{what}: " if what else ""
    assert got.dtype == want.dtype, f"{at}dtype {got.dtype!r}, want {want.dtype!r}"
    assert got.shape == want.shape, f"{at}shape {got.shape}, want {want.shape}"
    assert got.flags.f_contiguous == want.flags.f_contiguous, f"{at}memory order differs"
    assert np.array_equal(got, want), f"{at}values {got!r}, want {want!r}"


def same_as_np_save(path, want):
    """The file at `path` is byte for byte what np.save writes for `want`."""
    buf = io.BytesIO()
    np.save(buf, want)
    with open(path, "rb") as fh:
        data = fh.read()
    assert data == buf.getvalue(), (
        f"bytes differ from np.save:\n  got  {data[:128]!r}\n  want {buf.getvalue()[:128]!r}")


def save_numpy_files(numpy_dir, files):
    """np.save each array of `files` as <numpy_dir>/py_<name>.npy, and write py_v2.npy: five
    '<u8' in format 2.0, which np.save writes only for huge headers."""
    os.makedirs(numpy_dir, exist_ok=True)
    for name, arr in files.items():
        np.save(os.path.join(numpy_dir, f"py_{name}.npy"), arr)
    with open(os.path.join(numpy_dir, "py_v2.npy"), "wb") as fh:
        np.lib.format.write_array(fh, np.arange(5, dtype="<u8"), version=(2, 0))


def lang_dirs(out_root, test, failures):
    """The output directories of a C test compiled as C (`c`) and as C++ (`cxx`): yields
    (lang, dir) for each that exists and adds a failure for each that is missing."""
    for lang in ("c", "cxx"):
        d = os.path.join(out_root, lang)
        if os.path.isdir(d):
            yield lang, d
        else:
            failures.append(f"{d}: missing (did {test}{'_cxx' if lang == 'cxx' else ''} run?)")


def report(name, failures, ok):
    """Print every failure to stderr and return 1, or print the `ok` line(s) and return 0."""
    if failures:
        print(f"{name}: FAILED", file=sys.stderr)
        for f in failures:
            print("  " + f, file=sys.stderr)
        return 1
    for line in [ok] if isinstance(ok, str) else ok:
        print(f"{name}: {line}")
    return 0
