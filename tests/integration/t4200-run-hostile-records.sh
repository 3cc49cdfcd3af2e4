#!/usr/bin/env bash
# A FIFO named like a record file (`mkfifo $FTRACE_RUN_DIR/r-999999-0.rec`)
# made `ftrace run` hang for ever: the region reader opened it before it
# checked that it was a regular file, and an open of a FIFO for reading waits
# for a writer.  `ftrace records` on the kept run dir hung the same way, and a
# FIFO named like the pytest adapter's side file hung ingest too.  Now every
# file ftrace did not itself create is opened O_NOFOLLOW | O_NONBLOCK and
# refused unless it is a regular file: the run ends, says which file it
# refused, keeps every other record, and stores its test untraced (a region
# it could not read may have held records).  A symlink named like a region
# is refused the same way, never followed.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial
outside=$FT_SCRATCH/outside.rec
: >"$outside"

# The hostile files appear during the run, made by the test command itself.
cat >hostile.sh <<'SH'
#!/bin/sh
mkfifo "$FTRACE_RUN_DIR/r-999999-0.rec"
mkfifo "$FTRACE_RUN_DIR/adapter-pytest-999999.json"
ln -s "$1" "$FTRACE_RUN_DIR/r-999998-0.rec"
exec ./a.sh
SH
chmod +x hostile.sh
ft_old hostile.sh
ft_settle
rc=0
timeout 60 "$FTRACE_BIN" run --keep-records --name hostile -- ./hostile.sh "$outside" \
	>"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
[ "$rc" -ne 124 ] || ft_fail "ftrace run hung on a FIFO in its run dir"
[ "$rc" -eq 0 ] || ft_fail "ftrace run exited $rc, expected the command's 0: $(cat "$FT_SCRATCH/run.err")"
grep -q 'r-999998-0.rec.* is not a regular file' "$FT_SCRATCH/run.err" ||
	ft_fail "no message naming the refused file: $(cat "$FT_SCRATCH/run.err")"
[ "$(ft_untraced hostile)" = 1 ] || ft_fail "the run with an unreadable region is not stored untraced"
# the other regions were read: a.sh's own dependency is there
grep -qx '1 ./a.txt' <<<"$(ft_deps hostile)" || ft_fail "a.txt lost: $(ft_deps hostile)"
ft_affected_is "hostile" "an untraced test is always selected"

# `ftrace records` on the kept run dir: ends, names the file, exit 2
run=$(ls -d .ftrace/runs/*/ | head -1)
rc=0
timeout 60 "$FTRACE_BIN" records "$run" >"$FT_SCRATCH/rec.out" 2>"$FT_SCRATCH/rec.err" || rc=$?
[ "$rc" -ne 124 ] || ft_fail "ftrace records hung on a FIFO"
[ "$rc" -eq 2 ] || ft_fail "ftrace records exited $rc, expected 2: $(cat "$FT_SCRATCH/rec.err")"
grep -q 'is not a regular file' "$FT_SCRATCH/rec.err" || ft_fail "records: no message: $(cat "$FT_SCRATCH/rec.err")"
grep -q 'a.txt' "$FT_SCRATCH/rec.out" || ft_fail "records: the readable regions were not printed"
# the symlink's target was never touched
[ -f "$outside" ] && [ ! -s "$outside" ] || ft_fail "the symlink's target changed"
