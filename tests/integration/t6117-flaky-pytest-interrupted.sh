#!/usr/bin/env bash
# An interrupted test is no flaky flip (docs/usage.md, "Flaky tests"): a
# session stopped by Ctrl-C (KeyboardInterrupt) or pytest.exit() in the
# middle of a test had that test recorded as "error", and the next run
# that passed it taught ftrace the test was flaky ("outcome changed,
# nothing it read did"; a probe stopped click's suite with `timeout -s
# INT`).  The adapter records such a test's outcome as unknown: selected
# next time, as a failure is, and no flip.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# the switch: a file under a temp dir (scratch for ingest, so its coming
# and going is no dependency change), named through the environment,
# which ftrace does not record as Python reads it
STOP_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftstop.XXXXXX")
trap 'ft__rc=$?; rm -rf "$STOP_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export STOP_FILE=$STOP_DIR/stop
cat >tests/test_stop.py <<'PY'
import os
import signal

import pytest


def test_stop():
    if os.path.exists(os.environ["STOP_FILE"]):
        how = open(os.environ["STOP_FILE"]).read().strip()
        if how == "exit":
            pytest.exit("stopped")
        os.kill(os.getpid(), signal.SIGINT)


def test_z_after():
    pass
PY
STOP=tests/test_stop.py::test_stop
ft_settle

# run WANT_STATUS: `ftrace run -- python -m pytest -q`
run() {
	local rc=0
	ft_settle
	ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ "$rc" -eq "$1" ] || ft_fail "ftrace run exited $rc, expected $1: $(cat "$FT_SCRATCH/out" "$FT_SCRATCH/err")"
}

run 0
for how in sigint exit; do
	echo "$how" >"$STOP_FILE"
	run 2
	rm "$STOP_FILE"
	assert_set "$STOP" "$(ft affected --format ids | grep test_stop || true)" \
		"the test stopped by $how: selected next time"
	grep -q "no result last time" <<<"$(ft affected --explain)" ||
		ft_fail "no reason for the interrupted test: $(ft affected --explain)"
	run 0
	grep -q "learned" "$FT_SCRATCH/err" && ft_fail "$how: a flaky flip learned: $(cat "$FT_SCRATCH/err")"
	assert_eq "" "$(ft flaky)" "$how: no flaky test"
done
