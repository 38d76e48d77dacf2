#!/usr/bin/env python3
"""Fail if include/npyio.hpp does not wrap every function of include/npyio.h.

    check_header_coverage.py <npyio.h> <npyio.hpp>

A function counts as wrapped when the C++ header calls it, or calls its `_ex` variant (which
does everything the plain function does, with flags). A new C function therefore needs a
C++ wrapper, as it needs a test in tests/c/test_api.c.
"""
import re
import sys


def main(header, wrapper):
    with open(header, encoding="utf-8") as fh:
        c_text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", fh.read(), flags=re.S)
    with open(wrapper, encoding="utf-8") as fh:
        cpp_text = re.sub(r"//[^\n]*", " ", fh.read())
    funcs = sorted(set(re.findall(r"\b((?:npy|npz|npyio)_\w+)\s*\(", c_text)))
    called = set(re.findall(r"\b((?:npy|npz|npyio)_\w+)\s*\(", cpp_text))
    missing = [f for f in funcs if f not in called and f + "_ex" not in called]
    for f in missing:
        print(f"npyio.hpp does not wrap {f}()", file=sys.stderr)
    print(f"check_header_coverage: {len(funcs) - len(missing)} of {len(funcs)} C functions "
          "wrapped by npyio.hpp")
    return 1 if missing else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
