#!/usr/bin/env bash
# t2103-pytest-args-from-cwd.sh - `ftrace affected | xargs -r pytest` from
# anywhere in the repository.  pytest reads its arguments' paths from the
# directory it starts in, while node ids are relative to its rootdir, so
# ids printed as recorded named no file from a subdirectory ("file or
# directory not found", nothing ran), nor from the top of a repository
# whose pytest rootdir is below it.  The default format and --format null
# print paths from the current directory (node ids, whole modules, new test
# files); --format ids and json keep the ids as recorded.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
mkdir -p "$FT_SCRATCH/repo/py/tests"
cd "$FT_SCRATCH/repo"
printf '[pytest]\ntestpaths = tests\n' >py/pytest.ini
cat >py/tests/test_a.py <<'PY'
import os

HERE = os.path.dirname(__file__)


def read(name):
    with open(os.path.join(HERE, name)) as f:
        return f.read()


def test_one():
    assert read("one.txt") == "1\n"


def test_two():
    assert read("two.txt") == "2\n"
PY
cat >py/tests/test_b.py <<'PY'
import os


def read():
    with open(os.path.join(os.path.dirname(__file__), "b.txt")) as f:
        return f.read()


def test_b1():
    assert read()


def test_b2():
    assert read()
PY
echo 1 >py/tests/one.txt
echo 2 >py/tests/two.txt
echo b >py/tests/b.txt
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
ft_clock_past_ctime
out=$(cd py && ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>"$FT_SCRATCH/run.err") ||
	ft_fail "recording failed: $out $(cat "$FT_SCRATCH/run.err")"
grep -q '^4 passed in' <<<"$out" || ft_fail "unexpected output: $out"

echo changed >>py/tests/one.txt
echo more >>py/tests/b.txt
printf 'def test_new():\n    pass\n' >py/tests/test_new.py

# lines_in DIR "expected": the default format, run in DIR
lines_in() {
	assert_eq "$2" "$(cd "$1" && ft affected | sort | tr '\n' ' ')" "affected from $1"
}
# ran_in DIR N: `ftrace affected [--format null] | xargs pytest` in DIR
# runs N tests (test_one fails: one.txt changed)
ran_in() {
	local out
	out=$(cd "$1" && ft affected | xargs -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || true
	grep -q "^1 failed, $2 passed in" <<<"$out" || ft_fail "xargs pytest in $1: $out"
	out=$(cd "$1" && ft affected --format null |
		xargs -0 -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || true
	grep -q "^1 failed, $2 passed in" <<<"$out" || ft_fail "xargs -0 pytest in $1: $out"
}

lines_in py "tests/test_a.py::test_one tests/test_b.py tests/test_new.py "
ran_in py 3
lines_in py/tests "test_a.py::test_one test_b.py test_new.py "
ran_in py/tests 3
lines_in . "py/tests/test_a.py::test_one py/tests/test_b.py py/tests/test_new.py "
ran_in . 3
mkdir -p elsewhere
lines_in elsewhere "../py/tests/test_a.py::test_one ../py/tests/test_b.py ../py/tests/test_new.py "
ran_in elsewhere 3

# ids and json stay as recorded, wherever they are asked
assert_eq "tests/test_a.py::test_one tests/test_b.py::test_b1 tests/test_b.py::test_b2 tests/test_new.py " \
	"$(cd py/tests && ft affected --format ids | sort | tr '\n' ' ')" "--format ids from py/tests"
