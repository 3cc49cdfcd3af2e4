#!/usr/bin/env bash
# t9054-pytest-lazy-import-data.sh - what a module's body reads while a
# test imports it on demand is every later test's, as the module is
# (fixtures/pytest-lazy-data).  test_a's call of lookup() imports
# pkg.lazy, which loads pkg/table.json into TABLE; test_b reads TABLE
# through the module it finds loaded.  Before, an edit of table.json
# selected test_a only, at both granularities, and test_b failed in a full
# run (a probe, 2026-11-27).  The reads of an import that loads a module
# in a test now go to the prelude (ftrace_pytest._load_begin), so every
# test gets them, and test_c too: the precision given up.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-lazy-data

ALL="tests/test_a.py::test_a tests/test_b.py::test_b tests/test_c.py::test_c"

for gran in function file; do
	rm -rf .ftrace
	ft_clock_past_ctime
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 ||
		ft_fail "the recording failed ($gran): $(cat "$FT_SCRATCH/run.out")"
	assert_set "" "$(ft affected --format ids)" "nothing changed ($gran)"

	ft_edit pkg/table.json '{"x": 1, "y": 2}' '{"x": 1, "y": 3}'
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "the edit should fail test_b in a full run: $(cat "$FT_SCRATCH/full.out")"
	fi
	assert_set "$ALL" "$(ft affected --format ids)" "table.json edited ($gran)"
	ft_back pkg/table.json

	# the module's own code: an edit of lookup() selects the tests that
	# ran it, and test_c only by file
	ft_edit pkg/api.py '    return lazy.TABLE[key]' '    return lazy.TABLE[key] + 0'
	if [ $gran = function ]; then
		assert_set "tests/test_a.py::test_a tests/test_b.py::test_b" "$(ft affected --format ids)" \
			"lookup() edited ($gran)"
	fi
	ft_back pkg/api.py
done
