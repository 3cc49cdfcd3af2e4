#!/usr/bin/env python3
"""bench/kinds/run.py - what the fingerprint tool makes of real test modules.

    python3 bench/kinds/run.py [--adapters DIR] [--git-dir GITDIR ...] [ROOT ...]

For each ROOT (a directory), or each GITDIR's HEAD tree (its tests/ taken
out with `git archive` into a scratch directory), every `test_*.py` file
under it is fingerprinted with DIR's ftrace_fingerprint.py (default: this
checkout's adapters/pytest), and the kinds of its top-level statements are
counted (docs/python-functions.md, "Test modules": "mark", "mclass",
"class", ... narrow a change of the statement; "other" does not).  Prints
one line per source (its commit for a GITDIR) and the totals.  Run it
with the interpreter the suites use: the kinds may depend on it.
--others N also tallies the "other" statements by a rough shape.
"""
import argparse
import ast
import collections
import glob
import os
import subprocess
import sys
import tempfile


def shape(node):
    """A rough name for the shape of a statement: a def by its first
    decorator, a class by its bases and its methods' decorators, an import
    by its top-level module, else the statement's type."""
    t = type(node).__name__
    if t in ("FunctionDef", "AsyncFunctionDef"):
        if node.decorator_list:
            return "def @" + ast.unparse(node.decorator_list[0]).split("(")[0]
        return "def"
    if t == "ClassDef":
        decos = sorted({"@" + ast.unparse(d).split("(")[0] for st in node.body
                        if type(st) in (ast.FunctionDef, ast.AsyncFunctionDef)
                        for d in st.decorator_list})
        return "class(%s)%s %s" % (", ".join(ast.unparse(b) for b in node.bases)[:40],
                                   " @" if node.decorator_list else "", " ".join(decos)[:60])
    if t in ("Import", "ImportFrom"):
        mod = getattr(node, "module", None) or node.names[0].name
        return "%s %s" % (t, "." * getattr(node, "level", 0) + mod.split(".")[0])
    return t


def count(adapters_fp, root, others=None):
    kinds = collections.Counter()
    for path in sorted(glob.glob(os.path.join(root, "**", "test_*.py"), recursive=True)):
        try:
            with open(path, encoding="utf-8") as f:
                src = f.read()
            ast.parse(src)
            fp = adapters_fp.fingerprint_source(src, path)
        except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
            kinds["(unparsable file)"] += 1
            continue
        body = ast.parse(src).body
        for s, node in zip((fp.get("names") or {}).get("stmts", []), body):
            kinds[s[1].split(":")[0]] += 1
            if others is not None and s[1] == "other":
                others[shape(node)] += 1
    return kinds


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--adapters", default=os.path.join(here, "..", "..", "adapters", "pytest"))
    ap.add_argument("--git-dir", action="append", default=[])
    ap.add_argument("--others", type=int, default=0, metavar="N",
                    help="also print the N most common shapes of the 'other' statements")
    ap.add_argument("roots", nargs="*")
    a = ap.parse_args(argv)
    sys.path.insert(0, os.path.abspath(a.adapters))
    import ftrace_fingerprint
    total = collections.Counter()
    others = collections.Counter() if a.others else None
    with tempfile.TemporaryDirectory() as tmp:
        sources = [(r, r) for r in a.roots]
        for g in a.git_dir:
            head = subprocess.run(["git", "--git-dir", g, "rev-parse", "HEAD"], check=True,
                                  capture_output=True, text=True).stdout.strip()
            dest = os.path.join(tmp, str(len(sources)))
            os.makedirs(dest)
            arch = subprocess.run(["git", "--git-dir", g, "archive", "HEAD", "tests"],
                                  capture_output=True)
            if arch.returncode:
                print("%s: no tests/ at %s" % (g, head[:12]))
                continue
            subprocess.run(["tar", "-x", "-C", dest], input=arch.stdout, check=True)
            sources.append(("%s@%s" % (g, head[:12]), dest))
        for name, root in sources:
            k = count(ftrace_fingerprint, root, others)
            total.update(k)
            print("%s: %s" % (name, " ".join("%s %d" % kv for kv in sorted(k.items()))))
    print("total (%s): %s" % (sys.version.split()[0],
                              " ".join("%s %d" % kv for kv in sorted(total.items()))))
    if others is not None:
        for k, n in others.most_common(a.others):
            print("%6d  other: %s" % (n, k))


if __name__ == "__main__":
    main(sys.argv[1:])
