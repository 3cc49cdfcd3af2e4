#!/usr/bin/env bash
# Tests that run at the same time (a runner with -j): each process subtree
# keeps its own test id, so what one reads never lands in another.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-testid

ft_record 0 -- ./parallel.sh
ft_affected_is "" "right after recording"
for i in 1 2 3 4; do
	ft_change p$i.txt
	ft_affected_is "p$i" "p$i.txt changed"
	ft_revert p$i.txt
done
