#!/usr/bin/env bash
# t8005-runner-ctest-removed-test.sh - a ctest test removed from the build
# (docs/selection.md, "Tests that are gone").  Its recording stays in the
# database, and its files differ from it (CTestTestfile.cmake at least),
# so it was selected by every `ftrace affected` from then on, also right
# after a full recording, and `ctest -R '^(gamma)$'` then ran nothing.
# ctest lists every test it has: a recorded ctest test it lists nowhere
# cannot run, and is left out, with a note on stderr.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
printf 'build/\n.ftrace/\n' >.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm base
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
cd build
ft_record 0 -- ctest
ft_affected_is "" "recorded"

# gamma's add_test goes: ctest no longer lists it
ft_edit ../CMakeLists.txt 'foreach(t alpha beta gamma)' 'add_executable(t_gamma src/t_gamma.c)
foreach(t alpha beta)'
cmake -S .. -B . >/dev/null || ft_fail "cmake reconfigure failed"
ft_affected_is "alpha beta" "gamma removed (CTestTestfile.cmake changed for the others)"
grep -q "left out 1 recorded ctest test that ctest does not list (removed from the build): gamma" \
	"$FT_SCRATCH/affected.stderr" ||
	ft_fail "affected should say that it left gamma out: $(cat "$FT_SCRATCH/affected.stderr")"
out=$("$FTRACE_BIN" affected --format ctest 2>"$FT_SCRATCH/fmt.err") || ft_fail "--format ctest failed"
[ "$out" = '^(alpha|beta)$' ] || ft_fail "--format ctest: got '$out'"
ft_record 0 -- ctest
ft_affected_is "" "recorded again without gamma"
"$FTRACE_BIN" test -- ctest >"$FT_SCRATCH/test.out" 2>&1 || ft_fail "ftrace test failed: $(cat "$FT_SCRATCH/test.out")"
grep -q "nothing affected" "$FT_SCRATCH/test.out" ||
	ft_fail "ftrace test should run nothing: $(cat "$FT_SCRATCH/test.out")"

# gamma back: listed again.  Its first recording holds again (every file
# it read, CTestTestfile.cmake included, is as it was then); the others
# were recorded without gamma.
ft_back ../CMakeLists.txt
cmake -S .. -B . >/dev/null || ft_fail "cmake reconfigure failed"
ft_affected_is "alpha beta" "gamma back as it was"
ft_record 0 -- ctest
ft_affected_is "" "recorded with gamma"
ft_change ../data/gamma.txt
ft_affected_is "gamma" "gamma's data"
ft_revert ../data/gamma.txt

