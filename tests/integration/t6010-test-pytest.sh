#!/usr/bin/env bash
# `ftrace test -- python -m pytest`: select, run only what is affected, and
# record.  The case behind it: a developer runs the same command after each
# edit; a first run with no recording must run (and record) everything, an
# edit must run exactly the tests it can affect, a new test must run although
# nobody recorded it, nothing changed must run nothing, and pytest's own exit
# status (a failing affected test) must come through.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# ftest WANT_STATUS: `ftrace test -- python -m pytest -q -rA`; stdout in
# $out, the node ids that ran (pytest's -rA summary) in $ran.
ftest() {
	local rc=0
	out=$(ft test -- "$FT_PYTHON" -m pytest -q -rA 2>"$FT_SCRATCH/test.err") || rc=$?
	if [ "$rc" -ne "$1" ]; then
		printf '%s\n' "$out" >&2; cat "$FT_SCRATCH/test.err" >&2
		ft_fail "ftrace test exited $rc, expected $1"
	fi
	ran=$(printf '%s\n' "$out" | sed -n 's/^\(PASSED\|FAILED\|ERROR\) \([^ ]*\).*/\2/p')
}
summary() { printf '%s\n' "$out" | tail -1 | sed 's/ in [0-9.]*s$//'; }

# 1. No recording: everything runs, and is recorded.
ftest 0
assert_set "$ALL" "$ran" "first run (no recording) runs all"
grep -q "cannot tell which tests are affected" "$FT_SCRATCH/test.err" || ft_fail "no 'cannot tell' note"
assert_set "" "$(affected)" "after the first run the map is current"

# 2. An edit to one module runs only the tests that import it: test_arith
# and test_table (calc.table uses calc.arith).
printf 'UNUSED = 1\n' >>calc/arith.py
settle calc/arith.py
ftest 0
assert_set "$ARITH $TABLE" "$ran" "calc/arith.py edited"
assert_eq "4 passed, 8 deselected" "$(summary)" "pytest's summary after an arith edit"
assert_set "" "$(affected)" "the edited module's tests were recorded again"

# 3. A new test file runs (nobody recorded it), and nothing else.
printf 'def test_new():\n    assert True\n' >tests/test_new.py
settle tests/test_new.py
ftest 0
assert_set "tests/test_new.py::test_new" "$ran" "a new test file"
assert_eq "1 passed, 12 deselected" "$(summary)" "pytest's summary for a new test file"

# 4. A new test in an existing file runs too (its id is known to nobody).
printf '\n\ndef test_fmt_zero():\n    assert True\n' >>tests/test_fmt.py
settle tests/test_fmt.py
ftest 0
assert_set "$FMT tests/test_fmt.py::test_fmt_zero" "$ran" "a test added to an existing file"

# 5. Nothing changed: nothing runs, exit 0, said on stderr.
ftest 0
assert_eq "" "$out" "nothing affected: pytest did not run"
grep -qx "ftrace: nothing affected" "$FT_SCRATCH/test.err" || ft_fail "no 'nothing affected' note: $(cat "$FT_SCRATCH/test.err")"

# 6. A failing affected test: pytest's status 1 comes through, and the
# failed test is run again next time even with nothing changed.
sed -i 's/return a \* b/return a * b + 1/' calc/arith.py
settle calc/arith.py
ftest 1
assert_set "$ARITH $TABLE" "$ran" "arith broken: its tests ran"
assert_eq "1 failed, 3 passed, 10 deselected" "$(summary)" "pytest's summary with a failure"
ftest 1
assert_set "tests/test_arith.py::test_mul" "$ran" "the failed test runs again"
sed -i 's/return a \* b + 1/return a * b/' calc/arith.py
settle calc/arith.py
ftest 0
assert_set "$ARITH $TABLE" "$ran" "arith fixed: its tests pass"

# 7. The command from .ftrace.json, with an always_run test.
printf '{"command": ["%s", "-m", "pytest", "-q", "-rA"],\n "always_run": ["tests/test_table.py::test_parse_row"]}\n' \
	"$FT_PYTHON" >.ftrace.json
settle .ftrace.json
# pytest listed the top directory, which just gained .ftrace.json: the
# first run after adding it selects by that listing; the second shows
# always_run alone.
cfgtest() {
	local rc=0
	out=$(ft test 2>"$FT_SCRATCH/test.err") || rc=$?
	[ $rc -eq 0 ] || { cat "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test (config command) exited $rc"; }
	ran=$(printf '%s\n' "$out" | sed -n 's/^PASSED \([^ ]*\).*/\1/p')
}
cfgtest
grep -qx "tests/test_table.py::test_parse_row" <<<"$ran" || ft_fail "config command did not run"
cfgtest
assert_set "tests/test_table.py::test_parse_row" "$ran" "always_run runs with nothing else affected"

# 8. When ftrace cannot tell (a new directory deeper than the new-test walk
# goes, as in t3005), `ftrace affected --on-unknown=all` prints the
# always_run ids with every known test.
printf '{"always_run": ["tests/test_smoke.py::test_boot"]}\n' >.ftrace.json
d=tests/deep
for i in $(seq 1 70); do d=$d/d; done
mkdir -p "$d"
printf 'def test_deep():\n    pass\n' >"$d/test_deep.py"
rc=0
all=$(ft affected --on-unknown=all --format ids 2>/dev/null) || rc=$?
assert_eq 2 "$rc" "affected when it cannot tell"
grep -qx "tests/test_smoke.py::test_boot" <<<"$all" || ft_fail "--on-unknown=all lacks the always_run id: $all"
grep -qx "tests/test_arith.py::test_add" <<<"$all" || ft_fail "--on-unknown=all lacks known tests: $all"

# 9. pytest behind a shell line (the config's string form) or behind `env`
# is still pytest: nothing affected runs nothing, an edit deselects the rest.
# A line of plain words is read as a command line: pytest need not start;
# a line with shell syntax starts pytest, which deselects everything (its
# plugin alone can tell that its options are the recording's: hooks.md,
# "Options").
rm -rf tests/deep
printf '{"command": "%s -m pytest -q -rA"}\n' "$FT_PYTHON" >.ftrace.json
settle .ftrace.json tests/test_fmt.py
rc=0
out=$(ft test 2>"$FT_SCRATCH/test.err") || rc=$?
[ $rc -eq 0 ] || { cat "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test (shell command) exited $rc"; }
assert_eq "" "$out" "shell-form pytest command with nothing affected"
grep -qx "ftrace: nothing affected" "$FT_SCRATCH/test.err" || ft_fail "shell form: $(cat "$FT_SCRATCH/test.err")"
printf '{"command": "cd . && %s -m pytest -q -rA"}\n' "$FT_PYTHON" >.ftrace.json
settle .ftrace.json
rc=0
out=$(ft test 2>"$FT_SCRATCH/test.err") || rc=$?
[ $rc -eq 0 ] || { cat "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test (shell syntax) exited $rc: $out"; }
assert_eq "" "$(printf '%s\n' "$out" | sed -n 's/^\(PASSED\|FAILED\) \([^ ]*\).*/\2/p')" \
	"shell syntax, nothing affected: no test ran"
grep -q "deselected" <<<"$out" || ft_fail "shell syntax: pytest did not deselect: $out"
printf 'UNUSED = 2\n' >>calc/fmt.py
settle calc/fmt.py
out=$(ft test 2>"$FT_SCRATCH/test.err") || { cat "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test (shell command) failed"; }
ran=$(printf '%s\n' "$out" | sed -n 's/^PASSED \([^ ]*\).*/\1/p')
assert_set "$FMT tests/test_fmt.py::test_fmt_zero" "$ran" "shell-form pytest command after a fmt edit"
printf 'UNUSED = 3\n' >>calc/fmt.py
settle calc/fmt.py
out=$(ft test -- env FT_X=1 "$FT_PYTHON" -m pytest -q -rA 2>"$FT_SCRATCH/test.err") ||
	{ cat "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test -- env ... pytest failed"; }
ran=$(printf '%s\n' "$out" | sed -n 's/^PASSED \([^ ]*\).*/\1/p')
assert_set "$FMT tests/test_fmt.py::test_fmt_zero" "$ran" "env-wrapped pytest after a fmt edit"
