#!/usr/bin/env python3
"""Run examples-c/remote/remote_npz against a real HTTP server: nginx on 127.0.0.1.

    run_remote.py REMOTE_NPZ NGINX WORKDIR

NumPy writes an archive (np.savez: two large members around a small one) into WORKDIR/www;
nginx serves it from a generated configuration (foreground, no master process, a free port,
every path inside WORKDIR); remote_npz reads the member `w` through range requests and saves it;
NumPy then checks that the saved array equals the member and that the bytes fetched are a small
part of the archive. nginx is stopped at the end whatever happens.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import time

import numpy as np


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(exe, nginx, work):
    shutil.rmtree(work, ignore_errors=True)  # a fresh access log for every run
    www = os.path.join(work, "www")
    os.makedirs(www)
    rng = np.random.default_rng(7)
    before = rng.standard_normal(1_000_000)                # 8 MB
    w = np.arange(300 * 7, dtype="<i4").reshape(300, 7) * 3  # 8 KB
    after = rng.integers(0, 255, 4_000_000, dtype=np.uint8)  # 4 MB
    archive = os.path.join(www, "model.npz")
    np.savez(archive, before=before, w=w, after=after)
    size = os.path.getsize(archive)

    port = free_port()
    conf = os.path.join(work, "nginx.conf")
    temps = "".join(f"    {k}_temp_path {work}/{k};\n"
                    for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    with open(conf, "w") as f:
        f.write(f"""daemon off;
master_process off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log {work}/access.log;
{temps}    server {{
        listen 127.0.0.1:{port};
        root {www};
    }}
}}
""")
    server = subprocess.Popen([nginx, "-p", work, "-c", conf, "-e", f"{work}/error.log"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            if server.poll() is not None:
                sys.exit(f"nginx exited: {server.stdout.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("nginx did not start listening")
        out_npy = os.path.join(work, "w.npy")
        run = subprocess.run([exe, f"http://127.0.0.1:{port}/model.npz", "w", out_npy],
                             capture_output=True, text=True, timeout=60)
        print(run.stdout, end="")
        if run.returncode != 0:
            sys.exit(f"remote_npz failed ({run.returncode}): {run.stderr}")
    finally:
        server.terminate()
        server.wait(timeout=10)

    got = np.load(out_npy, allow_pickle=False)
    assert got.dtype == w.dtype and np.array_equal(got, w), "member w differs"
    m = re.search(r"fetched (\d+) of (\d+) bytes in (\d+) requests", run.stdout)
    assert m, run.stdout
    fetched, total = int(m.group(1)), int(m.group(2))
    assert total == size, (total, size)
    # The member (8400 data bytes and its header) plus the directory: a tiny part of 12 MB.
    assert fetched <= w.nbytes + 256 * 1024, fetched
    assert fetched * 100 < size, (fetched, size)
    with open(os.path.join(work, "access.log")) as f:
        ranges = sum(1 for line in f if " 206 " in line)
    assert ranges == int(m.group(3)), (ranges, m.group(3))
    print(f"run_remote: ok: member w equal; {fetched} of {size} bytes fetched "
          f"({100 * fetched / size:.3f}%), {ranges} range requests served by nginx")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
