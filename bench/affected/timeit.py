"""timeit.py - alternate two commands, print median and minimum wall and CPU.

    python3 timeit.py REPS LABEL -- CMD_A... -- CMD_B...

Wall time is time.perf_counter around each run; CPU is the children's
user + sys from getrusage (microsecond resolution).  Runs alternate A, B,
A, B... so both see the same machine load.  Output: two lines (median,
minimum), naming A and B "affected" and "git status", or the two names
of TIMEIT_NAMES ("A,B").  A command that fails is reported and the script exits 1: a
wrong answer is no timing.
"""
import os
import resource
import statistics
import subprocess
import sys
import time


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if res.returncode != 0:
        sys.exit(f"{cmd[0]} exited {res.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main():
    reps, label = int(sys.argv[1]), sys.argv[2]
    rest = sys.argv[4:]
    split = rest.index("--")
    a, b = rest[:split], rest[split + 1:]
    wa, ca, wb, cb = [], [], [], []
    for _ in range(reps):
        w, c = run(a)
        wa.append(w)
        ca.append(c)
        w, c = run(b)
        wb.append(w)
        cb.append(c)
    na, nb = (os.environ.get("TIMEIT_NAMES") or "affected,git status").split(",", 1)
    for stat, fn in (("median", statistics.median), ("min", min)):
        print(f"{label:<6} {stat:<6} wall: {na} {fn(wa):8.1f} ms  {nb} {fn(wb):8.1f} ms  "
              f"ratio {fn(wa) / fn(wb):.2f}x   cpu: {fn(ca):8.1f} ms vs {fn(cb):8.1f} ms  "
              f"ratio {fn(ca) / max(fn(cb), 0.001):.2f}x")


if __name__ == "__main__":
    main()
