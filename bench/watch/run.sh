#!/usr/bin/env bash
# bench/watch/run.sh - `ftrace affected` with the watch daemon, without it
# (--no-watch) and `git status`, on the same tree in one run.
#
#   bench/watch/run.sh [BUILD_DIR] [REPS]
#
# Trees from bench/affected/gen.c (the files, and a database built through
# the store API as ingest does), put in the tree's own state directory so
# that `ftrace watch start` watches it:
#   small   2,000 files (20 dirs x 100), 50 tests
#   10k     10,000 files (100 x 100), 1,000 tests
#   100k    100,000 files (1,000 x 100), 10,000 tests
# For each: nothing changed, then one file edited (its tests selected).
# Each timing: REPS (default 7) alternating runs of the two commands
# compared (bench/affected/timeit.py: wall and CPU, median and minimum),
# after one warm-up of each.  The load average at start and end: the
# machine may be shared.  A benchmark: it asserts only that the daemon's
# answer equals the cold walk's.
#
# With BENCH_REAL_REPO (a git directory with a pytest suite), also a real
# library, set up and recorded as bench/affected/run.sh does
# (bench/affected/real.sh: BENCH_REAL_PIP, BENCH_REAL_NAME), nothing
# changed.
#
# Environment: BENCH_BUILD, BENCH_RUNS, BENCH_WATCH_SIZES (default
# "small 10k"; "" for the real library alone), BENCH_REAL_REPO,
# BENCH_REAL_PIP, BENCH_REAL_NAME.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-${BENCH_BUILD:-$src/build}}" && pwd)
reps=${2:-${BENCH_RUNS:-7}}
sizes=${BENCH_WATCH_SIZES-small 10k}
ftrace=$build/ftrace
[ -x "$ftrace" ] || { echo "bench: no $ftrace (BENCH_BUILD or BUILD_DIR)" >&2; exit 2; }
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
work=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench.XXXXXX")
cleanup() {
	for t in "$work"/*/tree; do
		[ -d "$t/.ftrace" ] && (cd "$t" && "$ftrace" watch stop >/dev/null 2>&1) || true
	done
	if [ -n "${real_out:-}" ]; then
		(cd "$real_out/work" && FTRACE_DIR=$real_out/state "$ftrace" watch stop >/dev/null 2>&1) || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -std=gnu11 -I"$src/common" -I"$src/store" "$src/bench/affected/gen.c" \
	"$build/libftstore.a" "$build/libftcommon.a" \
	$(pkg-config --libs sqlite3 libxxhash libcjson) -o "$work/gen"

timeit() { "$py" "$src/bench/affected/timeit.py" "$reps" "$@"; }

# same WHAT: the daemon's answer is the cold walk's
same() {
	local a b
	a=$("$ftrace" affected 2>&1) || true
	b=$("$ftrace" affected --no-watch 2>&1) || true
	[ "$a" = "$b" ] || { echo "bench: $1: the daemon's answer differs from the cold walk's" >&2; exit 1; }
	grep -q '"watch":{"used":true' <<<"$("$ftrace" affected --format json)" ||
		{ echo "bench: $1: the daemon was not used" >&2; exit 1; }
}

bench() { # label ndirs files tests
	local label=$1 tree=$work/$1/tree
	mkdir -p "$tree/.ftrace"
	chmod 700 "$tree/.ftrace"
	git -C "$tree" init -q .
	"$work/gen" "$tree" "$tree/.ftrace/ftrace.db" "$2" "$3" "$4"
	echo '*' >"$tree/.ftrace/.gitignore"
	(cd "$tree" && git add -A && git -c gc.auto=0 -c maintenance.auto=false -c user.email=b@b -c user.name=b commit -qm bench)
	find "$tree" -path "$tree/.git" -prune -o -path "$tree/.ftrace" -prune -o -exec touch -h -d '2020-01-01' {} +
	printf '%s: %d files, %d tests\n' "$label" $(( $2 * $3 )) "$4"
	cd "$tree"
	git status --porcelain >/dev/null
	"$ftrace" affected --no-watch >/dev/null   # fills the stat cache
	local t0 t1
	t0=$(date +%s%N)
	"$ftrace" watch start
	t1=$(date +%s%N)
	printf '  watch start (first baseline): %d ms; %s watches\n' $(( (t1 - t0) / 1000000 )) \
		"$("$ftrace" watch status | sed -n 's/^watches: //p')"
	same "$label, nothing changed"
	timeit "$label, nothing changed, with the daemon" -- "$ftrace" affected -- git status --porcelain
	timeit "$label, nothing changed, --no-watch" -- "$ftrace" affected --no-watch -- git status --porcelain
	echo "edited" >>d0001/f0001.py
	same "$label, one file edited"
	timeit "$label, one file edited, with the daemon" -- "$ftrace" affected -- git status --porcelain
	timeit "$label, one file edited, --no-watch" -- "$ftrace" affected --no-watch -- git status --porcelain
	"$ftrace" watch stop
	cd "$src"
	rm -rf "${work:?}/$label"
}

. "$src/bench/affected/real.sh"
real() { # repo: the same, on a real library recorded once
	real_setup "$1" watch
	git status --porcelain >/dev/null
	"$ftrace" affected --no-watch >/dev/null
	local t0 t1
	t0=$(date +%s%N)
	"$ftrace" watch start
	t1=$(date +%s%N)
	printf '  watch start (first baseline): %d ms; %s watches; whole answers: %s\n' \
		$(( (t1 - t0) / 1000000 )) "$("$ftrace" watch status | sed -n 's/^watches: //p')" \
		"$("$ftrace" watch status | sed -n 's/^whole answers: //p')"
	same "real, nothing changed"
	timeit "real, nothing changed, with the daemon" -- "$ftrace" affected -- git status --porcelain
	timeit "real, nothing changed, --no-watch" -- "$ftrace" affected --no-watch -- git status --porcelain
	"$ftrace" watch stop
	cd "$src"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "ftrace affected with and without the watch daemon vs git status, $reps runs, $(nproc) cpus," \
	"$(uname -r), $(git --version), commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')"
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
