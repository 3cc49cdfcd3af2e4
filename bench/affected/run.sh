#!/usr/bin/env bash
# bench/affected/run.sh - how long `ftrace affected` takes with nothing
# changed, next to `git status` on the same tree, in the same run.
#
#   bench/affected/run.sh [BUILD_DIR] [REPS]
#
# Big: 100,000 files (1,000 dirs x 100), 10,000 tests.  Small: 2,000 files
# (20 x 100), 50 tests.  Each timing is the median of REPS (default 7)
# alternating runs (wall clock, and CPU = user + sys of the child, by
# bench/affected/timeit.py), after one warm-up run that fills the stat cache (the
# first `affected` after a recording hashes what ingest did not cache).
# A benchmark, not a test: it prints numbers and asserts nothing.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build}
reps=${2:-7}
ftrace=$build/ftrace
work=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

cc -O2 -std=gnu11 -I"$src/common" "$src/bench/affected/gen.c" \
	"$build/libftcommon.a" $(pkg-config --libs sqlite3 libxxhash libcjson) -o "$work/gen"

bench() { # label ndirs files tests
	local label=$1 tree=$work/$1/tree db=$work/$1/ftrace.db
	mkdir -p "$tree"
	git -C "$tree" init -q .   # first: .git is part of the root's listing
	"$work/gen" "$tree" "$db" "$2" "$3" "$4"
	(cd "$tree" && git add -A && git -c gc.auto=0 -c maintenance.auto=false -c user.email=b@b -c user.name=b commit -qm bench)
	# Files older than the racy window, as in a real checkout that was not
	# just written; then one warm-up of each.
	find "$tree" -path "$tree/.git" -prune -o -exec touch -h -d '2020-01-01' {} +
	(cd "$tree" && git status --porcelain >/dev/null)
	# in the tree: a database is only read in its own repository
	cd "$tree"
	"$ftrace" affected --db "$db" >/dev/null
	printf '%s: %d files, %d tests\n' "$label" $(( $2 * $3 )) "$4"
	/usr/bin/python3 "$src/bench/affected/timeit.py" "$reps" "$label" -- \
		"$ftrace" affected --db "$db" -- git -C "$tree" status --porcelain
	test -z "$("$ftrace" affected --db "$db")" || echo "warning: $label: affected is not empty" >&2
	cd "$work"
}

echo "ftrace affected vs git status, median of $reps, $(nproc) cpus, $(uname -r)"
bench small 20 100 50
bench big 1000 100 10000
