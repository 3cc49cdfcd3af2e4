#!/usr/bin/env bash
# t1041-preload-die.sh - records survive a process that dies without exit
# handlers: SIGKILL (a test killed by a timeout) and _exit.  A test started
# in a killed process gets TEST_BEGIN but no TEST_END (ingest: not passed);
# _exit(7) still ends it, as failed, from the status.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
for mode in kill _exit; do
	rm -rf "$RUN"; mkdir -p "$RUN"
	rc=0
	FTRACE_TEST_ID=t-$mode traced "$P/ftp_die" "$mode" "$FT_SCRATCH" > "$FT_SCRATCH/expect" || rc=$?
	case $mode in
	kill) assert_eq 137 "$rc" "exit status of the killed helper" ;;
	_exit) assert_eq 7 "$rc" "exit status of _exit(7)" ;;
	esac
	expect_records "$FT_SCRATCH/expect"
	assert_eq 1 "$(ft records "$RUN" | awk '$3 == "BEGIN"' | wc -l)" "$mode: TEST_BEGIN"
	case $mode in
	kill) want="" ;;
	_exit) want="END failed t-_exit" ;;
	esac
	assert_eq "$want" "$(ft records "$RUN" | awk '$3 == "END" { print $3, $6, $7 }')" "$mode: TEST_END"
done
