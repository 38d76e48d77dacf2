#!/usr/bin/env bash
# Build and run the consumer projects against an installed npyio and its source tree.
#
#   tests/consumers/run.sh PREFIX SRC_DIR [NPY_FILE [EXPECTED_SUM]]
#
# PREFIX        where `cmake --install` put npyio (lib/cmake/npyio, lib/pkgconfig, include)
# SRC_DIR       the npyio source tree, for the add_subdirectory consumer
# NPY_FILE      a float64 .npy file; if omitted, one holding 1..6 as a 2x3 array is written
#               (needs python3, not numpy) and EXPECTED_SUM defaults to 21
# EXPECTED_SUM  the sum every consumer must print; if empty, only success is checked
#
# Uses ninja when it is on PATH, $CMAKE (default cmake), $CC for the Makefile consumer.
# Scratch builds go under $TMPDIR; they are removed on success unless KEEP=1.
# Ends with "N passed, M failed"; exit status 1 if anything failed.
set -u

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
    echo "usage: $0 PREFIX SRC_DIR [NPY_FILE [EXPECTED_SUM]]" >&2
    exit 2
fi
abspath() { (cd "$1" && pwd); }
PREFIX=$(abspath "$1") || exit 2
SRC_DIR=$(abspath "$2") || exit 2
NPY_FILE=${3:-}
EXPECTED_SUM=${4:-}
HERE=$(abspath "$(dirname "$0")")
CMAKE=${CMAKE:-cmake}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/npyio-consumers.XXXXXX") || exit 2
unset LD_LIBRARY_PATH   # shared consumers must find libnpyio through their rpath

if [ -z "$NPY_FILE" ]; then
    NPY_FILE=$WORK/input.npy
    python3 "$HERE/write_sample.py" "$NPY_FILE" || { echo "cannot write $NPY_FILE" >&2; exit 2; }
    EXPECTED_SUM=${EXPECTED_SUM:-21}
fi
case $NPY_FILE in /*) ;; *) NPY_FILE=$PWD/$NPY_FILE ;; esac

GEN=()
if command -v ninja >/dev/null 2>&1; then GEN=(-G Ninja); fi

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+: $2}"; }

# step NAME LOG COMMAND...: run a build step, show the log's tail on failure.
step() {
    local name=$1 log=$2; shift 2
    if "$@" >"$log" 2>&1; then pass "$name"; return 0; fi
    fail "$name" "see $log"; tail -n 30 "$log" | sed 's/^/      /'; return 1
}

# run_consumer NAME BINARY: run it on NPY_FILE and check the printed sum.
run_consumer() {
    local name=$1 bin=$2 out
    if [ ! -x "$bin" ]; then fail "$name" "$bin was not built"; return; fi
    if ! out=$("$bin" "$NPY_FILE" 2>&1); then
        fail "$name" "exit status $?"; echo "$out" | sed 's/^/      /'; return
    fi
    local sum
    sum=$(echo "$out" | sed -n 's/.*: sum \(.*\)$/\1/p' | tail -n 1)
    if [ -z "$sum" ]; then fail "$name" "no sum printed"; echo "$out" | sed 's/^/      /'; return; fi
    if [ -n "$EXPECTED_SUM" ] && ! awk -v a="$sum" -v e="$EXPECTED_SUM" 'BEGIN {
            d = a - e; if (d < 0) d = -d; m = e < 0 ? -e : e; if (m < 1) m = 1;
            exit !(d <= 1e-9 * m) }'; then
        fail "$name" "sum $sum, expected $EXPECTED_SUM"; return
    fi
    pass "$name (sum $sum)"
}

# not_linked_to_so NAME BINARY: a static consumer must not need libnpyio.so at run time.
not_linked_to_so() {
    command -v readelf >/dev/null 2>&1 || return 0
    [ -x "$2" ] || return 0
    if readelf -d "$2" | grep -q 'NEEDED.*libnpyio'; then
        fail "$1" "$2 needs libnpyio.so"
    else
        pass "$1"
    fi
}

echo "npyio consumers: prefix $PREFIX, source $SRC_DIR, input $NPY_FILE, scratch $WORK"

# 1. find_package(npyio) against the install prefix: shared, static and npyio::npyio.
B=$WORK/find_package
if step "find_package: configure" "$WORK/find_package.configure.log" \
        "$CMAKE" -S "$HERE/cmake_find_package" -B "$B" "${GEN[@]}" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX" &&
   step "find_package: build" "$WORK/find_package.build.log" "$CMAKE" --build "$B"; then
    run_consumer "find_package: npyio::shared" "$B/consumer_shared"
    run_consumer "find_package: npyio::static" "$B/consumer_static"
    run_consumer "find_package: npyio::npyio" "$B/consumer_npyio"
    not_linked_to_so "find_package: npyio::static is self-contained" "$B/consumer_static"
fi

# 2. The same project with NPYIO_USE_STATIC=ON: npyio::npyio is the static library.
B=$WORK/find_package_static
if step "find_package NPYIO_USE_STATIC: configure" "$WORK/find_package_static.configure.log" \
        "$CMAKE" -S "$HERE/cmake_find_package" -B "$B" "${GEN[@]}" \
        -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$PREFIX" -DNPYIO_USE_STATIC=ON &&
   step "find_package NPYIO_USE_STATIC: build" "$WORK/find_package_static.build.log" \
        "$CMAKE" --build "$B" --target consumer_npyio; then
    run_consumer "find_package NPYIO_USE_STATIC: npyio::npyio" "$B/consumer_npyio"
    not_linked_to_so "find_package NPYIO_USE_STATIC: npyio::npyio is static" "$B/consumer_npyio"
fi

# 3. add_subdirectory() of the source tree (builds the Rust library through cargo).
B=$WORK/add_subdirectory
if step "add_subdirectory: configure" "$WORK/add_subdirectory.configure.log" \
        "$CMAKE" -S "$HERE/add_subdirectory" -B "$B" "${GEN[@]}" \
        -DCMAKE_BUILD_TYPE=Release -DNPYIO_SOURCE_DIR="$SRC_DIR" &&
   step "add_subdirectory: build" "$WORK/add_subdirectory.build.log" "$CMAKE" --build "$B"; then
    run_consumer "add_subdirectory: npyio::npyio" "$B/consumer_subdir"
fi

# 4. Plain make with pkg-config.
B=$WORK/pkgconfig
PCPATH=$PREFIX/lib/pkgconfig:$PREFIX/lib64/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
if step "pkg-config: make" "$WORK/pkgconfig.build.log" \
        env PKG_CONFIG_PATH="$PCPATH" make -C "$HERE/makefile_pkgconfig" BUILD="$B"; then
    run_consumer "pkg-config: shared" "$B/consumer_pc_shared"
    run_consumer "pkg-config: static" "$B/consumer_pc_static"
    not_linked_to_so "pkg-config: static is self-contained" "$B/consumer_pc_static"
fi

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then
    echo "scratch builds kept in $WORK"
    exit 1
fi
[ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"
exit 0
