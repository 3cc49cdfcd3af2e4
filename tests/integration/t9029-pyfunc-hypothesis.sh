#!/usr/bin/env bash
# A hypothesis test at function granularity (fixtures/pytest-hypo;
# docs/python-functions.md, "Hypothesis tests").  hypothesis draws part of
# its data from the literals of every project module loaded, so a literal
# edited in a function no test ran can change what a hypothesis test sees:
# such a test is kept whole (file granularity), while the other tests are
# still narrowed, and a test added to a module selects only itself.
# hypothesis 6.170.15 is installed from PyPI (lib-hypothesis.sh); without
# the registry the test is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-hypothesis.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-hypo
ft_clock_past_ctime
ft_hypothesis

T=tests/test_words.py
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^2 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
assert_set "" "$(fn)" "nothing changed"

# A literal of a function no test ran: the hypothesis test, whose data may
# now hold it; not the plain test.
ft_edit pkg/words.py '"== xyzzy banner =="' '"== plugh banner =="'
assert_set "$T::test_text" "$(fn)" "a literal of a function no test ran"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "a hypothesis test" "$FT_SCRATCH/explain" ||
	ft_fail "explain says why: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/words.py

# A function the plain test ran: that test, and the hypothesis test.
ft_edit pkg/words.py 'return "hello"' 'return "hello" or None'
assert_set "$T::test_greeting $T::test_text" "$(fn)" "a function the plain test ran"
ft_back pkg/words.py

# A test added to the module: it, and the hypothesis test (whole), not
# the plain one.  hypothesis's plugin implements
# pytest_collection_modifyitems; its known text touches its own tests
# alone, so the session is still "pyplain" and the module's other tests
# are narrowed (docs/python-functions.md, "Test modules").
printf '\n\ndef test_added():\n    assert words.greeting()\n' >>tests/test_words.py
ft_settle
assert_set "$T::test_added $T::test_text" "$(fn)" "a test added, hypothesis loaded"
ft_back tests/test_words.py
