#!/usr/bin/env bash
# `ftrace run -- CMD` without --name, where nothing marks tests: the whole
# command is one test named after its command line, so its dependencies are
# never dropped.  A second command is a second test.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial

ft_record 0 -- ./a.sh
ft_record 0 -- sh ./b.sh
ft_affected_is "" "right after recording"
ft_change a.txt
ft_affected_is "./a.sh" "a.txt changed"
ft_revert a.txt
ft_change b.txt
# (assert_set splits on blanks: compare the one line as it is.)
out=$(ft affected) || ft_fail "'ftrace affected' exited $?"
assert_eq "sh ./b.sh" "$out" "b.txt changed: the test named 'sh ./b.sh'"
