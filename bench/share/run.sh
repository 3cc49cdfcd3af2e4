#!/usr/bin/env bash
# bench/share/run.sh - export, import and merge at scale (issue 28): ten
# synthetic shard bundles of a 10,000-test suite over 100,000 repository
# paths (tests/tools/ftt_bundle synth: each test a shared prelude of 300
# outside paths and 20 own repository paths), merged, imported into an
# empty repository, exported again; prints each step's elapsed, user and
# system seconds and the sizes (bundle per test, against the database).
#
# Twice: with the states of one commit (a path has one state, whichever
# test read it: what a recording of one commit holds), then with a state
# of its own for every test's every path (the worst case: 20 states per
# test).  BENCH_SHARE_STATES=commit or =test runs one of them.
#
# BENCH_BASE=DIR (a second build) times that build's ftrace on the same
# bundles too, step by step alternating with BENCH_BUILD's.
#
#   BENCH_BUILD=build bash bench/share/run.sh [TESTS PATHS SHARDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
BUILD=$(abs "${BENCH_BUILD:-$ROOT/build}")
BASE=${BENCH_BASE:+$(abs "$BENCH_BASE")}
TOOL=$BUILD/tests/tools/ftt_bundle
TESTS=${1:-10000} PATHS=${2:-100000} N=${3:-10}
for b in "$BUILD" $BASE; do
	[ -x "$b/ftrace" ] || { echo "bench/share: build $b first" >&2; exit 1; }
done
[ -x "$TOOL" ] || { echo "bench/share: build $BUILD with its tests first" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench-share.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
echo "# $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $TESTS tests, $PATHS paths, $N shards; build $BUILD${BASE:+, base $BASE}"
t() { local what=$1; shift; /usr/bin/time -f "$what: %e s elapsed, %U s user, %S s system" "$@" 2>&1 >/dev/null | grep -v '^ftrace:'; }
one() { # one build's steps on the bundles in $PWD: LABEL FTRACE
	local label=$1 ft=$2
	t "$label merge" "$ft" merge "m-$label.ftb" s*.ftb
	rm -rf "repo-$label" && mkdir "repo-$label" && (cd "repo-$label" && git init -q .)
	(cd "repo-$label" && t "$label import" "$ft" import ../m.ftb)
	(cd "repo-$label" && t "$label export" "$ft" export "../e-$label.ftb")
	(cd "repo-$label" && t "$label import again (nothing newer)" "$ft" import ../m.ftb)
}
for states in ${BENCH_SHARE_STATES:-commit test}; do
	mkdir "$W/$states" && cd "$W/$states"
	echo "## states per $states"
	for k in $(seq 1 "$N"); do "$TOOL" synth "s$k.ftb" "$TESTS" "$PATHS" "$k" "$N" "$states"; done
	"$BUILD/ftrace" merge m.ftb s*.ftb 2>/dev/null
	one build "$BUILD/ftrace"
	[ -z "$BASE" ] || one base "$BASE/ftrace"
	db=$(stat -c %s repo-build/.ftrace/ftrace.db) b=$(stat -c %s m.ftb)
	echo "bundle: $b bytes, $((b / TESTS)) per test; database: $db bytes, $((db / TESTS)) per test"
	cd "$W" && rm -rf "$W/$states"
done
