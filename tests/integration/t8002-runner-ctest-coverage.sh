#!/usr/bin/env bash
# t8002-runner-ctest-coverage.sh - ctest over a build instrumented for
# coverage (ingest/ft_collect.c, is_profile_merge; docs/runners.md,
# "Coverage builds").  As each test program exits, gcov's runtime opens
# every object's .gcda read-write, adds the counts there to its own and
# writes the sum back (LLVM's runtime does the same with a .profraw when
# LLVM_PROFILE_FILE holds %m).  Counted as a read, each was read and then
# rewritten in the run: unknown, and every instrumented test was selected
# after every recording.  The merge is left out; a test that reads the
# counts itself (read-only, as gcov does) still finds them changed in the
# run, unknown; an edit of a source selects the tests that ran it.
. "$(dirname "$0")/lib.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v gcc >/dev/null || ft_skip "no gcc"

ft_fixture ctest-basic
TOP=$PWD
# a test that reads alpha's counts as data (the way gcov or a coverage
# check would)
cat >>CMakeLists.txt <<'CM'
add_test(NAME counts COMMAND sh -c "cat \"$1\" >/dev/null 2>&1; exit 0" sh
	${CMAKE_CURRENT_BINARY_DIR}/CMakeFiles/t_alpha.dir/src/t_alpha.c.gcda)
set_tests_properties(counts PROPERTIES DEPENDS alpha)
CM
printf 'build*/\n*.profraw\n' >.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm counts

# settle_src: ft_settle but the build trees (their objects must stay newer
# than the system headers: gcc --coverage stamps each object it compiles,
# so a needless rebuild would change every program)
settle_src() {
	(cd "$TOP" && find . \( -path ./.git -o -path ./.ftrace -o -path './build*' \) -prune -o \
		-newermt '2020-01-01 00:00:01' -exec touch -h -d '2020-01-01 00:00:00' {} + &&
		ft_clock_past_ctime)
}
# run_in DIR: `ftrace run -- ctest` there (settled first), which must pass
run_in() {
	settle_src
	(cd "$TOP/$1" && "$FTRACE_BIN" run -- ctest -j1) >"$FT_SCRATCH/run.out" 2>&1 ||
		ft_fail "ftrace run -- ctest in $1 failed: $(cat "$FT_SCRATCH/run.out")"
}
affected_in() { (cd "$TOP/$1" && "$FTRACE_BIN" affected --format ids); }

CC=gcc cmake -S . -B build -DCMAKE_C_FLAGS=--coverage >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
for i in 1 2 3; do
	run_in build
	ls build/CMakeFiles/t_alpha.dir/src/t_alpha.c.gcda >/dev/null 2>&1 || ft_fail "no .gcda written"
	assert_set "counts" "$(affected_in build)" "gcov build, recording $i: only the reader of the counts"
done
sed -i 's/char line\[64\]/char line[65]/' src/shared.c
cmake --build build >/dev/null || ft_fail "rebuild failed"
settle_src
assert_set "alpha beta counts" "$(affected_in build)" "shared.c edited"
git checkout -q src/shared.c
cmake --build build >/dev/null || ft_fail "rebuild failed"

# LLVM's runtime in its merging mode
if command -v clang >/dev/null; then
	rm -rf .ftrace
	CC=clang cmake -S . -B build-llvm \
		-DCMAKE_C_FLAGS="-fprofile-instr-generate -fcoverage-mapping" >/dev/null ||
		ft_fail "cmake configure (clang) failed"
	cmake --build build-llvm >/dev/null || ft_fail "build (clang) failed"
	export LLVM_PROFILE_FILE=$TOP/build-llvm/prof-%m.profraw
	for i in 1 2; do
		run_in build-llvm
		ls build-llvm/prof-*.profraw >/dev/null 2>&1 || ft_fail "no .profraw written"
		# (counts reads a .gcda this build does not make: seen absent)
		assert_set "" "$(affected_in build-llvm)" "LLVM %m profiles, recording $i"
	done
	printf 'okay\n' >data/gamma.txt
	settle_src
	assert_set "gamma" "$(affected_in build-llvm)" "gamma's data edited"
fi
