#!/usr/bin/env bash
# Issue 24: a hard link to a repository file made before the run (`ln
# data/pre.txt /tmp/x` by a setup script or an earlier session), and a test
# that reads the name under /tmp.  No link() of the run names its source,
# so the read was dropped as scratch: an edit in place of data/pre.txt
# (editors keep hard links) selected nothing.  A scratch file that shares
# its inode with another name is now kept as a dependency itself (ingest,
# shared_inode), in both back ends; a scratch file with one name is
# still scratch.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-ops repo
. ./build.sh
mkdir data
for f in pre st other; do echo "$f" >"data/$f.txt"; done
T=$FT_SCRATCH/tmp
mkdir "$T"
ln data/pre.txt "$T/pre"
ln data/st.txt "$T/st"
echo lone >"$T/lone"
ft_old data data/*.txt
ft_record 0 -- sh -c "
	FTRACE_TEST_ID=reader sh -c 'cat $T/pre'
	FTRACE_TEST_ID=st-reader ./ops-static cat $T/st
	FTRACE_TEST_ID=lone ./ops-dynamic cat $T/lone
	FTRACE_TEST_ID=other ./ops-dynamic cat data/other.txt"
ft_affected_is "" "right after recording"

# edits in place: the inode stays shared
echo more >>data/pre.txt
ft_affected_is "reader" "the file linked before the run, edited in place"
echo more >>data/st.txt
ft_affected_is "reader st-reader" "and the one a static program read"
# a scratch file with one name is scratch: its change selects nothing
echo more >>"$T/lone"
ft_affected_is "reader st-reader" "a lone scratch file changed"
