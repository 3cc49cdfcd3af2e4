#!/usr/bin/env bash
# pytest-cov: coverage.py removes its data file at the session's start and
# writes it (and, measuring in parallel, a .coverage.<host>.<pid>.<random>
# file per process, with -journal files) at the end.  Those are coverage's
# own files, never a test's input: as dependencies they were "seen absent,
# then created by the run", i.e. unknown, and every test was selected after
# every recording.  The plugin names the data file in its side file
# ("coverage_data"), and ingest leaves it and its siblings out.  The rest
# stays exact, with and without pytest-xdist.  pytest-cov 7.1.0 and
# coverage 7.17.3 come from PyPI (lib-pip.sh); without the registry the
# script is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
. "$(dirname "$0")/lib-pip.sh"
ft_pytest_fixture pytest-basic
ft_pip_site pytest-cov-7.1.0 pytest_cov/plugin.py pytest-cov==7.1.0 coverage==7.17.3
printf '.coverage\n.coverage.*\n' >>.gitignore

check() {
	[ -f .coverage ] || ft_fail "$1: coverage wrote no .coverage"
	"$FT_PYTHON" - .ftrace/runs/*/adapter-pytest-*.json <<'PY' || ft_fail "$1: side files"
import json, os, sys
docs = [json.load(open(f)) for f in sys.argv[1:]]
want = os.path.join(os.getcwd(), ".coverage")
named = {p for d in docs for p in d.get("coverage_data", [])}
assert named == {want}, (named, want)
PY
	assert_set "" "$(affected)" "$1: no change"
	printf 'plum,4,1.25\n' >>tests/data/table.csv
	assert_set "tests/test_table.py::test_table_sum" "$(affected)" "$1: tests/data/table.csv changed"
	revert tests/data/table.csv
	assert_set "" "$(affected)" "$1: table.csv put back"
}

# record_cov [PYTEST-ARGS]: record with coverage measuring, no report
record_cov() {
	local out rc=0
	out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q --cov=calc --cov-report= "$@" \
		2>"$FT_SCRATCH/run.err") || rc=$?
	[ $rc -eq 0 ] || ft_fail "ftrace run -- pytest --cov exited $rc: $out $(cat "$FT_SCRATCH/run.err")"
	grep -q '^12 passed in' <<<"$out" || ft_fail "unexpected pytest output: $out"
}

record_cov
check "first recording"
# again: now the data file exists at the start, and coverage removes it
rm -rf .ftrace/runs
record_cov
check "second recording"
if "$FT_PYTHON" -c "import xdist" 2>/dev/null; then
	rm -rf .ftrace
	record_cov -n 2
	check "pytest-xdist"
fi
