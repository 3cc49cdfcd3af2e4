#!/usr/bin/env bash
# t8072-jest-orphan-snapshot.sh - a snapshot file whose test file is not
# there (obsolete) fails the whole jest run, whichever files it runs, with
# every test passed.  No test file reads it, so before, a new one selected
# nothing: `ftrace test` ran nothing and exited 0 while `jest` failed (a
# probe of luxon).  The crawl's context now depends on each scanned
# directory's snapshot listing, of a reader that counts only such a file
# (docs/jest.md, "Obsolete snapshot files"); a snapshot file with its test
# file, written by hand or by jest in the run, selects that test alone.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
ALL="test/a.test.js test/b.test.js test/c.test.js test/d.test.js"
SNAP_HEAD='// Jest Snapshot v1, https://jestjs.io/docs/snapshot-testing'

# orphan FILE: a snapshot file of one snapshot, for no test file
orphan() { printf '%s\n\nexports[`gone 1`] = `1`;\n' "$SNAP_HEAD" >"$1"; }
plain_jest_rc() {
	local rc=0
	npx jest --ci --cacheDirectory="$JEST_CACHE" >/dev/null 2>&1 || rc=$?
	echo "$rc"
}

ft_jest_record 0 --ci
ft_affected_is "" "recorded, no snapshot directory anywhere"

# 1. a new __snapshots__ directory holding an orphan: every test, and
# ftrace test fails as plain jest does
mkdir test/__snapshots__
orphan test/__snapshots__/zz.test.js.snap
assert_eq 1 "$(plain_jest_rc)" "plain jest --ci with an orphan snapshot file"
ft_affected_is "$ALL" "a new __snapshots__ with an orphan snapshot file"
rm -f "$RAN_LOG"
rc=0
"$FTRACE_BIN" test -- npx jest --ci --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
assert_eq 1 "$rc" "ftrace test with the orphan ($(tail -5 "$FT_SCRATCH/test.out"))"
assert_eq "a b c d" "$(ran_files | tr '\n' ' ' | sed 's/ $//')" "files ftrace test ran with the orphan"
rm -r test/__snapshots__
rc=0
"$FTRACE_BIN" test -- npx jest --ci --cacheDirectory="$JEST_CACHE" >"$FT_SCRATCH/test.out" 2>&1 || rc=$?
assert_eq 0 "$rc" "ftrace test after the orphan went ($(tail -5 "$FT_SCRATCH/test.out"))"
ft_affected_is "" "after the run that passed"

# 2. a new snapshot test, its snapshot written by jest outside ftrace (a
# new __snapshots__ directory): that file only
cat >test/e.test.js <<'JS'
test('e matches its snapshot', () => { expect({ e: 5 }).toMatchSnapshot(); });
JS
npx jest --ci=false --cacheDirectory="$JEST_CACHE" test/e.test.js >/dev/null 2>&1 ||
	ft_fail "jest did not run e"
[ -f test/__snapshots__/e.test.js.snap ] || ft_fail "no snapshot file for e"
assert_set "test/e.test.js" "$(ft affected --format jest)" "a new snapshot test and its snapshot file"
ft_jest_record 0 --ci
ft_affected_is "" "e and its snapshot recorded"

# 3. an orphan put into the existing __snapshots__: every test; gone
# again: nothing.  A file there that is no snapshot file: nothing.
orphan test/__snapshots__/gone.test.js.snap
assert_eq 1 "$(plain_jest_rc)" "plain jest --ci with an orphan beside e's snapshot"
ft_affected_is "$ALL test/e.test.js" "an orphan in an existing __snapshots__"
rm test/__snapshots__/gone.test.js.snap
ft_affected_is "" "the orphan removed again"
echo notes >test/__snapshots__/README.txt
assert_eq 0 "$(plain_jest_rc)" "plain jest --ci with a README among the snapshots"
ft_affected_is "" "a file that is no snapshot file in __snapshots__"
rm test/__snapshots__/README.txt

# 4. a snapshot file whose test file is a dangling link: jest's existsSync
# follows links, so it is obsolete
ln -s missing.test.js test/h.test.js
orphan test/__snapshots__/h.test.js.snap
ft_affected_is "$ALL test/e.test.js" "a snapshot file whose test file is a dangling link"
rm test/h.test.js test/__snapshots__/h.test.js.snap

# 5. a new snapshot test recorded with --ci=false: jest writes its
# snapshot file in the run, which is no change to the snapshot listing
# (the other files stay unselected).  f itself looked the file up before
# it was written, so f is "unknown at recording" once; recorded again,
# nothing is selected.
cat >test/f.test.js <<'JS'
test('f matches its snapshot', () => { expect({ f: 6 }).toMatchSnapshot(); });
JS
ft_jest_record 0 --ci=false
[ -f test/__snapshots__/f.test.js.snap ] || ft_fail "jest wrote no snapshot file for f"
ft_affected_is "test/f.test.js" "f's snapshot file written in the recorded run"
ft_jest_record 0 --ci
ft_affected_is "" "f recorded with its snapshot file"

# 6. a snapshot file added beside its (known) test file, in a directory
# that had none: that test only
mkdir lib/__snapshots__ 2>/dev/null || true
orphan lib/__snapshots__/only_a.js.snap
assert_eq 0 "$(plain_jest_rc)" "plain jest --ci with a snapshot file beside lib/only_a.js"
ft_affected_is "" "a .snap beside a module that is there (jest's check: its file exists)"
orphan lib/__snapshots__/nothing.js.snap
ft_affected_is "$ALL test/e.test.js test/f.test.js" "an orphan in a new lib/__snapshots__"
rm -r lib/__snapshots__
ft_affected_is "" "lib/__snapshots__ gone again"
