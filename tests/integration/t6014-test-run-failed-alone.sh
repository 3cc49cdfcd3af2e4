#!/usr/bin/env bash
# A run that failed while every test it recorded passed (docs/runners.md,
# "Outcomes"): a conftest whose session hook fails the session, a step
# after the tests in a shell line.  No test's own outcome explains the
# failure, so each test of the run counts as failed, as the run's status:
# `ftrace affected` selects them, and `ftrace test` runs them and fails
# again, until a run passes.  Before, nothing was affected and `ftrace
# test` ran nothing and exited 0 while the command itself still failed.
# And a test that failed on its own explains its run: only it is selected.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# ftest WANT_STATUS: `ftrace test -- python -m pytest -q -rA`; the node ids
# that ran (pytest's -rA summary) in $ran, the failed ones in $failed.
ftest() {
	local rc=0 out
	out=$(ft test -- "$FT_PYTHON" -m pytest -q -rA 2>"$FT_SCRATCH/test.err") || rc=$?
	if [ "$rc" -ne "$1" ]; then
		printf '%s\n' "$out" >&2; cat "$FT_SCRATCH/test.err" >&2
		ft_fail "ftrace test exited $rc, expected $1"
	fi
	ran=$(printf '%s\n' "$out" | sed -n 's/^\(PASSED\|FAILED\|ERROR\) \([^ ]*\).*/\2/p')
	failed=$(printf '%s\n' "$out" | sed -n 's/^\(FAILED\|ERROR\) \([^ ]*\).*/\2/p')
}

# 1. The session hook fails every run; no test fails.
cp tests/conftest.py "$FT_SCRATCH/conftest.py"
cat >>tests/conftest.py <<'PY'


def pytest_sessionfinish(session, exitstatus):
    session.exitstatus = 3
PY
settle tests/conftest.py
ft_record 3 -- "$FT_PYTHON" -m pytest -q
grep -q "the command failed (exit status 3) but none of its tests did" "$FT_SCRATCH/run.err" ||
	ft_fail "no word of the run's failure: $(cat "$FT_SCRATCH/run.err")"
assert_set "$ALL" "$(affected)" "nothing changed since a run that failed alone"
"$FTRACE_BIN" affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "failed last time" "$FT_SCRATCH/explain" || ft_fail "the reason: $(cat "$FT_SCRATCH/explain")"
ftest 3
assert_set "$ALL" "$ran" "ftrace test runs the run's tests again"
assert_set "" "$failed" "no test failed on its own"
ftest 3
assert_set "$ALL" "$ran" "and again, while the session still fails"

# 2. The hook gone: the run passes, and nothing is selected after it.
cp "$FT_SCRATCH/conftest.py" tests/conftest.py
settle tests/conftest.py
ftest 0
assert_set "$ALL" "$ran" "the conftest changed"
assert_set "" "$(affected)" "after a run that passed"
ftest 0
assert_eq "" "$ran" "nothing affected: nothing runs"

# 3. A shell line whose step after the tests fails.
ft_record 4 -- sh -c '"$0" -m pytest -q >/dev/null; exit 4' "$FT_PYTHON"
grep -q "the command failed (exit status 4) but none of its tests did" "$FT_SCRATCH/run.err" ||
	ft_fail "sh -c: no word of the run's failure: $(cat "$FT_SCRATCH/run.err")"
assert_set "$ALL" "$(affected)" "a shell line that failed after its tests"
ft_record 0 -- "$FT_PYTHON" -m pytest -q
assert_set "" "$(affected)" "a run that passed"

# 4. A test that fails on its own explains its run's status: only the
# tests that failed are selected, not the run's others.
cp calc/arith.py "$FT_SCRATCH/arith.py"
sed -i 's/return a \* b/return a * b + 1/' calc/arith.py
settle calc/arith.py
ftest 1
[ -n "$failed" ] || ft_fail "the broken arith failed no test"
grep -q "none of its tests did" "$FT_SCRATCH/test.err" && ft_fail "a run with a failing test counted as failing alone"
assert_set "$failed" "$(affected)" "only the tests that failed"
