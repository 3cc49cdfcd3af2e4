#!/usr/bin/env bash
# A database held by a writer (a concurrent `ftrace run`, here the sqlite3
# CLI inside BEGIN IMMEDIATE) must not fail or change the selection: reads
# go through WAL, and the stat-cache write-back is skipped without waiting.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh
ft_record 0 --name b -- ./b.sh
ft_affected_is "" "fresh recording"
ft_change a.txt

coproc LOCK { sqlite3 .ftrace/ftrace.db; }
# bash unsets LOCK_PID once the coprocess has exited: keep it (set -u)
lock_pid=$LOCK_PID
printf "BEGIN IMMEDIATE;\nINSERT INTO meta VALUES('lock-test', 1);\nSELECT 'locked';\n" >&"${LOCK[1]}"
read -r reply <&"${LOCK[0]}"
assert_eq locked "$reply" "writer holds the lock"

rc=0
out=$(ft affected 2>"$FT_SCRATCH/err") || rc=$?
assert_eq 0 "$rc" "exit status while a writer holds the database ($(cat "$FT_SCRATCH/err"))"
assert_eq "a" "$out" "selection while a writer holds the database"
out=$(ft affected --format json)
grep -q '"complete":true' <<<"$out" || ft_fail "json while locked: $out"

printf "ROLLBACK;\n.quit\n" >&"${LOCK[1]}"
wait "$lock_pid" || true

# The writer's row was rolled back; the database is intact and still ours.
assert_eq 0 "$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM meta WHERE key='lock-test'")" "rollback"
ft_affected_is "a" "after the writer went away"
ft_revert a.txt
ft_affected_is "" "after revert"
