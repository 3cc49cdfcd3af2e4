#!/usr/bin/env bash
# A file the test makes without asking first (fopen "w", a shell's `>`, a
# rename over the name) is its output, no dependency; but the making saw
# the name free for a file, and fails where a directory or a dangling
# symlink is now.  jansson's test_dump writes build/json_dump_file.json
# and removes it; a directory put there failed the test, and nothing was
# selected (a probe, 2026-11-29).  Now (docs/internals.md, "Made by the
# test: the name"):
#  - a file the test removed again: its absence (lstat) is a dependency;
#  - a file the test left: its type, to which the file's going is no
#    change (made again), and a directory there, or a link (a dangling
#    one too), is.
# (renamer renames with os.replace: `mv` stats the name first, a use of
# what is there, which the rename then replaces: unknown, a limit of its
# own.)
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir -p build && echo '{"a": 1}' >in.json
ft_old build in.json .

tests='
	FTRACE_TEST_ID=scratch sh -ec "cat in.json >build/dump.json; rm build/dump.json"
	FTRACE_TEST_ID=keeper sh -ec "cat in.json >build/kept.json"
	FTRACE_TEST_ID=renamer '"$FT_PYTHON"' -Ic "import os; open(\"build/tmp\", \"w\").write(\"x\"); os.replace(\"build/tmp\", \"build/moved.json\")"
	FTRACE_TEST_ID=bystander sh -ec "cat in.json >/dev/null"'
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "nothing changed"

mkdir build/dump.json
ft_affected_is "scratch" "a directory where scratch makes and removes its file"
rmdir build/dump.json
ft_affected_is "" "the directory gone again"
ln -s "$FT_SCRATCH/no-such-dir/x" build/dump.json
ft_affected_is "scratch" "a dangling symlink where scratch makes its file"
rm build/dump.json

rm build/kept.json
ft_affected_is "" "keeper's output removed: keeper makes it again"
mkdir build/kept.json
ft_affected_is "keeper" "a directory where keeper's output was"
rmdir build/kept.json
ln -s "$FT_SCRATCH" build/kept.json
ft_affected_is "keeper" "a symlink to a directory where keeper's output was"
rm build/kept.json
# (stat finds nothing there, as where the output is gone; but keeper's
# `>` follows the link and fails)
ln -s "$FT_SCRATCH/no-such-dir/x" build/kept.json
ft_affected_is "keeper" "a dangling symlink where keeper's output was"
if sh -ec "cat in.json >build/kept.json" 2>/dev/null; then
	ft_fail "keeper's making passed through a dangling symlink: the case shows nothing"
fi
rm build/kept.json

rm build/moved.json
ft_affected_is "" "renamer's output removed"
mkdir build/moved.json
ft_affected_is "renamer" "a directory where renamer renames its file"
rmdir build/moved.json

ft_record 0 -- sh -ec "$tests"
ft_record 0 -- sh -ec "$tests"
ft_affected_is "" "recorded again"
