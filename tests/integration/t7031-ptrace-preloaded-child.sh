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

# a lookup whose absolute path is too long to repeat in the tracer (over
# PATH_MAX, while the program's cwd and relative path are each under it)
# keeps its exit stop: the read stays a content dependency.  In a repository of its own
# (find and touch cannot walk such a tree).
deep=$FT_SCRATCH/deep
mkdir "$deep" && cd "$deep" && git init -q . || ft_fail "cannot make $deep"
comp=$(printf 'd%.0s' $(seq 1 200))
( for i in $(seq 1 22); do mkdir "$comp" && cd "$comp" || exit 1; done; echo deep > f ) ||
	ft_fail "cannot make a deep tree"
# the program's cwd is 12 levels down (under PATH_MAX, so /proc/PID/cwd can
# be read), and it opens a 10-level relative path: 4,400 bytes in all
rel=$(for i in $(seq 1 10); do printf '%s/' "$comp"; done)f
printf '#include <stdio.h>\n#include <unistd.h>\nint main(void){char b[8];for(int i=0;i<12;i++)if(chdir("%s"))return 2;FILE*f=fopen("%s","r");return !f||!fgets(b,8,f);}\n' \
	"$comp" "$rel" | cc -static -x c -o deep - || ft_fail "cc deep"
ft run -q --keep-records --name deep -- ./deep >/dev/null 2>&1 || ft_fail "ftrace run -- ./deep failed"
run=$(ls -d .ftrace/runs/*/ | tail -1)
grep -aq " ACCESS open 0 r .*/$comp/f\$" <<<"$(ft records "$run")" ||
	ft_fail "the long path's read is not recorded as a successful read: $(ft records "$run" | grep -a '/f$' | cut -c1-80)"
# (ingest cannot stat a path that long: it is an unknown dependency, so
# the test is always selected, never missed)
ft_affected_is "deep" "a test that read below a path longer than PATH_MAX"
