#!/usr/bin/env bash
# t9816-oracle-shared-state-dir.sh - the soundness oracle for two
# repositories that share one FTRACE_DIR.  Issue 24: their recordings
# overwrote each other's tests (same names, other files), and a change in
# the first repository selected nothing.  Each repository must select its
# broken tests, or `affected` must refuse with exit 2.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

export FTRACE_DIR=$FT_SCRATCH/shared-state
ft_fixture cmd-kinds first
fault_suite 4
fault_record_all
ft_fixture cmd-kinds second
fault_suite 4
# The second repository's recordings are refused (exit 2, the command not
# run), so they cannot replace the first's tests; its affected refuses too.
rc=0
"$FTRACE_BIN" run --name t1 -- touch "$FT_SCRATCH/ran" 2>"$FT_SCRATCH/rec.err" || rc=$?
[ "$rc" -eq 2 ] || ft_fail "the second repository's run exited $rc, expected 2: $(cat "$FT_SCRATCH/rec.err")"
[ ! -e "$FT_SCRATCH/ran" ] || ft_fail "the second repository's run ran the command"
grep -q "belongs to the repository at" "$FT_SCRATCH/rec.err" || ft_fail "no reason: $(cat "$FT_SCRATCH/rec.err")"
rc=0
out=$("$FTRACE_BIN" affected 2>/dev/null) || rc=$?
[ "$rc" -eq 2 ] && [ -z "$out" ] || ft_fail "the second repository's affected exited $rc: $out"
cd "$FT_SCRATCH/first"
oracle_baseline
fault_check "the first of two repositories sharing FTRACE_DIR"
oracle_finish
