#!/usr/bin/env python3
"""NumPy side of the C++ wrapper test (include/npyio.hpp), driven by ctest.

    cpp_numpy.py gen   <numpy_dir> <cpp_out_dir>   write the files test_cpp_numpy reads
    cpp_numpy.py check <numpy_dir> <cpp_out_dir>   verify the files test_cpp_numpy wrote

`gen` empties <cpp_out_dir>, so `check` never sees files from an earlier run. `check` loads
every file with np.load(allow_pickle=False) and compares dtype, shape, memory order and values;
a .npy written by npyio::save must also equal np.save's bytes. The values are defined here and
in test_cpp_numpy.cpp; keep them in step.
"""
import io
import os
import shutil
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from interop import report, same, same_as_np_save, save_numpy_files  # noqa: E402

NATIVE = "<" if sys.byteorder == "little" else ">"


def n(code):
    """A dtype string in the host byte order ("f8" -> "<f8" on little-endian hosts)."""
    return code if code[0] == "|" else NATIVE + code


def table():
    return np.arange(12, dtype="f8").reshape(4, 3) / 4 - 1


def numpy_files():
    """What NumPy writes for the C++ test to read."""
    return {
        "f8_2d": np.arange(12, dtype="<f8").reshape(3, 4) * 0.5 - 1,
        "i4_be": np.array([1, -2, 300000, -400000, 2**31 - 1], dtype=">i4"),
        "i2_fortran": np.asfortranarray(np.arange(12, dtype="<i2").reshape(3, 4) - 5),
        "c16_be": np.array([1 + 2j, -3.5 - 0.25j], dtype=">c16"),
        "c8": np.array([0.5 - 1j, 2 + 0j, -1.25 + 4j], dtype="<c8"),
        "bool": np.array([True, False, True, True]),
        "u8": np.array([0, 2**64 - 1, 12345678901234567890], dtype="<u8"),
        "i1": np.array([-128, -1, 0, 127], dtype="i1"),
        "u1": np.array([0, 1, 255], dtype="u1"),
        "u2_be": np.array([1, 256, 65535], dtype=">u2"),
        "u4": np.array([7, 4000000000], dtype="<u4"),
        "i8_f": np.asfortranarray(np.arange(24, dtype="<i8").reshape(2, 3, 4) * -3),
        "f4": np.array([1.5, -0.25, 3e38], dtype="<f4"),
        "f8_0d": np.array(2.5, dtype="<f8"),
        "empty": np.zeros((0, 3), dtype="<f4"),
        "rows_be": np.arange(20, dtype=">f8").reshape(5, 4),
        "record": np.array([(1, 1.5), (-2, 2.5)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "unicode": np.array(["ab", "xyz"], dtype="<U3"),
        "mm_native": np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25,
        "mm_swapped": np.arange(4, dtype=("<f8" if NATIVE == ">" else ">f8")),
    }


def cpp_files():
    """What test_cpp_numpy writes with npyio::save, as NumPy must load it (and np.save it)."""
    return {
        "f8_2d": np.arange(12, dtype=n("f8")).reshape(3, 4) * 0.5 - 1,
        "i2_fortran": np.asfortranarray(np.arange(12, dtype=n("i2")).reshape(3, 4) - 5),
        "bool": np.array([True, False, False, True, True]),
        "c8": np.array([1 + 2j, complex(0.0, -0.5), 3], dtype=n("c8")),
        "c16_2d": (np.arange(6, dtype=n("c16")) * (1 - 1j)).reshape(2, 3),
        "i1": np.array([-128, -1, 0, 127], dtype="|i1"),
        "u1": np.array([0, 1, 255], dtype="|u1"),
        "i2": np.array([-32768, 32767], dtype=n("i2")),
        "u2": np.array([0, 65535], dtype=n("u2")),
        "i4": np.array([-(2**31), 2**31 - 1], dtype=n("i4")),
        "u4": np.array([0, 2**32 - 1], dtype=n("u4")),
        "i8": np.array([-(2**63), 2**63 - 1], dtype=n("i8")),
        "u8": np.array([0, 2**64 - 1], dtype=n("u8")),
        "f4": np.array([1.5, -2.25, 1e-30], dtype=n("f4")),
        "f4_0d": np.array(-7.5, dtype=n("f4")),
        "empty": np.zeros((0, 3), dtype=n("i4")),
        "vec1d": np.arange(5, dtype=n("i8")) * 10,
        "keep": np.array([1.0, 2.0, 3.0], dtype=n("f8")),
    }


def other_cpp_files():
    """Files test_cpp_numpy writes by other routes (writer, maps): values, not np.save bytes."""
    rw = np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25
    rw[1, 2] = -100.0
    rw[2, 3] = 42.0
    return {
        "streamed.npy": np.arange(1000, dtype=n("f8")) / 8,
        "mm_created.npy": np.asfortranarray(
            np.arange(20, dtype=n("f4")).reshape(5, 4, order="F") * 2),
        "mm_rw.npy": rw,
        "mm_cow.npy": np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25,
    }


def gen(numpy_dir, out_dir):
    save_numpy_files(numpy_dir, numpy_files())
    np.savez(os.path.join(numpy_dir, "py_arch.npz"),
             a=np.arange(6, dtype="<i4").reshape(2, 3), b=np.array([0.5, 1.5], dtype=">f8"))
    with zipfile.ZipFile(os.path.join(numpy_dir, "py_arch.npz"), "a") as z:
        z.writestr("notes.txt", b"hello from numpy")
    np.savez_compressed(os.path.join(numpy_dir, "py_arch_c.npz"),
                        x=np.linspace(0, 1, 101), flags=np.array([True, False]))
    # A raw file for np.memmap-style maps: 16 bytes of junk, then ten native int32.
    with open(os.path.join(numpy_dir, "py_raw.bin"), "wb") as fh:
        fh.write(b"0123456789abcdef")
        fh.write(np.arange(10, dtype=n("i4")).tobytes())
    # Text tables.
    np.savetxt(os.path.join(numpy_dir, "py_table.csv"), table(), delimiter=",",
               header="a,b,c")
    with open(os.path.join(numpy_dir, "py_missing.csv"), "w") as fh:
        fh.write("1,2,3\n4,,6\n7,8,9\n")
    shutil.rmtree(out_dir, ignore_errors=True)
    print(f"cpp_numpy: wrote {len(os.listdir(numpy_dir))} files to {numpy_dir}")


def check(numpy_dir, out_dir):
    failures, checked = [], 0

    def run(label, fn):
        nonlocal checked
        try:
            fn()
            checked += 1
        except Exception as e:  # noqa: BLE001 -- report every file, then fail
            failures.append(f"{label}: {e}")

    for name, want in cpp_files().items():
        path = os.path.join(out_dir, f"cpp_{name}.npy")

        def one(path=path, want=want):
            same(np.load(path, allow_pickle=False), want)
            same_as_np_save(path, want)
        run(path, one)

    for name, want in other_cpp_files().items():
        path = os.path.join(out_dir, name)
        run(path, lambda path=path, want=want: same(np.load(path, allow_pickle=False), want))

    def archive():
        path = os.path.join(out_dir, "cpp_arch.npz")
        with np.load(path, allow_pickle=False) as z:
            assert z.files == ["w", "b", "streamed", "mask"], f"files {z.files}"
            same(z["w"], np.arange(6, dtype=n("f8")).reshape(2, 3) / 4)
            same(z["b"], np.arange(1000, dtype=n("i4")) % 7)
            same(z["streamed"], np.arange(64, dtype=n("u2")).reshape(8, 8))
            same(z["mask"], np.array([False, True, True]))
        with zipfile.ZipFile(path) as zf:
            methods = [i.compress_type for i in zf.infolist()]
            assert methods == [0, 8, 8, 0], f"compression methods {methods}"
    run("cpp_arch.npz", archive)

    def raw_created():
        got = np.fromfile(os.path.join(out_dir, "raw_created.bin"), dtype=n("u2"))
        assert np.array_equal(got, np.arange(8, dtype="u2") * 3), f"values {got!r}"
    run("raw_created.bin", raw_created)

    def text():
        want = io.BytesIO()
        np.savetxt(want, np.arange(6, dtype="f8").reshape(2, 3) * 1.5, fmt="%.3f",
                   delimiter=",")
        with open(os.path.join(out_dir, "cpp_saved.txt"), "rb") as fh:
            assert fh.read() == want.getvalue(), "cpp_saved.txt differs from np.savetxt's"
        want = io.BytesIO()
        np.savetxt(want, numpy_files()["f8_2d"])
        with open(os.path.join(out_dir, "cpp_saved_default.txt"), "rb") as fh:
            assert fh.read() == want.getvalue(), "cpp_saved_default.txt differs from np.savetxt's"
        want = io.BytesIO()
        np.save(want, np.loadtxt(os.path.join(numpy_dir, "py_table.csv"), delimiter=","))
        with open(os.path.join(out_dir, "cpp_table.npy"), "rb") as fh:
            assert fh.read() == want.getvalue(), "cpp_table.npy differs from np.save(np.loadtxt())"
    run("text tables", text)

    def kept():
        # The discarded Writer must have left cpp_keep.npy as npyio::save wrote it, and left
        # no temporary file behind.
        leftovers = sorted(f for f in os.listdir(out_dir) if f.startswith(".") or "tmp" in f)
        assert not leftovers, f"temporary files left behind: {leftovers}"
    run("no temporary files", kept)

    def source_untouched():
        same(np.load(os.path.join(numpy_dir, "py_mm_native.npy")),
             numpy_files()["mm_native"])
    run("py_mm_native.npy unchanged", source_untouched)

    return report("cpp_numpy", failures,
                  f"{checked} checks of files written through npyio.hpp passed "
                  f"(NumPy {np.__version__})")


def main(argv):
    if len(argv) == 4 and argv[1] == "gen":
        gen(argv[2], argv[3])
        return 0
    if len(argv) == 4 and argv[1] == "check":
        return check(argv[2], argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
