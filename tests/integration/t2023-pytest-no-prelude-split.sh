#!/usr/bin/env bash
# `ftrace run --no-prelude-split`: every test depends on the whole session
# prelude.  The split by import closure (t2003: editing calc/plugins.py
# selects only test_plugins) misses a module whose import changes state
# another test module sees without importing it; users who want the sound
# choice take this flag, and an edit of any module imported during
# collection then selects every test.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

out=$(ft run --no-prelude-split -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") ||
	ft_fail "ftrace run --no-prelude-split failed: $out $(cat "$FT_SCRATCH/run.err")"
check_quiet "$out"
assert_set "" "$(affected)" "no change"
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$ALL" "$(affected)" "calc/plugins.py edited: every test, not only $PLUGINS"
revert calc/plugins.py
assert_set "" "$(affected)" "calc/plugins.py reverted"
# A data file read by one test still selects only that test.
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_set "tests/test_table.py::test_table_sum" "$(affected)" "data file of one test"
