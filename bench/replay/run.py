#!/usr/bin/env python3
"""bench/replay/run.py - replay the last N commits of a git repository with
a pytest suite, and compare what ftrace and pytest-testmon select.

    python3 bench/replay/run.py REPO [--commits N] [--name NAME]
        [--pip 'PKG ...'] [--pytest-args '...'] [--build DIR] [--python PY]
        [--keep-dbs] [--ftrace-json TEXT]

REPO is any git directory (a bare mirror is fine).  The commits are the last
N+1 of its first-parent history (HEAD and its first parents), oldest first:
the oldest is only recorded, each later one is a step.

Set-up, once: a work copy (bench/out/replay-NAME-<stamp>/work, a clone of
REPO checked out at the oldest commit), and a venv beside it (venv/, made
by this script with `PY -m venv`, PY the `python3` first on PATH unless
--python names another interpreter) into which pip
installs pytest, pytest-testmon and --pip's packages from PyPI, and the
work copy itself as an editable install without dependencies.

At each step (commit C, the previous commit P recorded):
  1. check C out into the work copy;
  2. select, each timed:
       ftrace affected --granularity=file
       ftrace affected --granularity=function
       pytest --testmon --testmon-forceselect --collect-only -q
                                                (testmon, on a copy of its
                                                 data as recorded at P;
                                                 --testmon-forceselect keeps
                                                 its selection on when the
                                                 project's addopts use -m or
                                                 -k, as click's do, which
                                                 would otherwise make testmon
                                                 run every test)
  3. the full suite, plain pytest: which tests exist and fail at C, each
     test's duration, the wall time;
  4. record C: `ftrace run --granularity=function -- pytest` (one recording
     serves both ftrace granularities) and `pytest --testmon-noselect`
     (testmon records every test, deselects none).
Every pytest run loads replay_report.py (`-p replay_report`) to learn the
node ids, outcomes and durations.

What a tool "runs" at C: the tests it selects, plus, for ftrace, every test
the recording at P did not know (new tests always run: `ftrace test`
deselects only known unaffected tests) and every test of a new test file it
prints.  testmon runs new tests by itself.

Printed per step and tool: the fraction of C's tests run; "escapes": tests
that failed at C but were not run (a soundness failure), and tests whose
outcome changed from P to C but were not run, counted against the plain
run; then, after recording, the same two counts against ftrace's recording
run at C ("in the recording run": a test can fail under recording only,
e.g. one that times itself, issue 26); the selection time; and the
time saved: 1 - (selection + pytest's fixed cost + the durations of the
tests run) / the plain full run, where pytest's fixed cost is the plain
run's wall time minus the sum of its test durations, counted for ftrace
only when it runs some test (`ftrace test` starts no pytest when nothing
is affected; testmon's selection already includes start-up and
collection, so its fixed cost is not added twice).  Recording costs are printed apart (ratio of each recording run
to the plain run).  The summary goes to summary.txt beside the work copy;
summary-so-far.txt has the same figures over the steps done, after each step.
With --ftrace-json, that text is the work copy's `.ftrace.json` (untracked,
so every step keeps it): settings a user of the library would make, such
as `{"ignore_programs": ["git"]}` (docs/hooks.md).

With --keep-dbs, ftrace's database as each step's recording left it is
copied to db-N.db (N = the step; db-0.db is the oldest commit's).
Nothing is asserted: it is a measurement.

Environment: FTRACE_PYTHON is set to the venv's python for `ftrace
affected --granularity=function`.
"""

import argparse
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def sh(cmd, **kw):
    """Run cmd; return (status, seconds, stdout)."""
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=kw.pop("stderr", subprocess.DEVNULL),
                       text=True, **kw)
    return p.returncode, time.monotonic() - t0, p.stdout


def must(cmd, **kw):
    p = subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)
    if p.returncode != 0:
        sys.exit("replay: %s failed:\n%s" % (" ".join(cmd), p.stdout[-4000:]))
    return p.stdout


def covered(test, ids):
    """Is `test` under an id pytest is asked for whole: a test function
    ("f::t" runs "f::t[1]") or a class ("f::C" runs "f::C::m"), as
    function granularity asks for a changed one (docs/python-functions.md,
    "Test modules")?"""
    cut = [i for i, c in enumerate(test) if c == "["] + [
        i for i in range(len(test)) if test.startswith("::", i)]
    return any(test[:i] in ids for i in cut if "::" in test[:i])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("repo")
    ap.add_argument("--commits", type=int, default=10)
    ap.add_argument("--name")
    ap.add_argument("--pip", default="", help="more packages the tests need")
    ap.add_argument("--pytest-args", default="", help="extra pytest arguments")
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--python", default="python3", help="the interpreter the venv is made with")
    ap.add_argument("--keep-dbs", action="store_true",
                    help="keep a copy of ftrace's database after each recording (db-N.db)")
    ap.add_argument("--ftrace-json", default=None,
                    help="the text of a .ftrace.json to put at the work copy's top, "
                         "e.g. '{\"ignore_programs\": [\"git\"]}' (docs/hooks.md)")
    a = ap.parse_args()
    if a.ftrace_json is not None:
        try:
            json.loads(a.ftrace_json)
        except ValueError as e:
            sys.exit("replay: --ftrace-json is no JSON: %s" % e)

    # (absolute: the commands run in the work copy)
    ftrace = os.path.join(os.path.abspath(a.build), "ftrace")
    if not os.access(ftrace, os.X_OK):
        sys.exit("replay: no %s (--build)" % ftrace)
    name = a.name or os.path.basename(os.path.abspath(a.repo).rstrip("/").replace("/repo", ""))
    # Not under /tmp: ftrace treats temporary directories as outputs.
    out = os.path.join(ROOT, "bench", "out", "replay-%s-%s" % (name, time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())))
    work = os.path.join(out, "work")
    state = os.path.join(out, "ftrace-state")
    os.makedirs(out)

    commits = must(["git", "-C", a.repo, "log", "--first-parent", "--format=%H %s",
                    "-%d" % (a.commits + 1)]).splitlines()[::-1]
    must(["git", "clone", "-q", "--no-checkout", a.repo, work])
    must(["git", "-C", work, "checkout", "-q", "-f", "--detach", commits[0].split()[0]])
    if a.ftrace_json is not None:
        # (untracked: every checkout keeps it; ftrace finds it at the top)
        with open(os.path.join(work, ".ftrace.json"), "w") as f:
            f.write(a.ftrace_json + "\n")

    # its own venv: the editable install points at this work copy only
    venv = os.path.join(out, "venv")
    py = os.path.join(venv, "bin", "python")
    if not os.access(py, os.X_OK):
        must([a.python, "-m", "venv", venv])
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "pytest", "pytest-testmon"]
         + a.pip.split())
    must([py, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "-e", work])

    env = dict(os.environ)
    env["PYTHONPATH"] = HERE + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["FTRACE_DIR"] = state
    env["FTRACE_PYTHON"] = py
    env.pop("FTRACE_GRANULARITY", None)
    extra = shlex.split(a.pytest_args)
    base = [py, "-m", "pytest", "-q", "-p", "replay_report", "-p", "no:randomly"] + extra
    tmdata = os.path.join(work, ".testmondata")
    tmsaved = os.path.join(out, "testmondata.rec")

    def report(tag):
        return os.path.join(out, "report-%s.json" % tag)

    def pytest(tag, args, wrap=()):
        # one argument: pytest stats every argument that does not start
        # with "-" as a possible path when it finds the rootdir, and a
        # report file looked up there and written at the session's end
        # is then the prelude's (unknown: docs/internals.md, "Outputs
        # are not inputs"), every test selected
        st, secs, _ = sh(list(wrap) + base + ["--replay-report=" + report(tag)] + args, cwd=work, env=env)
        try:
            with open(report(tag)) as f:
                res = json.load(f)
        except (OSError, ValueError):
            res = None
        return st, secs, res

    def record(i):
        # testmon first: the files it leaves in the rootdir (.testmondata,
        # .pytest_cache) are then in the listing ftrace records, and do not
        # count as a change at the next step
        for f in (tmdata, tmdata + "-wal", tmdata + "-shm"):
            if os.path.exists(f):
                os.unlink(f)
        st2, secs_t, _ = pytest("testmon-%d" % i, ["--testmon-noselect"])
        shutil.copyfile(tmdata, tmsaved)
        st, secs_f, res = pytest("ftrace-%d" % i, ["-p", "no:testmon", "-p", "no:cacheprovider"],
                                 wrap=(ftrace, "run", "-q", "--granularity=function", "--"))
        return secs_f, secs_t, res or {}

    def keep_db(i):
        """A copy of ftrace's database as step i's recording left it, to
        read with `ftrace affected --explain` or sqlite3 afterwards."""
        try:
            src = sqlite3.connect("file:%s/ftrace.db?mode=ro" % state, uri=True)
            dst = sqlite3.connect(os.path.join(out, "db-%d.db" % i))
            src.backup(dst)
            dst.close()
            src.close()
        except sqlite3.Error as e:
            print("replay: keeping the database of step %d: %s" % (i, e), file=sys.stderr)

    def untraced():
        """Tests the last recording stored untraced (always selected: a part
        no back end could see, or a damaged region, docs/internals.md)."""
        try:
            db = sqlite3.connect("file:%s/ftrace.db?mode=ro" % state, uri=True)
            n = db.execute("SELECT count(*) FROM tests WHERE untraced != 0").fetchone()[0]
            db.close()
            return n
        except sqlite3.Error:
            return -1

    def plain(i):
        st, secs, res = pytest("plain-%d" % i, ["-p", "no:testmon", "-p", "no:cacheprovider"])
        if res is None or not res or st not in (0, 1):
            sys.exit("replay: the plain run at step %d failed to run the suite (status %d; "
                     "missing test dependencies? see --pip)" % (i, st))
        return secs, res

    rows = []
    log = open(os.path.join(out, "steps.txt"), "w")

    def say(s=""):
        print(s, flush=True)
        log.write(s + "\n")

    say("replay %s: %d steps, %s, venv %s" % (a.repo, len(commits) - 1,
                                             must([py, "--version"]).strip(), venv))
    # the machine is shared: the load average at start and end is part of
    # every figure's context
    say("started %s, load average %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                         " ".join("%.2f" % x for x in os.getloadavg())))
    prev_secs, prev = plain(0)
    rec_f, rec_t, prev_rec = record(0)
    if a.keep_dbs:
        keep_db(0)
    say("recorded %s (%d tests; recording: ftrace function %.2fx, testmon %.2fx of %.1f s;"
        " untraced tests in ftrace's map: %d)"
        % (commits[0][:10], len(prev), rec_f / prev_secs, rec_t / prev_secs, prev_secs, untraced()))

    def mean(xs):
        return sum(xs) / len(xs) if xs else 0.0

    def median(xs):
        xs = sorted(xs)
        n = len(xs)
        return 0.0 if not n else xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2

    def summary():
        L = ["summary %s: %d steps (%d changing .py files), mean tests %.0f" % (
            name, len(rows), sum(1 for r in rows if r["py_changed"]), mean([r["tests"] for r in rows]))]
        for tool in ("file", "function", "testmon"):
            fr = [r[tool]["frac"] for r in rows]
            L.append("  %-8s mean run fraction %5.1f%%  median %5.1f%%  every test run %d of %d  mean saved %5.1f%%"
                     "  mean select %.2f s  escapes %d  changed-outcome escapes %d;"
                     "  in the recording run %d / %d" % (
                         tool, 100 * mean(fr), 100 * median(fr), sum(1 for f in fr if f >= 1.0), len(rows),
                         100 * mean([r[tool]["saved"] for r in rows]),
                         mean([r[tool]["select_s"] for r in rows]), sum(r[tool]["escapes"] for r in rows),
                         sum(r[tool]["flip_escapes"] for r in rows), sum(r[tool]["rec_escapes"] for r in rows),
                         sum(r[tool]["rec_flip_escapes"] for r in rows)))
        L.append("  recording: ftrace function %.2fx, testmon %.2fx (mean ratio to the plain run;"
                 " median %.2fx, %.2fx)" % (
                     mean([r["record_function"] for r in rows]), mean([r["record_testmon"] for r in rows]),
                     median([r["record_function"] for r in rows]), median([r["record_testmon"] for r in rows])))
        L.append("  recordings with untraced tests (all of them always selected next step): %d of %d" % (
            sum(1 for r in rows if r["untraced"]), len(rows)))
        L.append("load average now %s (%s)" % (" ".join("%.2f" % x for x in os.getloadavg()),
                                               time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
        return L

    for i in range(1, len(commits)):
        sha, subject = commits[i].split(" ", 1)
        must(["git", "-C", work, "checkout", "-q", "-f", "--detach", sha])
        changed = must(["git", "-C", work, "diff", "--name-only", commits[i - 1].split()[0], sha]).split()
        sel = {}
        for tool, args in (("file", ["--granularity=file"]), ("function", ["--granularity=function"])):
            st, secs, o = sh([ftrace, "affected"] + args, cwd=work, env=env, stderr=subprocess.PIPE)
            sel[tool] = (st, secs, set(o.splitlines()))
        # why, for reading afterwards (untimed): explain-<step>.txt
        _, _, o = sh([ftrace, "affected", "--granularity=function", "--explain"], cwd=work, env=env)
        with open(os.path.join(out, "explain-%d.txt" % i), "w") as f:
            f.write(o)
        shutil.copyfile(tmsaved, tmdata)
        for f in (tmdata + "-wal", tmdata + "-shm"):
            if os.path.exists(f):
                os.unlink(f)
        st, secs, o = sh(base[:1] + ["-m", "pytest", "-q", "-p", "no:randomly", "--testmon",
                                     "--testmon-forceselect", "--collect-only"] + extra,
                         cwd=work, env=env)
        sel["testmon"] = (0 if st in (0, 5) else st, secs,
                          set(l for l in o.splitlines() if "::" in l and not l.startswith(" ")))
        now_secs, now = plain(i)
        fixed = max(0.0, now_secs - sum(d for _, d in now.values()))
        say()
        runs_of = {}
        say("step %d/%d %s %s (%d files changed, %d .py)" % (
            i, len(commits) - 1, sha[:10], subject[:60], len(changed),
            sum(1 for c in changed if c.endswith(".py"))))
        failed = {t for t, (o2, _) in now.items() if o2 == "failed"}
        flipped = {t for t, (o2, _) in now.items() if t in prev and prev[t][0] != o2}
        row = {"step": i, "sha": sha, "tests": len(now), "failed": len(failed),
               "plain_s": now_secs, "py_changed": sum(1 for c in changed if c.endswith(".py"))}
        for tool in ("file", "function", "testmon"):
            st, secs, ids = sel[tool]
            if st != 0:
                # cannot tell: the user runs everything
                runs = set(now)
                note = " (status %d: all)" % st
            else:
                note = ""
                if tool == "testmon":
                    runs = ids & set(now)
                else:
                    newfiles = {x for x in ids if "::" not in x}
                    runs = {t for t in now if t in ids or t not in prev
                            or t.split("::")[0] in newfiles or covered(t, ids)}
            runs_of[tool] = runs
            esc = sorted(failed - runs)
            esc_flip = sorted(flipped - runs)
            # nothing to run: `ftrace test` starts no pytest
            cost = secs + sum(now[t][1] for t in runs) + (fixed if runs and tool != "testmon" else 0)
            saved = 1 - cost / now_secs if now_secs else 0
            frac = len(runs) / len(now) if now else 0
            say("  %-8s runs %5d/%d (%5.1f%%)  select %.2f s  saved %5.1f%%  failed-not-run %d"
                "  changed-outcome-not-run %d%s" % (tool, len(runs), len(now), 100 * frac, secs,
                                                    100 * saved, len(esc), len(esc_flip), note))
            for t in esc + [x for x in esc_flip if x not in esc]:
                say("    ESCAPE %s: %s at %s, %s before" % (
                    tool, t, now[t][0], prev[t][0] if t in prev else "new"))
            row[tool] = {"frac": frac, "select_s": secs, "saved": saved, "escapes": len(esc),
                         "flip_escapes": len(esc_flip), "status": st}
        if failed:
            say("  failing at this commit: %d (%s)" % (len(failed), ", ".join(sorted(failed)[:5])))
        rec_f, rec_t, now_rec = record(i)
        if a.keep_dbs:
            keep_db(i)
        # the same escapes against the recording run at C (compared with
        # the recording run at P): what a user who always records sees
        rfailed = {t for t, (o2, _) in now_rec.items() if o2 == "failed"}
        rflipped = {t for t, (o2, _) in now_rec.items() if t in prev_rec and prev_rec[t][0] != o2}
        for tool in ("file", "function", "testmon"):
            resc = sorted(rfailed - runs_of[tool])
            rflip = sorted(rflipped - runs_of[tool])
            row[tool]["rec_escapes"] = len(resc)
            row[tool]["rec_flip_escapes"] = len(rflip)
            say("  %-8s in the recording run: failed-not-run %d  changed-outcome-not-run %d" % (
                tool, len(resc), len(rflip)))
            for t in resc + [x for x in rflip if x not in resc]:
                say("    ESCAPE (recording run) %s: %s at %s, %s before" % (
                    tool, t, now_rec[t][0], prev_rec[t][0] if t in prev_rec else "new"))
        if rfailed != failed:
            say("  outcomes differ: failing under recording only: %s; in the plain run only: %s" % (
                ", ".join(sorted(rfailed - failed)[:5]) or "-", ", ".join(sorted(failed - rfailed)[:5]) or "-"))
        row["record_function"] = rec_f / now_secs
        row["record_testmon"] = rec_t / now_secs
        row["untraced"] = untraced()
        say("  recorded: ftrace function %.2fx, testmon %.2fx of the plain %.1f s;"
            " untraced tests in ftrace's map: %d" % (
                row["record_function"], row["record_testmon"], now_secs, row["untraced"]))
        rows.append(row)
        prev = now
        prev_rec = now_rec
        # a run stopped early (a deadline, a shared machine) still leaves
        # the figures of the steps it finished
        with open(os.path.join(out, "summary-so-far.txt"), "w") as f:
            f.write("after %d of %d steps\n" % (i, len(commits) - 1) + "\n".join(summary()) + "\n")

    say()
    for l in summary():
        say(l)
    say("ended %s, load average %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                                       " ".join("%.2f" % x for x in os.getloadavg())))
    with open(os.path.join(out, "summary.json"), "w") as f:
        json.dump(rows, f, indent=1)
    shutil.copyfile(os.path.join(out, "steps.txt"), os.path.join(out, "summary.txt"))


if __name__ == "__main__":
    main()
