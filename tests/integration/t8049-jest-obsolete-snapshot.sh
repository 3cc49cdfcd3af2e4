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

# a test file removed while its snapshot file stays: jest fails the whole
# run on the obsolete file, whichever files it runs, and the removed file
# cannot be run by path.  The removal alone selects only that file (an
# entry gone is no change to jest's crawl, docs/jest.md), so the runner's
# format cannot say it: --format jest is "cannot tell", and ftrace test
# runs the whole command, which fails as plain jest does.
cat >test/e.test.js <<'JS'
test('e matches its snapshot', () => { expect({ e: 5 }).toMatchSnapshot(); });
JS
# (--ci=false: with CI=true in the environment, as on a CI machine, jest
# writes no new snapshot)
npx jest --ci=false --cacheDirectory="$JEST_CACHE" >/dev/null 2>&1 || ft_fail "jest did not write e's snapshot"
[ -f test/__snapshots__/e.test.js.snap ] || ft_fail "no snapshot file for e"
ft_jest_record 0 --ci
ft_affected_is "" "e and its snapshot recorded"
rm test/e.test.js
rc=0
npx jest --ci --cacheDirectory="$JEST_CACHE" >/dev/null 2>&1 || rc=$?
assert_eq 1 "$rc" "plain jest --ci with e removed and its snapshot file left"
ft_affected_is "test/e.test.js" "e removed"
rc=0
"$FTRACE_BIN" affected --format jest >"$FT_SCRATCH/fmt.out" 2>"$FT_SCRATCH/fmt.err" || rc=$?
assert_eq 2 "$rc" "--format jest with e's snapshot file left ($(cat "$FT_SCRATCH/fmt.out"))"
grep -q "e.test.js was removed, and its snapshot file .*e.test.js.snap is still there" "$FT_SCRATCH/fmt.err" ||
	ft_fail "--format jest: the reason: $(cat "$FT_SCRATCH/fmt.err")"
rm -f "$RAN_LOG"
rc=0
"$FTRACE_BIN" test -- npx jest --ci --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
assert_eq 1 "$rc" "ftrace test with e's snapshot file left ($(tail -5 "$FT_SCRATCH/test.out"))"
assert_eq "a b c d" "$(ran_files | tr '\n' ' ' | sed 's/ $//')" "files ftrace test ran (the whole command)"
# the snapshot file removed too: the files of the failed run again (its
# failure was every file's), e left out, and the format can say it
rm test/__snapshots__/e.test.js.snap
assert_set "test/a.test.js test/b.test.js test/c.test.js test/d.test.js" "$(ft affected --format jest)" \
	"--format jest, e and its snapshot removed"
