#!/usr/bin/env bash
# `ftrace run --name check -- make check`: the whole make invocation is one
# test.  Its dependencies are what make, the shell script and the compiled
# helper read: a data file read through `cat` and one read through fopen()
# in a C program.  Content decides, not mtimes: a touch or a revert selects
# nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-make
make -s helper >/dev/null
ft_old helper

ft_record 0 --name check -- make -s check
grep -q 'check: 3 words, sum 6' "$FT_SCRATCH/run.out" || ft_fail "make check output missing: $(cat "$FT_SCRATCH/run.out")"
[ -e .ftrace/ftrace.db ] || ft_fail "no .ftrace/ftrace.db at the repository root after ftrace run"

ft_affected_is "" "right after recording"

for f in data/words.txt data/numbers.txt check.sh Makefile; do
	ft_change "$f"
	ft_affected_is "check" "content of $f changed"
	ft_revert "$f"
	ft_affected_is "" "content of $f reverted"
done

# The helper binary is exec'd: rebuilding it differently selects check.
cp helper helper.orig
printf '\n/* different */ int unused_global = 1;\n' >>helper.c
make -s helper >/dev/null
cmp -s helper helper.orig && ft_fail "fixture: rebuilt helper is identical"
ft_affected_is "check" "the exec'd helper binary changed"
cp helper.orig helper && rm helper.orig
git checkout -q helper.c
ft_affected_is "" "helper binary and source back as recorded"

ft_touch_all
ft_affected_is "" "mtime-only touch of every file"

ft_change data/unread.txt
ft_change README.md
ft_affected_is "" "files no one reads changed"
