#!/usr/bin/env python3
"""NumPy side of the .npz interoperability tests (driven by ctest).

    npz_interop.py gen     <numpy_dir> <c_out_root>   archives for `test_npz interop` to read
    npz_interop.py check   <c_out_root>               load what `test_npz interop` wrote
    npz_interop.py weights <weights.npz>              check examples-c/weights.c's archive

`gen` writes, with NumPy and zipfile only:
  py_savez.npz          np.savez(path, arr_0, arr_1, **standard)   (stored)
  py_compressed.npz     np.savez_compressed, same arrays            (deflate)
  py_stream.npz         np.savez_compressed into a non-seekable stream (data descriptors)
  py_stream_stored.npz  np.savez into a non-seekable stream
  py_raw.npz            zipfile: a deflate "notes.txt" (not an .npy) and a stored "x.npy"
  py_empty.npz          np.savez(path) with no arrays
  py_f8.npy             np.save of standard()["f8"]
and empties <c_out_root>, so `check` never sees archives from an earlier run.

`check` looks in <c_out_root>/c and <c_out_root>/cxx (test_npz compiled as C and
as C++) and loads every archive with np.load(allow_pickle=False): keys, dtype,
shape, memory order and values; zipfile's CRC check (testzip); c_stored.npz
must equal np.savez's bytes; c_aligned.npz's stored members must start their
data (and their array data) at multiples of 64; c_deflate.npz is compared in
size with np.savez_compressed's archive (printed; at most 10% larger).

The values are defined in tests/c/test_npz.c too; keep them in step.
"""
import io
import os
import shutil
import struct
import sys
import zipfile

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "oracle"))
from interop import lang_dirs, report, same  # noqa: E402

REC = np.dtype([("a", "<i4"), ("b", ">f8")])
BIG_N = 300000
D_N = 600000
S_N = 1000
NOTES = b"written by zipfile, not np.save\n"


def standard():
    """The members test_npz.c calls STD, in order."""
    return {
        "f8": np.arange(12, dtype="<f8").reshape(3, 4) * 0.5 - 1,
        "i4be": np.array([1, -2, 300000, -400000, 2**31 - 1], dtype=">i4"),
        "rec": np.array([(1, 1.5), (-2, 2.5), (3, -3.5)], dtype=REC),
        "fort": np.asfortranarray(np.arange(12, dtype="<i2").reshape(3, 4) - 5),
        "u": np.array(["ab", "xyz", ""], dtype="<U3"),
        "zero_d": np.array(2.5, dtype="<f8"),
        "empty": np.zeros((0, 2, 3), dtype="<f4"),
        "big": (np.arange(BIG_N, dtype="<u8") * np.uint64(2654435761)) % np.uint64(1000),
    }


def streamed():
    i = np.arange(D_N, dtype="<u8")
    return {
        "s_stream": np.arange(S_N, dtype="<f8") * 0.25,
        "d_stream": i ^ (i >> np.uint64(3)),
    }


def positional():
    return [np.arange(5, dtype="<i8"), np.array([True, False])]


class Unseekable:
    """A write-only stream without tell/seek: zipfile then writes data descriptors."""

    def __init__(self, fh):
        self.fh = fh

    def write(self, b):
        return self.fh.write(b)

    def flush(self):
        self.fh.flush()

    def read(self, *args):  # np.savez takes objects with read() as file objects; never called
        raise io.UnsupportedOperation("write-only")


def gen(numpy_dir, out_root):
    os.makedirs(numpy_dir, exist_ok=True)
    std = standard()
    p = lambda name: os.path.join(numpy_dir, name)  # noqa: E731
    np.savez(p("py_savez.npz"), *positional(), **std)
    np.savez_compressed(p("py_compressed.npz"), *positional(), **std)
    for name, fn in (("py_stream.npz", np.savez_compressed), ("py_stream_stored.npz", np.savez)):
        with open(p(name), "wb") as fh:
            fn(Unseekable(fh), *positional(), **std)
        with zipfile.ZipFile(p(name)) as z:
            assert all(i.flag_bits & 0x08 for i in z.infolist()), f"{name}: no data descriptors"
    buf = io.BytesIO()
    np.save(buf, std["f8"])
    with zipfile.ZipFile(p("py_raw.npz"), "w") as z:
        z.writestr("notes.txt", NOTES, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("x.npy", buf.getvalue(), compress_type=zipfile.ZIP_STORED)
    np.savez(p("py_empty.npz"))
    np.save(p("py_f8.npy"), std["f8"])
    shutil.rmtree(out_root, ignore_errors=True)
    print(f"npz_interop: wrote {len(os.listdir(numpy_dir))} files to {numpy_dir}")


def load_all(path, want):
    with zipfile.ZipFile(path) as z:
        bad = z.testzip()
        assert bad is None, f"zipfile reports a bad CRC in {bad}"
    with np.load(path, allow_pickle=False) as data:
        assert list(data.files) == list(want), f"keys {data.files}, want {list(want)}"
        for k, v in want.items():
            same(data[k], v, k)


def data_offsets(path):
    """(name, method, offset of member data, offset of array data) for each member."""
    out = []
    with open(path, "rb") as fh:
        blob = fh.read()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            h = info.header_offset
            assert blob[h:h + 4] == b"PK\x03\x04"
            n, m = struct.unpack_from("<HH", blob, h + 26)
            start = h + 30 + n + m
            array = None
            if info.compress_type == zipfile.ZIP_STORED:
                assert blob[start:start + 6] == b"\x93NUMPY"
                major = blob[start + 6]
                if major == 1:
                    hl = struct.unpack_from("<H", blob, start + 8)[0] + 10
                else:
                    hl = struct.unpack_from("<I", blob, start + 8)[0] + 12
                array = start + hl
            out.append((info.filename, info.compress_type, start, array))
    return out


def check_dir(d):
    std = standard()
    both = dict(std, **streamed())
    notes = []

    # Stored: every byte as np.savez writes it.
    path = os.path.join(d, "c_stored.npz")
    load_all(path, std)
    buf = io.BytesIO()
    np.savez(buf, **std)
    with open(path, "rb") as fh:
        data = fh.read()
    if data != buf.getvalue():
        first = next((i for i, (a, b) in enumerate(zip(data, buf.getvalue())) if a != b),
                     min(len(data), len(buf.getvalue())))
        raise AssertionError(f"{path}: differs from np.savez's bytes at offset {first} "
                             f"({len(data)} vs {len(buf.getvalue())} bytes)")

    # Deflate at the default level, plus streamed members; size against savez_compressed.
    path = os.path.join(d, "c_deflate.npz")
    load_all(path, both)
    buf = io.BytesIO()
    np.savez_compressed(buf, **both)
    ours, theirs = os.path.getsize(path), len(buf.getvalue())
    notes.append(f"c_deflate.npz {ours} bytes vs np.savez_compressed {theirs} "
                 f"({ours / theirs:.4f}x)")
    # A sanity bound, not a ratio target: zlib-rs and NumPy's zlib find different matches.
    assert ours <= theirs * 1.10, f"{path}: {ours} bytes, np.savez_compressed makes {theirs}"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(buf) as zn:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
        for a, b in zip(z.infolist(), zn.infolist()):
            if a.file_size > 4096 and a.compress_size > 1.05 * b.compress_size:
                notes.append(f"  member {a.filename}: {a.compress_size} bytes compressed, "
                             f"NumPy {b.compress_size} ({a.compress_size / b.compress_size:.3f}x)")

    # Aligned: stored member data and array data at multiples of 64.
    path = os.path.join(d, "c_aligned.npz")
    load_all(path, both)
    stored = 0
    for name, method, start, array in data_offsets(path):
        if method == zipfile.ZIP_STORED:
            stored += 1
            assert start % 64 == 0, f"{path}: {name} data at {start}, not a multiple of 64"
            assert array % 64 == 0, f"{path}: {name} array data at {array}"
    assert stored == 6, f"{path}: {stored} stored members, want 6"

    # Levels 1 and 9.
    sizes = {}
    for level in (1, 9):
        path = os.path.join(d, f"c_level{level}.npz")
        load_all(path, std)
        sizes[level] = os.path.getsize(path)
    assert sizes[9] <= sizes[1], f"level 9 ({sizes[9]}) larger than level 1 ({sizes[1]})"
    return notes


def check(out_root):
    failures, notes = [], []
    for lang, d in lang_dirs(out_root, "test_npz_interop", failures):
        try:
            notes += [f"{lang}: {n}" for n in check_dir(d)]
        except Exception as e:  # noqa: BLE001 -- report both directories, then fail
            failures.append(f"{d}: {e}")
    return report("npz_interop", failures,
                  notes + [f"archives written by libnpyio load in NumPy {np.__version__}; "
                           "stored archive byte-identical to np.savez"])


# ---- examples-c/weights.c ------------------------------------------------------------------

def weight_values(seed, n):
    """weights.c's deterministic values: exact in float32 (k / 4096, |k| <= 1000)."""
    i = np.arange(n, dtype=np.uint64) + np.uint64(seed * 1000003)
    h = (i * np.uint64(2654435761)) & np.uint64(0xFFFFFFFF)
    h ^= h >> np.uint64(16)
    k = (h % np.uint64(2001)).astype(np.int64) - 1000
    return (k / 4096).astype(np.float32)


def weights(path):
    want = {
        "W1": weight_values(1, 784 * 128).reshape(784, 128),
        "b1": weight_values(2, 128),
        "W2": weight_values(3, 128 * 10).reshape(128, 10),
        "b2": weight_values(4, 10),
    }
    try:
        with zipfile.ZipFile(path) as z:
            assert [i.filename for i in z.infolist()] == [k + ".npy" for k in want]
            assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist()), \
                "members are not deflate-compressed (np.savez_compressed style)"
            assert z.testzip() is None
        with np.load(path, allow_pickle=False) as data:
            assert list(data.files) == list(want), f"keys {data.files}"
            for k, v in want.items():
                got = data[k]
                assert got.dtype == np.dtype("float32"), f"{k}: dtype {got.dtype}"
                same(got, v, k)
    except Exception as e:  # noqa: BLE001
        print(f"npz_interop weights: FAILED: {path}: {e}", file=sys.stderr)
        return 1
    print(f"npz_interop weights: {path} loads in NumPy {np.__version__} with the expected "
          f"values ({', '.join(f'{k}{v.shape}' for k, v in want.items())})")
    return 0


def main(argv):
    if len(argv) == 4 and argv[1] == "gen":
        gen(argv[2], argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "check":
        return check(argv[2])
    if len(argv) == 3 and argv[1] == "weights":
        return weights(argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
