#!/usr/bin/env bash
# The views of pyproject.toml now are kept in the fingerprint cache
# (python/ft_pyconf.c, docs/pytest.md): a second `ftrace affected` over the
# same bytes starts no Python and selects the same; an edit of pytest's
# table (new bytes, a new stat), a ctime too fresh to trust, another
# interpreter, and FTRACE_PYFUNC_FPCACHE=0 start it again.  A logging
# wrapper counts the interpreter's starts.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -c "import tomllib" 2>/dev/null || ft_skip "no tomllib for $FT_PYTHON (Python 3.11+)"
ft_pytest_fixture pytest-pyproject
unset FTRACE_PYFUNC_FPCACHE

SHAPES="tests/test_shapes.py::test_area tests/test_shapes.py::test_square"
META="tests/test_meta.py::test_version_is_semver"
LOG=$FT_PYLOG
ft_counting_python python other
export FTRACE_PYTHON=$FT_SCRATCH/python
starts() { ft_pystarts; }

record
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.1"'
sleep 2.2   # the edit's ctime settled (FT_FPCACHE_SETTLE_NS)
: >"$LOG"
assert_set "$META" "$(affected)" "[project] version edited: the first call"
assert_eq 1 "$(starts)" "the first call computes the view"
: >"$LOG"
assert_set "$META" "$(affected)" "[project] version edited: the second call"
assert_eq 0 "$(starts)" "the second call starts no python"
FTRACE_PYFUNC_FPCACHE=0 affected >"$FT_SCRATCH/o"
assert_set "$META" "$(cat "$FT_SCRATCH/o")" "the cache off: the same"
assert_eq 1 "$(starts)" "the cache off: python again"
: >"$LOG"
FTRACE_PYTHON=$FT_SCRATCH/other affected >"$FT_SCRATCH/o"
assert_set "$META" "$(cat "$FT_SCRATCH/o")" "another interpreter: the same"
assert_eq 1 "$(starts)" "another interpreter: not this one's views"

# pytest's own table edited: other bytes, so the cached view is not used
ft_edit pyproject.toml 'markers = ["slow: a slow test"]' 'markers = ["slow: a slow test", "fast: quick"]'
sleep 2.2
: >"$LOG"
# (pytest's part changed: cannot tell, exit 2, t2043)
cannot_tell "[tool.pytest.ini_options] edited after a cached view" pyproject.toml
assert_eq 1 "$(starts)" "an edited file's view is computed again"
: >"$LOG"
cannot_tell "[tool.pytest.ini_options] edited: the second call" pyproject.toml
assert_eq 0 "$(starts)" "and then cached"

# a fresh ctime: computed, not stored
ft_back pyproject.toml
ft_edit pyproject.toml 'version = "1.0.0"' 'version = "1.0.2"'
touch pyproject.toml
: >"$LOG"
assert_set "$META" "$(affected)" "a fresh edit"
affected >/dev/null
assert_eq 2 "$(starts)" "a fresh ctime is not cached: python each time"
