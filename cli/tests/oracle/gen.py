"""NumPy makes the files the npyio CLI tests read, and says what to expect.

Usage: python gen.py OUTDIR

Writes arrays as .npy/.npz files into OUTDIR and OUTDIR/cases.json:
  print:  [{file, args, expected}]  `npyio ARGS FILE` must print `expected`
          (NumPy's own repr of the same elements under the same options)
  info:   [{file, expected}]        what NumPy reports about each file
"""
import io
import json
import os
import sys
import zipfile

import warnings

import numpy as np

warnings.simplefilter("ignore", RuntimeWarning)

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(12345)

print_cases = []
info_files = []


def path(name):
    return os.path.join(out, name)


def save(name, a, **kw):
    np.save(path(name), a, **kw)
    info_files.append(name)
    return name


def expect_head(name, a, n=10, **opts):
    """`npyio head -n N FILE [opts]` prints repr(a[:n]) under np.printoptions(opts)."""
    args = ["head", "-n", str(n)] + opt_args(opts)
    with np.printoptions(**opts):
        text = repr(a if a.ndim == 0 else a[:n]) + "\n"
    print_cases.append({"file": name, "args": args, "expected": text})


def expect_cat(name, a, sl=None, **opts):
    """`npyio cat FILE [--slice S] [opts]` prints repr(a[S]) with no summarising."""
    args = ["cat"] + opt_args(opts)
    view = a
    if sl is not None:
        args += ["--slice", sl]
        parts = [int(p) if p else None for p in sl.split(":")]
        if len(parts) == 1:
            view = a[parts[0]:(parts[0] + 1) or None]
        else:
            view = a[slice(*parts)]
    o = dict(opts)
    o.setdefault("threshold", sys.maxsize)
    with np.printoptions(**o):
        text = repr(view) + "\n"
    print_cases.append({"file": name, "args": args, "expected": text})


def opt_args(opts):
    args = []
    for k, v in opts.items():
        if k == "suppress":
            if v:
                args.append("--suppress")
        else:
            args += ["--" + k, str(v)]
    return args


def both(name, a, **opts):
    save(name, a)
    a = np.load(path(name))  # what the file holds (e.g. align=True is not stored)
    expect_head(name, a, **opts)
    if a.ndim:
        expect_head(name, a, n=3, **opts)
    expect_cat(name, a, **opts)


# -- booleans and integers ---------------------------------------------------
both("bool.npy", np.array([True, False, True]))
both("bool2d.npy", rng.random((4, 5)) > 0.5)
both("bool0d.npy", np.array(False))
for t in ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", ">i2", ">u4", ">i8"]:
    info = np.iinfo(np.dtype(t))
    a = np.array([info.min, 0, 7, info.max], dtype=t)
    both(f"int_{t.replace('>', 'be')}.npy", a)
both("ints2d.npy", rng.integers(-1000, 100000, size=(6, 7)))
both("int_sign.npy", np.array([3, 40, 500]), sign="+")
both("int_sign_sp.npy", np.array([3, -40, 500]), sign=" ")

# -- floats ------------------------------------------------------------------
f64_sets = {
    "simple": [1.5, 2.0, 1 / 3],
    "ints": [0.0, 1.0, 2.0, 3.0],
    "negzero": [-0.0, 0.0, 1.0],
    "special": [1.5, np.nan, -np.inf, np.inf],
    "allnan": [np.nan, np.nan],
    "allinf": [np.inf, -np.inf],
    "mixed": [1e-5, 1.0, 1e5],
    "big": [1e20, 2.5, -3e21],
    "tiny": [5e-324, 2.2250738585072014e-308, 1.0],
    "ratio": [1.0, 1000.0, 1000.5],
    "ratio2": [1.0, 1001.0],
    "cut": [1e8, 99999999.0],
    "round": [0.999999999, 0.12345678949, 9.9999999951],
    "small": [0.0001, 0.00010001],
    "neg": [-1.25, -100.5, 3.0],
}
for k, v in f64_sets.items():
    both(f"f64_{k}.npy", np.array(v, dtype="f8"))
for k in ["simple", "special", "mixed", "round", "negzero"]:
    for t in ["f4", "f2", ">f8", ">f4", "f16"]:
        both(f"{t.replace('>', 'be')}_{k}.npy", np.array(f64_sets[k], dtype=t))
both("f16_huge.npy", np.array([np.longdouble(10) ** 400, np.longdouble(1) / 3]))
both("f16_tiny.npy", np.array([np.longdouble(10) ** -400, np.longdouble(2)]))
for scale in [1e-12, 1e-3, 1.0, 1e3, 1e7, 1e15, 1e300]:
    a = rng.standard_normal((3, 4)) * scale
    both(f"f64_rand_{scale:g}.npy", a)
    both(f"f32_rand_{scale:g}.npy", a.astype("f4"))
both("f64_3d.npy", rng.standard_normal((2, 3, 4)))
both("f64_wide.npy", np.arange(40) * 1.5)
both("f64_fortran.npy", np.asfortranarray(rng.standard_normal((4, 3))))

# print options on floats
fopts = [
    {"precision": 3},
    {"precision": 0},
    {"floatmode": "fixed"},
    {"floatmode": "unique"},
    {"floatmode": "maxprec_equal"},
    {"floatmode": "fixed", "precision": 2},
    {"sign": "+"},
    {"sign": " "},
    {"suppress": True},
    {"linewidth": 40},
    {"threshold": 5, "edgeitems": 1},
    {"threshold": 5, "edgeitems": 2, "linewidth": 30},
]
for i, o in enumerate(fopts):
    for base in ["f64_simple", "f64_mixed", "f64_special", "f64_neg", "f64_rand_1e+07"]:
        a = np.load(path(base + ".npy"))
        expect_head(base + ".npy", a, **o)

# -- complex -----------------------------------------------------------------
cvals = [1 + 2j, -3.5 - 1e-3j, complex(np.nan, np.inf), complex(0, -0.0)]
for t in ["c8", "c16", "c32", ">c16"]:
    both(f"c_{t.replace('>', 'be')}.npy", np.array(cvals, dtype=t))
both("c_rand.npy", rng.standard_normal(6) + 1j * rng.standard_normal(6) * 1e-6)
expect_head("c_c16.npy", np.load(path("c_c16.npy")), sign="+")
expect_head("c_c16.npy", np.load(path("c_c16.npy")), floatmode="fixed", precision=3)

# -- strings -----------------------------------------------------------------
both("str.npy", np.array(["ab", "it's", 'say "hi"', "both ' \"", "é\n\t\\", "", "日本語", "\U0001f600", "\x00a"]))
both("str_be.npy", np.array(["abc", "xyz"], dtype=">U3"))
both("str2d.npy", np.array([["a", "bb"], ["ccc", "d"]]))
both("bytes.npy", np.array([b"ab", b"a\x00b", b"\xff\x7f", b"'", b"", b"\\\n"], dtype="S3"))
both("void.npy", np.array([b"\x00\x01\x02", b"abc"], dtype="V3"))
both("str_long.npy", np.array(["word%d" % i * 3 for i in range(30)]))
both("str0d.npy", np.array("zero-d"))

# -- datetimes ---------------------------------------------------------------
for u in ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as", "10ms", "3D"]:
    vals = [0, -1, 123456789, -98765432, "NaT"]
    if u == "Y":
        vals = [0, -1, -1971, 8030, "NaT"]
    both(f"dt_{u}.npy", np.array(vals, dtype="M8[%s]" % u))
both("dt_iso.npy", np.array(["2020-02-29T12:34:56.789", "NaT", "1969-07-20T20:17"], dtype="M8[ms]"))
both("dt_generic.npy", np.array(["NaT", "NaT"], dtype="M8"))
both("dt_nonat.npy", np.array(["2001-01-01", "1999-12-31"], dtype="M8[D]"))
both("td.npy", np.array([1, -20, 300, "NaT"], dtype="m8[s]"))
both("td_10ms.npy", np.array([1, 2], dtype="m8[10ms]"))
both("td_generic.npy", np.array([1, 2], dtype="m8"))

# -- structured --------------------------------------------------------------
rec = np.dtype([("a", "<i4"), ("b", ">f8"), ("c", "S3"), ("d", "?")])
both("rec.npy", np.array([(1, 2.5, b"x", True), (-2, 1e10, b"yy", False)], dtype=rec))
both("rec0d.npy", np.array((1, 2.5, b"x", True), dtype=rec))
both("rec1.npy", np.array([(1.5,), (2.0,)], dtype=[("only", "f8")]))
both("rec_nested.npy", np.zeros(3, dtype=[("pos", [("x", "f4"), ("y", "f4")]), ("id", "u2")]))
both("rec_sub.npy", np.array([(1, [[1.5, 2], [3, 4]]), (2, [[5, 6], [7, 8.25]])], dtype=[("n", "i2"), ("m", "f8", (2, 2))]))
both("rec_bigsub.npy", np.zeros(2, dtype=[("v", "i4", (1200,))]))
both("rec_titles.npy", np.zeros(2, dtype=np.dtype({"names": ["a", "b"], "formats": ["i4", "f4"], "titles": ["Alpha", None]})))
both("rec_padded.npy", np.zeros(2, dtype=np.dtype({"names": ["a", "b"], "formats": ["<i4", "<i4"], "offsets": [1, 6], "itemsize": 12})))
both("rec_aligned.npy", np.zeros(2, dtype=np.dtype([("a", "i1"), ("b", "i4"), ("c", "i1")], align=True)))
both("rec_mixed.npy", np.array([("2020-01-01", "é", 1 + 1j, 1e-9), ("NaT", "", -1j, 3.0)], dtype=[("t", "M8[D]"), ("s", "U2"), ("z", "c8"), ("f", ">f4")]))
both("rec_subrec.npy", np.zeros(2, dtype=[("p", [("x", "i1"), ("y", "f8")], (2,))]))
both("rec_many.npy", np.array([(i, i * 0.5) for i in range(2000)], dtype=[("i", "i4"), ("x", "f8")]))

# -- shapes ------------------------------------------------------------------
both("empty1.npy", np.zeros((0,)))
both("empty2.npy", np.zeros((0, 3), dtype="i4"))
both("empty3.npy", np.zeros((2, 0)))
both("f0d.npy", np.array(2.5))
both("i0d.npy", np.array(7, dtype="u2"))
both("arange2000.npy", np.arange(2000))
both("grid.npy", rng.standard_normal((100, 100)))
both("cube.npy", np.arange(1000.0).reshape(10, 10, 10))
both("small3d.npy", np.arange(24).reshape(4, 3, 2))
both("four_d.npy", np.arange(2 * 3 * 2 * 2).reshape(2, 3, 2, 2).astype("f4"))
expect_head("arange2000.npy", np.arange(2000), n=-1990)
expect_head("grid.npy", np.load(path("grid.npy")), n=0)
expect_head("small3d.npy", np.arange(24).reshape(4, 3, 2), n=-1)
for sl in ["2:8", "-3:", "::-2", "5", "1:100:7", "-1", "10:2"]:
    expect_cat("arange2000.npy", np.arange(2000), sl=sl)
expect_cat("small3d.npy", np.arange(24).reshape(4, 3, 2), sl="::-1")
expect_cat("f64_fortran.npy", np.load(path("f64_fortran.npy")), sl="1:3")

# -- digits of every float16, random float32/float64 ----------------------------
h = np.arange(65536, dtype=np.uint16).view(np.float16)
h = h[np.isfinite(h)]
save("f16_all_positional.npy", h[np.abs(h) < 1000])
expect_cat("f16_all_positional.npy", h[np.abs(h) < 1000], suppress=True, floatmode="unique")
save("f16_all.npy", h)
expect_cat("f16_all.npy", h, floatmode="unique")
bits = rng.integers(0, 2**32, size=20000, dtype=np.uint64).astype(np.uint32).view(np.float32)
bits = bits[np.isfinite(bits)]
save("f32_bits.npy", bits)
expect_cat("f32_bits.npy", bits, floatmode="unique")
pos32 = (rng.random(20000) * 10.0 ** rng.integers(-3, 6, 20000)).astype(np.float32)
save("f32_positional.npy", pos32)
expect_cat("f32_positional.npy", pos32, suppress=True, floatmode="unique")
expect_cat("f32_positional.npy", pos32, suppress=True)
bits = rng.integers(0, 2**63, size=20000, dtype=np.uint64).view(np.float64)
bits = bits[np.isfinite(bits)] * np.where(rng.random(bits[np.isfinite(bits)].size) < 0.5, -1, 1)
save("f64_bits.npy", bits)
expect_cat("f64_bits.npy", bits, floatmode="unique")
expect_cat("f64_bits.npy", bits)
pos64 = rng.random(20000) * 10.0 ** rng.integers(-4, 8, 20000)
save("f64_positional.npy", pos64)
expect_cat("f64_positional.npy", pos64, suppress=True, floatmode="unique")
expect_cat("f64_positional.npy", pos64, suppress=True)
ld = (rng.standard_normal(300).astype(np.longdouble) / 3) * np.longdouble(10) ** rng.integers(-30, 30, 300)
save("f128_rand.npy", ld)
expect_cat("f128_rand.npy", ld, floatmode="unique")
save("f128_positional.npy", ld[np.abs(ld) < 1e7])
expect_cat("f128_positional.npy", ld[np.abs(ld) < 1e7], suppress=True, floatmode="unique")

# -- an archive: head on members ------------------------------------------------
np.savez(path("arch.npz"), x=np.arange(5), y=np.eye(2), s=np.array(["a"]))
info_files.append("arch.npz")
print_cases.append({"file": "arch.npz:y", "args": ["head"], "expected": repr(np.eye(2)) + "\n"})
np.savez_compressed(path("archc.npz"), big=np.arange(3000.0), rec=np.load(path("rec.npy")), f=np.asfortranarray(np.arange(6).reshape(2, 3)))
info_files.append("archc.npz")
print_cases.append({"file": "archc.npz:big", "args": ["head", "-n", "2000"], "expected": repr(np.arange(2000.0)) + "\n"})
print_cases.append({"file": "archc.npz:f", "args": ["cat"], "expected": repr(np.arange(6).reshape(2, 3)) + "\n"})

# -- format versions ------------------------------------------------------------
for v in [(1, 0), (2, 0), (3, 0)]:
    name = "v%d.npy" % v[0]
    a = np.array([(1.5,)], dtype=[("温度", "f8")]) if v[0] == 3 else np.arange(3)
    with open(path(name), "wb") as fh:
        np.lib.format.write_array(fh, a, version=v)
    info_files.append(name)

# -- what NumPy reports about every file ------------------------------------------


def array_facts(fh):
    version = np.lib.format.read_magic(fh)
    read = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    if version in read:
        shape, fortran, dtype = read[version](fh, max_header_size=2**64)
    else:
        from numpy.lib import _format_impl
        shape, fortran, dtype = _format_impl._read_array_header(fh, version, max_header_size=2**64)
    return {
        "version": "%d.%d" % version,
        "shape": list(shape),
        "fortran_order": bool(fortran),
        "data_offset": fh.tell(),
        "dtype_str": dtype.str,
        "dtype_repr": repr(dtype),
        "descr": repr(np.lib.format.dtype_to_descr(dtype)),
        "itemsize": dtype.itemsize,
        "nbytes": int(np.prod(shape, dtype=np.int64)) * dtype.itemsize,
    }


info_cases = []
for name in info_files:
    p = path(name)
    if name.endswith(".npz"):
        members = []
        with zipfile.ZipFile(p) as zf:
            for zi in zf.infolist():
                with zf.open(zi) as fh:
                    facts = array_facts(io.BytesIO(fh.read()))
                facts.update({
                    "name": zi.filename,
                    "compression": {0: "stored", 8: "deflate"}[zi.compress_type],
                    "size": zi.file_size,
                    "compressed_size": zi.compress_size,
                    "crc32": "%08x" % zi.CRC,
                })
                members.append(facts)
        info_cases.append({"file": name, "kind": "npz", "members": members})
    else:
        with open(p, "rb") as fh:
            facts = array_facts(fh)
        facts.update({"file": name, "kind": "npy"})
        info_cases.append(facts)

with open(path("cases.json"), "w") as fh:
    json.dump({"print": print_cases, "info": info_cases}, fh)
print(len(print_cases), "print cases,", len(info_cases), "info cases")
