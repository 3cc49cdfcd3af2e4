#!/usr/bin/env bash
# A recorded path with ".." parts (a template loader given
# "templates/../templates2", as pallets/jinja's tests do) is shared
# (issue 28): export writes it relative to the top as the process used it,
# the reader takes a ".." that stays under the top, and the importing
# clone selects on an edit of that file what the recording clone does.
# Before, export wrote it and import refused the bundle ("a path relative
# to the repository leaves it"), so such a suite could not be shared.  A
# crafted relative path that climbs above the top is still refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
ft_fixture pytest-basic src
mkdir -p tests/res/one tests/res/two
echo hello >tests/res/two/page.txt
echo keep >tests/res/one/keep.txt  # git keeps no empty directory
cat >tests/test_dotdot.py <<'PY'
import os

HERE = os.path.dirname(__file__)


def test_dotdot():
    with open(os.path.join(HERE, "res", "one", "..", "two", "page.txt")) as f:
        assert f.read().strip() == "hello"
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm dotdot
cd "$FT_SCRATCH"
git clone -q src a
git clone -q src b
(cd a && ft_settle)
(cd b && ft_settle)
cd "$FT_SCRATCH/a"
record
grep -qF "/res/one/../two/page.txt" <<<"$(sqlite3 .ftrace/ftrace.db "SELECT path FROM paths")" ||
	ft_fail "the recording has no path with a .. part"
ft export "$FT_SCRATCH/golden.ftb" 2>/dev/null || ft_fail "export exited $?"
cd "$FT_SCRATCH/b"
ft import "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/import.err" ||
	ft_fail "import exited $?: $(cat "$FT_SCRATCH/import.err")"
assert_set "" "$(affected)" "b: nothing changed after the import"
for d in a b; do
	(cd "$FT_SCRATCH/$d" && echo bye >tests/res/two/page.txt && ft_settle)
done
want=$(cd "$FT_SCRATCH/a" && affected)
assert_set "tests/test_dotdot.py::test_dotdot" "$want" "a: the edit"
assert_set "$want" "$(affected)" "b: the edit selects what a selects"

