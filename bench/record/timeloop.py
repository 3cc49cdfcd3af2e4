"""timeloop.py - the fallback timer of bench/record/run.sh (no hyperfine).

usage: timeloop.py --runs N --warmup W --prepare SHELLCMD --out FILE [--cpu-out FILE]
                   NAME CMD [NAME CMD ...]

Runs the commands interleaved (A B C A B C ...) so that drift in the
machine's speed hits all of them alike; before each timed run, PREPARE runs
untimed.  Commands run through /bin/sh like hyperfine's, and the time of an
empty `sh -c ''` (median) is subtracted, as hyperfine does.  Writes
{"NAME": [seconds, ...], ...} to FILE, and with --cpu-out the CPU time of
each run (user + sys of the children, from getrusage; the empty shell's
median CPU subtracted too) to that file in the same form.  Exits non-zero
if a command fails.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd):
    c0 = cpu()
    t0 = time.perf_counter()
    rc = subprocess.run(["/bin/sh", "-c", cmd], stdout=subprocess.DEVNULL).returncode
    return time.perf_counter() - t0, rc, cpu() - c0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--prepare", default="")
    ap.add_argument("--out", required=True)
    ap.add_argument("--cpu-out")
    ap.add_argument("pairs", nargs="+")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("NAME CMD pairs expected")
    cmds = list(zip(a.pairs[0::2], a.pairs[1::2]))
    empty = [timed("") for _ in range(20)]
    shell = statistics.median(t for t, _, _ in empty)
    shell_cpu = statistics.median(c for _, _, c in empty)
    times = {name: [] for name, _ in cmds}
    cpus = {name: [] for name, _ in cmds}
    for i in range(a.warmup + a.runs):
        for name, cmd in cmds:
            if a.prepare:
                subprocess.run(["/bin/sh", "-c", a.prepare], check=True)
            t, rc, c = timed(cmd)
            if rc != 0:
                print(f"timeloop: {name}: exit {rc}: {cmd}", file=sys.stderr)
                return 1
            if i >= a.warmup:
                times[name].append(max(t - shell, 0.0))
                cpus[name].append(max(c - shell_cpu, 0.0))
    with open(a.out, "w") as f:
        json.dump(times, f)
    if a.cpu_out:
        with open(a.cpu_out, "w") as f:
            json.dump(cpus, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
