#!/usr/bin/env bash
# A database written by a newer ftrace (schema_version bumped with the
# sqlite3 CLI): an older ftrace must not guess.  Exit 2, a message naming
# the file and saying "newer", nothing on stdout, file unchanged.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh
ft_record 0 --name b -- ./b.sh
ft_affected_is "" "fresh recording"

sqlite3 .ftrace/ftrace.db "UPDATE meta SET value = value + 1 WHERE key = 'schema_version'"
cp .ftrace/ftrace.db "$FT_SCRATCH/copy"
rc=0
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status on a newer schema"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "stdout not empty: $(cat "$FT_SCRATCH/out")"
grep -q 'ftrace.db' "$FT_SCRATCH/err" || ft_fail "message does not name the db: $(cat "$FT_SCRATCH/err")"
grep -q 'newer' "$FT_SCRATCH/err" || ft_fail "message does not say newer: $(cat "$FT_SCRATCH/err")"
grep -q 'upgrade ftrace' "$FT_SCRATCH/err" || ft_fail "message gives no remedy: $(cat "$FT_SCRATCH/err")"
cmp -s .ftrace/ftrace.db "$FT_SCRATCH/copy" || ft_fail "the database was modified"

# Back to our version: works again (the refusal changed nothing).
sqlite3 .ftrace/ftrace.db "UPDATE meta SET value = value - 1 WHERE key = 'schema_version'"
ft_affected_is "" "after restoring the version"

# --on-unknown=all on a valid database whose selection cannot complete
# prints every known test (exit 2); on one that fails validation (here: a
# table missing) it cannot know the tests, and prints nothing (exit 2): a
# guess at a foreign schema could print a partial list.
sqlite3 .ftrace/ftrace.db "DROP TABLE listings"
rc=0
out=$(ft affected --on-unknown=all 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all on a damaged schema"
assert_eq "" "$out" "--on-unknown=all on a damaged schema"
