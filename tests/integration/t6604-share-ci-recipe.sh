#!/usr/bin/env bash
# docs/ci.md's recipe, run with its own commands (scripts/ftrace-ci.sh)
# and a local directory standing in for the CI system's artifact store:
# main records the whole suite and publishes the golden bundle keyed by
# its commit; a pull request one commit ahead restores it (the nearest
# ancestor's), selects what a local recording would, and `ftrace test`
# runs that; the pull request sharded over two jobs, each restoring,
# running its part and exporting, then merged: a fresh clone of the pull
# request that restores the merged bundle has nothing affected; a
# developer's fresh clone of main restores and starts warm.  A shallow
# clone (fetch depth 2) restores too: its roots differ, but it has the
# bundle's HEAD commit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
CI=$FTRACE_SOURCE_DIR/scripts/ftrace-ci.sh
STORE=$FT_SCRATCH/artifacts
export FTRACE=$FTRACE_BIN
ft_fixture pytest-basic origin
git checkout -q -b main
# a second commit on main: a shallow clone of the pull request (depth 2)
# then ends at main's tip, not at the root
echo more >>README.md && git -c user.email=t@t -c user.name=t commit -qam "main: readme"
# the pull request: one commit on a branch
git checkout -q -b pr
printf "\nX = 1\n" >>calc/fmt.py
git -c user.email=t@t -c user.name=t commit -qam "pr: fmt"
git checkout -q main

# job: CI on main
cd "$FT_SCRATCH" && git clone -q -b main origin main-ci && cd main-ci && ft_settle
record
bash "$CI" publish "$STORE" 2>/dev/null || ft_fail "publish exited $?"
[ -f "$STORE/$(git rev-parse HEAD).ftb" ] || ft_fail "no bundle keyed by main's commit: $(ls "$STORE")"
# what a local recording selects for the pull request
git checkout -q pr && ft_settle
want=$(affected)
assert_set "$FMT" "$want" "the local recording selects test_fmt for the pull request"

# job: CI on the pull request
cd "$FT_SCRATCH" && git clone -q -b pr origin pr-ci && cd pr-ci && ft_settle
bash "$CI" restore "$STORE" 2>/dev/null || ft_fail "restore exited $?"
assert_set "$want" "$(affected)" "the pull request selects what the local recording does"
ft test -q -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/test.out" 2>&1 || ft_fail "ftrace test: $(cat "$FT_SCRATCH/test.out")"
grep -q "^2 passed" "$FT_SCRATCH/test.out" || ft_fail "ftrace test ran other than test_fmt's two: $(cat "$FT_SCRATCH/test.out")"
assert_set "" "$(affected)" "after ftrace test, nothing"

# a shallow clone of the pull request (CI's fetch depth): its root is
# its boundary, not main's root; the bundle's HEAD, which it has, says
# it is the same repository
cd "$FT_SCRATCH" && git clone -q --depth 2 -b pr "file://$FT_SCRATCH/origin" pr-shallow && cd pr-shallow && ft_settle
[ "$(git rev-parse --is-shallow-repository)" = true ] || ft_fail "the clone is not shallow"
bash "$CI" restore "$STORE" 2>"$FT_SCRATCH/shallow.err" || ft_fail "shallow restore exited $?: $(cat "$FT_SCRATCH/shallow.err")"
assert_set "$want" "$(affected)" "the shallow pull request selects what the local recording does"

# jobs: the pull request in two shards, then the merge job
for k in 1 2; do
	cd "$FT_SCRATCH" && git clone -q -b pr origin "shard$k" && cd "shard$k" && ft_settle
	bash "$CI" restore "$STORE" 2>/dev/null || ft_fail "shard $k: restore exited $?"
	bash "$CI" shard "$STORE" "$k" 2 "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/shard$k.out" 2>&1 ||
		ft_fail "shard $k exited $?: $(cat "$FT_SCRATCH/shard$k.out")"
done
grep -q "1 passed" "$FT_SCRATCH/shard1.out" || ft_fail "shard 1: $(cat "$FT_SCRATCH/shard1.out")"
grep -q "1 passed" "$FT_SCRATCH/shard2.out" || ft_fail "shard 2: $(cat "$FT_SCRATCH/shard2.out")"
cd "$FT_SCRATCH" && git clone -q -b pr origin merge-job && cd merge-job
bash "$CI" merge "$STORE" 2 2>/dev/null || ft_fail "merge exited $?"
cd "$FT_SCRATCH" && git clone -q -b pr origin pr-later && cd pr-later && ft_settle
bash "$CI" restore "$STORE" 2>/dev/null || ft_fail "restore of the merged bundle exited $?"
assert_set "" "$(affected)" "the merged shards cover the pull request"

# a developer's fresh clone of main
cd "$FT_SCRATCH" && git clone -q -b main origin dev && cd dev && ft_settle
bash "$CI" restore "$STORE" 2>/dev/null || ft_fail "developer restore exited $?"
assert_set "" "$(affected)" "a fresh clone of main starts warm"
printf "\nX = 2\n" >>calc/table.py && ft_settle
assert_set "$TABLE" "$(affected)" "and selects by the golden recording"
