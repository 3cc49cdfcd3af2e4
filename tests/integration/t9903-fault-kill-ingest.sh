#!/usr/bin/env bash
# t9903-fault-kill-ingest.sh - `ftrace run` killed with SIGKILL while it
# ingests: the command has ended, the records are being saved.  Issue 24:
# no recording may be lost or half-saved: every earlier test stays known
# (or affected exits 2), and the next run and affected work.  To hit
# ingest every time, the recording is large (20000 files read), and ftrace
# is stopped (SIGSTOP) as soon as its command has no process left, then
# killed.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
mkdir big
(cd big && seq 1 20000 | xargs touch)
fault_suite 4
fault_record_all

"$FTRACE_BIN" run -q --name t4 -- sh -c 'grep -qx ok in/4.txt; cat big/* >/dev/null; echo done >"$0"' \
	"$FT_SCRATCH/cmd.done" 2>"$FT_SCRATCH/killed.err" &
run=$!
while [ ! -s "$FT_SCRATCH/cmd.done" ]; do
	kill -0 "$run" 2>/dev/null || ft_fail "ftrace run ended early: $(cat "$FT_SCRATCH/killed.err")"
done
while [ -n "$(fault_children "$run")" ]; do :; done
kill -STOP "$run" 2>/dev/null || ft_fail "ftrace run had ended before it could be stopped in ingest"
kill -KILL "$run"
wait "$run" 2>/dev/null || true

oracle_baseline
fault_check "ftrace run killed during ingest"
fault_record 4 2>"$FT_SCRATCH/rec.err" || ft_fail "a run after the kill failed: $(cat "$FT_SCRATCH/rec.err")"
fault_check "and recorded again"
oracle_finish
