#!/usr/bin/env bash
# A version bump at function granularity (fixtures/pytest-version; issue
# 26, "A version bump"; docs/python-functions.md, "Dunders" and "Derived
# values").  The metadata module's `__version_info__ = (3, 1, 2)` and
# `__version__ = ".".join(map(str, __version_info__))` selected every test
# that imported the package: a dunder's reads were not noted, and the
# value calls.  Now a bump selects exactly the tests that read the version
# (an attribute, its re-export by the package, a from-import, getattr with a constant, a function
# mentioning it, a value derived from it, vars(), a star import, a
# project function that computes it as Python-Markdown's does), and still
# every test when that function does what the tool does not run (a loop,
# a failing assert), when the version is bound twice, or when the session
# noted no dunder read.  pkg/fmt.py's
# version by `%`, a subscript, a slice, `format` and `+`: its readers,
# and every test for shapes that would raise or allocate at import, and
# for a join of a list that code at import changed.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-version
ft_clock_past_ctime

V=tests/test_version.py
READERS="$V::test_attr $V::test_reexported $V::test_from $V::test_getattr $V::test_info $V::test_banner
$V::test_vars $V::test_star $V::test_release tests/test_cls.py::TestAboutVersion::test_cls_version"
C=$V::test_called
L=tests/test_listed.py
S=tests/test_starred.py
F=tests/test_fmt.py
FMT_READERS="$F::test_fmt_version $F::test_fmt_major $F::test_fmt_label $F::test_fmt_tag"
ALL="$READERS $C tests/test_stamp.py::test_stamp $L::test_listed_version $L::test_listed_hello $L::test_listed_star $V::test_add tests/test_core.py::test_core $S::test_starred_version $S::test_starred_add
$FMT_READERS $F::test_fmt_twice"

ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^24 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
assert_set "" "$(fn)" "nothing changed"

# The bump: the readers of __version_info__, __version__ and RELEASE.
ft_edit pkg/about.py '(3, 1, 2)' '(3, 1, 3)'
assert_set "$READERS" "$(fn)" "a version bump"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "a version bump, by file"
ft affected --granularity=function --explain >"$FT_SCRATCH/explain" 2>&1
grep -q "__version__" "$FT_SCRATCH/explain" ||
	ft_fail "explain names the dunder: $(cat "$FT_SCRATCH/explain")"
ft_back pkg/about.py

# The derived value alone: its readers (RELEASE derives from it).
ft_edit pkg/about.py '".".join(map(str, __version_info__))' '"-".join(map(str, __version_info__))'
assert_set "$V::test_attr $V::test_reexported $V::test_from $V::test_getattr $V::test_banner $V::test_vars
$V::test_star $V::test_release tests/test_cls.py::TestAboutVersion::test_cls_version" "$(fn)" "the derived version changed"
ft_back pkg/about.py

# A derived value that would fail now (join of ints) is no derived value:
# every test.
ft_edit pkg/about.py '".".join(map(str, __version_info__))' '".".join(__version_info__)'
assert_set "$ALL" "$(fn)" "a derived value that raises"
ft_back pkg/about.py

# pkg/fmt.py: a version by %-formatting of a slice, a subscript,
# str.format of it and of a starred tuple, a concatenation.  A bump: the
# readers of any of them, not the test that only calls a function there.
ft_edit pkg/fmt.py '(5, 2, 0, "final")' '(5, 2, 1, "final")'
assert_set "$FMT_READERS" "$(fn)" "a bump of a %-formatted version"
assert_set "$ALL" "$(ft affected --format ids --granularity=file)" "a bump of a %-formatted version, by file"
ft_back pkg/fmt.py
# the format alone: __version__ and what derives from it (not MAJOR)
ft_edit pkg/fmt.py '"%d.%d.%d" %' '"%d-%d-%d" %'
assert_set "$F::test_fmt_version $F::test_fmt_label $F::test_fmt_tag" "$(fn)" "the %-format changed"
ft_back pkg/fmt.py
ft_edit pkg/fmt.py '"v" + __version__' '"V" + __version__'
assert_set "$F::test_fmt_tag" "$(fn)" "a concatenation changed"
ft_back pkg/fmt.py
# Every test: a width (allocates without bound), an index out of range
# and a format field with no argument (each would raise or cost at
# import) ...
ft_edit pkg/fmt.py '"%d.%d.%d" %' '"%5d.%d.%d" %'
assert_set "$ALL" "$(fn)" "a %-format with a width"
ft_back pkg/fmt.py
ft_edit pkg/fmt.py 'MAJOR = VERSION_INFO[0]' 'MAJOR = VERSION_INFO[7]'
assert_set "$ALL" "$(fn)" "an index out of range"
ft_back pkg/fmt.py
ft_edit pkg/fmt.py '"{0}.{1}".format' '"{0}.{9}".format'
assert_set "$ALL" "$(fn)" "a format field with no argument"
ft_back pkg/fmt.py
# ... and a derived value over a list that code at import changed since
# it was bound: ".".join(PARTS) would join the int PARTS.append(0) added
# (a TypeError at import: every test fails), so it is no derived value.
printf 'DOTTED = ".".join(PARTS)\n' >>pkg/fmt.py
ft_settle
assert_set "$ALL" "$(fn)" "a join of a list changed at import"
if PYTHONPATH=. "$FT_PYTHON" -c 'import pkg' 2>/dev/null; then
	ft_fail "the join of a list with an int should fail at import"
fi
ft_back pkg/fmt.py

# A star import before the version (more-itertools's __init__.py: `from
# .more import *`, then `__version__`) reads the other module's names, not
# this one's: the reader of the version, not the caller of a starred name.
ft_edit pkg/starred.py '"7.0.0"' '"7.0.1"'
assert_set "$S::test_starred_version" "$(fn)" "a version bump after a star import"
ft_back pkg/starred.py
# The star import itself changed: every test.
ft_edit pkg/starred.py 'from .core import *' 'from .about import *'
assert_set "$ALL" "$(fn)" "a star import changed"
ft_back pkg/starred.py
# A module-level read of the namespace as a whole beside it: every test.
printf '\nNAMES = sorted(globals())\n' >>pkg/starred.py
ft_settle
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run3.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run3.out")"
ft_edit pkg/starred.py '"7.0.0"' '"7.0.1"'
assert_set "$ALL" "$(fn)" "a version bump, globals() read at module level"
ft_back pkg/starred.py
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run3.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run3.out")"

# A version computed by a project function that the tool can run
# (pkg/called.py, Python-Markdown's shape): its reader, for a bump and
# for a pre-release ...
ft_edit pkg/called.py '(1, 0, 0, "final", 0)' '(1, 0, 1, "final", 0)'
assert_set "$C" "$(fn)" "a version computed by a project function"
ft_back pkg/called.py
ft_edit pkg/called.py '(1, 0, 0, "final", 0)' '(1, 1, 0, "rc", 2)'
assert_set "$C" "$(fn)" "a pre-release computed by a project function"
ft_back pkg/called.py
# ... every test: an edit of what the function does, which ran at import
# (DEV is read by it: its body's reader, the prelude) ...
ft_edit pkg/called.py 'DEV = ".dev"' 'DEV = "-dev"'
assert_set "$ALL" "$(fn)" "a name the version's function reads"
ft_back pkg/called.py
ft_edit pkg/called.py '"beta": "b"' '"beta": "B"'
assert_set "$ALL" "$(fn)" "the version's function edited"
ft_back pkg/called.py
# ... a bump that makes its assert fail (the import fails: every test) ...
ft_edit pkg/called.py '(1, 0, 0, "final", 0)' '(1, 0, 1, "gamma", 0)'
assert_set "$ALL" "$(fn)" "a bump that fails the function's assert"
ft_back pkg/called.py
# A version its module's __all__ names (a plain assignment: the words of
# a string): its reader and the star import, not the test that calls.
ft_edit pkg/listed.py '"6.0.0"' '"6.0.1"'
assert_set "$L::test_listed_version $L::test_listed_star" "$(fn)" "a version that __all__ names"
ft_back pkg/listed.py
# A version a test module re-exports by its from-import: the class body
# collection ran there (tests/test_cls.py, unittest style) is the
# module's import, and keeps no other test (the bump above selects
# READERS); a function of it that reads the name and ran at collection
# (tests/test_stamp.py's _stamp) may have handed the value anywhere:
# every test.
ft_edit pkg/stamp.py '"8.0.0"' '"8.0.1"'
assert_set "$ALL" "$(fn)" "a version a function of a test module read at collection"
ft_back pkg/stamp.py
# ... a version computed by a project function that loops ...
ft_edit pkg/looped.py '(5, 0, 0)' '(5, 0, 1)'
assert_set "$ALL" "$(fn)" "a version computed by a project function that loops"
ft_back pkg/looped.py
# ... a version bound twice ...
ft_edit pkg/twice.py '(2, 0, 0)' '(2, 0, 1)'
assert_set "$ALL" "$(fn)" "a version bound in two statements"
ft_back pkg/twice.py
ft_edit pkg/rebound.py '(4, 0, 0)' '(4, 0, 1)'
assert_set "$ALL" "$(fn)" "a version a function rebinds with global"
ft_back pkg/rebound.py
# ... a builtin the value calls rebound by the module ...
printf '\n\ndef str(x):\n    return "x"\n' >>pkg/about.py
ft_edit pkg/about.py '(3, 1, 2)' '(3, 1, 3)'
assert_set "$ALL" "$(fn)" "a version bump, str rebound"
ft_back pkg/about.py
# ... a dunder the import system reads from the dict ...
printf '\n__getattr__ = None\n' >>pkg/about.py
ft_settle
assert_set "$ALL" "$(fn)" "a module __getattr__ added"
ft_back pkg/about.py

# ... and a session that noted no dunder read (an older ftrace, or an
# interpreter newer than the list of dunders it reads itself): a copy of
# the adapters whose list is for interpreters before 3.0.
[ -d "$FTRACE_BUILD_DIR/adapters/pytest" ] || ft_skip "no adapters in the build tree"
cp -a "$FTRACE_BUILD_DIR/adapters" "$FT_SCRATCH/adapters-old"
sed -i 's/^DUNDERS_CHECKED = .*/DUNDERS_CHECKED = (3, 0)/' "$FT_SCRATCH/adapters-old/pytest/ftrace_fingerprint.py"
grep -q '^DUNDERS_CHECKED = (3, 0)' "$FT_SCRATCH/adapters-old/pytest/ftrace_fingerprint.py" ||
	ft_fail "no DUNDERS_CHECKED in the fingerprint tool"
FTRACE_ADAPTERS_DIR=$FT_SCRATCH/adapters-old ft run --granularity=function -- "$FT_PYTHON" -m pytest -q \
	-p no:cacheprovider >"$FT_SCRATCH/run2.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run2.out")"
grep -q '^24 passed' "$FT_SCRATCH/run2.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run2.out")"
assert_set "" "$(fn)" "nothing changed, recorded again"
ft_edit pkg/about.py '(3, 1, 2)' '(3, 1, 3)'
assert_set "$ALL" "$(fn)" "a version bump, no dunder read noted"
ft_back pkg/about.py
ft_edit pkg/about.py 'RELEASE = f"pkg {__version__}"' 'RELEASE = f"pkg: {__version__}"'
assert_set "$V::test_vars $V::test_star $V::test_release" "$(fn)" "no dunder read noted: another name"
ft_back pkg/about.py
