#!/usr/bin/env bash
# A recorded pytest test that its file no longer holds (renamed, deleted) is
# forgotten when a recording collects that file whole: `ftrace affected`
# would otherwise select it for ever (a failed one, or one whose file
# changed since), by an id pytest reports as "not found".  A recording that
# collected the file only in part forgets nothing of it: a node id naming
# one class of it, `--lf` skipping it whole or trimming its items.
# (adapters/pytest/ftrace_pytest.py _Inventory; ft_store_tests_forget)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
mkdir "$FT_SCRATCH/proj"
cd "$FT_SCRATCH/proj"
cat >test_a.py <<'PY'
def test_keep():
    pass


def test_old():
    pass


class TestC:
    def test_m(self):
        pass


class TestD:
    def test_n(self):
        pass
PY
cat >test_b.py <<'PY'
def test_b():
    pass
PY
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
ft_clock_past_ctime

known() { sqlite3 .ftrace/ftrace.db 'SELECT name FROM tests' | LC_ALL=C sort | tr '\n' ' '; }
# rec ARGS: ftrace run -- pytest -q ARGS (pytest's status ignored), stderr kept
rec() { ft run -- "$FT_PYTHON" -m pytest -q "$@" >/dev/null 2>"$FT_SCRATCH/run.err" || true; }

rec -p no:cacheprovider
assert_eq "test_a.py::TestC::test_m test_a.py::TestD::test_n test_a.py::test_keep test_a.py::test_old test_b.py::test_b " \
	"$(known)" "first recording"

# Renamed: the old id is forgotten, and ftrace run says so.
sed -i 's/def test_old/def test_new/' test_a.py
settle test_a.py
rec -p no:cacheprovider
grep -q 'forgot 1 recorded test' "$FT_SCRATCH/run.err" || ft_fail "no word of the forgotten test: $(cat "$FT_SCRATCH/run.err")"
assert_eq "test_a.py::TestC::test_m test_a.py::TestD::test_n test_a.py::test_keep test_a.py::test_new test_b.py::test_b " \
	"$(known)" "test_old renamed test_new"
assert_eq "" "$(affected)" "nothing selected after the rename was recorded"

# A failed test, then deleted: forgotten, so no longer selected for ever.
printf '\n\ndef test_fails():\n    assert 0\n' >>test_b.py
settle test_b.py
rec -p no:cacheprovider
assert_eq "test_b.py::test_fails" "$(affected)" "the failed test is selected"
rm -f test_b.py && git checkout -q -- test_b.py
settle test_b.py
rec -p no:cacheprovider
assert_eq "" "$(affected)" "the failed test deleted and recorded: nothing selected"

# Collected in part: a node id of one class.  TestD was not collected, so
# its renamed test is not forgotten yet; a whole collection forgets it.
sed -i 's/def test_n(/def test_n2(/' test_a.py
settle test_a.py
rec -p no:cacheprovider "test_a.py::TestC::test_m"
grep -q 'test_a.py::TestD::test_n ' <<<"$(known)" || ft_fail "forgotten after a run that did not collect TestD: $(known)"
rec -p no:cacheprovider
grep -q 'test_a.py::TestD::test_n ' <<<"$(known)" && ft_fail "not forgotten after a whole collection: $(known)"
grep -q 'test_a.py::TestD::test_n2 ' <<<"$(known)" || ft_fail "the renamed test is not known: $(known)"

# --lf: a file without failures is skipped whole (an empty report), one
# with failures has its passed tests trimmed after collection: neither
# forgets anything.
printf '\n\ndef test_fails():\n    assert 0\n' >>test_b.py
settle test_b.py
rec                      # with the cache provider: --lf needs it
before=$(known)
rec --lf
assert_eq "$before" "$(known)" "--lf forgot nothing"
# (a file with no test left keeps its tests recorded: not complete)
