#!/usr/bin/env bash
# Lazy imports at function granularity (fixtures/pytest-lazy;
# docs/python-functions.md, "Lazy imports").  pkg.front imports pkg.heavy
# only inside show(), so every test module reaches heavy.py, and at file
# granularity a skeleton edit of it selects every test.  At function
# granularity a test whose module reaches heavy.py only through such an
# import depends on it only if the test ran the import, imported heavy
# itself, or ran its code; a module that names heavy in its code (not in a
# comment, not in an import statement) keeps it for its tests (side.peek()
# reads pkg.heavy.LIMIT as an attribute); an import on demand outside any
# test (a session fixture) is an eager one, for every test.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-lazy
ft_clock_past_ctime

SHOW="tests/test_front.py::test_show tests/test_front.py::test_show_again"
PLAIN=tests/test_front.py::test_plain
INLINE=tests/test_front.py::test_inline
COMPUTED=tests/test_front.py::test_computed
OTHER="tests/test_other.py::test_other tests/test_other.py::test_peek tests/test_other.py::test_peek_only"
LIMIT=tests/test_heavy.py::test_limit
ALL="$SHOW $PLAIN $INLINE $COMPUTED $OTHER $LIMIT"

record() {
	ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
}
fn() { ft affected --format ids --granularity=function; }
file() { ft affected --format ids --granularity=file; }

record
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded lazy-only files"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = {n: json.loads(f) for n, f in db.execute("SELECT name, files FROM pyfunc_lazy")}
heavy = [sys.argv[2] + "/pkg/heavy.py"]
# test_computed is one too: it ran heavy's code, which the selection checks
assert rows == {"tests/test_front.py::test_plain": heavy,
                "tests/test_front.py::test_computed": heavy}, rows
PY
assert_set "" "$(fn)" "nothing changed"

ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = abs(11)'
assert_set "$ALL" "$(file)" "heavy.py's skeleton edited, by file"
assert_set "$SHOW $INLINE $COMPUTED $OTHER $LIMIT" "$(fn)" "heavy.py's skeleton edited, by function"
ft_back pkg/heavy.py

ft_edit pkg/heavy.py 'return "<%s>" % x' 'return "[%s]" % x'
assert_set "$SHOW $COMPUTED tests/test_other.py::test_peek" "$(fn)" "heavy.render's body edited: the tests that ran it"
ft_back pkg/heavy.py

# A plugin that imports pkg makes pkg and front modules every test uses:
# their eager closure counts for every test, but not what front imports on
# demand inside a test (the lazy edge front -> heavy must not be followed).
cat >plug.py <<'PY'
import pkg  # noqa: F401
PY
ft_settle
record -p plug
"$FT_PYTHON" - .ftrace/ftrace.db <<'PY' || ft_fail "the lazy-only files with a plugin importing pkg"
import sqlite3, sys
names = {n for (n,) in sqlite3.connect(sys.argv[1]).execute("SELECT name FROM pyfunc_lazy")}
assert names == {"tests/test_front.py::test_plain", "tests/test_front.py::test_computed"}, names
PY
ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = abs(11)'
assert_set "$SHOW $INLINE $COMPUTED $OTHER $LIMIT" "$(fn)" "heavy.py's skeleton edited, pkg imported by a plugin"
ft_back pkg/heavy.py
rm -f plug.py

# Code of heavy.py run outside any test (here by a thread that runs across
# a test boundary, which counts as the prelude) makes it count for every
# test, even when what ran is only a function nested in one of its
# functions (qualname _make.<locals>.inner; test_heavy.py imports heavy at
# collection, so the prelude also ran the module body, which does not
# count).  A thread the test joins is the test's own: its code counts for
# that test only.
cat >>pkg/heavy.py <<'PY'


def _make():
    def inner():
        return LIMIT
    return inner
PY
cat >tests/test_thread.py <<'PY'
import sys
import threading

import pkg


GO = threading.Event()
LATER = []


def test_thread():
    assert pkg.front.show(3) == "<3>"  # imports pkg.heavy on demand
    inner = sys.modules["pkg.hea" + "vy"]._make()  # run by this test
    t = threading.Thread(target=inner)  # joined: this test's
    t.start()
    t.join()


def test_thread_start():
    inner = sys.modules["pkg.heavy"]._make()
    t = threading.Thread(target=lambda: (GO.wait(), inner()))  # across tests: the prelude
    t.start()
    LATER.append(t)


def test_thread_end():
    GO.set()
    LATER[0].join()
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm thread
ft_settle
THREAD="tests/test_thread.py::test_thread tests/test_thread.py::test_thread_start tests/test_thread.py::test_thread_end"
record -k "not test_thread_"
ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = abs(11)'
assert_set "$SHOW $INLINE $COMPUTED $OTHER $LIMIT tests/test_thread.py::test_thread" "$(fn)" \
	"heavy.py's skeleton edited, a nested function of it run by a thread the test joined"
ft_back pkg/heavy.py
ft_settle
record
ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = abs(11)'
assert_set "$ALL $THREAD" "$(fn)" \
	"heavy.py's skeleton edited, a nested function of it run by a thread across tests"
ft_back pkg/heavy.py
git rm -q tests/test_thread.py && git checkout -q HEAD~1 -- pkg/heavy.py
git -c user.email=t@t -c user.name=t commit -qm "no thread"
ft_settle

# A lazy import that a session fixture runs is not any one test's: an
# eager edge, and heavy.py counts for every test that reaches front.
cat >tests/conftest.py <<'PY'
import pytest

import pkg


@pytest.fixture(scope="session", autouse=True)
def warm():
    pkg.front.show(0)
PY
git add tests/conftest.py && git -c user.email=t@t -c user.name=t commit -qm conftest
ft_settle
record
ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = abs(11)'
assert_set "$ALL" "$(fn)" "heavy.py's skeleton edited, the import run by a session fixture"
ft_back pkg/heavy.py
