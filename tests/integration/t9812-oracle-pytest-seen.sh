#!/usr/bin/env bash
# t9812-oracle-pytest-seen.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/pytest-basic with a test that sees a path absent that a later
# test of the same run creates.  Issue 24: the test that saw
# build/report.json missing was stored as having seen it exist, so the
# next full run (where it exists, and the test fails) selected nothing.
# Each test keeps the state that it saw (shared/DESIGN.md).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "pytest not installed"

ft_fixture pytest-basic
cat >tests/test_seen.py <<'PY'
import os


def _report(root):
    return os.path.join(root, "build", "report.json")


def test_a_no_report_yet(project_root):
    assert not os.path.exists(_report(project_root))


def test_b_writes_report(project_root):
    os.makedirs(os.path.dirname(_report(project_root)), exist_ok=True)
    with open(_report(project_root), "w") as fh:
        fh.write("{}\n")
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm seen

oracle_suite() {
	"$FT_PYTHON" -m pytest -q -rA --tb=no -p no:cacheprovider -p no:randomly 2>&1 |
		sed -n -e 's/^\(PASSED\|XFAIL\) \(.*\)$/\2\tpass/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \(.*\) - .*$/\2\tfail/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \([^ ]*\)$/\2\tfail/p'
}

ft_record 0 -- "$FT_PYTHON" -m pytest -p no:cacheprovider
# the full run now: report.json exists, test_a fails; the recording must
# select it (oracle_baseline checks every failing test is selected)
oracle_baseline
oracle_scenario "the report removed again" 'rm -r build' 'mkdir -p build && echo "{}" > build/report.json'
oracle_finish
