#!/usr/bin/env python3
"""Fail if a function declared in npyio.h is not exercised by the C tests.

    check_coverage.py <include/npyio.h> <test.c> [<test.c> ...]

Each test file given must hold a table between the "BEGIN EXERCISED FUNCTIONS"
and "END EXERCISED FUNCTIONS" markers, with one FN(name) per function it
exercises. Every function the header declares must be listed in the table of
at least one of the files, and every function a file lists must also be called
somewhere in that same file outside its table. A table must not name functions
the header does not declare, nor name one twice. (Two files may both list a
function; each must then call it.)

tests/c/CMakeLists.txt passes the files listed in NPYIO_COVERAGE_SOURCES.
"""
import os
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
        if re.match(r"[^(]*\(\s*\*", stmt):
            continue  # a function-pointer field of a struct (npyio_reader), not a function
        m = re.search(r"([A-Za-z_]\w*)\s*\($", stmt[: stmt.index("(") + 1])
        if not m:
            sys.exit(f"check_coverage: cannot parse declaration: {stmt!r}")
        names.append(m.group(1))
    return names


def test_table(path):
    """(listed names in order, set of names called outside the table) for one test file."""
    with open(path, encoding="utf-8") as fh:
        test = fh.read()
    m = re.search(r"BEGIN EXERCISED FUNCTIONS[^\n]*\n(.*?)END EXERCISED FUNCTIONS", test, flags=re.S)
    if not m:
        sys.exit(f"check_coverage: no BEGIN/END EXERCISED FUNCTIONS table in {path}")
    table = re.findall(r"\bFN\(\s*([A-Za-z_]\w*)\s*\)", strip_comments(m.group(1)))
    body = strip_comments(test[: m.start()] + test[m.end():])
    called = set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", body))
    return table, called


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    header_path, tests = sys.argv[1], sys.argv[2:]
    with open(header_path, encoding="utf-8") as fh:
        declared = header_functions(fh.read())
    if len(declared) < 10:
        sys.exit(f"check_coverage: found only {len(declared)} functions in {header_path}")
    if len(set(os.path.abspath(t) for t in tests)) != len(tests):
        sys.exit("check_coverage: a test file is given twice")

    problems = []
    listed_in = {}  # function -> test files whose table lists it
    for path in tests:
        base = os.path.basename(path)
        table, called = test_table(path)
        for name in table:
            listed_in.setdefault(name, [])
            if base not in listed_in[name]:
                listed_in[name].append(base)
        for name in sorted(set(table)):
            if name not in declared:
                problems.append(f"{name}: in {base}'s table but not declared in npyio.h")
            elif name not in called:
                problems.append(f"{name}: in {base}'s table but never called in {base}")
        for name in sorted({n for n in table if table.count(n) > 1}):
            problems.append(f"{name}: listed more than once in {base}")

    names = ", ".join(os.path.basename(t) for t in tests)
    for name in declared:
        if name not in listed_in:
            problems.append(f"{name}: declared in npyio.h but in no test's table ({names})")

    if problems:
        print("check_coverage: FAILED", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    per_file = "; ".join(
        f"{os.path.basename(t)}: {sum(1 for v in listed_in.values() if os.path.basename(t) in v)}"
        for t in tests)
    print(f"check_coverage: all {len(declared)} functions of npyio.h are exercised ({per_file})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
