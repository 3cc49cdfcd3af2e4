#!/usr/bin/env bash
# Test modules at function granularity (fixtures/pytest-testmod;
# docs/python-functions.md, "Test modules").  A test function added to a
# test module, or a helper, or a test's pytest marks changed, selects none
# of the module's other tests: pytest's collector read their names only to
# make their items.  The changed test functions are asked for whole
# ("file::name"), so that pytest also runs their new parameters.  Anything
# else pytest looks up itself (setup_module), a fixture, a mark that runs
# project code, a name no statement binds before, a marked function that is
# no test, a plugin deciding what names become: every test of the module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-testmod
ft_clock_past_ctime

T=tests/test_core.py
ALLC="$T::test_double $T::test_five $T::test_label $T::test_plain $T::test_triple[1] $T::test_triple[2]"

add() { printf '%s\n' "$1" >>"$T"; ft_settle; }

record
grep -q '^7 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"

# What was recorded: the collector's reads of the test module, and no
# test module is its tests' "own" file any more (pytest only stats it).
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD" <<'PY' || ft_fail "the recorded collector reads"
import json, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), sys.argv[2]
t = root + "/tests/test_core.py"
(prelude,) = db.execute("SELECT prelude FROM pyfunc_runs").fetchone()
keys = json.loads(prelude)[t]
assert "@%" in keys and "@+" not in keys and "@-" not in keys, keys
assert "@%*" in keys and "@%test_double" in keys and "@%setup_module" in keys, keys
# (and "@+__" and "@+__2" where reads of its dunders, __all__'s too, are
# noted: 3.13 and older)
assert ("@+__" in keys) == ("@+__2" in keys) == (sys.version_info[:2] <= (3, 13)), keys
assert not [k for k in keys if k.startswith("@") and not k.startswith("@%")
            and k not in ("@+__", "@+__2")], keys
for name, own in db.execute("SELECT name, own FROM pyfunc_tests"):
    assert json.loads(own) == [], (name, own)
PY
assert_set "" "$(fn)" "nothing changed"

# A test added: only it, asked for whole.
add '

@pytest.mark.parametrize("y", [3, 4])
def test_new(y):
    assert _twice(y) == 2 * y'
assert_set "$T::test_new" "$(fn)" "a parametrized test added"
assert_set "$T::test_new" "$(lines)" "a parametrized test added, as pytest takes it"
run_selected 2
assert_set "$ALLC" "$(ft affected --format ids --granularity=file)" "a test added, by file"
ft_back "$T"

# A helper and a test that calls it, with a skipif on a standard query.
add '

def _thrice(x):
    return 3 * x


@pytest.mark.skipif(shutil.which("sh") is None, reason="no sh")
def test_new2():
    assert _thrice(1) == 3'
assert_set "$T::test_new2" "$(fn)" "a helper and a test added"
run_selected 1
ft_back "$T"

# A helper re-signed: the tests that ran it.
ft_edit "$T" 'def _twice(x):' 'def _twice(x, k=2):'
assert_set "$T::test_double $T::test_five" "$(fn)" "a helper re-signed"
ft_back "$T"

# A test's marks changed: it, whole (a new parameter runs too).
ft_edit "$T" '[1, 2])' '[1, 2, 3])'
assert_set "$T::test_triple $T::test_triple[1] $T::test_triple[2]" "$(fn)" "a test's marks changed"
assert_set "$T::test_triple" "$(lines)" "a test's marks changed, as pytest takes it"
run_selected 3
ft_back "$T"

# A test removed: nothing left to run.
ft_edit "$T" 'def test_plain():
    assert pkg.double(1) == 2' ''
assert_set "" "$(fn)" "a test removed"
ft_back "$T"

# Every test of the module: a name pytest looks up itself; a fixture; a
# mark that runs project code at import; a mark naming what no earlier
# statement binds; a marked function that is no test.
add '

def setup_module():
    pass'
assert_set "$ALLC" "$(fn)" "setup_module added"
ft_back "$T"
add '

@pytest.fixture
def six():
    return 6'
assert_set "$ALLC" "$(fn)" "a fixture added"
ft_back "$T"
add '

@pytest.mark.parametrize("x", [core.double(1)])
def test_new(x):
    assert x == 2'
assert_set "$ALLC" "$(fn)" "a test whose marks call project code"
ft_back "$T"
add '

@pytest.mark.parametrize("x", [LATER])
def test_new(x):
    assert x


LATER = 1'
assert_set "$ALLC" "$(fn)" "a test whose marks name a later binding"
ft_back "$T"
add '

@pytest.mark.skip(reason="helper")
def helper():
    pass'
assert_set "$ALLC" "$(fn)" "a marked function that is no test"
ft_back "$T"

# A plain class (methods and literal attributes only, no base but a
# built-in class) is a name like a helper's: a test added with one runs
# alone, and the module's other tests stay out.  A test class by
# python_classes is asked for whole, as a test function is (t9021 has
# unittest's); one with a base of the project's may run code as it is
# made: every test.
add '

class _Box(ValueError):
    """A stand-in."""

    size = 2

    def __init__(self, x, *, k=1):
        self.x = x

    def doubled(self):
        return _twice(self.x)


def test_box():
    assert _Box(2).doubled() == 4'
assert_set "$T::test_box" "$(fn)" "a plain class and its test added"
run_selected 1
ft_back "$T"
add '

class TestBox:
    def test_it(self):
        assert _twice(1) == 2'
assert_set "$T::TestBox" "$(fn)" "a test class added"
run_selected 1
ft_back "$T"
# A class is no test function, whatever its name (pytest would not find
# "$T::test_stub").
add '

class test_stub:
    pass'
assert_set "" "$(fn)" "a plain class named like a test function"
ft_back "$T"
add '

class _Base:
    pass


class _Box(_Base):
    pass'
assert_set "$ALLC" "$(fn)" "a class with a base of the module's added"
ft_back "$T"
# An import of a module pytest's start-up had loaded (recorded in the
# run's "collector") only binds its name: a test added with one runs
# alone.  One it had not loaded may run that module's code or fail: every
# test.  The modules are picked from what this pytest recorded.
read -r LOADED UNLOADED < <("$FT_PYTHON" - .ftrace/ftrace.db <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(rid,) = db.execute("SELECT max(run_id) FROM run_pytest WHERE collector").fetchone()
def col_list(name, rid=rid):
    return [v for (v,) in db.execute("SELECT value FROM run_strings WHERE run_id = ? AND owner = 0"
                                     " AND list = ? ORDER BY pos", (rid, name))]
loaded = col_list("loaded")
assert "sys" in loaded and "pytest" in loaded and "pkg" not in loaded, loaded
pick = [m for m in ("subprocess", "dataclasses", "pathlib", "json") if m in loaded]
none = [m for m in ("colorsys", "wave", "tomllib", "mailbox") if m not in sys.modules]
print(pick[0], none[0])
PY
) || ft_fail "the recorded start-up modules"
add "

import $LOADED


def test_sub():
    assert $LOADED.__name__ == '$LOADED'"
assert_set "$T::test_sub" "$(fn)" "a test added with an import of $LOADED"
run_selected 1
ft_back "$T"
add "

import $UNLOADED


def test_sub():
    assert $UNLOADED.__name__ == '$UNLOADED'"
assert_set "$ALLC" "$(fn)" "a test added with an import of $UNLOADED"
ft_back "$T"
# Every run of the rootdir must have had it loaded: a later run whose
# interpreter imported it before pytest does not make it start-up's.
ft run --granularity=function -- "$FT_PYTHON" -c "import $UNLOADED, sys, pytest
sys.exit(pytest.main(['-q', '-p', 'no:cacheprovider', 'tests/test_other.py']))" \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording test_other: $(cat "$FT_SCRATCH/run.out")"
"$FT_PYTHON" - .ftrace/ftrace.db "$UNLOADED" <<'PY' || ft_fail "the newest run loaded $UNLOADED"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(rid,) = db.execute("SELECT max(run_id) FROM run_pytest WHERE collector").fetchone()
def col_list(name, rid=rid):
    return [v for (v,) in db.execute("SELECT value FROM run_strings WHERE run_id = ? AND owner = 0"
                                     " AND list = ? ORDER BY pos", (rid, name))]
assert sys.argv[2] in col_list("loaded"), col_list("loaded")
PY
add "

import $UNLOADED


def test_sub():
    assert $UNLOADED.__name__ == '$UNLOADED'"
# (Not test_other: collecting tests/ for that run, pytest stat'ed
# test_core.py without making a module of it, which keeps only its type;
# t2029.)
assert_set "$ALLC" "$(fn)" \
	"an import of $UNLOADED, loaded by one run only"
ft_back "$T"

# In a library module: a class nobody reads selects nothing.
printf '\n\nclass Shape:\n    def area(self, k=1):\n        return 0\n' >>pkg/core.py
ft_settle
assert_set "" "$(fn)" "a plain class added to a library module"
ft_back pkg/core.py

# A recorded plain class re-signed: the tests that name it (its methods'
# callers name it too), not the module's others; then removed with its test.
add '

class _Box:
    def __init__(self, x):
        self.x = x

    def doubled(self):
        return _twice(self.x)


def test_box():
    assert _Box(2).doubled() == 4'
git -c user.email=t@t -c user.name=t commit -qam box && ft_settle
record
ft_edit "$T" 'def doubled(self):' 'def doubled(self, k=2):'
assert_set "$T::test_box" "$(fn)" "a recorded plain class's method re-signed"
ft_back "$T"
ft_edit "$T" 'class _Box:' 'class _Box(Exception):'
assert_set "$T::test_box" "$(fn)" "a recorded plain class given a built-in base"
ft_back "$T"
git -c user.email=t@t -c user.name=t revert --no-edit HEAD >/dev/null && ft_settle
assert_set "" "$(fn)" "a plain class and its test removed"

# python_classes decides what a test class is.
record -o 'python_classes=Check'
add '

class TestLike:
    def helper(self):
        return 1'
assert_set "" "$(fn)" "a class that python_classes does not collect"
ft_back "$T"
add '

class CheckBox:
    def test_it(self):
        assert True'
assert_set "$T::CheckBox" "$(fn)" "a test class by python_classes"
run_selected 1 -o python_classes=Check
ft_back "$T"

# python_functions decides what a test function is.
record -o 'python_functions=test_* check_*'
add '

def check_new():
    assert _twice(1) == 2'
assert_set "$T::check_new" "$(fn)" "a test added under python_functions"
ft_back "$T"
add '

def helper_new():
    return 1'
assert_set "" "$(fn)" "a helper added under python_functions"
ft_back "$T"

# A plugin of the project's own that sees every item: the rule is off.
cat >tests/conftest.py <<'PY'
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name)
PY
git add tests/conftest.py && git -c user.email=t@t -c user.name=t commit -qm conftest && ft_settle
record
add '

def test_new3():
    assert True'
assert_set "$ALLC" "$(fn)" "a test added under a conftest's collection_modifyitems"
ft_back "$T"
