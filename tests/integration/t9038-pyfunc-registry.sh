#!/usr/bin/env bash
# A test that runs a module's code without importing it, through a
# registry that an import or another test filled, depends on that module
# (docs/python-functions.md, "Code a test ran outside its closure";
# fixtures/pyfunc-registry), at function granularity, under each
# interpreter of 3.11 or later found with pytest:
#
# - an edit of foo.handler() (registered when foo is imported, at
#   collection) selects test_foo, which ran it through core.run() and
#   whose module's closure does not hold pkg/plugins/foo.py; before, no
#   test was selected and test_foo failed in a full run;
# - an edit of bar.handler() (registered by test_register) selects
#   test_bar, the same;
# - an edit of bar.register() (test_register ran it and left the registry
#   changed: shared) selects every test: what a test that left state
#   behind ran is every test's (t9053), and foo's import, which
#   registered into core.REG while pytest collected test_a_plugins.py,
#   makes that module's imports every test's (t9052); before, only the
#   tests whose module's closure holds pkg/plugins/bar.py and test_bar;
# - test_plain, which runs no plugin code, is selected by neither
#   handler's edit.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

P=tests/test_a_plugins.py C=tests/test_b_core.py
ALL="$P::test_register $P::test_other $C::test_foo $C::test_bar $C::test_plain"

sel() { ft affected --format ids --granularity=function; }


check() { # check NAME
	local name=$1
	ft_fixture pyfunc-registry "$name"
	ft_clock_past_ctime
	ft run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel)" "$PY ($name): nothing changed"

	ft_edit pkg/plugins/foo.py 'return "foo"' 'return "FOO"'
	full_fails "$PY ($name): foo.handler() edited" "$C::test_foo"
	assert_set "$C::test_foo" "$(sel)" "$PY ($name): foo.handler() edited"
	ft_back pkg/plugins/foo.py

	ft_edit pkg/plugins/bar.py 'return "bar"' 'return "BAR"'
	full_fails "$PY ($name): bar.handler() edited" "$C::test_bar"
	assert_set "$C::test_bar" "$(sel)" "$PY ($name): bar.handler() edited"
	ft_back pkg/plugins/bar.py

	ft_edit pkg/plugins/bar.py '    core.REG["bar"] = HANDLERS["bar"]' '    core.REG["bar"] = HANDLERS["bar"]
    core.REG.setdefault("x", None)'
	assert_set "$ALL" "$(sel)" "$PY ($name): bar.register() edited (test_register left state)"
	ft_back pkg/plugins/bar.py
}

each() { check "p$1"; }
ft_each_python each
