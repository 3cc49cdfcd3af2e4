#!/usr/bin/env bash
# A conftest.py applies to every test below its directory: editing
# tests/tools/conftest.py selects the tests under tests/tools/, editing
# tests/conftest.py selects every test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf '\n\nGREETING_SCRIPT = "greet.sh"\n' >>tests/tools/conftest.py
assert_set "$GREET" "$(affected)" "tests/tools/conftest.py edited"
revert tests/tools/conftest.py
assert_set "" "$(affected)" "tests/tools/conftest.py reverted"
printf '\n\nSLOW = False\n' >>tests/conftest.py
assert_set "$ALL" "$(affected)" "tests/conftest.py edited"
