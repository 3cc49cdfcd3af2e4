#!/usr/bin/env bash
# unittest-style test classes at function granularity (fixtures/pytest-
# unittest; docs/python-functions.md, "Test modules").  A class statement
# whose base is unittest's TestCase, with methods and literal attributes
# only, binds its name and does nothing else; pytest collects it whatever
# its name.  A test method added to one, or a class attribute changed,
# selects that class's tests only, and pytest is asked for the class whole
# ("file::Class"); so for a pytest-style class by python_classes.  A base
# or a decorator that may run code, a subclass, a class that stops being a
# test class: every test of the module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-unittest
ft_clock_past_ctime

T=tests/test_cases.py
ADD="$T::AddTests::test_negative $T::AddTests::test_small"
MEAN="$T::MeanTests::test_mean $T::MeanTests::test_median"
ALL="$ADD $MEAN $T::TestStyle::test_style $T::test_plain"

record
grep -q '^6 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# A test method added to a TestCase class (through `from unittest import
# TestCase`): that class, whole; pytest runs its three tests.
ft_edit "$T" '    def test_negative(self):' '    def test_zero(self):
        self.assertEqual(pkg.add(0, 5), 5)

    def test_negative(self):'
assert_set "$T::AddTests $ADD" "$(fn)" "a test method added to a TestCase class"
assert_eq "$T::AddTests" "$(lines)" "the class asked for whole"
run_selected 3
ft_back "$T"
# Through `unittest.TestCase`.
ft_edit "$T" '    def test_median(self):' '    def test_mode(self):
        self.assertEqual(pkg.add(1, 1), 2)

    def test_median(self):'
assert_set "$T::MeanTests $MEAN" "$(fn)" "a test method added to a unittest.TestCase class"
run_selected 3
ft_back "$T"
# A static method added (the builtin staticmethod runs no code of the
# project's): the class.
ft_edit "$T" '    def test_negative(self):' '    @staticmethod
    def pair(x):
        return (x, x)

    def test_negative(self):'
assert_set "$T::AddTests $ADD" "$(fn)" "a static method added to a TestCase class"
ft_back "$T"
# A class attribute: the class.
ft_edit "$T" 'maxDiff = None' 'maxDiff = 640'
assert_set "$T::AddTests $ADD" "$(fn)" "a TestCase class attribute changed"
ft_back "$T"
# A method's body only: the tests that ran it, by their own ids.
ft_edit "$T" 'self.assertEqual(pkg.add(-1, -2), -3)' 'self.assertEqual(pkg.add(-2, -1), -3)'
assert_set "$T::AddTests::test_negative" "$(fn)" "a test method's body changed"
ft_back "$T"
ft_edit "$T" 'self.lock = Lock()' 'self.lock = Lock()
        self.extra = 1'
assert_set "$ADD" "$(fn)" "setUp's body changed"
ft_back "$T"
# A TestCase class added: only it.
printf '\n\nclass NewTests(TestCase):\n    def test_new(self):\n        self.assertTrue(pkg.add(1, 1))\n' >>"$T"
ft_settle
assert_set "$T::NewTests" "$(fn)" "a TestCase class added"
run_selected 1
ft_back "$T"
# A pytest-style class by python_classes: the same, whole.
ft_edit "$T" '    def test_style(self):' '    def test_style2(self):
        assert pkg.add(3, 3) == 6

    def test_style(self):'
assert_set "$T::TestStyle $T::TestStyle::test_style" "$(fn)" "a method added to a test class"
run_selected 2
ft_back "$T"

# Every test of the module: a subclass of the module's own class (its base
# names a class of the module), a class decorator, a base of the
# project's, a TestCase class that stops being a test class.
printf '\n\nclass MoreAddTests(AddTests):\n    def test_more(self):\n        pass\n' >>"$T"
ft_settle
assert_set "$ALL" "$(fn)" "a subclass of the module's TestCase class added"
ft_back "$T"
ft_edit "$T" 'class MeanTests(unittest.TestCase):' '@unittest.skip("off")
class MeanTests(unittest.TestCase):'
assert_set "$ALL" "$(fn)" "a TestCase class decorated"
ft_back "$T"
ft_edit "$T" 'class MeanTests(unittest.TestCase):' 'class MeanTests(pkg.Base):'
ft_edit pkg/calc.py 'def add(a, b):' 'class Base:
    pass


def add(a, b):'
assert_set "$ALL" "$(fn)" "a TestCase class given a base of the project's"
ft_back "$T" pkg/calc.py
ft_edit "$T" 'class AddTests(TestCase):' 'class AddTests:'
assert_set "$ALL" "$(fn)" "a TestCase class that is no test class any more"
ft_back "$T"

# A from-import of a standard-library module that is no package, given a
# name the module has (the fingerprint tool checks, under the standard
# library the recording noted): it only binds that name.
GROWN='from threading import Event, Lock'
ft_edit "$T" 'from threading import Lock' "$GROWN"
ft_edit "$T" '    def test_median(self):' '    def test_event(self):
        self.assertFalse(Event().is_set())

    def test_median(self):'
assert_set "$T::MeanTests $MEAN" "$(fn)" "a name added to a from-import, with a test using it"
run_selected 3
ft_back "$T"
# So for a new from-import statement of such a module.
ft_edit "$T" 'from threading import Lock' 'from threading import Lock
from threading import Event'
ft_edit "$T" '    def test_median(self):' '    def test_event(self):
        self.assertFalse(Event().is_set())

    def test_median(self):'
assert_set "$T::MeanTests $MEAN" "$(fn)" "a from-import statement added, with a test using it"
ft_back "$T"
ft_edit "$T" 'from threading import Lock' 'from threading import Lock
from threading import Evnt'
assert_set "$ALL" "$(fn)" "a from-import statement of a name threading lacks added"
ft_back "$T"
ft_edit "$T" 'from threading import Lock' "$GROWN"
# A name the module lacks: the import fails, every test of the module.
ft_edit "$T" "$GROWN" 'from threading import Evnt as Event, Lock'
assert_set "$ALL" "$(fn)" "a name threading lacks added to a from-import"
ft_back "$T"
# An alias for another name of the module: that name changed, and setUp
# names it.
ft_edit "$T" 'from threading import Lock' 'from threading import RLock as Lock'
assert_set "$ADD" "$(fn)" "an alias given another name of the module"
ft_back "$T"
# A module pytest's start-up had not loaded from the standard library (a
# file of the project's of its name could be imported instead, and hold
# other names): every test of the module.
"$FT_PYTHON" - .ftrace/ftrace.db <<'PY' || ft_fail "the recorded standard-library modules"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(rid,) = db.execute("SELECT max(run_id) FROM run_pytest WHERE collector").fetchone()
def col_list(name, rid=rid):
    return [v for (v,) in db.execute("SELECT value FROM run_strings WHERE run_id = ? AND owner = 0"
                                     " AND list = ? ORDER BY pos", (rid, name))]
col = {"stdlib": col_list("stdlib"), "loaded": col_list("loaded")}
assert "threading" in col["stdlib"] and "statistics" not in col["stdlib"], col
assert "pytest" in col["loaded"] and "pytest" not in col["stdlib"], col
PY
ft_edit "$T" 'from statistics import median' 'from statistics import median, mode'
assert_set "$ALL" "$(fn)" "a name added to a from-import of a module not loaded at start-up"
ft_back "$T"
# Checked under another standard library than one of the recordings the
# tests still reference (test_plain's is newer): every test.
record tests/test_cases.py::test_plain
"$FT_PYTHON" - .ftrace/ftrace.db <<'PY' || ft_fail "the recorded standard library"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT run_id, std FROM run_pytest WHERE collector ORDER BY run_id").fetchall()
assert len(rows) >= 2, rows
for rid, std in rows:
    assert std.startswith(sys.version), std
rid, std = rows[0]
db.execute("UPDATE run_pytest SET std = ? WHERE run_id = ?", ("3.0.0 (another)\n/elsewhere", rid))
db.commit()
PY
# (the row's checksum written again, or the edit is corruption: t3206)
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest .ftrace/ftrace.db || ft_fail "redigest"
ft_edit "$T" 'from threading import Lock' "$GROWN"
assert_set "$ALL" "$(fn)" "a name added to a from-import, another standard library recorded"
ft_back "$T"
record

# A TestCase class removed: its tests are gone, the others stay out.
"$FT_PYTHON" - "$T" <<'PY' || ft_fail "removing MeanTests"
import sys
f = sys.argv[1]
s = open(f).read()
a = s.index("class MeanTests")
b = s.index("class TestStyle")
open(f, "w").write(s[:a] + s[b:])
PY
ft_settle
assert_set "" "$(fn)" "a TestCase class removed"
ft_back "$T"
