#!/usr/bin/env bash
# Issue 24: a pytest test that links its tmp_path to a project fixture
# (tmp_path / "expected.txt" -> tests/data/expected.txt) and reads it was
# recorded without the fixture: its path is under /tmp, dropped as scratch
# by its text.  Editing the fixture selected nothing, and the test then
# failed in a full run.  The same through a symlinked directory.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"

ft_pytest_fixture pytest-tmplink
record
assert_set "" "$(affected)" "right after recording"

echo "changed" >>tests/data/expected.txt
ft_settle
assert_set "tests/test_tmplink.py::test_through_link" "$(affected)" "the fixture behind the link edited"
revert tests/data/expected.txt
ft_settle

echo "changed" >>tests/data/other.txt
ft_settle
assert_set "tests/test_tmplink.py::test_through_dir_link" "$(affected)" "a file in the linked directory edited"
