#!/usr/bin/env bash
# Issue 24: a test that saw build/report.json missing, while a later test
# of the same session created it, was stored as having seen it exist.  The
# next `affected` (no change at all) left it out, and in a full run it
# fails.  A state changed during the run is unknown: the test is selected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"

ft_pytest_fixture pytest-seenabsent
record
[ -e build/report.json ] || ft_fail "the fixture's second test wrote no report"
assert_set "tests/test_report.py::test_a_sees_no_report" "$(affected)" "no change after the run"
# and it really fails now: the selection was needed
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_report.py::test_a_sees_no_report >/dev/null 2>&1; then
	ft_fail "the test passes again: the scenario does not show the miss"
fi
