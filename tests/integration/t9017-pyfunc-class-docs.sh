#!/usr/bin/env bash
# A class's docstring is a key of its own at function granularity (C#doc),
# selected by the tests that read the class's __doc__ (fixtures/
# pytest-classdoc; docs/python-functions.md, "What runs where").  A read
# while the class is made (a base's __init_subclass__), at import, or by
# the class body as a name makes it count for every test, as skeleton.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-classdoc
ft_clock_past_ctime

T=tests/test_shapes.py
ALL="$T::test_area $T::test_class_doc $T::test_instance_doc $T::test_getdoc $T::test_cached
$T::test_title $T::test_help $T::test_named"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
"$FT_PYTHON" - .ftrace/ftrace.db <<'PY' || ft_fail "the recording is complete"
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT complete FROM pyfunc_tests").fetchall()
assert rows and all(c != 0 for (c,) in rows), rows  # 0: the session is by file
PY
assert_set "" "$(fn)" "nothing changed"

ft_edit shapes/__init__.py '"""A square."""' '"""A square, four sides."""'
assert_set "$T::test_class_doc $T::test_instance_doc" "$(fn)" "Square's docstring"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "Square's docstring, by file"
ft_back shapes/__init__.py

ft_edit shapes/__init__.py '"""A shape."""' '"""A plane shape."""'
assert_set "$T::test_getdoc" "$(fn)" "Shape's docstring, read by inspect.getdoc"
ft_back shapes/__init__.py

ft_edit shapes/__init__.py '"""A cached value."""' '"""A value, cached."""'
assert_set "" "$(fn)" "Cached's docstring, which nothing reads (cached_property's __set_name__ reads none)"
ft_back shapes/__init__.py

ft_edit shapes/__init__.py 'Its title is taken' 'The title is taken'
assert_set "$ALL" "$(fn)" "Sub's docstring, read by __init_subclass__ while the class is made"
ft_back shapes/__init__.py

ft_edit shapes/__init__.py '"""Help text, read at import."""' '"""Help, read at import."""'
assert_set "$ALL" "$(fn)" "Help's docstring, read at import"
ft_back shapes/__init__.py

ft_edit shapes/__init__.py '"""Named in its own body."""' '"""Named by its own body."""'
assert_set "$ALL" "$(fn)" "Named's docstring, named in the class body"
ft_back shapes/__init__.py
