#!/usr/bin/env bash
# bench/affected/run.sh - how long `ftrace affected` takes with nothing
# changed, next to `git status` on the same tree, in the same run.
#
#   bench/affected/run.sh [BUILD_DIR] [REPS]
#
# Generated trees (bench/affected/gen.c writes the files and a database
# built through the store API as ingest does):
#   small   2,000 files (20 dirs x 100), 50 tests
#   10k     10,000 files (100 x 100), 1,000 tests
#   100k    100,000 files (1,000 x 100), 10,000 tests
# and, when BENCH_REAL_REPO names a git directory with a pytest suite, a
# real library: cloned into bench/out/affected-real-<stamp>/work, its own
# venv there (pytest and BENCH_REAL_PIP from PyPI, the clone as an
# editable install), recorded once with `ftrace run -- pytest`.
#
# Each timing: REPS (default 7) alternating runs of `ftrace affected` and
# `git status --porcelain` (wall clock, and CPU = user + sys of the child,
# by bench/affected/timeit.py), after one warm-up run of each that fills
# the stat cache (the first `affected` after a recording hashes what
# ingest did not cache); the median and the minimum.  The load average is
# printed at start and end: the machine may be shared.
# A benchmark, not a test: it prints numbers and asserts nothing about them.
#
# Environment: BENCH_BUILD (build tree; default build/, or BUILD_DIR),
# BENCH_RUNS (REPS), BENCH_REAL_REPO, BENCH_REAL_PIP, BENCH_REAL_NAME,
# BENCH_AFFECTED_SIZES (default "small 10k 100k").
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${BENCH_BUILD:-$src/build}}
reps=${2:-${BENCH_RUNS:-7}}
sizes=${BENCH_AFFECTED_SIZES:-small 10k 100k}
ftrace=$build/ftrace
[ -x "$ftrace" ] || { echo "bench: no $ftrace (BENCH_BUILD or BUILD_DIR)" >&2; exit 2; }
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
work=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# gen.c uses the store (ft_store.h, ft_state.h): store/ and common/
cc -O2 -std=gnu11 -I"$src/common" -I"$src/store" "$src/bench/affected/gen.c" \
	"$build/libftstore.a" "$build/libftcommon.a" \
	$(pkg-config --libs sqlite3 libxxhash libcjson) -o "$work/gen"

# compare LABEL: affected (with "$@" as its options) against git status, in
# the current directory, after one warm-up of each
compare() {
	local label=$1
	shift
	git status --porcelain >/dev/null
	"$ftrace" affected "$@" >/dev/null
	"$py" "$src/bench/affected/timeit.py" "$reps" "$label" -- \
		"$ftrace" affected "$@" -- git status --porcelain
	test -z "$("$ftrace" affected "$@")" || echo "warning: $label: affected is not empty" >&2
}

bench() { # label ndirs files tests
	local label=$1 tree=$work/$1/tree db=$work/$1/ftrace.db
	mkdir -p "$tree"
	git -C "$tree" init -q .   # first: .git is part of the root's listing
	"$work/gen" "$tree" "$db" "$2" "$3" "$4"
	(cd "$tree" && git add -A && git -c gc.auto=0 -c maintenance.auto=false -c user.email=b@b -c user.name=b commit -qm bench)
	# Files older than the racy window, as in a real checkout that was not
	# just written.
	find "$tree" -path "$tree/.git" -prune -o -exec touch -h -d '2020-01-01' {} +
	printf '%s: %d files, %d tests\n' "$label" $(( $2 * $3 )) "$4"
	# in the tree: a database is only read in its own repository
	(cd "$tree" && compare "$label" --db "$db")
	rm -rf "${work:?}/$label"
}

. "$src/bench/affected/real.sh"
real() { # repo
	real_setup "$1" affected
	compare real
	cd "$src"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "ftrace affected vs git status, $reps runs, $(nproc) cpus, $(uname -r), $(git --version)," \
	"commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "started $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(load)"
for s in $sizes; do
	case $s in
	small) bench small 20 100 50 ;;
	10k) bench 10k 100 100 1000 ;;
	100k) bench 100k 1000 100 10000 ;;
	*) echo "bench: unknown size $s" >&2 ;;
	esac
done
if [ -n "${BENCH_REAL_REPO:-}" ]; then real "$BENCH_REAL_REPO"; fi
echo "ended $(date -u '+%Y-%m-%d %H:%M UTC'), load average $(load)"
