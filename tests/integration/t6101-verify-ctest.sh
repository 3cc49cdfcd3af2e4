#!/usr/bin/env bash
# `ftrace verify -- ctest`: the three cases of t6100 with another runner.
# fixtures/ctest-basic plus a test `remote` that reads a file through an
# HTTP server started outside ftrace (lib-verify.sh), so that ftrace is
# blind to it.  Nothing changed: 0.  A data file of a test broken: ctest's
# own 8, a plain failure.  The served file changed: 99, `remote` named.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
VERIFY_TOP=$PWD
mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
cat >>CMakeLists.txt <<CMAKE
add_test(NAME remote COMMAND "$FT_PYTHON" -c
	"import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:$BLIND_PORT/flag', timeout=30).read() != b'ok\\\\n')")
CMAKE
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
(cd build && ctest >/dev/null) || ft_fail "the suite does not pass before ftrace"
cd build

# 0. No recording: everything runs and is recorded; no verdict: 2.
fverify 2 ctest
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
fverify 0 ctest
verify_counts "4 known, 0 selected, 4 run, 0 failed, 0 escapes$"

# 2. A selected test broken: ctest's 8, no escape.
cp ../data/gamma.txt "$FT_SCRATCH/gamma.txt"
echo bad >../data/gamma.txt
fverify 8 ctest
verify_counts "4 known, 1 selected, 4 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): gamma" "$FT_SCRATCH/verify.err" ||
	ft_fail "gamma is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
cp "$FT_SCRATCH/gamma.txt" ../data/gamma.txt
fverify 0 ctest

# 3. The blind dependency: an escape, 99, named.
echo broken >"$FT_SCRATCH/served/flag"
fverify 99 ctest
verify_counts "4 known, 0 selected, 4 run, 1 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test 'remote' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "no recorded dependency changed: ftrace did not see what this test read" "$FT_SCRATCH/verify.err" ||
	ft_fail "the escape does not say no dependency changed: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "remote" "$(report_get 'r["escapes"][0]["id"]')" "report: the escape"
