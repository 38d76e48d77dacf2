#!/usr/bin/env bash
# The exported-symbol list abi/npyio.symbols against a built libnpyio.so.
#
#   scripts/abi_symbols.sh [--update] [LIBRARY]
#
# Without --update: fails (exit 1) when the library exports a symbol the list lacks, or lacks
# one the list has, and prints both differences and how to update; also fails when a listed
# symbol is not declared in include/npyio.h. With --update: rewrites the list from the library.
# LIBRARY defaults to a fresh `cargo build --lib` (target/debug/libnpyio.so; the exported set
# does not depend on the profile).
set -euo pipefail
cd "$(dirname "$0")/.."
LIST=abi/npyio.symbols
HEADER=include/npyio.h

update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
if [ $# -gt 1 ]; then echo "usage: $0 [--update] [LIBRARY]" >&2; exit 2; fi
lib=${1:-}
if [ -z "$lib" ]; then
  cargo build --lib --quiet
  lib=${CARGO_TARGET_DIR:-target}/debug/libnpyio.so
fi
[ -f "$lib" ] || { echo "abi_symbols.sh: no library at $lib" >&2; exit 2; }

# Defined dynamic symbols (functions and data), names only: what a program can link against.
actual=$(nm -D --defined-only "$lib" | awk 'NF >= 3 { print $3 }' | sed 's/@.*//' | LC_ALL=C sort -u)

if [ "$update" = 1 ]; then
  {
    echo "# Every symbol libnpyio.so exports, one per line, sorted (LC_ALL=C)."
    echo "# ./test.sh compares this list with \`nm -D --defined-only\` of the built library: a"
    echo "# symbol the library lacks or the list lacks fails the tests. After adding an export on"
    echo "# purpose, run scripts/abi_symbols.sh --update and commit this file. Removing or changing"
    echo "# an export breaks the ABI: only a new minor release (0.x) may do that (README,"
    echo "# \"Versioning\"; CHANGELOG.md says what changed)."
    echo "$actual"
  } >"$LIST"
  echo "abi_symbols.sh: $LIST now lists $(grep -cv '^#' "$LIST") symbols from $lib"
  exit 0
fi

[ -f "$LIST" ] || { echo "abi_symbols.sh: $LIST is missing; run $0 --update" >&2; exit 1; }
expected=$(grep -v '^#' "$LIST" | sed '/^[[:space:]]*$/d' | LC_ALL=C sort -u)
removed=$(LC_ALL=C comm -23 <(echo "$expected") <(echo "$actual"))
added=$(LC_ALL=C comm -13 <(echo "$expected") <(echo "$actual"))
status=0
if [ -n "$removed" ]; then
  echo "Listed in $LIST but no longer exported by $lib (an ABI break):"
  echo "$removed" | sed 's/^/  - /'
  status=1
fi
if [ -n "$added" ]; then
  echo "Exported by $lib but not listed in $LIST:"
  echo "$added" | sed 's/^/  + /'
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "If this change is intended, run: scripts/abi_symbols.sh --update   (then commit $LIST;"
  echo "a removed or changed export also needs a new minor version and a CHANGELOG.md entry)."
  exit 1
fi
undeclared=""
while read -r sym; do
  grep -Eq "(^|[^A-Za-z0-9_])${sym}[[:space:]]*\\(" "$HEADER" || undeclared+="$sym "
done <<<"$actual"
if [ -n "$undeclared" ]; then
  echo "Exported but not declared in $HEADER: $undeclared"
  exit 1
fi
echo "abi_symbols.sh: $(echo "$actual" | wc -l) exported symbols match $LIST, all declared in $HEADER"
