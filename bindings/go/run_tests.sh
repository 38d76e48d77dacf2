#!/usr/bin/env bash
# Builds and tests the Go binding against an installed libnpyio.
#
#   bindings/go/run_tests.sh PREFIX      # PREFIX as given to `cmake --install --prefix`
#
# Sets PKG_CONFIG_PATH (cgo finds libnpyio with `pkg-config npyio`), LD_LIBRARY_PATH (to run
# the tests against PREFIX's shared library), then runs `go vet` and `go test ./...`. The
# tests call NumPy through $NPYIO_PYTHON (default python3) and fail if it cannot import numpy.
# The zstd test skips NumPy's side when that Python lacks backports.zstd, unless
# NPYIO_REQUIRE_ZSTD is set (./test.sh sets it; its venv has the package).
# Standard library only: GOPROXY=off, nothing is downloaded. GO_TEST_FLAGS adds go test flags.
# Exits with the status of the first failing step.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
prefix=$(cd "$1" && pwd)
cd "$(dirname "$0")"

libdir=
for d in "$prefix/lib" "$prefix/lib64" "$prefix"/lib/*-linux-gnu; do
  if [ -f "$d/pkgconfig/npyio.pc" ]; then libdir=$d; break; fi
done
if [ -z "$libdir" ]; then
  echo "run_tests.sh: no npyio.pc under $prefix/lib*/pkgconfig (install libnpyio first)" >&2
  exit 1
fi

export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export CGO_ENABLED=1
export CGO_CFLAGS="${CGO_CFLAGS:--O2 -g} -Wall -Werror"
export CGO_LDFLAGS="${CGO_LDFLAGS:-} -Wl,-rpath,$libdir"
export GOPROXY=off GO111MODULE=on
export NPYIO_PYTHON="${NPYIO_PYTHON:-python3}"
export NPYIO_REQUIRE_NUMPY=1
# A writable cache when HOME is not (CI containers).
if [ -z "${GOCACHE:-}" ] && ! mkdir -p "${HOME:-/nonexistent}/.cache" 2>/dev/null; then
  export GOCACHE="${TMPDIR:-/tmp}/npyio-go-cache"
fi

echo "go: $(go version); libnpyio $(pkg-config --modversion npyio) from $libdir; python: $NPYIO_PYTHON"
go vet ./...
# shellcheck disable=SC2086 # GO_TEST_FLAGS is a word list, e.g. "-race -v"
go test -count=1 ${GO_TEST_FLAGS:-} ./...
