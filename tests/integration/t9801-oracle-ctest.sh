#!/usr/bin/env bash
# t9801-oracle-ctest.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/ctest-basic: after each real change (and the rebuild a developer
# makes before asking), the whole suite runs with ctest's JUnit report
# (--output-junit), and every test that fails or changed outcome must be in
# `ftrace affected` (run in build/, where ctest runs).  Issue 24: selections
# were checked only against sets worked out by hand.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
TOP=$PWD
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
rebuild() { cmake --build "$TOP/build" >/dev/null 2>&1 || ft_fail "rebuild failed"; }

oracle_suite() {
	rm -f "$TOP/build/oracle.xml"
	(cd "$TOP/build" && ctest --output-junit oracle.xml >/dev/null 2>&1) || true
	oracle_junit "$TOP/build/oracle.xml"
}
oracle_selected() { (cd "$TOP/build" && "$FTRACE_BIN" affected); }

ft_settle
(cd build && "$FTRACE_BIN" run -- ctest) >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "ftrace run -- ctest: $(cat "$FT_SCRATCH/run.out")"
oracle_baseline

oracle_scenario "a data file one test reads" \
	'echo bad > data/gamma.txt' 'ft_back data/gamma.txt'
oracle_scenario "a file a test opens, deleted" \
	'rm data/beta.txt' 'ft_back data/beta.txt'
oracle_scenario "a source of one test, rebuilt" \
	'cp src/t_gamma.c "$FT_SCRATCH/t_gamma.c"; sed -i "s/? 0 : 1;/? 1 : 0;/" src/t_gamma.c; rebuild' \
	'cp "$FT_SCRATCH/t_gamma.c" src/t_gamma.c; rebuild'
oracle_scenario "the shared library, rebuilt" \
	'cp src/shared.c "$FT_SCRATCH/shared.c"; sed -i "s/? 0 : 1;/? 1 : 0;/" src/shared.c; rebuild' \
	'cp "$FT_SCRATCH/shared.c" src/shared.c; rebuild'
oracle_scenario "a test program loses its x bit" \
	'chmod a-x build/t_alpha' 'chmod a+x build/t_alpha'
oracle_scenario "a new failing test in the CMake config" \
	'cp CMakeLists.txt "$FT_SCRATCH/CMakeLists.txt"; echo "add_test(NAME delta COMMAND false)" >> CMakeLists.txt; rebuild' \
	'cp "$FT_SCRATCH/CMakeLists.txt" CMakeLists.txt; rebuild'
oracle_finish
