#!/usr/bin/env bash
# Namespace changes at function granularity (fixtures/pytest-names;
# docs/python-functions.md, "Namespace changes").  A skeleton change that
# only adds, removes or re-signs a plain function, or drops a name from a
# from-import of a standard-library module, selects only the tests that
# read one of the changed names (as an attribute of the module, found or
# not, or the whole namespace) or ran code that mentions one; so does a
# plain assignment (t9027).  A read at import or collection, a mention
# outside function bodies, a name bound twice, any other statement: every
# test, as for any skeleton change.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-names
ft_clock_past_ctime

C=tests/test_calc.py
ALL="$C::test_add $C::test_fact $C::test_root $C::test_lookup $C::test_probe $C::test_dir
$C::test_other $C::test_exported $C::test_opened $C::test_patched $C::test_mocked
tests/test_star.py::test_star"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^12 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }

# What was recorded: the names each test read of pkg/calc.py.
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded name reads"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
calc = root + "/pkg/calc.py"
reads = {n: sorted(q for q in json.loads(f).get(calc, []) if q[0] == "@")
         for n, f in db.execute("SELECT name, funcs FROM pyfunc_tests")}
t = "tests/test_calc.py::"
assert reads[t + "test_add"] == ["@add"], reads
assert reads[t + "test_probe"] == ["@newest"], reads
assert reads[t + "test_dir"] == ["@*"], reads
assert reads[t + "test_other"] == [], reads
# monkeypatch.setattr and mock.patch read __dict__ for one name
assert reads[t + "test_patched"] == ["@root"], reads
assert reads[t + "test_mocked"] == ["@add"], reads
(prelude,) = db.execute("SELECT prelude FROM pyfunc_runs").fetchone()
prelude = json.loads(prelude)
# pkg/__init__.py's from-import re-exports calc's name (docs/python-functions.md,
# "Re-exports"); its HELD = calc.held reads one
assert "@>exported\texported\t%s/pkg/__init__.py" % root in prelude[calc], prelude[calc]
assert "@exported" not in prelude[calc], prelude[calc]
assert "@held" in prelude[calc] and "@+" in prelude[calc], prelude[calc]
assert "@*" in prelude[root + "/pkg/extra.py"], prelude  # the star import
PY
assert_set "" "$(fn)" "nothing changed"

# A plain function added: the test that looked the name up and missed,
# dir(), and lookup(), whose globals() reads any name.
printf '\n\ndef newest():\n    return 0\n' >>pkg/calc.py
ft_settle
assert_set "$C::test_probe $C::test_dir $C::test_lookup" "$(fn)" "a function added"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "a function added, by file"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "name \`newest\` of the module changed, and the test read one" "$FT_SCRATCH/explain" ||
	ft_fail "explain names the name: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/calc.py

# A default changed: the signature is skeleton, the name is add.
ft_edit pkg/calc.py 'def add(a, b=1):' 'def add(a, b=2):'
assert_set "$C::test_add $C::test_dir $C::test_lookup $C::test_mocked" "$(fn)" "a function re-signed"
ft_back pkg/calc.py

# contextlib's contextmanager wraps a function and does nothing else.
ft_edit pkg/calc.py 'def opened(x):' 'def opened(x, y=0):'
assert_set "$C::test_opened $C::test_dir $C::test_lookup" "$(fn)" "a context manager re-signed"
ft_back pkg/calc.py

# A function removed: the test that ran it.
ft_edit pkg/calc.py 'def add(a, b=1):
    return a + b' ''
assert_set "$C::test_add $C::test_dir $C::test_lookup $C::test_mocked" "$(fn)" "a function removed"
ft_back pkg/calc.py

# A name dropped from the from-import: fact() still names it.
ft_edit pkg/calc.py 'from math import factorial, sqrt' 'from math import sqrt'
assert_set "$C::test_fact $C::test_dir $C::test_lookup" "$(fn)" "a from-import name dropped"
ft_back pkg/calc.py

# An import of a module every session has loaded (os): it only binds a
# name, which no test read but through dir() and globals().
ft_edit pkg/calc.py 'import contextlib' 'import contextlib
import os'
assert_set "$C::test_dir $C::test_lookup" "$(fn)" "an import of os added"
ft_back pkg/calc.py
# Of one the recorded session had not loaded at its start-up (colorsys):
# running it is import-time code.  (t9020 covers one it had loaded.)
ft_edit pkg/calc.py 'import contextlib' 'import contextlib
import colorsys'
assert_set "$ALL" "$(fn)" "an import of colorsys added"
ft_back pkg/calc.py
# Removed while a decorator still names it (the module no longer
# imports): every test.
ft_edit pkg/calc.py 'import contextlib
' ''
assert_set "$ALL" "$(fn)" "an import removed that a decorator names"
ft_back pkg/calc.py

# A plain assignment removed (t9027 has more): no function mentions
# LIMIT, so dir() and lookup(), whose globals() reads any name.
ft_edit pkg/calc.py 'LIMIT = 10
' ''
assert_set "$C::test_dir $C::test_lookup" "$(fn)" "an assignment removed"
ft_back pkg/calc.py

# A name read at import (pkg/__init__.py's `HELD = calc.held`).
ft_edit pkg/calc.py 'def held():' 'def held(flag=True):'
assert_set "$ALL" "$(fn)" "a name read at import"
ft_back pkg/calc.py

# A name re-exported (pkg/__init__.py's `from .calc import exported`): the
# test that reads pkg.exported, and as for any name of calc, dir() and
# lookup(), whose globals() reads any name.
ft_edit pkg/calc.py 'def exported():' 'def exported(flag=True):'
assert_set "$C::test_exported $C::test_dir $C::test_lookup" "$(fn)" "a name re-exported"
ft_back pkg/calc.py

# A star import at collection reads extra's whole namespace.
printf '\n\ndef another():\n    return 2\n' >>pkg/extra.py
ft_settle
assert_set "$ALL" "$(fn)" "a function added to a star-imported module"
ft_back pkg/extra.py

# Not plain: a default that runs code; a name bound twice; a name the
# skeleton mentions (a new statement, or one there before).  A plain
# assignment is (test_lookup's globals() reads any name), one that calls
# is not.
printf '\n\ndef newest(x=LIMIT):\n    return x\n' >>pkg/calc.py
ft_settle
assert_set "$ALL" "$(fn)" "a function whose default reads a name"
ft_back pkg/calc.py
printf '\n\ndef sqrt(x):\n    return x\n' >>pkg/calc.py
ft_settle
assert_set "$ALL" "$(fn)" "a function that rebinds an imported name"
ft_back pkg/calc.py
printf '\n\ndef newest():\n    return 0\n\n\nALIAS = newest\n' >>pkg/calc.py
ft_settle
assert_set "$ALL" "$(fn)" "a function the module's own statements name"
ft_back pkg/calc.py
ft_edit pkg/calc.py 'LIMIT = 10' 'LIMIT = 11'
assert_set "$C::test_dir $C::test_lookup" "$(fn)" "an assignment"
ft_back pkg/calc.py
ft_edit pkg/calc.py 'LIMIT = 10' 'LIMIT = len("0123456789")'
assert_set "$ALL" "$(fn)" "an assignment that calls"
ft_back pkg/calc.py
ft_edit pkg/calc.py 'def root(x):' 'def root(x, y=0):'
assert_set "$ALL" "$(fn)" "a function held by a module-level dict, re-signed"
ft_back pkg/calc.py
ft_edit pkg/calc.py '@contextlib.contextmanager' '@contextlib.contextmanager
@staticmethod'
assert_set "$ALL" "$(fn)" "a decorator that is not known to be pure"
ft_back pkg/calc.py

