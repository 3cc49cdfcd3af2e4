#!/usr/bin/env bash
# `ftrace test --granularity=function -- pytest` passes the switch both ways:
# it records the executed functions (as `ftrace run --granularity=function`)
# and selects by them (as `ftrace affected --granularity=function`), on
# fixtures/pytest-funcs.  With --granularity=file, `ftrace test` records and
# selects by file.  Without the switch it is auto: by function where the
# interpreter has a cheap hook (ft_cheap_hook), else by file.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYTHON
ft_fixture pytest-funcs

# tst ARGS...: ftrace test ARGS -- pytest; stdout+stderr in $FT_SCRATCH/out
tst() {
	ft test "$@" -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
		{ cat "$FT_SCRATCH/out" >&2; ft_fail "ftrace test $* failed"; }
}
rows() {
	"$FT_PYTHON" -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM pyfunc_tests").fetchone()[0])' \
		.ftrace/ftrace.db
}

"$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null 2>&1 || ft_fail "pytest failed"
ft_settle

# No recording yet: everything runs, and is recorded by function.
tst --granularity=function
grep -q '^10 passed' "$FT_SCRATCH/out" || ft_fail "first run: $(cat "$FT_SCRATCH/out")"
assert_eq 10 "$(rows)" "function rows after the first ftrace test"
assert_set "" "$(ft affected --granularity=function)" "nothing changed"

# A body only test_net runs: only test_net runs.
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
tst --granularity=function
grep -q '^1 passed, 9 deselected' "$FT_SCRATCH/out" || ft_fail "body edit: $(cat "$FT_SCRATCH/out")"
grep -q '1 affected test; 9 known tests deselected' "$FT_SCRATCH/out" ||
	ft_fail "body edit, summary: $(cat "$FT_SCRATCH/out")"
# ...and was recorded again: the map is current at both granularities'
# view of function granularity (the others saw the old version, whose
# fingerprints differ only in a body they did not run).
assert_set "" "$(ft affected --granularity=function)" "after the selective run"

# --granularity=file: by file, every test (shop/__init__ imports all).
ft_edit shop/prices.py "round(amount * (1 + TAX), 2)" "round(amount * (1 + TAX), 4)"
tst --granularity=file
grep -q '^10 passed' "$FT_SCRATCH/out" || ft_fail "file granularity: $(cat "$FT_SCRATCH/out")"

# That run recorded by file: the tests' function rows are stale, so the
# next edit selects by file even with the switch (and records by function).
ft_edit shop/prices.py "round(amount * (1 + TAX), 4)" "round(amount * (1 + TAX), 3)"
tst --granularity=function
grep -q '^10 passed' "$FT_SCRATCH/out" || ft_fail "after a file run: $(cat "$FT_SCRATCH/out")"

# The same kind of edit again, with the switch: only test_gross.
ft_edit shop/prices.py "round(amount * (1 + TAX), 3)" "round(amount * (1 + TAX), 2)"
tst --granularity=function
grep -q '^1 passed, 9 deselected' "$FT_SCRATCH/out" || ft_fail "gross edit: $(cat "$FT_SCRATCH/out")"
assert_set "" "$(ft affected --granularity=function)" "after the second selective run"

# A skeleton edit (an assignment that calls): every test, with the switch too.
ft_edit shop/prices.py "TAX = 0.25" "TAX = float(0.5)"
tst --granularity=function
grep -q '^10 passed in' "$FT_SCRATCH/out" || ft_fail "skeleton edit: $(cat "$FT_SCRATCH/out")"

# Without the switch (auto): the tests recorded by function are selected
# by function, so a body edit runs only test_net.  That run records test_net
# by function where the interpreter has a cheap hook, else by file, which
# the next edit's --explain tells.
ft_edit shop/prices.py "return round(amount, 3)" "return round(amount, 4)"
tst
grep -q '^1 passed, 9 deselected' "$FT_SCRATCH/out" || ft_fail "default, body edit: $(cat "$FT_SCRATCH/out")"
ft_edit shop/prices.py "return round(amount, 4)" "return round(amount, 5)"
if ft_cheap_hook; then
	why="function \`net\` changed, and the test ran it"
else
	why="function granularity: the test's last recording was at file granularity"
fi
grep -qF "$why" <<<"$(ft affected --explain)" || ft_fail "default, recorded: not '$why': $(ft affected --explain)"
tst
grep -q '^1 passed, 9 deselected' "$FT_SCRATCH/out" || ft_fail "default, second edit: $(cat "$FT_SCRATCH/out")"
assert_set "" "$(ft affected)" "after the default runs"

# A test added to a module: `ftrace test` runs it alone and records it.
# The module's other tests saw the old version, and its changed test
# functions are asked for whole; the new test's own recording saw the
# module as it is now, so it is not asked for again (before, each later
# `affected` selected it, until the whole module was recorded again).
ft_edit tests/test_prices.py "def test_gross():" "def test_half():
    assert prices.net(1.0) == 1.0


def test_gross():"
tst --granularity=function
grep -q '^1 passed, 10 deselected' "$FT_SCRATCH/out" || ft_fail "a test added: $(cat "$FT_SCRATCH/out")"
assert_set "" "$(ft affected --granularity=function --format ids)" "after the added test's run"

assert_status 64 ft test --granularity=line -- "$FT_PYTHON" -m pytest
grep -qF -- '--granularity=auto|function|file' <<<"$(ft test --help)" || ft_fail "--help does not name --granularity"
