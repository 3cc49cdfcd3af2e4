#!/usr/bin/env bash
# A data file read by one test (tests/data/table.csv, read by test_table_sum)
# selects that test only.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_set "tests/test_table.py::test_table_sum" "$(affected)" "tests/data/table.csv changed"
revert tests/data/table.csv
assert_set "" "$(affected)" "tests/data/table.csv reverted"
