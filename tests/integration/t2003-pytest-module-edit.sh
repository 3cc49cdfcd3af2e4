#!/usr/bin/env bash
# Editing a package module selects exactly the tests of the test modules whose
# import closure holds it (calc/plugins.py: tests/test_plugins.py only), and
# reverting the edit selects nothing.  Then the same after a second recording:
# with a valid .pyc Python only stats calc/plugins.py, which must not hide the
# edit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$PLUGINS" "$(affected)" "calc/plugins.py edited"
revert calc/plugins.py
assert_set "" "$(affected)" "calc/plugins.py reverted"

record
assert_set "" "$(affected)" "second recording, no change"
printf '\n\ndef version():\n    return 3\n' >>calc/plugins.py
assert_set "$PLUGINS" "$(affected)" "calc/plugins.py edited after a recording with valid .pyc files"

# A module shared by two test modules: calc/arith.py is imported by
# test_arith directly and by test_table through calc.table.
revert calc/plugins.py
printf '\n\ndef sub(a, b):\n    return a - b\n' >>calc/arith.py
assert_set "$ARITH $TABLE" "$(affected)" "calc/arith.py edited"
