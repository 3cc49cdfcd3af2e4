#!/usr/bin/env bash
# bench/share/size.sh - a bundle's size on a real suite at function
# granularity, next to pytest-testmon's .testmondata on the same suite and
# interpreter (issue 28: "at least as good as testmon's 0.8 KB per test").
#
#   BENCH_BUILD=build-bench bash bench/share/size.sh [REPO] [PYTHON]
#       # defaults: /tmp/real/jinja, /tmp/real/venv/bin/python
#
# REPO is cloned twice into bench/out/share-size-<stamp>/ (never under
# /tmp, which ftrace treats as scratch; REPO itself is not touched): one
# clone recorded with `ftrace run --granularity=function -- PYTHON -m
# pytest` and exported, the other recorded with `PYTHON -m pytest
# --testmon-noselect` (testmon records every test it runs).  Both import
# the clone's own sources (PYTHONPATH=<clone>/src, ahead of an editable
# install of REPO).  pytest-testmon (2.2.0) and coverage are pip-installed
# with --target into the output dir, on testmon's PYTHONPATH only: the
# interpreter and its site-packages are the same for both tools.
# Printed: bytes, tests, bytes per test for the bundle, its dependencies
# (states in its sets, and test-dependency pairs), ftrace's database, and
# testmon's file (tests: its test_execution rows).  Nothing is timed.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
FT=$BUILD/ftrace
TOOL=$BUILD/tests/tools/ftt_bundle
REPO=${1:-/tmp/real/jinja}
PY=${2:-/tmp/real/venv/bin/python}
[ -x "$FT" ] && [ -x "$TOOL" ] || { echo "bench/share: build $BUILD first (with tests)" >&2; exit 1; }
OUT=$ROOT/bench/out/share-size-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"
git clone -q "$REPO" "$OUT/ftrace"
git clone -q "$REPO" "$OUT/testmon"
"$PY" -m pip install -q --disable-pip-version-check --target "$OUT/tm" pytest-testmon==2.2.0 \
	'coverage>=7,<8' --no-deps >"$OUT/pip.log" 2>&1 || { cat "$OUT/pip.log" >&2; exit 1; }
{
echo "# $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $(basename "$REPO") $(git -C "$REPO" rev-parse --short HEAD), $("$PY" --version 2>&1), pytest $("$PY" -m pytest --version 2>&1 | awk '{print $2}'), pytest-testmon 2.2.0"
} | tee "$OUT/summary.txt"

cd "$OUT/ftrace"
PYTHONPATH=$PWD/src "$FT" run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider \
	>"$OUT/ftrace-run.out" 2>&1 || true
tail -1 "$OUT/ftrace-run.out" | sed 's/^/# ftrace run: pytest: /' | tee -a "$OUT/summary.txt"
"$FT" export "$OUT/bundle.ftb" 2>>"$OUT/ftrace-run.out"
read -r _ tests _ sets _ paths _ states _ pairs _ pyt _ pyfps _ pyconf _ pytexts _ pycoded _ pystrs _ pylists _ pyother _ pyocoded < <("$TOOL" stats "$OUT/bundle.ftb")
b=$(stat -c %s "$OUT/bundle.ftb") db=$(stat -c %s .ftrace/ftrace.db)
gz=$(gzip -9c "$OUT/bundle.ftb" | wc -c)

cd "$OUT/testmon"
PYTHONPATH=$PWD/src:$OUT/tm "$PY" -m pytest -q -p no:cacheprovider --testmon-noselect \
	>"$OUT/testmon-run.out" 2>&1 || true
tail -1 "$OUT/testmon-run.out" | sed 's/^/# testmon: pytest: /' | tee -a "$OUT/summary.txt"
tm=$(stat -c %s .testmondata)
tmtests=$("$PY" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM test_execution").fetchone()[0])' .testmondata)

{
printf '%-34s %10s %7s %10s\n' "" bytes tests "per test"
printf '%-34s %10d %7d %10d\n' "ftrace bundle (function gran.)" "$b" "$tests" $((b / tests))
printf '%-34s %10d %7d %10d\n' "  the same, gzip -9" "$gz" "$tests" $((gz / tests))
printf '%-34s %10d %7d %10d\n' "ftrace database (.ftrace/ftrace.db)" "$db" "$tests" $((db / tests))
printf '%-34s %10d %7d %10d\n' "testmon .testmondata" "$tm" "$tmtests" $((tm / tmtests))
echo "bundle: $sets sets, $paths paths, $states states in sets ($((b / states)) bytes each), $pairs test-dependency pairs ($((b * 1000 / pairs)) thousandths of a byte each); $pyt tests with function lists, $pyfps fingerprinted file versions, $pyconf config views"
echo "Python texts shared (format version $(od -An -tu4 -j8 -N4 "$OUT/bundle.ftb" | tr -d ' ')): the tests' $pycoded of $pytexts, the runs' and fingerprints' $pyocoded of $pyother; $pystrs distinct strings, $pylists distinct lists"
} | tee -a "$OUT/summary.txt"
