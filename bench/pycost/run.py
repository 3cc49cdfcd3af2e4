#!/usr/bin/env python3
"""bench/pycost/run.py - what recording costs on a real pytest suite: plain
pytest, `ftrace run` at each granularity and pytest-testmon, interleaved,
as ratios to plain pytest measured in one run.

    python3 bench/pycost/run.py REPO [--pytest-args '...'] [--pip 'PKG ...']
        [--reps N] [--name NAME] [--build DIR] [--vs DIR] [--python PY]

REPO is a git checkout (or a bare mirror) of a project with a pytest suite.
Set-up, once: a work copy (bench/out/pycost-NAME-<stamp>/work, a clone of
REPO at its HEAD) and a venv beside it, made with PY (default: the
`python3` first on PATH), into which pip installs pytest, pytest-testmon,
--pip's packages and the work copy (editable, with its dependencies).

Then N rounds (default 3); each round runs, in this order, each from a
clean state (no .ftrace state directory, no testmon data) but `again`:
  plain      pytest -q -p no:cacheprovider ARGS
  function   ftrace run --granularity=function -- pytest ... (the build's)
  again      the same again, on the state `function` left (nothing changed:
             a user's next recording, its caches warm)
  file       ftrace run --granularity=file -- pytest ...
  file-again the same again, on the state `file` left (its fingerprint
             cache warm: a session by file fingerprints the project's
             .py files it loaded, for selection's import-time rule)
  testmon    pytest --testmon-noselect ...: testmon recording every test
  vs         with --vs DIR: `ftrace run --granularity=function` of that
             other build (an earlier commit's, say), the same way
  vs-again   with --vs DIR: that build's `again`, on the state `vs` left
  vs-file    with --vs DIR: that build's `file`
Each line prints the wall time's median and minimum over the rounds and
their ratio to plain pytest's (median to median, minimum to minimum), and
the load average at the start and end; a load above the core count is
flagged.  Nothing is asserted; summary.txt beside the work copy keeps the
output.  The machine's noise moves these figures: compare lines of one
run, not of two.
"""

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def must(cmd, **kw):
    p = subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
    if p.returncode != 0:
        sys.exit("pycost: %s failed:\n%s" % (" ".join(cmd), p.stdout[-4000:]))
    return p.stdout


def load():
    return os.getloadavg()[0]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--pytest-args", default="", help="extra pytest arguments (the tests to run)")
    ap.add_argument("--pip", default="", help="more packages the tests need")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--name")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--vs", help="another ftrace build directory, timed as `vs`")
    ap.add_argument("--python", default="python3", help="the interpreter the venv is made with")
    a = ap.parse_args()
    builds = {"function": os.path.join(os.path.abspath(a.build), "ftrace")}
    if a.vs:
        builds["vs"] = os.path.join(os.path.abspath(a.vs), "ftrace")
    for b in builds.values():
        if not os.access(b, os.X_OK):
            sys.exit("pycost: no %s" % b)
    name = a.name or os.path.basename(os.path.abspath(a.repo).rstrip("/"))
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = os.path.join(ROOT, "bench", "out", "pycost-%s-%s" % (name, stamp))
    work, venv = os.path.join(out, "work"), os.path.join(out, "venv")
    os.makedirs(out)
    must(["git", "clone", "-q", a.repo, work])
    head = must(["git", "-C", work, "rev-parse", "HEAD"]).strip()
    must([a.python, "-m", "venv", venv])
    py = os.path.join(venv, "bin", "python")
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "pytest", "pytest-testmon"]
         + a.pip.split())
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", work])
    version = must([py, "-c", "import sys; print(sys.version.split()[0])"]).strip()
    with open(os.path.join(out, "packages.txt"), "w") as fh:
        fh.write(must([py, "-m", "pip", "list", "--format=freeze", "--disable-pip-version-check"]))

    env = dict(os.environ)
    env["PATH"] = os.path.join(venv, "bin") + ":" + env["PATH"]
    env["FTRACE_PYTHON"] = py
    env.pop("FTRACE_GRANULARITY", None)
    state = os.path.join(out, "ftrace-state")
    env["FTRACE_DIR"] = state
    data = os.path.join(out, "testmondata")
    pytest = [py, "-m", "pytest", "-q", "-p", "no:cacheprovider"] + shlex.split(a.pytest_args)
    variants = [("plain", pytest),
                ("function", [builds["function"], "run", "-q", "--granularity=function", "--"] + pytest),
                ("again", [builds["function"], "run", "-q", "--granularity=function", "--"] + pytest),
                ("file", [builds["function"], "run", "-q", "--granularity=file", "--"] + pytest),
                ("file-again", [builds["function"], "run", "-q", "--granularity=file", "--"] + pytest),
                ("testmon", pytest + ["--testmon-noselect"])]
    if a.vs:
        variants.append(("vs", [builds["vs"], "run", "-q", "--granularity=function", "--"] + pytest))
        variants.append(("vs-again", variants[-1][1]))
        variants.append(("vs-file", [builds["vs"], "run", "-q", "--granularity=file", "--"] + pytest))

    times = {v: [] for v, _ in variants}
    load0 = load()
    for r in range(a.reps):
        for v, cmd in variants:
            if v not in ("again", "vs-again", "file-again"):
                shutil.rmtree(state, ignore_errors=True)
            if os.path.exists(data):
                os.unlink(data)
            t0 = time.monotonic()
            p = subprocess.run(cmd, cwd=work, env=dict(env, TESTMON_DATAFILE=data),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[v].append(time.monotonic() - t0)
            if p.returncode not in (0, 1):
                sys.exit("pycost: %s exited %d (round %d)" % (v, p.returncode, r + 1))
    load1 = load()
    ncpu = os.cpu_count() or 1
    lines = ["pycost: %s at %s, Python %s, pytest %s, %d rounds, ftrace %s%s"
             % (name, head[:12], version, a.pytest_args or "(all)", a.reps,
                must([builds["function"], "--version"]).strip(),
                ", vs " + must([builds["vs"], "--version"]).strip() + " at " + a.vs if a.vs else ""),
             "load average %.2f at start, %.2f at end, %d cores%s"
             % (load0, load1, ncpu, "  (above the core count: noisy)" if max(load0, load1) > ncpu else "")]
    med0, min0 = statistics.median(times["plain"]), min(times["plain"])
    for v, _ in variants:
        med, lo = statistics.median(times[v]), min(times[v])
        lines.append("%-9s median %7.2f s  min %7.2f s   %5.2fx plain (median), %5.2fx (min)"
                     % (v, med, lo, med / med0, lo / min0))
    print("\n".join(lines))
    with open(os.path.join(out, "summary.txt"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    print("pycost: %s" % os.path.join(out, "summary.txt"))


if __name__ == "__main__":
    main()
