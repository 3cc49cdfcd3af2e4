#!/usr/bin/env bash
# Mark arguments computed from constants (fixtures/pytest-testmod;
# docs/python-functions.md, "Test modules").  A parametrize table whose
# rows hold negative numbers, arithmetic on constants, math's constants,
# datetime's values and f-strings is still a test's own marks: a row added
# selects that test, asked for whole, and none of the module's others.  So
# is a name bound to such a value with nothing but plain statements after
# it, a name a try statement binds, a skipif on os.path's queries of
# the module's __file__, and a pytest-style test class whose methods have
# such marks (asked for whole).  An operator on anything else (a name bound by
# code that runs, a project value, a name some call may have rebound,
# decimal's context), a query of a project value, a call that is no
# query may run code: every test of the module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-testmod

T=tests/test_core.py
# the imports first, as a test module has them
"$FT_PYTHON" - "$T" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write("import datetime as dt\nimport decimal\nimport math\nimport os\nimport sys\n"
                   "from datetime import timedelta\n" + s)
PY
cat >>"$T" <<'PY'


LIMIT = 1024
WIDE = f"{7:03}" + "-" * 2


@pytest.mark.parametrize("v", [-1, -2.5, 10 ** 3, 4.0 / 3.0, ~7, "ab" * 2, math.pi])
def test_numbers(v):
    assert v != 0


@pytest.mark.parametrize("d", [dt.timedelta(hours=1) * 2, timedelta(days=-1),
                               dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)])
def test_times(d):
    assert d is not None


@pytest.mark.parametrize("n", [LIMIT + 1, -LIMIT, WIDE, f"{-3:04}", math.inf > LIMIT])
def test_limit(n):
    assert n


class TestRows:
    @pytest.mark.parametrize("r", [1, -2])
    def test_r(self, r):
        assert r


RAN = core.double(2)
LATE = 3
_twice(1)
try:
    chr(0x2FFFE)
    NARROW = False
except ValueError:
    NARROW = True
NEAR = 5
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm values
ft_settle

# the ids, as pytest makes them
ALL=$("$FT_PYTHON" -m pytest --collect-only -q -p no:cacheprovider 2>&1 | grep "^$T::")
ids() { printf '%s\n' "$T::$1"; grep "^$T::$1\[" <<<"$ALL"; }
NUMS=$(ids test_numbers)
TIMES=$(ids test_times)
LIM=$(ids test_limit)
[ "$(wc -l <<<"$ALL")" = 23 ] && [ "$(wc -l <<<"$LIM")" = 6 ] || ft_fail "unexpected items: $ALL"

record
grep -q '^24 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# The fingerprint's kinds: datetime's and math's values are "mark:M",
# which selection takes only where every session had M loaded from the
# standard library at its start-up.
"$FT_PYTHON" - "$T" "$FTRACE_BUILD_DIR/adapters/pytest" <<'PY' || ft_fail "the fingerprint's kinds"
import sys
sys.path.insert(0, sys.argv[2])
import ftrace_fingerprint as F
kinds = {s[2][0]: s[1] for s in F.fingerprint_file(sys.argv[1])["names"]["stmts"] if s[2]}
assert kinds["test_numbers"] == "mark:math", kinds
assert kinds["test_times"] == "mark:datetime", kinds
assert kinds["test_limit"] == "mark:math", kinds
assert kinds["LIMIT"] == "assign", kinds
# an import between a constant's binding and the marks: its module must be
# the standard library's at every session's start-up, but pytest's own
def kind_of(between):
    src = "LIMIT = 3\n%s\nimport pytest\n\n@pytest.mark.parametrize('v', [LIMIT * 2])\n" \
          "def test_a(v):\n    pass\n" % between
    return F.fingerprint_source(src)["names"]["stmts"][-1][1]   # test_a's
assert kind_of("") == "mark", kind_of("")
assert kind_of("import colorsys") == "mark:colorsys", kind_of("import colorsys")
assert kind_of("import pkg") == "bind:def", kind_of("import pkg")   # no mark: a decorated def
PY

# A row added to each table: that test, whole, and pytest runs its rows.
ft_edit "$T" '"ab" * 2, math.pi])' '"ab" * 2, math.pi, -math.inf, 2 ** -1 % 3])'
assert_set "$NUMS" "$(fn)" "a row of signed numbers, arithmetic and math's constants added"
assert_set "$T::test_numbers" "$(lines)" "the row added, as pytest takes it"
run_selected 9
ft_back "$T"
ft_edit "$T" 'dt.timedelta(hours=1) * 2,' 'dt.timedelta(hours=1) * 2, dt.date(2021, 2, 3) - dt.date(2020, 1, 1),'
assert_set "$TIMES" "$(fn)" "a row of datetime's values added"
run_selected 4
ft_back "$T"
# The name its marks compute with changed (nothing but plain statements
# between its binding and the marks): that test, whole.
ft_edit "$T" 'LIMIT = 1024' 'LIMIT = 2048'
assert_set "$LIM" "$(fn)" "a name the marks compute with changed"
run_selected 5
ft_back "$T"

# A name bound after a call, with plain statements only since: a test
# added whose marks compute with it, only that test.
add() { printf '%s\n' "$1" >>"$T"; ft_settle; }
add '

@pytest.mark.parametrize("n", [NEAR * 2, -NEAR])
def test_new(n):
    assert n'
assert_set "$T::test_new" "$(fn)" "marks computing with a name bound after the last call"
run_selected 2
ft_back "$T"

# Built-in types called with constants (their builtin names, which the
# module does not bind): only the test added.
add '

@pytest.mark.parametrize("v", [tuple(), range(3), frozenset([1, -2]), dict(k=(str, int)),
                               str(-1), sys.platform != "", int("7") * 2])
def test_new(v):
    assert v is not None'
assert_set "$T::test_new" "$(fn)" "marks calling built-in types"
run_selected 7
ft_back "$T"
# str's methods and indexing of constant values (sys.platform's,
# sys.version_info's): only the test added.
add '

@pytest.mark.skipif(not sys.platform.startswith(sys.platform[:3]) or sys.version_info[:2] < (3, 0),
                    reason="x")
@pytest.mark.parametrize("v", ["a,b".split(","), "-".join(["x", "y"]), "ab".upper()[0]])
def test_new(v):
    assert v'
assert_set "$T::test_new" "$(fn)" "marks calling str methods of constants"
run_selected 3
ft_back "$T"
add '

@pytest.mark.parametrize("v", [sorted(sys.modules.keys())[:1]])
def test_new(v):
    assert v'
assert_set "$ALL" "$(fn)" "marks reading sys.modules"
ft_back "$T"
# ... not when the module binds the name, nor with a project value.
add '

def range(n):
    return [n]


@pytest.mark.parametrize("v", [range(3)])
def test_new(v):
    assert v'
assert_set "$ALL" "$(fn)" "marks calling a name the module binds"
ft_back "$T"
add '

@pytest.mark.parametrize("v", [list(core.__dict__)])
def test_new(v):
    assert v'
assert_set "$ALL" "$(fn)" "marks calling a built-in type on a project value"
ft_back "$T"

# A name bound in a compound statement, passed as it is (loading it runs
# no code): only the test added.
add '

@pytest.mark.skipif(NARROW, reason="a narrow build")
def test_new():
    assert chr(0x2FFFE)'
assert_set "$T::test_new" "$(fn)" "a skipif on a name a try statement binds"
run_selected 1
ft_back "$T"

# A skipif on a file next to the module (os.path's queries of __file__):
# only the test added, and pytest skips it.
add '

@pytest.mark.skipif(not os.path.exists(os.path.join(os.path.dirname(__file__), "data.txt")),
                    reason="no data.txt")
def test_new():
    assert False'
assert_set "$T::test_new" "$(fn)" "a skipif on a file's existence"
out=$(lines | xargs -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1)
grep -q "^1 skipped" <<<"$out" || ft_fail "expected the new test skipped: $out"
ft_back "$T"

# A pytest-style test class whose methods have such marks: a row added,
# the class, asked for whole; a class added, only it.
ft_edit "$T" '[1, -2])' '[1, -2, 3 ** 2])'
assert_set "$T::TestRows $T::TestRows::test_r[1] $T::TestRows::test_r[-2]" "$(fn)" \
	"a row added to a test class's method marks"
assert_set "$T::TestRows" "$(lines)" "a row added to a method's marks, as pytest takes it"
run_selected 3
ft_back "$T"
add '

class TestNew:
    @pytest.mark.parametrize("v", [-1, math.e])
    @pytest.mark.skipif(not os.path.isdir(os.path.dirname(__file__)), reason="x")
    def test_v(self, v):
        assert v

    def test_plain(self):
        assert True

    @pytest.mark.parametrize("f", [lambda x, k=-1: k * x, abs])
    def test_f(self, f):
        assert f(-2) == 2'
assert_set "$T::TestNew" "$(fn)" "a test class with parametrized methods added"
run_selected 5
ft_back "$T"
# ... but not when its marks name what the class body binds (the class's
# own name, not the module's), nor with a fixture among its methods.
add '

class TestOwn:
    CASES = [1]

    @pytest.mark.parametrize("x", CASES)
    def test_x(self, x):
        assert x'
assert_set "$ALL" "$(fn)" "a method's marks naming the class's own attribute"
ft_back "$T"
add '

class TestFix:
    @pytest.fixture
    def seven(self):
        return 7

    @pytest.mark.parametrize("x", [1])
    def test_x(self, x, seven):
        assert x < seven'
assert_set "$ALL" "$(fn)" "a test class with a fixture method"
ft_back "$T"

# Every test of the module, for a test added (and nothing else changed)
# whose marks apply an operator to: a name bound by code that runs (a
# project call); a project value; a name that a call between its binding
# and the marks may have rebound; decimal's values (an operation writes
# the thread's context); a value's method (datetime.now's isoformat).
add '

@pytest.mark.parametrize("n", [RAN + 1])
def test_new(n):
    assert n'
assert_set "$ALL" "$(fn)" "marks computing with a name bound by a call"
ft_back "$T"
add '

@pytest.mark.parametrize("n", [core.double + 1])
def test_new(n):
    assert n'
assert_set "$ALL" "$(fn)" "marks computing with a project value"
ft_back "$T"
add '

@pytest.mark.parametrize("n", [LATE * 2])
def test_new(n):
    assert n'
assert_set "$ALL" "$(fn)" "marks computing with a name a call may have rebound"
ft_back "$T"
add '

@pytest.mark.parametrize("n", [decimal.Decimal(1) / 3])
def test_new(n):
    assert n'
assert_set "$ALL" "$(fn)" "marks computing with decimal"
ft_back "$T"
add '

@pytest.mark.parametrize("n", ["a" + dt.datetime.now().isoformat()])
def test_new(n):
    assert n'
assert_set "$ALL" "$(fn)" "marks calling a method of datetime's value"
ft_back "$T"
add '

@pytest.mark.skipif(os.path.exists(core.__file__ + ".x"), reason="x")
def test_new():
    assert True'
assert_set "$ALL" "$(fn)" "a query of a project value"
ft_back "$T"
add '

@pytest.mark.skipif(os.remove(os.path.join(os.path.dirname(__file__), "x")), reason="x")
def test_new():
    assert True'
assert_set "$ALL" "$(fn)" "marks calling what is no query"
ft_back "$T"
