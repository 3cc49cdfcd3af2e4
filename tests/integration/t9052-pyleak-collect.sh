#!/usr/bin/env bash
# t9052-pyleak-collect.sh - an import during collection that changes state
# a module loaded before it holds (adapters/pytest/ftrace_pycollect.py;
# docs/pytest.md, "Closures").  pytest imports test_plugin.py, which
# imports pkg.plugin, whose body registers calc.base() * 2 into pkg.reg;
# test_reg.py imports pkg.reg alone and reads the value.  Before, an edit
# of the value (in plugin.py or in calc.base) selected test_plugin.py's
# test only, and test_reg failed in a full run (a probe, both
# granularities); the same for decimal.getcontext().prec set at import.
# Now the tests whose closure holds a module that owns the changed state
# (pkg.reg) get the importer's closure, and a change in the standard
# library's state (the decimal context) goes to every test.  And what is
# no change:
# an lru_cache filled at import (pkg.theme), the tests/ directory that
# pytest puts on sys.path, an import that only defines (pkg.plain).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-collect-leak

ALL="tests/test_colors.py::test_parse tests/test_dec.py::test_dec_import
tests/test_div.py::test_div tests/test_plain.py::test_plain
tests/test_plugin.py::test_plugin tests/test_reg.py::test_reg
tests/test_theme.py::test_theme"
REG="tests/test_plugin.py::test_plugin tests/test_reg.py::test_reg"

edit() { # edit FILE FROM TO
	sed -i "s/$2/$3/" "$1"
	grep -q "$3" "$1" || ft_fail "could not edit $1"
	ft_clock_past_ctime
}
revert() { git checkout -q pkg; ft_clock_past_ctime; }

for gran in function file; do
	for mode in prepend importlib; do
		what="$gran, --import-mode=$mode"
		rm -rf .ftrace
		ft_clock_past_ctime
		ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
			--import-mode=$mode >"$FT_SCRATCH/run.out" 2>&1 ||
			ft_fail "the recording failed ($what): $(cat "$FT_SCRATCH/run.out")"
		assert_set "" "$(ft affected --format ids)" "nothing changed ($what)"

		# the registered value: the statement that registers is one
		# that acts, and an edit of it may act elsewhere: every test of
		# the suite, at both granularities (docs/python-functions.md,
		# "Import-time effects"); the state guard alone would give the
		# tests that can read pkg.reg
		edit pkg/plugin.py "\* 2" "* 3"
		assert_set "$ALL" "$(ft affected --format ids)" "the value plugin.py registers ($what)"
		revert
		edit pkg/calc.py "return 21" "return 22"
		assert_set "$REG" "$(ft affected --format ids)" "calc.base, which computed it ($what)"
		revert
		edit pkg/decctx.py "prec = 5" "prec = 6"
		assert_set "$ALL" "$(ft affected --format ids)" "the decimal context set at import ($what)"
		revert

		# no change: only the tests whose modules import them
		edit pkg/plain.py "return 1" "return 2"
		assert_set "tests/test_plain.py::test_plain" "$(ft affected --format ids)" \
			"plain.f ($what)"
		revert
		edit pkg/theme.py '"red"' '"blue"'
		assert_set "tests/test_theme.py::test_theme" "$(ft affected --format ids)" \
			"theme.py, which filled an lru_cache at import ($what)"
		revert
		edit pkg/colors.py "name.upper()" "name.upper() + ''"
		assert_set "tests/test_colors.py::test_parse tests/test_theme.py::test_theme" \
			"$(ft affected --format ids)" \
			"colors.parse, first collected, with tests/ put on sys.path ($what)"
		revert
	done
done
