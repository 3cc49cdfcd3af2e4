#!/usr/bin/env bash
# Issue 24: ingest dropped every path whose text starts with /tmp or
# $TMPDIR as scratch, though a symlink there to a project file, a symlinked
# directory, `/tmp/x/../repo/f` and `/proc/self/cwd/f` all read repository
# files: editing the file selected nothing.  And TMPDIR=/ made every path
# outside the repository scratch; TMPDIR at an ancestor of the repository
# and of a tool the tests run dropped the tool.  Paths are judged by where
# they really lead; a temporary dir's entry that holds the repository or a
# program the run exec'd is no scratch.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

# A scratch dir of its own next to (not inside) the test's scratch dir,
# which holds the repository.
T=$(mktemp -d "${TMPDIR:-/tmp}/ft-t4300.XXXXXX")
trap 'rc=$?; rm -rf "$T"; (exit $rc); ft__cleanup' EXIT

mkdir "$FT_SCRATCH/repo" "$FT_SCRATCH/other"
cd "$FT_SCRATCH/repo"
git init -q .
mkdir data
for f in link dir dotdot cwd fdrel plain; do echo "$f v1" >"data/$f.txt"; done
echo "conf v1" >"$FT_SCRATCH/other/conf.txt"
mkdir "$FT_SCRATCH/tool"
printf '#!/bin/sh\ncat "$(dirname "$0")/greeting.txt"\n' >"$FT_SCRATCH/tool/greet"
chmod +x "$FT_SCRATCH/tool/greet"
echo "hello v1" >"$FT_SCRATCH/tool/greeting.txt"
ft_old "$FT_SCRATCH/tool" "$FT_SCRATCH/tool/greet" "$FT_SCRATCH/tool/greeting.txt"
ln -s "$PWD/data" "$T/dlink"           # made before the run: not the test's
mkdir "$T/sub"
ft_old data data/* "$FT_SCRATCH/other" "$FT_SCRATCH/other/conf.txt"
top=$(basename "$FT_SCRATCH")

ft_record 0 --name link -- sh -c "ln -s '$PWD/data/link.txt' '$T/l' && cat '$T/l'"
ft_record 0 --name dir -- cat "$T/dlink/dir.txt"
ft_record 0 --name dotdot -- cat "$T/sub/../../$top/repo/data/dotdot.txt"
ft_record 0 --name cwd -- cat /proc/self/cwd/data/cwd.txt
ft_record 0 --name fdrel -- sh -c 'exec 3<data; cat /dev/fd/3/fdrel.txt'
# ".." after a symlink goes up from the link's target, not from the text
ft_record 0 --name plain -- cat "$T/dlink/../data/plain.txt"
# TMPDIR=/ is no temporary dir; TMPDIR at an ancestor of the repository
# and of the tool: the tool's entry of it is no scratch
TMPDIR=/ ft_record 0 --name tmp-root -- cat data/link.txt
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
cat_bin=$(readlink -f "$(command -v cat)")
n=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM tests t JOIN test_sets ts ON ts.test_id = t.id
	JOIN depset_states ds ON ds.set_id = ts.set_id JOIN states s ON s.id = ds.state_id
	JOIN paths p ON p.id = s.path_id WHERE t.name = 'tmp-root' AND s.kind = 1
	AND CAST(p.path AS TEXT) IN ('$cat_bin', '$(command -v cat)')")
[ "$n" -ge 1 ] || ft_fail "TMPDIR=/: the program the test ran ($cat_bin) is no dependency"
TMPDIR=$FT_SCRATCH ft_record 0 --name tmp-ancestor -- "$FT_SCRATCH/tool/greet"
ft_affected_is "" "right after recording"

for f in link dir dotdot cwd fdrel plain; do
	ft_change "data/$f.txt"
	want=$f; [ $f = link ] && want="link tmp-root"
	ft_affected_is "$want" "data/$f.txt edited"
	ft_revert "data/$f.txt"
done
# a file next to the repository in the same temporary entry is scratch
ft_record 0 --name sibling -- cat "$FT_SCRATCH/other/conf.txt"
ft_change "$FT_SCRATCH/other/conf.txt"
ft_affected_is "" "a scratch file next to the repository edited"
ft_revert "$FT_SCRATCH/other/conf.txt"
ft_change "$FT_SCRATCH/tool/greeting.txt"
ft_affected_is "tmp-ancestor" "the data of a tool in TMPDIR edited"
ft_revert "$FT_SCRATCH/tool/greeting.txt"

# real scratch stays out: a file of its own in the scratch dir
echo x >"$T/scratch.txt"
ft_record 0 --name scratch -- cat "$T/scratch.txt"
echo y >"$T/scratch.txt"
ft_affected_is "" "scratch file changed"
