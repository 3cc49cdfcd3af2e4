#!/usr/bin/env bash
# When `ftrace affected` cannot tell, it says so: exit 2, a message on
# stderr and nothing on stdout (so `ftrace affected | xargs -r ...` never
# runs a silently shrunk set), and it never "repairs" the database.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial

# expect_unknown WHAT: affected exits 2, stdout empty, stderr not.
expect_unknown() {
	local rc=0
	ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq 2 ] || ft_fail "$1: 'ftrace affected' exited $rc, expected 2; stdout: $(cat "$FT_SCRATCH/out")"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "$1: 'ftrace affected' printed on stdout: $(cat "$FT_SCRATCH/out")"
	[ -s "$FT_SCRATCH/err" ] || ft_fail "$1: no message on stderr"
	grep -q '^ftrace: ' "$FT_SCRATCH/err" || ft_fail "$1: message does not start with 'ftrace: ': $(cat "$FT_SCRATCH/err")"
}

# No recording at all.
expect_unknown "no recording"
[ ! -e .ftrace/ftrace.db ] || ft_fail "'ftrace affected' created a database"

# An empty state directory.
mkdir .ftrace
expect_unknown "empty .ftrace"

# A database file that is garbage.
head -c 8192 /dev/urandom >.ftrace/ftrace.db
cp .ftrace/ftrace.db "$FT_SCRATCH/garbage.copy"
expect_unknown "garbage database"
cmp .ftrace/ftrace.db "$FT_SCRATCH/garbage.copy" || ft_fail "'ftrace affected' modified the garbage database"

# An empty (0-byte) database file.
: >.ftrace/ftrace.db
expect_unknown "0-byte database"
[ ! -s .ftrace/ftrace.db ] || ft_fail "'ftrace affected' wrote into the 0-byte database"

# A real recording, then damaged: its first page overwritten.
rm -rf .ftrace
ft_record 0 --name a -- ./a.sh
ft_affected_is "" "valid recording"
printf 'this is not the sqlite header, not at all, definitely' |
	dd of=.ftrace/ftrace.db bs=1 seek=0 conv=notrunc status=none
cp .ftrace/ftrace.db "$FT_SCRATCH/damaged.copy"
expect_unknown "database with a damaged header"
cmp .ftrace/ftrace.db "$FT_SCRATCH/damaged.copy" || ft_fail "'ftrace affected' modified the damaged database"

# A SQLite database that is not ftrace's.
rm -rf .ftrace && mkdir .ftrace
sqlite3 .ftrace/ftrace.db 'CREATE TABLE notes(x); INSERT INTO notes VALUES (1);'
cp .ftrace/ftrace.db "$FT_SCRATCH/foreign.copy"
expect_unknown "a SQLite database that is not ftrace's"
cmp .ftrace/ftrace.db "$FT_SCRATCH/foreign.copy" || ft_fail "'ftrace affected' modified a foreign database"
