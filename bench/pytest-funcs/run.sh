#!/usr/bin/env bash
# bench/pytest-funcs/run.sh - what --granularity=function costs at recording:
# plain pytest, `ftrace run -- pytest` (file granularity, the default) and
# `ftrace run --granularity=function -- pytest`, interleaved, on one
# generated suite.  Prints and saves bench/out/pytest-funcs-<stamp>/summary.txt;
# never asserts.
#
# The suite: package `gen` whose __init__ imports its BENCH_MODS modules
# (default 30), each with 10 functions; BENCH_TESTS tests (default 3000)
# spread over one test module per package module, each calling two
# functions.  Python 3.11 uses the settrace hook, 3.12+ sys.monitoring
# (set BENCH_PYTHON to compare).
#
# Not measured here yet: pytest-testmon side by side, selection time (the
# selector has no function granularity yet), database size per granularity.
#
# Environment: BENCH_BUILD (build tree with ftrace; default build/),
# BENCH_RUNS (default 5, after one warm-up), BENCH_PYTHON (default python3).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build}
RUNS=${BENCH_RUNS:-5}
NT=${BENCH_TESTS:-3000}
NM=${BENCH_MODS:-30}
PY=${BENCH_PYTHON:-python3}
FTRACE=$BUILD/ftrace
[ -x "$FTRACE" ] || { echo "bench: no $FTRACE (set BENCH_BUILD)" >&2; exit 2; }
"$PY" -m pytest --version >/dev/null 2>&1 || { echo "bench: no pytest for $PY" >&2; exit 2; }

# Not under /tmp: ftrace treats temporary directories as outputs.
OUT=$ROOT/bench/out/pytest-funcs-$(date -u +%Y%m%dT%H%M%SZ)
SUITE=$OUT/suite
mkdir -p "$SUITE/gen" "$SUITE/tests"
"$PY" - "$SUITE" "$NT" "$NM" <<'PY'
import os, sys
root, nt, nm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(os.path.join(root, "gen", "__init__.py"), "w") as f:
    f.write("from . import %s\n" % ", ".join("m%d" % i for i in range(nm)))
for i in range(nm):
    with open(os.path.join(root, "gen", "m%d.py" % i), "w") as f:
        f.write("K = %d\n" % i)
        for j in range(10):
            f.write("\n\ndef f%d(x):\n    y = x + K + %d\n    return [y * k for k in range(3)][-1]\n" % (j, j))
per = max(1, nt // nm)
n = 0
for i in range(nm):
    with open(os.path.join(root, "tests", "test_m%d.py" % i), "w") as f:
        f.write("from gen import m%d as m\n" % i)
        for t in range(per if i < nm - 1 else nt - n):
            f.write("\n\ndef test_%d():\n    assert m.f%d(%d) >= 0\n    assert m.f%d(1) >= 0\n"
                    % (t, t % 10, t, (t + 3) % 10))
        n += per
open(os.path.join(root, "pytest.ini"), "w").write("[pytest]\ntestpaths = tests\n")
PY
cd "$SUITE"
git init -q . 2>/dev/null || true

now() { date +%s%N; }
run_variant() {
	local v=$1 t0 t1
	rm -rf "$OUT/state-$v"
	t0=$(now)
	case $v in
	bare) "$PY" -m pytest -q -p no:cacheprovider >/dev/null ;;
	file) FTRACE_DIR=$OUT/state-$v "$FTRACE" run -q -- "$PY" -m pytest -q -p no:cacheprovider >/dev/null ;;
	function) FTRACE_DIR=$OUT/state-$v "$FTRACE" run -q --granularity=function --keep-records -- \
			"$PY" -m pytest -q -p no:cacheprovider >/dev/null ;;
	esac
	t1=$(now)
	echo $(( (t1 - t0) / 1000000 ))
}
variants="bare file function"
for v in $variants; do run_variant "$v" >/dev/null; done   # warm-up (.pyc files)
declare -A ms
for r in $(seq "$RUNS"); do
	for v in $variants; do ms[$v]="${ms[$v]:-} $(run_variant "$v")"; done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
{
	echo "pytest-funcs bench: $NT tests, $NM modules, $("$PY" --version 2>&1), runs=$RUNS"
	b=$(median "${ms[bare]}")
	for v in $variants; do
		m=$(median "${ms[$v]}")
		printf '%-9s median %6d ms  ratio %s  (runs:%s)\n' "$v" "$m" \
			"$(awk -v a="$m" -v b="$b" 'BEGIN {printf "%.2f", a / b}')" "${ms[$v]}"
	done
	sf=$(ls "$OUT"/state-function/runs/*/adapter-pytest-*.json 2>/dev/null | head -1)
	[ -n "$sf" ] && echo "function side file: $(stat -c %s "$sf") bytes"
	for v in file function; do
		echo "db ($v): $(stat -c %s "$OUT/state-$v/ftrace.db") bytes"
	done
} | tee "$OUT/summary.txt"
