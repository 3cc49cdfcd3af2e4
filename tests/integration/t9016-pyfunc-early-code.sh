#!/usr/bin/env bash
# Code loaded before the function recorder (fixtures/pytest-early;
# docs/python-functions.md, "Code loaded before the recorder").  pytest.ini's
# `addopts = -p plug` imports plug.py before ftrace's plugin, and plug
# imports pkg (whose import runs compute()), reads pkg.helper's docstring
# and calls pkg.gone.value(), then drops pkg.gone from sys.modules.  None
# of that is seen by the recorder, so every function and docstring of
# those files counts as run in the prelude: an edit of any of them selects
# every test.  pkg.late, imported by a test module only, keeps function
# granularity.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
# no .pyc written during the recording (test_again reads gone.py again)
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-early
ft_clock_past_ctime

EARLY="tests/test_early.py::test_x tests/test_early.py::test_help tests/test_early.py::test_v
tests/test_early.py::test_none tests/test_early.py::test_again"
LATE=tests/test_late.py::test_late
ALL="$EARLY $LATE tests/test_late.py::test_late_none"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the prelude of the run"
import json, sqlite3, sys
(prelude,) = sqlite3.connect(sys.argv[1]).execute("SELECT prelude FROM pyfunc_runs").fetchone()
prelude = json.loads(prelude)
root = sys.argv[2]
# Module namespace reads: the modules made before the recorder are
# untracked ("@-"), a module made after is tracked ("@+").
assert "@-" in prelude[root + "/pkg/__init__.py"], prelude
assert "@+" not in prelude[root + "/pkg/__init__.py"], prelude
assert "@+" in prelude[root + "/pkg/late.py"], prelude
prelude = {f: [q for q in qs if q[0] != "@"] for f, qs in prelude.items()}
assert sorted(prelude.get(root + "/pkg/__init__.py", [])) == ["compute", "helper", "helper#doc"], prelude
# (test_again imports gone.py again: its body, run by that import, is
# the import's, shared, not test_again's)
assert prelude.get(root + "/pkg/gone.py") == ["<module>", "value"], prelude
assert prelude.get(root + "/pkg/late.py") == ["<module>"], prelude  # imported at collection
PY
assert_set "" "$(fn)" "nothing changed"

ft_edit pkg/__init__.py 'return 41 + 1' 'return 40 + 2'
assert_set "$ALL" "$(fn)" "compute's body, run at import before the recorder"
ft_back pkg/__init__.py

ft_edit pkg/__init__.py "Helper's docstring." "Helper's own docstring."
assert_set "$ALL" "$(fn)" "helper's docstring, read before the recorder"
ft_back pkg/__init__.py

# A plain function added: a namespace change (t9018), but nothing saw
# the reads of this module's names before the recorder ("@-").
printf '\n\ndef extra():\n    return 0\n' >>pkg/__init__.py
ft_settle
assert_set "$ALL" "$(fn)" "a function added to a module made before the recorder"
ft_back pkg/__init__.py

# gone.py's module was dropped from sys.modules; its function, still
# alive in plug.F, tells that its code was loaded.  test_again imports
# gone.py again and runs value() itself, but test_v checks what plug
# computed with it, and so could any test: gone.py is in every test's
# closure, as a module every test uses, not only in test_again's.
ft_edit pkg/gone.py 'return 7' 'return 6 + 1'
assert_set "$ALL" "$(fn)" "gone.value's body, run before the recorder"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "gone.value's body, by file"
ft_back pkg/gone.py

ft_edit pkg/late.py 'return 2 * x' 'return x + x'
assert_set "$LATE" "$(fn)" "late.twice's body: only the test that ran it"
assert_set "$LATE tests/test_late.py::test_late_none" "$(ft affected --format ids --granularity=file)" \
	"late.twice's body, by file"
ft_back pkg/late.py
