#!/usr/bin/env bash
# t8010-runner-node.sh - `ftrace run -- node --test`: Node 20 runs each test
# file in a child `node FILE` process; that child's subtree is the test named
# by the file's path from the repository top (docs/runners.md).  Exact sets
# for one module, a shared module, a data file, no change, a failing run and
# a new test file; then `node --test $(ftrace affected --format node)` runs
# exactly those files, and leaves out a test file that was deleted.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_node_test

ft_fixture node-basic

# ran_by_node "files" WHAT: node --test on --format node's output runs exactly those
ran_by_node() {
	local files rc=0
	files=$(ft affected --format node) || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected --format node exited $rc"
	assert_set "$1" "$files" "$2: --format node"
	[ -n "$files" ] || return 0
	# each fixture file appends its letter to $RAN_LOG first thing
	rm -f "$FT_SCRATCH/ran.log"
	RAN_LOG=$FT_SCRATCH/ran.log node --test $files >/dev/null 2>&1 || true
	assert_set "$(printf '%s\n' $1 | sed 's#.*/\(.\)\.test\.js#\1#')" \
		"$(cat "$FT_SCRATCH/ran.log" 2>/dev/null)" "$2: files node ran"
}

ft_record 0 -- node --test
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "right after recording"
ran_by_node "" "no change"
# where no test file is found, new ones cannot be: "cannot tell" (2)
assert_status 2 sh -c 'cd lib && "$FTRACE_BIN" affected --format node'

ft_change lib/solo.js
ft_affected_is "test/c.test.js" "lib/solo.js changed"
ran_by_node "test/c.test.js" "lib/solo.js changed"
ft_revert lib/solo.js
ft_affected_is "" "lib/solo.js reverted"

ft_change lib/shared.js
ft_affected_is "test/a.test.js test/b.test.js" "lib/shared.js changed"
ran_by_node "test/a.test.js test/b.test.js" "lib/shared.js changed"
ft_revert lib/shared.js

ft_change test/a.test.js
ft_affected_is "test/a.test.js" "the test file itself changed"
ft_revert test/a.test.js

cp data/b.txt "$FT_SCRATCH/b.txt"
echo 4 > data/b.txt
ft_affected_is "test/b.test.js" "data/b.txt changed"
ran_by_node "test/b.test.js" "data/b.txt changed"

# a failing run: per-file outcomes are not in the records, so every file of
# a run that exited non-zero counts as failed (selected next time)
ft_record 1 -- node --test
cp "$FT_SCRATCH/b.txt" data/b.txt
ft_record 0 -- node --test
ft_affected_is "" "after a passing run"

# a new test file: selected by --format node (node would run it), even
# though the database does not know it
cp test/c.test.js test/d.test.js
sed -i "s/'c\\\\n'/'d\\\\n'/; s/c adds/d adds/" test/d.test.js
grep -q "'d" test/d.test.js || ft_fail "fixture: d.test.js not made"

ran_by_node "test/d.test.js" "a new test file"
# the default format too, and from a directory where node finds no test
# file: node is asked where the recording ran it
ft_affected_is "test/d.test.js" "a new test file, lines format"
assert_set "test/d.test.js" "$(cd lib && ft affected)" "a new test file, lines format from lib/"
ft_record 0 -- node --test
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
ran_by_node "" "the new file recorded"

# from a subdirectory, paths are relative to it
ft_change lib/solo.js
assert_set "c.test.js d.test.js" "$(cd test && ft affected --format node)" "--format node from test/"
ft_revert lib/solo.js

# a deleted test file: its recorded test cannot run any more, and node
# given its path stops ("Could not find"): --format node leaves it out;
# no other file read it, and the runner's walk saw it only as an entry
# whose going is no change (t8018), so nothing is left to run
rm test/d.test.js
ft_settle
ft_affected_is "test/d.test.js" "a deleted test file"
ran_by_node "" "a deleted test file"
