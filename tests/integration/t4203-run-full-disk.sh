#!/usr/bin/env bash
# Region files were sparse and memory-mapped: with no free blocks under the
# state dir, the first store into a new page of a region raised SIGBUS in
# the traced program ("Bus error", exit 135).  A full disk must never change
# what the program does.  Regions are now allocated before they are mapped;
# a process that cannot get one stops recording and leaves a mark, and the
# run is stored untraced with one message; the status stays the command's.
# Both paths: a process's next region when its current one fills up (the
# growth path), and a new process's first region.  Needs root to mount a
# small tmpfs as the state dir's parent.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(id -u)" = 0 ] || ft_skip "not root: cannot mount a small file system"
mnt=$FT_SCRATCH/mnt
mkdir "$mnt"
mount -t tmpfs -o size=16m,mode=0700 tmpfs "$mnt" 2>/dev/null || ft_skip "mount -t tmpfs is not permitted here"
trap 'rc=$?; umount -l "$mnt" 2>/dev/null; (exit $rc); ft__cleanup' EXIT
export FTRACE_DIR=$mnt/state

ft_fixture cmd-partial
cat >fill.py <<'PY'
import errno, os, subprocess, sys
fill = sys.argv[1]
fd = os.open(fill, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
try:
    while True:
        os.write(fd, b"\0" * 65536)
except OSError as e:
    assert e.errno == errno.ENOSPC, e
os.close(fd)
# the growth path: far more records than this process's region can hold
n = sum(os.path.exists("absent-%d" % i) for i in range(30000))
# a new process: its first region cannot be made
out = subprocess.run(["cat", "a.txt"], capture_output=True).stdout
os.unlink(fill)
sys.stdout.write("absent=%d cat=%d\n" % (n, len(out)))
PY
ft_old fill.py
py=$("$FT_PYTHON" -c "import sys; print(sys.executable)")  # not a pyenv shim: fewer processes
ft_record 0 --keep-records --name full -- "$py" fill.py "$mnt/fill"
grep -qx "absent=0 cat=$(wc -c <a.txt)" "$FT_SCRATCH/run.out" ||
	ft_fail "the program's behaviour changed: $(cat "$FT_SCRATCH/run.out")"
[ "$(grep -c 'could not write' "$FT_SCRATCH/run.err")" = 1 ] ||
	ft_fail "expected one message about the records: $(cat "$FT_SCRATCH/run.err")"
grep -q 'No space left on device' "$FT_SCRATCH/run.err" || ft_fail "the cause is not named: $(cat "$FT_SCRATCH/run.err")"
[ "$(sqlite3 "$FTRACE_DIR/ftrace.db" "SELECT untraced FROM tests WHERE name = 'full'")" = 1 ] ||
	ft_fail "the run is not stored untraced"
# both paths left their mark: python's next region, cat's first
marks=$(find "$FTRACE_DIR/runs" -name 'lost-*' | wc -l)
[ "$marks" -eq 2 ] || ft_fail "expected 2 lost-* marks, found $marks: $(ls -A "$FTRACE_DIR"/runs/*)"
out=$(ft affected) || ft_fail "'ftrace affected' exited $?"
assert_eq full "$out" "an untraced test is always selected"
