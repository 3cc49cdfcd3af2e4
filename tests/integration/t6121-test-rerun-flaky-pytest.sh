#!/usr/bin/env bash
# `ftrace test --rerun-flaky N` with pytest (docs/usage.md, "Flaky tests"):
# test_flaky's outcome at its n-th run is the n-th letter of FLAKY_PLAN
# (P pass, F fail), n from a counter file in a temp dir outside the
# repository (scratch for ingest: no dependency).  Learned flaky by two
# `ftrace run`s; then a `test` that fails by it alone reruns it alone
# (every other test deselected) and, when it passes, exits 0 and says so;
# without the option (and "rerun" 0) nothing is rerun; .ftrace.json's
# "flaky": {"rerun": 1} reruns once, and a rerun that fails too keeps the
# failure; a failing test that is not known flaky is never rerun, and then
# nothing is.  Usage: 64.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
# runs:       0 1 2 3 4 5 6 7 8...
export FLAKY_PLAN=PFFPFFFFPPPPPPPP
echo 0 >"$FLAKY_COUNTER"
cat >tests/test_flaky.py <<'PY'
import os


def test_flaky():
    path = os.environ["FLAKY_COUNTER"]
    with open(path) as f:
        n = int(f.read())
    with open(path, "w") as f:
        f.write("%d\n" % (n + 1))
    assert os.environ["FLAKY_PLAN"][n] == "P", "run %d fails" % n
PY
FLAKY=tests/test_flaky.py::test_flaky
echo '{}' >.ftrace.json
ft_settle

PYTEST="$FT_PYTHON -m pytest -q -p no:cacheprovider"
# ftest WANT_STATUS ARGS...: `ftrace test ARGS -- pytest`, out and err kept
ftest() {
	local want=$1 rc=0; shift
	ft test "$@" -- $PYTEST >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" || rc=$?
	[ "$rc" -eq "$want" ] || { cat "$FT_SCRATCH/test.out" "$FT_SCRATCH/test.err" >&2;
		ft_fail "ftrace test $* exited $rc, expected $want"; }
}
flaky_count() {
	ft flaky --json | "$FT_PYTHON" -c 'import json,sys; print(" ".join("%s:%d" % (t["name"], t["count"]) for t in json.load(sys.stdin)["tests"]))'
}
counter() { cat "$FLAKY_COUNTER"; }

assert_status 64 ft test --rerun-flaky x -- $PYTEST
assert_status 64 ft test --rerun-flaky -1 -- $PYTEST
assert_status 64 ft test --rerun-flaky 101 -- $PYTEST

# 1. Runs 0 (P) and 1 (F): learned flaky.
ft run -- $PYTEST >/dev/null 2>&1 || ft_fail "the first recording failed"
rc=0; ft run -- $PYTEST >/dev/null 2>&1 || rc=$?
assert_eq 1 "$rc" "run 1 fails"
assert_eq "$FLAKY:1" "$(flaky_count)" "learned flaky"

# 2. Run 2 fails (F), its rerun 3 passes (P): status 0, said; the rerun ran
# test_flaky alone.
ftest 0 --rerun-flaky 2
assert_eq 4 "$(counter)" "one run and one rerun"
grep -qx "ftrace: test: $FLAKY failed and is known flaky: rerun 1 of 2" "$FT_SCRATCH/test.err" ||
	ft_fail "no rerun said: $(cat "$FT_SCRATCH/test.err")"
grep -qx "ftrace: test: $FLAKY passed on rerun 1" "$FT_SCRATCH/test.err" ||
	ft_fail "the rerun's pass not said: $(cat "$FT_SCRATCH/test.err")"
grep -q "^ftrace: test: the run failed only by known flaky tests, each passed when rerun (1 rerun): status 0, was 1$" \
	"$FT_SCRATCH/test.err" || ft_fail "the status change not said: $(cat "$FT_SCRATCH/test.err")"
grep -q "^1 failed" "$FT_SCRATCH/test.out" || ft_fail "the first run: $(cat "$FT_SCRATCH/test.out")"
grep -q "^1 passed, 12 deselected" "$FT_SCRATCH/test.out" ||
	ft_fail "the rerun did not run test_flaky alone: $(cat "$FT_SCRATCH/test.out")"
assert_eq "$FLAKY:2" "$(flaky_count)" "the rerun's pass is a flip"

# 3. Without the option ("rerun" defaults to 0): run 4 fails, not rerun.
ftest 1
assert_eq 5 "$(counter)" "no rerun"
grep -q "rerun" "$FT_SCRATCH/test.err" && ft_fail "rerun without the option: $(cat "$FT_SCRATCH/test.err")"
ftest 1 --rerun-flaky 0
assert_eq 6 "$(counter)" "--rerun-flaky 0: no rerun"

# 4. .ftrace.json "rerun": 1: run 6 fails, its rerun 7 fails too: status 1.
echo '{"flaky": {"rerun": 1}}' >.ftrace.json
ft_settle
ftest 1
assert_eq 8 "$(counter)" "one rerun"
grep -qx "ftrace: test: $FLAKY failed 1 rerun too: the status is the run's (1)" "$FT_SCRATCH/test.err" ||
	ft_fail "a failed rerun: $(cat "$FT_SCRATCH/test.err")"

# 5. A failing test that is not known flaky: nothing is rerun, even the
# flaky test (run 8 passes: set the counter back to a failing run).
echo 1 >"$FLAKY_COUNTER"
ft_edit calc/arith.py "return a + b" "return a + b + 1"
ftest 1 --rerun-flaky 3
assert_eq 2 "$(counter)" "nothing rerun"
grep -qx "ftrace: test: tests/test_arith.py::test_add failed and is not known flaky: no test is rerun" \
	"$FT_SCRATCH/test.err" || ft_fail "a real failure: $(cat "$FT_SCRATCH/test.err")"
