#!/usr/bin/env bash
# scripts/demo.sh is Quick start command 1: it must keep working.  Run it
# over the ftrace under test (SKIP_SETUP=1: no dependency install, no build)
# and check that it ends with the 4 tests calc/arith.py can affect.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
[ "$(dirname "$FTRACE_BIN")" -ef "$FTRACE_BUILD_DIR" ] || ft_skip "FTRACE_BIN is not in FTRACE_BUILD_DIR"

rc=0
out=$(SKIP_SETUP=1 BUILD_DIR=$FTRACE_BUILD_DIR PYTHON=$FT_PYTHON TMPDIR=$FT_SCRATCH \
	"$FTRACE_SOURCE_DIR/scripts/demo.sh" 2>&1) || rc=$?
[ $rc -eq 0 ] || ft_fail "demo.sh exited $rc: $out"
grep -q '^Done. Only 4 of the 12 tests ran' <<<"$out" || ft_fail "demo.sh did not select the 4 tests: $out"
grep -q '^4 passed in' <<<"$out" || ft_fail "demo.sh did not run the 4 affected tests: $out"
[ -z "$(ls "$FT_SCRATCH")" ] || ft_fail "demo.sh left its project behind: $(ls "$FT_SCRATCH")"
