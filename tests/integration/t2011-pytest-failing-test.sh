#!/usr/bin/env bash
# A test that failed stays selected until a recording sees it pass, even with
# nothing changed; and `ftrace run` exits with pytest's status (1).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
sed -i 's/== 5$/== 6/' tests/test_arith.py
settle tests/test_arith.py
rc=0
ft run -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/fail.out" 2>"$FT_SCRATCH/fail.err" || rc=$?
[ $rc -eq 1 ] || ft_fail "ftrace run over a failing pytest exited $rc, expected pytest's 1"
grep -q '^FAILED tests/test_arith.py::test_add' "$FT_SCRATCH/fail.out" ||
	ft_fail "pytest's failure report is missing from stdout"
assert_set "tests/test_arith.py::test_add" "$(affected)" "failed test, nothing changed since"
assert_set "tests/test_arith.py::test_add" "$(affected)" "still selected when asked again"
revert tests/test_arith.py
record
assert_set "" "$(affected)" "the test passed in the last recording"
