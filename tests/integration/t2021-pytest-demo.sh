#!/usr/bin/env bash
# scripts/demo.sh is Quick start command 1: it must keep working.  Run it
# over the ftrace under test (SKIP_SETUP=1: no dependency install, no build)
# and check that it ends with the tests the edit of calc/arith.py can
# affect: at the default granularity, the 2 that ran add() where the
# interpreter has a cheap hook to record functions with, else the 4 whose
# imports reach the file (docs/python-functions.md, "Switches").
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
[ "$(dirname "$FTRACE_BIN")" -ef "$FTRACE_BUILD_DIR" ] || ft_skip "FTRACE_BIN is not in FTRACE_BUILD_DIR"
unset FTRACE_GRANULARITY

if ft_cheap_hook; then
	want=2 why="those that ran the function the edit changed"
else
	want=4 why="those whose imports reach calc/arith.py"
fi
rc=0
out=$(SKIP_SETUP=1 BUILD_DIR=$FTRACE_BUILD_DIR PYTHON=$FT_PYTHON TMPDIR=$FT_SCRATCH \
	"$FTRACE_SOURCE_DIR/scripts/demo.sh" 2>&1) || rc=$?
[ $rc -eq 0 ] || ft_fail "demo.sh exited $rc: $out"
grep -qxF "Done. Only $want of the 12 tests ran: $why." <<<"$out" ||
	ft_fail "demo.sh did not select the $want tests: $out"
grep -q "^$want passed in" <<<"$out" || ft_fail "demo.sh did not run the $want affected tests: $out"
[ -z "$(ls "$FT_SCRATCH")" ] || ft_fail "demo.sh left its project behind: $(ls "$FT_SCRATCH")"
