#!/usr/bin/env python3
"""Fail if a C++ test calls the C API directly instead of going through npyio.hpp.

    check_wrapper_only.py <test.cpp>...

A direct call is an identifier npy_*/npz_*/npyio_* followed by "(". Constants (NPYIO_*) and
the C type names used as values (npyio_status{...}) are fine: the wrapper exposes them.
"""
import re
import sys

CALL = re.compile(r"\b((?:npy|npz|npyio)_[A-Za-z0-9_]*)\s*\(")


def main(paths):
    bad = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                code = line.split("//", 1)[0]
                bad += [f"{path}:{lineno}: calls {m.group(1)}() directly" for m in CALL.finditer(code)]
    for b in bad:
        print(b, file=sys.stderr)
    print(f"check_wrapper_only: {len(paths)} files, {len(bad)} direct C API calls")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
