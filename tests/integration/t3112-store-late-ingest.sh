#!/usr/bin/env bash
# Issue 24, "Lock waits": records kept after a failed save are saved later
# by `ftrace ingest`.  A directory a test listed and then changed itself
# during the run keeps the listing the run left (docs/internals.md); but
# if the user adds a file to it between the run and the late save, that
# listing is the user's, not the test's, and storing it as seen would hide
# the new file from `affected`.  A change after the command ended is never
# the test's own.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
mkdir out
echo keep >out/keep.txt
git add out
ft_record 0 --name a -- ./a.sh

ft_db_lock .ftrace/ftrace.db
ft_settle
rc=0
FTRACE_LOCK_TIMEOUT=0.1 ft run -q --name t -- sh -c 'ls out; echo new >out/made-by-test.txt' >/dev/null 2>"$FT_SCRATCH/t.err" || rc=$?
assert_eq 70 "$rc" "run whose save ran out of lock wait ($(cat "$FT_SCRATCH/t.err"))"
ft_db_unlock

# the user adds a file where the test had written one, then saves the kept run
echo "user's" >out/added-by-user.txt
assert_status 0 ft ingest -q
ft_affected_is "t" "an edit made before the late save"
