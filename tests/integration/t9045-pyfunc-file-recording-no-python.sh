#!/usr/bin/env bash
# A recording by file only (--granularity=file here; `auto` on an
# interpreter without a function hook): no test can be judged by
# function, so nothing is dropped, and `ftrace affected` starts Python
# only for the import-time rule (docs/python-functions.md, "Import-time
# effects"): once, over the changed .py files a session loaded.  An
# edit of a body adds no test.  Recorded by function, the same edit starts it once
# (the logging wrapper works) and narrows.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_FPCACHE
ft_fixture pytest-funcs

LOG=$FT_PYLOG
ft_counting_python python
export FTRACE_PYTHON=$FT_SCRATCH/python
starts() { ft_pystarts; }

NET=tests/test_prices.py::test_net
GROSS=tests/test_prices.py::test_gross

ft run -q --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording by file failed"; }
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
: >"$LOG"
by_file=$(ft affected --format ids)
grep -qx "$NET" <<<"$by_file" || ft_fail "by file: $NET not selected: $by_file"
grep -qx "$GROSS" <<<"$by_file" || ft_fail "by file: $GROSS not selected: $by_file"
assert_eq 1 "$(starts)" "a recording by file fingerprints the changed file once"
explain=$(ft affected --explain)
grep -q "function granularity" <<<"$explain" && ft_fail "by file: a function-granularity note: $explain"

ft_back shop/prices.py
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording by function failed"; }
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
: >"$LOG"
assert_set "$NET" "$(ft affected --format ids --granularity=function)" "by function: the body's test only"
assert_eq 1 "$(starts)" "a recording by function fingerprints once"
