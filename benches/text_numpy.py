#!/usr/bin/env python3
"""NumPy side of `cargo bench --bench text` (benches/text.rs).

Reads a JSON list of tasks from the file named by argv[1]; each task is
  {"op": "savetxt" | "loadtxt" | "genfromtxt", "npy": input array (savetxt),
   "txt": the text file, "delimiter": str or null, "reps": N}
and prints one JSON list with, per task, the wall-clock ns of each rep
(time.perf_counter_ns around the one NumPy call; garbage collector off, as
timeit does), and the process CPU time of each rep (time.process_time_ns). savetxt writes to txt + ".np" and leaves the last output there
so the caller can compare bytes.
"""
import gc
import json
import os
import sys
import time
import warnings

import numpy as np


def main():
    with open(sys.argv[1]) as f:
        tasks = json.load(f)
    out = []
    cpu = []
    warnings.simplefilter("ignore")
    for t in tasks:
        times = []
        cpus = []
        d = t["delimiter"]
        if t["op"] == "savetxt":
            a = np.load(t["npy"])
        for _ in range(t["reps"]):
            gc.collect()
            gc.disable()
            c0 = time.process_time_ns()
            if t["op"] == "savetxt":
                target = t["txt"] + ".np"
                t0 = time.perf_counter_ns()
                np.savetxt(target, a, delimiter=d if d is not None else " ")
                t1 = time.perf_counter_ns()
            elif t["op"] == "loadtxt":
                t0 = time.perf_counter_ns()
                r = np.loadtxt(t["txt"], delimiter=d)
                t1 = time.perf_counter_ns()
                del r
            else:
                t0 = time.perf_counter_ns()
                r = np.genfromtxt(t["txt"], delimiter=d, usemask=True)
                t1 = time.perf_counter_ns()
                del r
            c1 = time.process_time_ns()
            gc.enable()
            times.append(t1 - t0)
            cpus.append(c1 - c0)
        out.append(times)
        cpu.append(cpus)
    json.dump({"numpy": np.__version__, "times": out, "cpu": cpu}, sys.stdout)


if __name__ == "__main__":
    main()
