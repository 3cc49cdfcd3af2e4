#!/usr/bin/env bash
# Issue 24: two named tests in one run (FTRACE_TEST_ID), the first sees
# out/ready missing, the second creates it.  The first was stored as having
# seen it exist, and was never selected again, though it now takes the
# other branch.  A path the test itself creates after its probe stays its
# output.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q . && mkdir out && ft_old out
ft_record 0 -- sh -c '
	FTRACE_TEST_ID=probe sh -c "[ -e out/ready ] || echo not ready"
	FTRACE_TEST_ID=maker sh -c "echo 1 >out/ready"
	FTRACE_TEST_ID=self sh -c "[ -e out/own ] || echo 1 >out/own"'
ft_affected_is "probe" "no change after the run"
