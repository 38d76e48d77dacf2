#!/usr/bin/env bash
# Builds tests/consumers/go_module, a module outside the binding, against an installed libnpyio
# in the two ways bindings/README.md describes, runs it on a NumPy-written file and has NumPy
# check what it wrote:
#   1. this directory as it is: go.mod requires libnpyio.dev/npyio and `replace`s it with
#      ../../../bindings/go; cgo gets -Wl,-rpath through CGO_LDFLAGS, and the program runs
#      with LD_LIBRARY_PATH unset;
#   2. a copy without the replace directive, in a go.work workspace with bindings/go; the
#      program runs through LD_LIBRARY_PATH instead of an rpath.
#
#   tests/consumers/go_module/run.sh PREFIX
#
# Needs go, pkg-config and $NPYIO_PYTHON (default python3) with numpy. Nothing is downloaded
# (GOPROXY=off). Ends with "N passed, M failed".
set -uo pipefail
if [ $# -ne 1 ]; then echo "usage: $0 PREFIX" >&2; exit 2; fi
PREFIX=$(cd "$1" && pwd) || exit 2
HERE=$(cd "$(dirname "$0")" && pwd)
BINDING=$(cd "$HERE/../../../bindings/go" && pwd)
PY=${NPYIO_PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/npyio-go-module.XXXXXX") || exit 2

libdir=
for d in "$PREFIX/lib" "$PREFIX/lib64" "$PREFIX"/lib/*-linux-gnu; do
  if [ -f "$d/pkgconfig/npyio.pc" ]; then libdir=$d; break; fi
done
if [ -z "$libdir" ]; then echo "no npyio.pc under $PREFIX/lib*/pkgconfig" >&2; exit 2; fi

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export CGO_ENABLED=1 GOPROXY=off GOFLAGS=-mod=mod GO111MODULE=on
unset GOWORK LD_LIBRARY_PATH
if [ -z "${GOCACHE:-}" ] && ! mkdir -p "${HOME:-/nonexistent}/.cache" 2>/dev/null; then
  export GOCACHE="${TMPDIR:-/tmp}/npyio-go-cache"
fi

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+: $2}"; }

"$PY" -c "import numpy as np, sys; np.save(sys.argv[1], np.arange(12.0).reshape(3, 4) * 0.5)" \
  "$WORK/in.npy" || { echo "cannot write $WORK/in.npy with $PY" >&2; exit 2; }

# check NAME OUT_NPY STDOUT: the program printed the sum, and NumPy sees 2 * input.
check() {
  local name=$1 out=$2 printed=$3
  if ! grep -q 'shape \[3 4\], sum 33$' <<<"$printed"; then
    fail "$name" "printed: $printed"; return
  fi
  if "$PY" - "$WORK/in.npy" "$out" <<'PY'; then pass "$name"; else fail "$name" "NumPy check of $out"; fi
import sys
import numpy as np
a = np.load(sys.argv[1], allow_pickle=False)
b = np.load(sys.argv[2], allow_pickle=False)
assert b.dtype == np.dtype("<f8") and b.shape == a.shape, (b.dtype, b.shape)
assert np.array_equal(b, 2 * a), b
PY
}

# 1. replace directive, rpath.
name="go module with replace, rpath through CGO_LDFLAGS"
if (cd "$HERE" && CGO_LDFLAGS="-Wl,-rpath,$libdir" go build -o "$WORK/consumer-replace" .) \
     >"$WORK/replace.log" 2>&1; then
  if out=$(cd "$WORK" && ./consumer-replace in.npy out-replace.npy 2>&1); then
    check "$name" "$WORK/out-replace.npy" "$out"
  else
    fail "$name" "run failed: $out"
  fi
else
  fail "$name" "build failed"; sed 's/^/      /' "$WORK/replace.log"
fi

# 2. go.work, LD_LIBRARY_PATH.
name="go module in a go.work workspace, LD_LIBRARY_PATH"
mkdir -p "$WORK/workspace/consumer"
cp "$HERE/main.go" "$WORK/workspace/consumer/"
sed '/^replace /d' "$HERE/go.mod" >"$WORK/workspace/consumer/go.mod"
if (cd "$WORK/workspace" && go work init ./consumer "$BINDING" &&
    cd consumer && GOFLAGS= go build -o "$WORK/consumer-work" .) >"$WORK/work.log" 2>&1; then
  if out=$(cd "$WORK" && LD_LIBRARY_PATH="$libdir" ./consumer-work in.npy out-work.npy 2>&1); then
    check "$name" "$WORK/out-work.npy" "$out"
  else
    fail "$name" "run failed: $out"
  fi
else
  fail "$name" "build failed"; sed 's/^/      /' "$WORK/work.log"
fi

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then echo "scratch kept in $WORK"; exit 1; fi
rm -rf "$WORK"
