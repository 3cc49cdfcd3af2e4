#!/usr/bin/env bash
# What the closure rules of t2016 mean for `ftrace affected`: an edit of the
# pytest_plugins module selects every test; an edit of a module that one
# test imported lazily, inside a function, selects every test that reaches
# that function, including the later test that found the module already
# loaded and read nothing; an edit of a submodule used as an attribute
# selects the test module that names it; an edit of a file that a
# session-scoped fixture read selects every test, not only the first user.  Also after a second recording,
# when Python reads only .pyc files and merely stats the sources.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# Python's default: .pyc files are written, so later runs only stat sources.
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
ft_fixture pytest-pkg
# The fixture's files were all just touched (ft_fixture): wait until the
# clock is past their ctime, so that the first recording cannot see them as
# changed during the run (a condition, at most a few milliseconds).
ft_clock_past_ctime

ATTR=tests/test_attr.py::test_double
PRICES=tests/test_prices.py::test_price
CART=tests/test_cart.py::test_total
CHECKOUT=tests/test_checkout.py::test_checkout
FIXTURE=tests/test_plugin_fixture.py::test_currency
CATALOG="tests/test_catalog.py::test_first_user tests/test_catalog.py::test_second_user"
LOADER=tests/test_loader.py::test_discount_rule
ALL="$ATTR $PRICES $CART $CHECKOUT $FIXTURE $CATALOG $LOADER"
record() {
	local out rc=0
	out=$(ft run -- "$FT_PYTHON" -m pytest -q "$@" 2>"$FT_SCRATCH/run.err") || rc=$?
	[ $rc -eq 0 ] || { cat "$FT_SCRATCH/run.err" >&2; ft_fail "ftrace run -- pytest -q $* exited $rc: $out"; }
	check_quiet "$out"
}

# check_quiet STDOUT: only the progress line(s) and the summary of -q.
check_quiet() {
	local extra
	extra=$(printf '%s\n' "$1" | grep -Ev '^[.sxFE]+ +\[ *[0-9]+%\]$|^[0-9]+ (passed|failed|skipped)(, [0-9]+ [a-z]+)* in [0-9.]+s$' || true)
	[ -z "$extra" ] || ft_fail "recording stdout has more than pytest's output: $extra"
}

# affected [ARGS]: `ftrace affected`, which must exit 0 (it could tell).
affected() {
	local out rc=0
	out=$(ft affected "$@") || rc=$?
	[ $rc -eq 0 ] || ft_fail "ftrace affected $* exited $rc"
	printf '%s\n' "$out"
}

# revert FILE: back to the committed content, with a new mtime.
revert() {
	git checkout -q -- "$1"
	settle "$1"
}

# settle PATH...: a past mtime on PATH and its directory.  A file modified
# in the clock tick the recording starts in may have changed during the run,
# and is then rightly recorded as "unknown"; tests that edit and record at
# once must not depend on how fast they are.
settle() {
	local p
	for p in "$@"; do
		touch -d '2023-03-03 03:03:03' "$p" "$(dirname "$p")"
	done
}

for round in first second; do
	record
	assert_set "" "$(affected)" "$round recording, no change"
	echo 'RATE = 21' >shop/tax.py
	assert_set "$CART $CHECKOUT" "$(affected)" "$round recording: lazily imported shop/tax.py edited"
	revert shop/tax.py
	printf '\n\n@pytest.fixture\ndef unit():\n    return "cent"\n' >>shop/fixtures_plugin.py
	assert_set "$ALL" "$(affected)" "$round recording: pytest_plugins module edited"
	revert shop/fixtures_plugin.py
	printf '\n\ndef triple(x):\n    return 3 * x\n' >>shop/util.py
	assert_set "$ATTR $PRICES" "$(affected)" "$round recording: shop/util.py edited"
	revert shop/util.py
	echo 'PERCENT = 15' >shop/rules_discount.py
	assert_set "$LOADER" "$(affected)" "$round recording: module loaded by importlib.import_module edited"
	revert shop/rules_discount.py
	# Read by a session fixture during the first user's setup: the prelude's.
	echo 'quince' >>shop/catalog.txt
	assert_set "$ALL" "$(affected)" "$round recording: data file of a session fixture edited"
	revert shop/catalog.txt
	assert_set "" "$(affected)" "$round recording: everything reverted"
done
