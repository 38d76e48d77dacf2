#!/usr/bin/env bash
# Builds libnpyio and runs the C quickstart (examples-c/quickstart.c).
# Needs only Rust and a C compiler. Usage: ./demo.sh
set -euo pipefail
cd "$(dirname "$0")"
cargo build --release --quiet
out="$PWD/build/demo"
mkdir -p "$out"
# Programs ask the loader for the library's SONAME (libnpyio.so.0.<minor>, see the README,
# "Versioning"); give it that name.
soname=$(readelf -d target/release/libnpyio.so | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
ln -sf "$PWD/target/release/libnpyio.so" "$out/$soname"
cc -std=c11 -Wall -Wextra -Werror -Iinclude examples-c/quickstart.c \
   -L"$out" -l:"$soname" -Wl,-rpath,"$out" -o "$out/quickstart"
cd "$out" && ./quickstart
