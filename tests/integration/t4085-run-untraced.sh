#!/usr/bin/env bash
# A statically linked program ignores LD_PRELOAD: what it reads is unseen.
# When no back end traces it, every test with such a process in its subtree
# is untraced, and untraced means always selected (DESIGN.md).  Its
# dynamically linked twin is traced as usual.  FTRACE_PTRACE=0 turns the
# ptrace back end off, which otherwise runs such programs (t7070).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-untraced
cc -O0 -o prog-dynamic prog.c
cc -O0 -static -o prog-static prog.c 2>/dev/null || ft_skip "cc -static does not work here (no static libc)"

FTRACE_PTRACE=0 ft_record 0 -- ./run.sh
[ "$(grep -c '^data$' "$FT_SCRATCH/run.out")" -eq 3 ] || ft_fail "fixture: prog did not run 3 times: $(cat "$FT_SCRATCH/run.out")"
ft_affected_is "static nested" "no change: untraced tests only"

ft_change data.txt
ft_affected_is "dynamic static nested" "data.txt changed"
ft_revert data.txt

# The same as a --name test, with the ptrace back end forced off
# (FTRACE_PTRACE=0).  With it on, a static first command is traced: t7000.
FTRACE_PTRACE=0 ft_record 0 --name whole -- ./prog-static
ft_affected_is "static nested whole" "a --name test running a static program"
