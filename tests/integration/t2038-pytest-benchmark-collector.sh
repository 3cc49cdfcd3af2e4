#!/usr/bin/env bash
# pytest-benchmark's plugin (loaded by every pytest that can import it)
# implements pytest_collection_modifyitems: before, that alone made every
# session with it installed not "pyplain", so a test added to a test
# module was a skeleton change of the module, every test that read it.
# Its hook marks each item by the item's own fixture names and the
# session's options only (ftrace_pytest.py, _INERT_MODIFYITEMS;
# docs/python-functions.md, "Test modules"), so with it:
#  1. the session is pyplain, and a parametrized test added selects only
#     it (fixtures/pytest-testmod, as t9020);
#  2. another text of the hook (an edited copy of the plugin): not known,
#     not pyplain, every test of the module.
# pytest-benchmark 5.3.1 is installed from PyPI (lib-pip.sh); without the
# registry the test is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pip.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -c 'import sys, pytest; sys.exit(sys.version_info < (3, 11) or
    tuple(map(int, pytest.__version__.split(".")[:2])) < (8, 1))' 2>/dev/null ||
	ft_skip "needs pytest 8.1+ on Python 3.11+ (pytest-benchmark 5.3.1)"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_pip_site pytest-benchmark-5.3.1 pytest_benchmark/plugin.py pytest-benchmark==5.3.1 py-cpuinfo
site=$FT_PIP_SITE
ft_fixture pytest-testmod
# (its start-up asks git for the commit: ftrace run says so, and git's
# reads are left out here so that only the collector decides)
printf '{"ignore_programs": ["git"]}\n' >.ftrace.json
ft_clock_past_ctime

T=tests/test_core.py
ALLC="$T::test_double $T::test_five $T::test_label $T::test_plain $T::test_triple[1] $T::test_triple[2]"
add() { printf '%s\n' "$1" >>"$T"; ft_settle; }
pyplain() {
	"$FT_PYTHON" - .ftrace/ftrace.db <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT pyplain FROM run_pytest ORDER BY run_id DESC").fetchone()[0])
PY
}
NEW='

@pytest.mark.parametrize("y", [3, 4])
def test_new(y):
    assert _twice(y) == 2 * y'

grep -q "benchmark: 5.3.1" <<<"$("$FT_PYTHON" -m pytest --co -q "$T" 2>&1; "$FT_PYTHON" -m pytest --co "$T" 2>&1)" ||
	ft_fail "pytest-benchmark's plugin is not loaded by pytest"

# 1. the plugin as released
record
[ "$(pyplain)" = 1 ] || ft_fail "with pytest-benchmark's plugin, the session is not pyplain"
add "$NEW"
assert_set "$T::test_new" "$(fn)" "a parametrized test added, pytest-benchmark loaded"
ft_back "$T"

# 2. another text of its hook: not known
cp -a "$site" "$FT_SCRATCH/site"
ft_edit "$FT_SCRATCH/site/pytest_benchmark/plugin.py" "    skip_bench = pytest.mark.skip(" \
	"    items.reverse()
    items.reverse()
    skip_bench = pytest.mark.skip("
export PYTHONPATH=$FT_SCRATCH/site${PYTHONPATH#"$site"}
rm -rf .ftrace && record
[ "$(pyplain)" = 0 ] || ft_fail "an unknown text of the modifyitems hook, yet pyplain"
add "$NEW"
assert_set "$ALLC" "$(fn)" "a test added, the hook's text unknown: every test of the module"
ft_back "$T"
