#!/usr/bin/env bash
# `node --test --test-name-pattern X` (or --test-skip-pattern, --test-only)
# runs only some of each file's tests, and a file is one test: stored
# untraced now (always selected) until a whole run; see t7106 for why.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_need_node_test

ft_fixture node-basic
ALL="test/a.test.js test/b.test.js test/c.test.js"
ft_record 0 -- node --test
ft_affected_is "" "right after a whole run"
for flags in "--test-name-pattern=add" "--test-name-pattern add"; do
	ft_record 0 -- node --test $flags
	grep -q "3 tests ran only in part" "$FT_SCRATCH/run.err" ||
		ft_fail "node --test $flags: no word of a run in part: $(cat "$FT_SCRATCH/run.err")"
	ft_affected_is "$ALL" "after node --test $flags: every file it ran, always"
	ft_record 0 -- node --test
	ft_affected_is "" "a whole run after node --test $flags"
done
