#!/usr/bin/env bash
# Issue 29: `ftrace run` opens the database before its command and saves
# into that connection after it (one reading of the schema per run).  The
# command may remove or replace the database meanwhile (a CI script that
# restores a cached state dir, `rm -rf .ftrace`), or a newer ftrace may
# migrate it.  The save must then go to the file the path names now, or
# fail saying why: never into a file nobody will read again, never in a
# schema this ftrace does not know.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
echo one >data.txt
touch -d '2020-01-01' data.txt
ft_clock_past_ctime
ft run -q --name reader -- cat data.txt >/dev/null
sqlite3 .ftrace/ftrace.db ".backup '$FT_SCRATCH/copy.db'"

# replaced by another database of this tree: the run is saved into it,
# beside what it held
ft run -q --name late -- sh -c 'cp "$0" .ftrace/ftrace.db.tmp && mv -f .ftrace/ftrace.db.tmp .ftrace/ftrace.db &&
	rm -f .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm && cat data.txt' "$FT_SCRATCH/copy.db" >/dev/null ||
	ft_fail "run whose command replaced the database"
echo two >data.txt
assert_set "late reader" "$(ft affected)" "a run that replaced the database"
echo one >data.txt
touch -d '2020-01-01' data.txt
ft_clock_past_ctime

# removed: the run makes a new one and is saved there (the earlier
# recordings went with the file)
ft run -q --name writer -- sh -c 'rm -f .ftrace/ftrace.db .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm; cat data.txt' \
	>/dev/null || ft_fail "run whose command removed the database"
[ -s .ftrace/ftrace.db ] || ft_fail "no database after the run: $(ls -la .ftrace)"
echo two >data.txt
assert_set "writer" "$(ft affected)" "a run that removed the database"
echo one >data.txt
touch -d '2020-01-01' data.txt
ft_clock_past_ctime

# made newer (another ftrace migrated it): not saved, exit 70, the reason
rc=0
ft run -q --name newer -- sh -c 'sqlite3 .ftrace/ftrace.db "UPDATE meta SET value = 99 WHERE key = '"'schema_version'"'"' \
	>/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 70 "$rc" "a run whose database became newer during it ($(cat "$FT_SCRATCH/err"))"
grep -q "schema version 99" "$FT_SCRATCH/err" || ft_fail "no reason given: $(cat "$FT_SCRATCH/err")"
assert_eq 99 "$(sqlite3 .ftrace/ftrace.db "SELECT value FROM meta WHERE key = 'schema_version'")" \
	"the newer database is left as it is"
assert_eq 0 "$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM tests WHERE name = 'newer'")" \
	"nothing written into the newer database"
