#!/usr/bin/env bash
# A test that looks a module up and does not find it (`try: import x`,
# importlib.util.find_spec) sees a change when a module of that name
# appears on sys.path, even one that is a new test file or a new directory
# of test files, which no other test sees as a change (t2010).  Python's
# import system answers from a cached listing, with no lookup of the name
# a tracer could see; ftrace's sitecustomize makes the lookup visible: a
# lookup in a directory of the project stats each name the finder could
# take.  docs/selection.md, "Import lookups".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

cat >>tests/test_fmt.py <<'PY'


def test_optional():
    try:
        import test_extra  # noqa: F401
    except ImportError:
        pass


def test_optional_pkg():
    import importlib.util
    assert importlib.util.find_spec("extrapkg") is None or True
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm optional && ft_settle
OPT="tests/test_fmt.py::test_optional"
OPTPKG="tests/test_fmt.py::test_optional_pkg"

record
assert_set "" "$(affected)" "nothing changed"

printf 'def test_x():\n    assert True\n' >tests/test_other.py
assert_set "tests/test_other.py" "$(affected)" "a new test file no test looked up"
rm tests/test_other.py

printf 'def test_x():\n    assert True\n' >tests/test_extra.py
assert_set "tests/test_extra.py $OPT" "$(affected)" "a new test file a test tried to import"
rm tests/test_extra.py

mkdir tests/extrapkg
printf 'def test_y():\n    assert True\n' >tests/extrapkg/test_y.py
assert_set "tests/extrapkg/test_y.py $OPTPKG" "$(affected)" "a new test directory named as a package a test looked up"
rm -r tests/extrapkg

# at the rootdir (on sys.path through `pythonpath = .`, and listed by
# the collector): a new test file there too
printf 'def test_z():\n    assert True\n' >test_extra.py
assert_set "test_extra.py $OPT" "$(affected)" "a new test file at the rootdir a test tried to import"
rm test_extra.py
# a module that is no test file: the test that looked its name up (the
# import-list's change is none: t2030)
printf 'X = 1\n' >extrapkg.py
assert_set "$OPTPKG" "$(affected)" "a module added at the rootdir"
rm extrapkg.py
ft_settle
assert_set "" "$(affected)" "back as recorded"

# the same by function (where this interpreter has a hook for it: else the
# recording is by file again, and the answer must be the same)
FTRACE_GRANULARITY=auto record
printf 'def test_x():\n    assert True\n' >tests/test_extra.py
assert_set "tests/test_extra.py $OPT" "$(affected)" "a new test file a test tried to import (auto granularity)"
rm tests/test_extra.py
