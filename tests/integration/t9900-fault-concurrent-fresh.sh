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

pids=()
for i in $(seq 1 8); do
	fault_record "$i" 2>"$FT_SCRATCH/rec$i.err" &
	pids+=($!)
done
bad=""
for i in $(seq 1 8); do
	wait "${pids[$((i - 1))]}" || bad="$bad
  t$i: exit $?: $(cat "$FT_SCRATCH/rec$i.err")"
done
[ -z "$bad" ] || ft_fail "concurrent first runs failed:$bad"

oracle_baseline
fault_check "eight concurrent first runs"
oracle_finish
