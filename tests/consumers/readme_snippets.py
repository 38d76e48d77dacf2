#!/usr/bin/env python3
"""Compile and run the C, C++ and Go examples of Markdown files against an installed libnpyio.

    readme_snippets.py PREFIX FILE.md...

Every fenced code block whose info string starts with `c`, `cpp` or `go` is a complete program
and is tested; other blocks (sh, julia, plain) are not. Each program is built against PREFIX
through pkg-config (`npyio.pc`), with an rpath to its library directory:

    c    cc  -std=c11   -Wall -Wextra -Werror        ($CC, default cc)
    cpp  c++ -std=c++17 -Wall -Wextra -Werror        ($CXX, default c++)
    go   a temporary module that requires libnpyio.dev/npyio and replaces it with the
         bindings/go next to this script; gofmt -l, go vet, go build (GOPROXY=off)

and run in a fresh directory holding the files the README's examples open, written by NumPy:
weights.npy (3x4 float64), fortran.npy (3x4 float64, Fortran order), archive.npz (`labels`
int32, `x` float64), big.npy (1000 float32) and data.csv (3x3, comma-separated). The program
must exit with status 0, and every .npy and .npz file in its directory afterwards must load in
NumPy with allow_pickle=False.

Go blocks need `go`; without it they are skipped with a note, unless NPYIO_REQUIRE_GO is set.
Run with the Python that has NumPy. Ends with "N passed, M failed"; exit status 1 on failure.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
BINDING = HERE.parent.parent / "bindings" / "go"
LANGS = {"c": "c", "cpp": "cpp", "c++": "cpp", "go": "go"}
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$")


def blocks(path):
    """Yield (line number, language, code) for each tested fenced block of a Markdown file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, fence, info = m.group(1), m.group(2), m.group(3).lower()
        start = i + 1
        j = start
        while j < len(lines):
            e = lines[j].strip()
            if e.startswith(fence[0] * len(fence)) and not e.strip(fence[0]):
                break
            j += 1
        body = [line[len(indent):] if line.startswith(indent) else line
                for line in lines[start:j]]
        if info in LANGS:
            yield start, LANGS[info], "\n".join(body) + "\n"
        i = j + 1


def fixtures(d):
    """The files the README's examples open, as NumPy writes them."""
    a = np.arange(12, dtype="<f8").reshape(3, 4) * 0.5
    np.save(d / "weights.npy", a)
    np.save(d / "fortran.npy", np.asfortranarray(a))
    np.savez(d / "archive.npz", labels=np.array([3, 1, 2], dtype="<i4"), x=a)
    np.save(d / "big.npy", np.linspace(0, 1, 1000, dtype="<f4"))
    np.savetxt(d / "data.csv", np.arange(9.0).reshape(3, 3), delimiter=",")


def run(cmd, cwd, env, log):
    """Run cmd; append its output to log; return True on exit status 0."""
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    log.append(f"$ {' '.join(map(str, cmd))}\n{p.stdout}")
    if p.returncode != 0:
        log.append(f"(exit status {p.returncode})")
    return p.returncode == 0


def pkg_config(env, *args):
    out = subprocess.run(["pkg-config", *args, "npyio"], env=env, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    return out.split()


def build(lang, code, d, env, log):
    """Build the program in directory d; return the executable's path or None."""
    libdir = pkg_config(env, "--variable=libdir")[0]
    exe = d / "example"
    if lang in ("c", "cpp"):
        src = d / ("example.c" if lang == "c" else "example.cpp")
        src.write_text(code)
        if lang == "c":
            cc = os.environ.get("CC", "cc").split()
            std = "-std=c11"
        else:
            cc = os.environ.get("CXX", "c++").split()
            std = "-std=c++17"
        cmd = [*cc, std, "-Wall", "-Wextra", "-Werror", *pkg_config(env, "--cflags"),
               str(src), "-o", str(exe), *pkg_config(env, "--libs"), f"-Wl,-rpath,{libdir}"]
        return exe if run(cmd, d, env, log) else None
    mod = d / "module"
    mod.mkdir()
    (mod / "main.go").write_text(code)
    (mod / "go.mod").write_text(
        "module example.com/readme\n\ngo 1.18\n\nrequire libnpyio.dev/npyio v0.0.0\n\n"
        f"replace libnpyio.dev/npyio => {BINDING}\n")
    genv = dict(env, CGO_ENABLED="1", GOPROXY="off", GOFLAGS="-mod=mod",
                CGO_LDFLAGS=f"-Wl,-rpath,{libdir}")
    genv.pop("GOWORK", None)
    p = subprocess.run(["gofmt", "-l", "main.go"], cwd=mod, env=genv, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0 or p.stdout.strip():
        diff = subprocess.run(["gofmt", "-d", "main.go"], cwd=mod, env=genv, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout
        log.append(f"not gofmt-formatted:\n{p.stdout}{diff}")
        return None
    if not run(["go", "vet", "."], mod, genv, log):
        return None
    return exe if run(["go", "build", "-o", str(exe), "."], mod, genv, log) else None


def check_outputs(d, log):
    """Every .npy/.npz the program left must load in NumPy (no pickles)."""
    ok = True
    for f in sorted(d.iterdir()):
        if f.suffix not in (".npy", ".npz"):
            continue
        try:
            if f.suffix == ".npz":
                with np.load(f, allow_pickle=False) as z:
                    for k in z.files:
                        z[k]
            else:
                np.load(f, allow_pickle=False)
        except Exception as e:  # noqa: BLE001 - report whatever NumPy says
            log.append(f"NumPy cannot load {f.name}: {e}")
            ok = False
    return ok


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    prefix = Path(sys.argv[1]).resolve()
    pcdirs = [p / "pkgconfig" for p in [prefix / "lib", prefix / "lib64",
                                        *sorted(prefix.glob("lib/*-linux-gnu"))]]
    pcdirs = [str(p) for p in pcdirs if (p / "npyio.pc").exists()]
    if not pcdirs:
        sys.exit(f"no npyio.pc under {prefix}/lib*/pkgconfig")
    env = dict(os.environ)
    env.pop("LD_LIBRARY_PATH", None)  # the programs must find libnpyio through their rpath
    env["PKG_CONFIG_PATH"] = ":".join(pcdirs + [p for p in
                                                [os.environ.get("PKG_CONFIG_PATH")] if p])
    if "GOCACHE" not in env and not os.access(Path.home(), os.W_OK):
        env["GOCACHE"] = str(Path(tempfile.gettempdir()) / "npyio-go-cache")
    have_go = shutil.which("go") is not None and shutil.which("gofmt") is not None
    work = Path(tempfile.mkdtemp(prefix="npyio-readme."))
    passed = failed = 0
    found = 0
    for md in sys.argv[2:]:
        md = Path(md)
        for line, lang, code in blocks(md):
            found += 1
            name = f"{md}:{line} ({lang})"
            if lang == "go" and not have_go:
                if os.environ.get("NPYIO_REQUIRE_GO"):
                    print(f"FAIL  {name}: go not found but NPYIO_REQUIRE_GO is set")
                    failed += 1
                else:
                    print(f"NOTE  {name}: go not found, not built")
                continue
            d = work / f"{md.stem}-{line}-{lang}"
            d.mkdir()
            fixtures(d)
            log = []
            exe = build(lang, code, d, env, log)
            ok = exe is not None and run([str(exe)], d, env, log) and check_outputs(d, log)
            if ok:
                passed += 1
                print(f"PASS  {name}")
            else:
                failed += 1
                print(f"FAIL  {name}")
                print("      " + "\n".join(log).replace("\n", "\n      "))
    if found == 0:
        print("FAIL  no c, cpp or go blocks found in " + " ".join(sys.argv[2:]))
        failed += 1
    print(f"{passed} passed, {failed} failed")
    if failed:
        print(f"scratch kept in {work}")
        sys.exit(1)
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
