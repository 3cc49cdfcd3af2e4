#!/usr/bin/env bash
# t9051-pyfunc-fork.sh - code run in a forked process (docs/python-functions.md,
# "Forked processes").  A multiprocessing "fork" pool (ProcessPoolExecutor's
# default on Linux) runs project code already loaded: the child reads no
# file, and the function recorder notes its calls in the child's memory.
# At function granularity an edit of `calc.double`, which only the child of
# test_double_in_child ran, selected nothing, and the test failed in a full
# run (a probe).  Now a test during which the process forks is kept whole
# (file granularity), and a fork outside any test (a session fixture's
# pool, which serves the tests later) records the session by file.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-fork
ft_clock_past_ctime

F=tests/test_fork.py
record() {
	ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" ||
		ft_fail "the recording failed: $(cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err")"
}
edit() { # edit FUNC: its body returns one more
	sed -i "/^def $1(/,/return/ s/return \(.*\)\$/return \1 + 1/" pkg/calc.py
	grep -q "+ 1" pkg/calc.py || ft_fail "could not edit $1"
	ft_clock_past_ctime
}
revert() { git checkout -q pkg/calc.py; ft_clock_past_ctime; }

# a fork inside a test: that test whole, the others narrowed
record $F
assert_set "" "$(ft affected --format ids)" "nothing changed"
edit double
assert_set "$F::test_double_in_child" "$(ft affected --format ids)" "double, run only in the forked child"
revert
edit triple
assert_set "$F::test_double_in_child $F::test_triple" "$(ft affected --format ids)" "triple: its test, and the whole one"
revert
edit quad
assert_set "$F::test_double_in_child" "$(ft affected --format ids)" "quad, which no test runs: only the whole test"
grep -q "a test during which the process forked" <<<"$(ft affected --explain)" ||
	ft_fail "--explain does not say why the forking test is whole: $(ft affected --explain)"
revert

# a fork outside any test: the session by file
rm -rf .ftrace
record tests/test_server.py
assert_set "" "$(ft affected --format ids)" "nothing changed (server)"
edit quad
assert_set "tests/test_server.py::test_quad_by_server" "$(ft affected --format ids)" "quad, run only by the session's forked pool"
grep -q "recording of the test's session was incomplete" <<<"$(ft affected --explain)" ||
	ft_fail "not for the session's incomplete recording: $(ft affected --explain)"
revert
