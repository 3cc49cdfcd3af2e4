#!/usr/bin/env bash
# t8001-runner-ctest-test.sh - `ftrace test -- ctest`: with no recording
# everything runs and is recorded; then only the affected tests run (ctest
# -R in ctest's own syntax), new add_tests run, nothing runs when nothing
# is affected, and the exit status is ctest's.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
TOP=$PWD
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"

# ftest STATUS "ran": ftrace test -- ctest in build/ exits STATUS and ctest ran exactly "ran"
ftest() {
	local rc=0 ran
	(cd "$TOP" && ft_settle)
	(cd "$TOP/build" && "$FTRACE_BIN" test -- ctest) >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$1" ] || ft_fail "ftrace test -- ctest exited $rc, expected $1: $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
	ran=$(sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) .*/\1/p' "$FT_SCRATCH/out")
	assert_set "$2" "$ran" "$3: tests ctest ran"
}

ftest 0 "alpha beta gamma" "no recording"
grep -q "running all tests" "$FT_SCRATCH/err" || grep -q "cannot tell" "$FT_SCRATCH/err" ||
	ft_fail "no recording: no reason given: $(cat "$FT_SCRATCH/err")"
ftest 0 "" "nothing changed"
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said: $(cat "$FT_SCRATCH/err")"

ft_change data/beta.txt
ftest 0 "beta" "data/beta.txt changed"
ftest 0 "" "beta recorded again"

# a failing test: ctest's status passes through, and it runs again
cp data/gamma.txt "$FT_SCRATCH/gamma.txt"
echo bad > data/gamma.txt
ftest 8 "gamma" "gamma broken"
ftest 8 "gamma" "gamma failed last time"
cp "$FT_SCRATCH/gamma.txt" data/gamma.txt
ftest 0 "gamma" "gamma fixed"
ftest 0 "" "all passed"

# a new test runs although nothing recorded it (CTestTestfile.cmake is in
# every test's prelude, so the others run too: docs/runners.md)
printf 'add_test(NAME delta COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/alpha.txt)\n' >> CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
ftest 0 "alpha beta delta gamma" "new test delta"
ftest 0 "" "delta recorded"

# that run was narrowed (-R '^(alpha|beta|delta|gamma)$') and holds every
# test now; a test added later is still found by the default format: the
# run's entry keeps ctest's own arguments, not the narrowing's -R, which
# listed only the tests it ran (runners/ft_runner_meta.h)
printf 'add_test(NAME epsilon COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/alpha.txt)\n' >> CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
out=$(cd build && "$FTRACE_BIN" affected) || ft_fail "affected after the narrowed run failed"
grep -qx epsilon <<<"$out" || ft_fail "a test added after a narrowed run is not selected: $out"
ftest 0 "alpha beta delta epsilon gamma" "new test epsilon"

# a command that chooses its own tests runs as given
(cd build && ft test -- ctest -R alpha) >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || ft_fail "ctest -R alpha failed"
grep -q "chooses its own tests" "$FT_SCRATCH/err" || ft_fail "-R: no reason given: $(cat "$FT_SCRATCH/err")"
