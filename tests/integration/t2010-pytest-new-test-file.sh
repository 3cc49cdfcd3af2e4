#!/usr/bin/env bash
# A new test file is selected by its path, as pytest accepts it on the command
# line, and it selects nothing else: adding a file to tests/ is not a change
# for the tests that listed tests/ during collection.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf 'def test_new():\n    assert True\n' >tests/test_new.py
assert_set "tests/test_new.py" "$(affected)" "tests/test_new.py added"
printf 'def test_newer():\n    assert True\n' >tests/tools/test_newer.py
assert_set "tests/test_new.py tests/tools/test_newer.py" "$(affected)" "a second new test file in a subdirectory"
