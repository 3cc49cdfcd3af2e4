#!/usr/bin/env bash
# The `pytest` console script (not python -m pytest) is recorded the same way:
# the plugin is injected through PYTHONPATH and PYTEST_PLUGINS either way.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

PYTEST=$(command -v pytest) || ft_skip "no pytest entry point on PATH"
out=$(ft run -- "$PYTEST" -q 2>"$FT_SCRATCH/run.err") || { cat "$FT_SCRATCH/run.err" >&2; ft_fail "ftrace run -- pytest -q failed"; }
check_quiet "$out"
assert_set "" "$(affected)" "no change"
printf '\n\ndef sub(a, b):\n    return a - b\n' >>calc/arith.py
assert_set "$ARITH $TABLE" "$(affected)" "calc/arith.py edited"
