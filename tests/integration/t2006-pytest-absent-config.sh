#!/usr/bin/env bash
# calc.config.load() reads conf/calc.toml only if it exists.  The test that
# probed the absent file must be selected when the file is created.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
echo 'precision = 4' >conf/calc.toml
assert_set "tests/test_config.py::test_config_default" "$(affected)" "conf/calc.toml created"
rm conf/calc.toml
assert_set "" "$(affected)" "conf/calc.toml removed again"
