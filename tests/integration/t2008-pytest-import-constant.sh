#!/usr/bin/env bash
# calc/constants.py computes PRECISION when it is imported (during collection,
# in the session prelude).  Changing it selects the tests of every test module
# whose imports reach it: test_fmt (calc.fmt) and test_config (calc.config),
# and not the others: pytest-testmon's blind spot.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
sed -i 's/return len(str(10 \*\* 2)) - 1/return len(str(10 ** 3)) - 1/' calc/constants.py
git diff --quiet calc/constants.py && ft_fail "sed did not change calc/constants.py"
assert_set "$FMT $CONFIG" "$(affected)" "import-time constant changed"
