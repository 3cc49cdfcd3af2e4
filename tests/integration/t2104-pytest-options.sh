#!/usr/bin/env bash
# t2104-pytest-options.sh - a recording answers only for a pytest session
# with options like its own (docs/hooks.md "Options"; the plugin compares,
# runners/ft_pytest_deselect.h).  The case: pytest's own documented
# `--runslow` (a conftest option that decides which tests skip).  Recorded
# with `pytest -q`, `ftrace test -- pytest -q --runslow` said "nothing
# affected" and exited 0, while plain `pytest --runslow` fails.  Now the
# tests recorded with other options run, and are recorded with these; the
# options pytest's output, pace and test choice take (-q, -v, -x, --tb,
# -k, a path) change nothing, and then pytest does not even start.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
mkdir -p "$FT_SCRATCH/repo/tests" && cd "$FT_SCRATCH/repo" && git init -q .
cat >tests/conftest.py <<'PY'
import pytest


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False)


def pytest_collection_modifyitems(config, items):
    if config.getoption("--runslow"):
        return
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(pytest.mark.skip(reason="needs --runslow"))
PY
cat >tests/test_a.py <<'PY'
import pytest


def test_fast():
    assert True


@pytest.mark.slow
def test_slow():
    assert False, "the slow test fails"
PY
cat >tests/test_b.py <<'PY'
import warnings


def test_warns():
    warnings.warn("old", DeprecationWarning)
PY
printf '[pytest]\nmarkers =\n    slow: slow\n' >pytest.ini
git add -A && git commit -qm init

# ptest STATUS "ran" WHAT ARGS...: ftrace test -- python -m pytest ARGS
# exits STATUS, and pytest ran exactly the tests "ran" (node ids)
ptest() {
	local want=$1 ran=$2 what=$3 rc=0
	shift 3
	settle
	ft test -- "$FT_PYTHON" -m pytest -rA -p no:randomly "$@" >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$want" ] ||
		ft_fail "$what: ftrace test -- pytest $* exited $rc, expected $want: $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
	assert_set "$ran" "$(sed -n 's/^\(PASSED\|FAILED\|ERROR\) \([^ ]*\).*/\2/p' "$FT_SCRATCH/out")" \
		"$what: tests pytest ran"
}
ALL="tests/test_a.py::test_fast tests/test_b.py::test_warns"

ft run -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q >/dev/null 2>&1 || ft_fail "recording failed"
ptest 0 "" "same options" -q

ptest 1 "$ALL tests/test_a.py::test_slow" "recorded without --runslow" -q --runslow
grep -q "the slow test fails" "$FT_SCRATCH/out" || ft_fail "test_slow did not run"
grep -q "3 known tests recorded with other pytest options than this command's run too" \
	"$FT_SCRATCH/out" || ft_fail "the options not said: $(cat "$FT_SCRATCH/out")"
# recorded with --runslow now: only the failed test
ptest 1 "tests/test_a.py::test_slow" "recorded with --runslow" -q --runslow
# back: every test recorded with --runslow runs without it
ptest 0 "$ALL" "recorded with --runslow, run without" -q
ptest 0 "" "recorded without --runslow again" -q
grep -q "nothing affected" "$FT_SCRATCH/err" || ft_fail "nothing affected not said: $(cat "$FT_SCRATCH/err")"

# -W error makes a warning fail a test
ptest 1 "$ALL" "-W error" -q -W error::DeprecationWarning
ptest 0 "$ALL" "-W error gone" -q

# output, pace and choice: nothing runs; known spellings: pytest does not start
ptest 0 "" "-v -x --tb=short" -v -x --tb=short
! grep -q "deselected" "$FT_SCRATCH/out" || ft_fail "-v -x --tb=short started pytest: $(cat "$FT_SCRATCH/out")"
# a path, or -k: pytest starts, and its plugin finds the options the same
ptest 0 "" "a path and -k" -q -k "fast or warns" tests
grep -q "deselected" "$FT_SCRATCH/out" || ft_fail "pytest did not start for a path and -k"

# an edit selects as before, whatever the neutral options
sed -i 's/"old"/"older"/' tests/test_b.py
ptest 0 "tests/test_b.py::test_warns" "an edit" -v

# .ftrace.json's command as a shell line: plain words are read as a command
# line's; a line with shell syntax starts pytest, whose plugin compares
printf '{"command": "%s -m pytest -rA -p no:randomly -q"}\n' "$FT_PYTHON" >.ftrace.json
rc=0
ft test >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 0 ] && grep -q "nothing affected" "$FT_SCRATCH/err" ||
	ft_fail "shell line, same options: $rc $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
printf '{"command": "%s -m pytest -rA -p no:randomly -q --runslow"}\n' "$FT_PYTHON" >.ftrace.json
rc=0
ft test >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 1 ] && grep -q "the slow test fails" "$FT_SCRATCH/out" ||
	ft_fail "shell line with --runslow: $rc $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
printf '{"command": "%s -m pytest -rA -p no:randomly -q 2>&1"}\n' "$FT_PYTHON" >.ftrace.json
rc=0
ft test >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 0 ] && grep -q "recorded with other pytest options" "$FT_SCRATCH/out" ||
	ft_fail "shell line with a redirection: pytest did not start: $rc $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
rm .ftrace.json

# recorded with pytest-xdist: the workers' sessions have the controller's
# options (none of -n's), so a plain session's options are the recording's
if "$FT_PYTHON" -c "import xdist" 2>/dev/null; then
	ft run -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q -n 2 >/dev/null 2>&1 ||
		ft_fail "recording with -n 2 failed"
	ptest 0 "" "after an xdist recording" -q
	ptest 0 "" "after an xdist recording, pytest started" -q -k "fast or warns or slow"
	grep -q "deselected" "$FT_SCRATCH/out" || ft_fail "-k did not start pytest"
fi

# `ftrace verify` judges as `ftrace test` would have run: a test recorded
# with other options would have run, so its failure is no escape
ft run -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q >/dev/null 2>&1 || ft_fail "recording failed"
rc=0
ft verify -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q --runslow >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 1 ] || ft_fail "verify --runslow exited $rc, expected 1: $(cat "$FT_SCRATCH/err")"
! grep -q "ESCAPE" "$FT_SCRATCH/err" || ft_fail "verify called the options' failure an escape: $(cat "$FT_SCRATCH/err")"
grep -q "failed (selected): tests/test_a.py::test_slow" "$FT_SCRATCH/err" ||
	ft_fail "verify: test_slow not judged selected: $(cat "$FT_SCRATCH/err")"
# with the recording's options, an escape is still one: a test whose
# outcome turns on a file ftrace does not watch (a temporary one, there
# and read: scratch; a name looked up there and not found would be its
# absence, a dependency: t4345)
export FT_MARK=$FT_SCRATCH/mark
echo 0 >"$FT_MARK"
cat >tests/test_c.py <<'PY'
import os


def test_mark():
    with open(os.environ["FT_MARK"]) as f:
        assert f.read().strip() != "1"
PY
git add -A && git commit -qm "a test on a temporary file"
rc=0
ft run -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q --runslow >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 1 ] || ft_fail "recording with --runslow exited $rc"
echo 1 >"$FT_MARK"
rc=0
ft verify -- "$FT_PYTHON" -m pytest -rA -p no:randomly -q --runslow >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
[ "$rc" -eq 99 ] || ft_fail "verify with an escape exited $rc, expected 99: $(cat "$FT_SCRATCH/err")"
grep -q "ESCAPE: test 'tests/test_c.py::test_mark'" "$FT_SCRATCH/err" ||
	ft_fail "the escape not reported: $(cat "$FT_SCRATCH/err")"
