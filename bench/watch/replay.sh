#!/usr/bin/env bash
# bench/watch/replay.sh - the watch daemon's answers against cold walks on
# a real library's history: recorded at HEAD~STEPS, then each of the next
# STEPS commits checked out in turn with the daemon running, and at each
# `ftrace affected` with the daemon and with --no-watch compared (exit
# status and output must be equal: the daemon may only save work).
#
#   bench/watch/replay.sh REPO [STEPS]     # STEPS: 10
#
# REPO: a git directory with a pytest suite, set up as bench/affected
# does (bench/affected/real.sh: BENCH_REAL_PIP, BENCH_REAL_NAME).  Prints
# one line per commit (tests selected, as ids; whether the answers were equal,
# whether the daemon's was whole, and both wall times) and a summary; exits
# 1 if any answer differed.  Environment: BENCH_BUILD.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${BENCH_BUILD:-$src/build}" && pwd)
ftrace=$build/ftrace
[ -x "$ftrace" ] || { echo "bench: no $ftrace (BENCH_BUILD)" >&2; exit 2; }
repo=${1:?usage: bench/watch/replay.sh REPO [STEPS]}
steps=${2:-10}
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
real_out=
cleanup() {
	if [ -n "$real_out" ]; then
		(cd "$real_out/work" && "$ftrace" watch stop >/dev/null 2>&1) || true
	fi
}
trap cleanup EXIT

commits=$(git -C "$repo" rev-list --first-parent --reverse -n "$((steps + 1))" HEAD)
first=$(head -1 <<<"$commits")
. "$src/bench/affected/real.sh"
echo "watch replay: $repo, $steps commits, commit $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')," \
	"load average $(cut -d' ' -f1-3 /proc/loadavg)"
BENCH_REAL_AT=$first real_setup "$repo" watch-replay
"$ftrace" watch start
ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N); echo $(( (t1 - t0) / 100000 )); }
equal=0 whole=0 n=0
for c in $(tail -n +2 <<<"$commits"); do
	git checkout -q "$c"
	a_rc=0 b_rc=0
	a=$("$ftrace" affected 2>/dev/null) || a_rc=$?
	b=$("$ftrace" affected --no-watch 2>/dev/null) || b_rc=$?
	json=$("$ftrace" affected --format json 2>/dev/null || true)
	ids=$("$ftrace" affected --format ids 2>/dev/null | grep -c . || true)
	w=no
	case "$json" in *'"whole":true'*) w=yes; whole=$((whole + 1)) ;; esac
	same=no
	if [ "$a" = "$b" ] && [ "$a_rc" = "$b_rc" ]; then same=yes; equal=$((equal + 1)); fi
	tw=$(ms "$ftrace" affected)
	tc=$(ms "$ftrace" affected --no-watch)
	n=$((n + 1))
	printf '%s  selected %5d  exit %d/%d  equal %-3s  whole %-3s  with %d.%d ms  without %d.%d ms\n' \
		"$(git rev-parse --short HEAD)" "$ids" "$a_rc" "$b_rc" "$same" "$w" \
		$((tw / 10)) $((tw % 10)) $((tc / 10)) $((tc % 10))
done
echo "steps $n, equal answers $equal, whole answers $whole"
[ "$equal" = "$n" ]
