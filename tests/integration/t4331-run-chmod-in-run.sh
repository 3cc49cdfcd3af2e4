#!/usr/bin/env bash
# Issue 24: an inode changed during the run keeps the type and mode a test
# saw when the run's own writes explain the change (mtime == ctime).  A
# chmod earlier in the run than such a write left no trace: test a stat'ed
# d (755), test b made it 700 and then added an entry, and a was stored
# with 700, which it never saw; d is 700 now, a would see another mode,
# and it was not selected.  chmod and chown are now recorded, by the
# preload (chmod(1), ops-dynamic) and the ptrace back end (ops-static,
# also fchmod on an fd): a mode the run changed is unknown, unless the test
# changed it itself before its first use (its output).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-ops repo
. ./build.sh
for d in sh dyn st stfd own other; do mkdir "$d"; chmod 755 "$d"; done
ft_old sh dyn st stfd own other
ft_record 0 -- sh -c "
	FTRACE_TEST_ID=sh-a stat -c %a sh
	FTRACE_TEST_ID=sh-b sh -c 'chmod 700 sh && touch sh/new'
	FTRACE_TEST_ID=dyn-a ./ops-dynamic stat dyn
	FTRACE_TEST_ID=dyn-b ./ops-dynamic chmod 700 dyn touch dyn/new
	FTRACE_TEST_ID=st-a ./ops-static stat st
	FTRACE_TEST_ID=st-b ./ops-static chmod 700 st touch st/new
	FTRACE_TEST_ID=stfd-a ./ops-static stat stfd
	FTRACE_TEST_ID=stfd-b ./ops-static fchmod 700 stfd touch stfd/new
	FTRACE_TEST_ID=own ./ops-dynamic chmod 700 own stat own touch own/new
	FTRACE_TEST_ID=other ./ops-dynamic stat other touch other/new"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
assert_eq "700" "$(stat -c %a dyn)" "the chmod ran"

# Each *-a saw 755 and the directory is 700 now: selected.  chmod(1)
# stats before it changes the mode, so sh-b's own change came after its
# first use: unknown too.  ops' chmod does not look first: dyn-b, st-b and
# stfd-b used the directory only to change it (no dependency), and own
# changed it before its stat (its output, kept as 700); other's directory
# gained an entry, as in every run, with no chmod.
ft_affected_is "sh-a sh-b dyn-a st-a stfd-a" "right after recording"
chmod 755 own
ft_affected_is "sh-a sh-b dyn-a st-a stfd-a own" "own's directory put back to 755"
exit 0
