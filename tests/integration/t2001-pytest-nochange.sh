#!/usr/bin/env bash
# A pytest suite recorded once and not changed selects nothing, and recording
# adds nothing to pytest's stdout.  Recording again (now with valid .pyc files,
# so Python only stats the sources) still selects nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

record
assert_set "" "$(affected)" "no change after the first recording"
record
assert_set "" "$(affected)" "no change after a second recording (.pyc files valid)"
