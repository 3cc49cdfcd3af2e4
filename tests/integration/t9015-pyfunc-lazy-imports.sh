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
	ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
}
fn() { ft affected --format ids --granularity=function; }
file() { ft affected --format ids; }

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

ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = 11'
assert_set "$ALL" "$(file)" "heavy.py's skeleton edited, by file"
assert_set "$SHOW $INLINE $COMPUTED $OTHER $LIMIT" "$(fn)" "heavy.py's skeleton edited, by function"
ft_back pkg/heavy.py

ft_edit pkg/heavy.py 'return "<%s>" % x' 'return "[%s]" % x'
assert_set "$SHOW $COMPUTED tests/test_other.py::test_peek" "$(fn)" "heavy.render's body edited: the tests that ran it"
ft_back pkg/heavy.py

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
ft_edit pkg/heavy.py 'LIMIT = 10' 'LIMIT = 11'
assert_set "$ALL" "$(fn)" "heavy.py's skeleton edited, the import run by a session fixture"
ft_back pkg/heavy.py
