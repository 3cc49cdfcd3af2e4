#!/usr/bin/env bash
# demo.sh - Quick start: record a small pytest project with ftrace, change one
# module, and run only the tests that the change can affect.
#
# Usage: ./scripts/demo.sh            (from anywhere)
# Environment: PYTHON     the interpreter to use (default: python3 on PATH)
#              BUILD_DIR  where to build (default: build/ in the source tree)
#              KEEP=1     keep the demo project (its path is printed)
#              SKIP_SETUP=1  use the ftrace already built in BUILD_DIR: no
#                         dependency check, no build (the test suite's
#                         t2021-pytest-demo.sh runs the demo this way)
# Exits non-zero as soon as a step fails.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$SRC/build}
PY=${PYTHON:-python3}
FTRACE=$BUILD/ftrace

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B= N=; fi
step=0
section() { step=$((step + 1)); printf '\n%s== %d. %s ==%s\n' "$B" "$step" "$*" "$N"; }
show() { printf '%s$ %s%s\n' "$B" "$*" "$N"; }
die() { echo "demo: $*" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-demo.XXXXXX")
finish() {
	local rc=$?
	if [ $rc -ne 0 ]; then
		echo "demo: FAILED (exit $rc); the demo project is kept in $WORK/project" >&2
	elif [ "${KEEP:-}" = 1 ]; then
		echo "The demo project is kept in $WORK/project"
	else
		rm -rf "$WORK"
	fi
}
trap finish EXIT

setup() {
	section "Dependencies"
	if [ -f "$SRC/scripts/install-deps.sh" ]; then
		# only what the demo needs: no runner toolchains (FT_DEPS=core)
		FT_DEPS=core bash "$SRC/scripts/install-deps.sh"
	else
		echo "scripts/install-deps.sh not found: assuming the build dependencies and pytest are installed"
	fi

	section "Build ftrace into ${BUILD#"$SRC"/}"
	local gen=()
	if [ ! -f "$BUILD/CMakeCache.txt" ] && command -v ninja >/dev/null; then gen=(-G Ninja); fi
	cmake -S "$SRC" -B "$BUILD" "${gen[@]}" >/dev/null
	cmake --build "$BUILD" --target ftrace ftrace_preload ftrace_adapters -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
	[ -x "$FTRACE" ] || die "the build did not produce $FTRACE"
	echo "built $FTRACE"
}

if [ "${SKIP_SETUP:-}" = 1 ]; then
	section "Using the ftrace already built in ${BUILD#"$SRC"/}"
	[ -x "$FTRACE" ] || die "SKIP_SETUP=1 but $FTRACE is not built"
	echo "$FTRACE"
else
	setup
fi
"$PY" -m pytest --version >/dev/null 2>&1 || die "$PY has no pytest (run scripts/install-deps.sh)"

section "A small project: fixtures/pytest-basic, copied to a fresh git repository"
cp -a "$SRC/fixtures/pytest-basic" "$WORK/project"
cd "$WORK/project"
find . -name __pycache__ -prune -exec rm -rf {} +
git init -q .
git add -A
git -c user.name=demo -c user.email=demo@example.invalid commit -qm "demo project"
# A file changed in the clock tick a recording starts in may have changed
# during the run, and would be recorded as "unknown".  The copy was made a
# moment ago: let the clock pass its files' ctime (a few ms at most).
"$PY" - <<'PY'
import os, time
newest = max(os.lstat(os.path.join(d, n)).st_ctime_ns
             for d, dirs, files in os.walk(".") for n in dirs + files + ["."])
while time.time_ns() < newest + 20000000:
    time.sleep(0.001)
PY
echo "$PWD"
find calc tests -name '*.py' | sort | sed 's/^/  /'

section "Record: every file each test opens, stats, lists or executes"
show "ftrace run -- $PY -m pytest -q"
"$FTRACE" run -- "$PY" -m pytest -q

section "Nothing changed, so nothing is affected"
show "ftrace affected"
out=$("$FTRACE" affected)
if [ -n "$out" ]; then
	printf '%s\n' "$out"
	die "expected no affected test right after recording"
fi
echo "(no test)"

section "Change one module"
sed -i 's/return a + b/return b + a/' calc/arith.py
show "git diff"
git --no-pager diff
git diff --quiet && die "the edit did not change calc/arith.py"

section "Which tests can this change affect, and why"
show "ftrace affected --explain"
explain=$("$FTRACE" affected --explain)
printf '%s\n' "$explain"
selected=$("$FTRACE" affected --format ids | wc -l)
[ "$selected" -gt 0 ] || die "the edit of calc/arith.py selected no test"

section "Run only those tests"
show "ftrace affected | xargs -r $PY -m pytest -q"
# xargs -r: with no affected test, run nothing (plain `xargs pytest` would run everything).
"$FTRACE" affected | xargs -r "$PY" -m pytest -q

section "Record them, and the project is up to date again"
show "ftrace affected | xargs -r ftrace run -- $PY -m pytest -q"
"$FTRACE" affected | xargs -r "$FTRACE" run -- "$PY" -m pytest -q
show "ftrace affected"
out=$("$FTRACE" affected)
[ -z "$out" ] || { printf '%s\n' "$out"; die "expected no affected test after recording them"; }
echo "(no test)"

# By function where the interpreter has a cheap hook to record them with
# (Python 3.11 with ftrace's frame hook, 3.12+), else by file
# (docs/python-functions.md).
if grep -q 'and the test ran it$' <<<"$explain"; then
	why="those that ran the function the edit changed"
else
	why="those whose imports reach calc/arith.py"
fi
printf '\n%sDone.%s Only %d of the 12 tests ran: %s.\n' "$B" "$N" "$selected" "$why"
