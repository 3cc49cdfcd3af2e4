#!/usr/bin/env bash
# `ftrace affected --granularity=function` on fixtures/pytest-funcs, recorded
# with `ftrace run --granularity=function`: exact sets for each kind of edit
# issue 5 lists.  shop/__init__.py imports every module and tests/conftest.py
# imports shop, so at file granularity every edit of shop/ selects all
# tests; function granularity must narrow a body-only edit to the tests that
# ran the body, and nothing else:
#   - a body run only at import (build_table), a module constant, a
#     decorator, a class attribute, a session fixture's helper, a
#     docstring added, a docstring read at import (functools.wraps): all
#     tests;
#   - a docstring a test reads as help text without running the function:
#     that test; a docstring nobody reads: no test;
#   - a comment: nothing;
#   - a test whose subprocess imports the module: selected by any change
#     of a fingerprint of that module (not by a comment).
# One Python process fingerprints the changed .py files, and none starts
# when no .py changed (a logging wrapper counts the calls).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-funcs
# badbin: first on PATH for the whole script (PATH is a dependency of
# every test: it must be the recording's where `affected` runs); its
# python3 is the real one until the step that makes it fail
mkdir -p "$FT_SCRATCH/badbin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$FT_PYTHON" >"$FT_SCRATCH/badbin/python3"
chmod +x "$FT_SCRATCH/badbin/python3"
export PATH=$FT_SCRATCH/badbin:$PATH

# A test that runs project code in a subprocess: the in-process recorder
# cannot see it, the preload does.
cat >tests/test_sub.py <<'PY'
import subprocess
import sys


def test_sub():
    out = subprocess.run([sys.executable, "-c", "from shop import prices; print(prices.net(1.5))"],
                         check=True, capture_output=True, text=True).stdout
    assert out.strip() == "1.5"
PY
# A test that reads a data file: function granularity never drops a test
# selected for a file that is not Python.
printf '1.25\n' >tests/rate.txt
cat >tests/test_data.py <<'PY'
import os


def test_rate():
    with open(os.path.join(os.path.dirname(__file__), "rate.txt")) as f:
        assert float(f.read()) > 1
PY
# A test that reads a docstring without running the function (a CLI's help
# text): an edit of that docstring must select it, although it is in no
# body the test ran (pytest-testmon counts it as body and would leave this
# test out).  A docstring nobody reads selects nothing, and one that
# functools.wraps copies at import selects every importer.
cat >tests/test_help.py <<'PY'
from shop import util


def test_help():
    assert "slug" in util.slug.__doc__
PY
ft_edit shop/util.py 'def slug(text):' 'def slug(text):
    """Make a slug of text."""'
cat >>shop/util.py <<'PY'


def unread():
    """Nobody reads this docstring."""
    return 0


def wrapped():
    """functools.wraps copies this docstring at import."""
    return 1


@functools.wraps(wrapped)
def wrapper():
    return wrapped()
PY
ft_edit shop/util.py 'def build_table():' 'import functools


def build_table():'
git add shop/util.py tests/test_sub.py tests/test_data.py tests/rate.txt tests/test_help.py &&
	git -c user.email=t@t -c user.name=t commit -qm "sub, data"

LOG=$FT_PYLOG
ft_counting_python python
export FTRACE_PYTHON=$FT_SCRATCH/python

NET=tests/test_prices.py::test_net
GROSS=tests/test_prices.py::test_gross
SLUG=tests/test_util.py::test_slug
LABEL=tests/test_catalog.py::test_label
SUB=tests/test_sub.py::test_sub
DATA=tests/test_data.py::test_rate
HELP=tests/test_help.py::test_help
ALL="$HELP $DATA $NET $GROSS $SLUG tests/test_util.py::test_table tests/test_util.py::test_session
$LABEL tests/test_catalog.py::test_kind tests/test_registry.py::test_hello
tests/test_registry.py::test_names tests/test_env.py::test_env_hidden $SUB"

# .pyc files written during the recording would be "modified during the
# run" for test_sub's subprocess, which reads them: write them first.
"$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null 2>&1 || ft_fail "pytest failed"
ft_settle
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording failed"; }
grep -q '^13 passed' "$FT_SCRATCH/out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/out")"

# The tables (python/ft_pyfunc.h), as recorded.
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "pyfunc tables (see above)"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
rows = {n: (c, json.loads(f), json.loads(o)) for n, c, f, o in
        db.execute("SELECT name, complete, funcs, own FROM pyfunc_tests")}
assert len(rows) == 13 and all(c == 2 for c, f, o in rows.values()), rows  # FT_PYFUNC_COMPLETE
assert sorted(rows["tests/test_prices.py::test_net"][1][root + "/shop/prices.py"]) == ["@net", "net"], rows
# pytest stats a test's module in the test's context, and runs no program
# there: not "own".  The modules test_sub's subprocess imports are (and
# only fingerprinted files).
assert rows["tests/test_prices.py::test_net"][2] == [], rows
assert sorted(rows["tests/test_sub.py::test_sub"][2]) == [
    root + p for p in ("/shop/__init__.py", "/shop/catalog.py", "/shop/prices.py",
                       "/shop/registry.py", "/shop/util.py", "/tests/test_sub.py")], rows
(prelude,), = db.execute("SELECT prelude FROM pyfunc_runs").fetchall()
assert "build_table" in json.loads(prelude)[root + "/shop/util.py"], prelude
fps = {p.decode(): (sk, json.loads(b), json.loads(pre)) for p, sk, b, pre in
       db.execute("SELECT path, skeleton, bodies, prelude FROM pyfunc_fps")}
assert sorted(fps[root + "/shop/prices.py"][1]) == ["gross", "net"], fps
assert "session_label" in fps[root + "/shop/util.py"][2], fps
PY

fn() { ft affected --format ids --granularity=function; }

assert_set "" "$(fn)" "nothing changed"
: >"$LOG"
echo "# a note" >>pytest.ini
ft_settle
assert_set "$ALL" "$(fn)" "pytest.ini changed (no .py)"
# (only the view of pytest.ini, which a comment leaves as it was: no
# change of what pytest collects, python/ft_pyconf.h)
! grep -v "from ftrace_pyconf import" "$LOG" ||
	ft_fail "python started although no .py changed: $(cat "$LOG")"
ft_back pytest.ini

ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
: >"$LOG"
assert_set "$NET $SUB" "$(fn)" "function body (prices.net)"
assert_eq 1 "$(wc -l <"$LOG")" "one python process"
# python -I -S -c "...ftrace_fingerprint..." ADAPTER_DIR --stdlib MODULES
# FILE...: prices.py only, and from-imports checked for the modules the
# recording had loaded from the standard library
grep -q "ftrace_fingerprint import main.*/adapters/pytest --stdlib [a-z0-9_,]*threading[a-z0-9_,]* $PWD/shop/prices.py\$" "$LOG" ||
	ft_fail "fingerprinted more than prices.py: $(cat "$LOG")"
assert_set "$NET $SUB" "$(ft affected --format ids)" "the same edit at the default granularity (by function)"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "the same edit, --granularity=file"
ft_back shop/prices.py
assert_set "" "$(fn)" "reverted"

ft_edit shop/prices.py "round(amount * (1 + TAX), 2)" "round(amount * (1 + TAX), 4)"
ft_edit shop/util.py '"-".join(' '"_".join('
assert_set "$GROSS $SLUG $SUB" "$(fn)" "two bodies in two files"
ft_back shop/prices.py shop/util.py

ft_edit shop/catalog.py '"%s:%s"' '"%s:%s" if 1 else ""'
assert_set "$LABEL $SUB" "$(fn)" "method body (Item.label)"
ft_back shop/catalog.py

ft_edit shop/util.py "range(4)" "range(5)"
assert_set "$ALL" "$(fn)" "body of a function run only at import (build_table)"
ft_back shop/util.py

# A plain assignment (issue 26): gross() mentions TAX, and test_sub's
# subprocess imports prices.py.  A value that calls is import-time code.
ft_edit shop/prices.py "TAX = 0.25" "TAX = 0.5"
assert_set "$GROSS $SUB" "$(fn)" "module-level constant"
ft_back shop/prices.py
ft_edit shop/prices.py "TAX = 0.25" "TAX = float(0.5)"
assert_set "$ALL" "$(fn)" "module-level assignment that calls"
ft_back shop/prices.py

ft_edit shop/registry.py '@register("bye")' '@register("ciao")'
assert_set "$ALL" "$(fn)" "decorator argument"
ft_back shop/registry.py

# Item is a plain class: the change is one of its name, and
# tests/test_catalog.py re-exports it (from shop.catalog import Item): its
# tests, and test_sub's subprocess.
ft_edit shop/catalog.py 'kind = "item"' 'kind = "thing"'
assert_set "$LABEL tests/test_catalog.py::test_kind $SUB" "$(fn)" "class attribute"
ft_back shop/catalog.py

ft_edit shop/util.py 'return "session"' 'return "session!"'
assert_set "$ALL" "$(fn)" "helper of a session-scoped fixture"
ft_back shop/util.py

ft_edit shop/util.py '"""Make a slug of text."""' '"""Make a slug of some text."""'
assert_set "$HELP $SUB" "$(fn)" "a docstring read as help text by test_help, which never runs slug"
ft_back shop/util.py

ft_edit shop/util.py '"""Nobody reads this docstring."""' '"""Nobody reads this docstring at all."""'
assert_set "$SUB" "$(fn)" "a docstring nobody reads (test_sub's subprocess imports util.py)"
ft_back shop/util.py

ft_edit shop/util.py '"""functools.wraps copies this docstring at import."""' '"""Copied at import."""'
assert_set "$ALL" "$(fn)" "a docstring functools.wraps copies at import"
ft_back shop/util.py

ft_edit shop/util.py 'def session_label():' 'def session_label():
    """Added."""'
assert_set "$ALL" "$(fn)" "a docstring added (the skeleton says which functions have one)"
ft_back shop/util.py

ft_edit shop/prices.py "# the price before tax" "# the price, before any tax"
assert_set "" "$(fn)" "comment only"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "comment only, at file granularity"
ft_back shop/prices.py
printf '1.5\n' >tests/rate.txt
ft_settle
assert_set "$DATA" "$(fn)" "a data file read by one test"
assert_set "$DATA" "$(ft affected --format ids --granularity=file)" "the data file, at file granularity"
ft_back tests/rate.txt

ft_edit shop/registry.py 'return "hello"' 'return "hello"  # greet'
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
assert_set "$NET $SUB" "$(fn)" "a comment in one file, a body in another"
ft_back shop/registry.py shop/prices.py

# A test's body: that test.  (pytest stats the module in each of its
# tests' contexts; a stat where no program was exec'd is not "own", and
# until it was not, the whole module was selected.)
ft_edit tests/test_prices.py "prices.net(2.0) == 2.0" "prices.net(2.0) == 2"
assert_set "$NET" "$(fn)" "a test function's body"
ft_back tests/test_prices.py

# A file that no longer parses: its tests are selected by file.
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 2"
assert_set "$ALL" "$(fn)" "syntax error"
ft_back shop/prices.py

# No Python to fingerprint with: file granularity, and a message.
FTRACE_PYTHON=$FT_SCRATCH/no-such-python ft affected --format ids --granularity=function >"$FT_SCRATCH/o" 2>"$FT_SCRATCH/e" ||
	ft_fail "affected failed without python"
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
out=$(FTRACE_PYTHON=$FT_SCRATCH/no-such-python ft affected --format ids --granularity=function 2>"$FT_SCRATCH/e") ||
	ft_fail "affected failed without python"
assert_set "$ALL" "$out" "no python: by file"
grep -q "the fingerprint tool failed" "$FT_SCRATCH/e" || ft_fail "no message: $(cat "$FT_SCRATCH/e")"
ft_back shop/prices.py

# Without FTRACE_PYTHON, python3 from PATH: never the interpreter the
# recording names (a note in meta only; t3200), even when python3 on PATH
# is another one (here: one that always fails): by file, and a message.
exe=$("$FT_PYTHON" -c 'import sys; print(sys.executable)')
assert_eq "$exe" "$(sqlite3 .ftrace/ftrace.db "SELECT value FROM meta WHERE key = 'pyfunc_python'")" \
	"recorded interpreter"
cp "$FT_SCRATCH/badbin/python3" "$FT_SCRATCH/python3.good"
printf '#!/bin/sh\nexit 3\n' >"$FT_SCRATCH/badbin/python3"
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
out=$(env -u FTRACE_PYTHON "$FTRACE_BIN" affected --format ids --granularity=function 2>"$FT_SCRATCH/e") ||
	ft_fail "affected failed with a failing python3"
assert_set "$ALL" "$out" "failing python3 on PATH, recorded interpreter not used: by file"
grep -q "the fingerprint tool failed.*running python3)" "$FT_SCRATCH/e" || ft_fail "no message: $(cat "$FT_SCRATCH/e")"
# ... and by function with a working one.
cp "$FT_SCRATCH/python3.good" "$FT_SCRATCH/badbin/python3"
out=$(env -u FTRACE_PYTHON "$FTRACE_BIN" affected --format ids --granularity=function 2>"$FT_SCRATCH/e") ||
	ft_fail "affected failed with python3 from PATH"
assert_set "$NET $SUB" "$out" "body edit, python3 from PATH"
[ ! -s "$FT_SCRATCH/e" ] || ft_fail "unexpected message: $(cat "$FT_SCRATCH/e")"
ft_back shop/prices.py

assert_status 64 ft affected --format ids --granularity=line

# Per-test seen state: a skeleton edit, then only test_gross recorded again.
# test_net still saw the old version: compared with the fingerprints of
# what it saw (not with the newer recording's), it is affected, and so is
# every other test that saw the old version.
ft_edit shop/prices.py "TAX = 0.25" "TAX = float(0.5)"
ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	tests/test_prices.py::test_gross >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "partial recording failed"; }
assert_set "$(printf '%s\n' $ALL | grep -vx "$GROSS")" "$(fn)" "partial re-run after a skeleton edit"
