#!/usr/bin/env python3
"""bench/mutate/run.py - seeded one-line mutations of a real Python
project's sources: after each, does ftrace select every test that fails,
and how much does it select?  Next to pytest-testmon, on the same tree.

    python3 bench/mutate/run.py REPO [--mutations N] [--seed S]
        [--glob 'src/**/*.py'] [--kind operators|tables] [--name NAME] [--pip 'PKG ...']
        [--pytest-args '...'] [--build DIR] [--python PY]
        [--granularity auto|function|file]

REPO is a git checkout (or a bare mirror) of a project with a pytest suite.
Set-up, once: a work copy (bench/out/mutate-NAME-<stamp>/work: a clone of
REPO at its HEAD; not under /tmp, which ftrace treats as outputs) and a
venv beside it, made with PY (default: the `python3` first on PATH), into
which pip installs pytest, pytest-testmon, --pip's packages and the work
copy (editable, with its dependencies) from PyPI.  Then the clean tree is
recorded by both tools: `ftrace run -- pytest` and `pytest
--testmon-noselect`.

Each mutation (random.Random(S): a file of --glob, a line, an operator
swap such as `==` -> `!=`, `True` -> `False`, `0` -> `1`, `return x` ->
`return None and x`; with --kind tables, a table entry's upper-case key
renamed or its dotted value's last part dropped; a line the pattern does
not match, or a comment, is drawn again) is applied in the work copy, then:
  1. `ftrace affected --format json`: the tests ftrace selects;
  2. `pytest --testmon --testmon-forceselect --collect-only -q` on a copy
     of testmon's data as recorded on the clean tree: testmon's selection;
  3. the full suite, plain pytest: which tests fail;
and the file is put back (`git checkout`).  Before the first mutation,
both tools select on the clean tree: what they select with nothing
changed is printed first (line 0).  A mutation that fails no test
still counts for what is selected.  An *escape* is a test that fails (and
passed on the clean tree) but was not selected; a function or class id
that a tool prints covers its parametrized cases and methods.  Printed
per mutation and summed: tests selected (mean and median fraction of the
suite, how many mutations select every test) and escapes, for each tool.
summary.txt beside the work copy keeps the output.  Nothing is asserted:
it is a measurement, the same for a given REPO commit, seed, interpreter
and package versions (nothing is timed).
"""

import argparse
import glob
import json
import os
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REPORT_DIR = os.path.join(ROOT, "bench", "replay")  # replay_report.py: outcomes per node id

MUTATIONS = [(r"==", "!="), (r"!=", "=="), (r" < ", " <= "), (r" > ", " >= "),
             (r"\bTrue\b", "False"), (r"\bFalse\b", "True"), (r"\b0\b", "1"), (r"\b1\b", "2"),
             (r"\bnot ", ""), (r" and ", " or "), (r"return ", "return None and "),
             (r'"([a-z_]+)"', '"\\1x"')]
# --kind tables: an entry of a module-level table (a keyword list, a token
# map, a regex list): a quoted upper-case key renamed, a dotted value's
# last part dropped (`tokens.Keyword.DML,` -> `tokens.Keyword,`)
TABLE_MUTATIONS = [(r"'([A-Z][A-Z_]+)'", "'\\1X'"), (r'"([A-Z][A-Z_]+)"', '"\\1X"'),
                   (r"\b(\w+\.\w+)\.\w+(\)?),\s*$", "\\1\\2,")]


def must(cmd, **kw):
    p = subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
    if p.returncode != 0:
        sys.exit("mutate: %s failed:\n%s" % (" ".join(cmd), p.stdout[-4000:]))
    return p.stdout


def covered(test, ids):
    """Is `test` selected: its own id, or a function ("f::t" runs "f::t[1]"),
    class ("f::C" runs "f::C::m") or file id above it?"""
    if test in ids:
        return True
    cut = [i for i, c in enumerate(test) if c == "["] + [
        i for i in range(len(test)) if test.startswith("::", i)]
    return any(test[:i] in ids for i in cut)


TIMED_OUT = "timed out"


def outcomes(py, work, env, extra, report, timeout=None):
    """The full suite, plain: {node id: outcome}, None, or TIMED_OUT when
    it ran longer than `timeout` seconds (a mutation that loops)."""
    try:
        subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "replay_report",
                        "--replay-report", report] + extra,
                       cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=timeout)
    except subprocess.TimeoutExpired:
        return TIMED_OUT
    try:
        with open(report) as f:
            return {k: v[0] for k, v in json.load(f).items()}
    except (OSError, ValueError):
        return None


def ftrace_selects(ftrace, work, env):
    """ftrace's selection, or (None, why) when it cannot tell."""
    p = subprocess.run([ftrace, "affected", "--format", "json"], cwd=work, env=env,
                       text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        return None, p.stderr.strip()
    return {t["id"] for t in json.loads(p.stdout)["tests"]}, ""


def testmon_selects(py, work, env, extra, data, scratch):
    # a fresh copy of the clean tree's data each time, outside the work
    # tree (TESTMON_DATAFILE): a file testmon adds at the top would be a
    # change of the tree both tools select on
    shutil.copy(data, scratch)
    p = subprocess.run([py, "-m", "pytest", "--testmon", "--testmon-forceselect", "--collect-only", "-q",
                        "-p", "no:cacheprovider"] + extra, cwd=work,
                       env=dict(env, TESTMON_DATAFILE=scratch), text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    return {l.strip() for l in p.stdout.splitlines() if "::" in l and not l.startswith(" ")}


def summary_of(name, fracs, alls, escapes, ntests):
    if not fracs:
        return "%s: nothing measured" % name
    return ("%s: mean %.1f%%, median %.1f%% of %d tests selected; every test selected by %d of %d "
            "mutations; escapes %d" % (name, 100 * statistics.mean(fracs), 100 * statistics.median(fracs),
                                       ntests, alls, len(fracs), escapes))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--mutations", type=int, default=25)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--glob", default="src/**/*.py", help="the sources mutated, relative to the top")
    ap.add_argument("--kind", choices=("operators", "tables"), default="operators",
                    help="operators and constants in code (default), or entries of module-level tables")
    ap.add_argument("--name")
    ap.add_argument("--pip", default="", help="more packages the tests need")
    ap.add_argument("--pytest-args", default="", help="extra pytest arguments")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--python", default="python3", help="the interpreter the venv is made with")
    ap.add_argument("--run-timeout", type=float, default=None,
                    help="seconds a mutated full run may take (default: 10 times the clean run's, "
                         "at least 60); a run that takes longer is reported and left out")
    ap.add_argument("--granularity", choices=("auto", "function", "file"), default=None,
                    help="ftrace's granularity for recording and selection (default: ftrace's, auto)")
    a = ap.parse_args()

    ftrace = os.path.join(os.path.abspath(a.build), "ftrace")
    if not os.access(ftrace, os.X_OK):
        sys.exit("mutate: no %s (--build)" % ftrace)
    name = a.name or os.path.basename(os.path.abspath(a.repo).rstrip("/"))
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = os.path.join(ROOT, "bench", "out", "mutate-%s-%s" % (name, stamp))
    work, state, venv = (os.path.join(out, d) for d in ("work", "ftrace-state", "venv"))
    os.makedirs(out)
    must(["git", "clone", "-q", a.repo, work])
    head = must(["git", "-C", work, "rev-parse", "HEAD"]).strip()
    must([a.python, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "pytest", "pytest-testmon"]
         + a.pip.split())
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", work])
    version = must([py, "-c", "import sys; print(sys.version.split()[0])"]).strip()
    pkgs = must([py, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"])
    with open(os.path.join(out, "packages.txt"), "w") as fh:
        fh.write(pkgs)

    env = dict(os.environ)
    env["PYTHONPATH"] = REPORT_DIR + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["FTRACE_DIR"] = state
    env["FTRACE_PYTHON"] = py
    env["PATH"] = os.path.join(venv, "bin") + ":" + env["PATH"]
    env.pop("FTRACE_GRANULARITY", None)
    if a.granularity:
        env["FTRACE_GRANULARITY"] = a.granularity   # ftrace run and affected alike
    extra = shlex.split(a.pytest_args)

    # the clean tree, recorded by both tools
    subprocess.run([ftrace, "run", "-q", "--", py, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + extra,
                   cwd=work, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    data = os.path.join(out, "testmondata")
    scratch = os.path.join(out, "testmondata-scratch")
    subprocess.run([py, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--testmon-noselect"] + extra,
                   cwd=work, env=dict(env, TESTMON_DATAFILE=data), stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    if not os.path.exists(data):
        sys.exit("mutate: testmon recorded nothing")
    t0 = time.monotonic()
    base = outcomes(py, work, env, extra, os.path.join(out, "report.json"))
    if not base:
        sys.exit("mutate: the clean suite did not run")
    limit = a.run_timeout or max(60.0, 10 * (time.monotonic() - t0))
    failing0 = {t for t, o in base.items() if o == "failed"}
    ntests = len(base)
    lines = ["mutate: %s at %s, Python %s, %d tests (%d fail on the clean tree), seed %d, %s%s%s"
             % (name, head[:12], version, ntests, len(failing0), a.seed, must([ftrace, "--version"]).strip(),
                ", granularity " + a.granularity if a.granularity else "",
                ", kind tables" if a.kind == "tables" else "")]
    print(lines[0], flush=True)
    # what each tool selects with nothing changed: its floor
    ft, err = ftrace_selects(ftrace, work, env)
    tm = testmon_selects(py, work, env, extra, data, scratch)
    lines.append(" 0 (no change)  ftrace %s  testmon %d" % (
        "could not tell (%s)" % err if ft is None else sum(1 for t in base if covered(t, ft)),
        sum(1 for t in base if covered(t, tm))))
    print(lines[-1], flush=True)

    rnd = random.Random(a.seed)
    files = sorted(f for f in glob.glob(os.path.join(work, a.glob), recursive=True) if os.path.isfile(f))
    if not files:
        sys.exit("mutate: no file matches %s" % a.glob)
    res = {"ftrace": ([], 0, 0), "testmon": ([], 0, 0)}
    tried = 0
    while tried < a.mutations:
        f = rnd.choice(files)
        with open(f) as fh:
            text = fh.read().split("\n")
        i = rnd.randrange(len(text))
        frm, to = rnd.choice(MUTATIONS if a.kind == "operators" else TABLE_MUTATIONS)
        if not re.search(frm, text[i]) or text[i].lstrip().startswith("#"):
            continue
        text[i] = re.sub(frm, to, text[i], count=1)
        with open(f, "w") as fh:
            fh.write("\n".join(text))
        tried += 1
        rel = os.path.relpath(f, work)
        try:
            ft, err = ftrace_selects(ftrace, work, env)
            tm = testmon_selects(py, work, env, extra, data, scratch)
            now = outcomes(py, work, env, extra, os.path.join(out, "report-%d.json" % tried), limit)
        finally:
            must(["git", "-C", work, "checkout", "-q", "--", rel])
        if now is TIMED_OUT:
            # which tests fail is unknown: neither tool is judged on it
            line = "%2d %s:%d  the full run took over %g s: left out" % (tried, rel, i + 1, round(limit, 1))
            print(line, flush=True)
            lines.append(line)
            continue
        if ft is None:
            line = "%2d %s:%d  ftrace could not tell (%s): every test runs" % (tried, rel, i + 1, err)
            print(line, flush=True)
            lines.append(line)
            ft = set(base)
        if now is None:
            line = "%2d %s:%d  the suite did not run: no test counts as failing" % (tried, rel, i + 1)
            print(line, flush=True)
            lines.append(line)
        failing = {t for t, o in (now or {}).items() if o == "failed"} - failing0
        parts = ["%2d %s:%d  %d fail" % (tried, rel, i + 1, len(failing))]
        for tool, sel in (("ftrace", ft), ("testmon", tm)):
            fracs, alls, esc = res[tool]
            n = sum(1 for t in base if covered(t, sel))
            miss = sorted(t for t in failing if not covered(t, sel))
            fracs.append(n / ntests)
            res[tool] = (fracs, alls + (n == ntests), esc + len(miss))
            parts.append("%s %d%s" % (tool, n, (" ESCAPES " + " ".join(miss[:3])) if miss else ""))
        print("  ".join(parts), flush=True)
        lines.append("  ".join(parts))
    for tool in ("ftrace", "testmon"):
        fracs, alls, esc = res[tool]
        lines.append(summary_of(tool, fracs, alls, esc, ntests))
        print(lines[-1])
    with open(os.path.join(out, "summary.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("mutate: %s" % os.path.join(out, "summary.txt"))


if __name__ == "__main__":
    main()
