#!/usr/bin/env bash
# t8049-jest-obsolete-snapshot.sh - jest exits 1 when a snapshot file holds
# a snapshot no test uses any more (obsolete), while every test file
# passed.  No file's own result explains that, so each file of the run
# counts as failed, as the run's status (docs/runners.md, "Outcomes"):
# `ftrace test` runs them again and fails as plain jest does, until the
# snapshot is gone.  Before, nothing was affected, and `ftrace test` ran
# nothing and exited 0 while `jest` still failed.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"

mkdir -p test/__snapshots__
printf '// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing\n\nexports[`gone 1`] = `1`;\n' \
	>test/__snapshots__/b.test.js.snap
rc=0
npx jest --ci --cacheDirectory="$JEST_CACHE" >/dev/null 2>&1 || rc=$?
assert_eq 1 "$rc" "plain jest --ci with an obsolete snapshot"

ft_jest_record 1 --ci
grep -q "the command failed (exit status 1) but none of its tests did" "$FT_SCRATCH/run.err" ||
	ft_fail "no word of the run's failure: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "$ALL" "nothing changed since the run failed alone"

# ftrace test: the files run again, and the status is jest's
rm -f "$RAN_LOG"
rc=0
"$FTRACE_BIN" test -- npx jest --ci --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
assert_eq 1 "$rc" "ftrace test while the snapshot is obsolete ($(tail -5 "$FT_SCRATCH/test.out"))"
assert_eq "a b c d" "$(ran_files | tr '\n' ' ' | sed 's/ $//')" "files ftrace test ran"

# the obsolete snapshot gone: the files run once more, pass, and nothing
# is selected after that
rm -r test/__snapshots__
rm -f "$RAN_LOG"
rc=0
"$FTRACE_BIN" test -- npx jest --ci --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
assert_eq 0 "$rc" "ftrace test after the snapshot was removed ($(tail -5 "$FT_SCRATCH/test.out"))"
assert_eq "a b c d" "$(ran_files | tr '\n' ' ' | sed 's/ $//')" "files ftrace test ran after the fix"
ft_affected_is "" "after a run that passed"
