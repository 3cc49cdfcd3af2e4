#!/usr/bin/env bash
# Every command takes the repository top from one place
# (ft_statedir_top): the state directory's parent, resolved.  The case
# behind it: FTRACE_DIR named through a symlink to the checkout.  `ftrace
# run` took the top as written (the link) while the recorded paths are the
# real ones, so .ftrace.json's "ignore" matched nothing at recording and an
# edit of an ignored file selected the test; `affected` resolved the top
# and disagreed with the recording about which tree it was.
. "$(dirname "$0")/lib.sh"

mkdir "$FT_SCRATCH/real" && cd "$FT_SCRATCH/real" && git init -q .
ln -s real "$FT_SCRATCH/link"
echo data >data.txt
echo notes >notes.txt
printf '{"ignore": ["notes.txt"]}\n' >.ftrace.json
touch -d '2020-01-01' data.txt notes.txt .ftrace.json
ft_clock_past_ctime
export FTRACE_DIR=$FT_SCRATCH/link/.ftrace

ft run -q --name reader -- sh -c 'cat data.txt notes.txt' >/dev/null
assert_set "" "$(ft affected)" "nothing changed"

echo more >>notes.txt
assert_set "" "$(ft affected)" "an ignored file changed (top through the link)"

echo more >>data.txt
assert_set "reader" "$(ft affected)" "a recorded file changed"

# The same from the link's side of the tree: one top, one answer.
cd "$FT_SCRATCH/link"
assert_set "reader" "$(ft affected)" "selected from the symlinked path"
