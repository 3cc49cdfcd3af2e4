#!/usr/bin/env bash
# t8003-runner-ctest-late-ingest.sh - a run that `ftrace test` narrowed
# (`ctest -R '^(a|b)$'`) and whose save failed (the database locked) is
# saved later by `ftrace ingest`: run.info carries the words the
# narrowing put in (common/ft_runinfo.h), so the run's runner entry leaves
# them out as `ftrace run`'s own save does (runners/ft_runner_meta.h).
# Before, the late save kept the -R; once that run held every test, the
# default format asked `ctest --show-only -R '^(...)$'` for new tests, and
# a test added later was never selected.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"
command -v sqlite3 >/dev/null || ft_skip "sqlite3 CLI not installed"

ft_fixture ctest-basic
printf 'build/\n.ftrace/\n' >.gitignore
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
(cd build && ft_record 0 -- ctest)

# delta is new and the others' CTestTestfile.cmake changed: `ftrace test`
# runs all four by name, and its save finds the database locked
printf 'add_test(NAME delta COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/beta.txt)\n' >>CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
ft_db_lock .ftrace/ftrace.db
ft_settle
rc=0
(cd build && FTRACE_LOCK_TIMEOUT=0.1 "$FTRACE_BIN" test -- ctest) >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
ft_db_unlock
[ "$rc" -ne 0 ] || ft_fail "a run whose save found the database locked exited 0: $(cat "$FT_SCRATCH/err")"
grep -q "ftrace ingest" "$FT_SCRATCH/err" || ft_fail "the failed save should name ftrace ingest: $(cat "$FT_SCRATCH/err")"
for t in alpha beta gamma delta; do
	grep -q "Test *#[0-9]*: $t " "$FT_SCRATCH/out" || ft_fail "the narrowed run should run $t: $(cat "$FT_SCRATCH/out")"
done
assert_status 0 "$FTRACE_BIN" ingest -q
(cd build && ft_affected_is "" "nothing changed after the late save")

# a test added now is found by asking ctest with the run's own arguments
printf 'add_test(NAME epsilon COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/alpha.txt)\n' >>CMakeLists.txt
cmake -S . -B build >/dev/null || ft_fail "cmake reconfigure failed"
out=$("$FTRACE_BIN" affected 2>&1) || ft_fail "affected after the late save: $out"
grep -qx epsilon <<<"$out" || ft_fail "a test added after a narrowed run saved by ftrace ingest is not selected: $out"
