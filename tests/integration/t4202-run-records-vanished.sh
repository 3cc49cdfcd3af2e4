#!/usr/bin/env bash
# A test that deleted the files of its run dir during the run
# (`find "$FTRACE_RUN_DIR" -type f -delete`) was stored with 0 dependencies,
# under its command line instead of its --name: a test that depends on
# nothing is never selected again.  Every launched run has the launcher's
# region and a region of the process it started (whose header names the
# launcher as parent); missing either, the run is damaged, its tests are
# stored untraced (always selected), and --name is honoured.  Deeper
# regions are listed in the run's ledger as they are published: one listed
# and gone, or a ledger gone, is the same loss.
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

# 3b. a deeper process's region deleted (the cat, grandchild of the
#     launcher): the launcher's and the shell's regions are there, so only
#     the run's ledger tells (common/ft_record.h, FT_LEDGER_NAME)
ft_record 0 --name deep-gone -- sh -c 'cat b.txt >/dev/null & p=$!; wait; rm -f "$FTRACE_RUN_DIR"/r-$p-*.rec'
expect_lost deep-gone
grep -q 'is listed in its ledger and gone' "$FT_SCRATCH/run.err" ||
	ft_fail "deep-gone: the message does not name the region: $(cat "$FT_SCRATCH/run.err")"

# 3c. the ledger itself deleted, or replaced by a FIFO (never blocks: the
#     writers open it O_NONBLOCK, ingest refuses what is no regular file)
ft_record 0 --name ledger-gone -- sh -c 'rm -f "$FTRACE_RUN_DIR/ledger"; cat b.txt >/dev/null'
expect_lost ledger-gone
ft_record 0 --name ledger-fifo -- sh -c 'rm -f "$FTRACE_RUN_DIR/ledger"; mkfifo "$FTRACE_RUN_DIR/ledger"; cat b.txt >/dev/null'
expect_lost ledger-fifo

# 3d. many processes, threads of regions and exec'd images, none deleted:
#     no false alarm (every published region is listed, none twice missed)
ft_record 0 --name busy -- sh -c 'for i in 1 2 3 4 5 6; do cat a.txt >/dev/null & done; wait; sh -c "exec cat b.txt" >/dev/null'
! grep -q 'missing' "$FT_SCRATCH/run.err" || ft_fail "busy run: $(cat "$FT_SCRATCH/run.err")"
[ "$(ft_untraced busy)" = 0 ] || ft_fail "a busy intact run was stored untraced"

# 4. nothing deleted: traced as usual, no message
ft_record 0 --name intact -- sh -c 'cat a.txt >/dev/null'
! grep -q 'missing' "$FT_SCRATCH/run.err" || ft_fail "intact run: $(cat "$FT_SCRATCH/run.err")"
[ "$(ft_untraced intact)" = 0 ] || ft_fail "an intact run was stored untraced"

# (assert_set splits on blanks: compare the lines as they are)
out=$(ft affected | LC_ALL=C sort) || ft_fail "'ftrace affected' exited $?"
assert_eq "deep-gone
first-gone
ledger-fifo
ledger-gone
sh -c cat b.txt >/dev/null; find \"\$FTRACE_RUN_DIR\" -type f -delete
wiped" "$out" "damaged runs are always selected; the intact ones are not"
