#!/usr/bin/env python3
"""Self-test of gen_npy.py + verify_npy.py.

Usage: python selftest.py WORKDIR

Generates the oracle into WORKDIR/oracle, checks every file against itself,
compares hand-made headers with np.save output, and makes deliberately
broken files that verify_npy.py must reject.  Exits 0 if every pair gets the
expected verdict.
"""
import json
import os
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    work = argv[1]
    if os.path.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work)
    out = os.path.join(work, "oracle")
    subprocess.check_call([sys.executable, os.path.join(HERE, "gen_npy.py"),
                           out])
    with open(os.path.join(out, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)

    def o(name):
        return os.path.join(out, name + ".npy")

    def w(name):
        return os.path.join(work, name + ".npy")

    expect = {}  # pair name -> expected verdict word
    pairs = []

    def add(name, ours, ref, verdict):
        pairs.append({"name": name, "ours": ours, "ref": ref})
        expect[name] = verdict

    for c in manifest:
        add(c["name"], os.path.join(out, c["file"]),
            os.path.join(out, c["file"]), "identical")

    base = np.load(o("hdr_double_quotes"))
    np.save(w("base"), base)
    for c in manifest:
        if c["name"].startswith("hdr_") and not c["fortran_order"]:
            add("cmp_" + c["name"], o(c["name"]), w("base"),
                "loads-equal-but-bytes-differ")

    # garbage in unused long double bytes: equal by value
    a = np.load(o("f16_le"))
    b = a.view(np.uint8).reshape(-1, 16).copy()
    b[:, 12] = 0x5A
    np.save(w("f16_garbage"), b.view(a.dtype).ravel())
    add("f16_garbage", w("f16_garbage"), o("f16_le"),
        "loads-equal-but-bytes-differ")
    a = np.load(o("rec_longdouble"))
    b = a.view(np.uint8).reshape(-1, a.dtype.itemsize).copy()
    b[:, 14] = 0x77
    np.save(w("recld_garbage"), b.view(a.dtype).ravel())
    add("recld_garbage", w("recld_garbage"), o("rec_longdouble"),
        "loads-equal-but-bytes-differ")

    # deliberately different
    add("bad_endian", o("f8_le"), o("f8_be"), "FAIL")
    a = np.load(o("f4_fortran_2d"))
    np.save(w("f4_c"), np.ascontiguousarray(a))
    add("bad_fortran", w("f4_c"), o("f4_fortran_2d"), "FAIL")
    a = np.load(o("f8_le")).copy()
    a[np.signbit(a) & (a == 0)] = 0.0
    np.save(w("f8_negzero"), a)
    add("bad_negzero", w("f8_negzero"), o("f8_le"), "FAIL")
    with open(o("rec_align_fortran_2d"), "rb") as f:
        blob = bytearray(f.read())
    blob[-1] ^= 1  # last byte of the last element is padding
    with open(w("rec_pad"), "wb") as f:
        f.write(blob)
    add("bad_padding", w("rec_pad"), o("rec_align_fortran_2d"), "FAIL")
    a = np.load(o("rec_longdouble")).copy()
    a["z"][1] = complex(np.nan, -2)
    np.save(w("recld_bad"), a)
    add("bad_longdouble_value", w("recld_bad"), o("rec_longdouble"), "FAIL")
    add("bad_shape", o("i4_2d"), o("i4_1d"), "FAIL")
    add("bad_descr_titles", o("rec_simple"), o("rec_titles"), "FAIL")
    with open(o("f8_le"), "rb") as f:
        data = f.read()
    with open(w("trunc"), "wb") as f:
        f.write(data[:-3])
    add("bad_truncated", w("trunc"), o("f8_le"), "FAIL")

    pairs_path = os.path.join(work, "pairs.json")
    with open(pairs_path, "w") as f:
        json.dump(pairs, f)
    proc = subprocess.run([sys.executable, os.path.join(HERE, "verify_npy.py"),
                           pairs_path], capture_output=True, text=True)
    lines = proc.stdout.splitlines()
    bad = 0
    for line in lines[:-1]:
        if line.startswith("FAIL "):
            name, verdict = line[5:].split(":", 1)[0], "FAIL"
        else:
            _, name, verdict = line.split(" ", 2)
        if expect.get(name) != verdict:
            bad += 1
            print("UNEXPECTED:", line)
    n_fail = sum(v == "FAIL" for v in expect.values())
    want_rc = 1 if n_fail else 0
    if len(lines) != len(pairs) + 1 or proc.returncode != want_rc:
        bad += 1
        print("UNEXPECTED output/return code", proc.returncode)
        print(proc.stdout, proc.stderr)
    print(lines[-1] if lines else "(no output)")
    print("selftest: %d pairs, %s" % (len(pairs),
                                      "PASS" if not bad else "FAIL"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
