#!/usr/bin/env bash
# `ftrace test --rerun-flaky N` with ctest: fixtures/ctest-basic plus
# `coin`, whose outcome at its n-th run is the n-th letter of FLAKY_PLAN
# (a counter file in a temp dir outside the repository).  Learned flaky by
# two `ftrace run`s; a `test` that fails by coin alone reruns it alone
# (ctest -R '^(coin)$') and exits 0 when it passes; a rerun that fails
# keeps ctest's own 8.
. "$(dirname "$0")/lib.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
# runs:       0 1 2 3 4 5
export FLAKY_PLAN=PFFPFFPPPP
echo 0 >"$FLAKY_COUNTER"
cat >>CMakeLists.txt <<CMAKE
add_test(NAME coin COMMAND "$FT_PYTHON" -c
	"import os, sys; p = os.environ['FLAKY_COUNTER']; n = int(open(p).read()); open(p, 'w').write(str(n + 1)); sys.exit(os.environ['FLAKY_PLAN'][n] != 'P')")
CMAKE
echo '{}' >.ftrace.json
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
cd build
ft_settle

# ftest WANT_STATUS ARGS...: `ftrace test ARGS -- ctest`, out and err kept
ftest() {
	local want=$1 rc=0; shift
	ft test "$@" -- ctest >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$FT_SCRATCH/test.out" "$FT_SCRATCH/test.err" >&2;
		ft_fail "ftrace test $* exited $rc, expected $want"; }
}
counter() { cat "$FLAKY_COUNTER"; }

# 1. Runs 0 (P) and 1 (F): coin learned flaky.
ft run -- ctest >/dev/null 2>&1 || ft_fail "the first recording failed"
rc=0; ft run -- ctest >/dev/null 2>"$FT_SCRATCH/run.err" || rc=$?
assert_eq 8 "$rc" "run 1 fails"
grep -q "learned 1 flaky test .*: coin;" "$FT_SCRATCH/run.err" || ft_fail "not learned: $(cat "$FT_SCRATCH/run.err")"

# 2. Run 2 fails, the rerun (3) passes: 0, and the rerun ran coin alone.
ftest 0 --rerun-flaky 1
assert_eq 4 "$(counter)" "one run and one rerun"
grep -qx "ftrace: test: coin passed on rerun 1" "$FT_SCRATCH/test.err" ||
	ft_fail "the rerun: $(cat "$FT_SCRATCH/test.err")"
grep -q "100% tests passed, 0 tests failed out of 1$" "$FT_SCRATCH/test.out" ||
	ft_fail "the rerun did not run coin alone: $(cat "$FT_SCRATCH/test.out")"

# 3. Run 4 fails, its rerun 5 too: ctest's 8.
ftest 8 --rerun-flaky 1
assert_eq 6 "$(counter)" "one rerun"
grep -qx "ftrace: test: coin failed 1 rerun too: the status is the run's (8)" "$FT_SCRATCH/test.err" ||
	ft_fail "a failed rerun: $(cat "$FT_SCRATCH/test.err")"
