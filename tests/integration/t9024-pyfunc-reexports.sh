#!/usr/bin/env bash
# Re-exports at function granularity (fixtures/pytest-reexport;
# docs/python-functions.md, "Re-exports").  A function re-signed in a
# module whose name a package's __init__ (or another module) re-exports
# with `from .m import name` is read at import, which used to select every
# test.  The recorder notes such a from-import as a re-export into the
# importer, and then only the tests that can see the importer's name are
# kept: those that read it, ran the importer's functions that mention it,
# or see it through a further re-export.  A removed name (the importer's
# import would fail), a name the importer's own statements also use, and a
# test of the test module that re-exports select as before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-reexport
ft_clock_past_ctime

RUN=tests/test_run.py::test_run
HELPER=tests/test_helper.py::test_helper
TABLE="tests/test_table.py::test_table tests/test_table.py::test_table_signature"
FROM="tests/test_from.py::test_fmt tests/test_from.py::test_plain"
LOUD=tests/test_loud.py::test_loud
NAME=tests/test_name.py::test_fmt_name
ALL="$RUN $HELPER $TABLE $FROM $LOUD $NAME"

record
grep -q '^8 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# The prelude holds re-exports, not reads, for the from-imports of
# pkg/__init__.py, pkg/core.py, pkg/mid.py and tests/test_from.py.
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded re-exports"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
(pre,), = db.execute("SELECT prelude FROM pyfunc_runs").fetchall()
pre = json.loads(pre)
def fw(src, n, a, dst):
    return "@>%s\t%s\t%s/%s" % (n, a, root, dst)
core, util, mid = (pre[root + "/pkg/" + m] for m in ("core.py", "util.py", "mid.py"))
assert fw("core", "helper", "helper", "pkg/__init__.py") in core, core
assert fw("core", "run", "run", "pkg/__init__.py") in core, core
assert "@helper" not in core and "@run" not in core, core
assert fw("util", "fmt", "fmt", "pkg/core.py") in util, util
assert fw("util", "fmt", "fmt", "tests/test_from.py") in util, util
assert fw("util", "table", "table", "pkg/mid.py") in util, util
assert fw("mid", "table", "table", "pkg/__init__.py") in mid, mid
PY

ft_edit pkg/core.py 'def helper():' 'def helper(n=1):'
assert_set "$HELPER" "$(fn)" "helper() re-signed: the test that reads pkg.helper"
ft_back pkg/core.py

# test_table_signature never runs table(), and fails in a full run.
ft_edit pkg/util.py 'def table():' 'def table(rows=None):'
full_run_fails tests/test_table.py "1 failed, 1 passed" "table()"   # test_table_signature
assert_set "$TABLE" "$(fn)" "table() re-signed: through two re-exports"
ft_back pkg/util.py

# fmt: core's run() and fmt_name() mention it (test_run and test_fmt_name
# ran them; test_fmt_name never ran fmt), and test_from's own module has it
# (both of its tests: pytest's collector reads its names).
ft_edit pkg/util.py 'def fmt(x):' 'def fmt(x, sep=""):'
assert_set "$RUN $NAME $FROM" "$(fn)" "fmt() re-signed"
ft_back pkg/util.py

ft_edit pkg/core.py 'def shout():' 'def shout(n=1):'
assert_set "$ALL" "$(fn)" "shout() re-signed: LOUD holds what the import bound"
ft_back pkg/core.py

# helper() gone: pkg's from-import fails, every test fails.
ft_edit pkg/core.py 'def helper():
    return 1' ''
full_run_fails tests "errors" "helper()"   # pkg's import fails at collection
assert_set "$ALL" "$(fn)" "helper() removed: the re-export fails"
ft_back pkg/core.py

# A body edit is what it was: the tests that ran it.
ft_edit pkg/core.py 'return 1' 'return 2 - 1'
assert_set "$HELPER" "$(fn)" "helper()'s body"
ft_back pkg/core.py

# The package's __all__ names the re-exported functions in its strings (a
# plain assignment: constants only).  Such a word reaches pkg's `helper`
# only through a read of pkg's names, which is noted, so a re-signed
# helper still selects only the test that reads pkg.helper; a name the
# package's other statements hold (LOUD = shout) still selects every test.
printf '\n__all__ = ["helper", "run", "shout", "table", "LOUD"]\n' >>pkg/__init__.py
git add -A && git -c user.email=t@t -c user.name=t commit -qm "__all__"
ft_settle
record
assert_set "" "$(fn)" "nothing changed, with __all__"
ft_edit pkg/core.py 'def helper():' 'def helper(n=1):'
assert_set "$HELPER" "$(fn)" "helper() re-signed, named in __all__"
ft_back pkg/core.py
ft_edit pkg/core.py 'def shout():' 'def shout(n=1):'
assert_set "$ALL" "$(fn)" "shout() re-signed, named in __all__ and held by LOUD"
ft_back pkg/core.py
# __all__ built by code that names the function itself: every test
ft_edit pkg/__init__.py '__all__ = ["helper", ' '__all__ = [helper.__name__, '
git add -A && git -c user.email=t@t -c user.name=t commit -qm "__all__ by code"
ft_settle
record
ft_edit pkg/core.py 'def helper():' 'def helper(n=1):'
assert_set "$ALL" "$(fn)" "helper() re-signed, __all__ reads it"
ft_back pkg/core.py
