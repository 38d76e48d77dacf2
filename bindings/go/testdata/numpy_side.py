#!/usr/bin/env python3
"""NumPy side of the Go binding's tests (npyio_test.go runs it with $NPYIO_PYTHON).

    numpy_side.py gen   <dir>    write the files the Go tests read
    numpy_side.py check <dir>    verify the files the Go tests wrote into <dir>
    numpy_side.py check-text <numpy_dir> <dir>   verify the text-table files in <dir>
    numpy_side.py check-rows <dir>   verify the files the rows test wrote into <dir>
    numpy_side.py check-zstd <dir>   verify the zstd archive (needs backports.zstd)

`check` loads every file with np.load(allow_pickle=False), compares dtype, shape, memory
order and values, and for files written by Save/SaveBytes also np.save's exact bytes. It
prints one line per file and exits non-zero if any fails. Keep the values in step with
npyio_test.go.
"""
import io
import os
import sys
import zipfile

import numpy as np

NATIVE = "<" if sys.byteorder == "little" else ">"


def n(code):
    return code if code[0] == "|" else NATIVE + code


def numpy_files():
    return {
        "f8_2d": np.arange(12, dtype="<f8").reshape(3, 4) * 0.5 - 1,
        "i4_be": np.array([1, -2, 300000, -400000, 2**31 - 1], dtype=">i4"),
        "i2_fortran": np.asfortranarray(np.arange(12, dtype="<i2").reshape(3, 4) - 5),
        "c16_be": np.array([1 + 2j, -3.5 - 0.25j], dtype=">c16"),
        "c8": np.array([0.5 - 1j, 2 + 0j], dtype="<c8"),
        "bool": np.array([True, False, True]),
        "u8": np.array([0, 2**64 - 1], dtype="<u8"),
        "i1": np.array([-128, 127], dtype="i1"),
        "i8": np.arange(5, dtype="<i8") * -7,
        "f4_0d": np.array(2.5, dtype="<f4"),
        "empty": np.zeros((0, 3), dtype="<f8"),
        "rows": np.arange(20, dtype=">u2").reshape(5, 4),
        "record": np.array([(1, 1.5)], dtype=[("a", "<i4"), ("b", "<f8")]),
        "mm": np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25,
        "mm_swapped": np.arange(4, dtype=("<i4" if NATIVE == ">" else ">i4")),
    }


def go_saved():
    """Files the Go tests write with Save / SaveBytes: np.save's bytes exactly."""
    return {
        "go_f8_2d.npy": np.arange(12, dtype=n("f8")).reshape(3, 4) * 0.5 - 1,
        "go_i2_fortran.npy": np.asfortranarray(np.arange(12, dtype=n("i2")).reshape(3, 4) - 5),
        "go_bool.npy": np.array([True, False, False, True]),
        "go_c8.npy": np.array([1 + 2j, 3 - 4j], dtype=n("c8")),
        "go_c16.npy": np.array([complex(0.5, -0.5)], dtype=n("c16")),
        "go_i1.npy": np.array([-128, 0, 127], dtype="|i1"),
        "go_u1.npy": np.array([0, 255], dtype="|u1"),
        "go_i4.npy": np.array([-(2**31), 2**31 - 1], dtype=n("i4")),
        "go_u4.npy": np.array([0, 2**32 - 1], dtype=n("u4")),
        "go_i8_int.npy": np.array([-(2**63), 2**63 - 1], dtype=n("i8")),
        "go_u8.npy": np.array([0, 2**64 - 1], dtype=n("u8")),
        "go_u2.npy": np.array([1, 65535], dtype=n("u2")),
        "go_f4_0d.npy": np.array(-1.5, dtype=n("f4")),
        "go_empty.npy": np.zeros((0, 2), dtype=n("f8")),
        "go_named.npy": np.array([36.6, -40.0], dtype=n("f8")),
        "go_be.npy": np.array([1, 258], dtype=">i4"),
        "go_record.npy": np.array([(1, 1.5), (2, -2.5)], dtype=[("a", "<i4"), ("b", "<f8")]),
    }


def go_other():
    """Files written by Writer, NpzWriter and maps: values, dtype, shape and order."""
    rw = np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25
    rw[0, 1] = 99.0
    return {
        "go_streamed.npy": np.arange(100, dtype=n("i4")) * 3,
        "go_mm_created.npy": np.arange(12, dtype=n("u2")).reshape(3, 4),
        "go_mm_rw.npy": rw,
        "go_mm_cow.npy": np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25,
    }


def gen(d):
    os.makedirs(d, exist_ok=True)
    for name, arr in numpy_files().items():
        np.save(os.path.join(d, f"py_{name}.npy"), arr)
    np.savez(os.path.join(d, "py_arch.npz"), a=np.arange(6, dtype="<i4").reshape(2, 3),
             b=np.array([0.5, 1.5], dtype=">f8"))
    with zipfile.ZipFile(os.path.join(d, "py_arch.npz"), "a") as z:
        z.writestr("notes.txt", b"hello from numpy")
    np.savez_compressed(os.path.join(d, "py_arch_c.npz"), x=np.linspace(0, 1, 11))
    with open(os.path.join(d, "py_raw.bin"), "wb") as fh:
        fh.write(b"12345678")
        fh.write(np.arange(6, dtype=n("i4")).tobytes())
    np.savetxt(os.path.join(d, "py_table.csv"), np.arange(12.0).reshape(4, 3) / 4 - 1,
               delimiter=",", header="a,b,c")
    with open(os.path.join(d, "py_missing.csv"), "w") as fh:
        fh.write("x,y,z\n1,2,3\n4,,6\n7,8,9\n")
    print(f"numpy_side: wrote {len(os.listdir(d))} files to {d}")


def same(got, want):
    assert got.dtype == want.dtype, f"dtype {got.dtype!r}, want {want.dtype!r}"
    assert got.shape == want.shape, f"shape {got.shape}, want {want.shape}"
    if want.ndim > 1 and want.size > 1:
        assert got.flags.f_contiguous == want.flags.f_contiguous, "memory order differs"
    assert np.array_equal(got, want), f"values {got!r}, want {want!r}"


def check(d):
    failures, checked = [], 0

    def run(label, fn):
        nonlocal checked
        try:
            fn()
            checked += 1
            print(f"ok   {label}")
        except Exception as e:  # noqa: BLE001 -- report every file, then fail
            failures.append(label)
            print(f"FAIL {label}: {e}")

    for name, want in go_saved().items():
        def one(path=os.path.join(d, name), want=want):
            same(np.load(path, allow_pickle=False), want)
            buf = io.BytesIO()
            np.save(buf, want)
            with open(path, "rb") as fh:
                assert fh.read() == buf.getvalue(), "bytes differ from np.save's"
        run(name, one)
    for name, want in go_other().items():
        run(name, lambda path=os.path.join(d, name), want=want:
            same(np.load(path, allow_pickle=False), want))

    def archive():
        path = os.path.join(d, "go_arch.npz")
        with np.load(path, allow_pickle=False) as z:
            assert z.files == ["w", "c", "s"], f"files {z.files}"
            same(z["w"], np.arange(6, dtype=n("f8")).reshape(2, 3) / 2)
            same(z["c"], np.arange(500, dtype=n("i8")) % 5)
            same(z["s"], np.arange(8, dtype="|u1").reshape(2, 4))
        with zipfile.ZipFile(path) as zf:
            methods = [i.compress_type for i in zf.infolist()]
            assert methods == [0, 8, 0], f"compression methods {methods}"
    run("go_arch.npz", archive)

    def typed_archive():
        path = os.path.join(d, "go_typed.npz")
        with np.load(path, allow_pickle=False) as z:
            assert z.files == ["w", "n", "b"], f"files {z.files}"
            same(z["w"], np.arange(6, dtype=n("f8")).reshape(2, 3) / 2)
            same(z["n"], np.array(7, dtype=n("i4")))
            same(z["b"], np.array([True, False]))
        with zipfile.ZipFile(path) as zf:
            methods = [i.compress_type for i in zf.infolist()]
            assert methods == [8, 8, 8], f"compression methods {methods}"
            for key, want in (("w", np.arange(6, dtype=n("f8")).reshape(2, 3) / 2),
                              ("n", np.array(7, dtype=n("i4")))):
                buf = io.BytesIO()
                np.save(buf, want)
                assert zf.read(key + ".npy") == buf.getvalue(), f"{key}: bytes differ from np.save's"
    run("go_typed.npz", typed_archive)

    def raw():
        got = np.fromfile(os.path.join(d, "go_raw_created.bin"), dtype=n("f4"))
        assert np.array_equal(got, np.array([0, 0.5, 1, 1.5], dtype="f4")), f"values {got!r}"
    run("go_raw_created.bin", raw)

    print(f"numpy_side: {checked} passed, {len(failures)} failed (NumPy {np.__version__})")
    return 1 if failures else 0


def check_rows(d):
    """Files the Go tests wrote with CreateRows/WriteRowsOf, OpenRows and AppendRows."""
    rw = np.arange(12, dtype=n("f8")).reshape(3, 4) + 0.25
    rw[1] = [-1, -2, -3, -4]
    wants = {
        "go_rows_created.npy": np.arange(18, dtype=n("f8")).reshape(6, 3),
        "go_rows_rw.npy": rw,
        "go_rows_appended.npy": np.arange(12, dtype=n("f8")).reshape(4, 3),
    }
    failures = 0
    for name, want in wants.items():
        try:
            same(np.load(os.path.join(d, name), allow_pickle=False), want)
            print(f"ok   {name}")
        except Exception as e:  # noqa: BLE001 -- report every file, then fail
            failures += 1
            print(f"FAIL {name}: {e}")
    # A file made at its full size has np.save's bytes for the same array.
    buf = io.BytesIO()
    np.save(buf, wants["go_rows_created.npy"])
    with open(os.path.join(d, "go_rows_created.npy"), "rb") as fh:
        if fh.read() != buf.getvalue():
            failures += 1
            print("FAIL go_rows_created.npy: bytes differ from np.save's")
    print(f"numpy_side: {len(wants) - failures} passed, {failures} failed (NumPy {np.__version__})")
    return 1 if failures else 0


def check_zstd(d):
    """The archive the zstd test wrote, read by np.load through Python 3.14's zipfile."""
    try:
        from backports.zstd import zipfile as zf
    except ImportError:
        print("numpy_side: no backports.zstd, cannot read zstd members")
        return 3
    sys.modules["zipfile"] = zf
    path = os.path.join(d, "go_zstd.npz")
    small = np.array([1, -2, 3, -4, 5, -6], dtype=n("i4"))
    wants = {
        "big": (np.arange(200000) % 1000 * 0.25).astype(n("f8")).reshape(1000, 200),
        "small": small.reshape(2, 3),
        "d": small,
    }
    failures = 0
    with zf.ZipFile(path) as z:
        methods = [i.compress_type for i in z.infolist()]
    if methods != [93, 93, 8]:
        failures += 1
        print(f"FAIL compression methods {methods}, want [93, 93, 8]")
    with np.load(path, allow_pickle=False) as a:
        for key, want in wants.items():
            try:
                same(a[key], want)
                print(f"ok   {key}")
            except Exception as e:  # noqa: BLE001 -- report every member, then fail
                failures += 1
                print(f"FAIL {key}: {e}")
    print(f"numpy_side: {len(wants) - min(failures, len(wants))} passed, {failures} failed "
          f"(NumPy {np.__version__})")
    return 1 if failures else 0


def check_text(numpy_dir, d):
    """The text files TestTextTables wrote into d: np.savetxt's and np.save's exact bytes."""
    failures = 0

    def same_bytes(name, want):
        nonlocal failures
        with open(os.path.join(d, name), "rb") as fh:
            got = fh.read()
        if got == want.getvalue():
            print(f"ok   {name}")
        else:
            failures += 1
            print(f"FAIL {name}: differs\n  got  {got[:200]!r}\n  want {want.getvalue()[:200]!r}")

    want = io.BytesIO()
    np.savetxt(want, np.arange(6.0).reshape(2, 3) * 1.5, fmt="%.2f", delimiter=";",
               header="p;q;r")
    same_bytes("go_saved.txt", want)
    want = io.BytesIO()
    np.savetxt(want, numpy_files()["i8"])
    same_bytes("go_saved_default.txt", want)
    want = io.BytesIO()
    np.save(want, np.loadtxt(os.path.join(numpy_dir, "py_table.csv"), delimiter=",",
                             dtype="<f4"))
    same_bytes("go_table.npy", want)
    print(f"numpy_side: {3 - failures} passed, {failures} failed (NumPy {np.__version__})")
    return 1 if failures else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "gen":
        gen(argv[2])
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 3 and argv[1] == "check-zstd":
        return check_zstd(argv[2])
    if len(argv) == 3 and argv[1] == "check-rows":
        return check_rows(argv[2])
    if len(argv) == 4 and argv[1] == "check-text":
        return check_text(argv[2], argv[3])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
