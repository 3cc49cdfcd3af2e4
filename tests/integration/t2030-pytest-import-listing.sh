#!/usr/bin/env bash
# Under `python -m pytest` the rootdir is on sys.path, so the import system
# lists it, and that listing is in every test's prelude.  ftrace's
# sitecustomize wraps the import system's two listers (FileFinder's cache,
# importlib.metadata's search) from the interpreter's start, and ingest
# records what they listed as "import-list": only a name the import system
# can use (a module, a package, a namespace directory, a .dist-info) added
# or removed counts, and a module's name only where a lookup of it was
# recorded (ftrace_pysite._note_lookup stats the names each lookup could
# take, found or not).  Any other reader of the directory still counts
# whole.  The user's own sitecustomize still runs.
# docs/selection.md, "Import-system listings".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# The adapter notes lookups in the directories where the selector takes
# an added module's name for no change: the same rule on both sides
# (ftrace_pysite._noted_dir; runners/runner_pytest_readers.c, noted_dir,
# whose unit test holds the same cases).
PYTHONPATH="$FTRACE_BUILD_DIR/adapters/pytest" "$FT_PYTHON" - <<'PY' || ft_fail "ftrace_pysite._noted_dir disagrees with noted_dir"
import ftrace_pysite as s
cases = {"/r/tests/data": True, "/r": True, "/r/python-utils/python": True,
         "/r/.venv/lib/python3.11/site-packages": False, "/r/vendor/dist-packages/x": False,
         "/r/py/lib/python3.12": False, "/r/py/lib/python3": False, "/r/py/lib-dynload": False,
         "/r/pypy3.10/lib": False, "/r/pp/lib-python/3": False, "/r/pp/lib_pypy": False,
         "r/relative": False}
bad = {d: s._noted_dir(d) for d, want in cases.items() if s._noted_dir(d) != want}
assert not bad, bad
PY

commit() { git add -A && git -c user.email=t@t -c user.name=t commit -qm "$1" && ft_settle; }

echo 'old notes' >calc/NOTES.txt
commit "calc/NOTES.txt"
record
printf 'repos: []\n' >.pre-commit-config.yaml
echo 'notes' >notes.txt
assert_set "" "$(affected)" "files no import can name, added at the rootdir"
rm .pre-commit-config.yaml notes.txt
git rm -q -- README.md
assert_set "" "$(affected)" "README.md removed from the rootdir"
git checkout -q HEAD -- README.md
rm calc/NOTES.txt
echo 'x' >calc/table.csv
assert_set "" "$(affected)" "a file that is no module, removed from a package, another added"
git checkout -q -- calc/NOTES.txt
rm calc/table.csv
ft_settle
printf 'X = 1\n' >calc/extra.py
assert_set "" "$(affected)" "a module added to the package, a name no import looked up"
rm calc/extra.py
# tests/ is a testpaths directory: pytest's start-up also lists it for
# test* subdirectories, whose conftests it loads early (in a collect
# window: the collector's rule)
printf 'X = 1\n' >tests/helper_new.py
assert_set "" "$(affected)" "a module added to a testpaths directory, a name no import looked up"
rm tests/helper_new.py
mkdir tests/testing_more && printf 'def pytest_collection_modifyitems(items):\n    pass\n' >tests/testing_more/conftest.py
assert_set "$ALL" "$(affected)" "a test* directory with a conftest.py added to a testpaths directory"
rm -r tests/testing_more

# module names no import looked up: the import system finds a module only
# by a lookup of its name, and each lookup stats every name it could take
# (below), so the listing's change is none
for name in helper.py helper.pyc fast.abi3.so newpkg/ Makefile; do
	case $name in
	*/) mkdir "$name" ;;
	*) echo x >"$name" ;;
	esac
	assert_set "" "$(affected)" "$name added at the rootdir, a name no import looked up"
	rm -r "${name%%/*}"
done
# a distribution's metadata: importlib.metadata enumerates every one,
# with no lookup by name
mkdir extra-1.0.dist-info && echo x >extra-1.0.dist-info/METADATA
assert_set "$ALL" "$(affected)" "a .dist-info added at the rootdir"
grep -q "$PWD: import-list dependency: listing changed" <<<"$(ft affected --explain)" ||
	ft_fail "--explain does not name the import system's listing of the rootdir"
rm -r extra-1.0.dist-info
assert_set "" "$(affected)" "back as recorded"

# Names looked up: at a test module's import (the prelude: every test),
# in a test (that test), found (a module that an entry added later would
# shadow: a package directory of the same name wins over a .py file)
cat >tests/test_probe.py <<'PY'
import importlib.util

try:
    import helper  # the rootdir is on sys.path (pythonpath = .)
except ImportError:
    helper = None


def test_no_helper():
    assert helper is None


def test_no_extra():
    assert importlib.util.find_spec("calc.extra") is None
PY
# a module one test imports on demand, which the next reuses with no
# lookup of its own (the first even drops it from sys.modules: it stays
# bound in its package)
printf 'VALUE = 1\n' >calc/lazymod.py
cat >tests/test_lazy.py <<'PY'
import sys


def test_a_loads():
    import calc.lazymod
    assert calc.lazymod.VALUE == 1
    del sys.modules["calc.lazymod"]


def test_b_reuses():
    import calc
    assert calc.lazymod.VALUE == 1


def test_c_loads_namespace():
    import nsx.mod
    assert nsx.mod.X == 1


def test_d_namespace():
    import nsx
    assert getattr(nsx, "__file__", None) is None
PY
mkdir nsx && printf 'X = 1\n' >nsx/mod.py
commit "a test module that looks names up"
record
PROBE="tests/test_probe.py::test_no_helper tests/test_probe.py::test_no_extra"
PROBE="$PROBE tests/test_lazy.py::test_a_loads tests/test_lazy.py::test_b_reuses"
PROBE="$PROBE tests/test_lazy.py::test_c_loads_namespace tests/test_lazy.py::test_d_namespace"
assert_set "" "$(affected)" "nothing changed since the probe's recording"
printf 'X = 1\n' >calc/extra.py
assert_set "tests/test_probe.py::test_no_extra" "$(affected)" "a module a test looked up, added"
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_probe.py::test_no_extra >/dev/null 2>&1; then
	ft_fail "test_no_extra passes with calc/extra.py: the probe proves nothing"
fi
rm calc/extra.py
printf 'X = 1\n' >helper.py
assert_set "$ALL $PROBE" "$(affected)" "a module looked up at a test module's import, added"
rm helper.py
mkdir calc/arith && printf 'def add(a, b):\n    return 0\n' >calc/arith/__init__.py
assert_set "$ALL $PROBE" "$(affected)" "a package that shadows a module imported at collection"
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_arith.py >/dev/null 2>&1; then
	ft_fail "test_arith passes with calc/arith/: the shadow proves nothing"
fi
rm -r calc/arith
mkdir calc/lazymod && printf 'VALUE = 2\n' >calc/lazymod/__init__.py
assert_set "$ALL $PROBE" "$(affected)" "a package that shadows a module one test imported on demand"
"$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_lazy.py >"$FT_SCRATCH/lazy.out" 2>&1 || true
grep -q 'FAILED tests/test_lazy.py::test_b_reuses' "$FT_SCRATCH/lazy.out" ||
	ft_fail "test_b_reuses passes with calc/lazymod/: the shadow proves nothing: $(cat "$FT_SCRATCH/lazy.out")"
rm -r calc/lazymod
# a namespace package one test loaded on demand becomes a regular one
printf '' >nsx/__init__.py
assert_set "$ALL $PROBE" "$(affected)" "an __init__.py added to a namespace package a test loaded on demand"
"$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_lazy.py >"$FT_SCRATCH/lazy.out" 2>&1 || true
grep -q 'FAILED tests/test_lazy.py::test_d_namespace' "$FT_SCRATCH/lazy.out" ||
	ft_fail "test_d_namespace passes with nsx/__init__.py: the change proves nothing: $(cat "$FT_SCRATCH/lazy.out")"
rm nsx/__init__.py
find . -name __pycache__ -prune -exec rm -rf {} +
git rm -q -r tests/test_probe.py tests/test_lazy.py calc/lazymod.py nsx
commit "the probe gone"
record

# a conftest that lists the rootdir itself: its listing counts whole
cat >>tests/conftest.py <<'PY'

ROOT_FILES = sorted(os.listdir(ROOT))
PY
commit "conftest lists the rootdir"
record
echo 'notes' >notes.txt
assert_set "$ALL" "$(affected)" "a file added to a directory a conftest listed"
rm notes.txt
git checkout -q HEAD~1 -- tests/conftest.py
commit "conftest no longer lists the rootdir"
record
echo 'notes' >notes.txt
assert_set "" "$(affected)" "the same file, once the conftest no longer lists it"
rm notes.txt

# the sitecustomize that would run without ftrace runs under it, as
# sitecustomize, after ftrace's own
mkdir -p "$FT_SCRATCH/site"
cat >"$FT_SCRATCH/site/sitecustomize.py" <<'PY'
import os
with open(os.environ["SITE_MARK"], "w") as f:
    f.write(__name__ + "\n")
PY
out=$(SITE_MARK="$FT_SCRATCH/site.mark" PYTHONPATH="$FT_SCRATCH/site" ft run --name site -- \
	"$FT_PYTHON" -c 'import sitecustomize, sys; print(sitecustomize.__file__); print("ftrace_pysite" in sys.modules)')
[ "$(cat "$FT_SCRATCH/site.mark" 2>/dev/null)" = sitecustomize ] ||
	ft_fail "the user's sitecustomize did not run under ftrace run"
[ "$out" = "$FT_SCRATCH/site/sitecustomize.py
True" ] || ft_fail "sitecustomize under ftrace run: $out"
# one that fails shows the error site shows, and the program still runs
printf 'raise RuntimeError("boom")\n' >"$FT_SCRATCH/site/sitecustomize.py"
out=$(PYTHONPATH="$FT_SCRATCH/site" ft run --name site -- "$FT_PYTHON" -c 'print("ran")' 2>"$FT_SCRATCH/site.err")
[ "$out" = ran ] || ft_fail "a failing sitecustomize stopped the program: $out"
grep -q 'Error in sitecustomize' "$FT_SCRATCH/site.err" && grep -q boom "$FT_SCRATCH/site.err" ||
	ft_fail "a failing sitecustomize's error is not shown: $(cat "$FT_SCRATCH/site.err")"
