#!/usr/bin/env bash
# t9809-oracle-pytest-tmpdotdot.sh - the soundness oracle (lib-oracle.sh) on
# fixtures/pytest-basic with tests that reach repository files through
# paths under the temp directory.  Issue 24: ingest dropped paths under
# /tmp by their text, so a symlink in pytest's tmp_path to a project file,
# and /tmp/x/../<repo>/f, read repository files unrecorded; breaking the
# file selected nothing.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-oracle.sh"

"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "pytest not installed"

ft_fixture pytest-basic
cat >tests/test_tmplink.py <<'PY'
import os


def test_through_tmp_symlink(tmp_path, data_dir):
    link = tmp_path / "table.csv"
    os.symlink(os.path.join(data_dir, "table.csv"), link)
    assert link.read_text().startswith("item,qty")


def test_through_tmp_dotdot(tmp_path, project_root):
    # tmp_path/../<as many ..>/<repo>/plugins/alpha.txt
    up = os.path.relpath("/", tmp_path)
    path = os.path.join(str(tmp_path), up, project_root.lstrip("/"), "plugins", "alpha.txt")
    assert open(path).read().startswith("alpha:")
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm tmplink

oracle_suite() {
	"$FT_PYTHON" -m pytest -q -rA --tb=no -p no:cacheprovider 2>&1 |
		sed -n -e 's/^\(PASSED\|XFAIL\) \(.*\)$/\2\tpass/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \(.*\) - .*$/\2\tfail/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \([^ ]*\)$/\2\tfail/p'
}

ft_record 0 -- "$FT_PYTHON" -m pytest -p no:cacheprovider
oracle_baseline

oracle_scenario "a file read as /tmp/.../../<repo>/f" \
	'echo beta: > plugins/alpha.txt' 'ft_back plugins/alpha.txt'
oracle_finish
