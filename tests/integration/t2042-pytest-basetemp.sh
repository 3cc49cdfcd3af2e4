#!/usr/bin/env bash
# pytest's --basetemp DIR inside the checkout (tox's `--basetemp
# {envtmpdir}` puts it under .tox/; docs/pytest.md, "A base temporary
# directory in the checkout").  The session's first tmp_path removes DIR
# and makes it again, so it was found there (or absent), removed and
# made: unknown at every recording, and every test was selected after
# every run.  The adapter names DIR when the session made it
# (scratch_dirs) and ingest counts it as scratch, as the default base in
# the temporary directory.  What a tmp_path test reads from the project
# is still its dependency.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic
cat >tests/test_tmp.py <<'PY'
import shutil

from calc import table


def test_copy_table(tmp_path, data_dir):
    shutil.copy(data_dir + "/table.csv", tmp_path / "t.csv")
    rows = table.load(str(tmp_path / "t.csv"))
    assert table.column_sum(rows, "qty") == 5
    (tmp_path / "out.txt").write_text("x")
    assert (tmp_path / "out.txt").read_text() == "x"
PY
printf '.tox/\n' >>.gitignore
mkdir -p .tox/py
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2042
settle tests/test_tmp.py .gitignore .tox/py

TMP=tests/test_tmp.py::test_copy_table
for i in 1 2 3; do
	record --basetemp=.tox/py/tmp
	[ -s .tox/py/tmp/test_copy_table0/out.txt ] || ft_fail "no tmp_path under the base (run $i)"
	assert_set "" "$(affected)" "recording $i with --basetemp in the checkout"
done

# The data the tmp_path test copied is still its dependency.
printf 'name,qty\nb,9\n' >tests/data/table.csv
settle tests/data/table.csv
assert_set "$TMP tests/test_table.py::test_table_sum" "$(affected)" "the table edited"
revert tests/data/table.csv

# A file under the base that a test reads by name, left by an earlier
# session, is gone when the base is emptied: what a test reads there was
# made in the session.  Without a tmp_path in the session the base is not
# emptied, and not named: a read there is a dependency.
cat >tests/test_left.py <<'PY'
import os


def test_left():
    p = os.path.join(".tox", "py", "tmp", "left.txt")
    assert not os.path.exists(p) or open(p).read()
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm left
settle tests/test_left.py
record --basetemp=.tox/py/tmp -k test_left
printf 'x\n' >.tox/py/tmp/left.txt
settle .tox/py/tmp/left.txt
assert_set "tests/test_left.py::test_left" "$(affected)" "a read under a base no tmp_path emptied"
