#!/usr/bin/env python3
"""Check every `ccall` of the Julia module against include/npyio.h (no Julia needed).

    check_signatures.py [--header H] [--src DIR]    check the module; print "N passed, M failed"
    check_signatures.py --self-test                  check the module, then prove the check
                                                     catches broken signatures: it re-runs
                                                     itself on mutated copies of the module
                                                     and expects each run to fail
    check_signatures.py --list                       print the C functions of the header

For each `ccall((:name, libnpyio), RetType, (ArgTypes...,), args...)` in DIR/*.jl (default
bindings/julia/src) it checks: `name` is a function of the header; the library is the module's
`libnpyio` constant; the return type and every argument type are the Julia types for the C
types (table below); the argument count equals the header's, and equals the number of values
passed. Julia mirrors of the header's option structs must have the C struct's fields, in
order, with matching types (the table below, without Ref). The module's copies of the
header's integer constants (`const NPYIO_X = Cint(-3)`)
must equal the #defines. Every `ccall` in the source must parse (a `ccall` it cannot read is a failure, as is
`@ccall`, which this checker does not read), so nothing escapes the check.

C type             Julia types accepted
int32_t, typedefs  Cint, Int32              (npyio_status, npy_mmap_mode, npyio_compression)
uint32_t           UInt32, Cuint
int64_t, uint64_t  Int64, UInt64
uint8_t            UInt8
size_t             Csize_t
bool               Bool
char               Cchar, UInt8             (a returned character: npyio_dtype_kind)
void (return)      Cvoid, Nothing
const char *       Cstring, Ptr{UInt8}, Ptr{Cchar}
char *             Ptr{UInt8}, Ptr{Cchar}   (a writable buffer; never Cstring)
void *             Ptr{Cvoid}
X * (X a scalar)   Ptr{J}, Ref{J}           for each Julia type J of X (arguments only)
X * (X opaque)     Ptr{X}                   (Julia declares `mutable struct X end`)
X * (X a struct)   Ptr{X}, Ref{X}           (Julia mirrors the struct field by field)
const char *const* Ptr{Ptr{UInt8}}, Ptr{Cstring}, Ptr{Ptr{Cchar}}
X ** (X opaque)    Ptr{Ptr{X}}, Ref{Ptr{X}} (out-parameters)
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_HEADER = os.path.join(ROOT, "include", "npyio.h")
DEFAULT_SRC = os.path.join(HERE, "src")
LIB_NAME = "libnpyio"
STRUCTS = set()  # the header's struct typedefs, set by check()

SCALARS = {
    "int32_t": ["Cint", "Int32"],
    "uint32_t": ["UInt32", "Cuint"],
    "uint64_t": ["UInt64"],
    "size_t": ["Csize_t"],
    "int64_t": ["Int64"],
    "uint8_t": ["UInt8"],
    "bool": ["Bool"],
    "char": ["Cchar", "UInt8"],
}


# ---- the C header --------------------------------------------------------------------------

def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("#"))


def parse_header(path):
    """{name: (ret_ctype, [param_ctype, ...])}, plus the typedef and opaque-struct tables."""
    with open(path, encoding="utf-8") as fh:
        text = strip_c_comments(fh.read())
    typedefs = dict((m.group(2), m.group(1)) for m in
                    re.finditer(r"typedef\s+([A-Za-z_]\w*)\s+([A-Za-z_]\w*)\s*;", text))
    opaque = set(m.group(1) for m in
                 re.finditer(r"typedef\s+struct\s+([A-Za-z_]\w*)\s+\1\s*;", text))
    structs = {}
    for m in re.finditer(r"typedef\s+struct\s*\{(.*?)\}\s*([A-Za-z_]\w*)\s*;", text, flags=re.S):
        fields = []
        for field in m.group(1).split(";"):
            field = " ".join(field.split())
            if not field:
                continue
            # A function-pointer field (npyio_reader's callbacks): Julia holds it as a
            # Ptr{Cvoid} (@cfunction), the C type `void *`.
            fp = re.match(r"^.*?\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(.*\)$", field)
            if fp:
                fields.append((fp.group(1), "void *"))
                continue
            fm = re.match(r"^(.*?[\s\*])([A-Za-z_]\w*)$", field)
            fields.append((fm.group(2), " ".join(fm.group(1).split())))
        structs[m.group(2)] = fields
    funcs = {}
    decl = re.compile(r"(?P<ret>\b[A-Za-z_][\w\s\*]*?)\s*\b(?P<name>(?:npy|npz|npyio)_\w+)\s*"
                      r"\((?P<params>[^;{}()]*)\)\s*;")
    for m in decl.finditer(text):
        ret = " ".join(m.group("ret").split())
        if ret.startswith("typedef") or "}" in ret:
            continue
        params = [" ".join(p.split()) for p in m.group("params").split(",")]
        if params == ["void"]:
            params = []
        types = []
        for p in params:
            # drop the parameter name: the last identifier, unless the type is only a keyword
            pm = re.match(r"^(.*?[\s\*])([A-Za-z_]\w*)$", p)
            types.append(" ".join(pm.group(1).split()) if pm else p)
        funcs[m.group("name")] = (ret, types)
    return funcs, typedefs, opaque, structs


def parse_defines(path):
    """{NAME: int} for the header's integer #defines."""
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^\s*#\s*define\s+(\w+)\s+\(?(-?\d+)\)?\s*$", text, flags=re.M)}


def allowed_julia(ctype, typedefs, opaque, is_return):
    """The Julia spellings accepted for one C type (whitespace-free, as normalised)."""
    ctype = ctype.replace("const ", "").replace(" const", "").strip()
    stars = ctype.count("*")
    base = ctype.replace("*", "").strip()
    while base in typedefs:
        base = typedefs[base]
    if stars == 0:
        if base == "void":
            return ["Cvoid", "Nothing"] if is_return else []
        return list(SCALARS.get(base, []))
    if stars == 1:
        if base == "char":  # allowed_for drops Cstring for a writable `char *`
            return ["Cstring", "Ptr{UInt8}", "Ptr{Cchar}"]
        if base == "void":
            return ["Ptr{Cvoid}"]
        if base in opaque:
            return [f"Ptr{{{base}}}"]
        if base in STRUCTS:
            return [f"Ptr{{{base}}}"] + ([] if is_return else [f"Ref{{{base}}}"])
        out = [f"Ptr{{{j}}}" for j in SCALARS.get(base, [])]
        if not is_return:
            out += [f"Ref{{{j}}}" for j in SCALARS.get(base, [])]
        return out
    if stars == 2 and base == "char":  # const char *const *: an array of C strings
        return ["Ptr{Ptr{UInt8}}", "Ptr{Cstring}", "Ptr{Ptr{Cchar}}"]
    if stars == 2 and base in opaque:
        return [f"Ptr{{Ptr{{{base}}}}}"] + ([] if is_return else [f"Ref{{Ptr{{{base}}}}}"])
    return []


def allowed_for(ctype, typedefs, opaque, is_return):
    allowed = allowed_julia(ctype, typedefs, opaque, is_return)
    # A writable `char *` is a buffer the C side fills: Cstring would be wrong there.
    if re.sub(r"\s", "", ctype) == "char*":
        allowed = [a for a in allowed if a != "Cstring"]
    return allowed


# ---- the Julia source ----------------------------------------------------------------------

def strip_julia_comments(src):
    """Blank out comments and string literals' contents except plain "..." strings are kept
    (ccall arguments may be strings); triple-quoted docstrings and comments are removed."""
    out = []
    i, n = 0, len(src)
    while i < n:
        if src.startswith("#=", i):
            j = src.find("=#", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * src.count("\n", i, j))
            i = j
        elif src[i] == "#":
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith('"""', i):
            j = src.find('"""', i + 3)
            j = n if j < 0 else j + 3
            out.append("\n" * src.count("\n", i, j))
            i = j
        elif src[i] == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append(src[i:j + 1])
            i = j + 1
        elif src[i] == "'" and i + 2 < n and (src[i + 2] == "'" or src[i + 1] == "\\"):
            # a character literal such as '<', '\0' or '\''
            j = src.find("'", i + 3 if src[i + 1] == "\\" else i + 2)
            out.append("' '")
            i = n if j < 0 else j + 1
        else:
            out.append(src[i])
            i += 1
    return "".join(out)


def split_top(s):
    """Split at top-level commas (outside (), {}, [] and strings)."""
    parts, depth, cur, i = [], 0, [], 0
    while i < len(s):
        c = s[i]
        if c == '"':
            j = i + 1
            while j < len(s) and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            cur.append(s[i:j + 1])
            i = j + 1
            continue
        if c in "({[":
            depth += 1
        elif c in ")}]":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
        else:
            cur.append(c)
        i += 1
    last = "".join(cur).strip()
    if last:
        parts.append(last)
    return parts


def balanced(s, start):
    """Index just past the parenthesis that closes the one at s[start]."""
    depth, i = 0, start
    while i < len(s):
        c = s[i]
        if c == '"':
            j = i + 1
            while j < len(s) and s[j] != '"':
                j += 2 if s[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def unwrap_tuple(expr):
    expr = expr.strip()
    if not (expr.startswith("(") and balanced(expr, 0) == len(expr)):
        return None
    return split_top(expr[1:-1])


def find_ccalls(path):
    """[(line, name, lib, ret, [argtypes], nvalues, problem-or-None)]"""
    with open(path, encoding="utf-8") as fh:
        src = strip_julia_comments(fh.read())
    calls = []
    for m in re.finditer(r"(@?)\bccall\b", src):
        line = src.count("\n", 0, m.start()) + 1
        if m.group(1):
            calls.append((line, "?", None, None, None, 0, "@ccall is not checked; use ccall"))
            continue
        k = m.end()
        while k < len(src) and src[k] in " \t":
            k += 1
        if k >= len(src) or src[k] != "(":
            calls.append((line, "?", None, None, None, 0, "ccall without an argument list"))
            continue
        end = balanced(src, k)
        args = split_top(src[k + 1:end - 1]) if end > 0 else []
        if len(args) < 3:
            calls.append((line, "?", None, None, None, 0, "ccall with fewer than 3 arguments"))
            continue
        target = unwrap_tuple(args[0])
        if not target or len(target) != 2 or not re.fullmatch(r":\w+", target[0]):
            calls.append((line, "?", None, None, None, 0,
                          f"first argument {args[0]!r} is not (:name, {LIB_NAME})"))
            continue
        argtypes = unwrap_tuple(args[2])
        if argtypes is None:
            calls.append((line, target[0][1:], target[1], args[1], None, 0,
                          f"argument types {args[2]!r} are not a literal tuple"))
            continue
        norm = lambda t: re.sub(r"\s+", "", t)  # noqa: E731
        calls.append((line, target[0][1:], target[1].strip(), norm(args[1]),
                      [norm(t) for t in argtypes], len(args) - 3, None))
    return calls


# ---- the check -----------------------------------------------------------------------------

def check(header, src_dir, verbose=True):
    funcs, typedefs, opaque, structs = parse_header(header)
    STRUCTS.clear()
    STRUCTS.update(structs)
    if not funcs:
        print(f"no functions found in {header}")
        return 0, 1
    files = sorted(os.path.join(src_dir, f) for f in os.listdir(src_dir) if f.endswith(".jl"))
    passed, failed, seen = 0, 0, set()
    for path in files:
        rel = os.path.relpath(path, src_dir)
        for line, name, lib, ret, argtypes, nvalues, problem in find_ccalls(path):
            where = f"{rel}:{line}: {name}"
            errors = [problem] if problem else []
            if not problem:
                if name not in funcs:
                    errors.append("not a function of npyio.h")
                else:
                    cret, cparams = funcs[name]
                    if lib != LIB_NAME:
                        errors.append(f"library {lib!r}, want {LIB_NAME}")
                    ok = allowed_for(cret, typedefs, opaque, True)
                    if ret not in ok:
                        errors.append(f"returns {ret}, C returns {cret!r} (want one of {ok})")
                    if len(argtypes) != len(cparams):
                        errors.append(f"{len(argtypes)} argument types, C has {len(cparams)}")
                    for i, (jt, ct) in enumerate(zip(argtypes, cparams)):
                        ok = allowed_for(ct, typedefs, opaque, False)
                        if jt not in ok:
                            errors.append(f"argument {i + 1} is {jt}, C has {ct!r} (want one of {ok})")
                    if nvalues != len(argtypes):
                        errors.append(f"{nvalues} values passed for {len(argtypes)} argument types")
                    seen.add(name)
            if errors:
                failed += 1
                if verbose:
                    for e in errors:
                        print(f"FAIL {where}: {e}")
            else:
                passed += 1
    if passed + failed == 0:
        print(f"no ccall found under {src_dir}")
        failed += 1
    ncalls = passed + failed
    # Julia mirrors of the header's structs: same fields, same order, matching types.
    jstructs = {}
    for path in files:
        rel = os.path.relpath(path, src_dir)
        with open(path, encoding="utf-8") as fh:
            src = strip_julia_comments(fh.read())
        for m in re.finditer(r"\b(?:mutable\s+)?struct\s+([A-Za-z_]\w*)\b(.*?)\bend\b", src, flags=re.S):
            if m.group(1) in structs:
                fields = re.findall(r"^\s*([A-Za-z_]\w*)\s*::\s*(\S+)\s*$", m.group(2), flags=re.M)
                jstructs[m.group(1)] = (rel, src.count("\n", 0, m.start()) + 1, fields)
    used = set()
    for path in files:
        with open(path, encoding="utf-8") as fh:
            used.update(re.findall(r"Ptr\{(\w+)\}", strip_julia_comments(fh.read())))
    for name in sorted((used & set(structs)) | set(jstructs)):
        if name not in jstructs:
            failed += 1
            if verbose:
                print(f"FAIL struct {name}: used in a ccall but not defined field by field")
            continue
        rel, line, jfields = jstructs[name]
        errors = []
        cfields = structs[name]
        if [n for n, _ in jfields] != [n for n, _ in cfields]:
            errors.append(f"fields {[n for n, _ in jfields]}, C has {[n for n, _ in cfields]}")
        else:
            for (fname, jt), (_, ct) in zip(jfields, cfields):
                ok = [a for a in allowed_for(ct, typedefs, opaque, True) if not a.startswith("Ref")]
                if re.sub(r"\s+", "", jt) not in ok:
                    errors.append(f"field {fname} is {jt}, C has {ct!r} (want one of {ok})")
        if errors:
            failed += 1
            if verbose:
                for e in errors:
                    print(f"FAIL {rel}:{line}: struct {name}: {e}")
        else:
            passed += 1
    nstructs = passed + failed - ncalls
    # The module's copies of the header's constants (const NPYIO_X = Cint(-3)) must agree.
    defines = parse_defines(header)
    for path in files:
        rel = os.path.relpath(path, src_dir)
        with open(path, encoding="utf-8") as fh:
            src = strip_julia_comments(fh.read())
        for m in re.finditer(r"\bconst\s+((?:NPYIO|NPY)_\w+)\s*=\s*\w+\(\s*(-?\d+)\s*\)", src):
            name, value = m.group(1), int(m.group(2))
            line = src.count("\n", 0, m.start()) + 1
            if defines.get(name) != value:
                failed += 1
                if verbose:
                    print(f"FAIL {rel}:{line}: {name} = {value}, npyio.h says {defines.get(name)}")
            else:
                passed += 1
    if verbose:
        unused = sorted(set(funcs) - seen)
        print(f"checked {ncalls} ccalls of {len(seen)} C functions, {nstructs} structs and "
              f"{passed + failed - ncalls - nstructs} constants against "
              f"{os.path.relpath(header, ROOT)}"
              + (f"; not wrapped: {', '.join(unused)}" if unused else "; every function wrapped"))
    return passed, failed


# ---- self-test: the check must fail on signatures changed on purpose -----------------------

# (description, file, old, new): each replaces the first occurrence of `old` in the file.
MUTATIONS = [
    ("return type changed (Cint -> Csize_t)", "LibNpyIO.jl",
     "ccall((:npy_open, libnpyio), Cint,", "ccall((:npy_open, libnpyio), Csize_t,"),
    ("argument type changed (Csize_t -> UInt32)", "LibNpyIO.jl",
     "ccall((:npy_read_into, libnpyio), Cint, (Ptr{npy_file}, Ptr{Cvoid}, Csize_t,",
     "ccall((:npy_read_into, libnpyio), Cint, (Ptr{npy_file}, Ptr{Cvoid}, UInt32,"),
    ("argument dropped", "LibNpyIO.jl",
     "(Ptr{npy_file}, UInt64, UInt64, Ptr{Cvoid}, Csize_t, UInt32)",
     "(Ptr{npy_file}, UInt64, Ptr{Cvoid}, Csize_t, UInt32)"),
    ("two arguments swapped", "LibNpyIO.jl",
     "(Ptr{npy_file}, Ptr{Cvoid}, Csize_t, UInt32)", "(Ptr{npy_file}, Csize_t, Ptr{Cvoid}, UInt32)"),
    ("function renamed", "LibNpyIO.jl", "(:npz_open, libnpyio)", "(:npz_opne, libnpyio)"),
    ("wrong handle type", "LibNpyIO.jl",
     "ccall((:npz_close, libnpyio), Cvoid, (Ptr{npz_file},)",
     "ccall((:npz_close, libnpyio), Cvoid, (Ptr{npy_file},)"),
    ("Bool -> Cint", "LibNpyIO.jl",
     "ccall((:npy_fortran_order, libnpyio), Bool,", "ccall((:npy_fortran_order, libnpyio), Cint,"),
    ("Cstring for a writable buffer", "LibNpyIO.jl",
     "ccall((:npyio_last_error, libnpyio), Csize_t, (Ptr{UInt8},",
     "ccall((:npyio_last_error, libnpyio), Csize_t, (Cstring,"),
    ("out-parameter loses a level of indirection", "LibNpyIO.jl",
     "(Cstring, Ref{Ptr{npz_file}})", "(Cstring, Ref{npz_file})"),
    ("value count differs from the type tuple", "LibNpyIO.jl",
     "(Ptr{npy_file},), f)", "(Ptr{npy_file},), f, f)"),
    ("a constant disagrees with the header", "LibNpyIO.jl",
     "const NPYIO_ERR_NOT_FOUND = Cint(-20)", "const NPYIO_ERR_NOT_FOUND = Cint(-21)"),
    ("a struct field with the wrong type", "LibNpyIO.jl",
     "    skiprows::UInt64\n", "    skiprows::UInt32\n"),
    ("a struct field missing", "LibNpyIO.jl", "    quotechar::Ptr{UInt8}\n", ""),
    ("another library", "LibNpyIO.jl", "(:npyio_version, libnpyio)", "(:npyio_version, \"libc\")"),
    ("a ccall the checker cannot read", "LibNpyIO.jl",
     "ccall((:npy_close, libnpyio)", "ccall(npy_close_ptr"),
    ("@ccall slipped in", "NpyIO.jl", "module NpyIO\n",
     "module NpyIO\n_v() = @ccall libnpyio.npyio_version()::Cstring\n"),
]


def self_test(header, src_dir):
    passed = failed = 0
    p, f = check(header, src_dir, verbose=True)
    if f == 0 and p > 0:
        passed += 1
        print(f"ok   the module as it is: {p} ccalls and constants match the header")
    else:
        failed += 1
        print(f"FAIL the module as it is: {f} ccalls or constants do not match the header")
    with tempfile.TemporaryDirectory() as tmp:
        for desc, fname, old, new in MUTATIONS:
            copy = os.path.join(tmp, "src")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(src_dir, copy)
            path = os.path.join(copy, fname)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            if old not in text:
                failed += 1
                print(f"FAIL mutation '{desc}': pattern not found in {fname} (update MUTATIONS)")
                continue
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(text.replace(old, new, 1))
            r = subprocess.run([sys.executable, os.path.abspath(__file__), "--header", header,
                                "--src", copy], capture_output=True, text=True)
            fails = [ln for ln in r.stdout.splitlines() if ln.startswith("FAIL")]
            if r.returncode != 0 and fails:
                passed += 1
                print(f"ok   mutation '{desc}' is caught: {fails[0][5:]}")
            else:
                failed += 1
                print(f"FAIL mutation '{desc}' was not caught (exit {r.returncode})")
    return passed, failed


def main(argv):
    header, src_dir, mode = DEFAULT_HEADER, DEFAULT_SRC, "check"
    args = list(argv[1:])
    while args:
        a = args.pop(0)
        if a == "--header":
            header = args.pop(0)
        elif a == "--src":
            src_dir = args.pop(0)
        elif a in ("--self-test", "--list"):
            mode = a[2:]
        else:
            sys.exit(__doc__)
    if mode == "list":
        funcs, _, _, structs = parse_header(header)
        for name, fields in structs.items():
            print(f"struct {name} {{ {'; '.join(f'{t} {n}' for n, t in fields)} }}")
        for name, (ret, params) in funcs.items():
            print(f"{ret} {name}({', '.join(params)})")
        return 0
    passed, failed = self_test(header, src_dir) if mode == "self-test" else check(header, src_dir)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
