#!/usr/bin/env bash
# A test module's tables read by pytest marks (fixtures/pytest-testmod;
# docs/python-functions.md, "Test modules").  An entry of a module-level
# table changed selects the test whose unchanged marks read it, asked for
# whole ("file::name", so that pytest runs its new parameters), and the
# tests whose bodies read it; not the module's other tests.  A test
# class's method marks reading it select that class, asked for whole.  A
# table read by anything else outside function bodies (a fixture's params)
# still selects every test of the module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-testmod

T=tests/test_core.py
cat >>"$T" <<'PY'


CASES = [(1, 2), (2, 4)]
WORDS = ("a", "b")
SHARED = [1, 2]
KS = [1, 2]
FP = [1, 2]


@pytest.mark.parametrize("x, want", CASES)
def test_table(x, want):
    assert _twice(x) == want


@pytest.mark.parametrize("w", WORDS)
@pytest.mark.parametrize("u", [pytest.param(WORDS, id="all")])
def test_words(w, u):
    assert w in u


@pytest.mark.parametrize("s", SHARED)
def test_shared(s):
    assert s in SHARED


def test_reads_shared():
    assert all(s > 0 for s in SHARED)


class TestK:
    @pytest.mark.parametrize("k", KS)
    def test_k(self, k):
        assert k > 0


@pytest.fixture(params=FP)
def fp(request):
    return request.param


def test_fp(fp):
    assert fp > 0
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm tables
ft_settle

ALL="$T::test_double $T::test_five $T::test_label $T::test_plain $T::test_triple[1] $T::test_triple[2]
$T::test_table[1-2] $T::test_table[2-4] $T::test_words[all-a] $T::test_words[all-b] $T::test_shared[1]
$T::test_shared[2] $T::test_reads_shared $T::TestK::test_k[1] $T::TestK::test_k[2] $T::test_fp[1]
$T::test_fp[2]"

record
grep -q '^18 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# An entry changed, or added: the test whose marks read the table, whole.
ft_edit "$T" 'CASES = [(1, 2), (2, 4)]' 'CASES = [(1, 2), (3, 6)]'
assert_set "$T::test_table $T::test_table[1-2] $T::test_table[2-4]" "$(fn)" "a table entry changed"
assert_set "$T::test_table" "$(lines)" "a table entry changed, as pytest takes it"
run_selected 2
ft_back "$T"
ft_edit "$T" 'CASES = [(1, 2), (2, 4)]' 'CASES = [(1, 2), (2, 4), (5, 10)]'
run_selected 3
ft_back "$T"
# A table read by two of a test's marks.
ft_edit "$T" 'WORDS = ("a", "b")' 'WORDS = ("a", "c")'
assert_set "$T::test_words $T::test_words[all-a] $T::test_words[all-b]" "$(fn)" "a table read by two marks"
run_selected 2
ft_back "$T"

# A table that a test's body reads too: both tests.
ft_edit "$T" 'SHARED = [1, 2]' 'SHARED = [1, 2, 3]'
assert_set "$T::test_shared $T::test_shared[1] $T::test_shared[2] $T::test_reads_shared" "$(fn)" \
	"a table read by marks and by a body"
run_selected 4
ft_back "$T"

# Read by a test class's method marks: the class, asked for whole (its
# methods' marks are its own tests'), and pytest runs the new row too.
ft_edit "$T" 'KS = [1, 2]' 'KS = [1, 2, 3]'
assert_set "$T::TestK $T::TestK::test_k[1] $T::TestK::test_k[2]" "$(fn)" "a table read by a method's marks"
assert_set "$T::TestK" "$(lines)" "a table read by a method's marks, as pytest takes it"
run_selected 3
ft_back "$T"
# Read by a fixture's params: every test of the module.
ft_edit "$T" 'FP = [1, 2]' 'FP = [1, 3]'
assert_set "$ALL" "$(fn)" "a table read by a fixture's params"
ft_back "$T"

