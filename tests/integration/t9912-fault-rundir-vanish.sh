#!/usr/bin/env bash
# t9912-fault-rundir-vanish.sh - the test's own command deletes its
# run directory (a test that cleans "all temp dirs", a tmp reaper).
# Issue 24: a run whose records vanished saved its test with 0
# dependencies, under its command line instead of its --name; a missing
# launcher region makes the run damaged, so its tests are untraced.  The
# oracle must find every test (t5, first recorded by the run whose records vanished, included)
# selected once its input breaks, or affected exits 2.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 5
for i in 1 2 3 4; do fault_record "$i" || ft_fail "recording t$i failed"; done

rc=0
timeout 60 "$FTRACE_BIN" run --name t5 -- sh -c \
	'grep -qx ok in/5.txt && rm -rf "$FTRACE_RUN_DIR" && echo program-done' \
	>"$FT_SCRATCH/rm.out" 2>"$FT_SCRATCH/rm.err" || rc=$?
[ "$rc" -ne 124 ] || ft_fail "ftrace run hung after its run dir was deleted"
grep -qx program-done "$FT_SCRATCH/rm.out" || ft_fail "the command failed: $(cat "$FT_SCRATCH/rm.err")"
oracle_baseline
fault_check "a run whose run dir was deleted"
oracle_finish
