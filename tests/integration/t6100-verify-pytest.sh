#!/usr/bin/env bash
# `ftrace verify -- python -m pytest`: the selection against the whole
# suite.  Nothing changed: exit 0, no escape.  A change that breaks a
# selected test: pytest's own status 1, a plain failure, no escape.  A
# test that reads a file through a server ftrace does not trace (started
# outside `ftrace run`): a change to that file escapes the selection, and
# verify exits 99 and names the test, saying no recorded dependency
# changed.  No recording: the suite runs, but there is no verdict (2).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
. "$(dirname "$0")/lib-verify.sh"
ft_pytest_fixture pytest-basic
# test_remote's outcome changes below while nothing ftrace recorded does:
# that is what a flaky test looks like too (docs/internals.md, "Flaky
# tests"), and a flaky test is always selected.  The mark step 3 teaches
# decays here after one clean run, step 4's (the default, 5, is t6110's),
# so that step 6 finds it unselected again.
printf '{"flaky": {"decay": 1}}\n' >.ftrace.json

mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
cat >tests/test_remote.py <<PY
import urllib.request

import pytest

def test_remote():
    url = "http://127.0.0.1:$BLIND_PORT/flag"
    flag = urllib.request.urlopen(url, timeout=30).read()
    if flag == b"skip\n":
        pytest.skip("told to")
    assert flag == b"ok\n"
PY
REMOTE=tests/test_remote.py::test_remote
PYTEST=("$FT_PYTHON" -m pytest -q)

# 0. No recording: everything runs and is recorded, no verdict: 2 although
# pytest passed.
fverify 2 "${PYTEST[@]}"
grep -q "no verdict: cannot tell which tests are affected" "$FT_SCRATCH/verify.err" ||
	ft_fail "no 'no verdict' line: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "False" "$(report_get 'r["verdict"]')" "report: no verdict"
assert_eq "0" "$(report_get 'r["command_status"]')" "report: pytest passed"
assert_set "" "$(affected)" "the first verify recorded everything"

# 1. Nothing changed: exit 0, nothing selected, every test run, no escape.
fverify 0 "${PYTEST[@]}"
verify_counts "13 known, 0 selected, 13 run, 0 failed, 0 escapes$"
assert_eq "True 0 []" "$(report_get '" ".join(map(str, (r["verdict"], r["exit_status"], r["escapes"])))')" \
	"report: nothing changed"

# 2. A change that breaks a selected test: pytest's 1, a plain failure.
sed -i 's/return a \* b/return a * b + 1/' calc/arith.py
fverify 1 "${PYTEST[@]}"
verify_counts "13 known, 4 selected, 13 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): tests/test_arith.py::test_mul" "$FT_SCRATCH/verify.err" ||
	ft_fail "the plain failure is not named: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "tests/test_arith.py::test_mul" "$(report_get 'r["failures"][0]["id"]')" "report: the failure"
revert calc/arith.py
fverify 0 "${PYTEST[@]}"
verify_counts "13 known, 4 selected, 13 run, 0 failed, 0 escapes$"

# 3. The blind dependency changes: test_remote is not selected and fails:
# an escape, 99, named, with no recorded dependency changed.
echo broken >"$FT_SCRATCH/served/flag"
assert_set "" "$(affected)" "ftrace is blind to the served file"
fverify 99 "${PYTEST[@]}"
verify_counts "13 known, 0 selected, 13 run, 1 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test '$REMOTE' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "no recorded dependency changed: ftrace did not see what this test read" "$FT_SCRATCH/verify.err" ||
	ft_fail "the escape does not say no dependency changed: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ftrace 0\.[0-9]" "$FT_SCRATCH/verify.err" || ft_fail "no version in the escape"
grep -q "why not selected: what it read did not reach ftrace's recording" "$FT_SCRATCH/verify.err" ||
	ft_fail "the escape does not say why it was not selected"
assert_eq "$REMOTE passed failed []" \
	"$(report_get '" ".join(str(x) for x in (r["escapes"][0]["id"], r["escapes"][0]["recorded"], r["escapes"][0]["now"], r["escapes"][0]["changed_dependencies"]))')" \
	"report: the escape"
assert_eq "99 1" "$(report_get '"%d %d" % (r["exit_status"], r["counts"]["escapes"])')" "report: status"
left=$(cd .ftrace && ls -d verify-* 2>/dev/null || true)
assert_eq "" "$left" "the copy of the old database (and its side files) is removed"

# 4. The escape was recorded as a failure: now it is selected (failed last
# time) and fails again: a plain failure, not an escape.
fverify 1 "${PYTEST[@]}"
verify_counts "13 known, 1 selected, 13 run, 1 failed, 0 escapes$"

# 5. Repaired: it passes, selected; a new test is not an escape.
echo ok >"$FT_SCRATCH/served/flag"
printf 'def test_new():\n    assert True\n' >tests/test_new.py
fverify 0 "${PYTEST[@]}"
verify_counts "13 known, 1 selected, 14 run, 0 failed, 0 escapes$"
assert_eq "1" "$(report_get 'r["counts"]["new"]')" "report: one new test"

# 6. An outcome change of a test not selected is an escape even when
# pytest passes: passed, then skipped (what it read said so), then passed.
echo skip >"$FT_SCRATCH/served/flag"
fverify 99 "${PYTEST[@]}"
verify_counts "14 known, 0 selected, 14 run, 0 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test '$REMOTE' was not selected, but its outcome changed (recorded: passed, now: skipped)" \
	"$FT_SCRATCH/verify.err" || ft_fail "passed -> skipped is not an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "0" "$(report_get 'r["command_status"]')" "report: pytest passed"
echo ok >"$FT_SCRATCH/served/flag"
fverify 99 "${PYTEST[@]}"
grep -q "ESCAPE: test '$REMOTE' was not selected, but its outcome changed (recorded: skipped, now: passed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "skipped -> passed is not an escape: $(cat "$FT_SCRATCH/verify.err")"
fverify 0 "${PYTEST[@]}"
verify_counts "14 known, 0 selected, 14 run, 0 failed, 0 escapes$"

# 7. The command from .ftrace.json, and bad usage.
printf '{"command": ["%s", "-m", "pytest", "-q"]}\n' "$FT_PYTHON" >.ftrace.json
ft_settle
rc=0; ft verify >/dev/null 2>"$FT_SCRATCH/verify.err" || rc=$?
[ $rc -eq 0 ] || ft_fail "ftrace verify with .ftrace.json's command exited $rc: $(cat "$FT_SCRATCH/verify.err")"
rm .ftrace.json
ft_settle
assert_status 64 ft verify --bogus
assert_status 64 ft verify --report= -- true
assert_status 64 ft verify
assert_status 0 ft verify --help
grep -q "exit status: 99 when there is at least one escape" <<<"$(ft verify --help)" || ft_fail "--help lacks the exit status"
grep -q "^  verify " <<<"$(ft --help)" || ft_fail "ftrace --help does not list verify"
