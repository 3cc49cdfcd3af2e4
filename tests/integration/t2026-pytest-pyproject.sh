#!/usr/bin/env bash
# pyproject.toml that only pytest's start-up read (fixtures/pytest-pyproject):
# an edit outside [tool.pytest] selects only the tests that read the file
# themselves; an edit of pytest's table, one that makes the file invalid
# TOML, or one whose view cannot be computed (no Python for it) is "cannot
# tell", exit 2: pytest may now collect tests no run recorded (a probe of
# toolz: testpaths gained bench/).  Any other reader in the prelude (a
# conftest), or a plugin loaded before the start-up marker, keeps every
# edit selecting every test.  docs/pytest.md, "pyproject.toml".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -c "import tomllib" 2>/dev/null || ft_skip "no tomllib for $FT_PYTHON (Python 3.11+)"
ft_pytest_fixture pytest-pyproject

SHAPES="tests/test_shapes.py::test_area tests/test_shapes.py::test_square"
META="tests/test_meta.py::test_version_is_semver"

# The user's PYTEST_ADDOPTS still applies beside ours.
out=$(PYTEST_ADDOPTS="-k area" ft run -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") ||
	ft_fail "ftrace run with PYTEST_ADDOPTS failed: $out $(cat "$FT_SCRATCH/run.err")"
grep -q '^1 passed, 2 deselected in' <<<"$out" || ft_fail "PYTEST_ADDOPTS lost: $out"
rm -rf .ftrace

record
assert_set "" "$(affected)" "no change"
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD/pyproject.toml" <<'PY' || ft_fail "the recorded view"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
kinds = [k for (k,) in db.execute("SELECT s.kind FROM states s JOIN paths p ON p.id = s.path_id"
                                  " WHERE p.path = ?", (sys.argv[2].encode(),))]
assert 1 | 3 << 4 in kinds and 1 in kinds, kinds   # the prelude's view (a file of reader 3, pytest-config), test_meta's content
views = db.execute("SELECT view FROM pyconf_views WHERE path = ?", (sys.argv[2].encode(),)).fetchall()
assert len(views) == 1 and views[0][0].startswith("v1:"), views
PY

ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
assert_set "$META" "$(affected)" "[project] version edited"
ft_back pyproject.toml
assert_set "" "$(affected)" "version reverted"

ft_edit pyproject.toml 'line-length = 100' 'line-length = 120  # wider'
assert_set "$META" "$(affected)" "[tool.ruff] edited, a comment added"
ft_back pyproject.toml

ft_edit pyproject.toml 'markers = ["slow: a slow test"]' 'markers = ["slow: a slow test", "fast: quick"]'
cannot_tell "[tool.pytest.ini_options] edited" pyproject.toml
ft_back pyproject.toml

ft_edit pyproject.toml $'[tool.ruff]\n' $'[tool.pytest]\nminversion = "7"\n\n[tool.ruff]\n'
cannot_tell "a [tool.pytest] table added" pyproject.toml
ft_back pyproject.toml

ft_edit pyproject.toml 'dependencies = []' 'dependencies = ['
cannot_tell "pyproject.toml made invalid TOML" pyproject.toml
ft_back pyproject.toml

# No Python for the view: whether pytest's part changed cannot be told,
# said on stderr, exit 2.
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
FTRACE_PYTHON=/nonexistent/python3 cannot_tell "no Python for the view" pyproject.toml
grep -q "every edit of them counts" "$FT_SCRATCH/err" || ft_fail "no message: $(cat "$FT_SCRATCH/err")"
ft_back pyproject.toml

# A conftest that reads pyproject.toml at import: the prelude reads it
# after the start-up, so all of it counts, for every test.
# (the same path as pytest's: "tests/../pyproject.toml" would be another
# path, and a plain dependency anyway)
cat >tests/conftest.py <<'PY'
import os
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as f:
    VERSION_LINE = [l for l in f if l.startswith("version")][0]
PY
ft_settle
record
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
assert_set "$META $SHAPES" "$(affected)" "[project] edited, read by a conftest"
ft_back pyproject.toml
rm tests/conftest.py

# A plugin that pytest imports before the start-up marker (-p in the
# ini's addopts comes first): its import may have read anything, so there
# is no marker and every edit counts.
printf 'import os\n' >earlyplug.py
ft_edit pyproject.toml 'testpaths = ["tests"]' $'testpaths = ["tests"]\naddopts = "-p earlyplug"'
git -c user.email=t@t -c user.name=t commit -qam "addopts -p earlyplug" && git add earlyplug.py &&
	git -c user.email=t@t -c user.name=t commit -qm earlyplug
ft_settle
rm -rf .ftrace
record
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
assert_set "$META $SHAPES" "$(affected)" "[project] edited, a plugin ran before the marker"
ft_back pyproject.toml
