#!/usr/bin/env bash
# bench/record/large.sh - the cost of one `ftrace run` in a repository
# whose recording is large: `ftrace run -- true` in the trees of
# bench/affected/gen.c (10k: 10,000 files and 1,000 tests; 100k: 100,000
# files and 10,000 tests, their stat cache filled), next to `true` alone,
# and, with BENCH_BASE=DIR (another build), next to that build's ftrace
# in the same repository.  Each pair alternates REPS times after one
# warm-up of each (bench/affected/timeit.py: wall and CPU, median and
# minimum).  A benchmark, not a test: it prints numbers, asserts nothing.
#
#   BENCH_BASE=/tmp/base-build bash bench/record/large.sh [BUILD_DIR] [REPS]
#
# Environment: BENCH_BUILD (default build/, or BUILD_DIR), BENCH_RUNS
# (REPS, default 9), BENCH_LARGE_SIZES (default "10k 100k"), BENCH_BASE.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
build=$(abs "${1:-${BENCH_BUILD:-$src/build}}")
base=${BENCH_BASE:+$(abs "$BENCH_BASE")}
reps=${2:-${BENCH_RUNS:-9}}
for b in "$build" $base; do
	[ -x "$b/ftrace" ] || { echo "bench: no $b/ftrace" >&2; exit 2; }
done
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
work=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench-large.XXXXXX")
trap 'rm -rf "$work"' EXIT
cc -O2 -std=gnu11 -I"$src/common" -I"$src/store" "$src/bench/affected/gen.c" \
	"$build/libftstore.a" "$build/libftcommon.a" \
	$(pkg-config --libs sqlite3 libxxhash libcjson) -o "$work/gen"
t() { "$py" "$src/bench/affected/timeit.py" "$reps" "$@"; }
# timeit.py splits its commands at the first "--": `ftrace run -- true`
# goes through a script, and so does each reference (both pay sh's start)
wrap() { printf '#!/bin/sh\nexec %s\n' "$2" >"$work/$1" && chmod +x "$work/$1"; }
wrap run-build "'$build/ftrace' run -- true"
wrap true true
[ -z "$base" ] || wrap run-base "'$base/ftrace' run -- true"

one() { # label ndirs files tests
	local label=$1 tree=$work/$1/tree
	mkdir -p "$tree/.ftrace"
	git -C "$tree" init -q .
	"$work/gen" "$tree" "$tree/.ftrace/ftrace.db" "$2" "$3" "$4"
	find "$tree" -path "$tree/.git" -prune -o -exec touch -h -d '2020-01-01' {} +
	printf '%s: %d files, %d tests\n' "$label" $(( $2 * $3 )) "$4"
	cd "$tree"
	"$build/ftrace" affected >/dev/null || true # fills the stat cache
	"$build/ftrace" run -- true >/dev/null 2>&1
	TIMEIT_NAMES="run,true" t "$label" -- "$work/run-build" -- "$work/true"
	if [ -n "$base" ]; then
		"$base/ftrace" run -- true >/dev/null 2>&1
		TIMEIT_NAMES="run,base's run" t "$label" -- "$work/run-build" -- "$work/run-base"
	fi
	cd "$work"
	rm -rf "${work:?}/$label"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "ftrace run -- true in a large recording, $reps runs, $(nproc) cpus," \
	"commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')${base:+, base $base}"
echo "started $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(load)"
for s in ${BENCH_LARGE_SIZES:-10k 100k}; do
	case $s in
	10k) one 10k 100 100 1000 ;;
	100k) one 100k 1000 100 10000 ;;
	*) echo "bench: unknown size $s" >&2 ;;
	esac
done
echo "ended $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(load)"
