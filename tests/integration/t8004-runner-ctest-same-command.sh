#!/usr/bin/env bash
# t8004-runner-ctest-same-command.sh - ctest tests that run the same
# command (docs/runners.md, "ctest").  A process is named as a test by its
# argv; two tests with one argv are told apart by the working directory
# each runs in (WORKING_DIRECTORY, which ctest lists for every test).
# A script under two names (symlinks) is told apart by the name ctest
# started it by.  Before, such tests were never recorded: each stayed "new", always
# selected, though each ran in its own directory.  Tests that nothing
# tells apart (the same command in the same directory: another
# ENVIRONMENT, or one test registered twice) are stored untraced, always
# selected, and the run says so: neither is recorded, and a recording of
# either from a run where its command was its own is forgotten, so both
# are new until ctest no longer lists them.  Before, that old recording
# went on answering for it (selected only because CTestTestfile.cmake, in
# it, had changed since).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
printf 'build/\n.ftrace/\n' >.gitignore
ln -s alpha.txt data/link.txt
mkdir data/one data/two
echo one >data/one/rel.txt
echo one >data/two/rel.txt
# one script under two names, as json-c's tests are: each name reads its own file
printf '#!/bin/sh\nexec cat "${0%%.sh}.txt"\n' >data/check.sh
chmod +x data/check.sh
ln -s check.sh data/check_a.sh
ln -s check.sh data/check_b.sh
echo a >data/check_a.txt
echo b >data/check_b.txt
printf 'add_test(NAME delta COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/link.txt)\n' >>CMakeLists.txt
git add -A && git -c user.email=t@t -c user.name=t commit -qm delta
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
cd build
ft_record 0 -- ctest
ft_affected_is "" "delta's command is its own: recorded"

# epsilon runs delta's very command
printf 'add_test(NAME epsilon COMMAND t_gamma ${CMAKE_CURRENT_SOURCE_DIR}/data/link.txt)\n' >>../CMakeLists.txt
cmake -S .. -B . >/dev/null || ft_fail "cmake reconfigure failed"
ft_record 0 -- ctest
grep -q "2 tests could not be told from another test" "$FT_SCRATCH/run.err" ||
	ft_fail "the run should say that two tests cannot be told apart: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "delta epsilon" "two tests with one command: always selected"

# what they read changes; the next recording cannot say which test read it
ln -sfn beta.txt ../data/link.txt
ft_record 0 -- ctest
ft_change ../data/beta.txt
ft_affected_is "beta delta epsilon" "the file delta reads now (not when it was last told apart)"
ft_revert ../data/beta.txt

# one command in two working directories: told apart by the cwd; one
# script by two names: told apart by the name
cat >>../CMakeLists.txt <<'CM'
add_test(NAME zeta COMMAND t_gamma rel.txt WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/data/one)
add_test(NAME eta COMMAND t_gamma rel.txt WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/data/two)
add_test(NAME theta COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/data/check_a.sh)
add_test(NAME iota COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/data/check_b.sh)
CM
cmake -S .. -B . >/dev/null || ft_fail "cmake reconfigure failed"
ft_record 0 -- ctest
grep -q "2 tests could not be told" "$FT_SCRATCH/run.err" ||
	ft_fail "only delta and epsilon cannot be told apart: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "delta epsilon" "zeta and eta recorded, each in its own directory; theta and iota by name"
ft_change ../data/one/rel.txt
ft_affected_is "delta epsilon zeta" "zeta's file"
ft_revert ../data/one/rel.txt
ft_change ../data/two/rel.txt
ft_affected_is "delta epsilon eta" "eta's file"
ft_revert ../data/two/rel.txt
# the same file by two names: told apart by the name ctest started
ft_change ../data/check_a.txt
ft_affected_is "delta epsilon theta" "the file check_a.sh reads"
ft_revert ../data/check_a.txt
ft_change ../data/check.sh
ft_affected_is "delta epsilon theta iota" "the script both names are"
ft_revert ../data/check.sh

# epsilon removed: nothing is left of it, and delta is told apart again
sed -i '/NAME epsilon/d' ../CMakeLists.txt
cmake -S .. -B . >/dev/null || ft_fail "cmake reconfigure failed"
ft_record 0 -- ctest
grep -q "could not be told" "$FT_SCRATCH/run.err" &&
	ft_fail "nothing is left to be told apart: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "epsilon removed: no test left over"
ft_change ../data/beta.txt
ft_affected_is "beta delta" "delta recorded again on its own"
