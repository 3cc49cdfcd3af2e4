#!/usr/bin/env bash
# A partial run (pytest tests/test_arith.py) re-records only the tests it ran
# and forgets no other: after calc/arith.py changes, rerunning test_arith
# leaves test_table (which saw the old calc/arith.py) selected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf '\n\ndef sub(a, b):\n    return a - b\n' >>calc/arith.py
settle calc/arith.py
assert_set "$ARITH $TABLE" "$(affected)" "calc/arith.py edited"
record tests/test_arith.py
assert_set "$TABLE" "$(affected)" "after re-running tests/test_arith.py only"
record tests/test_table.py
assert_set "" "$(affected)" "after re-running tests/test_table.py too"
# Tests of the first full recording that no partial run touched are still known.
echo 'Good morning' >tools/greeting.txt
assert_set "tests/tools/test_greet.py::test_greet" "$(affected)" "a test only the first recording ran"
