#!/usr/bin/env bash
# t9907-fault-record-fifo.sh - a fifo named like a region file
# (r-<pid>-<seq>.rec) in the run directory, planted by the test's own
# command.  Issue 24: a FIFO named like a record file hung `ftrace run`
# and `ftrace records` forever (the open came before the regular-file
# check); a file ftrace did not create is never followed or blocked on.
# The run must end, run the program, leave the symlink's target alone, and
# keep every earlier test known (the oracle: selected once its input
# breaks, or affected exits 2).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds
fault_suite 4
fault_record_all
fault_plant_run fifo
oracle_baseline
fault_check "a planted fifo region"
oracle_finish
