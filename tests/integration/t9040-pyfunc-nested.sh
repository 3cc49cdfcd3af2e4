#!/usr/bin/env bash
# Functions defined in functions are body keys of their own
# (docs/python-functions.md, "Nested functions"; fixtures/pyfunc-nested),
# at function granularity, under each interpreter of 3.11 or later found
# with pytest.  The enclosing functions ran at import (pkg.api), so an
# edit of their own text is skeleton; an edit of what they made is not:
#
# - traced()'s wrapper edited: test_greet alone, which ran it (before:
#   every test, traced() having run in the prelude), and a full run
#   fails it;
# - a helper defined in the wrapper (a key of the new version only): the
#   same;
# - Box.get of the class boxed() made: test_box alone;
# - steps(), made and run by counter() within test_steps: test_steps;
# - traced() itself edited outside its wrapper: every test;
# - items() stops being a generator (its `yield` goes): lazy()'s text
#   says whether what it makes yields, so every test, test_items_made
#   among them, which a full run fails though it never ran items()'s
#   body;
# - numbers(), a generator function outside functions, stops yielding:
#   the skeleton says whether a body yields, so the test that names it
#   (test_numbers_made, which never ran its body; a full run fails it);
# - nothing changed: nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

T=tests/test_api.py
ALL="$T::test_greet $T::test_plain $T::test_box $T::test_items_made $T::test_steps
$T::test_numbers_made"

sel() { ft affected --format ids --granularity=function; }


check() { # check NAME
	local name=$1
	ft_fixture pyfunc-nested "$name"
	ft_clock_past_ctime
	ft run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel)" "$PY ($name): nothing changed"

	ft_edit pkg/deco.py 'return "<" + fn(*args) + ">"' 'return "[" + fn(*args) + "]"'
	full_fails "$PY ($name): wrapper edited" "$T::test_greet"
	assert_set "$T::test_greet" "$(sel)" "$PY ($name): traced()'s wrapper edited"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py '        return "<" + fn(*args) + ">"' '        def mark(s):
            return "<" + s + ">"
        return mark(fn(*args))'
	assert_set "$T::test_greet" "$(sel)" "$PY ($name): a helper defined in the wrapper"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py 'return value * 2' 'return value * 3'
	full_fails "$PY ($name): Box.get edited" "$T::test_box"
	assert_set "$T::test_box" "$(sel)" "$PY ($name): Box.get edited"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py 'return list(range(n))' 'return list(range(n + 1))'
	assert_set "$T::test_steps" "$(sel)" "$PY ($name): steps() edited"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py '    return wrapper' '    wrapper.traced = True
    return wrapper'
	assert_set "$ALL" "$(sel)" "$PY ($name): traced() edited outside its wrapper (ran at import)"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py '        yield 1' '        return [1]'
	full_fails "$PY ($name): items() no generator" "$T::test_items_made"
	assert_set "$ALL" "$(sel)" "$PY ($name): items() no longer yields"
	ft_back pkg/deco.py

	ft_edit pkg/deco.py '    yield 2' '    return [2]'
	full_fails "$PY ($name): numbers() no generator" "$T::test_numbers_made"
	assert_set "$T::test_numbers_made" "$(sel)" "$PY ($name): numbers() no longer yields"
	ft_back pkg/deco.py

	assert_eq "" "$(sel)" "$PY ($name): all edits undone"
}

each() { check "p$1"; }
ft_each_python each
