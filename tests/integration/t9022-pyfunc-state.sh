#!/usr/bin/env bash
# Functions that keep state, at function granularity (fixtures/pytest-state;
# docs/python-functions.md, "Functions that keep state").  conf.get() caches
# what load() returns in a global; test_first runs load(), test_second,
# after it, only reads the cache.  parse.parse() is an lru_cache over
# clean(); test_parse_again hits the cache.  An edit of load() or clean()
# changes test_second's or test_parse_again's outcome in a full run, so
# their bodies are skeleton: every test whose closure holds the file.  An
# edit of a function that keeps no state (double, shout) still selects
# only the test that ran it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-state
ft_clock_past_ctime

CONF="tests/test_a.py::test_first tests/test_b.py::test_double tests/test_b.py::test_second"
PARSE="tests/test_c.py::test_parse_again tests/test_c.py::test_parse_first tests/test_c.py::test_shout"

record
grep -q '^6 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# load() ran in test_first only; test_second got its result from the cache.
ft_edit pkg/conf.py '"fast"}' '"slow"}'
out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider tests 2>&1) && ft_fail "the edit of load() should fail tests: $out"
grep -q "2 failed" <<<"$out" || ft_fail "load()'s edit should fail test_first and test_second: $out"
assert_set "$CONF" "$(fn)" "load() edited: it feeds the global get() keeps"
ft_log "explain: $(ft affected --granularity=function --explain | grep -m1 -A2 test_second)"
ft_back pkg/conf.py

ft_edit pkg/conf.py 'if _CFG is None:' 'if _CFG is None or not _CFG:'
assert_set "$CONF" "$(fn)" "get() edited: it stores into a global"
ft_back pkg/conf.py

ft_edit pkg/conf.py 'return x * 2' 'return x + x'
assert_set "tests/test_b.py::test_double" "$(fn)" "double() edited: no state, the test that ran it"
ft_back pkg/conf.py

# clean() ran in test_parse_first only; test_parse_again hit the cache.
ft_edit pkg/parse.py 'text.strip().lower()' 'text.strip().upper()'
out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_c.py 2>&1) && ft_fail "the edit of clean() should fail tests: $out"
grep -q "2 failed" <<<"$out" || ft_fail "clean()'s edit should fail both parse tests: $out"
assert_set "$PARSE" "$(fn)" "clean() edited: it feeds an lru_cache"
ft_back pkg/parse.py

ft_edit pkg/parse.py 'return text.upper()' 'return text.upper() + ""'
assert_set "tests/test_c.py::test_shout" "$(fn)" "shout() edited: no state, the test that ran it"
ft_back pkg/parse.py
