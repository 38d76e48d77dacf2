#!/usr/bin/env bash
# Checks a user build and its installation, as README.md "Install" describes them:
#
#   cmake -S SRC -B BUILD -DCMAKE_BUILD_TYPE=Release -DNPYIO_BUILD_DOCS=ON  (tests, examples OFF)
#   cmake --build BUILD && cmake --install BUILD --prefix PREFIX --strip
#   tests/consumers/user_install.sh BUILD PREFIX [--no-docs]
#
# Checks: the build tree has no test or example targets; the shared library is stripped, has
# the SONAME the versioning policy gives, its symlink chain, and is under 3 MB; the static
# library has no debug info or embedded bitcode and is under 12 MB; bin/npyio is stripped and
# runs; its man page is installed in share/man/man1, is for this version and renders; the
# licences are under share/doc/npyio; the HTML reference exists and documents
# npy_open (unless --no-docs: Doxygen missing); the package version file accepts 0.<minor> only;
# a find_package(npyio) consumer builds against PREFIX and reads a file (shared and static).
# Prints each library's size. Ends with "N passed, M failed"; exit status 1 on failure.
set -uo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 BUILD PREFIX [--no-docs]" >&2
  exit 2
fi
BUILD=$(cd "$1" && pwd) || exit 2
PREFIX=$(cd "$2" && pwd) || exit 2
DOCS=1
[ "${3:-}" = "--no-docs" ] && DOCS=0
HERE=$(cd "$(dirname "$0")" && pwd)
CMAKE=${CMAKE:-cmake}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/npyio-user-install.XXXXXX") || exit 2
unset LD_LIBRARY_PATH

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS  $1"; }
fail() { failed=$((failed + 1)); echo "FAIL  $1${2:+: $2}"; }
size_of() { stat -c %s "$1"; }
# no_sections FILE REGEX: no section name starts with REGEX (archives: in any member).
no_sections() {
  local s
  s=$(readelf -S --wide "$1" 2>/dev/null) || return 1
  ! grep -Eq "\] +($2)" <<<"$s"
}

libdir=
for d in "$PREFIX/lib" "$PREFIX/lib64" "$PREFIX"/lib/*-linux-gnu; do
  if [ -f "$d/pkgconfig/npyio.pc" ]; then libdir=$d; break; fi
done
if [ -z "$libdir" ]; then echo "no npyio.pc under $PREFIX/lib*/pkgconfig" >&2; exit 1; fi
version=$(sed -n 's/^Version: *//p' "$libdir/pkgconfig/npyio.pc")
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
if [ "$major" = 0 ]; then abi="0.$minor"; else abi=$major; fi
echo "npyio $version (ABI $abi): build $BUILD, prefix $PREFIX"

# 1. A user build defines no test or example targets, so building and installing compile none.
targets=$("$CMAKE" --build "$BUILD" --target help 2>/dev/null)
if [ -z "$targets" ]; then
  fail "build tree lists its targets" "cmake --build $BUILD --target help printed nothing"
elif grep -Eq '(^|[ :./])(test_[a-z_]+|example_[a-z_]+|cpp_[a-z_]+)([ :]|$)' <<<"$targets"; then
  fail "no test or example targets" "$(grep -E 'test_|example_|cpp_' <<<"$targets" | head -5)"
elif [ -e "$BUILD/CTestTestfile.cmake" ]; then
  fail "no test or example targets" "$BUILD/CTestTestfile.cmake exists"
else
  pass "no test or example targets in the build tree"
fi

# 2. The shared library: stripped, SONAME, symlinks, size.
so="$libdir/libnpyio.so.$version"
if [ ! -f "$so" ] || [ -L "$so" ]; then
  fail "lib/libnpyio.so.$version is a file" "missing"
else
  size=$(size_of "$so")
  echo "      libnpyio.so.$version: $size bytes"
  if no_sections "$so" '\.symtab|\.debug_'; then pass "shared library stripped"; else
    fail "shared library stripped" "$(readelf -S --wide "$so" | grep -E '\] +(\.symtab|\.debug_)' | head -3)"
  fi
  if [ "$size" -lt 3000000 ]; then pass "shared library under 3 MB ($size bytes)"; else
    fail "shared library under 3 MB" "$size bytes"
  fi
  soname=$(readelf -d "$so" | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
  if [ "$soname" = "libnpyio.so.$abi" ]; then pass "SONAME libnpyio.so.$abi"; else
    fail "SONAME libnpyio.so.$abi" "got '$soname'"
  fi
  if [ "$(readlink "$libdir/libnpyio.so.$abi")" = "libnpyio.so.$version" ] &&
     [ "$(readlink "$libdir/libnpyio.so")" = "libnpyio.so.$abi" ]; then
    pass "libnpyio.so -> libnpyio.so.$abi -> libnpyio.so.$version"
  else
    fail "symlink chain" "$(ls -l "$libdir"/libnpyio.so* 2>&1 | tr '\n' ';')"
  fi
fi

# 3. The static library: no debug info, no embedded LLVM bitcode, a sane size.
a="$libdir/libnpyio.a"
if [ ! -f "$a" ]; then
  fail "lib/libnpyio.a" "missing"
else
  size=$(size_of "$a")
  echo "      libnpyio.a: $size bytes"
  if no_sections "$a" '\.debug_|\.llvmbc'; then pass "static library without debug info and bitcode"; else
    fail "static library without debug info and bitcode" \
      "$(readelf -S --wide "$a" | grep -Eo '\] +(\.debug_[a-z]+|\.llvmbc)' | sort | uniq -c | head -5 | tr '\n' ';')"
  fi
  if [ "$size" -lt 12000000 ]; then pass "static library under 12 MB ($size bytes)"; else
    fail "static library under 12 MB" "$size bytes"
  fi
fi

# 4. The tool.
cli="$PREFIX/bin/npyio"
sample="$WORK/sample.npy"
python3 - "$sample" <<'PY' || { echo "cannot write $sample" >&2; exit 2; }
import struct, sys
header = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
header += " " * (63 - (10 + len(header)) % 64) + "\n"
with open(sys.argv[1], "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1"))
    f.write(struct.pack("<6d", 1, 2, 3, 4, 5, 6))
PY
if [ ! -x "$cli" ]; then
  fail "bin/npyio" "missing"
else
  echo "      bin/npyio: $(size_of "$cli") bytes"
  if no_sections "$cli" '\.symtab|\.debug_'; then pass "bin/npyio stripped"; else fail "bin/npyio stripped"; fi
  if out=$("$cli" --version 2>&1) && [ "$out" = "npyio $version" ] &&
     info=$("$cli" info "$sample" 2>&1) && grep -q '(2, 3)' <<<"$info"; then
    pass "bin/npyio runs ($out; info shows shape (2, 3))"
  else
    fail "bin/npyio runs" "$out / ${info:-}"
  fi
fi
# The man page: installed where man finds it, for this version, and it renders (man -l, else
# groff or mandoc, else a look at its source).
page="$PREFIX/share/man/man1/npyio.1"
if [ ! -f "$page" ]; then
  fail "share/man/man1/npyio.1" "missing"
elif ! grep -q "^\.TH NPYIO 1 .*\"npyio $version\"" "$page"; then
  fail "share/man/man1/npyio.1 is for npyio $version" "$(grep '^\.TH' "$page")"
else
  rendered= how=
  if command -v man >/dev/null 2>&1; then
    how="man -l"; rendered=$(MANPAGER=cat PAGER=cat MANWIDTH=80 man -l "$page" 2>"$WORK/man.err")
    found=$(MANPAGER=cat man -M "$PREFIX/share/man" -w npyio 2>/dev/null)
    if [ "$found" = "$page" ]; then pass "man -M PREFIX/share/man finds npyio(1)"; else
      fail "man -M PREFIX/share/man finds npyio(1)" "got '$found'"
    fi
  elif command -v groff >/dev/null 2>&1; then
    how="groff -man"; rendered=$(groff -man -Tutf8 -ww "$page" 2>"$WORK/man.err")
  elif command -v mandoc >/dev/null 2>&1; then
    how="mandoc"; rendered=$(mandoc -Tutf8 "$page" 2>"$WORK/man.err")
  fi
  if [ -n "$how" ]; then
    # Rendered text: drop overstrikes (bold) and the hyphenation of wrapped words.
    plain=$(sed 's/.\x08//g' <<<"$rendered")
    if grep -q '^NPYIO(1)' <<<"$plain" && grep -q 'npyio convert' <<<"$plain" &&
       grep -q '^EXIT STATUS' <<<"$plain" && grep -q -- '--skiprows' <<<"$plain" &&
       [ ! -s "$WORK/man.err" ]; then
      pass "man page renders ($how: $(wc -l <<<"$plain") lines, no warnings)"
    else
      fail "man page renders ($how)" "$(head -c 300 "$WORK/man.err") $(head -3 <<<"$plain" | tr '\n' ' ')"
    fi
  elif grep -q '^\.SH NAME' "$page" && grep -q '^\.SS "npyio convert"' "$page" &&
       grep -q '^\.SH "EXIT STATUS"' "$page"; then
    pass "man page source has NAME, the commands, EXIT STATUS (no man, groff or mandoc to render it)"
  else
    fail "man page source" "$(head -5 "$page" | tr '\n' ' ')"
  fi
fi

# 5. Licences.
docdir="$PREFIX/share/doc/npyio"
if grep -q 'MIT License' "$docdir/LICENSE-MIT" 2>/dev/null &&
   grep -q 'Apache License' "$docdir/LICENSE-APACHE" 2>/dev/null &&
   grep -q 'Version 2.0' "$docdir/LICENSE-APACHE"; then
  pass "licences in share/doc/npyio"
else
  fail "licences in share/doc/npyio" "$(ls "$docdir" 2>&1 | tr '\n' ' ')"
fi

# 6. The HTML reference.
if [ "$DOCS" = 1 ]; then
  html="$docdir/html"
  if [ -f "$html/index.html" ] && [ -f "$html/npyio_8h.html" ] &&
     grep -q 'npy_open' "$html/npyio_8h.html" && grep -q 'npyio_last_error' "$html/npyio_8h.html"; then
    pass "HTML reference: $html/index.html, npyio.h page documents npy_open"
  else
    fail "HTML reference" "$(ls "$html" 2>&1 | head -5 | tr '\n' ' ')"
  fi
else
  echo "NOTE  HTML reference not checked (--no-docs: Doxygen not installed)"
fi

# 7. The package's version file: find_package(npyio X) accepts the same 0.<minor> only.
cfgdir="$libdir/cmake/npyio"
cat >"$WORK/version.cmake" <<'EOF'
set(CMAKE_SIZEOF_VOID_P 8)
set(PACKAGE_FIND_VERSION "${REQ}")
string(REPLACE "." ";" _parts "${REQ}")
list(LENGTH _parts PACKAGE_FIND_VERSION_COUNT)
list(GET _parts 0 PACKAGE_FIND_VERSION_MAJOR)
list(GET _parts 1 PACKAGE_FIND_VERSION_MINOR)
set(PACKAGE_FIND_VERSION_PATCH 0)
if(PACKAGE_FIND_VERSION_COUNT GREATER 2)
  list(GET _parts 2 PACKAGE_FIND_VERSION_PATCH)
endif()
include("${FILE}")
if(PACKAGE_VERSION_COMPATIBLE AND NOT PACKAGE_VERSION_UNSUITABLE)
  message("compatible")
else()
  message("incompatible")
endif()
EOF
compat() { "$CMAKE" -DREQ="$1" -DFILE="$cfgdir/npyioConfigVersion.cmake" -P "$WORK/version.cmake" 2>&1; }
if [ "$major" = 0 ]; then
  same="0.$minor" next="0.$((minor + 1))" older="0.$((minor > 0 ? minor - 1 : 0))"
else
  same="$major.0" next="$((major + 1)).0" older="$((major > 0 ? major - 1 : 0)).0"
fi
res="$same:$(compat "$same") $next:$(compat "$next") $version:$(compat "$version")"
[ "$older" != "$same" ] && res="$res $older:$(compat "$older")"
if [ "$(compat "$same")" = compatible ] && [ "$(compat "$version")" = compatible ] &&
   [ "$(compat "$next")" = incompatible ] &&
   { [ "$older" = "$same" ] || [ "$(compat "$older")" = incompatible ]; }; then
  pass "find_package version check: $res"
else
  fail "find_package version check" "$res"
fi

# 8. A find_package consumer against the installed tree.
GEN=()
if command -v ninja >/dev/null 2>&1; then GEN=(-G Ninja); fi
B="$WORK/find_package"
if "$CMAKE" -S "$HERE/cmake_find_package" -B "$B" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
     -DCMAKE_PREFIX_PATH="$PREFIX" >"$WORK/fp.log" 2>&1 &&
   "$CMAKE" --build "$B" >>"$WORK/fp.log" 2>&1; then
  ok=1
  for kind in shared static; do
    out=$("$B/consumer_$kind" "$sample" 2>&1) || ok=0
    grep -q ': sum 21$' <<<"$out" || { ok=0; echo "      consumer_$kind: $out"; }
  done
  if [ "$ok" = 1 ]; then pass "find_package consumer (shared, static) reads a file: sum 21"; else
    fail "find_package consumer runs"
  fi
else
  fail "find_package consumer builds" "see $WORK/fp.log"; tail -20 "$WORK/fp.log" | sed 's/^/      /'
fi

echo "$passed passed, $failed failed"
if [ "$failed" -ne 0 ]; then echo "scratch kept in $WORK"; exit 1; fi
rm -rf "$WORK"
