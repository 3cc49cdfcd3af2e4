#!/usr/bin/env bash
# `ftrace affected --shard K/N` (issue 28): the N parts are disjoint and
# together the whole selection (sharding never leaves a test out), the
# same on every call, and balanced by recorded cost: two slow tests
# (1.0 s and 0.8 s runs) go to two shards of their own and the six fast
# ones to the third, longest first into the least loaded shard.  Bad
# K/N is usage (64).
. "$(dirname "$0")/lib.sh"
mkdir -p "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q . && echo 1 >common.txt && git add -A && git -c user.email=t@t -c user.name=t commit -qm c
ft run --name t-slow1 -- sh -c 'cat common.txt && sleep 1.0' >/dev/null 2>&1 || ft_fail "record t-slow1"
ft run --name t-slow2 -- sh -c 'cat common.txt && sleep 0.8' >/dev/null 2>&1 || ft_fail "record t-slow2"
for i in 1 2 3 4 5 6; do
	ft run --name "t-fast$i" -- cat common.txt >/dev/null 2>&1 || ft_fail "record t-fast$i"
done
ALL="t-fast1 t-fast2 t-fast3 t-fast4 t-fast5 t-fast6 t-slow1 t-slow2"
assert_set "" "$(ft affected --format ids)" "nothing changed"
echo 2 >common.txt
assert_set "$ALL" "$(ft affected --format ids)" "everything selected"

union=""
for k in 1 2 3; do
	out=$(ft affected --format ids --shard "$k/3") || ft_fail "--shard $k/3 exited $?"
	assert_eq "$out" "$(ft affected --format ids --shard "$k/3")" "--shard $k/3 is the same twice"
	union="$union$out"$'\n'
	case "$out" in
	*t-slow1*) assert_eq "t-slow1" "$out" "shard $k: the slowest test alone" ;;
	*t-slow2*) assert_eq "t-slow2" "$out" "shard $k: the second slowest alone" ;;
	*) assert_set "t-fast1 t-fast2 t-fast3 t-fast4 t-fast5 t-fast6" "$out" "shard $k: the fast ones" ;;
	esac
done
assert_eq "$(printf '%s\n' $ALL | sort)" "$(printf '%s' "$union" | sed '/^$/d' | sort)" \
	"the shards are disjoint and cover the selection"
# one shard: everything; more shards than tests: some empty, still exit 0
assert_set "$ALL" "$(ft affected --format ids --shard 1/1)" "--shard 1/1"
n=0
for k in $(seq 1 10); do
	n=$((n + $(ft affected --format ids --shard "$k/10" | sed '/^$/d' | wc -l)))
done
assert_eq 8 "$n" "ten shards of eight tests"
for bad in 0/3 4/3 3 a/b 1/0 "1/3x" "-1/3"; do
	assert_status 64 ft affected --shard "$bad"
done
