#!/usr/bin/env bash
# A commit collects garbage only among the rows that can have become
# garbage (store/ft_store_gc.c): over a sequence of real recordings whose
# tests change what they read, drop a data file, are renamed away and are
# deleted, the full rule must find nothing left after each, nothing a test
# reaches may be gone (`ftrace affected` selects exactly what changed), and
# a test recorded again with what it had writes no test_sets row.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
mkdir "$FT_SCRATCH/proj"
cd "$FT_SCRATCH/proj"
printf 'one\n' >d1.txt
printf 'two\n' >d2.txt
cat >test_a.py <<'PY'
def test_reads_d1():
    assert open("d1.txt").read()


def test_reads_d2():
    assert open("d2.txt").read()


def test_plain():
    pass
PY
cat >test_b.py <<'PY'
def test_b():
    assert open("d1.txt").read()
PY
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
ft_clock_past_ctime

db=.ftrace/ftrace.db
garbage() {
	sqlite3 "$db" "SELECT
	 (SELECT count(*) FROM depsets WHERE id NOT IN (SELECT set_id FROM test_sets))
	 + (SELECT count(*) FROM depset_states WHERE set_id NOT IN (SELECT id FROM depsets))
	 + (SELECT count(*) FROM states WHERE id NOT IN (SELECT state_id FROM depset_states))
	 + (SELECT count(*) FROM listings WHERE NOT EXISTS (SELECT 1 FROM states s WHERE
	    s.path_id = listings.path_id AND (s.kind & 15) = 5 AND s.value = listings.value))
	 + (SELECT count(*) FROM paths WHERE id NOT IN (SELECT path_id FROM states))
	 + (SELECT count(*) FROM statcache WHERE path_id NOT IN (SELECT id FROM paths))"
}
rec() { ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null 2>"$FT_SCRATCH/run.err" || true; }
step() { # what: record, then no garbage and nothing selected
	rec
	assert_eq 0 "$(garbage)" "garbage left after: $1"
	assert_eq "" "$(affected)" "selected right after recording: $1"
}

step "the first recording"
assert_eq 1 "$(sqlite3 "$db" "SELECT count(*) FROM meta WHERE key = 'gc_marks'")" "the marks are written"

# Recorded again with the same reads: no test_sets row written.  (The
# second recording reads what the first wrote: pytest's bytecode cache.)
step "the second recording"
sqlite3 "$db" "CREATE TABLE log(op); CREATE TRIGGER log_d AFTER DELETE ON test_sets BEGIN
	INSERT INTO log VALUES('d'); END; CREATE TRIGGER log_i AFTER INSERT ON test_sets BEGIN
	INSERT INTO log VALUES('i'); END;"
step "the same tests again"
assert_eq 0 "$(sqlite3 "$db" "SELECT count(*) FROM log")" "test_sets rows written for unchanged tests"

# A test stops reading d2 (its old own set is garbage; the file stays,
# as every test's collection saw it).
sed -i 's/open("d2.txt").read()/"x"/' test_a.py
settle test_a.py
step "a test stops reading d2.txt"

# A data file edited: exactly its readers, then recorded (the old state goes).
printf 'uno\n' >d1.txt
settle d1.txt
assert_eq "test_a.py::test_reads_d1
test_b.py::test_b" "$(affected | LC_ALL=C sort)" "the readers of d1.txt"
step "d1.txt edited"

# A test renamed away and a file deleted: forgotten, their sets go.
sed -i 's/def test_plain/def test_plain2/' test_a.py
rm test_b.py
settle test_a.py
step "a test renamed and a test file deleted"
assert_eq "test_a.py::test_plain2 test_a.py::test_reads_d1 test_a.py::test_reads_d2 " \
	"$(sqlite3 "$db" "SELECT name FROM tests WHERE name LIKE 'test_a.py::%'" | LC_ALL=C sort |
	   tr '\n' ' ')" "test_a.py's tests left (test_plain forgotten)"

# What is left is still whole: an edit selects its reader.
printf 'eins\n' >d1.txt
settle d1.txt
assert_eq "test_a.py::test_reads_d1" "$(affected)" "d1.txt's reader after the sequence"
