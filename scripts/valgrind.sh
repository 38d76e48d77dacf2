#!/usr/bin/env bash
# Run the C tests under valgrind memcheck:
#   valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect
# Any memcheck error or definite/indirect leak (in the test or in libnpyio, whose allocations
# valgrind tracks like any other) fails that test. Exits non-zero on any failure and ends with
# the line "N passed, M failed".
#
#   scripts/valgrind.sh            (from anywhere)
#
# It uses the release build ./test.sh makes (build/test; configured the same way if missing),
# takes each test's command, directory and environment from `ctest --show-only=json-v1`, runs
# the compiled test programs under valgrind and the Python steps they depend on (fixtures that
# generate or check files) natively, in ctest's order.
#
# Environment: NPYIO_VALGRIND_BUILD_DIR (default build/test), NPYIO_PYTHON, NPYIO_VALGRIND_ALL=1
# (also run the *_cxx twins under valgrind: the same sources compiled as C++, which call the
# library the same way; by default they run natively here, since other tests check the files
# they write, and under ASan in scripts/sanitize.sh),
# NPYIO_FAULTS_BIG_MB (size of test_faults' kill -9 save; default 24 here).
#
# Excluded: example_bigdata (caps its address space with RLIMIT_AS, which valgrind's own
# reservations do not fit under), and the tests that check its output.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${NPYIO_VALGRIND_BUILD_DIR:-$ROOT/build/test}
if [ -x "$ROOT/.venv/bin/cmake" ]; then PATH="$ROOT/.venv/bin:$PATH"; fi
PY=${NPYIO_PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PY=$ROOT/.venv/bin/python; else PY=$(command -v python3); fi
fi

fail() { echo "valgrind.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
command -v valgrind >/dev/null || fail "valgrind not found (apt-get install valgrind)"
command -v cmake >/dev/null || fail "cmake not found (run ./test.sh once to make .venv)"

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  gen=()
  if command -v ninja >/dev/null; then gen=(-G Ninja); fi
  cmake -S "$ROOT" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release -DNPYIO_PYTHON="$PY" \
    -DNPYIO_BUILD_TESTS=ON -DNPYIO_BUILD_EXAMPLES=ON -DNPYIO_REQUIRE_NUMPY=ON >"$ROOT/build/valgrind-configure.log" 2>&1 ||
    { tail -30 "$ROOT/build/valgrind-configure.log"; fail "configure failed"; }
fi
# Keep going past a target that fails to build: it counts as one failure, and every test that
# did build still runs.
keep_going=(-k)
if grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja' "$BUILD/CMakeCache.txt"; then keep_going=(-k 0); fi
build_failed=0
if ! cmake --build "$BUILD" -j 2 -- "${keep_going[@]}" >"$BUILD/valgrind-build.log" 2>&1; then
  grep -E 'error|FAILED' "$BUILD/valgrind-build.log" | head -20
  echo "build failed (see $BUILD/valgrind-build.log); the tests that built still run"
  build_failed=1
fi

export NPYIO_FAULTS_BIG_MB=${NPYIO_FAULTS_BIG_MB:-24}
ctest --test-dir "$BUILD" --show-only=json-v1 >"$BUILD/valgrind-tests.json" 2>/dev/null ||
  fail "ctest --show-only=json-v1 failed"

"$PY" - "$BUILD" "$BUILD/valgrind-tests.json" "$build_failed" <<'EOF'
import json, os, subprocess, sys, time

build, listing = sys.argv[1], sys.argv[2]
tests = json.load(open(listing))["tests"]
exclude = {"example_bigdata"}
run_all = os.environ.get("NPYIO_VALGRIND_ALL") == "1"
names = {t["name"] for t in tests}
vg = ["valgrind", "--quiet", "--error-exitcode=1", "--leak-check=full",
      "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
      "--track-fds=no", "--num-callers=30"]
logdir = os.path.join(build, "valgrind-logs")
os.makedirs(logdir, exist_ok=True)

build_real = os.path.realpath(build) + os.sep

def is_program(path):
    """A program this build compiled (not an interpreter such as python)."""
    if not os.path.realpath(path).startswith(build_real):
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"\x7fELF"
    except OSError:
        return False

# ctest's order, moved only as far as fixtures and DEPENDS require (setups first).
def prop(t, key):
    for p in t.get("properties", []):
        if p["name"] == key:
            v = p["value"]
            return v if isinstance(v, list) else [v]
    return []

setups = {}
for t in tests:
    for f in prop(t, "FIXTURES_SETUP"):
        setups.setdefault(f, []).append(t["name"])
by_name = {t["name"]: t for t in tests}
ordered, seen = [], set()
def visit(t, stack=()):
    if t["name"] in seen or t["name"] in stack:
        return
    deps = [d for f in prop(t, "FIXTURES_REQUIRED") for d in setups.get(f, [])]
    deps += prop(t, "DEPENDS")
    for d in deps:
        if d in by_name:
            visit(by_name[d], stack + (t["name"],))
    seen.add(t["name"])
    ordered.append(t)
for t in tests:
    visit(t)

passed, failed = 0, int(sys.argv[3])
skipped = set(exclude)
if failed:
    print("  FAIL  the build (counted as one failure; the tests that built run below)")
for t in ordered:
    name, cmd = t["name"], t.get("command") or []
    if not cmd or name in exclude:
        continue
    props = {p["name"]: p["value"] for p in t.get("properties", [])}
    if not os.path.exists(cmd[0]):
        failed += 1
        print(f"  FAIL  {name}: {cmd[0]} was not built")
        continue
    if props.get("DISABLED"):
        continue
    env = dict(os.environ)
    for kv in props.get("ENVIRONMENT", []):
        k, _, v = kv.partition("=")
        env[k] = v
    cwd = props.get("WORKING_DIRECTORY") or build
    twin = name.endswith("_cxx") and name[:-4] in names
    deps = [d for f in prop(t, "FIXTURES_REQUIRED") for d in setups.get(f, [])]
    deps += prop(t, "DEPENDS")
    if any(d in skipped for d in deps):
        skipped.add(name)  # its setup was excluded: nothing to check
        print(f"  skip           {name} (needs an excluded test)")
        continue
    # C++ twins of C tests run natively (they may set up fixtures other tests check).
    program = is_program(cmd[0]) and (run_all or not twin)
    full = (vg + cmd) if program else cmd
    start = time.time()
    log = os.path.join(logdir, name + ".log")
    with open(log, "wb") as out:
        rc = subprocess.call(full, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    took = time.time() - start
    kind = "valgrind" if program else "native  "
    skip_rc = props.get("SKIP_RETURN_CODE")
    if skip_rc is not None and rc == int(skip_rc):
        skipped.add(name)  # e.g. an example whose packages are not installed: it says why
        print(f"  skip  {kind} {name}: " + open(log, errors="replace").read().strip())
        continue
    if rc == 0:
        passed += 1
        print(f"  ok    {kind} {name} ({took:.1f}s)")
    else:
        failed += 1
        print(f"  FAIL  {kind} {name} (exit {rc}, {took:.1f}s); log: {log}")
        sys.stdout.write("".join(open(log, errors="replace").readlines()[-40:]))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
