#!/usr/bin/env bash
# t9900-fault-concurrent-fresh.sh - eight `ftrace run`s at once on a state
# directory that does not exist yet.  Issue 24: 7 of 8 exited 70 "database
# is corrupt" (a zero-byte file being created is not a corrupt one), and a
# concurrent `affected` then advised deleting the database.  Every run
# must record its test, and the oracle must find each of them selected
# after its input breaks.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 8
[ ! -e .ftrace ] || ft_fail "state dir exists before the first run"

fault_record_bg 8
fault_wait_bg "concurrent first runs"

oracle_baseline
fault_check "eight concurrent first runs"
oracle_finish
