#!/usr/bin/env bash
# t6013-test-smoke.sh - `ftrace test` with nothing affected runs the smoke
# set of .ftrace.json ("smoke": [test ids]) instead of nothing, and says so
# (issue 27); with an affected test, the smoke set does not run; without
# the key, nothing runs.  The smoke run is recorded like any other.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# ftest: `ftrace test -- python -m pytest -q -rA`, exit 0; the node ids that
# ran (pytest's -rA summary) in $ran, its stderr in $FT_SCRATCH/test.err.
ftest() {
	local out rc=0
	out=$(ft test -- "$FT_PYTHON" -m pytest -q -rA 2>"$FT_SCRATCH/test.err") || rc=$?
	if [ "$rc" -ne 0 ]; then
		printf '%s\n' "$out" >&2; cat "$FT_SCRATCH/test.err" >&2
		ft_fail "ftrace test exited $rc"
	fi
	ran=$(printf '%s\n' "$out" | sed -n 's/^\(PASSED\|FAILED\|ERROR\) \([^ ]*\).*/\2/p')
}

ftest
assert_set "$ALL" "$ran" "first run (no recording) runs all"

# nothing affected, no smoke set: nothing runs
ftest
assert_set "" "$ran" "nothing affected, no smoke set"
grep -q "nothing affected" "$FT_SCRATCH/test.err" || ft_fail "no 'nothing affected' note"

# nothing affected, a smoke set (given twice, in any order): it runs, once
printf '{"smoke": ["tests/test_table.py::test_parse_row", "tests/test_arith.py::test_add",\n'`
	`' "tests/test_table.py::test_parse_row"]}\n' > .ftrace.json
settle .ftrace.json
ftest
assert_set "tests/test_arith.py::test_add tests/test_table.py::test_parse_row" "$ran" \
	"nothing affected: the smoke set runs"
grep -q 'nothing affected; running the smoke set (2 tests' "$FT_SCRATCH/test.err" ||
	ft_fail "the smoke run is not said: $(cat "$FT_SCRATCH/test.err")"
assert_set "" "$(affected)" "the smoke run was recorded, nothing is affected"

# something affected: that runs, not the smoke set
printf 'UNUSED = 1\n' >> calc/arith.py
settle calc/arith.py
ftest
assert_set "$ARITH $TABLE" "$ran" "an edit: the affected tests, not the smoke set"
! grep -q 'smoke' "$FT_SCRATCH/test.err" || ft_fail "smoke said with tests affected"

# a malformed smoke key is the config's error (exit 78), never a silent run
printf '{"smoke": "tests/test_arith.py::test_add"}\n' > .ftrace.json
settle .ftrace.json
rc=0
ft test -- "$FT_PYTHON" -m pytest -q > /dev/null 2> "$FT_SCRATCH/test.err" || rc=$?
assert_eq 78 "$rc" "a smoke key that is no array"
grep -q 'smoke' "$FT_SCRATCH/test.err" || ft_fail "the message does not name the key: $(cat "$FT_SCRATCH/test.err")"
