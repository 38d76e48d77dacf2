#!/usr/bin/env python3
"""Fail if a function declared in npyio.h is not exercised by test_api.c.

    check_coverage.py <include/npyio.h> <tests/c/test_api.c>

Every function the header declares must appear as FN(name) in test_api.c's
table between the "BEGIN EXERCISED FUNCTIONS" and "END EXERCISED FUNCTIONS"
markers, and must also be called somewhere in test_api.c outside that table.
The table must not name functions the header does not declare.
"""
import re
import sys


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def header_functions(text):
    text = strip_comments(text)
    # Drop preprocessor lines (with continuations) and the extern "C" wrapper.
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    text = re.sub(r'extern\s+"C"\s*\{', " ", text)
    names = []
    for stmt in text.split(";"):
        stmt = stmt.replace("}", " ").replace("{", " ").strip()
        if "(" not in stmt or re.match(r"typedef\b", stmt):
            continue
        m = re.search(r"([A-Za-z_]\w*)\s*\($", stmt[: stmt.index("(") + 1])
        if not m:
            sys.exit(f"check_coverage: cannot parse declaration: {stmt!r}")
        names.append(m.group(1))
    return names


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as fh:
        header = fh.read()
    with open(sys.argv[2], encoding="utf-8") as fh:
        test = fh.read()

    declared = header_functions(header)
    if len(declared) < 10:
        sys.exit(f"check_coverage: found only {len(declared)} functions in {sys.argv[1]}")

    m = re.search(r"BEGIN EXERCISED FUNCTIONS[^\n]*\n(.*?)END EXERCISED FUNCTIONS", test, flags=re.S)
    if not m:
        sys.exit("check_coverage: no BEGIN/END EXERCISED FUNCTIONS table in " + sys.argv[2])
    table = re.findall(r"\bFN\(\s*([A-Za-z_]\w*)\s*\)", strip_comments(m.group(1)))
    body = strip_comments(test[: m.start()] + test[m.end():])
    called = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", body))

    problems = []
    for name in declared:
        if name not in table:
            problems.append(f"{name}: declared in npyio.h but missing from test_api.c's table")
        elif name not in called:
            problems.append(f"{name}: in the table but never called in test_api.c")
    for name in sorted(set(table) - set(declared)):
        problems.append(f"{name}: in test_api.c's table but not declared in npyio.h")
    dups = sorted({n for n in table if table.count(n) > 1})
    for name in dups:
        problems.append(f"{name}: listed more than once")

    if problems:
        print("check_coverage: FAILED", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    print(f"check_coverage: all {len(declared)} functions of npyio.h are exercised by test_api.c")
    return 0


if __name__ == "__main__":
    sys.exit(main())
