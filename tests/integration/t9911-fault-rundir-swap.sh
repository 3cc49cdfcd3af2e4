#!/usr/bin/env bash
# t9911-fault-rundir-swap.sh - the test's own command moves its run
# directory away and puts a symlink to a directory of someone else's files
# in its place.  Issue 24: `ftrace run` followed a symlink at its run
# directory and unlinked the files in the target; and a run whose records
# vanished saved its test with 0 dependencies.  The victim's files must
# survive, the run must not hang, and the oracle must still find every
# test (the swapped one included) selected once its input breaks, or
# affected exits 2.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 4
fault_record_all
VICTIM=$FT_SCRATCH/victim
mkdir "$VICTIM"
for f in r-1-0.rec r-2-0.rec notes.txt .ctl; do echo "not ftrace's" >"$VICTIM/$f"; done

rc=0
timeout 60 "$FTRACE_BIN" run --name t4 -- sh -c \
	'grep -qx ok in/4.txt && mv "$FTRACE_RUN_DIR" "$1" && ln -s "$2" "$FTRACE_RUN_DIR" && echo program-done' \
	sh "$FT_SCRATCH/moved" "$VICTIM" >"$FT_SCRATCH/swap.out" 2>"$FT_SCRATCH/swap.err" || rc=$?
[ "$rc" -ne 124 ] || ft_fail "ftrace run hung after its run dir was swapped"
grep -qx program-done "$FT_SCRATCH/swap.out" || ft_fail "the command failed: $(cat "$FT_SCRATCH/swap.err")"
for f in r-1-0.rec r-2-0.rec notes.txt .ctl; do
	[ "$(cat "$VICTIM/$f" 2>/dev/null)" = "not ftrace's" ] ||
		ft_fail "ftrace changed or removed $VICTIM/$f through the swapped run dir (exit $rc)"
done
oracle_baseline
fault_check "a run dir swapped for a symlink"
oracle_finish
