#!/usr/bin/env bash
# scripts/demo.sh is Quick start command 1: it must keep working.  Run it
# over the ftrace under test (SKIP_SETUP=1: no dependency install, no build)
# and check that it ends with the tests the edit of calc/arith.py can
# affect: at the default granularity, the 2 that ran add() where the
# interpreter has a cheap hook to record functions with, else the 4 whose
# imports reach the file (docs/python-functions.md, "The switches"); and
# that building ftrace builds the function hooks the default needs.
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

# The demo builds only the targets it runs (ftrace, the preload library,
# the adapters): the function hooks must come with ftrace, or a fresh
# clone's default would fall back to file granularity.
if [ -f "$FTRACE_BUILD_DIR/build.ninja" ] && command -v ninja >/dev/null; then
	deps=$(ninja -C "$FTRACE_BUILD_DIR" -t query ftrace 2>/dev/null) || ft_fail "ninja -t query ftrace failed"
	for so in "$FTRACE_BUILD_DIR"/adapters/pytest/_ftrace_*.so; do
		[ -f "$so" ] || continue
		grep -qF "adapters/pytest/${so##*/}" <<<"$deps" || ft_fail "ftrace does not depend on ${so##*/}"
	done
fi
