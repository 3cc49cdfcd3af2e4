#!/usr/bin/env bash
# bench/pytest-funcs/run.sh - ftrace's Python function granularity next to
# pytest-testmon and plain pytest, on one generated suite, in one run.
# Prints and saves bench/out/pytest-funcs-<stamp>/summary.txt; never asserts
# (timings on a shared machine are noise-prone: read the ratios).
#
# Recording, interleaved, median of BENCH_RUNS after one warm-up:
#   bare      pytest
#   testmon   pytest --testmon            (from an empty .testmondata; with
#             pytest's cacheprovider, which testmon needs; the others run
#             with -p no:cacheprovider -p no:testmon)
#   file      ftrace run --granularity=file -- pytest
#   function  ftrace run --granularity=function -- pytest
#             (3.12+: sys.monitoring; 3.11: the frame evaluation hook)
#   function-cprofile   the same with FTRACE_PYFUNC_HOOK=cprofile (the C
#             profile hook; Python < 3.12)
#   function-settrace   the same with FTRACE_PYFUNC_HOOK=settrace (the
#             pure-Python hook; Python < 3.12)
# Selection, interleaved, median of BENCH_RUNS, with no change and with one
# function body changed (gen/m0.py f0):
#   ftrace affected --granularity=file
#   ftrace affected --granularity=function  (for the body change: a second
#       call over the same tree, whose fingerprints are cached)
#   the same with FTRACE_PYFUNC_FPCACHE=0   ("function-cold": a first call,
#       which starts the fingerprint tool)
#   pytest --testmon --collect-only -q      (testmon decides inside pytest:
#       start-up, collection of every test, then its deselection; this is
#       what a testmon user waits for before the first selected test runs.
#       `pytest --collect-only -q` alone is timed too, so collection can be
#       told apart from testmon's own work.  testmon's database is copied
#       from the recording before each call, so every call sees the same.)
# and the number of tests each selects for the change, and the size of
# .ftrace/ftrace.db (both granularities) and .testmondata.
#
# The suite: package `gen` whose __init__ imports its BENCH_MODS modules
# (default 30), each with 10 functions; BENCH_TESTS tests (default 3000)
# spread over one test module per package module, each calling two
# functions.
#
# The Python: a venv made by this script, bench/out/venv-<python version>,
# from BENCH_PYTHON (default python3), with pytest and pytest-testmon
# installed from PyPI by pip when missing (nothing is installed into
# BENCH_PYTHON itself).
#
# Environment: BENCH_BUILD (build tree with ftrace; default build/),
# BENCH_RUNS (default 5), BENCH_PYTHON (default python3), BENCH_TESTS,
# BENCH_MODS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build}
RUNS=${BENCH_RUNS:-5}
NT=${BENCH_TESTS:-3000}
NM=${BENCH_MODS:-30}
BASEPY=${BENCH_PYTHON:-python3}
FTRACE=$BUILD/ftrace
[ -x "$FTRACE" ] || { echo "bench: no $FTRACE (set BENCH_BUILD)" >&2; exit 2; }

# Not under /tmp: ftrace treats temporary directories as outputs.
mkdir -p "$ROOT/bench/out"
VER=$("$BASEPY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV=$ROOT/bench/out/venv-$VER
[ -x "$VENV/bin/python" ] || "$BASEPY" -m venv "$VENV"
PY=$VENV/bin/python
"$PY" -c 'import pytest, testmon' 2>/dev/null ||
	"$PY" -m pip install -q --disable-pip-version-check pytest pytest-testmon >&2

OUT=$ROOT/bench/out/pytest-funcs-$(date -u +%Y%m%dT%H%M%SZ)
SUITE=$OUT/suite
mkdir -p "$SUITE/gen" "$SUITE/tests"
# the machine is shared: the load average at start and end goes in the summary
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date -u '+%Y-%m-%d %H:%M UTC')
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

NOTM="-p no:testmon"
# the fingerprint tool of `ftrace affected --granularity=function`: the
# venv's interpreter itself, not a shim script in front of one
export FTRACE_PYTHON=$PY
now() { date +%s%N; }
ms_since() { echo $(( ($(now) - $1) / 1000000 )); }

record() {
	local v=$1 t0
	rm -rf "$OUT/state-$v"
	t0=$(now)
	case $v in
	bare) "$PY" -m pytest -q -p no:cacheprovider $NOTM >/dev/null ;;
	testmon)
		rm -f .testmondata .testmondata-shm .testmondata-wal
		"$PY" -m pytest -q --testmon >/dev/null ;;
	file) FTRACE_DIR=$OUT/state-$v "$FTRACE" run -q --granularity=file -- "$PY" -m pytest -q -p no:cacheprovider $NOTM >/dev/null ;;
	function) FTRACE_DIR=$OUT/state-$v "$FTRACE" run -q --granularity=function -- \
			"$PY" -m pytest -q -p no:cacheprovider $NOTM >/dev/null ;;
	function-cprofile | function-settrace)
		FTRACE_PYFUNC_HOOK=${v#function-} FTRACE_DIR=$OUT/state-$v "$FTRACE" run -q \
			--granularity=function -- "$PY" -m pytest -q -p no:cacheprovider $NOTM >/dev/null ;;
	esac
	ms_since "$t0"
}

# select KIND: prints "ms count"; the selected ids go to $OUT/sel-KIND.txt
# (ftrace: timed with its default output, counted with --format ids)
select_() {
	local k=$1 t0 ms
	case $k in
	testmon) rm -f .testmondata-shm .testmondata-wal; cp "$OUT/testmondata.rec" .testmondata ;;
	esac
	t0=$(now)
	case $k in
	file) FTRACE_DIR=$OUT/state-function "$FTRACE" affected --granularity=file >"$OUT/sel-$k.txt" ;;
	function) FTRACE_DIR=$OUT/state-function "$FTRACE" affected --granularity=function >"$OUT/sel-$k.txt" ;;
	function-cold) FTRACE_PYFUNC_FPCACHE=0 FTRACE_DIR=$OUT/state-function "$FTRACE" affected \
		--granularity=function >"$OUT/sel-$k.txt" ;;
	testmon) "$PY" -m pytest --testmon --collect-only -q >"$OUT/raw-$k.txt" || true ;;
	collect) "$PY" -m pytest -p no:cacheprovider $NOTM --collect-only -q >"$OUT/raw-$k.txt" || true ;;
	esac
	ms=$(ms_since "$t0")
	case $k in
	testmon | collect) grep '::' "$OUT/raw-$k.txt" >"$OUT/sel-$k.txt" || true ;;
	# timed: the default format (whole modules as paths); counted: the ids
	file) FTRACE_DIR=$OUT/state-function "$FTRACE" affected --granularity=file --format ids >"$OUT/sel-$k.txt" ;;
	function | function-cold) FTRACE_DIR=$OUT/state-function "$FTRACE" affected \
		--granularity=function --format ids >"$OUT/sel-$k.txt" ;;
	esac
	echo "$ms $(wc -l <"$OUT/sel-$k.txt")"
}

median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

variants="bare testmon file function"
"$PY" -c 'import sys; sys.exit(sys.version_info >= (3, 12))' && variants="$variants function-cprofile function-settrace"
for v in $variants; do record "$v" >/dev/null; done   # warm-up (.pyc files)
declare -A ms
for r in $(seq "$RUNS"); do
	for v in $variants; do ms[$v]="${ms[$v]:-} $(record "$v")"; done
done
# the last recordings stay: state-function and .testmondata
cp .testmondata "$OUT/testmondata.rec"

selectors="file function function-cold testmon collect"
declare -A sel cnt
measure() {  # measure PHASE
	local r k out
	for r in $(seq "$RUNS"); do
		for k in $selectors; do
			out=$(select_ "$k")
			sel[$1-$k]="${sel[$1-$k]:-} ${out%% *}"
			cnt[$1-$k]=${out##* }
		done
	done
}
measure nochange
sed -i '0,/y = x + K + 0$/s//y = x + K + 0 + 1 - 1/' gen/m0.py
# The fingerprint cache stores a file's fingerprints once its ctime is 2 s
# old (python/ft_pyfunc_fpcache.h): "function" is the second and later
# `affected` over this tree, "function-cold" the first (the cache off).
sleep 2.2
FTRACE_DIR=$OUT/state-function "$FTRACE" affected --granularity=function >/dev/null
measure body
sed -i 's/y = x + K + 0 + 1 - 1$/y = x + K + 0/' gen/m0.py

{
	echo "pytest-funcs bench: $NT tests, $NM modules, $("$PY" --version 2>&1)," \
		"pytest $("$PY" -c 'import pytest; print(pytest.__version__)')," \
		"pytest-testmon $("$PY" -c 'import importlib.metadata as m; print(m.version("pytest-testmon"))')," \
		"runs=$RUNS"
	echo "started $START, load average $LOAD0; ended $(date -u '+%H:%M UTC')," \
		"load average $(cut -d' ' -f1-3 /proc/loadavg); commit" \
		"$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
	echo
	echo "recording (ratio to plain pytest):"
	b=$(median "${ms[bare]}")
	for v in $variants; do
		m=$(median "${ms[$v]}")
		printf '  %-17s median %6d ms  ratio %s  (runs:%s)\n' "$v" "$m" "$(ratio "$m" "$b")" "${ms[$v]}"
	done
	echo
	echo "selection (median ms; tests selected):"
	for p in nochange body; do
		echo "  $p:"
		for k in $selectors; do
			m=$(median "${sel[$p-$k]}")
			printf '    %-13s %6d ms  %5s tests  (runs:%s)\n' "$k" "$m" "${cnt[$p-$k]}" "${sel[$p-$k]}"
		done
		t=$(median "${sel[$p-testmon]}")
		for f in function function-cold; do
			echo "    testmon / ftrace $f: $(ratio "$t" "$(median "${sel[$p-$f]}")")x"
		done
	done
	echo
	echo "database:"
	for v in file function; do
		echo "  ftrace.db ($v): $(stat -c %s "$OUT/state-$v/ftrace.db") bytes"
	done
	echo "  .testmondata: $(stat -c %s "$OUT/testmondata.rec") bytes"
} | tee "$OUT/summary.txt"
