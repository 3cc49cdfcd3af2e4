#!/usr/bin/env bash
# t9800-oracle-pytest.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/pytest-basic: after each real change, the whole suite runs with
# pytest's per-test report (-rA), and every test whose outcome changed, or
# that fails, must be in `ftrace affected`.  Issue 24: a new user found a
# dozen silent too-small selections in an afternoon (a data file behind a
# symlink, a mode bit, a path seen absent); the hand-written exact sets
# never asked the runner what really broke.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "pytest not installed"

ft_fixture pytest-basic

oracle_suite() { oracle_pytest_suite; }

ft_record 0 -- "$FT_PYTHON" -m pytest -p no:cacheprovider
oracle_baseline

oracle_scenario "a source one test module imports" \
	'ft_edit calc/fmt.py "return" "return \"x\" +"' 'ft_back calc/fmt.py'
oracle_scenario "a data file" \
	'printf "name,qty\nx,9\n" > tests/data/table.csv' 'ft_back tests/data/table.csv'
oracle_scenario "a subprocess reads its input" \
	'echo Bye > tools/greeting.txt' 'ft_back tools/greeting.txt'
oracle_scenario "a file that a test probed, created" \
	'printf "precision = 7\n" > conf/calc.toml' 'rm conf/calc.toml'
oracle_scenario "a file a listing showed, deleted" \
	'rm plugins/beta.txt' 'ft_back plugins/beta.txt'
oracle_scenario "a script loses its x bit" \
	'chmod a-x tools/greet.sh' 'chmod a+x tools/greet.sh'
oracle_scenario "the pytest config" \
	'ft_edit pytest.ini "pythonpath = ." "pythonpath = .
usefixtures = no_such_fixture"' 'ft_back pytest.ini'
oracle_scenario "a constant every importer sees" \
	'ft_edit calc/constants.py "2" "3"' 'ft_back calc/constants.py'
oracle_scenario "a new failing test file" \
	'printf "def test_new():\n    assert False\n" > tests/test_new.py' 'rm tests/test_new.py'

# the oracle itself: a selection that leaves out the broken test is caught
if (oracle_selected() { :; }
    oracle_scenario "a selection that misses" 'echo Bye > tools/greeting.txt' 'true') \
	2>"$FT_SCRATCH/control.err"; then
	ft_fail "the oracle accepted an empty selection for a broken test"
fi
grep -q "tools/test_greet.py::test_greet: pass -> fail" "$FT_SCRATCH/control.err" ||
	ft_fail "the oracle's report does not name the missed test: $(cat "$FT_SCRATCH/control.err")"
ft_back tools/greeting.txt
oracle_finish
