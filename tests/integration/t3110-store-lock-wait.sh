#!/usr/bin/env bash
# Issue 24, "Lock waits": while one run saved 500k dependencies, 10 of 12
# small runs started at the same time exited 70 "database is locked" after
# a fixed 5 s, and their recordings were lost.  A recording run is a batch
# job: it waits for the lock as long as the holder lives, says that it is
# waiting, and saves its test.  Here the holder is the sqlite3 CLI inside a
# write transaction, released only once every run has said it is waiting
# (or has exited, which is the failure); never a fixed sleep.  A run given
# FTRACE_LOCK_TIMEOUT gives up, keeps its records, and names `ftrace
# ingest`, which then saves them.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh

ft_db_lock .ftrace/ftrace.db

pids=()
for i in 1 2 3 4; do
	ft run -q --name "w$i" -- ./b.sh >/dev/null 2>"$FT_SCRATCH/w$i.err" &
	pids+=($!)
done
# one run that must not wait long: it keeps its records for `ftrace ingest`
rc=0
FTRACE_LOCK_TIMEOUT=0.2 ft run -q --name late -- ./b.sh >/dev/null 2>"$FT_SCRATCH/late.err" || rc=$?
assert_eq 70 "$rc" "a run whose lock wait ran out: exit status"
grep -q 'database is locked' "$FT_SCRATCH/late.err" || ft_fail "late: $(cat "$FT_SCRATCH/late.err")"
grep -q 'ftrace ingest ' "$FT_SCRATCH/late.err" || ft_fail "late: no re-ingest command named: $(cat "$FT_SCRATCH/late.err")"
kept=$(ls .ftrace/runs)
[ "$(wc -w <<<"$kept")" -ge 1 ] || ft_fail "late: records not kept"

# wait until each waiting run said so, or exited
for i in 1 2 3 4; do
	while ! grep -q 'waiting for' "$FT_SCRATCH/w$i.err" && kill -0 "${pids[$((i - 1))]}" 2>/dev/null; do
		:
	done
done
ft_db_unlock
for i in 1 2 3 4; do
	rc=0; wait "${pids[$((i - 1))]}" || rc=$?
	assert_eq 0 "$rc" "run w$i while the database was locked ($(cat "$FT_SCRATCH/w$i.err"))"
done

# the kept run is pending; `ftrace ingest` saves it and removes its dir
rc=0
ft ingest >"$FT_SCRATCH/ingest.out" 2>"$FT_SCRATCH/ingest.err" || rc=$?
assert_eq 0 "$rc" "ftrace ingest ($(cat "$FT_SCRATCH/ingest.err"))"
grep -q 'recorded 1 test' "$FT_SCRATCH/ingest.err" || ft_fail "ingest summary: $(cat "$FT_SCRATCH/ingest.err")"
[ -z "$(ls .ftrace/runs)" ] || ft_fail "run dirs left after ingest: $(ls .ftrace/runs)"
assert_status 0 ft ingest -q

ft_affected_is "" "every recording saved, nothing changed"
ft_change b.txt
ft_affected_is "w1 w2 w3 w4 late" "every recording saved"
ft_change a.txt
ft_affected_is "a w1 w2 w3 w4 late" "the first run kept"
