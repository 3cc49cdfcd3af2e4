#!/usr/bin/env bash
# t9915-fault-fd-limit.sh - a traced process at its descriptor limit.  A
# region is a file the preload opens, maps and closes; at RLIMIT_NOFILE
# that open fails with EMFILE, and so did the open of the `lost-` mark
# that says a process stopped recording.  Its file calls went unrecorded
# with no trace: an edit of a file only it read selected nothing.  The mark
# is made with mknod now, which needs no descriptor: the run says a
# process could not write its records, and its tests are always selected.
# Two ways to get there: a process whose region fills while it holds every
# descriptor it may (the next region cannot be opened), and a fork child
# whose first record comes while the table is full (its first region
# cannot be).  (A program exec'd with a full table does not start: ld.so
# needs a descriptor to load libc.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
echo full > full.txt && echo first > first.txt && echo keep > keep.txt
cat > limit.py <<'PY'
import os, resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))
fds = []
try:
    while True:
        fds.append(os.open("/dev/null", os.O_RDONLY))
except OSError:
    pass
if sys.argv[1] == "full":
    # distinct paths until the region is full many times over
    for i in range(40000):
        try:
            os.stat("missing-%d" % i)
        except OSError:
            pass
    os.close(fds.pop())
    sys.exit(open("full.txt").read() != "full\n")
pid = os.fork()
if pid == 0:
    os.stat("first.txt")  # the child's first record: no region can be made
    os.close(fds.pop())
    os._exit(open("first.txt").read() != "first\n")
sys.exit(os.WEXITSTATUS(os.waitpid(pid, 0)[1]))
PY
ft_old ./*.txt limit.py

ft_record 0 --name full -- "$FT_PYTHON" limit.py full
grep -q "could not write its records" "$FT_SCRATCH/run.err" ||
	ft_fail "full: the run did not say a process stopped recording: $(cat "$FT_SCRATCH/run.err")"
ft_record 0 --name first -- "$FT_PYTHON" limit.py first
grep -q "could not write its records" "$FT_SCRATCH/run.err" ||
	ft_fail "first: the run did not say a process stopped recording: $(cat "$FT_SCRATCH/run.err")"
ft_record 0 --name keep -- cat keep.txt
[ "$(ft_untraced full)" = 1 ] || ft_fail "full: not stored untraced"
[ "$(ft_untraced first)" = 1 ] || ft_fail "first: not stored untraced"
ft_affected_is "full first" "with nothing changed, the two runs that lost records"
ft_change keep.txt
ft_affected_is "full first keep" "keep.txt: its reader, and the two always"
