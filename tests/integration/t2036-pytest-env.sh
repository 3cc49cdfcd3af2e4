#!/usr/bin/env bash
# Environment variables that Python code reads through os.environ are
# dependencies of the test that read them (adapters/pytest/ftrace_pyenv.py):
# os.environ.get, os.getenv, `in`, in a subprocess's Python too; a read of
# the whole environment (dict(os.environ)) depends on every variable; a
# conftest's read at import is every test's.  A test that read nothing of
# it is not selected, and what the session set for itself (monkeypatch)
# is no change.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic
cat >tests/test_env.py <<'PY'
import os
import subprocess
import sys


def test_get():
    assert os.environ.get("T2036_MODE", "slow") == "slow"


def test_getenv():
    assert os.getenv("T2036_GETENV") is None


def test_in():
    assert "T2036_FLAG" not in os.environ


def test_whole():
    assert "T2036_NEVER" not in dict(os.environ)


def test_child():
    out = subprocess.run([sys.executable, "-c", "import os; print(os.environ.get('T2036_CHILD'))"],
                         check=True, capture_output=True, text=True).stdout
    assert out.strip() == "None"


def test_own(monkeypatch):
    monkeypatch.setenv("T2036_OWN", "mine")
    assert os.environ["T2036_OWN"] == "mine"
PY
cat >>tests/conftest.py <<'PY'


import os as _t2036_os
T2036_CONF = _t2036_os.environ.get("T2036_CONF")
PY
ENV="tests/test_env.py::test_get tests/test_env.py::test_getenv tests/test_env.py::test_in
tests/test_env.py::test_whole tests/test_env.py::test_child tests/test_env.py::test_own"
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2036
settle tests/test_env.py tests/conftest.py
unset T2036_MODE T2036_GETENV T2036_FLAG T2036_CHILD T2036_OWN T2036_CONF T2036_OTHER

record
assert_set "" "$(affected)" "same environment: nothing"
assert_set "tests/test_env.py::test_get tests/test_env.py::test_whole" \
	"$(T2036_MODE=fast affected)" "os.environ.get's variable set"
assert_set "tests/test_env.py::test_getenv tests/test_env.py::test_whole" \
	"$(T2036_GETENV=1 affected)" "os.getenv's variable set"
assert_set "tests/test_env.py::test_in tests/test_env.py::test_whole" \
	"$(T2036_FLAG= affected)" "a variable tested with 'in' set (empty)"
assert_set "tests/test_env.py::test_child tests/test_env.py::test_whole" \
	"$(T2036_CHILD=1 affected)" "a variable a child Python read"
assert_set "tests/test_env.py::test_whole" "$(T2036_OTHER=1 affected)" "a variable only the whole environment holds"
assert_set "tests/test_env.py::test_own tests/test_env.py::test_whole" \
	"$(T2036_OWN=theirs affected)" "a variable monkeypatch set: the root's value counts"
assert_set "$ALL $ENV" "$(T2036_CONF=1 affected)" "a variable the conftest read at import"

# the session's own setting is no change: T2036_OWN unset in both
record
assert_set "" "$(affected)" "second recording: nothing"

# The module alone (adapters/pytest/ftrace_pyenv.py), its control-path
# stats counted: a name once per context, none for ftrace's own, "=" for
# a listing; and "=" at once where os.environ is no os._Environ.
"$FT_PYTHON" - "$FTRACE_BUILD_DIR/adapters/pytest" <<'PY' || ft_fail "ftrace_pyenv alone (see above)"
import os, sys
sys.path.insert(0, sys.argv[1])
os.environ["FTRACE_RUN_DIR"] = "/nonexistent-t2036"
seen = []
real_stat = os.stat
def stat(p, *a, **k):
    if isinstance(p, bytes) and b"/.ctl/env/" in p:
        seen.append(p.split(b"/.ctl/env/", 1)[1].decode())
        raise FileNotFoundError(p)
    return real_stat(p, *a, **k)
os.stat = stat
import ftrace_pyenv
ftrace_pyenv.install()
os.environ.get("T2036_A"); os.environ.get("T2036_A"); os.getenv("FTRACE_X"); "T2036_B" in os.environ
assert seen == ["T2036_A", "T2036_B"], seen
ftrace_pyenv.new_context()
os.environ.get("T2036_A"); dict(os.environ)
assert seen == ["T2036_A", "T2036_B", "T2036_A", "="], seen
# a replaced os.environ: all of it, at once
del seen[:]
ftrace_pyenv._installed[0] = False
saved, os.environ = os.environ, {"A": "1"}
ftrace_pyenv.new_context()
ftrace_pyenv.install()
os.environ = saved
assert seen == ["="], seen
PY
