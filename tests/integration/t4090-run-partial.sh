#!/usr/bin/env bash
# Separate `ftrace run --name` invocations add to one map: recording b keeps
# a, re-recording a keeps b.  And each test keeps the state *it* saw: after
# shared.txt changes and only a is re-recorded, b (which saw the old
# shared.txt) must still be selected (DESIGN.md, "Per-test seen state").
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial

ft_record 0 --name a -- ./a.sh
ft_record 0 --name b -- ./b.sh
ft_affected_is "" "both recorded"

ft_change a.txt
ft_affected_is "a" "a.txt changed"
ft_revert a.txt
ft_change b.txt
ft_affected_is "b" "b.txt changed: b kept after recording a then b"
ft_revert b.txt

ft_record 0 --name a -- ./a.sh
ft_change b.txt
ft_affected_is "b" "b kept after re-recording a"
ft_revert b.txt

# The counterexample: shared.txt changes, only a is re-recorded.
ft_change shared.txt
ft_affected_is "a b" "shared.txt changed"
ft_old shared.txt # edited long before the run, not during it
ft_record 0 --name a -- ./a.sh
ft_affected_is "b" "a re-recorded with the new shared.txt; b saw the old one"
ft_record 0 --name b -- ./b.sh
ft_affected_is "" "both re-recorded"
ft_revert shared.txt
ft_affected_is "a b" "shared.txt back to the version neither saw last"

# A re-recorded test forgets what it no longer reads.
ft_old shared.txt
ft_record 0 --name a -- cat shared.txt
ft_record 0 --name b -- ./b.sh
ft_change a.txt
ft_affected_is "" "a no longer reads a.txt"
