# lib-import-effect.sh - what t9055 (by function) and t9058 (by file)
# share: fixtures/pytest-import-effect, copied and entered, its test ids,
# and the edits they make (docs/python-functions.md, "Import-time
# effects").  Sourced after lib.sh.
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-import-effect

ALL="tests/test_a.py::test_double tests/test_a.py::test_ready
tests/test_b.py::test_lenient tests/test_c.py::test_plain"
OWN="tests/test_a.py::test_double tests/test_a.py::test_ready"
# the store into pkg.conf that test_b sees (click's case)
STORE='s.replace("READY = helpers.prepare()\n", "READY = helpers.prepare()\npkg.conf.STRICT = True\n")'

pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"; }
revert() { git checkout -q . && rm -f tests/newhelper.py; ft_clock_past_ctime; }
# change FILE PYTHON-EXPR: rewrite FILE with the expression over s
change() { ft_pyedit "$@"; }
# fails_b WHAT: the edit reaches test_b in a full run (so the case is real)
fails_b() {
	if pytest_q tests >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "$1: the full run passed, so test_b never saw the edit: $(cat "$FT_SCRATCH/full.out")"
	fi
	grep -q "FAILED tests/test_b.py::test_lenient" "$FT_SCRATCH/full.out" ||
		ft_fail "$1: test_b did not fail in the full run: $(cat "$FT_SCRATCH/full.out")"
}
# explained_and_run: --explain gives the import-time reason and what
# acted, and pytest, given the selection, runs test_b, which fails
explained_and_run() {
	ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
	grep -q "import-time code changed (every test of the suite that loads it)" "$FT_SCRATCH/explain.out" ||
		ft_fail "--explain does not give the reason: $(cat "$FT_SCRATCH/explain.out")"
	grep -q "a module-level statement that acts outside the module" "$FT_SCRATCH/explain.out" ||
		ft_fail "--explain does not say what acted: $(cat "$FT_SCRATCH/explain.out")"
	ft affected >"$FT_SCRATCH/args" || ft_fail "affected failed"
	if pytest_q $(cat "$FT_SCRATCH/args") >"$FT_SCRATCH/sel.out" 2>&1; then
		ft_fail "the selected run passed: $(cat "$FT_SCRATCH/sel.out")"
	fi
	grep -q "FAILED tests/test_b.py::test_lenient" "$FT_SCRATCH/sel.out" ||
		ft_fail "the selected run misses test_b: $(cat "$FT_SCRATCH/sel.out")"
}
# new_module_cases WHAT: a new test module.  pytest imports it at
# collection, before any test, so it is judged as a module all of whose
# statements are new (a probe of tabulate: a new test file that only
# stored into the library selected itself, and 150 tests failed in a
# full run): one that acts selects every test, one that only binds itself
new_module_cases() {
	printf 'import pkg.conf\npkg.conf.STRICT = True\n' >tests/test_new.py
	ft_clock_past_ctime
	fails_b "a new test module that stores into pkg.conf"
	assert_set "$ALL tests/test_new.py" "$(ft affected --format ids)" "a new test module that acts ($1)"
	printf 'import pkg.conf\n\n\ndef test_new():\n    assert pkg.conf.check()\n' >tests/test_new.py
	ft_clock_past_ctime
	assert_set "tests/test_new.py" "$(ft affected --format ids)" "a new test module that only binds ($1)"
	rm -f tests/test_new.py
	ft_clock_past_ctime
}
