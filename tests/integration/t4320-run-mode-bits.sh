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

# --explain says when only the mode changed (the content is as the test
# saw it: another umask, a chmod), and not when the content changed too
chmod 664 r.txt
ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
grep -q "only the mode changed (was 0644, now 0664)" "$FT_SCRATCH/explain.out" ||
	ft_fail "--explain does not say only the mode changed: $(cat "$FT_SCRATCH/explain.out")"
echo more >>r.txt
ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
grep -q "reads" "$FT_SCRATCH/explain.out" || ft_fail "the edit selects nothing: $(cat "$FT_SCRATCH/explain.out")"
if grep -q "only the mode changed" "$FT_SCRATCH/explain.out"; then
	ft_fail "--explain says only the mode changed of an edited file: $(cat "$FT_SCRATCH/explain.out")"
fi
