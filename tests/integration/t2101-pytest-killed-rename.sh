#!/usr/bin/env bash
# t2101-pytest-killed-rename.sh - a pytest session killed mid-test.  The
# case that broke: the killed session wrote no side file, so its tests were
# stored without a runner or file.  After the interrupted test was renamed,
# `ftrace affected` printed the old id forever, even after a full
# re-recording (only pytest's tests are forgotten), and `ftrace affected |
# xargs -r pytest` stopped with "not found" and ran nothing.  Now the
# plugin writes a partial side file after collection: the tests are
# pytest's, in their file, and a full recording forgets the old id.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-killed

rc=0
KILL_SESSION=1 ft run -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/k.out" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || ft_fail "the killed session exited 0: $(cat "$FT_SCRATCH/k.out")"
# the interrupted test has no result: selected, by an id pytest knows
out=$(ft affected --format ids) || ft_fail "affected after the kill exited $?"
grep -qx "tests/test_work.py::test_interrupted" <<<"$out" || ft_fail "the interrupted test is not selected: $out"
runner=$("$FT_PYTHON" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select runner from tests where name = ?", (sys.argv[2],)).fetchone()[0])' \
	.ftrace/ftrace.db tests/test_work.py::test_interrupted)
[ "$runner" = pytest ] || ft_fail "the killed session's test is stored as runner '$runner', not pytest"

# rename the interrupted test, then record everything again
sed -i 's/def test_interrupted/def test_renamed/' tests/test_work.py
settle tests/test_work.py
# before any new recording: the module changed, so it is printed whole,
# never the old id that pytest would stop at
out=$(ft affected) || ft_fail "affected after the rename exited $?"
assert_set "tests/test_work.py" "$out" "the renamed test's module, whole"
rc=0
ft affected | xargs -r "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/x.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || ft_fail "affected | xargs -r pytest after the rename exited $rc: $(cat "$FT_SCRATCH/x.out")"
record
out=$(ft affected --format ids) || ft_fail "affected after the full recording exited $?"
assert_set "" "$out" "the old id is forgotten by a full recording"
# what affected prints never makes pytest stop with "not found"
echo "# edited" >>tests/test_work.py
settle tests/test_work.py
rc=0
ft affected | xargs -r "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/x.out" 2>&1 || rc=$?
[ "$rc" -eq 0 ] || ft_fail "affected | xargs -r pytest exited $rc: $(cat "$FT_SCRATCH/x.out")"
grep -q "test_interrupted" "$FT_SCRATCH/x.out" && ft_fail "pytest was given the old id: $(cat "$FT_SCRATCH/x.out")"
exit 0
