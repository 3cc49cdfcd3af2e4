#!/usr/bin/env bash
# `ftrace affected --granularity=function` fingerprints the changed files
# with $FTRACE_PYTHON, else the python3 on PATH, never the interpreter the
# database names (cli/cmd_pyfunc.c).  When that is another Python than
# the tests ran under (their "std" differs), syntax trees may differ and
# more is selected: it says so on stderr, naming both versions and
# FTRACE_PYTHON; with the tests' own interpreter it says nothing, nor
# when no .py file changed (nothing is fingerprinted).  Needs two
# CPythons with different versions, the first 3.11+ with pytest.
. "$(dirname "$0")/lib.sh"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYTHON

A= B=
for p in "$FT_PYTHON" /usr/bin/python3.1[1-9] "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[1-9]*/bin/python3 \
	${FT_EXTRA_PYTHONS:-}; do
	[ -x "$p" ] || continue
	if [ -z "$A" ]; then
		"$p" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && A=$p
		continue
	fi
	if [ "$("$p" -c 'import sys; print(sys.version)' 2>/dev/null)" != \
	     "$("$A" -c 'import sys; print(sys.version)')" ]; then
		B=$p
		break
	fi
done
[ -n "$A" ] && [ -n "$B" ] || ft_skip "needs two CPython versions, the first 3.11+ with pytest"
VA=$("$A" -c 'import sys; print(sys.version.split()[0])')
VB=$("$B" -c 'import sys; print(sys.version.split()[0])')

ft_fixture pytest-funcs
ft run -q --granularity=function -- "$A" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"

aff() { # aff PYTHON: affected's stderr, with FTRACE_PYTHON=PYTHON
	FTRACE_PYTHON=$1 ft affected --granularity=function >"$FT_SCRATCH/aff.out" 2>"$FT_SCRATCH/aff.err" ||
		ft_fail "affected failed: $(cat "$FT_SCRATCH/aff.err")"
	cat "$FT_SCRATCH/aff.err"
}

assert_eq "" "$(aff "$B")" "nothing changed: nothing fingerprinted, no note"
ft_edit shop/prices.py "round(amount, 2)" "round(amount, 3)"
err=$(aff "$B")
grep -qF "fingerprinted the changed files, the tests ran under Python $VA" <<<"$err" ||
	ft_fail "no note naming the tests' Python $VA: $err"
grep -qF "(Python $VB)" <<<"$err" || ft_fail "the note does not name Python $VB: $err"
grep -qF "set FTRACE_PYTHON" <<<"$err" || ft_fail "the note does not say what to do: $err"
assert_eq "" "$(aff "$A")" "fingerprinted by the tests' own Python: no note"
ft_back shop/prices.py
