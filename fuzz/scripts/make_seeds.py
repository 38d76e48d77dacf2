#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets from NumPy's own writer.

    make_seeds.py <fuzz/corpus>

Seeds are small files NumPy writes (every dtype family, both orders, 0-d and
empty arrays, format 1.0/2.0/3.0, legacy 16-byte alignment, npz stored and
deflate, bzip2, LZMA and zstd members, zip64), plus header texts and dtype strings, and savetxt inputs
(format, delimiter, newline, header, footer, comments and array bytes).
Names are content hashes, as libFuzzer names its own corpus files. Files go
to <dir>/<target>/; to add them to the committed corpus:

    fuzz/scripts/corpus.sh unpack
    fuzz/scripts/make_seeds.py fuzz/corpus
    fuzz/scripts/corpus.sh cmin && fuzz/scripts/corpus.sh pack
"""
import hashlib
import io
import os
import sys
import zipfile

import numpy as np
from numpy.lib import format as npf


def put(outdir, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    os.makedirs(outdir, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(outdir, name), "wb") as fh:
        fh.write(data)


def npy_bytes(a, version=None):
    b = io.BytesIO()
    if version is None:
        np.save(b, a, allow_pickle=False)
    else:
        npf.write_array(b, a, version=version, allow_pickle=False)
    return b.getvalue()


DTYPES = [
    "|b1", "|i1", "<i2", ">i4", "<i8", "|u1", ">u2", "<u4", ">u8", "<f2", ">f4",
    "<f8", ">f8", "<f16", "<c8", ">c16", "|S3", "<U2", ">U3", "|V4", "<M8[ns]",
    ">m8[10ms]", "<M8[D]", "<M8",
]
RECORDS = [
    [("a", "<i4"), ("b", ">f8")],
    np.dtype({"names": ["a", "b"], "formats": ["<i4", ">i4"], "offsets": [1, 6]}),
    np.dtype([("f0", "i1"), ("f1", "<i4"), ("f2", "i1")], align=True),
    [("x", "<f8", (2, 3))],
    [(("title", "name"), "<i4")],
    [("n", [("a", "|i1"), ("b", ">U2")]), ("c", "<f8", (2,))],
    [("c", ("<f8", (2,)), (2,))],
    [("é", "<i2")],
    [("温", ">i2")],
]


def arrays():
    rng = np.random.default_rng(7)
    for d in DTYPES:
        dt = np.dtype(d)
        for shape in [(), (0,), (3,), (2, 3), (2, 1, 2)]:
            n = int(np.prod(shape)) * dt.itemsize
            raw = rng.integers(0, 256, size=n, dtype=np.uint8).tobytes()
            a = np.frombuffer(raw, dtype=dt).reshape(shape) if n else np.zeros(shape, dt)
            yield a
            if len(shape) >= 2:
                yield np.asfortranarray(a)
    for r in RECORDS:
        dt = np.dtype(r)
        raw = rng.integers(0, 256, size=3 * dt.itemsize, dtype=np.uint8).tobytes()
        yield np.frombuffer(raw, dtype=dt)
        yield np.asfortranarray(np.frombuffer(raw * 2, dtype=dt).reshape(2, 3))


def main():
    out = sys.argv[1]
    all_npy = []
    for a in arrays():
        b = npy_bytes(a)
        all_npy.append((a, b))
        put(os.path.join(out, "npy"), b)
    a = np.arange(6, dtype="<i4").reshape(2, 3)
    put(os.path.join(out, "npy"), npy_bytes(a, (2, 0)))
    put(os.path.join(out, "npy"), npy_bytes(a, (3, 0)))
    # Legacy NumPy < 1.14: 16-byte alignment, no growth-axis spaces.
    hdr = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
    pad = 16 - (10 + len(hdr) + 1) % 16
    legacy = b"\x93NUMPY\x01\x00" + (len(hdr) + 1 + pad).to_bytes(2, "little") + (hdr + " " * pad + "\n").encode() + bytes(16)
    put(os.path.join(out, "npy"), legacy)

    # Header texts: version byte + text, as the header target reads them.
    for _, b in all_npy[::3]:
        major = b[6]
        pre = 10 if major == 1 else 12
        put(os.path.join(out, "header"), bytes([major - 1]) + b[pre:])
    for t in [
        "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 4), }",
        "{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<i8'}",
        "{'descr': [('a', '<i4', 3), ('', '|V4')], 'fortran_order': False, 'shape': ()}",
        "{'descr': ('<f8', (2,)), 'fortran_order': False, 'shape': (3,)}  # c",
        "{\"descr\": u'>c16', 'fortran_order': False, 'shape': (0x10,)}",
    ]:
        put(os.path.join(out, "header"), b"\x00" + t.encode())

    # Dtype strings.
    for d in DTYPES + ["int32", "float64", "U3", "=f8", "'<M8[1ms]'", "S0", "V0", "c32"]:
        put(os.path.join(out, "dtype"), d)
        put(os.path.join(out, "dtype"), repr(d))
    for r in RECORDS:
        put(os.path.join(out, "dtype"), str(np.lib.format.dtype_to_descr(np.dtype(r))))

    # Archives.
    def npz(fn, **kw):
        b = io.BytesIO()
        fn(b, **kw)
        return b.getvalue()

    small = {f"a{i}": a for i, (a, _) in enumerate(all_npy[:40:7])}
    put(os.path.join(out, "npz"), npz(np.savez, **small))
    put(os.path.join(out, "npz"), npz(np.savez_compressed, **small))
    put(os.path.join(out, "npz"), npz(np.savez, x=np.arange(3), y=np.ones((2, 2), ">f4")))
    put(os.path.join(out, "npz"), npz(np.savez_compressed, x=np.zeros(300, "<i2")))
    put(os.path.join(out, "npz"), npz(np.savez))
    # Forced zip64 records, a data descriptor (streamed) member and a non-.npy member.
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", allowZip64=True) as z:
        with z.open("x.npy", "w", force_zip64=True) as m:
            m.write(npy_bytes(np.arange(4, dtype="<u2")))
        z.writestr("notes.txt", b"hello")
    put(os.path.join(out, "npz"), b.getvalue())
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("s.npy", "w") as m:
            m.write(npy_bytes(np.arange(5, dtype=">i8")))
    put(os.path.join(out, "npz"), b.getvalue())
    # Members in the other methods Python's zipfile writes: bzip2 (12), LZMA (14) and, with
    # Python 3.14's zipfile or backports.zstd's, Zstandard (93).
    methods = [(zipfile, zipfile.ZIP_BZIP2), (zipfile, zipfile.ZIP_LZMA)]
    zstd_zip = zstd_zipfile()
    if zstd_zip is not None:
        methods.append((zstd_zip, zstd_zip.ZIP_ZSTANDARD))
    for zmod, method in methods:
        b = io.BytesIO()
        with zmod.ZipFile(b, "w", compression=method) as z:
            z.writestr("a.npy", npy_bytes(np.arange(6, dtype="<f8").reshape(2, 3)))
            z.writestr("b.npy", npy_bytes(np.array([b"ab", b"c"], "|S2")))
        put(os.path.join(out, "npz"), b.getvalue())

    savetxt_seeds(out)


def zstd_zipfile():
    """A zipfile module that writes Zstandard members, or None."""
    if hasattr(zipfile, "ZIP_ZSTANDARD"):
        return zipfile
    try:
        from backports.zstd import zipfile as zmod
    except ImportError:
        return None
    return zmod


# The savetxt target's dtype list (fuzz/src/checks.rs SAVETXT_DTYPES), then
# index 12: the record [('a', '<i4'), ('b', '>f8'), ('c', '|S2')].
SAVETXT_DTYPES = ["<f8", ">f4", "<f2", "<i8", ">i2", "|u1", "<u8", "|b1", "<c16", ">c8", "|S3", "<U2"]
SAVETXT_RECORD = [("a", "<i4"), ("b", ">f8"), ("c", "|S2")]


def savetxt_seeds(out):
    """Inputs of the savetxt target: byte 0 = dtype (index % 13) and shape
    (ncols = 1 + index // 13 % 4, 2-D when index // 52 is odd), byte 1 =
    fmt form (bit 0: one format per column, split at \x01), then fmt,
    delimiter, newline, header, footer and comments separated by NUL bytes,
    then the array's bytes."""
    rng = np.random.default_rng(5)
    fmts = ["%.18e", "%.3f", "%10.5f", "%-12.4e|", "%+.2e", "%g", "%#g", "%G", "%d", "%5d", "%x",
            "%#o", "%s", "%.2s", "%c", "%05d", "% .3e", "%.0f", "%.17g", "%.16e", "%E", "%u", "%i",
            "%.65536f", "%.65535e", "%#.70000g", "%99999999999d", "%.2147483648f", "%lld", "%ld",
            "%5.", "%(a)s", "%*d", "%%", "%d,%d", "%.1f;%.2f;%.3f", "(%e+%ej)"]
    for k, f in enumerate(fmts):
        idx = k * 7 % 13 + 13 * (k % 4) + 52 * (k % 2)
        if idx % 13 == 12:
            arr = np.zeros(3, SAVETXT_RECORD)
            arr["a"] = [1, -2, 3]
            arr["b"] = [0.5, -1e300, np.nan]
            arr["c"] = [b"x", b"yz", b""]
        else:
            dt = np.dtype(SAVETXT_DTYPES[idx % 13])
            ncols = 1 + idx // 13 % 4 if idx // 52 % 2 else 1
            vals = rng.standard_normal(3 * ncols) * 10.0 ** rng.integers(-5, 5, 3 * ncols)
            if dt.kind in "iub":
                vals = rng.integers(-100, 100, 3 * ncols)
            if dt.kind == "S":
                vals = ["a", "b'c", "xyz"] * ncols
            if dt.kind == "U":
                vals = ["a", "\u00e9", "\u2603z"] * ncols
            arr = np.array(vals[: 3 * ncols]).astype(dt)
        form = 1 if "," in f or ";" in f else 0
        fmt = f.replace(",", "\x01") if form else f
        delim, newline = [(" ", "\n"), (",", "\n"), ("\t", "\r\n"), (";", "|")][k % 4]
        header = ["", "a b c", "x\ny"][k % 3]
        footer = ["", "end"][k % 2]
        data = (bytes([idx, form]) + "\0".join([fmt, delim, newline, header, footer, "# "]).encode()
                + b"\0" + arr.tobytes())
        put(os.path.join(out, "savetxt"), data)
    # Round-trip shape: float64, a 17-digit format, commas.
    a = np.array([0.1, -0.0, np.inf, np.nan, 5e-324, 1.7976931348623157e308, -2.5])
    for f in ["%.17g", "%+.16e", "%#30.17G", "%-.20e"]:
        put(os.path.join(out, "savetxt"), bytes([0, 0]) + f"{f}\0,\0\n\0\0\0# \0".encode() + a.tobytes())


if __name__ == "__main__":
    main()
