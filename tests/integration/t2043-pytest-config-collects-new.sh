#!/usr/bin/env bash
# A change of pytest's configuration can make it collect tests that no run
# recorded, which no selection can name.  A probe of toolz (2026-11-28):
# `testpaths` gained bench/, a new pytest.ini took over from pyproject.toml,
# addopts gained --doctest-modules; each time every recorded test was
# selected, and the new tests, which failed in a full run, were not.  Such
# a change is "cannot tell" (exit 2: run the whole suite), saying which
# file; an edit outside pytest's part of a shared file is not
# (python/ft_pyconf.h, docs/pytest.md "Shared config files").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -c "import tomllib" 2>/dev/null || ft_skip "no tomllib for $FT_PYTHON (Python 3.11+)"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
export FTRACE_GRANULARITY=file
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir tests bench pkg
cat >pyproject.toml <<'EOF'
[project]
name = "pkg"
version = "1.0.0"

[tool.pytest.ini_options]
testpaths = ["tests"]
EOF
cat >pkg/__init__.py <<'EOF'
def add(a, b):
    """
    >>> add(1, 1)
    3
    """
    return a + b
EOF
cat >tests/test_add.py <<'EOF'
from pkg import add


def test_add():
    assert add(2, 3) == 5
EOF
cat >bench/test_slow.py <<'EOF'
def test_slow():
    raise AssertionError("a test no run recorded")
EOF
git add -A && git -c user.email=t@t -c user.name=t commit -qm init
ft_settle
pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"; }
# fails WHAT: the edit makes a full run fail (the case is real)
fails() {
	if pytest_q >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "$1: the full run passed: $(cat "$FT_SCRATCH/full.out")"
	fi
}
revert() { git checkout -q . && git clean -fdq && ft_settle; }

out=$(ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || ft_fail "recording: $out"
assert_set "" "$(affected)" "nothing changed"

ft_edit pyproject.toml 'testpaths = ["tests"]' 'testpaths = ["tests", "bench"]'
fails "testpaths gained bench"
cannot_tell "testpaths gained bench" pyproject.toml
revert

ft_edit pyproject.toml 'testpaths = ["tests"]' $'testpaths = ["tests", "pkg"]\naddopts = "--doctest-modules"'
fails "addopts gained --doctest-modules"
cannot_tell "addopts gained --doctest-modules" pyproject.toml
revert

printf '[pytest]\ntestpaths = bench\n' >pytest.ini
ft_settle
fails "a new pytest.ini"
cannot_tell "a new pytest.ini" pytest.ini
grep -q "now exists" "$FT_SCRATCH/err" || ft_fail "a new pytest.ini: $(cat "$FT_SCRATCH/err")"
revert

# pytest's variables: PYTEST_ADDOPTS gained paths and --doctest-modules
# (a probe, 2026-11-28: every recorded test was selected, exit 0, and the
# doctest that failed was not), PYTEST_PLUGINS named a plugin (collectors)
env_cannot_tell() {
	local what=$1 var=$2 out rc=0
	shift 2
	out=$(env "$@" "$FTRACE_BIN" affected --format ids 2>"$FT_SCRATCH/err") || rc=$?
	assert_eq 2 "$rc" "$what: exit status ($(cat "$FT_SCRATCH/err"))"
	[ -z "$out" ] || ft_fail "$what: tests printed: $out"
	grep -qF "pytest's configuration changed (\$$var: " "$FT_SCRATCH/err" ||
		ft_fail "$what: the reason: $(cat "$FT_SCRATCH/err")"
}
if PYTEST_ADDOPTS="--doctest-modules pkg tests" pytest_q >"$FT_SCRATCH/full.out" 2>&1; then
	ft_fail "PYTEST_ADDOPTS: the full run passed: $(cat "$FT_SCRATCH/full.out")"
fi
env_cannot_tell "PYTEST_ADDOPTS set" PYTEST_ADDOPTS PYTEST_ADDOPTS="--doctest-modules pkg tests"
env_cannot_tell "PYTEST_PLUGINS set" PYTEST_PLUGINS PYTEST_PLUGINS=pkg
env_cannot_tell "PYTEST_DISABLE_PLUGIN_AUTOLOAD set" PYTEST_DISABLE_PLUGIN_AUTOLOAD \
	PYTEST_DISABLE_PLUGIN_AUTOLOAD=1
# recorded with it set: the same value is no change, unset is one
out=$(PYTEST_ADDOPTS=-q ft run -- "$FT_PYTHON" -m pytest -p no:cacheprovider 2>&1) ||
	ft_fail "recording with PYTEST_ADDOPTS: $out"
assert_set "" "$(PYTEST_ADDOPTS=-q affected)" "PYTEST_ADDOPTS as recorded"
env_cannot_tell "PYTEST_ADDOPTS unset" PYTEST_ADDOPTS -u PYTEST_ADDOPTS
out=$(ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || ft_fail "recording: $out"
assert_set "" "$(affected)" "recorded again, nothing changed"

# outside pytest's part: no test read it, nothing selected
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
assert_set "" "$(affected)" "[project] version edited"
revert

# pyproject.toml read by a conftest too: a plain file dependency, every
# test selected by any edit; the view of that version still tells whether
# pytest's part changed
# (pytest's path: "tests/../pyproject.toml" would be another one)
printf 'import os\nROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\nTEXT = open(os.path.join(ROOT, "pyproject.toml")).read()\n' \
	>tests/conftest.py
git add tests/conftest.py && git -c user.email=t@t -c user.name=t commit -qm conftest
ft_settle
rm -rf .ftrace
out=$(ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || ft_fail "recording with a conftest: $out"
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
assert_set "tests/test_add.py::test_add" "$(affected)" "[project] version edited, a conftest reads the file"
revert
ft_edit pyproject.toml 'testpaths = ["tests"]' 'testpaths = ["tests", "bench"]'
cannot_tell "testpaths gained bench, a conftest reads the file" pyproject.toml
revert

# pytest.ini as the configuration: pytest's alone, every edit counts; an
# edit its view shows to be none (a comment) is no change of what pytest
# collects
printf '[pytest]\ntestpaths = tests\n' >pytest.ini
git add pytest.ini && git -c user.email=t@t -c user.name=t commit -qm ini
ft_settle
rm -rf .ftrace
out=$(ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || ft_fail "recording with pytest.ini: $out"
assert_set "" "$(affected)" "nothing changed (pytest.ini)"
ft_edit pytest.ini 'testpaths = tests' 'testpaths = tests bench'
fails "pytest.ini's testpaths gained bench"
cannot_tell "pytest.ini's testpaths gained bench" pytest.ini
revert
ft_edit pytest.ini 'testpaths = tests' $'# the tests\ntestpaths = tests'
assert_set "tests/test_add.py::test_add" "$(affected)" "a comment in pytest.ini"
revert

# a data file that a test reads and that happens to be called setup.cfg
# or pytest.ini is no configuration of pytest: its edit selects its reader
mkdir -p tests/data
printf '[metadata]\nname = one\n' >tests/data/setup.cfg
printf '[pytest]\naddopts = -x\n' >tests/data/pytest.ini
cat >tests/test_data.py <<'PY'
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def test_data():
    for name in ("setup.cfg", "pytest.ini"):
        with open(os.path.join(HERE, "data", name)) as f:
            assert f.read()
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm data
ft_settle
rm -rf .ftrace
out=$(ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || ft_fail "recording with data files: $out"
ft_edit tests/data/setup.cfg 'name = one' 'name = two'
assert_set "tests/test_data.py::test_data" "$(affected)" "a data file called setup.cfg edited"
revert
ft_edit tests/data/pytest.ini 'addopts = -x' 'addopts = -q'
assert_set "tests/test_data.py::test_data" "$(affected)" "a data file called pytest.ini edited"
revert
