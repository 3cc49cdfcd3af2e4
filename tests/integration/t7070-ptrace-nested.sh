#!/usr/bin/env bash
# A static program started by a preloaded (dynamic) process runs under the
# ptrace back end: the preload reroutes its exec through `ftrace
# __ptrace-exec` (docs/ptrace.md).  Before, such a test was untraced and
# always selected.  Checked: the dependencies equal those of the dynamic
# twin, for exec, PATH search (execvp) and posix_spawn; a test started with
# FTRACE_TEST_ID; the exit status and a deadly signal pass through; ctest
# runs a static test program and still names it; FTRACE_PTRACE=0 keeps the
# old behaviour (untraced).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"

ft_fixture static-c
. ./build.sh
PY=${FT_PYTHON:-python3}

# each way of starting it, for the static program (NAME) and its dynamic
# twin (NAME-d), which the preload traces: the same wrapper, the same deps
spawn='import os, sys; os.waitpid(os.posix_spawn(sys.argv[1], [sys.argv[1]], os.environ), 0)'
for v in static dynamic; do
	sfx=; [ $v = dynamic ] && sfx=-d
	ft_record 0 --name sh$sfx -- sh -c "./prog-$v"
	ft_record 0 --name path$sfx -- env PATH="$PWD:$PATH" prog-$v
	ft_record 0 --name spawn$sfx -- "$PY" -c "$spawn" ./prog-$v
done
for t in sh path spawn; do
	assert_eq 0 "$(ft_untraced $t)" "$t: traced, not untraced"
	assert_eq "$(ft_deps $t-d)" "$(ft_deps $t)" "$t: the same dependencies as the dynamic program"
done
ft_record 0 --name d -- ./prog-dynamic
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "no change"
ft_change data.txt
ft_affected_is "d path path-d sh sh-d spawn spawn-d" "data.txt changed"
ft_revert data.txt
echo probe >optional.cfg
ft_affected_is "d path path-d sh sh-d spawn spawn-d" "the probed absent file created"
rm optional.cfg
ft_affected_is "" "all reverted"

# FTRACE_TEST_ID=x on the static program: the helper starts test x
ft_record 0 -- sh -c 'FTRACE_TEST_ID=x ./prog-static; true'
assert_eq 0 "$(ft_untraced x)" "x: traced"
assert_eq "$(ft_deps sh-d)" "$(ft_deps x)" "x: the dynamic program's dependencies"

# the exit status and a deadly signal come through the helper
printf 'int main(void){return 3;}\n' | cc -static -x c -o exit3 - || ft_fail "cc exit3"
printf '#include <signal.h>\nint main(void){raise(SIGTERM);return 0;}\n' | cc -static -x c -o die - ||
	ft_fail "cc die"
out=$(ft run -q --name st -- sh -c './exit3; echo status=$?; ./die; echo status=$?' 2>/dev/null)
assert_eq "status=3"$'\n'"status=143" "$out" "exit status and SIGTERM through the helper"

# ctest runs a static test program: the test is still named by ctest
if command -v cmake >/dev/null && command -v ctest >/dev/null; then
	# a repository of its own, beside the fixture
	ct=$FT_SCRATCH/ct
	mkdir "$ct" && cp -a "$FTRACE_SOURCE_DIR/fixtures/ctest-basic/." "$ct/" && cd "$ct" && git init -q . &&
		cd - >/dev/null || ft_fail "ct copy"
	cmake -S "$ct" -B $ct/build -DCMAKE_EXE_LINKER_FLAGS=-static >/dev/null || ft_fail "cmake"
	cmake --build $ct/build >/dev/null || ft_fail "cmake --build"
	grep -q 'program interpreter' <<<"$(readelf -l "$ct/build/t_alpha")" && ft_fail "t_alpha is not static"
	(cd "$ct" && ft_settle && cd build && ft run -q -- ctest >/dev/null 2>&1) || ft_fail "ftrace run -- ctest"
	for t in alpha beta gamma; do
		assert_eq 0 "$(cd "$ct" && ft_untraced $t)" "ctest test $t: traced"
	done
	ft_change $ct/data/beta.txt
	assert_set "beta" "$(cd $ct/build && ft affected)" "a static ctest test's data file"
	ft_revert $ct/data/beta.txt
fi

# the ptrace back end off: untraced again, hence always selected
FTRACE_PTRACE=0 ft_record 0 --name off -- sh -c './prog-static'
assert_eq 1 "$(ft_untraced off)" "FTRACE_PTRACE=0: untraced"
