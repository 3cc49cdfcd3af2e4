#!/usr/bin/env bash
# The pytest plugin's side of `ftrace test`: FTRACE_DESELECT_FILE names the
# node ids to deselect.  Checked with plain pytest and the plugin loaded by
# hand (no recording), so each rule is seen on its own:
#  - listed ids are deselected and reported as such ("N deselected");
#  - a test never sees the variable (a pytest it starts would otherwise
#    deselect its own tests);
#  - an unreadable file deselects nothing (runs everything), with a warning.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"

mkdir "$FT_SCRATCH/proj" && cd "$FT_SCRATCH/proj"
cat >test_a.py <<'PY'
import os

def test_one():
    assert "FTRACE_DESELECT_FILE" not in os.environ

def test_two():
    pass

def test_three():
    pass
PY

export PYTHONPATH=$FTRACE_SOURCE_DIR/adapters/pytest PYTHONDONTWRITEBYTECODE=1
unset FTRACE_RUN_DIR FTRACE_TEST_ID
pyt() { "$FT_PYTHON" -m pytest -p ftrace_pytest -q -rA -p no:cacheprovider "$@"; }
ran() { printf '%s\n' "$1" | sed -n 's/^PASSED \([^ ]*\).*/\1/p'; }

printf 'test_a.py::test_two\ntest_a.py::test_gone\n' >"$FT_SCRATCH/desel"
out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/desel pyt) || ft_fail "pytest with a deselect file failed: $out"
assert_set "test_a.py::test_one test_a.py::test_three" "$(ran "$out")" "listed id deselected, unknown id ignored"
grep -q "2 passed, 1 deselected" <<<"$out" || ft_fail "pytest did not report the deselection: $out"

out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/missing pyt) || ft_fail "pytest with a missing deselect file failed: $out"
assert_set "test_a.py::test_one test_a.py::test_two test_a.py::test_three" "$(ran "$out")" "missing file: all run"
grep -q "ftrace: cannot read" <<<"$out" || ft_fail "no warning for the missing file: $out"

out=$(pyt) || ft_fail "pytest without the variable failed: $out"
assert_set "test_a.py::test_one test_a.py::test_two test_a.py::test_three" "$(ran "$out")" "no variable: all run"
