#!/usr/bin/env bash
# Issue 24, "Lock waits": `ftrace affected` must not fail because another
# process holds the database's lock.  A writer in SQLite's exclusive
# locking mode (here the sqlite3 CLI) keeps even WAL readers out; before,
# affected gave up after a fixed 5 s.  It waits (bounded, generously),
# says that it waits, and then answers; when the wait runs out
# (FTRACE_LOCK_TIMEOUT) it exits 2 naming the lock, never with a set.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
ft_record 0 --name a -- ./a.sh
ft_record 0 --name b -- ./b.sh
ft_change a.txt

coproc LOCK { sqlite3 .ftrace/ftrace.db; }
lock_pid=$LOCK_PID
printf "PRAGMA locking_mode=EXCLUSIVE;\nBEGIN EXCLUSIVE;\nINSERT INTO meta VALUES('lock-test', 1);\nSELECT 'locked';\n" >&"${LOCK[1]}"
read -r reply <&"${LOCK[0]}"
read -r reply <&"${LOCK[0]}"
assert_eq locked "$reply" "writer holds the lock"

# a bounded wait that runs out: exit 2, the lock named, nothing printed
rc=0
FTRACE_LOCK_TIMEOUT=0.2 ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "affected whose lock wait ran out ($(cat "$FT_SCRATCH/err"))"
grep -q 'locked' "$FT_SCRATCH/err" || ft_fail "no lock named: $(cat "$FT_SCRATCH/err")"
grep -q 'ftrace.db' "$FT_SCRATCH/err" || ft_fail "no database named: $(cat "$FT_SCRATCH/err")"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "a set was printed: $(cat "$FT_SCRATCH/out")"

# the default wait: affected says it waits, and answers once the lock goes
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" &
aff=$!
while ! grep -q 'waiting for' "$FT_SCRATCH/err" && kill -0 "$aff" 2>/dev/null; do :; done
printf "ROLLBACK;\n.quit\n" >&"${LOCK[1]}"
wait "$lock_pid" || true
rc=0; wait "$aff" || rc=$?
assert_eq 0 "$rc" "affected after waiting for the lock ($(cat "$FT_SCRATCH/err"))"
assert_set "a" "$(cat "$FT_SCRATCH/out")" "selection after waiting for the lock"
