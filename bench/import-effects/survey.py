#!/usr/bin/env python3
"""survey.py - how often real commits change a module-level statement that
acts at import (docs/python-functions.md, "Import-time effects").

    python3 bench/import-effects/survey.py GIT_DIR [N]

For each of the last N (30) non-merge commits of the repository at GIT_DIR
(a bare clone will do), every .py file the commit modified or added is
fingerprinted before and after with the pytest adapter's own tool
(adapters/pytest/ftrace_fingerprint.py, so the kinds are the ones ftrace
judges by), the top-level statements are matched by their hashes
(difflib's longest matching blocks, as selection's longest common
subsequence does), and a statement of kind "other" (one that acts by its
form: a bare call, a store into an object, an augmented assignment, a
star import) on one side only is counted.  Prints each such statement,
then per file kind (a test file: "test" in its path) the number of
commits with one.  Those commits are where function granularity now adds
every test of the sessions that loaded the file; a statement a commit
adds to a new file is counted too, though a new file was loaded by no
recorded session.  Reads the repository only; runs none of its code.
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "..", "adapters", "pytest", "ftrace_fingerprint.py")


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo] + list(args), capture_output=True,
                          text=True).stdout


def stmts(path):
    out = subprocess.run([sys.executable, TOOL, "--stdlib", "", path], capture_output=True,
                         text=True).stdout
    try:
        fp = json.loads(out).get(path)
    except ValueError:
        return None
    return fp["names"]["stmts"] if fp and fp.get("names") else None


def main():
    repo = sys.argv[1]
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    commits = git(repo, "log", "--format=%H", "-n", str(n), "--no-merges").split()
    with_acts = {"test": 0, "other": 0}
    tmp = tempfile.mkdtemp()
    for c in commits:
        kinds = set()
        for line in git(repo, "diff", "--name-status", c + "^", c).splitlines():
            status, _, path = line.partition("\t")
            if status not in ("M", "A") or not path.endswith(".py"):
                continue
            sides = []
            for rev in ((c + "^", c) if status == "M" else (None, c)):
                f = os.path.join(tmp, "%d.py" % len(sides))
                with open(f, "w") as fh:
                    fh.write(git(repo, "show", "%s:%s" % (rev, path)) if rev else "")
                sides.append(stmts(f))
            if sides[0] is None or sides[1] is None:
                continue
            a, b = [x[0] for x in sides[0]], [x[0] for x in sides[1]]
            sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
            ma, mb = set(), set()
            for blk in sm.get_matching_blocks():
                ma.update(range(blk.a, blk.a + blk.size))
                mb.update(range(blk.b, blk.b + blk.size))
            for side, st, m in (("-", sides[0], ma), ("+", sides[1], mb)):
                for i, s in enumerate(st):
                    if i not in m and s[1] == "other":
                        k = "test" if "test" in path else "other"
                        kinds.add(k)
                        print("%s %s %s %s statement %d" % (c[:8], k, path, side, i + 1))
        for k in kinds:
            with_acts[k] += 1
    print("commits: %d; with an acting statement changed in a test file: %d, elsewhere: %d"
          % (len(commits), with_acts["test"], with_acts["other"]))


if __name__ == "__main__":
    main()
