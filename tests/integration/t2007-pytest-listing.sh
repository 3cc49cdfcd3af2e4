#!/usr/bin/env bash
# calc.plugins.discover() lists plugins/: a file added there selects the test
# that listed the directory, and only it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
echo 'gamma: the third extension' >plugins/gamma.txt
assert_set "tests/test_plugins.py::test_discover" "$(affected)" "plugins/gamma.txt added"
rm plugins/gamma.txt
assert_set "" "$(affected)" "plugins/gamma.txt removed again"
