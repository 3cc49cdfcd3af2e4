#!/usr/bin/env bash
# Issue 24: os.link(data/g.txt, /tmp/.../g) in one pytest test, and
# another test reading /tmp/.../g.  The read is under /tmp (scratch by its
# text) and link()'s source was only looked up, so the reader depended on
# nothing: editing g.txt selected nothing, and the test failed in a full
# run.  link()'s source is now a read, and a read of a name link() made
# in the run is a read of the source.  Linking moves the source's ctime,
# so every test that links or reads a link of it is unknown (selected)
# after every such run: more than needed, never less.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"

ft_pytest_fixture pytest-hardlink
# the module's mkdtemp and pytest's tmp_path: a temp dir of this script's own
export TMPDIR=$FT_SCRATCH/tmp
mkdir "$TMPDIR"
record
readers="tests/test_hardlink.py::test_link_read tests/test_hardlink.py::test_make_link tests/test_hardlink.py::test_read_link"
assert_set "$readers" "$(affected)" "right after recording"

echo "changed" >>data/g.txt
ft_settle
assert_set "$readers" "$(affected)" "the linked file edited"
revert data/g.txt

echo "changed" >>data/other.txt
ft_settle
assert_set "$readers tests/test_hardlink.py::test_unrelated" "$(affected)" "a file read directly edited"
