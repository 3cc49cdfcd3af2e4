#!/usr/bin/env bash
# Every test depends on the listings pytest's collection read.  The adapter
# runs pytest's own directory scan flagged, and ingest records those listings
# as "collected-list": a name the collector ignores (a data file, a module
# that is no test file) added or removed there selects nothing, while every
# other reader of the same directory (the import system, a conftest's
# os.listdir) keeps a listing of its own that still counts (the import
# system's by importable names: t2030).
# docs/selection.md, "Listings only pytest's collector read".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

commit() { git add -A && git -c user.email=t@t -c user.name=t commit -qm "$1" && ft_settle; }
fresh() { rm -rf .ftrace && record "$@"; }

echo 'what the table holds' >tests/data/README.md
commit 'a data README'
record

# tests/data: listed by the collector only (nothing imports from it)
echo 'more notes' >tests/data/notes.txt
assert_set "" "$(affected)" "a data file added where only the collector listed"
grep -q 'collected-list' <<<"$(ft affected --explain)" &&
	ft_fail "--explain names a collected listing that is no change"
rm tests/data/notes.txt
# A removal: pytest's ignore check stat'ed the file, in the same window, so
# that stat is a collected-type dependency, which the file gone does not
# change (the collected listing says the collector ignored the name).
git rm -q tests/data/README.md
assert_set "" "$(affected)" "a data file removed that collection stat'ed"
git checkout -q HEAD -- tests/data/README.md
"$FT_PYTHON" - .ftrace/ftrace.db "$PWD/tests/data/README.md" <<'PY' || ft_fail "README.md's recorded kinds"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
kinds = sorted(k for (k,) in db.execute(
    "SELECT s.kind FROM states s JOIN paths p ON p.id = s.path_id WHERE p.path = ?",
    (sys.argv[2].encode(),)))
assert kinds == [2 | 1 << 4], kinds   # collected-type only (a type of reader 1: store/ft_state.h)
PY
# the same name, now a directory: the collector would walk into it
rm tests/data/README.md && mkdir tests/data/README.md
assert_set "$ALL" "$(affected)" "a data file that became a directory"
grep -q 'README.md: collected-type dependency' <<<"$(ft affected --explain)" ||
	ft_fail "--explain does not name the collected-type dependency"
rmdir tests/data/README.md
git checkout -q HEAD -- tests/data/README.md
printf 'X = 1\n' >tests/data/helper.py
assert_set "" "$(affected)" "a module that is no test file, in a directory nothing imports from"
rm tests/data/helper.py
mkdir -p tests/data/more && echo 1 >tests/data/more/a.csv
assert_set "" "$(affected)" "a directory of data files added below tests/data"
rm -r tests/data/more

# what the collector does not ignore: a change of the listing, and a new
# test itself (pytest given the other tests would never collect it: a
# probe of tabulate, 2026-11-27)
printf '>>> 1\n2\n' >tests/data/test_notes.txt
assert_set "$ALL tests/data/test_notes.txt" "$(affected)" \
	"a file the doctest plugin collects (--doctest-glob default)"
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider $(affected) >"$FT_SCRATCH/sel.out" 2>&1; then
	ft_fail "the selected run passed: the new doctest did not run: $(cat "$FT_SCRATCH/sel.out")"
fi
grep -q "FAILED tests/data/test_notes.txt" "$FT_SCRATCH/sel.out" ||
	ft_fail "the selected run did not run the new doctest: $(cat "$FT_SCRATCH/sel.out")"
grep -q 'tests/data: collected-list dependency: listing changed' <<<"$(ft affected --explain)" ||
	ft_fail "--explain does not name the collected listing"
rm tests/data/test_notes.txt
printf '' >tests/data/conftest.py
assert_set "$ALL" "$(affected)" "a conftest.py added"
rm tests/data/conftest.py
printf '' >tests/data/__init__.py
assert_set "$ALL" "$(affected)" "an __init__.py added (tests/data becomes a package)"
rm tests/data/__init__.py
mkdir tests/extra
printf 'def test_extra():\n    pass\n' >tests/extra/test_extra.py
assert_set "tests/extra/test_extra.py" "$(affected)" "a new test directory"
printf 'def pytest_collection_modifyitems(items):\n    pass\n' >tests/extra/conftest.py
assert_set "$ALL tests/extra/test_extra.py" "$(affected)" \
	"a new test directory with a conftest.py, whose hooks reach every test"
rm -r tests/extra

# tests/tools holds a conftest.py, so pytest puts it on sys.path and the
# import system lists it too: a new module there is importable, but no
# import looked its name up (t2030, t2032)
printf 'X = 1\n' >tests/tools/helper.py
assert_set "" "$(affected)" "a module added to a directory on sys.path, a name no import looked up"
rm tests/tools/helper.py
# a distribution's metadata there: importlib.metadata enumerates them all
mkdir tests/tools/extra-1.0.dist-info && echo x >tests/tools/extra-1.0.dist-info/METADATA
assert_set "$ALL" "$(affected)" "a .dist-info added to a directory on sys.path"
grep -q 'tests/tools: import-list dependency: listing changed' <<<"$(ft affected --explain)" ||
	ft_fail "--explain does not name the import system's listing"
rm -r tests/tools/extra-1.0.dist-info
assert_set "" "$(affected)" "back as recorded"

# with_conftest TEXT WHAT: TEXT appended to tests/conftest.py and recorded,
# then a data file added to tests/data selects every test.
with_conftest() {
	printf '%s\n' "$1" >>tests/conftest.py
	commit "conftest: $2"
	fresh
	echo 'more notes' >tests/data/notes.txt
	assert_set "$ALL ${3:-}" "$(affected)" "a data file added, $2"
	rm tests/data/notes.txt
	git checkout -q HEAD~1 -- tests/conftest.py
	commit "conftest: no longer $2"
}

# A conftest that lists tests/data at import, before the collector does: the
# same directory, in the same prelude, read by someone else too.
with_conftest '
DATA_FILES = sorted(os.listdir(os.path.join(ROOT, "tests", "data")))' "where a conftest listed too"
# A plugin of the project's own decides what files become: nothing is ignored.
with_conftest '

def pytest_collect_file(file_path, parent):
    return None' "under a conftest's pytest_collect_file" tests/data
# (and its directory is a new test: the hook may make tests of the new
# file, t2100)

# --doctest-modules collects (imports) every .py file.
fresh --doctest-modules
printf 'X = 1\n' >tests/data/helper.py
assert_set "$ALL tests/data/helper.py" "$(affected)" "a module added under --doctest-modules"
# one whose import fails breaks the whole run's collection, and the
# selected run must show it too
printf 'import no_such_module_t2028\n' >tests/data/helper.py
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider --doctest-modules $(affected) \
	>"$FT_SCRATCH/sel.out" 2>&1; then
	ft_fail "the selected run passed: the new module was not collected: $(cat "$FT_SCRATCH/sel.out")"
fi
grep -q "ERROR tests/data/helper.py" "$FT_SCRATCH/sel.out" ||
	ft_fail "the selected run did not collect the new module: $(cat "$FT_SCRATCH/sel.out")"
# setup.py and __main__.py are not collected as doctest modules
printf 'X = 1\n' >tests/data/__main__.py
grep -qx "tests/data/__main__.py" <<<"$(affected)" && ft_fail "__main__.py printed as a new test"
rm tests/data/helper.py tests/data/__main__.py
# in a new directory too
mkdir tests/data/sub && printf 'X = 1\n' >tests/data/sub/extra.py
assert_set "$ALL tests/data/sub/extra.py" "$(affected)" "a new directory with a module under --doctest-modules"
rm -r tests/data/sub
echo 'more notes' >tests/data/notes.txt
assert_set "" "$(affected)" "a data file added under --doctest-modules"
rm tests/data/notes.txt

# A later run without it, of one module: the other tests are still the
# earlier run's, and what either run would collect counts.
record tests/test_arith.py
printf 'X = 1\n' >tests/data/helper.py
assert_set "$FMT $TABLE $CONFIG $PLUGINS $GREET tests/data/helper.py" "$(affected)" \
	"a module added when the other tests' run used --doctest-modules"
rm tests/data/helper.py

# A test that writes into a directory the collector listed: the listing
# changed during the run.  It was recorded as unknown (every test of the
# run selected next time); now the entry the run made is none to the
# collector (what it collects from a listing is which tests exist), so the
# listing stands as the run left it, and nothing is selected
# (docs/racy-stat.md, "A listing the run changed"; t2046).  A new test
# file beside it is still new.  Ingest used to loop for ever here, turning
# the collected listing into "unknown" and back (UNKNOWN sits below CLIST
# in the kinds it walks); the timeout and the memory cap make that a
# failure rather than a hung suite.  An ASan build reserves terabytes of
# address space for its shadow at start, so there the timeout alone bounds it.
memcap='ulimit -v 4000000'
# (No `ldd | grep -q`: grep leaves early, and under pipefail ldd's SIGPIPE
# would fail the test now and then.)
case "$(ldd "$FTRACE_BIN" 2>/dev/null)" in
*libasan*) memcap=: ;;
esac
cat >tests/test_zz_writer.py <<'PY'
import os


def test_writes_into_tests():
    with open(os.path.join(os.path.dirname(__file__), "made_by_test.txt"), "w") as f:
        f.write("x")
PY
commit 'a test that writes into tests/'
rm -rf .ftrace
($memcap; timeout 60 "$FTRACE_BIN" run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/writer.out" 2>&1) || ft_fail "recording a test that writes into tests/: $(tail -5 "$FT_SCRATCH/writer.out")"
grep -q '^ftrace: recorded' "$FT_SCRATCH/writer.out" || ft_fail "not recorded: $(cat "$FT_SCRATCH/writer.out")"
W=tests/test_zz_writer.py::test_writes_into_tests
assert_set "" "$(affected)" "a collected listing changed during the run"
printf 'def test_new():\n    assert 0\n' >tests/test_zz_new.py
assert_set "tests/test_zz_new.py" "$(affected)" "a new test file beside what the run made"
rm tests/test_zz_new.py
