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
#
# registry.REG is a module-level instance: test_add stores into it through
# add() and normalize(), and test_all_clean, after it, reads what it holds.
# No rule of the static analysis sees that state (an instance's
# attributes); the recorder's state guard (ftrace_pyleak) sees that
# test_add left the project's modules changed, and shares what it ran.
# test_own's instance and test_patched's monkeypatched values are gone when
# the test ends: edits of what only they ran still select only them.
# test_e's tests share a session fixture's Registry: test_fill stores into
# it through put() and squash(), test_read reads it.  The change of
# registry.LIMIT that the session fixture `limit` makes, in test_limit's
# setup, is not test_limit's.
# test_f's test_setup adds a handler to the `pkg` logger, which
# test_logged_again logs through: state outside the project's modules
# (logging's), which the guard also compares.  Any test can reach that
# logger by its name without importing pkg: an edit of prefix() selects
# every test, not only the tests whose module's closure holds pkg/logs.py
# (docs/pytest.md, the prelude's split).  test_tools' caplog,
# pytest.warns and monkeypatch.chdir are put back: no state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-state
ft_clock_past_ctime

CONF="tests/test_a.py::test_first tests/test_b.py::test_double tests/test_b.py::test_lazy tests/test_b.py::test_second"
PARSE="tests/test_c.py::test_parse_again tests/test_c.py::test_parse_first tests/test_c.py::test_shout"

record
grep -q '^17 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(fn)" "nothing changed"

# load() ran in test_first only; test_second got its result from the cache.
ft_edit pkg/conf.py '"fast"}' '"slow"}'
full_run_fails tests "2 failed" "load()"   # test_first and test_second
assert_set "$CONF" "$(fn)" "load() edited: it feeds the global get() keeps"
ft_log "explain: $(ft affected --granularity=function --explain | grep -m1 -A2 test_second)"
ft_back pkg/conf.py

ft_edit pkg/conf.py 'if _CFG is None:' 'if _CFG is None or not _CFG:'
assert_set "$CONF" "$(fn)" "get() edited: it stores into a global"
ft_back pkg/conf.py

ft_edit pkg/conf.py 'return x * 2' 'return x + x'
assert_set "tests/test_b.py::test_double tests/test_b.py::test_lazy" "$(fn)" \
	"double() edited: no state, the tests that ran it (test_lazy's import of a submodule is no state)"
ft_back pkg/conf.py

# clean() ran in test_parse_first only; test_parse_again hit the cache.
ft_edit pkg/parse.py 'text.strip().lower()' 'text.strip().upper()'
full_run_fails tests/test_c.py "2 failed" "clean()"   # both parse tests
assert_set "$PARSE" "$(fn)" "clean() edited: it feeds an lru_cache"
ft_back pkg/parse.py

ft_edit pkg/parse.py 'return text.upper()' 'return text.upper() + ""'
assert_set "tests/test_c.py::test_shout" "$(fn)" "shout() edited: no state, the test that ran it"
ft_back pkg/parse.py

REG="tests/test_d.py::test_add tests/test_d.py::test_all_clean tests/test_d.py::test_own tests/test_d.py::test_patched"
FIX="tests/shared/test_e.py::test_fill tests/shared/test_e.py::test_limit tests/shared/test_e.py::test_read"
ft_edit pkg/registry.py 'return value.strip()' 'return value'
full_run_fails tests/test_d.py "3 failed" "normalize()"   # test_add, test_all_clean, test_own
assert_set "$REG $FIX" "$(fn)" "normalize() edited: test_add ran it and left REG changed"
ft_back pkg/registry.py

# test_own ran triple() on an instance of its own; test_patched on REG,
# through values monkeypatch put back: neither left state.
ft_edit pkg/registry.py 'return n * 3' 'return n + n + n'
assert_set "tests/shared/test_e.py::test_limit tests/test_d.py::test_own tests/test_d.py::test_patched" "$(fn)" \
	"triple() edited: the tests that ran it, which left no state"
ft_back pkg/registry.py

LOGS="tests/test_f.py::test_setup tests/test_f.py::test_logged_again tests/test_f.py::test_tools"
EVERY=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider --collect-only 2>/dev/null | grep '::')
case $EVERY in *tests/test_a.py::test_first*) ;; *) ft_fail "collected no test_first: $EVERY" ;; esac
ft_edit pkg/logs.py 'return "pkg: "' 'return "PKG: "'
full_run_fails tests/test_f.py "2 failed, 1 passed" "prefix()"   # test_setup, test_logged_again
assert_set "$EVERY" "$(fn)" "prefix() edited: test_setup ran it and left a logger changed (any test reaches it by name)"
ft_back pkg/logs.py

ft_edit pkg/logs.py 'return "q"' 'return "" + "q"'
assert_set "tests/test_f.py::test_tools" "$(fn)" \
	"quiet() edited: caplog, pytest.warns and monkeypatch.chdir left nothing"
ft_back pkg/logs.py

ft_edit pkg/registry.py 'return value.replace(" ", "")' 'return value'
full_run_fails tests/shared/test_e.py "2 failed, 1 passed" "squash()"   # test_fill, test_read
assert_set "$REG $FIX" "$(fn)" "squash() edited: test_fill ran it and left the session fixture's value changed"
ft_back pkg/registry.py
