#!/usr/bin/env bash
# A test runs tools/greet.sh in a subprocess, and the script reads
# tools/greeting.txt: changing that file selects the test that ran the script,
# and no other (the child was attributed to the test, not to the session).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
echo 'Good morning' >tools/greeting.txt
assert_set "tests/tools/test_greet.py::test_greet" "$(affected)" "tools/greeting.txt changed"
revert tools/greeting.txt
assert_set "" "$(affected)" "tools/greeting.txt reverted"
chmod -x tools/greet.sh
assert_set "tests/tools/test_greet.py::test_greet" "$(affected)" "tools/greet.sh no longer executable"
