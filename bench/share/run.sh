#!/usr/bin/env bash
# bench/share/run.sh - export, import and merge at scale (issue 28): ten
# synthetic shard bundles of a 10,000-test suite over 100,000 repository
# paths (tests/tools/ftt_bundle synth: each test a shared prelude of 300
# outside paths and 20 own repository paths), merged, imported into an
# empty repository, exported again; prints each step's elapsed, user and
# system seconds and the sizes (bundle per test, against the database).
#
#   BENCH_BUILD=build bash bench/share/run.sh [TESTS PATHS SHARDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build}
case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
FT=$BUILD/ftrace
TOOL=$BUILD/tests/tools/ftt_bundle
TESTS=${1:-10000} PATHS=${2:-100000} N=${3:-10}
[ -x "$FT" ] && [ -x "$TOOL" ] || { echo "bench/share: build $BUILD first (with tests)" >&2; exit 1; }
W=$(mktemp -d "${TMPDIR:-/tmp}/ftrace-bench-share.XXXXXX")
trap 'rm -rf "$W"' EXIT
cd "$W"
echo "# $(git -C "$ROOT" rev-parse --short HEAD), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $TESTS tests, $PATHS paths, $N shards"
for k in $(seq 1 "$N"); do "$TOOL" synth "s$k.ftb" "$TESTS" "$PATHS" "$k" "$N"; done
t() { local what=$1; shift; /usr/bin/time -f "$what: %e s elapsed, %U s user, %S s system" "$@" 2>&1 >/dev/null | grep -v '^ftrace:'; }
t merge "$FT" merge m.ftb s*.ftb
mkdir repo && cd repo && git init -q .
t import "$FT" import ../m.ftb
t export "$FT" export ../e.ftb
t "import again (nothing newer)" "$FT" import ../m.ftb
cd ..
db=$(stat -c %s repo/.ftrace/ftrace.db) b=$(stat -c %s m.ftb)
echo "bundle: $b bytes, $((b / TESTS)) per test; database: $db bytes, $((db / TESTS)) per test"
