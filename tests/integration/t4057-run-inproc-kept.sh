#!/usr/bin/env bash
# A harness that runs several tests in one process (ftrace.h's API, no state
# guard) lets a test keep what it read for the tests after it: a change of
# that file must select them too, though they read nothing
# (ingest/ft_kept.h).  A fork child shares its parent's memory: a test it
# runs sees what the parent's tests kept.  A test alone in its process
# (FTRACE_TEST_ID) keeps nothing for others: its file selects it alone.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-inproc
cc -O0 -o harness harness.c -ldl || ft_fail "cannot build the harness"
ft_old harness

ft_record 0 -- ./run.sh
ft_affected_is "" "no change, every test passed"

# config.txt is read by "load" only; "use" checks the value "load" kept.
ft_change config.txt
if ./harness >/dev/null; then ft_fail "a full run should fail 'use' after config.txt changed"; fi
sel=$(ft affected)
for t in load use; do
	grep -qx "$t" <<<"$sel" || ft_fail "config.txt changed: $t not selected (got: $sel)"
done
ft_revert config.txt

# conf2.txt is read by "load2" in the parent; "forked" runs in its fork child.
ft_change conf2.txt
if ./harness fork >/dev/null; then ft_fail "a full run should fail 'forked' after conf2.txt changed"; fi
sel=$(ft affected)
grep -qx forked <<<"$sel" || ft_fail "conf2.txt changed: forked not selected (got: $sel)"
ft_revert conf2.txt

# solo.txt: read by the only test of its process, which nobody else can see
ft_change solo.txt
ft_affected_is "solo" "solo.txt changed: only the test that read it"
ft_revert solo.txt
ft_affected_is "" "all reverted"
