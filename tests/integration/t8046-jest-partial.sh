#!/usr/bin/env bash
# `jest -t NAME` runs only the tests of each file whose names match, and a
# file is one test: the adapter says so (the `partial` control), and the
# file is stored untraced (always selected) until a whole run; see t7106
# for why.  And a jest run whose files the adapter cannot mark says so.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"
ft_jest_record 0
ft_affected_is "" "right after a whole run"
for flags in "-t add" "--testNamePattern=add"; do
	ft_jest_record 0 $flags
	grep -q "4 tests ran only in part" "$FT_SCRATCH/run.err" ||
		ft_fail "jest $flags: no word of a run in part: $(cat "$FT_SCRATCH/run.err")"
	ft_affected_is "$ALL" "after jest $flags: every file it ran, always"
	ft_jest_record 0
	ft_affected_is "" "a whole run after jest $flags"
done

# jest whose test files the adapter cannot mark (an unknown jest-runner, or
# NODE_OPTIONS replaced; here the adapter is kept out): the whole
# command is one test, and the run says why instead of nothing
ft_record 0 -- env NODE_OPTIONS= npx jest --cacheDirectory="$JEST_CACHE"
grep -q "note: jest ran, but no test file was marked" "$FT_SCRATCH/run.err" ||
	ft_fail "no note for a jest run whose test files were not marked: $(cat "$FT_SCRATCH/run.err")"
