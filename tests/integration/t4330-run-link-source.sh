#!/usr/bin/env bash
# Issue 24: a test linked a repository file to a name under /tmp (os.link,
# `ln`, linkat), and a read of that name read the file's content.  The read
# was dropped as scratch and link()'s source was only looked up, so another
# test reading the new name depended on nothing: editing the file selected
# nothing.  link()'s source is now read (FT_OP_LINK_SRC), and ingest counts
# a read of a name link() made during the run as a read of the source, in
# both back ends (the preload: ln, and ops-dynamic; ptrace: ops-static).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-ops repo
. ./build.sh
mkdir data
for f in ln dyn fd st stfd self other; do echo "$f" >"data/$f.txt"; done
T=$FT_SCRATCH/tmp
mkdir "$T"
ft_old data data/*.txt
# linkat(fd, "", AT_EMPTY_PATH) needs CAP_DAC_READ_SEARCH before Linux 6.10
fdcmds="" fdtests=""
if ./ops-dynamic linkfd ops.c "$T/probe" 2>/dev/null; then
	rm -f "$T/probe"
	fdcmds="
	FTRACE_TEST_ID=fd-maker ./ops-dynamic linkfd data/fd.txt $T/fd
	FTRACE_TEST_ID=fd-reader ./ops-dynamic cat $T/fd
	FTRACE_TEST_ID=stfd-maker ./ops-static linkfd data/stfd.txt $T/stfd
	FTRACE_TEST_ID=stfd-reader ./ops-static cat $T/stfd"
	fdtests="fd-maker fd-reader stfd-maker stfd-reader"
else
	ft_log "linkat AT_EMPTY_PATH not permitted here: its cases are left out"
fi
ft_record 0 -- sh -c "
	FTRACE_TEST_ID=ln-maker sh -c 'ln data/ln.txt $T/ln'
	FTRACE_TEST_ID=ln-reader sh -c 'cat $T/ln'
	FTRACE_TEST_ID=dyn-maker ./ops-dynamic link data/dyn.txt $T/dyn
	FTRACE_TEST_ID=dyn-reader ./ops-dynamic cat $T/dyn
	FTRACE_TEST_ID=st-maker ./ops-static link data/st.txt $T/st
	FTRACE_TEST_ID=st-reader ./ops-static cat $T/st$fdcmds
	FTRACE_TEST_ID=self sh -c 'ln data/self.txt $T/self && cat $T/self'
	FTRACE_TEST_ID=other ./ops-dynamic cat data/other.txt"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"

# Each reader read a file through a name made during the run.  link()
# moves the file's ctime, so the run changed the file: every maker and
# reader is unknown, and selected.  Before the fix the readers depended on
# nothing, and were never selected.  `other`, which read a file nobody
# linked, is not.
linked="ln-maker ln-reader dyn-maker dyn-reader st-maker st-reader self $fdtests"
ft_affected_is "$linked" "right after recording"
for f in ln dyn fd st stfd; do ft_change "data/$f.txt"; done
ft_affected_is "$linked" "each linked file edited"
ft_change data/other.txt
ft_affected_is "$linked other" "the file nobody linked edited"
exit 0
