#!/usr/bin/env bash
# `ftrace test --name NAME -- CMD` for a command that is not pytest: CMD is
# one test, run when that test is affected or was never recorded, skipped
# (exit 0, "nothing affected") otherwise; its exit status comes through, and
# a failed test runs again next time.  A command without --name is named by
# its command line, as with `ftrace run`.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo"
git init -q .
echo data >data.txt
echo 0 >status.txt
# The command logs each run outside the repository (a temporary dir: not a
# dependency), reads data.txt, and exits with the status in status.txt.
log=$FT_SCRATCH/runs.log
cat >check.sh <<EOF2
#!/bin/sh
echo ran >>"$log"
cat data.txt >/dev/null
exit \$(cat status.txt)
EOF2
chmod +x check.sh
ft_old . data.txt status.txt check.sh

# ftest WANT_STATUS WANT_RUNS ARGS...: `ftrace test ARGS` exits WANT_STATUS
# and ran the command WANT_RUNS times (0 or 1).
ftest() {
	local want=$1 runs=$2 rc=0 n
	shift 2
	: >"$log"
	ft_settle
	"$FTRACE_BIN" test "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq "$want" ] || { cat "$FT_SCRATCH/err" >&2; ft_fail "ftrace test $* exited $rc, expected $want"; }
	n=$(wc -l <"$log")
	[ "$n" -eq "$runs" ] || { cat "$FT_SCRATCH/err" >&2; ft_fail "ftrace test $*: the command ran $n times, expected $runs"; }
}

ftest 0 1 --name check -- ./check.sh
grep -q "cannot tell" "$FT_SCRATCH/err" || ft_fail "first run: no 'cannot tell' note"
ftest 0 0 --name check -- ./check.sh
grep -qx "ftrace: nothing affected" "$FT_SCRATCH/err" || ft_fail "no 'nothing affected' note: $(cat "$FT_SCRATCH/err")"

# A test never recorded runs, though the database knows others.
ftest 0 1 --name other -- ./check.sh

# A change to what it read runs it again.
ft_change data.txt
ftest 0 1 --name check -- ./check.sh
ftest 0 0 --name check -- ./check.sh

# Its exit status comes through; failed last time = run again.
echo 3 >status.txt
ftest 3 1 --name check -- ./check.sh
ftest 3 1 --name check -- ./check.sh
echo 0 >status.txt
ftest 0 1 --name check -- ./check.sh
ftest 0 0 --name check -- ./check.sh

# Without --name: the test is named by the command line.
ftest 0 1 -- ./check.sh
ftest 0 0 -- ./check.sh
ft_change data.txt
ft_settle
ft_affected_is "./check.sh check other" "data.txt changed: the test named by the command line is recorded too"
