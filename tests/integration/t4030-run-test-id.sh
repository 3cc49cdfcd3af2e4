#!/usr/bin/env bash
# A process-per-test runner marks each test with FTRACE_TEST_ID=<id> in the
# environment of the test's process: everything that subtree reads belongs
# to that test alone.  A failing test stays selected until it passes.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-testid

ft_record 0 -- ./run.sh
ft_affected_is "t3" "no change: only the failing t3"

ft_change a.txt
ft_affected_is "t1 t3" "a.txt changed"
ft_revert a.txt
ft_change b.txt
ft_affected_is "t2 t3" "b.txt changed"
ft_revert b.txt
# NEEDSWORK: the runner's exec of ./a.sh happens before the new image
# starts test t1, so a.sh counts for the runner's prelude, i.e. for every
# test.  Safe; more precise would be to give an exec whose environment sets
# FTRACE_TEST_ID to the test it starts.
ft_change a.sh
ft_affected_has "t1 t3" "the test script a.sh itself changed"
ft_revert a.sh
ft_affected_is "t3" "all reverted"

# Recording again without fixing it: t3 still failed, still selected.
ft_record 0 -- ./run.sh
ft_affected_is "t3" "t3 failed again"

# Fix t3: it is selected because c.sh changed; after a passing run, nothing.
sed -i 's/^exit 1$/exit 0/' c.sh
ft_affected_has "t3" "c.sh fixed, not yet re-run"
ft_old c.sh # edited long before the run, not during it
ft_record 0 -- ./run.sh
ft_affected_is "" "t3 passed"

ft_touch_all
ft_affected_is "" "mtime-only touch"
