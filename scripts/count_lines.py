#!/usr/bin/env python3
"""Lines of C per workflow of the NumPy I/O guide against lines of Python.

    scripts/count_lines.py            print the table (Markdown)
    scripts/count_lines.py --check F  fail unless file F (README.md) holds that table

A line counts when it holds code: blank lines and lines that are only comments are not
counted (C: `/* ... */` and `//`; Python: `#`). The C programs are examples-c/NAME.c, the
Python programs that do the same (same arrays, same files, same output) examples-c/python/NAME.py.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKFLOWS = [
    ("save_load", "1. save, load, compare, file size"),
    ("named_arrays", "2. three named arrays in one .npz"),
    ("compression", "3. stored against compressed .npz"),
    ("checkpoint", "4. checkpoint and resume"),
    ("load_times", "5. load times: .npy, .csv, .npz"),
]


def c_lines(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return sum(1 for line in text.splitlines() if line.strip())


def py_lines(text):
    return sum(1 for line in text.splitlines() if line.strip() and not line.strip().startswith("#"))


def table():
    rows = ["| workflow (examples-c/) | lines of C | lines of Python |", "|---|---|---|"]
    for name, what in WORKFLOWS:
        with open(os.path.join(ROOT, "examples-c", name + ".c")) as f:
            c = c_lines(f.read())
        with open(os.path.join(ROOT, "examples-c", "python", name + ".py")) as f:
            p = py_lines(f.read())
        rows.append(f"| {what} (`{name}.c`) | {c} | {p} |")
    return "\n".join(rows)


def main(argv):
    t = table()
    if len(argv) == 3 and argv[1] == "--check":
        with open(argv[2]) as f:
            if t not in f.read():
                print(f"{argv[2]} does not hold the current table; it should read:\n{t}")
                return 1
        print(f"count_lines: the table in {argv[2]} is current")
        return 0
    if len(argv) != 1:
        print(__doc__)
        return 2
    print(t)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
