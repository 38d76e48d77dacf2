#!/usr/bin/env bash
# Runs every test of libnpyio. Needs Rust, gcc/g++, valgrind and python3 with
# pip; it makes the rest itself: a Python venv (.venv) with numpy, cmake and
# ninja from PyPI. Go and Doxygen are used when installed (.ci/run installs
# them; NPYIO_REQUIRE_GO / NPYIO_REQUIRE_DOXYGEN make their absence a failure).
# Usage: ./test.sh
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
mkdir -p "$ROOT/build"
VENV=${NPYIO_VENV:-$ROOT/.venv}
BUILD=${NPYIO_BUILD_DIR:-$ROOT/build/test}
NUMPY_VERSION=2.4.6

step() { printf '\n==== %s\n' "$*"; }
passed=0
ok() { passed=$((passed + 1)); }

step "python venv with numpy $NUMPY_VERSION, cmake, ninja, backports.zstd, matplotlib ($VENV)"
# backports.zstd: Python 3.14's zipfile (zstd members) for older Pythons, the oracle for
# archives with zstd members. matplotlib: the benchmarks' plots (benches/plot.py); no test
# needs it.
if ! "$VENV/bin/python" -c "import numpy, cmake, ninja, backports.zstd, matplotlib; assert numpy.__version__ == '$NUMPY_VERSION'" 2>/dev/null; then
  [ -x "$VENV/bin/pip" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "numpy==$NUMPY_VERSION" cmake ninja backports.zstd matplotlib
fi
if ! command -v pkg-config >/dev/null 2>&1; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check pkgconf
  ln -sf pkgconf "$VENV/bin/pkg-config"
fi
export NPYIO_PYTHON="$VENV/bin/python"
export PATH="$VENV/bin:$PATH"
"$NPYIO_PYTHON" -c 'import numpy; print("numpy", numpy.__version__)'

step "cargo fmt --check"
cargo fmt --all -- --check
ok

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings
ok

step "cargo test --workspace (unit, NumPy oracles, bad input, faults, fuzz regressions, CLI)"
cargo test --workspace
ok

step "text encodings with the optional .bz2/.xz text writers (feature text-write-bz2-xz)"
cargo test --features text-write-bz2-xz --test numpy_text_encoding
ok

step "cmake build (release) + ctest (C tests, C++ compile, NumPy headers, examples)"
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNPYIO_BUILD_TESTS=ON \
  -DNPYIO_BUILD_EXAMPLES=ON -DNPYIO_PYTHON="$NPYIO_PYTHON" -DNPYIO_REQUIRE_NUMPY=ON >/dev/null
cmake --build "$BUILD"
ctest --test-dir "$BUILD" --output-on-failure
ok

step "exported symbols: only npy_, npz_, npyio_ prefixes; exactly abi/npyio.symbols"
so="$BUILD/cargo/dist/libnpyio.so"   # the Release build's cargo profile
[ -f "$so" ] || { echo "libnpyio.so not found at $so"; exit 1; }
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -Ev '^(npy_|npz_|npyio_)' || true)
count=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -Ec '^(npy_|npz_|npyio_)')
if [ -n "$bad" ]; then echo "unexpected exported symbols:"; echo "$bad"; exit 1; fi
echo "$count symbols exported, all prefixed"
bash scripts/abi_symbols.sh "$so"
ok

step "C and C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer (LeakSanitizer on)"
bash scripts/sanitize.sh
ok

step "C tests under valgrind memcheck (no errors, no definite or indirect leaks)"
bash scripts/valgrind.sh
ok

step "install + consumer projects (find_package shared/static, add_subdirectory, pkg-config, the guide's exercises)"
PREFIX="$ROOT/build/install"
rm -rf "$PREFIX"
cmake --install "$BUILD" --prefix "$PREFIX" >/dev/null
sample="$ROOT/build/consumer-sample.npy"
"$NPYIO_PYTHON" -c "import numpy as np; np.save('$sample', np.arange(10, dtype='<f8') * 1.5)"
bash tests/consumers/run.sh "$PREFIX" "$ROOT" "$sample" 67.5
# The NumPy I/O guide's five exercises in C, outside the tree, with the typed calls.
NPYIO_PYTHON="$NPYIO_PYTHON" bash tests/consumers/guide_exercises/run.sh "$PREFIX"
ok

step "Go binding: go vet + go test (bindings/go against the installed package)"
if command -v go >/dev/null 2>&1; then
  NPYIO_REQUIRE_ZSTD=1 bash bindings/go/run_tests.sh "$PREFIX"
  # A module outside the binding that requires it (replace directive, go.work).
  bash tests/consumers/go_module/run.sh "$PREFIX"
  ok
elif [ -n "${NPYIO_REQUIRE_GO:-}" ]; then
  echo "go not found but NPYIO_REQUIRE_GO is set"; exit 1
else
  echo "NOTE: go not found, the Go binding is NOT tested here (apt-get install golang-go; .ci/run does)"
fi

step "README.md and bindings/README.md: the C, C++ and Go examples built and run against the install"
"$NPYIO_PYTHON" tests/consumers/readme_snippets.py "$PREFIX" README.md bindings/README.md
ok

step "user build: defaults (no tests, no examples) + docs, install --strip, layout and find_package"
# As README.md "Install" has it. The cargo target directory of $BUILD is shared (same profile,
# same packages), so cargo has nothing to rebuild; everything else is built and installed anew.
USER_BUILD="$ROOT/build/user"
USER_PREFIX="$ROOT/build/user-install"
rm -rf "$USER_BUILD" "$USER_PREFIX"
docs=ON
check_docs=()
if ! command -v doxygen >/dev/null 2>&1; then
  if [ -n "${NPYIO_REQUIRE_DOXYGEN:-}" ]; then
    echo "doxygen not found but NPYIO_REQUIRE_DOXYGEN is set"; exit 1
  fi
  echo "NOTE: doxygen not found, the HTML reference is NOT built or checked (apt-get install doxygen; .ci/run does)"
  docs=OFF
  check_docs=(--no-docs)
fi
cmake -S "$ROOT" -B "$USER_BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DNPYIO_BUILD_DOCS=$docs \
  -DNPYIO_CARGO_TARGET_DIR="$BUILD/cargo" >/dev/null
cmake --build "$USER_BUILD"
cmake --install "$USER_BUILD" --prefix "$USER_PREFIX" --strip >/dev/null
bash tests/consumers/user_install.sh "$USER_BUILD" "$USER_PREFIX" "${check_docs[@]}"
ok

step "Julia binding: every ccall, struct and constant checked against npyio.h (+ self-test)"
"$NPYIO_PYTHON" bindings/julia/check_signatures.py --self-test
ok

printf '\nall test steps: %d passed, 0 failed\n' "$passed"
