#!/usr/bin/env bash
# t9815-oracle-copied-checkout.sh - the soundness oracle in a copy of a
# recorded checkout (`cp -a`, rsync, a CI cache restored at another path).
# Issue 24: paths are absolute and `affected` never checked that the
# database belongs to the tree it runs in, so the copy compared against
# the original's files: breaking a file in the copy selected nothing.  The
# copy must select the broken tests, or refuse with exit 2.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"
. "$(dirname "$0")/lib-fault.sh"

ft_fixture cmd-kinds original
fault_suite 4
fault_record_all
ORIG=$PWD
cp -a "$PWD" "$FT_SCRATCH/copy"
cd "$FT_SCRATCH/copy"
ft_settle
# The copy refuses the original's database (exit 2, nothing on stdout),
# before and after a change that breaks a test; `ftrace run` there runs
# nothing and saves nothing.
copy_refuses() {
	local rc=0 out
	out=$("$FTRACE_BIN" affected 2>"$FT_SCRATCH/aff.err") || rc=$?
	[ "$rc" -eq 2 ] || ft_fail "$1: affected in the copy exited $rc, expected 2: $out"
	[ -z "$out" ] || ft_fail "$1: affected in the copy printed a set: $out"
	grep -q "belongs to the repository at $ORIG" "$FT_SCRATCH/aff.err" ||
		ft_fail "$1: no reason given: $(cat "$FT_SCRATCH/aff.err")"
}
copy_refuses "a copy, unchanged"
echo broken > in/1.txt
copy_refuses "a copy with in/1.txt broken"
rc=0
"$FTRACE_BIN" run --name t1 -- touch "$FT_SCRATCH/ran" 2>"$FT_SCRATCH/run.err" || rc=$?
[ "$rc" -eq 2 ] || ft_fail "ftrace run in the copy exited $rc, expected 2: $(cat "$FT_SCRATCH/run.err")"
[ ! -e "$FT_SCRATCH/ran" ] || ft_fail "ftrace run in the copy ran the command"
echo ok > in/1.txt

# The original is untouched by all this: the oracle holds there.
cd "$ORIG"
oracle_baseline
oracle_scenario "the original, after the copy's refusals: in/1.txt broken" \
	'echo broken > in/1.txt' 'echo ok > in/1.txt'
fault_check "the original of a copied checkout"
oracle_finish
