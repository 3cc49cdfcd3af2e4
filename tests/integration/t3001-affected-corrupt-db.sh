#!/usr/bin/env bash
# A database that is garbage, or SQLite but not ours: exit 2 with a message
# naming the file and the remedy, nothing on stdout, and the file unchanged
# (a failed open must never "repair" or convert someone's file).
. "$(dirname "$0")/lib.sh"

cd "$FT_SCRATCH"
git init -q .
mkdir .ftrace

check() {
	local what=$1 rc=0
	cp .ftrace/ftrace.db "$FT_SCRATCH/copy"
	ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	assert_eq 2 "$rc" "$what: exit status"
	[ ! -s "$FT_SCRATCH/out" ] || ft_fail "$what: stdout not empty"
	grep -q 'ftrace.db' "$FT_SCRATCH/err" || ft_fail "$what: message does not name the db: $(cat "$FT_SCRATCH/err")"
	grep -qi 'corrupt' "$FT_SCRATCH/err" || ft_fail "$what: message does not say corrupt: $(cat "$FT_SCRATCH/err")"
	grep -q 'record again' "$FT_SCRATCH/err" || ft_fail "$what: no remedy in the message"
	cmp -s .ftrace/ftrace.db "$FT_SCRATCH/copy" || ft_fail "$what: the database was modified"
	[ ! -e .ftrace/ftrace.db-wal ] || [ ! -s .ftrace/ftrace.db-wal ] || ft_fail "$what: a WAL was written"
}

# garbage bytes (fixed, so a failure reproduces)
awk 'BEGIN { for (i = 0; i < 8192; i++) printf "%c", (i * 7919) % 251 + 1 }' >.ftrace/ftrace.db
check "garbage bytes"
rc=0
ft affected --on-unknown=all >"$FT_SCRATCH/out" 2>/dev/null || rc=$?
assert_eq 2 "$rc" "garbage with --on-unknown=all"

# a SQLite database that is not ftrace's
rm -f .ftrace/ftrace.db
sqlite3 .ftrace/ftrace.db 'CREATE TABLE notes(x); INSERT INTO notes VALUES (1);'
check "foreign SQLite database"

# ours in name only: meta without the rest of the schema
rm -f .ftrace/ftrace.db
sqlite3 .ftrace/ftrace.db "CREATE TABLE meta(key TEXT PRIMARY KEY, value); INSERT INTO meta VALUES('schema_version', 1);"
check "meta table only"
