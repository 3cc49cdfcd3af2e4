#!/usr/bin/env bash
# t9902-fault-kill-command.sh - `ftrace run` killed with SIGKILL while its
# command runs (a CI job cancelled, the OOM killer).  Issue 24: nothing
# recorded before may be lost, and the next `ftrace run` and `ftrace
# affected` must work: every earlier test is still selected once its input
# breaks (or affected says it cannot tell).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 4
fault_record_all

# the command reads t4's input, says it started, and waits
"$FTRACE_BIN" run -q --name t4 -- sh -c 'grep -qx ok in/4.txt; echo $$ >"$0"; exec sleep 300' \
	"$FT_SCRATCH/cmd.pid" 2>"$FT_SCRATCH/killed.err" &
run=$!
while [ ! -s "$FT_SCRATCH/cmd.pid" ]; do
	kill -0 "$run" 2>/dev/null || ft_fail "ftrace run ended early: $(cat "$FT_SCRATCH/killed.err")"
done
kill -KILL "$run"
wait "$run" || true
kill -KILL "$(cat "$FT_SCRATCH/cmd.pid")" 2>/dev/null || true

oracle_baseline
fault_check "ftrace run killed during its command"

# the state directory still takes a recording
fault_record 1 2>"$FT_SCRATCH/rec.err" || ft_fail "a run after the kill failed: $(cat "$FT_SCRATCH/rec.err")"
fault_check "and recorded again"
oracle_finish
