#!/usr/bin/env bash
# t8000-runner-ctest.sh - `ftrace run -- ctest`: one test per ctest test,
# attributed by process tree (docs/runners.md): the child of ctest whose argv
# is a test's command from `ctest --show-only=json-v1` is that test.  The
# exact selected set for a change of one test's source, of a shared source,
# of a data file, for no change, a failed test and a new add_test; then
# `ftrace affected --format ctest` fed back to ctest runs exactly those.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
TOP=$PWD
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"

# record STATUS: settle the whole tree, then `ftrace run -- ctest` in build/
record() {
	(cd "$TOP" && ft_settle)
	local rc=0
	(cd "$TOP/build" && "$FTRACE_BIN" run -- ctest) >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || ft_fail "ftrace run -- ctest exited $rc, expected $1: $(cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err")"
}
# affected_is "ids" WHAT (from build/, where ctest runs)
affected_is() { (cd "$TOP/build" && ft_affected_is "$1" "$2"); }
rebuild() { cmake --build "$TOP/build" >/dev/null || ft_fail "rebuild failed"; }
# ran_by_ctest "ids" WHAT: ctest -R "$(ftrace affected --format ctest)" runs exactly ids
ran_by_ctest() {
	local re rc=0
	re=$(cd "$TOP/build" && "$FTRACE_BIN" affected --format ctest) || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "$2: affected --format ctest exited $rc"
	if [ -z "$1" ]; then
		assert_eq "" "$re" "$2: --format ctest prints nothing for an empty set"
		return
	fi
	assert_eq 1 "$(printf '%s\n' "$re" | wc -l)" "$2: one regex line"
	assert_set "$1" "$(cd "$TOP/build" && ctest -R "$re" 2>&1 |
		sed -n 's/^ *[0-9]*\/[0-9]* Test *#[0-9]*: \([^ ]*\) .*/\1/p')" "$2: tests ctest ran"
}

record 0
grep -q "recorded 3 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 3 tests: $(cat "$FT_SCRATCH/run.err")"
affected_is "" "right after recording"
# from the source directory ctest lists nothing: new tests cannot be
# found there, which is "cannot tell" (2), never an empty set
assert_status 2 ft affected --format ctest
ran_by_ctest "" "no change"
[ "$(cd build && ft affected --format ctest)" = "" ] || ft_fail "no change: --format ctest not empty"

# a source of one test: its binary changes, only it is selected
cp src/t_gamma.c "$FT_SCRATCH/t_gamma.c"
printf 'int gamma_extra = 42;\n' >> src/t_gamma.c
rebuild
affected_is "gamma" "src/t_gamma.c changed"
ran_by_ctest "gamma" "src/t_gamma.c changed"
cp "$FT_SCRATCH/t_gamma.c" src/t_gamma.c
rebuild
affected_is "" "src/t_gamma.c reverted"

# the shared library source: both tests linked with it
cp src/shared.c "$FT_SCRATCH/shared.c"
printf 'int shared_extra = 42;\n' >> src/shared.c
rebuild
affected_is "alpha beta" "src/shared.c changed"
ran_by_ctest "alpha beta" "src/shared.c changed"
cp "$FT_SCRATCH/shared.c" src/shared.c
rebuild
affected_is "" "src/shared.c reverted"

# a data file read by one test only
ft_change data/beta.txt
affected_is "beta" "data/beta.txt changed"
ran_by_ctest "beta" "data/beta.txt changed"
ft_revert data/beta.txt
affected_is "" "data/beta.txt reverted"

# a failing test: its outcome comes from ctest's LastTestsFailed.log; the
# others passed and are not selected again
cp data/gamma.txt "$FT_SCRATCH/gamma.txt"
echo bad > data/gamma.txt
record 8
affected_is "gamma" "gamma failed last time"
cp "$FT_SCRATCH/gamma.txt" data/gamma.txt
record 0
affected_is "" "gamma passes again"

# a new test: new tests are those ctest lists and the database lacks.
# CTestTestfile.cmake is read by ctest before any test, so regenerating it
# selects every test too (the prelude: sound, not precise; docs/runners.md).
printf 'add_test(NAME "delta.x" COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/alpha.txt)\n' >> CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
out=$(cd build && ft affected --format ctest)
assert_eq '^(alpha|beta|delta\.x|gamma)$' "$out" "new test delta.x: regex escaped and selected"
ran_by_ctest "alpha beta delta.x gamma" "new test"
# the default formats name new tests too, from anywhere: ctest is asked
# where the recording asked it (build/), not where affected runs
ft_affected_is "alpha beta delta.x gamma" "new test, lines format from the source directory"
assert_eq 'alpha beta delta.x gamma' "$(ft affected --format null | tr '\0' ' ' | sed 's/ $//')" \
	"new test, null format"
grep -q '"id":"delta.x"' <<<"$(ft affected --format json)" || ft_fail "new test missing from the json format"
record 0
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
affected_is "" "after recording the new test"
ft_change data/alpha.txt
affected_is "alpha delta.x" "data/alpha.txt read by alpha and delta.x"
ft_revert data/alpha.txt

# two tests with one command cannot be told apart: neither is recorded,
# both stay new (always selected), and nothing else is lost
printf 'add_test(NAME twin COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/alpha.txt)\n' >> CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
record 0
ran_by_ctest "delta.x twin" "twins"


# `ftrace run --name all -- ctest`: everything is the test "all"; no ctest
# test may be stored without its records (it would depend on nothing)
git checkout -q CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
rm -rf .ftrace
(cd "$TOP" && ft_settle)
(cd build && ft run -q --name all -- ctest >/dev/null 2>&1) || ft_fail "ftrace run --name all -- ctest failed"
ft_change data/beta.txt
affected_is "all" "with --name, the whole ctest run is one test"
# ...and alpha, beta, gamma were not recorded on their own: ctest lists
# them, the database lacks them, so they are new
assert_eq '^(all|alpha|beta|gamma)$' "$(cd build && ft affected --format ctest)" \
	"ctest tests not recorded under --name are new"
