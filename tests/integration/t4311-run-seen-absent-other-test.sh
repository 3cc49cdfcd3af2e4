#!/usr/bin/env bash
# Issue 24: two named tests in one run (FTRACE_TEST_ID), the first sees
# out/ready missing, the second creates it.  The first was stored as having
# seen it exist, and was never selected again, though it now takes the
# other branch.  The third test creates out/own after its own probe: it
# took the branch that absence leads to as well, and the next run, which
# finds the file, takes the other one.  It is selected once (the path is
# unknown: it was seen absent and is there now), and not after the next
# recording, which sees the file there (t4312; before, it was its output,
# and a snapshot written that way was never a dependency).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q . && mkdir out && ft_old out
ft_record 0 -- sh -c '
	FTRACE_TEST_ID=probe sh -c "[ -e out/ready ] || echo not ready"
	FTRACE_TEST_ID=maker sh -c "echo 1 >out/ready"
	FTRACE_TEST_ID=self sh -c "[ -e out/own ] || echo 1 >out/own"'
ft_affected_is "probe self" "no change after the run"
ft_record 0 -- sh -c '
	FTRACE_TEST_ID=probe sh -c "[ -e out/ready ] || echo not ready"
	FTRACE_TEST_ID=maker sh -c "echo 1 >out/ready"
	FTRACE_TEST_ID=self sh -c "[ -e out/own ] || echo 1 >out/own"'
ft_affected_is "probe" "recorded again, out/own there from the start"
