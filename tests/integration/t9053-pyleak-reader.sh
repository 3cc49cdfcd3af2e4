#!/usr/bin/env bash
# t9053-pyleak-reader.sh - what a test that left state behind ran reaches
# the tests whose module's closure holds a module that owns that state,
# not only those whose closure holds the files of its code
# (docs/python-functions.md, "State a test leaves behind";
# fixtures/pytest-leak-reader).  test_register runs bar.register(), which
# stores into pkg.core.REG; test_b_core.py imports pkg.core alone and
# reads REG.  Before, an edit of register() that also stores "foo"
# selected test_register only (its closure holds bar.py), and test_no_foo
# failed in a full run (a probe, 2026-11-27; at both granularities).
# test_c_other.py imports pkg.other alone: not selected.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-leak-reader

A=tests/test_a_plugins.py B=tests/test_b_core.py
ALL="$A::test_register $B::test_no_foo $B::test_plain"

for gran in function file; do
	rm -rf .ftrace
	ft_clock_past_ctime
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 ||
		ft_fail "the recording failed ($gran): $(cat "$FT_SCRATCH/run.out")"
	assert_set "" "$(ft affected --format ids)" "nothing changed ($gran)"

	ft_edit pkg/plugins/bar.py '    core.REG["bar"] = handler' '    core.REG["bar"] = handler
    core.REG["foo"] = handler'
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "the edit should fail test_no_foo in a full run: $(cat "$FT_SCRATCH/full.out")"
	fi
	assert_set "$ALL" "$(ft affected --format ids)" "register() edited ($gran)"
	ft_back pkg/plugins/bar.py

done
