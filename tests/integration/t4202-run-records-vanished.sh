#!/usr/bin/env bash
# A test that deleted the files of its run dir during the run
# (`find "$FTRACE_RUN_DIR" -type f -delete`) was stored with 0 dependencies,
# under its command line instead of its --name: a test that depends on
# nothing is never selected again.  Every launched run has the launcher's
# region and a region of the process it started (whose header names the
# launcher as parent); missing either, the run is damaged, its tests are
# stored untraced (always selected), and --name is honoured.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial
expect_lost() {  # NAME: stored untraced, with the message
	grep -q 'records of this run are missing' "$FT_SCRATCH/run.err" ||
		ft_fail "$1: no message: $(cat "$FT_SCRATCH/run.err")"
	[ "$(ft_untraced "$1")" = 1 ] || ft_fail "$1: not stored untraced (untraced='$(ft_untraced "$1")')"
}

# 1. every record file deleted, with --name
ft_record 0 --name wiped -- sh -c 'cat a.txt >/dev/null; find "$FTRACE_RUN_DIR" -type f -delete'
expect_lost wiped
[ -z "$(sqlite3 .ftrace/ftrace.db "SELECT name FROM tests WHERE name LIKE 'sh -c%'")" ] ||
	ft_fail "the test was stored under its command line"

# 2. the same without --name: the command line, untraced
ft_record 0 -- sh -c 'cat b.txt >/dev/null; find "$FTRACE_RUN_DIR" -type f -delete'
expect_lost "sh -c cat b.txt >/dev/null; find \"\$FTRACE_RUN_DIR\" -type f -delete"

# 3. only the first process's regions deleted; the launcher's and its
#    children's are still there
ft_record 0 --name first-gone -- sh -c 'cat shared.txt >/dev/null; find "$FTRACE_RUN_DIR" -name "r-$$-*" -delete'
expect_lost first-gone

# 4. nothing deleted: traced as usual, no message
ft_record 0 --name intact -- sh -c 'cat a.txt >/dev/null'
! grep -q 'missing' "$FT_SCRATCH/run.err" || ft_fail "intact run: $(cat "$FT_SCRATCH/run.err")"
[ "$(ft_untraced intact)" = 0 ] || ft_fail "an intact run was stored untraced"

# (assert_set splits on blanks: compare the lines as they are)
out=$(ft affected | LC_ALL=C sort) || ft_fail "'ftrace affected' exited $?"
assert_eq "first-gone
sh -c cat b.txt >/dev/null; find \"\$FTRACE_RUN_DIR\" -type f -delete
wiped" "$out" "damaged runs are always selected; the intact one is not"
