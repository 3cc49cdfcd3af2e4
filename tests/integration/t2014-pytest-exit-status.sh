#!/usr/bin/env bash
# `ftrace run` returns pytest's own exit status: 1 when a test fails, 5 when
# no test was collected, 2 on a collection error; and a failing run still
# records the tests it ran.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

rc=0
ft run -- "$FT_PYTHON" -m pytest -q -k no_such_test >/dev/null 2>&1 || rc=$?
[ $rc -eq 5 ] || ft_fail "pytest with no test selected: ftrace run exited $rc, expected 5"

record
printf 'import calc.no_such_module\n' >tests/test_broken.py
settle tests/test_broken.py
rc=0
ft run -- "$FT_PYTHON" -m pytest -q >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || ft_fail "collection error: ftrace run exited $rc, expected 2"
rm tests/test_broken.py
settle tests

printf '\n\ndef test_fails():\n    assert False\n' >>tests/test_plugins.py
settle tests/test_plugins.py
rc=0
ft run -- "$FT_PYTHON" -m pytest -q >/dev/null 2>&1 || rc=$?
[ $rc -eq 1 ] || ft_fail "failing test: ftrace run exited $rc, expected 1"
assert_set "tests/test_plugins.py::test_fails" "$(affected)" "the failed test only"
