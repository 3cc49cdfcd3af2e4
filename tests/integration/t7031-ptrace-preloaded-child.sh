#!/usr/bin/env bash
# A dynamic program started inside a ptraced tree goes back to the cheaper
# path: once its preload has made its region file (the tracer sees that
# open), the tracer only decodes its execs and lets its other file calls
# run on; the preload records them.  Checked on t7030's static tree, whose
# vfork child execs `cat exec.txt`: the read is recorded once (by the
# preload), not twice, and still selects the test.  A static program that
# the dynamic child execs is traced again (t7070's nested case, inverted:
# sh -c from a static program running a static program).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
cc -O0 -static -pthread -o tree "$FTRACE_SOURCE_DIR/tests/preload/ftp_static_tree.c" 2>/dev/null ||
	ft_skip "cc -static does not work here (no static libc)"
. ./build.sh
mkdir -p sub
for f in child.txt thread.txt exec.txt sub/rel.txt o2.txt at.txt; do echo "$f" >"$f"; done
ln -s child.txt link

ft_record 0 --keep-records --name t -- ./tree
run=$(ls -d .ftrace/runs/*/ | tail -1)
n=$(ft records "$run" | grep -ac "ACCESS open 0 r $PWD/exec.txt")
assert_eq 1 "$n" "cat's read of exec.txt: recorded once, by its preload"
ft records "$run" | grep -a "ARGV - 0 - \[cat exec.txt\]" >/dev/null || ft_fail "no cat image in the records"
ft_change exec.txt
ft_affected_is "t" "exec.txt, read by the dynamic child, changed"
ft_revert exec.txt

# static -> dynamic (preloaded, left alone) -> static: traced again
printf '#include <stdlib.h>\nint main(void){return system("./prog-static > /dev/null");}\n' |
	cc -static -x c -o outer - || ft_fail "cc outer"
ft_record 0 --name nest -- ./outer
assert_eq 0 "$(ft_untraced nest)" "the static grandchild is traced"
ft_change data.txt
ft_affected_is "nest" "data.txt, read by the static grandchild, changed"
ft_revert data.txt
