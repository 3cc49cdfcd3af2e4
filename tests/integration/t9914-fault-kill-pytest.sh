#!/usr/bin/env bash
# t9914-fault-kill-pytest.sh - the pytest session under `ftrace run` is
# SIGKILLed in the middle of a test (a CI timeout).  Issue 24: the killed
# session's tests were stored without a runner; once the interrupted test
# was renamed, `affected` printed its old id for ever, and `ftrace
# affected | xargs -r pytest` aborted with "not found" and ran nothing.
# After the kill: the earlier recording stays (the oracle finds every
# broken test selected), and after the rename the selection, fed to
# pytest, runs (no "not found").
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "pytest not installed"

ft_fixture pytest-basic
cat >tests/test_slow.py <<'PY'
import os
import time


def test_slow():
    marker = os.environ.get("SLOW_MARKER")
    if marker:
        with open(marker, "w") as fh:
            fh.write("%d\n" % os.getpid())
        while True:
            time.sleep(1)
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm slow

oracle_suite() { oracle_pytest_suite; }

ft_record 0 -- "$FT_PYTHON" -m pytest -p no:cacheprovider
# again, and pytest is killed inside test_slow
ft_settle
SLOW_MARKER=$FT_SCRATCH/slow.pid "$FTRACE_BIN" run -- "$FT_PYTHON" -m pytest -p no:cacheprovider \
	>"$FT_SCRATCH/killed.out" 2>&1 &
run=$!
while [ ! -s "$FT_SCRATCH/slow.pid" ]; do
	kill -0 "$run" 2>/dev/null || ft_fail "the run ended early: $(cat "$FT_SCRATCH/killed.out")"
done
kill -KILL "$(cat "$FT_SCRATCH/slow.pid")"
rc=0
wait "$run" || rc=$?
[ "$rc" -ne 0 ] || ft_fail "ftrace run exited 0 although pytest was killed"

oracle_baseline
oracle_scenario "a source after the killed session" \
	'ft_edit calc/fmt.py "return" "return \"x\" +"' 'ft_back calc/fmt.py'
oracle_scenario "a data file after the killed session" \
	'printf "item,qty\nx,9\n" > tests/data/table.csv' 'ft_back tests/data/table.csv'

# the interrupted test renamed: what affected prints, pytest accepts
ft_edit tests/test_slow.py "def test_slow" "def test_slow_renamed"
sel=$("$FTRACE_BIN" affected) || ft_fail "affected after the rename exited $?"
if [ -n "$sel" ]; then
	rc=0
	mapfile -t args <<<"$sel"
	"$FT_PYTHON" -m pytest -p no:cacheprovider -q "${args[@]}" >"$FT_SCRATCH/rerun.out" 2>&1 || rc=$?
	# 0 passed, 1 some test failed; 4 is pytest's "not found" usage error
	case $rc in
	0|1) ;;
	*) ft_fail "pytest on affected's output exited $rc: $(tail -5 "$FT_SCRATCH/rerun.out")" ;;
	esac
fi
ft_back tests/test_slow.py
oracle_finish
