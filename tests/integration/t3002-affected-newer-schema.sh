#!/usr/bin/env bash
# A database written by a newer ftrace (schema_version bumped with the
# sqlite3 CLI): an older ftrace must not guess.  Exit 2, a message naming
# the file and saying "newer", nothing on stdout, file unchanged.  With
# --on-unknown=all it prints every known test, still exit 2.
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

# Corrupt below the header while the tests table is readable: with
# --on-unknown=all every known test is printed, exit 2.
sqlite3 .ftrace/ftrace.db "DROP TABLE listings"
rc=0
out=$(ft affected --on-unknown=all 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all"
assert_set "" "$out" "--on-unknown=all cannot read tests of a db that failed validation"
