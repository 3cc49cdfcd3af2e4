#!/usr/bin/env bash
# An import that fails halfway, then a good one (issue 28, the ids an
# import keeps in memory): a bundle whose last test has an outcome no
# export writes fails after the sets of the tests before it went in
# (libc's states and the repository files' among them), and is rolled
# back; the good bundle imported next answers `ftrace affected` exactly
# as the recording checkout does, for an edit of each file, a newer local
# recording kept over the bundle's.  A second import of it changes
# nothing.  A stale or wrong id (of a state the rollback undid) would point a set
# at another path's row, or at none, and an edit would select too little.
. "$(dirname "$0")/lib.sh"
TOOL=$FTRACE_BUILD_DIR/tests/tools/ftt_bundle

mkdir -p "$FT_SCRATCH/src" && cd "$FT_SCRATCH/src"
git init -q . && echo a >a.txt && echo b >b.txt && echo c >c.txt && git add -A &&
	git -c user.email=t@t -c user.name=t commit -qm c
git clone -q "$FT_SCRATCH/src" "$FT_SCRATCH/here"
ft_settle
ft run --name t-a -- cat a.txt >/dev/null 2>&1 || ft_fail "record t-a"
ft run --name t-ab -- cat a.txt b.txt >/dev/null 2>&1 || ft_fail "record t-ab"
ft run --name t-b -- cat b.txt >/dev/null 2>&1 || ft_fail "record t-b"
ft run --name t-c -- cat c.txt >/dev/null 2>&1 || ft_fail "record t-c"
ft export "$FT_SCRATCH/good.ftb" 2>/dev/null || ft_fail "export exited $?"
"$TOOL" badoutcome "$FT_SCRATCH/good.ftb" "$FT_SCRATCH/bad.ftb" || ft_fail "ftt_bundle badoutcome"

cd "$FT_SCRATCH/here"
ft_settle
# a recording here of c.txt as it was once: the database holds a state
# of c.txt that the bundle's is not (t-old is selected whatever changes)
echo c-old >c.txt && ft_settle
ft run --name t-old -- cat c.txt >/dev/null 2>&1 || ft_fail "record t-old here"
git checkout -q c.txt && ft_settle
# and one newer than the bundle's: kept, and it reads c.txt too
ft run --name t-b -- cat b.txt c.txt >/dev/null 2>&1 || ft_fail "record t-b here"
rc=0
ft import "$FT_SCRATCH/bad.ftb" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "the bad bundle: exit 2 ($(cat "$FT_SCRATCH/err"))"
grep -q "bad.ftb was not imported .*unchanged" "$FT_SCRATCH/err" || ft_fail "$(cat "$FT_SCRATCH/err")"
ft import "$FT_SCRATCH/good.ftb" 2>"$FT_SCRATCH/err" || ft_fail "good import: $(cat "$FT_SCRATCH/err")"
grep -q "import: 3 tests imported from .*, 1 kept" "$FT_SCRATCH/err" || ft_fail "$(cat "$FT_SCRATCH/err")"

check() {
	assert_set "t-old" "$(ft affected --format ids)" "$1: nothing changed"
	echo x >>a.txt && ft_settle
	assert_set "t-a t-ab t-old" "$(ft affected --format ids)" "$1: a.txt edited"
	git checkout -q a.txt && echo x >>b.txt && ft_settle
	assert_set "t-ab t-b t-old" "$(ft affected --format ids)" "$1: b.txt edited"
	git checkout -q b.txt && echo x >>c.txt && ft_settle
	assert_set "t-b t-c t-old" "$(ft affected --format ids)" "$1: c.txt edited"
	git checkout -q c.txt && ft_settle
}
check "after the good import"
ft import "$FT_SCRATCH/good.ftb" 2>"$FT_SCRATCH/err" || ft_fail "again: $(cat "$FT_SCRATCH/err")"
grep -q "import: 3 tests imported from .*, 1 kept" "$FT_SCRATCH/err" || ft_fail "again: $(cat "$FT_SCRATCH/err")"
check "imported again"
