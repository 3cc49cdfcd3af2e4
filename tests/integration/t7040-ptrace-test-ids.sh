#!/usr/bin/env bash
# A static test runner that starts each test in its own process with
# FTRACE_TEST_ID (as ctest or make check do) must split its records by
# test like the preload does for its dynamic build: the ptrace back end
# reads FTRACE_TEST_ID from each execve's environment, begins that test for
# the subtree and ends it with the process's exit status.  Both builds of
# fixtures/static-c/runner.c are recorded, each in its own copy, and every
# change must select the same, exact set in both.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c static
cc -O0 -static -o runner runner.c 2>/dev/null || ft_skip "cc -static does not work here (no static libc)"
ft_record 0 --name r -- ./runner
grep -q '^common$' "$FT_SCRATCH/run.out" || ft_fail "runner did not run: $(cat "$FT_SCRATCH/run.out")"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
ft_fixture static-c dynamic
cc -O0 -o runner runner.c
ft_record 0 --name r -- ./runner

# check "ids" WHAT [ft_change|ft_revert FILE]: apply the change in both
# copies (absolute paths: ft_change keys its saved copy by path); both
# must select exactly ids.
check() {
	local want=$1 what=$2 v
	for v in static dynamic; do
		cd "$FT_SCRATCH/$v"
		[ $# -lt 4 ] || "$3" "$FT_SCRATCH/$v/$4"
		ft_affected_is "$want" "$v build: $what"
	done
}

check "" "no change"
for t in static dynamic; do
	assert_eq "a|1|0 b|1|0 r|1|0" \
		"$(cd "$FT_SCRATCH/$t" && sqlite3 .ftrace/ftrace.db "SELECT name, outcome, untraced FROM tests ORDER BY name" | tr '\n' ' ' | sed 's/ $//')" \
		"$t build: tests a, b, r recorded, passed, traced"
done
check "a" "a.txt changed" ft_change a.txt
check "" "a.txt reverted" ft_revert a.txt
check "b" "b.txt changed" ft_change b.txt
check "" "b.txt reverted" ft_revert b.txt
check "b" "common.txt (read by a dynamic program in test b) changed" ft_change common.txt
check "" "common.txt reverted" ft_revert common.txt
check "r" "runner.cfg (read by the runner itself) changed" ft_change runner.cfg
exit 0
