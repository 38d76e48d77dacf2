#!/usr/bin/env python3
"""Generate reference .npy files plus a manifest for libnpyio's tests.

Usage: python gen_npy.py OUTDIR

Every case is written, re-read with np.load(allow_pickle=False) and checked
against its source array before it goes into OUTDIR/manifest.json.
See README.md in this directory for the manifest schema.
"""
import ast
import io
import json
import os
import re
import shutil
import struct
import sys
import warnings

import numpy as np
from numpy.lib import format as npformat

LITTLE_HOST = sys.byteorder == "little"
X87_LONGDOUBLE = (np.dtype(np.longdouble).itemsize == 16
                  and np.finfo(np.longdouble).nmant == 63)
BIG_HEADER = 2 ** 62  # max_header_size used when loading (2.0 files need it)


# ---------------------------------------------------------------------------
# byte-order helpers
# ---------------------------------------------------------------------------

def swap_segments(dt, base=0):
    """Yield (offset, unit, count) for each run of multi-byte scalars in one
    element of dtype `dt` that must be byte-swapped to reach host order."""
    if dt.names is not None:
        for name in dt.names:
            fdt, off = dt.fields[name][:2]
            yield from swap_segments(fdt, base + off)
        return
    if dt.subdtype is not None:
        sub, shape = dt.subdtype
        n = int(np.prod(shape, dtype=np.int64))
        for k in range(n):
            yield from swap_segments(sub, base + k * sub.itemsize)
        return
    if dt.isnative or dt.itemsize <= 1:
        return
    kind = dt.kind
    if kind in "SVO":
        return
    if kind == "c":
        half = dt.itemsize // 2
        yield (base, half, 2)
    elif kind == "U":
        yield (base, 4, dt.itemsize // 4)
    elif kind in "biufmM":
        yield (base, dt.itemsize, 1)
    else:
        raise ValueError("unexpected dtype kind %r" % kind)


def to_native_bytes(data, dt):
    """Convert element bytes `data` (any element order) stored with dtype
    `dt` to host byte order, leaving padding / void / S bytes untouched."""
    if len(data) == 0:
        return b""
    assert len(data) % dt.itemsize == 0
    n = len(data) // dt.itemsize
    buf = np.frombuffer(data, dtype=np.uint8).reshape(n, dt.itemsize).copy()
    for off, unit, count in swap_segments(dt):
        width = unit * count
        seg = buf[:, off:off + width].reshape(n, count, unit)
        buf[:, off:off + width] = seg[:, :, ::-1].reshape(n, width)
    return buf.tobytes()


def native_dtype(dt):
    """Same layout as dt (offsets, itemsize, titles), host byte order."""
    if dt.names is not None:
        names, formats, offsets, titles = [], [], [], []
        for name in dt.names:
            f = dt.fields[name]
            names.append(name)
            formats.append(native_dtype(f[0]))
            offsets.append(f[1])
            titles.append(f[2] if len(f) > 2 else None)
        spec = {"names": names, "formats": formats, "offsets": offsets,
                "itemsize": dt.itemsize}
        if any(t is not None for t in titles):
            spec["titles"] = titles
        return np.dtype(spec)
    if dt.subdtype is not None:
        sub, shape = dt.subdtype
        return np.dtype((native_dtype(sub), shape))
    if dt.byteorder in "|=":
        return dt
    return dt.newbyteorder("=")


def has_longdouble(dt):
    if dt.names is not None:
        return any(has_longdouble(dt.fields[n][0]) for n in dt.names)
    if dt.subdtype is not None:
        return has_longdouble(dt.subdtype[0])
    return dt.kind in "fc" and dt.itemsize in (16, 32) and (
        dt.kind == "f" or dt.itemsize == 32)


def _as_i8(x):
    order = "<" if x.dtype.byteorder == "=" else x.dtype.byteorder
    return x.view(np.dtype(order + "i8")).astype("<i8")


def values_equal(x, y):
    """Value equality of two arrays whose dtypes differ at most in byte
    order, recursing into fields; NaN- and NaT-aware."""
    dt = x.dtype
    assert x.dtype.kind == y.dtype.kind
    if x.shape != y.shape:
        return False
    if dt.names:
        return all(values_equal(x[n], y[n]) for n in dt.names)
    if dt.kind == "V":  # raw void, or a record without fields
        return c_bytes_of(x) == c_bytes_of(y)
    if dt.kind in "fc":
        return bool(np.array_equal(x, y, equal_nan=True))
    if dt.kind in "mM":
        # compare the int64 payloads (NaT = int64 min).  Not isnat/astype:
        # numpy 2.4.6 mishandles big-endian generic '>M8' (isnat is False for
        # a stored NaT and astype('<M8') does not swap).
        return bool(np.array_equal(_as_i8(x), _as_i8(y)))
    return bool(np.array_equal(x, y))


# ---------------------------------------------------------------------------
# file helpers
# ---------------------------------------------------------------------------

def parse_npy(blob):
    """Return (version, header_len, data_offset, header_text, header_dict)."""
    assert blob[:6] == b"\x93NUMPY", "bad magic"
    version = (blob[6], blob[7])
    if version == (1, 0):
        (hlen,) = struct.unpack("<H", blob[8:10])
        start = 10
    elif version in ((2, 0), (3, 0)):
        (hlen,) = struct.unpack("<I", blob[8:12])
        start = 12
    else:
        raise AssertionError("unexpected version %r" % (version,))
    raw_header = blob[start:start + hlen]
    text = raw_header.decode("utf-8" if version == (3, 0) else "latin-1")
    try:
        d = ast.literal_eval(text)
    except SyntaxError:
        # Python 2 long suffix, e.g. (2L, 3L)
        d = ast.literal_eval(re.sub(r"(?<=\d)L\b", "", text))
    assert isinstance(d, dict) and set(d) == {"descr", "fortran_order",
                                              "shape"}, d
    return version, hlen, start + hlen, text, d


def mem_bytes(x, fortran=None):
    """Element bytes in C order (or Fortran order if fortran), taken from
    memory without a numpy copy when possible.  numpy copies structured
    arrays field by field, so a copy does NOT keep padding bytes."""
    if fortran is None:
        fortran = x.ndim > 1 and not x.flags.c_contiguous \
            and x.flags.f_contiguous
    if fortran:
        if x.T.flags.c_contiguous:
            return x.T.tobytes()
        return np.asfortranarray(x).tobytes(order="F")
    if x.flags.c_contiguous:
        return x.tobytes()
    return np.ascontiguousarray(x).tobytes()


def c_bytes_of(x):
    """C-order element bytes of x, keeping padding where x is contiguous."""
    if x.flags.c_contiguous:
        return x.tobytes()
    if x.flags.f_contiguous:
        return c_from_stored(x.T.tobytes(), x.shape, x.dtype.itemsize, True)
    return np.ascontiguousarray(x).tobytes()


def ordered_bytes(a, fortran):
    return mem_bytes(a, fortran)


def c_from_stored(data, shape, itemsize, fortran):
    """Permute stored element bytes (Fortran order if fortran) into C order,
    byte for byte (keeps padding)."""
    nd = len(shape)
    if not fortran or nd <= 1 or len(data) == 0:
        return data
    u = np.frombuffer(data, np.uint8).reshape(tuple(shape[::-1]) + (itemsize,))
    u = u.transpose(list(range(nd))[::-1] + [nd])
    return np.ascontiguousarray(u).tobytes()


def has_padding(dt):
    """True if some bytes of dt are not covered by any (leaf) field."""
    if dt.names is None:
        if dt.subdtype is not None:
            return has_padding(dt.subdtype[0])
        return False
    if len(dt.names) == 0:
        return True
    cover = np.zeros(dt.itemsize, bool)
    for n in dt.names:
        fdt, off = dt.fields[n][:2]
        if has_padding(fdt):
            return True
        cover[off:off + fdt.itemsize] = True
    return not cover.all()


def wrap_header(text, version=(1, 0), align=64):
    """Pad header text with spaces + '\\n' so the data offset is aligned
    (pad length in 1..align), and prepend magic/version/length."""
    enc = text.encode("utf-8" if version == (3, 0) else "latin-1")
    lenfield = 2 if version == (1, 0) else 4
    pad = align - ((8 + lenfield + len(enc) + 1) % align)
    body = enc + b" " * pad + b"\n"
    fmt = "<H" if version == (1, 0) else "<I"
    return (b"\x93NUMPY" + bytes(version) + struct.pack(fmt, len(body))
            + body)


# ---------------------------------------------------------------------------
# case registry
# ---------------------------------------------------------------------------

class Gen:
    def __init__(self, outdir):
        self.outdir = outdir
        self.cases = []
        self.names = set()

    def _path(self, fname):
        return os.path.join(self.outdir, fname)

    def save(self, name, arr, note=None):
        """np.save the array; save_exact = True."""
        path = self._path(name + ".npy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.save(path, arr, allow_pickle=False)
        expect_f = (not arr.flags.c_contiguous) and arr.flags.f_contiguous
        self._finish(name, arr, expect_f, True, note)

    def write_array(self, name, arr, version, note=None):
        path = self._path(name + ".npy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with open(path, "wb") as f:
                npformat.write_array(f, arr, version=version,
                                     allow_pickle=False)
        expect_f = (not arr.flags.c_contiguous) and arr.flags.f_contiguous
        self._finish(name, arr, expect_f, False, note)

    def handmade(self, name, header_text, arr, fortran, version=(1, 0),
                 align=64, note=None):
        blob = wrap_header(header_text, version, align)
        blob += ordered_bytes(arr, fortran)
        with open(self._path(name + ".npy"), "wb") as f:
            f.write(blob)
        self._finish(name, arr, fortran, False, note)

    def _finish(self, name, arr, expect_fortran, save_exact, note):
        assert re.fullmatch(r"[A-Za-z0-9_]+", name), name
        assert name not in self.names, name
        self.names.add(name)
        fname = name + ".npy"
        path = self._path(fname)
        with open(path, "rb") as f:
            blob = f.read()
        version, hlen, data_offset, text, hdr = parse_npy(blob)
        dt = arr.dtype
        descr = npformat.dtype_to_descr(dt)
        fortran = hdr["fortran_order"]
        assert fortran is expect_fortran, (name, fortran, expect_fortran)
        assert tuple(hdr["shape"]) == arr.shape, (name, hdr["shape"])
        assert np.dtype(npformat.descr_to_dtype(hdr["descr"])) == \
            npformat.descr_to_dtype(descr), name
        if save_exact:
            # np.save's text for the descr is exactly repr(descr)
            assert ("'descr': " + repr(descr) + ", ") in text, name

        raw = blob[data_offset:]
        assert raw == ordered_bytes(arr, fortran), name + ": raw mismatch"

        # numpy must load it and get the same array back
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            loaded = np.load(path, allow_pickle=False,
                             max_header_size=BIG_HEADER)
        assert loaded.dtype == dt, (name, loaded.dtype, dt)
        assert repr(npformat.dtype_to_descr(loaded.dtype)) == repr(descr)
        assert loaded.shape == arr.shape, name
        if loaded.ndim > 1:
            assert np.isfortran(loaded) == (fortran and not
                                            loaded.flags.c_contiguous), name
        assert ordered_bytes(loaded, fortran) == raw, name
        c_bytes = c_from_stored(raw, arr.shape, dt.itemsize, fortran)
        assert mem_bytes(loaded, False) == c_bytes or has_padding(dt), name
        if not has_padding(dt):
            # the brief's definition of c_order
            assert np.ascontiguousarray(arr).tobytes() == c_bytes, name
        assert values_equal(
            np.frombuffer(c_bytes, dt).reshape(arr.shape), loaded), name
        assert values_equal(loaded, arr), name

        if save_exact:
            # re-saving what numpy loaded must reproduce the file
            buf = io.BytesIO()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                np.save(buf, loaded, allow_pickle=False)
            assert buf.getvalue() == blob, name + ": resave differs"

        native = to_native_bytes(raw, dt)
        c_native = to_native_bytes(c_bytes, dt)

        # --- verify the native conversion ---
        ndt = native_dtype(dt)
        assert ndt == dt.newbyteorder("=") or not _uniform_order(dt), name
        assert ndt.itemsize == dt.itemsize
        nat_arr = np.frombuffer(c_native, dtype=ndt).reshape(arr.shape)
        assert values_equal(nat_arr, arr), \
            name + ": native values differ"
        nat_arr_f = np.frombuffer(native, dtype=ndt)
        if fortran:
            nat_arr_f = nat_arr_f.reshape(arr.shape[::-1]).T
        else:
            nat_arr_f = nat_arr_f.reshape(arr.shape)
        assert values_equal(nat_arr_f, nat_arr), name
        if _uniform_order(dt) == "swap":
            assert arr.copy(order="C").byteswap().tobytes() == \
                c_native, name + ": numpy byteswap disagrees"
        elif _uniform_order(dt) == "none":
            assert c_native == c_bytes and native == raw, name

        files = {}
        for key, ext, data in (("raw", "raw", raw), ("native", "native", native),
                               ("c_order", "c", c_bytes),
                               ("c_native", "cnative", c_native)):
            files[key] = name + "." + ext
            with open(self._path(files[key]), "wb") as f:
                f.write(data)

        entry = {
            "name": name,
            "file": fname,
            "descr": repr(descr),
            "shape": list(arr.shape),
            "fortran_order": fortran,
            "version": list(version),
            "header_len": hlen,
            "data_offset": data_offset,
            "itemsize": dt.itemsize,
            "count": int(arr.size),
            "raw": files["raw"],
            "native": files["native"],
            "c_order": files["c_order"],
            "c_native": files["c_native"],
            "save_exact": save_exact,
            "header": text,
        }
        if note:
            entry["note"] = note
        self.cases.append(entry)


def _uniform_order(dt):
    """'swap' if every multi-byte scalar in dt is non-native, 'none' if none
    is, None if mixed."""
    orders = set()

    def walk(d):
        if d.names is not None:
            for n in d.names:
                walk(d.fields[n][0])
        elif d.subdtype is not None:
            walk(d.subdtype[0])
        elif d.itemsize > 1 and d.kind not in "SVO":
            orders.add(d.isnative)

    walk(dt)
    if orders == {False}:
        return "swap"
    if orders <= {True}:
        return "none"
    return None


# ---------------------------------------------------------------------------
# data builders
# ---------------------------------------------------------------------------

def swap_units(arr, unit):
    """Reverse each `unit`-byte group of arr's buffer; return bytes."""
    b = np.frombuffer(mem_bytes(arr), np.uint8)
    return b.reshape(-1, unit)[:, ::-1].tobytes()


def longdouble_array(values, big=False):
    a = np.array(values, dtype=np.longdouble)
    b = np.frombuffer(a.tobytes(), np.uint8).reshape(-1, 16).copy()
    if X87_LONGDOUBLE:
        b[:, 10:] = 0
    le = np.frombuffer(b.tobytes(), "<f16")
    if big:
        return np.frombuffer(swap_units(le, 16), ">f16")
    return le.copy()


def clongdouble_array(values, big=False):
    a = np.array(values, dtype=np.clongdouble)
    b = np.frombuffer(a.tobytes(), np.uint8).reshape(-1, 32).copy()
    if X87_LONGDOUBLE:
        b[:, 10:16] = 0
        b[:, 26:32] = 0
    le = np.frombuffer(b.tobytes(), "<c32")
    if big:
        return np.frombuffer(swap_units(le, 16), ">c32")
    return le.copy()


def gen_all(g):
    rng = np.random.default_rng(20240611)

    def both(name, arr_le):
        """save little-endian and big-endian versions."""
        g.save(name + "_le", arr_le.astype(arr_le.dtype.newbyteorder("<")))
        g.save(name + "_be", arr_le.astype(arr_le.dtype.newbyteorder(">")))

    # ---------------- scalar dtypes ----------------
    g.save("b1", np.array([True, False, True, True, False, False, True]))
    g.save("i1", np.array([-128, -1, 0, 1, 127, 42, -7], dtype="i1"))
    g.save("u1", np.array([0, 1, 127, 128, 255, 42, 7], dtype="u1"))
    for code in ("i2", "i4", "i8", "u2", "u4", "u8"):
        info = np.iinfo(code)
        vals = np.concatenate([
            np.array([info.min, info.max, 0, 1], dtype=code),
            rng.integers(info.min, info.max, size=5, dtype=code,
                         endpoint=True)])
        both(code, vals)
    specials = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -2.5]
    for code in ("f2", "f4", "f8"):
        vals = np.concatenate([np.array(specials, dtype=code),
                               rng.standard_normal(5).astype(code)])
        both(code, vals)
    # a 2-D f8 case like the example in the brief
    g.save("f8_le_2d", rng.standard_normal((3, 4)).astype("<f8"))
    g.save("f8_be_2d", rng.standard_normal((3, 4)).astype(">f8"))

    ld_vals = [np.longdouble(1) / 3, -np.longdouble(2) / 7, np.nan, np.inf,
               -np.inf, -0.0, 1e300, np.longdouble("1e-4000")
               if X87_LONGDOUBLE else 1e-300]
    g.save("f16_le", longdouble_array(ld_vals))
    g.save("f16_be", longdouble_array(ld_vals, big=True))

    cvals = [1 + 2j, -0.5 - 0.25j, complex(np.nan, 1), complex(1, np.inf),
             complex(-np.inf, np.nan), complex(-0.0, 0.0), 3j]
    both("c8", np.array(cvals, dtype="c8"))
    both("c16", np.array(cvals, dtype="c16")
         + 1e-9 * rng.standard_normal(len(cvals)))
    c32_vals = np.array(cvals, dtype=np.clongdouble)
    c32_vals[0] = np.longdouble(1) / 3 + 1j * (np.longdouble(2) / 3)
    g.save("c32_le", clongdouble_array(c32_vals))
    g.save("c32_be", clongdouble_array(c32_vals, big=True))

    g.save("S5", np.array([b"abc", b"a\x00b", b"\x00\x00x", b"hello", b"",
                           b"\xff\x01\x00\x02", b"xy\x00\x00z"], dtype="S5"))
    u_vals = np.array(["héllo", "温度", "😀x", "", "abc", "Ωmega", "a\x00b"],
                      dtype="U5")
    both("U5", u_vals)
    g.save("V8", np.frombuffer(rng.bytes(8 * 6), dtype="V8"))

    nat = np.datetime64("NaT")
    both("M8ns", np.array(["2024-01-02T03:04:05.123456789", "NaT",
                           "1969-12-31T23:59:59.999999999",
                           "1677-09-22T00:12:43.145224194", "2262-04-11"],
                          dtype="M8[ns]"))
    both("M8D", np.array(["2024-02-29", "NaT", "1900-01-01", "-0100-03-01",
                          "9999-12-31"], dtype="M8[D]"))
    both("M8s", np.array(["2024-01-02T03:04:05", "NaT", "1970-01-01T00:00:00",
                          "1901-12-13T20:45:52"], dtype="M8[s]"))
    both("M8_10ms", np.array(["2024-01-02T03:04:05.120", "NaT",
                              "1970-01-01T00:00:00.010"], dtype="M8[10ms]"))
    gen_nat = np.array([nat, nat, nat], dtype="M8")
    g.save("M8_generic_le", gen_nat)
    # np.array(..., dtype='>M8') and astype('>M8') silently give '<M8' for
    # generic units, so build the big-endian array from swapped bytes.
    gen_nat_be = np.frombuffer(swap_units(gen_nat, 8), ">M8")
    assert gen_nat_be.dtype.str == ">M8"
    g.save("M8_generic_be", gen_nat_be)
    both("m8us", np.array([0, 1, -1, 123456789012, "NaT"], dtype="m8[us]"))
    both("m8_25s", np.array([0, 4, -3, "NaT", 2 ** 40], dtype="m8[25s]"))

    # ---------------- orders / shapes ----------------
    g.save("f4_fortran_2d", np.asfortranarray(
        np.arange(12, dtype="<f4").reshape(3, 4)))
    g.save("i2_be_fortran_3d", np.asfortranarray(
        np.arange(24, dtype=">i2").reshape(2, 3, 4)))
    g.save("c16_fortran_3d", np.asfortranarray(
        (np.arange(30) + 1j * np.arange(30)[::-1]).reshape(3, 2, 5)))
    g.save("f8_0d", np.array(3.25, dtype="<f8"))
    g.save("i4_be_0d", np.array(-123456, dtype=">i4"))
    g.save("U5_0d", np.array("温度ok", dtype="<U5"))
    g.save("f8_empty_1d", np.zeros((0,), dtype="<f8"))
    g.save("i4_empty_3d", np.zeros((3, 0, 2), dtype="<i4"))
    g.save("i2_empty_1d_be", np.zeros((0,), dtype=">i2"))
    # numpy calls every empty array C-contiguous, so np.save never writes a
    # Fortran empty array: hand-craft the header.
    g.handmade("f8_empty_fortran_2d",
               "{'descr': '<f8', 'fortran_order': True, 'shape': (0, 5), }"
               + " " * (21 - len("5")),
               np.zeros((0, 5), dtype="<f8", order="F"), fortran=True,
               note="np.save cannot write fortran_order True for an empty "
                    "array; header in np.save style")
    g.save("i4_1d", np.arange(5, dtype="<i4"))
    g.save("i4_2d", np.arange(6, dtype="<i4").reshape(2, 3))
    g.save("i4_3d", np.arange(24, dtype="<i4").reshape(2, 3, 4))
    g.save("i4_4d", np.arange(12, dtype="<i4").reshape(2, 1, 3, 2))
    g.save("i4_5d", np.arange(12, dtype="<i4").reshape(1, 2, 3, 1, 2))
    shape32 = [1] * 32
    for k in (0, 7, 19, 31):
        shape32[k] = 2
    a32 = np.arange(16, dtype="<u2").reshape(shape32)
    g.save("u2_32d", a32)
    g.save("u2_32d_fortran", a32.T)  # transpose: F-contiguous
    src = np.arange(48, dtype="<i8").reshape(6, 8)
    g.save("i8_noncontig", src[::2, ::-1])
    src2 = np.arange(15, dtype="<f8").reshape(3, 5)
    g.save("f8_transposed_view", src2.T)
    g.save("u1_2x1_both_contig", np.arange(2, dtype="u1").reshape(2, 1))

    # ---------------- structured ----------------
    def rec_random(dt, shape):
        n = int(np.prod(shape, dtype=np.int64))
        return np.frombuffer(rng.bytes(n * dt.itemsize), dtype=dt).reshape(shape)

    d = np.dtype([("a", "<i4"), ("b", "<f8"), ("c", "S3")])
    g.save("rec_simple", np.array([(1, 1.5, b"ab"), (-2, np.nan, b"x\x00y"),
                                   (3, -np.inf, b"")], dtype=d))
    d = np.dtype([("id", "<u2"), ("pos", [("x", "<f4"), ("y", "<f4")]),
                  ("tag", "S2")])
    g.save("rec_nested", np.array([(1, (0.5, -0.5), b"ab"),
                                   (2, (1.5, 2.5), b"c")], dtype=d))
    d = np.dtype([("x", "<f8", (2, 3)), ("n", "<i2")])
    g.save("rec_subarray", np.array(
        [(np.arange(6).reshape(2, 3), 7), (-np.arange(6).reshape(2, 3), -7)],
        dtype=d))
    d = np.dtype([("pts", [("a", "<i2"), ("b", ">f4")], (3,)), ("k", "u1")])
    g.save("rec_subarray_of_records", rec_random(d, (4,)))
    d = np.dtype([("c", ("<f8", (5,)), (2,))])
    g.save("rec_subarray_of_subarray",
           np.arange(30, dtype="<f8").view(d).reshape(3))
    d_al = np.dtype([("a", "i1"), ("b", "i1")], align=True)
    d = np.dtype([("x", ([("a", "i1"), ("b", ">i4")], (3,)), (2,))])
    g.save("rec_subsub_of_records", rec_random(d, (2,)))
    d = np.dtype([(("title", "name"), "<i4"), ("plain", "<f4"),
                  (("Long title é", "t2"), ">u2")])
    g.save("rec_titles", rec_random(d, (3,)))
    d = np.dtype({"names": ["a", "b"], "formats": ["<i4", "<i4"],
                  "offsets": [1, 6], "itemsize": 12})
    g.save("rec_offsets_padding", rec_random(d, (3,)))
    # (fields whose offsets are out of order cannot be saved at all:
    #  dtype.descr raises ValueError, so there is no such case here)
    d = np.dtype([("a", "i1"), ("b", "<i4"), ("c", "i1")], align=True)
    g.save("rec_align", rec_random(d, (3,)))
    d = np.dtype([("a", "i1"), ("s", d_al), ("c", "<f8")], align=True)
    g.save("rec_align_nested", rec_random(d, (2,)))
    # padded records in a Fortran array: built as a transposed view of a
    # deterministic buffer (np.asfortranarray would copy field by field and
    # lose the padding bytes)
    d = np.dtype([("a", "i1"), ("b", ">i4"), ("c", "<i2")], align=True)
    g.save("rec_align_fortran_2d", rec_random(d, (4, 3)).T)
    d = np.dtype({"names": [], "formats": [], "itemsize": 8})
    g.save("rec_nofields_8_fortran_2d", rec_random(d, (3, 2)).T)
    d = np.dtype({"names": [], "formats": [], "itemsize": 8})
    g.save("rec_nofields_8", rec_random(d, (3,)))
    d = np.dtype([("a", "<i4"), ("b", ">i4"), ("c", ">f8"), ("d", "<c8"),
                  ("e", ">U2"), ("f", [("g", ">i2"), ("h", "<i2")]),
                  ("m", ">M8[s]"), ("t", "<m8[ms]"), ("z", ">c16"),
                  ("v", "V3"), ("bb", "?"), ("q", ">u8", (2,))])
    mixed = np.zeros(4, dtype=d)
    mixed["a"] = [1, -1, 2 ** 31 - 1, -2 ** 31]
    mixed["b"] = [5, 6, -7, 8]
    mixed["c"] = [np.nan, 1.5, -np.inf, 1e-310]
    mixed["d"] = [1 + 2j, complex(np.nan, -1), 0, -3j]
    mixed["e"] = ["é", "温度", "", "ab"]
    mixed["f"]["g"] = [1, 2, 3, -4]
    mixed["f"]["h"] = [-1, -2, 300, 4]
    mixed["m"] = np.array(["2020-01-01T00:00:01", "NaT", "1960-01-01",
                           "2100-01-01"], dtype="M8[s]")
    mixed["t"] = np.array([1, "NaT", -5, 0], dtype="m8[ms]")
    mixed["z"] = [1.25 - 2j, complex(np.inf, 0), 0, complex(-0.0, -0.0)]
    mixed["v"] = np.frombuffer(b"\x01\x02\x03" * 4, "V3")
    mixed["bb"] = [True, False, True, False]
    mixed["q"] = [[1, 2 ** 64 - 1], [3, 4], [5, 6], [7, 8]]
    g.save("rec_mixed_endian", mixed)
    dld = np.dtype([("x", "<f16"), ("y", ">f16"), ("z", ">c32"),
                    ("w", "<c32"), ("i", ">i2")])
    ld = np.zeros(3, dtype=dld)
    ld["x"] = longdouble_array([1.0, np.longdouble(1) / 3, np.nan])
    ld["y"] = longdouble_array([-2.0, np.inf, np.longdouble(2) / 3], big=True)
    ld["z"] = clongdouble_array([1 + 1j, complex(np.nan, 2), 3j], big=True)
    ld["w"] = clongdouble_array([np.longdouble(1) / 7, -1j, 0])
    ld["i"] = [1, -2, 3]
    g.save("rec_longdouble", ld)
    d = np.dtype([("é", "<i4"), ("b", ">f4")])
    g.save("rec_latin1_name", np.array([(1, 2.0), (-3, -4.5)], dtype=d),
           note="latin-1 field name stays in a 1.0 header as byte 0xE9")
    d = np.dtype([("温度", "<f4"), ("x", "i1")])
    g.save("rec_utf8_name_v3", np.array([(21.5, 1), (-3.0, 2)], dtype=d),
           note="non-latin-1 field name forces version 3.0")
    d = np.dtype([("f%04d" % k, "i1") for k in range(4000)])
    big = np.frombuffer(rng.bytes(2 * d.itemsize), dtype=d)
    g.save("rec_4000_fields_v2", big,
           note="header > 65535 bytes forces version 2.0; np.load needs "
                "max_header_size > 10000 to read it")
    d = np.dtype([("a", ">i4"), ("b", "<f8"), ("s", "S3")])
    g.save("rec_fortran_2d", np.asfortranarray(rec_random(d, (3, 4))))
    d = np.dtype([("p", [("x", "<i2"), ("y", ">i2")]), ("u", ">U1")])
    arr = np.zeros((2, 3), dtype=d)
    arr["p"]["x"] = [[1, -2, 3], [4, 5, -6]]
    arr["p"]["y"] = [[-100, 200, 300], [7, 8, 9]]
    arr["u"] = np.array([["a", "é", "温"], ["", "z", "😀"]])
    g.save("rec_fortran_2d_nested", np.asfortranarray(arr))
    g.save("rec_0d", np.array((1, 2.5), dtype=[("a", ">i2"), ("b", "<f4")]))
    g.save("rec_empty", np.zeros((0, 3), dtype=[("a", ">i2"), ("b", "<f4")]))

    # ---------------- header variants (save_exact false) ----------------
    base = np.arange(6, dtype="<f8").reshape(2, 3) / 4
    base[0, 1] = np.nan
    g.handmade("hdr_double_quotes",
               '{"descr": "<f8", "fortran_order": False, "shape": (2, 3), }',
               base, fortran=False)
    g.handmade("hdr_no_trailing_comma",
               "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3)}",
               base, fortran=False)
    g.handmade("hdr_key_order",
               "{'shape': (2, 3), 'descr': '<f8', 'fortran_order': False, }",
               base, fortran=False)
    g.handmade("hdr_whitespace",
               "{\n  'descr' :   '<f8' ,\n\t'fortran_order':False,\n"
               "   'shape':(  2 ,\n 3 ) ,\n}",
               base, fortran=False)
    g.handmade("hdr_py2_long",
               "{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }",
               base, fortran=False,
               note="Python-2 long suffix; numpy strips it (with a warning) "
                    "in 1.0/2.0 headers only")
    g.handmade("hdr_fortran_true",
               "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }"
               + " " * 20, np.asfortranarray(base), fortran=True)
    g.write_array("hdr_v2_explicit", base, version=(2, 0))
    g.write_array("hdr_v3_explicit", base, version=(3, 0))
    g.handmade("hdr_legacy_align16",
               "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
               base, fortran=False, align=16,
               note="NumPy < 1.14 style: 16-byte alignment, no growth-axis "
                    "spaces, data at offset 80")
    assert g.cases[-1]["data_offset"] == 80


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    assert np.__version__ == "2.4.6", \
        "needs numpy 2.4.6 (found %s)" % np.__version__
    assert LITTLE_HOST, "native files assume a little-endian host"
    outdir = argv[1]
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    g = Gen(outdir)
    gen_all(g)
    with open(os.path.join(outdir, "manifest.json"), "w",
              encoding="utf-8") as f:
        json.dump(g.cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(outdir, p))
                for p in os.listdir(outdir))
    print("wrote %d cases, %d bytes, to %s" % (len(g.cases), total, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
