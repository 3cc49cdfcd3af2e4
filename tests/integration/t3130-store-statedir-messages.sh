#!/usr/bin/env bash
# Issue 24, "Messages": FTRACE_DIR naming a regular file was answered with
# "remove it", which tells the user to delete their own file.  Say what is
# wrong and point FTRACE_DIR at a directory; and never touch the file.
# The same for a file called .ftrace where the state directory goes.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial
echo "my notes" >"$FT_SCRATCH/notes"

check() {
	local what=$1 err=$2
	grep -qi 'remove it\|delete' "$err" && ft_fail "$what: advises deleting: $(cat "$err")"
	grep -q 'not a directory' "$err" || ft_fail "$what: does not say what is wrong: $(cat "$err")"
	assert_eq "my notes" "$(cat "$3")" "$what: the file is untouched"
}

export FTRACE_DIR=$FT_SCRATCH/notes
rc=0; ft affected >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "affected, FTRACE_DIR a file"
check "affected, FTRACE_DIR a file" "$FT_SCRATCH/err" "$FT_SCRATCH/notes"
grep -q 'point FTRACE_DIR at a directory' "$FT_SCRATCH/err" || ft_fail "no next step: $(cat "$FT_SCRATCH/err")"
rc=0; ft run -q --name a -- ./a.sh >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 70 "$rc" "run, FTRACE_DIR a file"
check "run, FTRACE_DIR a file" "$FT_SCRATCH/err" "$FT_SCRATCH/notes"
grep -q 'point FTRACE_DIR at a directory' "$FT_SCRATCH/err" || ft_fail "run: no next step: $(cat "$FT_SCRATCH/err")"
unset FTRACE_DIR

cp "$FT_SCRATCH/notes" .ftrace
rc=0; ft affected >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "affected, .ftrace a file"
check "affected, .ftrace a file" "$FT_SCRATCH/err" .ftrace
grep -q 'FTRACE_DIR to a directory' "$FT_SCRATCH/err" || ft_fail ".ftrace: no next step: $(cat "$FT_SCRATCH/err")"
rc=0; ft run -q --name a -- ./a.sh >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 70 "$rc" "run, .ftrace a file"
check "run, .ftrace a file" "$FT_SCRATCH/err" .ftrace
