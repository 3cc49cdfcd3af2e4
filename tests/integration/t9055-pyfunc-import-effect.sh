#!/usr/bin/env bash
# t9055-pyfunc-import-effect.sh - an edit that makes import-time code act
# on other tests (docs/python-functions.md, "Import-time effects";
# python/pyfunc_widen.c).  A probe of click found it: tests/test_basic.py
# gained `click.core.Command.allow_interspersed_args = False`, two tests
# of other modules failed in a full run, and only test_basic.py's tests
# were selected.  fixtures/pytest-import-effect: test_a.py imports
# pkg.conf and calls helpers.prepare() at its top; test_b.py asserts what
# pkg.conf.check() says; test_c.py imports nothing of the project.
#
# Each edit of a top-level statement that acts outside test_a.py's
# namespace by its form, and each import of a project module the session
# had not loaded, selects every test of the session, and a full run shows
# that one of the others (test_b) sees it; each edit that only binds or
# changes a test's own code stays narrow.  A class body runs at import
# too, so a store from one acts.  A body that the import runs gaining
# the effect (helpers.prepare() storing into pkg.conf) selects the tests
# that load pkg.conf ("Functions that write outside their module"); one
# gaining another effect is a limit the docs state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-import-effect.sh"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording failed: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(ft affected --format ids)" "nothing changed"

# -- what acts: every test of the suite ----------------------------------
change tests/test_a.py "$STORE"
fails_b "a store into pkg.conf"
assert_set "$ALL" "$(ft affected --format ids)" "a store into another module's object (click's case)"
explained_and_run
revert

# a call that acts, in an `if` test and in an assignment's value (a probe
# of boltons: both escaped by function)
change tests/test_a.py 's.replace("READY = helpers.prepare()\n", "READY = helpers.prepare()\nif setattr(pkg.conf, \"STRICT\", True) is None:\n    pass\n")'
fails_b "setattr in an if test"
assert_set "$ALL" "$(ft affected --format ids)" "setattr in an if test"
revert
change tests/test_a.py 's.replace("READY = helpers.prepare()\n", "READY = helpers.prepare()\n_X = setattr(pkg.conf, \"STRICT\", True)\n")'
fails_b "setattr in an assignment's value"
assert_set "$ALL" "$(ft affected --format ids)" "setattr in an assignment's value"
revert

# a body the import runs, starting to store into pkg.conf: the tests that
# load pkg.conf (test_b), not test_c
change tests/helpers.py 's.replace("def prepare():\n    return 1\n", "def prepare():\n    import pkg.conf\n    pkg.conf.STRICT = True\n    return 1\n")'
fails_b "prepare() stores into pkg.conf"
assert_set "$OWN tests/test_b.py::test_lenient" "$(ft affected --format ids)" "prepare() stores into pkg.conf"
revert

change tests/test_a.py 's.replace("import helpers\n", "import helpers\nhelpers.prepare()\n")'
assert_set "$ALL" "$(ft affected --format ids)" "a bare call added"
revert

change tests/test_a.py 's.replace("import helpers\n", "import helpers\nfor _k in (1,):\n    pkg.conf.__dict__[\"STRICT\"] = True\n")'
fails_b "a subscript store in a loop"
assert_set "$ALL" "$(ft affected --format ids)" "a subscript store inside a loop"
revert

# a store from a class body, through a name the body imports (a probe of
# boltons: `class _P:` holding `from boltons import strutils` and
# `strutils.slugify = ...`): the body runs as the class is made
change tests/test_a.py 's.replace("import helpers\n", "import helpers\n\n\nclass _Probe:\n    import pkg.conf as _c\n    _c.STRICT = True\n")'
fails_b "a store from a class body"
assert_set "$ALL" "$(ft affected --format ids)" "a store into another module's object from a class body"
revert
# a class whose body only binds: narrow
change tests/test_a.py 's.replace("import helpers\n", "import helpers\n\n\nclass _Plain:\n    LIMIT = 2\n")'
assert_set "" "$(ft affected --format ids)" "a class whose body only binds"
revert

new_module_cases "by function"

# an import of a project module the session had not loaded, which acts
printf 'import pkg.conf\npkg.conf.STRICT = True\n' >tests/newhelper.py
change tests/test_a.py 's.replace("import helpers\n", "import helpers\nimport newhelper\n")'
fails_b "importing newhelper"
assert_set "$ALL" "$(ft affected --format ids)" "an import of a module the session had not loaded"
revert

# -- what only binds: as before ------------------------------------------
change tests/test_a.py 's + "\n\ndef test_new():\n    assert double(1) == 2\n"'
assert_set "tests/test_a.py::test_new" "$(ft affected --format ids)" "a test added"
revert
change tests/test_a.py 's.replace("assert double(2) == 4", "assert double(3) == 6")'
assert_set "tests/test_a.py::test_double" "$(ft affected --format ids)" "a test's body"
revert
change tests/helpers.py 's.replace("return 2", "return 3")'
assert_set "" "$(ft affected --format ids)" "a helper nothing ran"
revert
change tests/test_a.py 's.replace("import helpers\n", "import helpers\nfrom pkg import conf\n")'
assert_set "$OWN" "$(ft affected --format ids)" "an import of a module the session had loaded"
revert
change tests/test_a.py 's.replace("import helpers\n", "import helpers\nimport not_a_project_module_xyz\n")'
assert_set "$OWN" "$(ft affected --format ids)" "an import of no project module (an error of test_a's collection)"
revert
change tests/test_a.py 's.replace("READY = helpers.prepare()", "READY = helpers.prepare() + 0")'
assert_set "$OWN" "$(ft affected --format ids)" "an assignment of a call changed"
revert
change tests/test_a.py 's.replace("Tests of", "Tests for")'
assert_set "$OWN" "$(ft affected --format ids)" "the module docstring"
revert

# A run of some tests: test_b recorded again alone (`pytest
# tests/test_b.py`, whose rootdir is tests/ in a project without a
# configuration file), in a session that never loaded test_a.py.  A full
# run still loads test_a.py before test_b runs, so the store reaches it
# there: the suite is every test of the rootdir (or one above or below
# it), not of the session that recorded each test last.  The rule as
# first built widened by run, and selected test_a's and test_c's tests
# only.  (t9058 has a suite beside it, which is not widened.)
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_b.py \
	>"$FT_SCRATCH/run2.out" 2>&1 || ft_fail "the second recording failed: $(cat "$FT_SCRATCH/run2.out")"
assert_set "" "$(ft affected --format ids)" "nothing changed after the second run"
change tests/test_a.py "$STORE"
fails_b "a store, with test_b recorded again alone"
assert_set "$ALL" "$(ft affected --format ids)" "a store, with test_b recorded again in a session without test_a.py"
revert
