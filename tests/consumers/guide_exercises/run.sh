#!/usr/bin/env bash
# Builds tests/consumers/guide_exercises (the NumPy I/O guide's five exercises in C, with the
# typed calls) outside the source tree against an installed npyio with find_package, runs it in
# a scratch directory and has NumPy check every file it wrote.
#
#   tests/consumers/guide_exercises/run.sh PREFIX
#
# Needs cmake (ninja if on PATH), a C compiler and $NPYIO_PYTHON (default python3) with numpy.
# Scratch goes under $TMPDIR, removed on success unless KEEP=1. Ends with "N passed, M failed".
set -uo pipefail
if [ $# -ne 1 ]; then echo "usage: $0 PREFIX" >&2; exit 2; fi
PREFIX=$(cd "$1" && pwd) || exit 2
HERE=$(cd "$(dirname "$0")" && pwd)
PY=${NPYIO_PYTHON:-python3}
CMAKE=${CMAKE:-cmake}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/npyio-guide.XXXXXX") || exit 2
unset LD_LIBRARY_PATH   # the program finds libnpyio through its rpath
GEN=()
if command -v ninja >/dev/null 2>&1; then GEN=(-G Ninja); fi

passed=0
failed=0
step() {
  local name=$1 log=$2; shift 2
  if "$@" >"$log" 2>&1; then passed=$((passed + 1)); echo "PASS  $name"; return 0; fi
  failed=$((failed + 1)); echo "FAIL  $name: see $log"; tail -n 30 "$log" | sed 's/^/      /'; return 1
}

mkdir -p "$WORK/run"
step "guide exercises: configure (find_package)" "$WORK/configure.log" \
  "$CMAKE" -S "$HERE" -B "$WORK/build" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX" &&
step "guide exercises: build" "$WORK/build.log" "$CMAKE" --build "$WORK/build" &&
step "guide exercises: run (five exercises)" "$WORK/run.log" \
  sh -c "cd '$WORK/run' && '$WORK/build/guide_exercises'" &&
step "guide exercises: NumPy checks the files" "$WORK/check.log" "$PY" "$HERE/check.py" "$WORK/run"
[ -f "$WORK/run.log" ] && sed 's/^/      /' "$WORK/run.log"

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then echo "scratch kept in $WORK"; exit 1; fi
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
exit 0
