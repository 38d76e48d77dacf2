#!/usr/bin/env python3
"""NumPy side of `cargo bench --bench npz` (benches/npz.rs).

    npz_numpy.py prepare --inputs DIR --out DIR [--cases a,b]
        write np_<case>.npz for every case (np.savez / np.savez_compressed of the
        inputs); print {"numpy": version, "sizes": {case: bytes}} as JSON.
    npz_numpy.py time --inputs DIR --archives DIR --scratch DIR --reps N [--cases a,b]
        time np.savez / np.savez_compressed (to a new file in DIR --scratch) and
        np.load of np_<case>.npz (every member); print JSON
        {"numpy": v, "cases": {case: {"save_ns": [...], "load_ns": [...], "size": n}}}.
    npz_numpy.py verify --inputs DIR --archive PATH --case NAME
        np.load(allow_pickle=False) an archive libnpyio wrote and compare with the inputs
        (zstd cases: with backports.zstd's zipfile below Python 3.14).

The inputs are in_<kind>.npy (float64, written by npz.rs). Methodology, mirrored by npz.rs:
  * save: the target does not exist; it is removed right after the timed call and
    os.sync() is called, both outside the timed region.
  * load: `with np.load(path) as z: arrays = [z[m] for m in members]` (open, parse,
    allocate, read/inflate, CRC check); the arrays are freed outside the timed region.
    The archive is read once before timing (page cache warm).
  * within a rep the order of save and load alternates; the garbage collector is
    disabled while timing, as timeit does.
"""

import argparse
import gc
import json
import os
import sys
import time

import numpy as np

# case -> (members, compressed); keep in step with CASES in benches/npz.rs.
CASES = {
    "stored": (["random", "arange", "sparse"], False),
    "deflate-random": (["random"], True),
    "deflate-arange": (["arange"], True),
    "deflate-sparse": (["sparse"], True),
    # zstd cases: NumPy's side is np.savez_compressed and np.load of its deflate archive
    # (NumPy has no zstd writer); libnpyio writes and reads zstd members.
    "zstd-random": (["random"], True),
    "zstd-arange": (["arange"], True),
    "zstd-sparse": (["sparse"], True),
}


def inputs(d):
    kinds = sorted({m for members, _ in CASES.values() for m in members})
    return {k: np.load(os.path.join(d, f"in_{k}.npy")) for k in kinds}


def save(path, case, arrays):
    members, compressed = CASES[case]
    fn = np.savez_compressed if compressed else np.savez
    fn(path, **{m: arrays[m] for m in members})


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def prepare(args):
    arrays = inputs(args.inputs)
    sizes = {}
    for case in args.cases.split(","):
        path = os.path.join(args.out, f"np_{case}.npz")
        save(path, case, arrays)
        sizes[case] = os.path.getsize(path)
    json.dump({"numpy": np.__version__, "sizes": sizes}, sys.stdout)
    print()


def run_time(args):
    arrays = inputs(args.inputs)
    pc = time.perf_counter_ns
    out = {}
    for case in args.cases.split(","):
        members = CASES[case][0]
        src = os.path.join(args.archives, f"np_{case}.npz")
        with open(src, "rb") as fh:  # page cache warm
            while fh.read(1 << 24):
                pass
        dst = os.path.join(args.scratch, f"np_out_{case}.npz")
        remove(dst)
        save_ns, load_ns, size = [], [], 0
        for rep in range(args.reps):
            order = ("save", "load") if rep % 2 == 0 else ("load", "save")
            for what in order:
                gc.collect()
                gc.disable()
                if what == "save":
                    t0 = pc()
                    save(dst, case, arrays)
                    t1 = pc()
                    gc.enable()
                    save_ns.append(t1 - t0)
                    size = os.path.getsize(dst)
                    remove(dst)
                    os.sync()
                else:
                    t0 = pc()
                    with np.load(src) as z:
                        got = [z[m] for m in members]
                    t1 = pc()
                    gc.enable()
                    load_ns.append(t1 - t0)
                    if rep == 0:
                        for m, g in zip(members, got):
                            assert np.array_equal(g, arrays[m]), f"{case}: {m} differs"
                    del got
        out[case] = {"save_ns": save_ns, "load_ns": load_ns, "size": size}
    json.dump({"numpy": np.__version__, "cases": out}, sys.stdout)
    print()


def verify(args):
    if args.case.startswith("zstd"):
        # Python 3.14's zipfile (backports.zstd's on older Pythons) reads zstd members;
        # np.load imports zipfile when it opens an archive.
        if sys.version_info < (3, 14):
            from backports.zstd import zipfile as zf

            sys.modules["zipfile"] = zf
    arrays = inputs(args.inputs)
    members, _ = CASES[args.case]
    with np.load(args.archive, allow_pickle=False) as z:
        assert list(z.files) == members, f"keys {z.files}, want {members}"
        for m in members:
            a = z[m]
            assert a.dtype == np.dtype("<f8") and a.shape == arrays[m].shape, m
            assert np.array_equal(a, arrays[m]), f"{m} differs"
    print(json.dumps({"ok": True}))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--inputs", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--cases", default=",".join(CASES))
    t = sub.add_parser("time")
    t.add_argument("--inputs", required=True)
    t.add_argument("--archives", required=True)
    t.add_argument("--scratch", required=True)
    t.add_argument("--reps", type=int, required=True)
    t.add_argument("--cases", default=",".join(CASES))
    v = sub.add_parser("verify")
    v.add_argument("--inputs", required=True)
    v.add_argument("--archive", required=True)
    v.add_argument("--case", required=True)
    args = ap.parse_args()
    {"prepare": prepare, "time": run_time, "verify": verify}[args.cmd](args)


if __name__ == "__main__":
    main()
