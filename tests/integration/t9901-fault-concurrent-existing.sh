#!/usr/bin/env bash
# t9901-fault-concurrent-existing.sh - eight `ftrace run`s at once on an
# existing database, with `ftrace affected` asked while they run.  Issue
# 24: concurrent runs exited 70 "database is locked" and lost their
# records; a recording run is a batch job, it waits.  Every run must
# succeed, every earlier test stay known, and the oracle must find each
# test selected after its input breaks.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 16
fault_record_all

# t1..t8 recorded again at once; t9..t16 only known from before
fault_record_bg 8
for i in 1 2 3; do
	rc=0
	"$FTRACE_BIN" affected >"$FT_SCRATCH/aff$i.out" 2>"$FT_SCRATCH/aff$i.err" || rc=$?
	case $rc in
	0|2) ;;
	*) ft_fail "affected during the runs exited $rc: $(cat "$FT_SCRATCH/aff$i.err")" ;;
	esac
	! grep -qi "delete\|remove it" "$FT_SCRATCH/aff$i.err" ||
		ft_fail "affected during the runs advised deleting: $(cat "$FT_SCRATCH/aff$i.err")"
done
fault_wait_bg "concurrent runs"

oracle_baseline
fault_check "eight concurrent runs on an existing database"
oracle_finish
