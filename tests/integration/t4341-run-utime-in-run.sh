#!/usr/bin/env bash
# Issue 26: jinja's test_loader calls os.utime() on a template that 20
# tests read.  utime was not recorded, so ingest saw a file changed during
# the run that no record explained, and its readers were unknown: selected
# by every `affected`, with nothing changed.  The utime family is recorded
# now, and the preload's libc hooks add the file's stat before and after
# the call (TIMES): when that evidence chains from before the run to the
# file as it is, and every process of the run was traced, the readers keep
# what they read (docs/racy-stat.md, "A run's own utime").  Every case the
# argument does not cover stays unknown: a write whose old times are set
# back (touch -r), UTIME_NOW (mtime == ctime: a write in the same tick
# would not show), a write by a process outside the run before the
# utime, a utime the ptrace back end or the raw-call trap saw (no
# evidence).  A utime of a missing path is an absence dependency.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-ops repo
. ./build.sh
mkdir sub
for f in keep fut at nofollow wr now st out raw; do echo "$f" > "$f.txt"; done
echo at > sub/at.txt
ft_old *.txt sub sub/at.txt

# a raw utimensat (no libc): the raw-call trap records it
cat > raw.c <<'C'
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
int main(int argc, char **argv)
{
	struct timespec ts[2];
	long r;
	register long r10 __asm__("r10") = 0;
	volatile char allow = 0;

	if (argc > 2) /* probe: has the kernel syscall user dispatch? */
		return prctl(59, 1, 0UL, 0UL, &allow) != 0 || prctl(59, 0, 0UL, 0UL, 0UL) != 0;
	clock_gettime(CLOCK_REALTIME, &ts[0]);
	ts[1] = ts[0];
	__asm__ volatile("syscall" : "=a"(r) : "a"(SYS_utimensat), "D"((long)AT_FDCWD), "S"(argv[1]),
			 "d"((long)ts), "r"(r10) : "rcx", "r11", "memory");
	return r != 0;
}
C
cc -O1 -o raw raw.c || ft_fail "cc raw failed"
rawtrap=1
[ "$(uname -m)" = x86_64 ] && ./raw x probe || rawtrap=0

# an outside process (not in the run) appends to out.txt after r-out has
# read it, before u-out sets its times
sync_go=$FT_SCRATCH/go sync_done=$FT_SCRATCH/done
( while [ ! -e "$sync_go" ]; do sleep 0.02; done; echo changed >> out.txt; touch "$sync_done" ) &
outside=$!

D=./ops-dynamic
ft_record 0 --keep-records -- sh -c "
	FTRACE_TEST_ID=r-keep $D cat keep.txt
	FTRACE_TEST_ID=u-keep $D cat keep.txt utime keep.txt cat keep.txt
	FTRACE_TEST_ID=r-keep2 $D cat keep.txt
	FTRACE_TEST_ID=r-fut $D cat fut.txt
	FTRACE_TEST_ID=u-fut $D futimens fut.txt
	FTRACE_TEST_ID=r-at $D cat sub/at.txt
	FTRACE_TEST_ID=u-at $D utimeat sub at.txt
	FTRACE_TEST_ID=r-nofollow $D cat nofollow.txt
	FTRACE_TEST_ID=u-nofollow $D lutime nofollow.txt
	FTRACE_TEST_ID=r-wr $D cat wr.txt
	FTRACE_TEST_ID=u-wr $D touchr wr.txt
	FTRACE_TEST_ID=r-now $D cat now.txt
	FTRACE_TEST_ID=u-now $D utimenow now.txt
	FTRACE_TEST_ID=r-st $D cat st.txt
	FTRACE_TEST_ID=u-st ./ops-static utime st.txt
	FTRACE_TEST_ID=u-absent sh -c '$D utime absent.txt; exit 0'
	FTRACE_TEST_ID=r-out sh -c '$D cat out.txt && touch $sync_go'
	FTRACE_TEST_ID=u-out sh -c 'while [ ! -e $sync_done ]; do sleep 0.02; done; $D utime out.txt'
	FTRACE_TEST_ID=r-raw $D cat raw.txt
	if [ $rawtrap = 1 ]; then FTRACE_TEST_ID=u-raw ./raw raw.txt; fi"
wait "$outside"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
assert_eq "x" "$(tail -c 1 wr.txt)" "touchr wrote"

# Each back end recorded its utime; the libc hooks' evidence is there.
recs=$(ft records .ftrace/runs/*)
for t in u-keep u-fut u-at u-nofollow u-wr u-now u-st u-out $([ $rawtrap = 1 ] && echo u-raw); do
	grep -q "^[0-9]* $t ACCESS utime 0 m " <<<"$recs" || ft_fail "$t: no utime record"
done
grep -q "^[0-9]* u-absent ACCESS utime ENOENT m $PWD/absent.txt\$" <<<"$recs" ||
	ft_fail "u-absent: no failed utime record"
for t in u-keep u-fut u-at u-nofollow; do
	grep -q "^[0-9]* $t TIMES " <<<"$recs" || ft_fail "$t: no TIMES record"
done
for t in u-st u-raw; do
	grep -q "^[0-9]* $t TIMES " <<<"$recs" && ft_fail "$t: a TIMES record from $t"
done

# Selected: the readers of a file that was written and set back (r-wr;
# u-wr read it through its stat before writing), set to now (r-now), set
# by ptrace (r-st) or by the raw trap (r-raw: no evidence), or written
# from outside the run before its utime (r-out).  Every other reader keeps
# what it read; the tests that only set times depend on nothing.
want="r-wr u-wr r-now r-st r-out"
[ $rawtrap = 1 ] && want="$want r-raw"
ft_affected_is "$want" "right after recording"

# a utime of a missing path is an absence dependency
touch absent.txt
ft_settle
ft_affected_is "$want u-absent" "absent.txt made"
exit 0
