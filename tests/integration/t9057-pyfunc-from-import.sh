#!/usr/bin/env bash
# t9057-pyfunc-from-import.sh - a test module's from-import of a project
# module that gains or loses a name (docs/python-functions.md, "Test
# modules", "A from-import of a project module").  fixtures/
# pytest-fromimport: tests/test_a.py imports `add` from pkg.mod,
# tests/test_b.py `LIMIT`, `SEEN`, `sub` and the autouse fixture
# `auto_seen`.  A name gained that pkg/mod.py binds
# by one plain statement (a function, a class, a constant) can only be
# seen by the tests that mention it: a test added with what it needs
# selects only itself.  Before, any change of the statement was a skeleton
# change of the module: every test of it.  A name the module does not
# bind plainly (a call's value, a binding in an `if`, no binding at all:
# the import may run code or fail) selects every test of the session; a
# name pytest collects by selects the module whole; a name lost selects
# the tests that mention it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-fromimport
ft_clock_past_ctime

A=tests/test_a.py B=tests/test_b.py
OWN="$A::test_add $A::test_add_more $A::test_like"
record
grep -q '^4 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

imp() { sed -i "s/^from pkg.mod import add\$/from pkg.mod import $1/" "$A"; ft_settle; }
revert() { git checkout -q . && ft_settle; }

# a test added with the name it needs: that test alone, asked for whole
imp "add, sub"
printf '\n\ndef test_sub_too():\n    assert sub(5, add(1, 1)) == 3\n' >>"$A"
ft_settle
assert_set "$A::test_sub_too" "$(fn)" "a test added with the name it imports"
assert_set "$A::test_sub_too" "$(lines)" "the same, as pytest takes it"
run_selected 1
revert

# a class and a constant gained, that no test uses: nothing
imp "add, Box, LIMIT"
assert_set "" "$(fn)" "names gained that no test mentions"
revert

# a test's body now reads a name gained: that test
imp "add, LIMIT"
sed -i 's/assert add(1, 2) == 3/assert add(1, 2) == LIMIT/' "$A"
ft_settle
assert_set "$A::test_add" "$(fn)" "a body that reads a name gained"
revert

# a name the module lacks: collecting test_a.py fails (pytest stops the
# session), and every test of the module is selected, as before
imp "add, missing"
out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "a missing name: the full run passed: $out"
grep -q "ImportError" <<<"$out" || ft_fail "a missing name: no import error: $out"
assert_set "$OWN" "$(fn)" "a name the module does not bind"
ft affected --explain --granularity=function >"$FT_SCRATCH/explain" 2>&1
grep -q "does not bind by one plain statement" "$FT_SCRATCH/explain" ||
	ft_fail "--explain does not say why: $(cat "$FT_SCRATCH/explain")"
revert

# bound plainly, and deleted at import by a function that says `global`
# (no statement shows it; the function ran outside tests and names it)
imp "add, Gone"
out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "Gone: the full run passed: $out"
grep -q "ImportError" <<<"$out" || ft_fail "Gone: no import error: $out"
assert_set "$OWN" "$(fn)" "a name a function of the module deletes at import"
revert

# bound by a statement that runs code, or in an `if`: not plain
for name in MADE SEP; do
	imp "add, $name"
	assert_set "$OWN" "$(fn)" "$name: a name bound otherwise than plainly"
	revert
done

# the module changed as well: the version the session loaded is not now's
# (its own change, a function added that no test ran, selects nothing)
imp "add, mul"
printf '\n\ndef mul(a, b):\n    return a * b\n' >>pkg/mod.py
ft_settle
assert_set "$OWN" "$(fn)" "a name gained of a module that changed"
revert

# a name pytest collects by: the module whole (pytest collects the
# imported class TestPlain as a test class of test_a.py)
imp "add, TestPlain"
n=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider --collect-only "$A" 2>&1 | grep -c '::')
[ "$n" -eq 4 ] || ft_fail "TestPlain is not collected from test_a.py ($n items)"
assert_set "$A" "$(lines)" "a name pytest collects by"
revert

# moved below the statement that reads `add`: the module's import fails
# (NameError), every test of it is selected
sed -i '/^from pkg.mod import add$/d; s/^TWO = add(1, 1)$/TWO = add(1, 1)\nfrom pkg.mod import add, sub/' "$A"
ft_settle
out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "a moved import: the full run passed: $out"
grep -q "NameError" <<<"$out" || ft_fail "a moved import: no NameError: $out"
assert_set "$OWN" "$(fn)" "a from-import moved below a reader of its name"
revert

# a test function replaced by an import of a function of that name: pytest
# collects the imported one in its place (which fails)
"$FT_PYTHON" - "$A" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("from pkg.mod import add\n", "from pkg.mod import add, test_like\n")
s = s.replace("\n\ndef test_like():\n    assert add(1, 1) == 2\n", "\n")
open(p, "w").write(s)
PY
ft_settle
full_run_fails "$A" "1 failed" "a test replaced by an imported one"
assert_set "$A" "$(lines)" "a test function replaced by an imported one"
revert

# an alias: not judged (a skeleton change of the module)
imp "add as plus, sub"
sed -i 's/add(/plus(/' "$A"
ft_settle
assert_set "$A" "$(lines)" "an alias"
revert

# names lost: none mentioned (nothing), one a test mentions (that test,
# which fails in a full run)
sed -i 's/^from pkg.mod import LIMIT, SEEN, auto_seen, sub$/from pkg.mod import SEEN, auto_seen, sub/' "$B"
ft_settle
assert_set "" "$(fn)" "a name lost that no test mentions"
revert
sed -i 's/^from pkg.mod import LIMIT, SEEN, auto_seen, sub$/from pkg.mod import LIMIT, SEEN, auto_seen/' "$B"
ft_settle
full_run_fails "$B" "1 failed" "a name lost"
assert_set "$B::test_sub" "$(fn)" "a name lost that a test mentions"
revert
# an autouse fixture lost: no test mentions it, every test of the module
# used it (pytest takes fixtures from the module's namespace by itself)
sed -i 's/^from pkg.mod import LIMIT, SEEN, auto_seen, sub$/from pkg.mod import LIMIT, SEEN, sub/' "$B"
ft_settle
full_run_fails "$B" "1 failed" "an autouse fixture lost"
assert_set "$B::test_sub" "$(fn)" "an autouse fixture lost from a from-import"
revert
