#!/usr/bin/env bash
# t9058-pyfile-import-effect.sh - the import-time rule at file granularity
# (docs/python-functions.md, "Import-time effects"; python/pyfunc_widen.c).
# A probe of boltons and tomlkit found it: recorded by file, an acting
# statement added to a module some test module imports (a store into
# another module, in a library module or a test module) selected only
# that module's importers, and tests of other modules failed in a full
# run.  `auto` records by file on CPython 3.9 and 3.10.
#
# fixtures/pytest-import-effect (t9055 has the same cases by function):
# test_a.py imports pkg.conf and calls helpers.prepare() at its top;
# test_b.py asserts what pkg.conf.check() says; test_c.py imports nothing
# of the project.  Recorded by file, each edit that acts selects every
# test of the suite, and a full run shows test_b seeing it; each edit that
# only binds selects what the file-level selection does (the importers).
# Also: selecting by file a recording made by function; a test recorded
# again alone; the tool missing; a session without a record (an older
# recording); a bundle imported into a clone; a suite beside this one; a
# run of two suites.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import-effect.sh"
record() {
	ft run "$@" >"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording ($*) failed: $(cat "$FT_SCRATCH/run.out")"
}

record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider
assert_set "" "$(ft affected --format ids)" "nothing changed"

# -- what acts: every test of the suite ------------------------------------
change tests/test_a.py "$STORE"
fails_b "a store into pkg.conf"
assert_set "$ALL" "$(ft affected --format ids)" "a store into another module's object (by file)"
assert_set "$ALL" "$(ft affected --granularity=file --format ids)" "the same, selected by file"
explained_and_run
revert

change tests/test_a.py 's.replace("import helpers\n", "import helpers\nhelpers.prepare()\n")'
assert_set "$ALL" "$(ft affected --format ids)" "a bare call added (by file)"
revert

# in a library module, which test_a and test_b import and test_c does not
change pkg/conf.py 's + "\nimport sys\nsys.dont_write_bytecode = True\n"'
assert_set "$ALL" "$(ft affected --format ids)" "a library module's store into sys (by file)"
revert

new_module_cases "by file"

# an import of a project module the session had not loaded, which acts
printf 'import pkg.conf\npkg.conf.STRICT = True\n' >tests/newhelper.py
change tests/test_a.py 's.replace("import helpers\n", "import helpers\nimport newhelper\n")'
fails_b "importing newhelper"
assert_set "$ALL" "$(ft affected --format ids)" "an import of a module the session had not loaded (by file)"
revert

# -- what only binds: the importers, as the file-level selection says -------
change tests/test_a.py 's + "\n\ndef test_new():\n    assert double(1) == 2\n"'
assert_set "$OWN" "$(ft affected --format ids)" "a test added (by file)"
revert
change tests/helpers.py 's.replace("return 2", "return 3")'
assert_set "$OWN" "$(ft affected --format ids)" "a helper's body (by file: its importer's tests)"
revert
change tests/test_a.py 's.replace("import helpers\n", "import helpers\nfrom pkg import conf\n")'
assert_set "$OWN" "$(ft affected --format ids)" "an import of a module the session had loaded (by file)"
revert
change tests/test_a.py 's.replace("READY = helpers.prepare()", "READY = helpers.prepare() + 0")'
assert_set "$OWN" "$(ft affected --format ids)" "an assignment of a call changed (by file)"
revert
# a name added to a library module: its importers only (the closures)
change pkg/conf.py 's.replace("STRICT = False\n", "STRICT = False\nLEVEL = 2\n")'
assert_set "$OWN tests/test_b.py::test_lenient" "$(ft affected --format ids)" \
	"a name added to a library module (by file)"
revert

# -- no fingerprint tool: nothing can be judged, so the suite ---------------
change tests/test_a.py 's.replace("Tests of", "Tests for")'
assert_set "$OWN" "$(ft affected --format ids)" "the module docstring (by file)"
FTRACE_PYTHON=$FT_SCRATCH/no-such-python ft affected --format ids >"$FT_SCRATCH/notool.out" \
	2>"$FT_SCRATCH/notool.err" || ft_fail "affected failed without the tool: $(cat "$FT_SCRATCH/notool.err")"
assert_set "$ALL" "$(cat "$FT_SCRATCH/notool.out")" "the module docstring, with no Python to fingerprint it"
grep -q "the fingerprint tool failed" "$FT_SCRATCH/notool.err" ||
	ft_fail "no note of the tool's failure: $(cat "$FT_SCRATCH/notool.err")"
revert

# -- a session with no record of what it loaded ------------------------------
# (recorded by an ftrace older than the record, or the record was lost):
# it may have loaded any file, so any changed .py file widens its suite,
# fingerprinted or not
sqlite3 .ftrace/ftrace.db "DELETE FROM pyfunc_runs" || ft_fail "sqlite3"
change tests/helpers.py 's.replace("return 2", "return 3")'
assert_set "$ALL" "$(FTRACE_PYTHON=$FT_SCRATCH/no-such-python ft affected --format ids 2>/dev/null)" \
	"a helper's body, the session's record gone"
ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
grep -q "the session has no record of what it loaded" "$FT_SCRATCH/explain.out" ||
	ft_fail "--explain does not say the record is missing: $(cat "$FT_SCRATCH/explain.out")"
revert
record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider
change tests/helpers.py 's.replace("return 2", "return 3")'
assert_set "$OWN" "$(ft affected --format ids)" "a helper's body, recorded again"
revert

# -- a recording by function, selected by file --------------------------------
record --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider
change tests/test_a.py "$STORE"
assert_set "$ALL" "$(ft affected --granularity=file --format ids)" \
	"a store, a recording by function selected by file"
revert

# -- a run of some tests: test_b recorded again alone, by file ----------------
# (its session never loaded test_a.py; a full run does, before test_b)
record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider
record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_b.py
assert_set "" "$(ft affected --format ids)" "nothing changed after test_b's run"
change tests/test_a.py "$STORE"
fails_b "a store, with test_b recorded again alone"
assert_set "$ALL" "$(ft affected --format ids)" "a store, with test_b recorded again alone (by file)"
revert

# -- a bundle: the record of what the sessions loaded travels ----------------
# exported here, imported into a clone at another path
record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider
ft export "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/export.err" || ft_fail "export: $(cat "$FT_SCRATCH/export.err")"
git clone -q . "$FT_SCRATCH/clone"
(
	cd "$FT_SCRATCH/clone" && ft_settle
	ft import "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/import.err" ||
		ft_fail "import: $(cat "$FT_SCRATCH/import.err")"
	assert_set "" "$(ft affected --format ids)" "nothing changed in the clone"
	change tests/test_a.py "$STORE"
	fails_b "a store, in the clone"
	assert_set "$ALL" "$(ft affected --format ids)" "a store, in the clone that imported a recording by file"
)

# -- a suite beside this one: not widened -------------------------------------
# proj/ and side/, each with its own pytest.ini (so its own rootdir), in
# one repository and one state directory
rm -rf .ftrace
mkdir proj side
git mv pkg tests proj/
printf '[pytest]\n' >proj/pytest.ini
printf '[pytest]\n' >side/pytest.ini
printf 'def test_side():\n    assert True\n' >side/test_side.py
git add -A && git -c user.email=t@t -c user.name=t commit -qm split
ft_clock_past_ctime
(cd proj && record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider)
(cd side && record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider)
assert_set "" "$(ft affected --format ids)" "nothing changed (two suites)"
change proj/tests/test_a.py "$STORE"
assert_set "$ALL" "$(ft affected --format ids)" "a store in proj/: proj's suite, not side's"
revert

# -- a run of two suites (`make check` running pytest in each) ----------------
# The run's rootdir is its first session's (proj/).  side2/'s tests recorded
# again alone have side2/ for theirs, and in a full run there they still see
# what a side2/ module now does at import.
rm -rf .ftrace
mkdir -p side2/tests
cp -r proj/pkg side2/
cp proj/tests/helpers.py side2/tests/
sed 's/def test_ready/def test_s_ready/; s/def test_double/def test_s_double/' \
	proj/tests/test_a.py >side2/tests/test_sa.py
sed 's/def test_lenient/def test_s_lenient/' proj/tests/test_b.py >side2/tests/test_sb.py
printf '[pytest]\n' >side2/pytest.ini
git add -A && git -c user.email=t@t -c user.name=t commit -qm side2
ft_clock_past_ctime
record --granularity=file -- sh -c "cd proj && \"\$0\" -m pytest -q -p no:cacheprovider &&
	cd ../side2 && \"\$0\" -m pytest -q -p no:cacheprovider" "$FT_PYTHON"
(cd side2 && record --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_sb.py)
assert_set "" "$(ft affected --format ids)" "nothing changed (a run of two suites)"
change side2/tests/test_sa.py "$STORE"
if (cd side2 && pytest_q >"$FT_SCRATCH/full.out" 2>&1); then
	ft_fail "side2: the full run passed: $(cat "$FT_SCRATCH/full.out")"
fi
grep -q "FAILED tests/test_sb.py::test_s_lenient" "$FT_SCRATCH/full.out" ||
	ft_fail "side2: test_s_lenient did not fail in the full run: $(cat "$FT_SCRATCH/full.out")"
grep -qx "tests/test_sb.py::test_s_lenient" <<<"$(ft affected --format ids)" ||
	ft_fail "a store in side2/, whose test_sb was recorded again alone: not selected: $(ft affected --format ids)"
revert
