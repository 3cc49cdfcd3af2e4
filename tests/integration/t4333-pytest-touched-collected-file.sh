#!/usr/bin/env bash
# t4333-pytest-touched-collected-file.sh - a test that moves the mtime of a
# file under the collected directories (os.utime of a template, as jinja's
# loader tests do) made pytest's collection walk's stat of that file, a
# dependency of every test, unknown: every test was selected after every
# run (all 911 of jinja's).  The walk asks only what an entry is, and an
# inode's type never changes, so while the entry's directory gained, lost
# and renamed nothing during the run, the type it saw is the type now
# (ingest/ft_ingest.c, ctype_binding_unchanged).  When the directory did
# change during the run, the state stays unknown and every test is
# selected.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"

ft_pytest_fixture pytest-touched
record
# the toucher read the file, whose content then changed time: its own
# state is unknown; the others saw nothing that changed
assert_set "tests/test_touch.py::test_touch" "$(affected)" "no change after the run"

# an edit of the template: its reader only
echo '<p>{{ y }}</p>' >tests/data/page.html
assert_set "tests/test_touch.py::test_touch" "$(affected)" "the template edited"
revert tests/data/page.html

# the directory's entries change during the run: the walk may have seen
# another inode under that name, so every test is selected
cat >>tests/test_touch.py <<'PY'


def test_entries():
    p = os.path.join(os.path.dirname(PAGE), "scratch.txt")
    open(p, "w").close()
    os.unlink(p)
PY
settle tests/test_touch.py
record
assert_set "tests/test_plain.py::test_plain tests/test_touch.py::test_entries tests/test_touch.py::test_other tests/test_touch.py::test_touch" \
	"$(affected)" "the directory changed during the run"
