#!/usr/bin/env bash
# A test that removes a path itself, first thing, then makes it again:
# json-c's tests run `rm -rf testSubDir/NAME; mkdir -p testSubDir/NAME`
# and copy valid.json there.  The copy's lookup found the name absent, and
# a name found absent and then made is unknown (t4312), so every such test
# was selected after every recording, with nothing changed.  The absence
# was the test's own doing: it removed the name (docs/internals.md,
# "Removed first").
#
# The removal itself is no output: `rm gen.txt` found gen.txt there, and
# once it is gone the test fails there.  Before, a test that removed a
# file without a look at it first (os.remove, `rm -f`: coreutils' `rm`
# lstat's it first) and wrote it again had no dependency on it at all,
# and removing the file selected nothing (tests regen, first and second
# below).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

export FT_PYTHON
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir data emptyd && printf '{"a": 1}\n' >data/valid.json && echo 1 >gen.txt &&
	echo old >stale.txt
ft_old data data/valid.json emptyd gen.txt stale.txt .

tests='
	FTRACE_TEST_ID=scratch sh -ec "rm -rf sub/one; mkdir -p sub/one; cp -f data/valid.json sub/one/; cat sub/one/valid.json >sub/one/out; cmp sub/one/out data/valid.json"
	FTRACE_TEST_ID=regen "$FT_PYTHON" -c "import os; os.remove(\"gen.txt\"); open(\"gen.txt\", \"w\").write(\"1\"); open(\"gen.txt\").read()"
	FTRACE_TEST_ID=cleaner sh -ec "rm -f stale.txt; [ ! -e stale.txt ]"
	FTRACE_TEST_ID=remade sh -ec "rmdir emptyd; mkdir emptyd"'

# The first recording made sub/one after finding it absent (unknown:
# selected once), and removed stale.txt, which is gone now (it saw it:
# selected once).
ft_record 0 -- sh -ec "$tests"
ft_affected_is "scratch cleaner" "after the first recording"
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "nothing changed after a second recording"
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "nothing changed after a third recording"

# What the removed-first paths were made from, and what the removals saw.
ft_change data/valid.json
ft_affected_is "scratch" "the copy's source edited"
ft_revert data/valid.json
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "recorded again with the source back"

rm sub/one/valid.json
ft_affected_is "scratch" "the copy removed by hand (rm -rf's listing)"
ft_record 0 -- sh -ec "$tests"
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "recorded again"

rm gen.txt
ft_affected_is "regen" "gen.txt removed: os.remove now fails"
echo 1 >gen.txt && ft_old gen.txt
ft_affected_is "" "gen.txt back"
rm gen.txt && mkdir gen.txt
ft_affected_is "regen" "gen.txt a directory: os.remove now fails"
rmdir gen.txt && echo 1 >gen.txt && ft_old gen.txt

touch emptyd/x
ft_affected_is "remade" "an entry in the directory rmdir removes"
rm emptyd/x && ft_old emptyd
ft_affected_is "" "the entry gone again"

echo new >stale.txt
ft_affected_is "cleaner" "stale.txt there again"
rm stale.txt

# Two tests that remove and write one path: the removal's dependency
# holds for both, though neither made what the other saw.
echo 0 >shared.txt && ft_old shared.txt
two='
	FTRACE_TEST_ID=first "$FT_PYTHON" -c "import os; os.remove(\"shared.txt\"); open(\"shared.txt\", \"w\").write(\"a\")"
	FTRACE_TEST_ID=second "$FT_PYTHON" -c "import os; os.remove(\"shared.txt\"); open(\"shared.txt\", \"w\").write(\"b\")"'
ft_record 0 -- sh -ec "$two"
ft_affected_is "" "after two tests removed and wrote shared.txt"
rm shared.txt
ft_affected_is "first second" "shared.txt removed: os.remove now fails"
