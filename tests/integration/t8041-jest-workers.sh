#!/usr/bin/env bash
# t8041-jest-workers.sh - `ftrace run -- npx jest -w 2`: jest runs the test
# files in two worker processes, several files per worker, and builds its
# haste map in worker processes of its own.  Each worker's files are marked
# by the adapter; a file that requires a module an earlier file of the same
# worker already loaded must still depend on it (docs/jest.md).
#
# jest runs in band when it knows from its timing cache that the tests are
# fast, so the timing cache (perf-cache-*) is removed before each recording;
# the transform cache stays, and the second recording runs with it warm.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture

# record_workers: ft_jest_record 0 -w 2, checked to have used two workers
record_workers() {
	rm -f "$JEST_CACHE"/perf-cache-*
	ft_jest_record 0 -w 2
	grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
	assert_eq 2 "$(ran_pids)" "$1: test files ran in two worker processes"
	assert_eq "a b c d" "$(ran_files | tr '\n' ' ' | sed 's/ $//')" "$1: files jest ran"
}

matrix() {
	ft_jest_matrix_common "$1"

	ft_change test/d.test.js
	ft_affected_is "test/d.test.js" "$1: the test file itself changed"
	ft_revert test/d.test.js

	# a module that does not exist yet, created where resolution looks
	# first (lib/shared with no extension): every test that resolved
	# ../lib/shared probed it, in whichever worker and order it ran
	printf 'module.exports = { add: (a, b) => a + b };\n' > lib/shared
	ft_affected_is "test/a.test.js test/b.test.js test/c.test.js" "$1: lib/shared created"
	rm lib/shared

	# the toolchain: @jest/fake-timers is loaded once per worker, during
	# its first test file (jest itself never reads it), and stays in
	# node's module cache for the worker's other files (jest 30 bundles
	# it into one file)
	local timers=node_modules/@jest/fake-timers/build/modernFakeTimers.js
	[ -f "$timers" ] || timers=node_modules/@jest/fake-timers/build/index.js
	ft_change "$timers"
	ft_affected_is "test/a.test.js test/b.test.js test/c.test.js test/d.test.js" \
		"$1: @jest/fake-timers changed"
	ft_revert "$timers"
}

record_workers "cold cache"
matrix "cold cache"

record_workers "warm cache"
ls "$JEST_CACHE"/jest-transform-cache-* >/dev/null 2>&1 || ft_fail "no jest transform cache in $JEST_CACHE"
matrix "warm cache"

# the haste map's own workers read every file; that is a scan, so a new
# file next to the tests selects nothing by itself
printf 'notes\n' > test/NOTES.txt
ft_affected_is "" "a new file that is not a test"
rm test/NOTES.txt

# `ftrace test` narrows jest to the affected files by path, and a command
# line of many files is cut short in its record (4 KiB of arguments).
# jest's process must still be known as jest's by the words that are
# whole; else every test file of a worker counted as keeping in memory
# what the worker's earlier files read (ingest/ft_kept.h), and an edit
# of one file's module selected every file of its worker (found on a probe
# of jest-extended: a snapshot edit selected all 79 files)
rm -rf .ftrace
rm -f "$JEST_CACHE"/perf-cache-*
ft_jest_record 0 -w 2 --runTestsByPath $(jest_long_paths test/a.test.js test/b.test.js \
	test/c.test.js test/d.test.js)
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "long command line: expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
assert_eq 2 "$(ran_pids)" "long command line: test files ran in two worker processes"
# (the default format cannot tell: that command line's options were cut
# off, t8056; --format jest asks jest here)
ft_change lib/only_a.js
assert_set "test/a.test.js" "$("$FTRACE_BIN" affected --format jest)" "long command line: lib/only_a.js changed"
ft_revert lib/only_a.js
ft_change lib/other.js
assert_set "test/d.test.js" "$("$FTRACE_BIN" affected --format jest)" "long command line: lib/other.js changed"
ft_revert lib/other.js
