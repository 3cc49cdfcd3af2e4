#!/usr/bin/env bash
# A file that changes while the run records it: the version the test saw is
# gone, so the state observed after the run must not stand for it
# ("unknown": the test is selected next time).  Here another process of the
# run appends to a file after the test read it.  A file the test created
# before reading it is an output: neither its content nor a later change of
# it selects anything.  (t4076: the test modifies what it read itself.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-during

ft_record 0 -- ./run.sh
ft_affected_is "reader" "data.txt modified during the run after reader read it"

# Recorded again: modified again during that run, still selected.
ft_record 0 -- ./run.sh
ft_affected_is "reader" "modified during the second run too"

echo "something else" >out.txt
ft_affected_is "reader" "the writer's own output changed"
rm out.txt
ft_affected_is "reader" "the writer's own output removed"

ft_change steady.txt
ft_affected_is "reader steady" "steady.txt changed"
