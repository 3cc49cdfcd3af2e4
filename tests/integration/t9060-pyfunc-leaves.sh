#!/usr/bin/env bash
# t9060-pyfunc-leaves.sh - a function body that starts storing outside its
# module (docs/python-functions.md, "Functions that write outside their
# module"; fixtures/pytest-leaves).  A probe of tabulate: `_main` of
# tabulate/cli.py gained `sys.modules["tabulate"].MIN_PADDING = 0`; by
# function only test_cli's tests were selected, and 142 other tests failed
# in a full run.  The tests that run such a body leave that state to every
# later test of their session: an edit of one selects the tests that load
# the modules it stores into, when it stores only through imports of
# project modules, else the suite of every session that loaded the
# module, at both granularities.  An edit of a body that writes nothing,
# or only its own module's state, stays narrow.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-leaves
ft_settle

ALL="tests/test_cli.py::test_main tests/test_cli.py::test_remember tests/test_conf.py::test_check
tests/test_lazy.py::test_lazy tests/test_plain.py::test_plain tests/test_zreader.py::test_mode
tests/test_zreader.py::test_cwd"
pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"; }
# change FILE PYTHON-EXPR: rewrite FILE with the expression over s
change() { ft_pyedit "$@"; }
# fails WHAT TEST: the edit fails TEST in a full run (so the case is real)
fails() {
	if pytest_q >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "$1: the full run passed: $(cat "$FT_SCRATCH/full.out")"
	fi
	grep -q "FAILED $2" "$FT_SCRATCH/full.out" ||
		ft_fail "$1: $2 did not fail in the full run: $(cat "$FT_SCRATCH/full.out")"
}
revert() { git checkout -q . && ft_clock_past_ctime; }

for gran in function file; do
	rm -rf .ftrace
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording failed ($gran): $(cat "$FT_SCRATCH/run.out")"
	assert_set "" "$(ft affected --format ids)" "nothing changed ($gran)"

	# main stores into pkg.conf through a module it imports itself
	change pkg/cli.py 's.replace("    return len(args)\n", "    import pkg.conf as c\n    c.MODE = \"strict\"\n    return len(args)\n")'
	fails "main imports and stores ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "main imports and stores ($gran)"
	ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
	grep -q "a function that may store outside its module" "$FT_SCRATCH/explain.out" ||
		ft_fail "--explain does not say why ($gran): $(cat "$FT_SCRATCH/explain.out")"
	revert

	# main calls _poison, which stores through sys.modules
	change pkg/cli.py 's.replace("    return len(args)\n", "    _poison()\n    return len(args)\n")'
	fails "main calls _poison ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "main calls _poison ($gran)"
	revert

	# a module a test imports in its body
	change pkg/lazy.py 's.replace("    return 1\n", "    import sys\n    sys.modules[\"pkg.conf\"].MODE = \"strict\"\n    return 1\n")'
	fails "lazy.setup stores ($gran)" tests/test_zreader.py::test_mode
	assert_set "$ALL" "$(ft affected --format ids)" "lazy.setup stores ($gran)"
	revert

	# ...into a module it imports itself: only the tests that load that
	# module can read it (pkg.conf: test_conf, test_zreader), and the
	# tests of lazy.py's own (test_lazy)
	change pkg/lazy.py 's.replace("    return 1\n", "    import pkg.conf as c\n    c.MODE = \"strict\"\n    return 1\n")'
	fails "lazy.setup stores into pkg.conf ($gran)" tests/test_zreader.py::test_mode
	assert_set "tests/test_lazy.py::test_lazy tests/test_conf.py::test_check tests/test_zreader.py::test_mode
		tests/test_zreader.py::test_cwd" \
		"$(ft affected --format ids)" "lazy.setup stores into pkg.conf ($gran)"
	ft affected --explain >"$FT_SCRATCH/explain.out" 2>&1
	grep -q "every test that loads that module" "$FT_SCRATCH/explain.out" ||
		ft_fail "--explain does not say why ($gran): $(cat "$FT_SCRATCH/explain.out")"
	revert

	# a test body that stores, and one that starts a patcher
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import pkg.conf\n    pkg.conf.MODE = \"strict\"\n")'
	fails "test_main stores ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "test_main stores ($gran)"
	revert
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    from unittest import mock\n    mock.patch(\"pkg.conf.MODE\", \"strict\").start()\n")'
	fails "test_main starts a patcher ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "test_main starts a patcher ($gran)"
	revert

	# a probe of toolz, 2026-11-28: a test body that makes a module's
	# object again in place (`flip.__init__(g)`), one that hands a module's
	# object to a lambda that mutates it, and one that hands it to a
	# helper of its module that does (each escaped by function)
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import pkg.conf\n    pkg.conf.SETTINGS.__init__(\"strict\")\n")'
	fails "test_main makes SETTINGS again ($gran)" tests/test_zreader.py::test_mode
	assert_set "$ALL" "$(ft affected --format ids)" "test_main makes SETTINGS again ($gran)"
	revert
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import pkg.conf\n    (lambda c: setattr(c, \"MODE\", \"strict\"))(pkg.conf)\n")'
	fails "test_main hands pkg.conf to a lambda ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "test_main hands pkg.conf to a lambda ($gran)"
	revert
	change tests/test_cli.py 's.replace("def test_main():\n", "def _strict(s):\n    s.mode = \"strict\"\n\n\ndef test_main():\n    import pkg.conf\n    _strict(pkg.conf.SETTINGS)\n")'
	fails "test_main hands SETTINGS to a helper ($gran)" tests/test_zreader.py::test_mode
	assert_set "$ALL" "$(ft affected --format ids)" "test_main hands SETTINGS to a helper ($gran)"
	revert
	# a test body that calls another module's function that stores into
	# its module (the toolz probe: `_sigs.create_signature_registry(...)`
	# in a test): what it stores there outlives the test.  Every test: the
	# module's stores also go through `remember`, imported by name
	# (test_remember calls it), which is no module
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    from pkg import conf\n    conf.set_mode(\"strict\")\n")'
	fails "test_main calls conf.set_mode ($gran)" tests/test_conf.py::test_check
	assert_set "$ALL" "$(ft affected --format ids)" "test_main calls conf.set_mode ($gran)"
	revert

	# ...but a base's __init__ given the instance, and a helper given a
	# new object, are not
	if [ $gran = function ]; then
		change tests/test_cli.py 's.replace("def test_main():\n", "class _S(dict):\n    def __init__(self):\n        dict.__init__(self)\n\n\ndef _fill(d):\n    d[1] = 2\n\n\ndef test_main():\n    _fill(_S())\n    _fill({})\n")'
		assert_set tests/test_cli.py::test_main "$(ft affected --format ids)" \
			"a base's __init__, a helper given a new object ($gran)"
		revert
	fi

	# a test body that changes the process's working directory, and one
	# that sets a warnings filter (not inside catch_warnings)
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import os\n    os.chdir(\"tests\")\n")'
	fails "test_main changes directory ($gran)" tests/test_zreader.py::test_cwd
	assert_set "$ALL" "$(ft affected --format ids)" "test_main changes directory ($gran)"
	revert
	change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import warnings\n    warnings.simplefilter(\"error\")\n")'
	assert_set "$ALL" "$(ft affected --format ids)" "test_main sets a warnings filter ($gran)"
	revert
	# (by file, every test holds tests/test_cli.py here, whatever changed)
	if [ $gran = function ]; then
		change tests/test_cli.py 's.replace("def test_main():\n", "def test_main():\n    import warnings\n    with warnings.catch_warnings():\n        warnings.simplefilter(\"error\")\n")'
		assert_set tests/test_cli.py::test_main "$(ft affected --format ids)" \
			"a warnings filter inside catch_warnings ($gran)"
		revert
	fi

	# narrow: a body that stores nothing outside, and one that stores
	# into its own module's dict
	change pkg/cli.py 's.replace("    return len(args)\n", "    return len(args) + 0\n")'
	if [ $gran = function ]; then want=tests/test_cli.py::test_main; else
		want="tests/test_cli.py::test_main tests/test_cli.py::test_remember"; fi
	assert_set "$want" "$(ft affected --format ids)" "main, no store ($gran)"
	revert
	change pkg/cli.py 's.replace("    _SEEN[key] = 1\n", "    _SEEN[key] = 2\n")'
	assert_set "tests/test_cli.py::test_main tests/test_cli.py::test_remember" \
		"$(ft affected --format ids)" "remember, its own dict ($gran)"
	revert
done
