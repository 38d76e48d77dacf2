#!/usr/bin/env python3
"""Make .npz archives with NumPy (and Python's zipfile) for libnpyio's tests.

Usage: python gen_npz.py OUTDIR

Writes archives and OUTDIR/manifest.json, a list of
  {"name", "file", "kind": "savez"|"savez_compressed"|"other",
   "members": [{"key", "full", "ref"}]}
where each member's "ref" is a file holding what NumPy returns for it:
an .npy written by np.save of the same array, or (for members that are not
.npy files) a .bin with the raw bytes. Every archive is loaded back with
np.load(allow_pickle=False) and checked against its refs here, so the
manifest is trustworthy.
"""
import io
import json
import os
import shutil
import sys
import zipfile

import numpy as np

out = sys.argv[1]
shutil.rmtree(out, ignore_errors=True)
os.makedirs(out)
rng = np.random.default_rng(7)
manifest = []


def arrays():
    f = np.asfortranarray(rng.standard_normal((3, 4)))
    rec = np.zeros(3, dtype=[("a", "<i4"), ("b", ">f8", (2,)), ("c", "S3")])
    rec["a"] = [1, 2, 3]
    rec["b"] = [[1.5, 2.5], [3.5, 4.5], [5.5, 6.5]]
    rec["c"] = [b"x", b"yy", b"zzz"]
    return [
        ("f8", rng.standard_normal((4, 5))),
        ("i4be", np.arange(12, dtype=">i4").reshape(3, 4)),
        ("fortran", f),
        ("rec", rec),
        ("u", np.array(["héllo", "wörld"], dtype="<U5")),
        ("zero_d", np.array(3.25)),
        ("empty", np.zeros((0, 3), dtype="<f4")),
        ("b1", np.array([True, False, True])),
        ("dt", np.array(["2024-01-01T00:00", "NaT"], dtype="M8[ns]")),
    ]


def record(name, kind, arrs, members_raw=()):
    """Write refs for archive `name`, check np.load agrees, add to the manifest."""
    path = os.path.join(out, name + ".npz")
    members = []
    with np.load(path, allow_pickle=False) as z:
        for i, key in enumerate(z.files):
            full = z.zip.namelist()[i]
            v = z[key]
            if isinstance(v, bytes):
                ref = f"{name}__{i}.bin"
                with open(os.path.join(out, ref), "wb") as fh:
                    fh.write(v)
                assert dict(members_raw)[full] == v
            else:
                ref = f"{name}__{i}.npy"
                np.save(os.path.join(out, ref), v)
                src = arrs[key]
                assert v.dtype == src.dtype and v.shape == src.shape
                assert v.tobytes() == np.asarray(src).tobytes() or np.array_equal(v, src, equal_nan=True)
            members.append({"key": key, "full": full, "ref": ref})
    manifest.append({"name": name, "file": name + ".npz", "kind": kind, "members": members})


base = dict(arrays())

# np.savez: positional and named (keyword members come first), names with '/'.
pos = [np.arange(5, dtype="<i8"), np.linspace(0, 1, 7)]
kw = {"weights": base["f8"], "layer/bias": base["i4be"], "fortran": base["fortran"], "rec": base["rec"]}
np.savez(os.path.join(out, "savez_mixed.npz"), *pos, **kw)
record("savez_mixed", "savez", {**kw, "arr_0": pos[0], "arr_1": pos[1]})

np.savez(os.path.join(out, "savez_all.npz"), **base)
record("savez_all", "savez", base)

np.savez_compressed(os.path.join(out, "compressed_all.npz"), **base)
record("compressed_all", "savez_compressed", base)

# A larger compressed member (several MiB, compressible and random parts).
# "mixed" has 1 MiB stretches of random, zero and 99%-zero doubles, so the
# blocks libnpyio compresses in parallel use both of its compressors.
sparse = np.zeros(2 * 131072)
sparse[rng.integers(0, sparse.size, sparse.size // 100)] = rng.random(sparse.size // 100)
mixed = np.concatenate([rng.random(131072), np.zeros(131072), sparse, rng.random(131072)])
big = {
    "ramp": np.arange(1_000_000, dtype="<f8"),
    "noise": rng.standard_normal(300_000),
    "mixed": mixed,
}
np.savez_compressed(os.path.join(out, "compressed_big.npz"), **big)
record("compressed_big", "savez_compressed", big)

# Empty archive: just the end record.
np.savez(os.path.join(out, "empty.npz"))
record("empty", "savez", {})

# Members that are not .npy files, next to an array.
p = os.path.join(out, "non_npy.npz")
np.savez(p, a=base["f8"])
raw = [("readme.txt", b"not an array\n"), ("blob.npy", b"PK fake npy name, raw bytes")]
with zipfile.ZipFile(p, "a") as zf:
    for n, b in raw:
        zf.writestr(n, b)
record("non_npy", "other", {"a": base["f8"]}, raw)

# Every zip64 structure on a small archive: per-member zip64 extras in the
# central directory and the zip64 end record and locator.
saved = (zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT)
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 0, 0
try:
    np.savez(os.path.join(out, "zip64_all.npz"), **{k: base[k] for k in ("f8", "rec", "u")})
finally:
    zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = saved
record("zip64_all", "other", base)


class Unseekable(io.RawIOBase):
    """A write-only stream: zipfile falls back to data descriptors."""

    def __init__(self):
        self.buf = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.buf += b
        return len(b)


for kind, fn in (("stored", np.savez), ("deflate", np.savez_compressed)):
    s = Unseekable()
    fn(s, **{k: base[k] for k in ("f8", "fortran", "zero_d")})
    name = f"descriptor_{kind}"
    with open(os.path.join(out, name + ".npz"), "wb") as fh:
        fh.write(bytes(s.buf))
    with zipfile.ZipFile(os.path.join(out, name + ".npz")) as zf:
        assert all(i.flag_bits & 0x08 for i in zf.infolist())
    record(name, "other", base)

with open(os.path.join(out, "manifest.json"), "w") as fh:
    json.dump(manifest, fh, indent=1)
print(f"{len(manifest)} archives")
