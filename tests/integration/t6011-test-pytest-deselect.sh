#!/usr/bin/env bash
# The pytest plugin's side of `ftrace test`: FTRACE_DESELECT_FILE names the
# node ids to deselect.  Checked with plain pytest and the plugin loaded by
# hand (no recording), so each rule is seen on its own:
#  - listed ids are deselected and reported as such ("N deselected"), in
#    the groups the file holds: under "\x1e*" whatever the options, under
#    "\x1e" + a JSON list only where it is the session's options
#    (runners/ft_pytest_deselect.h), never under "\x1e?" or before a group;
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

printf '\036*\ntest_a.py::test_two\ntest_a.py::test_gone\n' >"$FT_SCRATCH/desel"
out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/desel pyt) || ft_fail "pytest with a deselect file failed: $out"
assert_set "test_a.py::test_one test_a.py::test_three" "$(ran "$out")" "listed id deselected, unknown id ignored"
grep -q "2 passed, 1 deselected" <<<"$out" || ft_fail "pytest did not report the deselection: $out"

# groups by options: the session's own (-p no:cacheprovider is its one
# option that is not neutral) deselect; others, "?", and no group do not
printf '\036["plugins=[%s]"]\ntest_a.py::test_two\n' "'no:cacheprovider'" >"$FT_SCRATCH/desel"
out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/desel pyt) || ft_fail "pytest, own options: $out"
assert_set "test_a.py::test_one test_a.py::test_three" "$(ran "$out")" "the session's options deselect"
for group in '\036["plugins=[]"]\n' '\036?\n' '\036[]\n' ''; do
	printf "${group}test_a.py::test_two\n" >"$FT_SCRATCH/desel"
	out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/desel pyt) || ft_fail "pytest, group '$group': $out"
	assert_set "test_a.py::test_one test_a.py::test_two test_a.py::test_three" "$(ran "$out")" \
		"group '$group': other options deselect nothing"
	grep -q "1 known test recorded with other pytest options than this command's runs too" <<<"$out" ||
		ft_fail "group '$group': not said: $out"
done

out=$(FTRACE_DESELECT_FILE=$FT_SCRATCH/missing pyt) || ft_fail "pytest with a missing deselect file failed: $out"
assert_set "test_a.py::test_one test_a.py::test_two test_a.py::test_three" "$(ran "$out")" "missing file: all run"
grep -q "ftrace: cannot read" <<<"$out" || ft_fail "no warning for the missing file: $out"

out=$(pyt) || ft_fail "pytest without the variable failed: $out"
assert_set "test_a.py::test_one test_a.py::test_two test_a.py::test_three" "$(ran "$out")" "no variable: all run"
