#!/usr/bin/env bash
# Build the C and C++ tests with AddressSanitizer + UndefinedBehaviorSanitizer (NPYIO_SANITIZE=ON,
# see cmake/NpyioTesting.cmake) and run them under ctest with LeakSanitizer on. Any sanitizer
# report fails its test; the script exits non-zero if any test fails and ends with the line
# "N passed, M failed".
#
#   scripts/sanitize.sh            (from anywhere; uses build/sanitize)
#
# Environment: NPYIO_SANITIZE_BUILD_DIR (default build/sanitize), NPYIO_PYTHON (a Python with
# numpy for the interop tests; default .venv/bin/python, else python3), NPYIO_FAULTS_BIG_MB.
#
# The library itself (Rust) is not instrumented, but ASan's allocator replaces malloc/free for
# the whole process, so LeakSanitizer sees every allocation the library makes through the C
# API, and double or invalid frees are caught. The Rust code is checked with ASan by the fuzz
# targets (docs/FUZZING.md).
#
# Excluded: tests that cap the address space (RLIMIT_AS), which ASan's shadow memory cannot live
# under: example_bigdata (and check_example_bigdata, which checks its output).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BUILD=${NPYIO_SANITIZE_BUILD_DIR:-$ROOT/build/sanitize}
if [ -x "$ROOT/.venv/bin/cmake" ]; then PATH="$ROOT/.venv/bin:$PATH"; fi
PY=${NPYIO_PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x "$ROOT/.venv/bin/python" ]; then PY=$ROOT/.venv/bin/python; else PY=$(command -v python3); fi
fi
# example_mpi_slabs: OpenMPI's own allocations (in modules it loads at run time) are reported
# as leaks by LeakSanitizer at exit; the library calls it makes run under ASan in test_rows.
EXCLUDE='^(example_bigdata|check_example_bigdata|example_mpi_slabs|check_example_mpi_slabs)$'

fail() { echo "sanitize.sh: $*" >&2; echo "0 passed, 1 failed"; exit 1; }
command -v cmake >/dev/null || fail "cmake not found (run ./test.sh once to make .venv)"

# The Rust library is not instrumented: reuse the cargo build of build/test when there is one
# (same cargo command, profile and flags: build/test is a Release build, cargo profile dist),
# so this script does not compile it again.
mkdir -p "$BUILD"
if [ ! -e "$BUILD/cargo" ] && [ -d "$ROOT/build/test/cargo" ]; then
  ln -s "$ROOT/build/test/cargo" "$BUILD/cargo"
fi

gen=()
if command -v ninja >/dev/null; then gen=(-G Ninja); fi
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD" "${gen[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DNPYIO_CARGO_PROFILE=dist -DNPYIO_BUILD_TESTS=ON -DNPYIO_BUILD_EXAMPLES=ON \
    -DNPYIO_SANITIZE=ON -DNPYIO_PYTHON="$PY" >"$BUILD/configure.log" 2>&1 ||
    { tail -30 "$BUILD/configure.log"; fail "configure failed"; }
fi
# Keep going past a target that fails to build: it counts as one failure, and every test that
# did build still runs.
keep_going=(-k)
if grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja' "$BUILD/CMakeCache.txt"; then keep_going=(-k 0); fi
build_failed=0
if ! cmake --build "$BUILD" -j 2 -- "${keep_going[@]}" >"$BUILD/build.log" 2>&1; then
  grep -E 'error|FAILED' "$BUILD/build.log" | head -20
  echo "build failed (see $BUILD/build.log); the tests that built still run"
  build_failed=1
fi

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:exitcode=23
export LSAN_OPTIONS=exitcode=23:report_objects=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export NPYIO_FAULTS_BIG_MB=${NPYIO_FAULTS_BIG_MB:-64}

log="$BUILD/ctest.log"
ctest --test-dir "$BUILD" -E "$EXCLUDE" -j 2 --output-on-failure >"$log" 2>&1
rc=$?
# Belt and braces: a sanitizer report anywhere in the output is a failure even if a test
# swallowed its exit code.
reports=$(grep -cE '^(==[0-9]+==ERROR: (AddressSanitizer|LeakSanitizer)|.*runtime error: )' "$log" || true)
grep -E 'tests passed|tests failed|\*\*\*Failed|Not Run|Exception' "$log" | tail -20
# ctest says "100% tests passed out of N" (CMake 4) or "X% tests passed, F tests failed out of N".
summary=$(grep -E '[0-9]+% tests passed(, [0-9]+ tests? failed)? out of [0-9]+' "$log" | tail -1)
if [ -z "$summary" ]; then
  tail -40 "$log"
  fail "no ctest summary (see $log)"
fi
total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$summary")
if grep -qE 'tests? failed out of' <<<"$summary"; then
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/' <<<"$summary")
else
  failed=0
fi
if [ "$reports" -gt 0 ]; then
  grep -nE '^(==[0-9]+==ERROR: (AddressSanitizer|LeakSanitizer)|.*runtime error: )' "$log" | head -20
  echo "sanitize.sh: $reports sanitizer report(s) in $log"
  [ "$failed" -eq 0 ] && failed=1
fi
if [ "$rc" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "sanitize.sh: failures; full output in $log"
  [ "$failed" -eq 0 ] && failed=1
fi
passed=$((total - failed))
failed=$((failed + build_failed))
echo "sanitizers (ASan+UBSan+LSan), excluded: ${EXCLUDE}"
[ "$build_failed" -eq 0 ] || echo "sanitize.sh: the build failed (counted as one failure)"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
