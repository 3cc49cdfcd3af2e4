#!/usr/bin/env bash
# Issue 24, "Messages": with the state directory's file system full, saving
# a recording failed with "cannot rollback - no transaction is active"
# (the rollback's complaint, after SQLite had already rolled back), which
# names neither the cause nor a next step.  The message must say the disk
# is full, where, keep the records and name `ftrace ingest`, which saves
# them once there is space.  The disk is filled while the run waits for
# the database's lock (held by the sqlite3 CLI), i.e. after its command,
# whose own records need space, has finished.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"
ft_fixture cmd-partial
mkdir "$FT_SCRATCH/small"
mount -t tmpfs -o size=2m tmpfs "$FT_SCRATCH/small" 2>/dev/null ||
	ft_skip "cannot mount a small tmpfs (needs root)"
trap 'rc=$?; umount "$FT_SCRATCH/small" 2>/dev/null; (exit $rc); ft__cleanup' EXIT
export FTRACE_DIR=$FT_SCRATCH/small/state

ft_record 0 --name a -- ./a.sh

ft_db_lock "$FTRACE_DIR/ftrace.db"

ft run -q --name b -- ./b.sh >/dev/null 2>"$FT_SCRATCH/b.err" &
run=$!
while ! grep -q 'waiting for' "$FT_SCRATCH/b.err" && kill -0 "$run" 2>/dev/null; do :; done
dd if=/dev/zero of="$FT_SCRATCH/small/filler" bs=4k 2>/dev/null || true
ft_db_unlock
rc=0; wait "$run" || rc=$?
assert_eq 70 "$rc" "run on a full disk: exit status ($(cat "$FT_SCRATCH/b.err"))"
grep -q 'disk full' "$FT_SCRATCH/b.err" || ft_fail "no 'disk full': $(cat "$FT_SCRATCH/b.err")"
grep -q "$FT_SCRATCH/small" "$FT_SCRATCH/b.err" || ft_fail "the full file system not named: $(cat "$FT_SCRATCH/b.err")"
grep -q 'cannot rollback' "$FT_SCRATCH/b.err" && ft_fail "the rollback's complaint: $(cat "$FT_SCRATCH/b.err")"
grep -q 'ftrace ingest ' "$FT_SCRATCH/b.err" || ft_fail "no re-ingest command: $(cat "$FT_SCRATCH/b.err")"
[ -n "$(ls "$FTRACE_DIR/runs")" ] || ft_fail "records not kept"

# space again: the kept records are saved, the database intact
rm -f "$FT_SCRATCH/small/filler"
assert_status 0 ft ingest -q
[ -z "$(ls "$FTRACE_DIR/runs")" ] || ft_fail "run dir left after ingest"
assert_eq ok "$(sqlite3 "$FTRACE_DIR/ftrace.db" 'PRAGMA integrity_check')" "integrity"
ft_affected_is "" "nothing changed"
ft_change b.txt
ft_affected_is "b" "the run saved by ftrace ingest"
