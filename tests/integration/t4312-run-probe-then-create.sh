#!/usr/bin/env bash
# A test that looked a path up, found it missing and then wrote it (a
# snapshot written when missing, fixtures/pytest-snapshot) counted as its
# own output: no dependency on it at all.  Its next run finds the file and
# compares with it, so an edit of the snapshot changes its outcome, and
# `affected` left it out (a miss).  Now the absence it saw is its
# dependency: a path there at ingest is unknown (selected once), and the
# next recording, which reads it, makes it a content dependency.  A file
# looked up, written and removed again by the test is still no change; a
# bytecode cache (x.pyc probed, then written) is still no dependency of
# the test that wrote it; the same for a plain command under `ftrace run`.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"

ft_pytest_fixture pytest-snapshot
SNAP=tests/test_snap.py::test_snapshot
record
[ -e snapshots/render.txt ] || ft_fail "the snapshot test wrote no snapshot"
[ ! -e snapshots/scratch.txt ] || ft_fail "the scratch test left its file"
assert_set "$SNAP" "$(affected)" "after the run that wrote the snapshot"
ft affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q 'snapshots/render.txt: unknown dependency' "$FT_SCRATCH/explain" ||
	ft_fail "explain names the snapshot: $(cat "$FT_SCRATCH/explain")"
record
assert_set "" "$(affected)" "recorded again with the snapshot there"
# The edit of the snapshot: the test that compares with it.
printf 'changed\n' >snapshots/render.txt
settle snapshots/render.txt
assert_set "$SNAP" "$(affected)" "the snapshot edited"
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$SNAP" >/dev/null 2>&1; then
	ft_fail "the snapshot test passes with an edited snapshot: the scenario shows no miss"
fi
# Removed: the test writes it again (it saw it there).
rm snapshots/render.txt
settle snapshots
assert_set "$SNAP" "$(affected)" "the snapshot removed"

# The same pattern in a plain command: `[ -e out ] || make it; cat out`.
cd "$FT_SCRATCH" && rm -rf plain && mkdir plain && cd plain && git init -q . &&
	printf 'seed\n' >in.txt && git add in.txt && git commit -qm init || ft_fail "git repo"
ft_clock_past_ctime
cmd='[ -e out.txt ] || cp in.txt out.txt; cat out.txt >/dev/null'
ft run --name plain -- sh -c "$cmd" >/dev/null 2>&1 || ft_fail "ftrace run (plain) failed"
assert_set "plain" "$(ft affected --format ids)" "a plain command that made out.txt after looking it up"
ft run --name plain -- sh -c "$cmd" >/dev/null 2>&1 || ft_fail "ftrace run (plain, again) failed"
assert_set "" "$(ft affected --format ids)" "the plain command recorded again"
printf 'other\n' >out.txt
settle out.txt
assert_set "plain" "$(ft affected --format ids)" "out.txt edited"
