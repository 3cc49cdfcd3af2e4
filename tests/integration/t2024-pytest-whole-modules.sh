#!/usr/bin/env bash
# `ftrace affected` (--format lines and null) gives pytest a module all of
# whose recorded tests are affected as its path, so that `pytest $(ftrace
# affected)` also runs the tests added to it since the recording; a test
# added to an existing module is no new test *file*, and by id it would be
# left out.  A module with only some tests affected keeps their ids; a
# module that is gone is left out (pytest stops at a path it cannot find);
# --format ids and --explain keep every id; --format json has both, the
# ids under "tests" and what to run under "args".  (runners/ft_pytest_args.h)
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# run_affected [FTRACE AFFECTED ARGS]: pytest -q over what `ftrace affected`
# prints (nothing when it prints nothing); its output, its status ignored.
run_affected() {
	local args
	args=$(ft affected "$@") || ft_fail "ftrace affected $* failed"
	[ -n "$args" ] || return 0
	# shellcheck disable=SC2086  # one argument per line, none with spaces
	"$FT_PYTHON" -m pytest -q -p no:cacheprovider $args 2>&1 || true
}

record

# A new, failing test in an existing module: the module is printed whole,
# and pytest runs (and fails) the new test with the old ones.
printf '\n\ndef test_added():\n    assert 1 == 2\n' >>tests/test_arith.py
assert_eq "tests/test_arith.py" "$(ft affected)" "a test added to tests/test_arith.py: the module"
out=$(run_affected)
grep -q '^FAILED tests/test_arith.py::test_added' <<<"$out" ||
	ft_fail "pytest over the affected tests did not run the added test: $out"
grep -q '^1 failed, 2 passed in' <<<"$out" || ft_fail "not exactly the module's 3 tests: $out"
assert_set "$ARITH" "$(ft affected --format ids)" "--format ids: the recorded ids"
grep -qx "tests/test_arith.py::test_add" <<<"$(ft affected --explain)" || ft_fail "--explain lists the tests by id"
got=$(ft affected --format null | tr '\0' '\n')
assert_eq "tests/test_arith.py" "$got" "--format null: the module"
# --format json: the recorded ids under "tests", the module under "args"
ft affected --format json >"$FT_SCRATCH/whole.json" || ft_fail "--format json failed"
"$FT_PYTHON" - "$FT_SCRATCH/whole.json" <<'PY' || ft_fail "--format json: $(cat "$FT_SCRATCH/whole.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is True and d["args"] == ["tests/test_arith.py"], d
assert all(t["id"].startswith("tests/test_arith.py::") for t in d["tests"]) and len(d["tests"]) == 2, d
PY
revert tests/test_arith.py

# Only one test of a module affected (a data file it alone reads): its id,
# and pytest runs that test alone.
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_eq "tests/test_table.py::test_table_sum" "$(ft affected)" "one test of tests/test_table.py"
out=$(run_affected)
grep -Eq '^1 (passed|failed) in' <<<"$out" || ft_fail "not exactly test_table_sum: $out"
revert tests/data/table.csv

# Two modules, one whole and one in part: each as it should be.
printf '# edited\n' >>tests/test_fmt.py
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_set "tests/test_fmt.py tests/test_table.py::test_table_sum" "$(ft affected)" \
	"a module whole and one test of another"
revert tests/test_fmt.py
revert tests/data/table.csv

# A failed test whose module was then deleted: nothing left to run, and
# not a path pytest would stop at.
record -k "not test_greet" || true
rm tests/tools/test_greet.py
out=$(ft affected)
grep -q 'test_greet' <<<"$out" && ft_fail "a deleted module printed: $out"
out=$(run_affected)
grep -q 'not found\|ERROR' <<<"$out" && ft_fail "pytest stopped at the affected list: $out"
rm -f tests/tools/test_greet.py && git checkout -q -- tests/tools/test_greet.py
settle tests/tools/test_greet.py
record

# A parameter added by data that collection reads: every test of that
# module is affected (the listing is read at its collection; reads during
# collection other than of sources count for every test, so every module
# is), the module is printed, and pytest runs the new case.  (The cases are outside testpaths:
# under tests/, pytest's own walk would list them for every test.)
mkdir -p conf/cases
printf 'x\n' >conf/cases/one.txt
cat >tests/test_cases.py <<'PY'
import os

import pytest

HERE = os.path.join(os.path.dirname(__file__), "..", "conf")


@pytest.mark.parametrize("name", sorted(os.listdir(os.path.join(HERE, "cases"))))
def test_case(name):
    with open(os.path.join(HERE, "cases", name)) as f:
        assert f.read().strip() != "bad"


def test_other():
    pass
PY
settle conf/cases/one.txt tests/test_cases.py
record
assert_eq "" "$(ft affected)" "recorded with the cases"
printf 'bad\n' >conf/cases/two.txt
out=$(ft affected)
grep -qx "tests/test_cases.py" <<<"$out" || ft_fail "a new case: the module is not printed: $out"
grep -q "::" <<<"$out" && ft_fail "a new case: ids printed: $out"
out=$(run_affected)
grep -q '^FAILED tests/test_cases.py::test_case\[two.txt\]' <<<"$out" ||
	ft_fail "pytest over the affected tests did not run the new case: $out"
