#!/usr/bin/env python3
"""NumPy side of `cargo bench --bench npy` (benches/npy.rs).

Times np.load(path) and np.save(path, a) with time.perf_counter_ns and prints
one JSON object on stdout:

  {"numpy": "2.4.6", "inner": K,
   "load_ns": [...], "save_ns": [...],          # per-call ns, one per rep
   "raw_write_ns": [...],                       # control, see below
   "save_over_ns": [...],                       # np.save over an existing file
   "load_median_ns": x, "save_median_ns": y}

Each rep times `inner` calls and records the mean per call. Methodology
mirrors the Rust side:
  * load: the file is loaded once before timing (page cache warm). Every call
    allocates a fresh array (that is what np.load does); with inner == 1 the
    previous array is freed outside the timed region.
  * save: the target path is removed before every call and right after it,
    outside the timed region, so each np.save creates a new file (as
    libnpyio's save and the write() bound do) and at most one unsynced output
    exists at a time. After timing, one untimed np.save leaves a file for
    the caller's byte-identity check.
  * save over an existing file: the file np.save writes is left in place
    and saved over again (a checkpoint saved each epoch); with inner == 1,
    os.sync() runs (untimed) before each call, so the old file has no dirty
    pages, as after a training epoch.
  * control: the same file bytes written with os.open/os.write/os.close from
    this process (a write() bound measured where np.save runs), alternating
    order with np.save.
  * the garbage collector is disabled while timing, as timeit does.

With --serve (the save-only phase of benches/npy_parts/save_only.rs): load
the array once, print "ready NUMPY_VERSION", then for each line of stdin (a
path) time one np.save of the array to it and print the ns it took, wall
and this thread's CPU time; the
caller prepares the path (sync, removal) untimed. Ends at the end of input.

Usage: npy_numpy.py --load PATH --save PATH --reps N [--inner K]
       npy_numpy.py --serve --load PATH
"""

import argparse
import gc
import json
import os
import statistics
import sys
import time

import numpy as np


def remove(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def serve(load):
    """Time one np.save per path read from stdin (see the module's doc)."""
    a = np.load(load)
    print(f"ready {np.__version__}", flush=True)
    gc.collect()
    gc.disable()
    for line in sys.stdin:
        path = line.rstrip("\n")
        c0, t0 = time.thread_time_ns(), time.perf_counter_ns()
        np.save(path, a)
        t1, c1 = time.perf_counter_ns(), time.thread_time_ns()
        print(t1 - t0, c1 - c0, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--load", required=True, help="existing .npy to np.load")
    ap.add_argument("--save", help="path np.save writes to")
    ap.add_argument("--reps", type=int)
    ap.add_argument("--inner", type=int, default=1)
    ap.add_argument("--serve", action="store_true")
    args = ap.parse_args()
    if args.serve:
        serve(args.load)
        return
    if args.save is None or args.reps is None:
        ap.error("--save and --reps are required without --serve")
    pc = time.perf_counter_ns

    a = np.load(args.load)  # warm-up; also the array np.save writes
    if a.dtype != np.dtype("<f8"):
        sys.exit(f"unexpected dtype {a.dtype}")
    load_ns, save_ns, raw_ns, over_ns = [], [], [], []
    over = args.save + ".over.npy"
    raw = args.save + ".raw"
    with open(args.load, "rb") as f:
        header = f.read(os.path.getsize(args.load) - a.nbytes)
    data = memoryview(a).cast("B")

    gc.collect()
    gc.disable()
    try:
        for rep in range(args.reps):
            # load
            if args.inner == 1:
                t0 = pc()
                x = np.load(args.load)
                t1 = pc()
                del x
                load_ns.append(t1 - t0)
            else:
                path = args.load
                t0 = pc()
                for _ in range(args.inner):
                    x = np.load(path)
                t1 = pc()
                del x
                load_ns.append((t1 - t0) / args.inner)
            # save: a fresh file each call, the removal untimed
            def time_save():
                total = 0
                for i in range(args.inner):
                    remove(args.save)
                    t0 = pc()
                    np.save(args.save, a)
                    t1 = pc()
                    total += t1 - t0
                    remove(args.save)  # no dirty output lingers (untimed)
                save_ns.append(total / args.inner)

            # control: the same bytes written with plain os.open/os.write/
            # os.close from this process (header + data, as np.save does)
            def time_raw_write():
                total = 0
                for _ in range(args.inner):
                    remove(raw)
                    t0 = pc()
                    fd = os.open(raw, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
                    os.write(fd, header)
                    view = data
                    while view:
                        view = view[os.write(fd, view):]
                    os.close(fd)
                    t1 = pc()
                    total += t1 - t0
                    remove(raw)
                raw_ns.append(total / args.inner)

            # save over an existing file (a checkpoint saved each epoch)
            def time_save_over():
                if not os.path.exists(over):
                    np.save(over, a)
                total = 0
                for i in range(args.inner):
                    if args.inner == 1:
                        os.sync()  # untimed: the old file is written back
                    t0 = pc()
                    np.save(over, a)
                    t1 = pc()
                    total += t1 - t0
                over_ns.append(total / args.inner)

            if rep % 2 == 0:
                time_save()
                time_raw_write()
                time_save_over()
            else:
                time_save_over()
                time_raw_write()
                time_save()
    finally:
        gc.enable()
        remove(over)
    np.save(args.save, a)  # untimed, for the caller's byte-identity check

    print(
        json.dumps(
            {
                "numpy": np.__version__,
                "inner": args.inner,
                "load_ns": load_ns,
                "save_ns": save_ns,
                "raw_write_ns": raw_ns,
                "save_over_ns": over_ns,
                "load_median_ns": statistics.median(load_ns),
                "save_median_ns": statistics.median(save_ns),
            }
        )
    )


if __name__ == "__main__":
    main()
