#!/usr/bin/env bash
# Builds libnpyio and runs the C quickstart (examples-c/quickstart.c).
# Needs only Rust and a C compiler. Usage: ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
out="$PWD/build/demo"
mkdir -p "$out"
# The library's SONAME is libnpyio.so.0; give the loader that name.
ln -sf "$PWD/target/release/libnpyio.so" "$out/libnpyio.so.0"
cc -std=c11 -Wall -Wextra -Werror -Iinclude examples-c/quickstart.c \
   -L"$out" -l:libnpyio.so.0 -Wl,-rpath,"$out" -o "$out/quickstart"
cd "$out" && ./quickstart
