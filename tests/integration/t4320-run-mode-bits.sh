#!/usr/bin/env bash
# Issue 24: after `chmod a-w f`, a test that checks os.access(f, W_OK) was
# not selected: a file's recorded state held its content and its execute
# bits only.  The permission bits an access(), a stat or an open could see
# are part of it; putting them back is no change.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
for f in w.txt s.txt r.txt; do echo "$f" >"$f"; chmod 644 "$f"; done
ft_old w.txt s.txt r.txt
ft_record 0 --name access-w -- "$FT_PYTHON" -c 'import os; print(os.access("w.txt", os.W_OK))'
ft_record 0 --name stat-mode -- stat -c %a s.txt
ft_record 0 --name reads -- cat r.txt
ft_affected_is "" "right after recording"

chmod a-w w.txt
ft_affected_is "access-w" "chmod a-w of a file the test access()ed"
chmod 644 w.txt
ft_affected_is "" "the mode put back"

chmod g+w s.txt
ft_affected_is "stat-mode" "chmod g+w of a file the test stat'ed"
chmod 644 s.txt

chmod a-r r.txt
ft_affected_is "reads" "chmod a-r of a file the test read"
chmod 644 r.txt
ft_affected_is "" "every mode put back"
