#!/usr/bin/env bash
# SIGKILL gives no chance to flush anything: what a process recorded before
# it was killed must survive (the region is a shared file mapping), and a
# test whose own process was killed has no outcome, so it counts as failed
# and is always selected.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-sigkill

ft_record 0 -- ./run.sh
grep -q 'killed: exit 137' "$FT_SCRATCH/run.out" || ft_fail "fixture: killed.sh was not killed: $(cat "$FT_SCRATCH/run.out")"
ft_affected_is "killed" "no change: the killed test is selected as failed"

ft_change data/ck.txt
ft_affected_is "killed childkilled" "file read just before a SIGKILL changed"
ft_revert data/ck.txt
ft_affected_is "killed" "reverted"

# The whole named command killed by SIGKILL: 137, and selected as failed.
ft_record 137 --name whole -- sh -c 'read -r line < data/k.txt; kill -KILL $$'
ft_affected_is "killed whole" "a --name test killed by SIGKILL"

# Make the killed tests pass: they are selected (changed) until re-recorded.
printf '#!/bin/sh\nread -r line < data/k.txt\n' >killed.sh
ft_old killed.sh # edited long before the run, not during it
ft_record 0 -- ./run.sh
ft_affected_is "whole" "killed.sh now passes"
ft_record 0 --name whole -- sh -c 'read -r line < data/k.txt'
ft_affected_is "" "all pass"
ft_change data/k.txt
ft_affected_is "killed whole" "data/k.txt changed"
