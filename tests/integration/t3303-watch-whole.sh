#!/usr/bin/env bash
# A whole answer (docs/watch.md): the daemon names every path that can
# have changed, and stands for the database's verification, so
# `ftrace affected` reads only those paths and the variables.  Its answer
# must still equal a cold walk's after edits and variable changes; a
# write to the database that leaves the generation as it was (here a hand
# edit that corrupts a set) must end whole answers, so that the client
# verifies by itself and refuses the database as --no-watch does; and a
# recorded row that no answer can name (a path that is not absolute)
# means no whole answer at all.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-watch.sh"

repo=$FT_SCRATCH/repo
mkdir -p "$repo/src"
cd "$repo"
git init -q .
echo a >src/a.txt
echo b >src/b.txt
# tv reads a variable through its shell's expansion (ingest finds it in
# the script's text: docs/usage.md), tl lists src
printf '#!/bin/sh\ncat src/a.txt\n' >ta.sh
printf '#!/bin/sh\ncat src/b.txt\n' >tb.sh
printf '#!/bin/sh\necho "${FTT_WHOLE_VAR:-}"\n' >tv.sh
printf '#!/bin/sh\nls src >/dev/null\n' >tl.sh
chmod +x ta.sh tb.sh tv.sh tl.sh
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
export FTT_WHOLE_VAR=one
for t in ta tb tv tl; do
	ft_record 0 --name $t -- ./$t.sh
done
ft_affected_is "" "right after recording"

ft_watch_start
assert_eq yes "$(ft_watch_field 'whole answers')" "whole answers after the first baseline"
ft_watch_same "nothing changed"
ft_watch_whole "nothing changed" true

echo more >>src/a.txt
ft_watch_same "a.txt edited"
ft_watch_whole "a.txt edited" true
assert_set "ta" "$(ft affected)" "a.txt edited"

# a variable: never named by the daemon, always read by the client
FTT_WHOLE_VAR=two ft_watch_same "a variable changed"
assert_set "ta tv" "$(FTT_WHOLE_VAR=two ft affected)" "a variable changed"
(unset FTT_WHOLE_VAR; ft_watch_same "a variable unset")

# a new file in a listed directory: the listing's dependents
echo c >src/c.txt
ft_watch_same "a file created in a listed directory"
ft_watch_whole "a file created in a listed directory" true
assert_set "ta tl" "$(ft affected)" "a file created in a listed directory"

# a hand edit that corrupts a stored set and keeps the generation: the
# daemon sees the write, and the client verifies by itself
ft_watch_wait_whole "before the hand edit"
sqlite3 .ftrace/ftrace.db "UPDATE depsets SET n = n + 1 WHERE id = (SELECT min(id) FROM depsets)"
rc=0
ft affected >/dev/null 2>"$FT_SCRATCH/corrupt.err" || rc=$?
[ "$rc" -ne 0 ] || ft_fail "a corrupt database was used with the daemon running (exit 0)"
grep -q "corrupt" "$FT_SCRATCH/corrupt.err" || ft_fail "no word of corruption: $(cat "$FT_SCRATCH/corrupt.err")"
rc2=0
ft affected --no-watch >/dev/null 2>&1 || rc2=$?
assert_eq "$rc2" "$rc" "exit status on a corrupt database, with the daemon and without"
sleep 0.5
[ "$(ft_watch_field 'whole answers')" != yes ] || ft_fail "whole answers on a database that does not verify"
# put back: verified again once quiet, whole again
sqlite3 .ftrace/ftrace.db "UPDATE depsets SET n = n - 1 WHERE id = (SELECT min(id) FROM depsets)"
ft_watch_wait_whole "after the hand edit was undone"
ft_watch_same "after the hand edit was undone"
ft_watch_whole "after the hand edit was undone" true

# a row no answer can name: a path that is not absolute.  The new
# generation brings a new baseline, which is not whole.
sqlite3 .ftrace/ftrace.db "INSERT INTO paths(path) VALUES (CAST('not/absolute' AS BLOB));
	INSERT INTO states(path_id, kind, value) VALUES ((SELECT id FROM paths WHERE path = CAST('not/absolute' AS BLOB)), 1, 7);"
ft_watch_same "an unnameable row"
ft_watch_whole "an unnameable row" false
case "$(ft_watch_field 'whole answers')" in
"no (a recorded row names no path an answer can hold)") ;;
*) ft_fail "status of a daemon whose baseline has an unnameable row: $(ft_watch_field 'whole answers')" ;;
esac

# A whole answer stands for a verification at most so old (60 s; here
# 2 s): after that the next query gets an answer that is not whole, and
# the daemon verifies again.  Without the bound, a bit that flipped at
# rest with no write would never be looked at again.
sqlite3 .ftrace/ftrace.db "DELETE FROM states WHERE path_id = (SELECT id FROM paths WHERE path = CAST('not/absolute' AS BLOB));
	DELETE FROM paths WHERE path = CAST('not/absolute' AS BLOB);"
"$FTRACE_BIN" watch stop >/dev/null
FTRACE_WATCH_TEST_VERIFY_MS=2000 ft_watch_start
ft_watch_whole "a fresh verification" true
sleep 2.5
ft_watch_whole "a verification older than the bound" false
ft_watch_wait_whole "verified again after the query"
