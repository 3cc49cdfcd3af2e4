#!/usr/bin/env bash
# Plain assignments at function granularity (fixtures/pytest-assign;
# docs/python-functions.md, "Namespace changes", issue 26's module-level
# tables and constants).  A top-level `A = value` whose value is built of
# constants only binds a name: a change of it selects the tests that ran
# a function mentioning the name, read it from the module, or read the
# whole namespace.  A name read at import, a star-imported module, a
# module reading its own globals(), a value that calls a function not
# known pure, a name bound twice or rebound by a function's `global`, a
# dunder the interpreter reads itself: every test, as before.  An
# annotated one in a module that postpones its annotations is plain too,
# as long as the module's annotations stay the same.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-assign
ft_clock_past_ctime

C=tests/test_consts.py
ALL="$C::test_limited $C::test_plain $C::test_direct $C::test_vars $C::test_keyword
$C::test_tokens $C::test_cap $C::test_shared $C::test_dyn $C::test_license $C::test_level
tests/test_star.py::test_star"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^12 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
assert_set "" "$(fn)" "nothing changed"

# A constant that one function mentions: the test that ran it, and the
# one that read the whole namespace (vars()).
ft_edit pkg/consts.py 'LIMIT = 10' 'LIMIT = 11'
assert_set "$C::test_limited $C::test_vars" "$(fn)" "a constant changed"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "a constant changed, by file"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "name \`LIMIT\` of the module changed" "$FT_SCRATCH/explain" ||
	ft_fail "explain names the name: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/consts.py

# One entry of a table: the test that ran the function that reads it.
ft_edit pkg/tables.py '"or": 2' '"or": 3'
assert_set "$C::test_keyword" "$(fn)" "a table entry changed"
ft_back pkg/tables.py
ft_edit pkg/tables.py '(1, -2)}' '(1, -3), 4}'
assert_set "$C::test_tokens" "$(fn)" "a nested table changed"
ft_back pkg/tables.py

# Read from a test's own body (an attribute of the module): that test.
ft_edit pkg/consts.py 'DIRECT = "direct"' 'DIRECT = "indirect"'
assert_set "$C::test_direct $C::test_vars" "$(fn)" "a constant a test reads changed"
ft_back pkg/consts.py

# Added: no one read the name but through vars() (a dunder too, whose
# reads are noted: "Dunders"); removed: its readers.
printf '\n__version__ = "1.0"\n' >>pkg/consts.py
ft_settle
assert_set "$C::test_vars" "$(fn)" "a dunder assignment added"
ft_back pkg/consts.py
printf '\nNEWEST = (1, 2)\n' >>pkg/consts.py
ft_settle
assert_set "$C::test_vars" "$(fn)" "an assignment added"
ft_back pkg/consts.py
ft_edit pkg/consts.py 'DIRECT = "direct"
' ''
assert_set "$C::test_direct $C::test_vars" "$(fn)" "an assignment removed"
ft_back pkg/consts.py
ft_edit pkg/tables.py 'KEYWORDS = {"and": 1, "or": 2, ("not", "in"): -3}
' ''
assert_set "$C::test_keyword" "$(fn)" "a table removed"
ft_back pkg/tables.py

# Re-exported (pkg/__init__.py's `from .consts import SHARED`): the test
# that reads pkg.SHARED ("Re-exports"), and vars().
ft_edit pkg/consts.py 'SHARED = 5' 'SHARED = 6'
assert_set "$C::test_shared $C::test_vars" "$(fn)" "a re-exported constant changed"
ft_back pkg/consts.py

# An annotated table in a module that postpones its annotations (the text
# of each goes into __annotations__, unchanged): the test that ran the
# function reading it, through the package's re-export; a table nothing
# reads, no test.
ft_edit pkg/annotated.py '"bsd": "BSD-3-Clause"' '"bsd": "BSD-2-Clause"'
assert_set "$C::test_license" "$(fn)" "an annotated table entry changed"
ft_back pkg/annotated.py
ft_edit pkg/annotated.py '"GCC-exception-3.1"' '"GCC-exception-3.2"'
assert_set "" "$(fn)" "an annotated table nothing reads changed"
ft_back pkg/annotated.py
# __annotations__ changed (its reads are not noted): every test, when
# an annotation is changed, one is added, or two swap places ...
ft_edit pkg/annotated.py 'EXCEPTIONS: Dict[str, str]' 'EXCEPTIONS: Dict[str, object]'
assert_set "$ALL" "$(fn)" "an annotation changed"
ft_back pkg/annotated.py
printf '
ADDED: int = 1
' >>pkg/annotated.py
ft_settle
assert_set "$ALL" "$(fn)" "an annotated assignment added"
ft_back pkg/annotated.py
ft_edit pkg/annotated.py 'LICENSES: Dict[str, str] = {"mit": "MIT", "bsd": "BSD-3-Clause"}
EXCEPTIONS: Dict[str, str] = {"gcc": "GCC-exception-3.1"}' 'EXCEPTIONS: Dict[str, str] = {"gcc": "GCC-exception-3.1"}
LICENSES: Dict[str, str] = {"mit": "MIT", "bsd": "BSD-2-Clause"}'
assert_set "$ALL" "$(fn)" "two annotated assignments swapped"
ft_back pkg/annotated.py
# ... and an annotation evaluated at import (it reads a name).
ft_edit pkg/eager.py '"high": 2' '"high": 3'
assert_set "$ALL" "$(fn)" "a table with an evaluated annotation"
ft_back pkg/eager.py

# Every test: a name read at import (`CAP = consts.CAP`) ...
ft_edit pkg/consts.py 'CAP = 99' 'CAP = 100'
assert_set "$ALL" "$(fn)" "a constant read at import"
ft_back pkg/consts.py
# ... a star import without __all__ at collection ...
ft_edit pkg/starred.py 'STAR = 1' 'STAR = 2'
assert_set "$ALL" "$(fn)" "a constant of a star-imported module"
ft_back pkg/starred.py
# ... a module whose top level reads its own globals() ...
ft_edit pkg/dyn.py 'X = 1' 'X = 2'
assert_set "$ALL" "$(fn)" "a constant of a module reading globals()"
ft_back pkg/dyn.py
# ... a value that calls a function ...
# (a builtin the rule does not know pure: "Derived values")
ft_edit pkg/consts.py 'COMPUTED = abs(-3)' 'COMPUTED = abs(-4)'
assert_set "$ALL" "$(fn)" "an assignment whose value calls"
ft_back pkg/consts.py
ft_edit pkg/consts.py 'LIMIT = 10' 'LIMIT = 10 * 2'
assert_set "$ALL" "$(fn)" "an assignment whose value is an operation"
ft_back pkg/consts.py
# ... a name bound twice, one a function rebinds with `global` ...
ft_edit pkg/consts.py 'TWICE = 2' 'TWICE = 3'
assert_set "$ALL" "$(fn)" "a name bound twice"
ft_back pkg/consts.py
ft_edit pkg/consts.py 'COUNTER = 0' 'COUNTER = 5'
assert_set "$ALL" "$(fn)" "a name a function rebinds with global"
ft_back pkg/consts.py
# ... a dunder the interpreter reads from the module's dict (no read of it
# is noted: "Dunders") and an unpacking.
printf '\n__getattr__ = None\n' >>pkg/consts.py
ft_settle
assert_set "$ALL" "$(fn)" "a module __getattr__ added"
ft_back pkg/consts.py
ft_edit pkg/consts.py 'LIMIT = 10' 'LIMIT, OTHER = 10, 1'
assert_set "$ALL" "$(fn)" "an unpacking assignment"
ft_back pkg/consts.py
