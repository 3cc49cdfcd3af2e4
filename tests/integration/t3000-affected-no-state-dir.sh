#!/usr/bin/env bash
# `ftrace affected` where nothing was ever recorded: it must say "cannot
# tell" (exit 2, message naming the state dir), print nothing on stdout, and
# create nothing.  The failing sequence this guards: a CI step runs
# `ftrace affected | xargs -r pytest` on a fresh clone; an exit 0 with empty
# output would run no tests at all.
. "$(dirname "$0")/lib.sh"

mkdir -p "$FT_SCRATCH/repo/sub/dir"
cd "$FT_SCRATCH/repo"
git init -q .
cd sub/dir

rc=0
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status without a state dir"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "stdout not empty: $(cat "$FT_SCRATCH/out")"
grep -q "$FT_SCRATCH/repo/.ftrace" "$FT_SCRATCH/err" || ft_fail "message does not name the state dir: $(cat "$FT_SCRATCH/err")"
grep -q 'ftrace run' "$FT_SCRATCH/err" || ft_fail "message does not say what to do: $(cat "$FT_SCRATCH/err")"
grep -q 'run all tests' "$FT_SCRATCH/err" || ft_fail "message does not say to run everything"
[ ! -e "$FT_SCRATCH/repo/.ftrace" ] || ft_fail "affected created the state dir"

# --on-unknown=all with nothing known: still exit 2, still nothing printed.
rc=0
ft affected --on-unknown=all >"$FT_SCRATCH/out" 2>/dev/null || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "stdout not empty with --on-unknown=all"

# FTRACE_DIR naming a missing directory, and --db naming a missing file.
rc=0
FTRACE_DIR="$FT_SCRATCH/nowhere" ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status with FTRACE_DIR missing"
grep -q "$FT_SCRATCH/nowhere" "$FT_SCRATCH/err" || ft_fail "message does not name FTRACE_DIR's dir"
rc=0
ft affected --db "$FT_SCRATCH/none.db" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status with --db missing"
grep -q "none.db" "$FT_SCRATCH/err" || ft_fail "message does not name the db"
[ ! -e "$FT_SCRATCH/none.db" ] || ft_fail "affected created the database"

# An empty state dir (no database) is no recording either.
mkdir "$FT_SCRATCH/repo/.ftrace"
rc=0
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status with an empty state dir"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "stdout not empty with an empty state dir"
[ ! -e "$FT_SCRATCH/repo/.ftrace/ftrace.db" ] || ft_fail "affected created the database"
