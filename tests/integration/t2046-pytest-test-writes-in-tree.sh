#!/usr/bin/env bash
# A test that leaves a file in a directory the session listed before it:
# the rootdir (on sys.path: Python's import system listed it) and a test
# directory (pytest's collector listed it), as a test writing `res.txt` or
# `out.json` beside itself does.  The listing was "modified during the
# run by another test": unknown at recording, and every test was selected
# after every recording.  Now an entry the run made or removed, which by
# itself is none to the listing's reader (a name the import system cannot
# import; anything, to the collector, which learns only which tests exist
# from it), leaves the listing as the run left it (ingest/ft_ingest.c,
# run_change_is_benign; docs/racy-stat.md, "A listing the run changed").
# What can still change a test stays selected: a conftest.py a test made
# (each test's look-up found it absent), a module a test dropped on
# sys.path (a name the import system may import).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir tests
cat >tests/test_a.py <<'EOF'
def test_a():
    assert 1
EOF
cat >tests/test_w.py <<'EOF'
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def test_w():
    with open("res.txt", "w") as f:
        f.write("written by test_w\n")
    with open(os.path.join(HERE, "out.json"), "w") as f:
        f.write("{}\n")
    os.mkdir("scratch")
    os.rmdir("scratch")
    if os.environ.get("T2046_MAKE"):
        with open(os.environ["T2046_MAKE"], "w") as f:
            f.write(os.environ["T2046_TEXT"])
EOF
printf 'res.txt\ntests/out.json\n' >.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2046
settle tests/test_a.py tests/test_w.py .gitignore

for gran in file function; do
	rm -rf .ftrace res.txt tests/out.json
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording ($gran): $(cat "$FT_SCRATCH/run.out")"
	[ -s res.txt ] && [ -s tests/out.json ] || ft_fail "test_w wrote nothing ($gran)"
	assert_set "" "$(affected)" "right after recording ($gran)"
	# the files it left, removed (git clean): no name anything read
	rm res.txt tests/out.json
	assert_set "" "$(affected)" "its files removed ($gran)"
	# a new test file is still new
	printf 'def test_n():\n    assert 0\n' >tests/test_n.py
	assert_set "tests/test_n.py" "$(affected)" "a new test file ($gran)"
	rm tests/test_n.py
done

# a conftest.py made by a test: every test below it can change, and is
# selected (its look-up found it absent); the full run shows why
rm -rf .ftrace
T2046_MAKE=tests/conftest.py T2046_TEXT=$'import pytest\n\n\n@pytest.fixture(autouse=True)\ndef broken():\n    assert 0\n' \
	ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "recording (conftest made): $(cat "$FT_SCRATCH/run.out")"
assert_set "tests/test_a.py::test_a tests/test_w.py::test_w" "$(T2046_MAKE=tests/conftest.py affected)" \
	"a conftest.py a test made"
if "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_a.py >/dev/null 2>&1; then
	ft_fail "test_a passed with the conftest the run made"
fi
rm -f tests/conftest.py

# a module a test dropped in the rootdir, on sys.path: a name the import
# system may import, so the rootdir's listing stays "unknown"
rm -rf .ftrace
T2046_MAKE=helper.py T2046_TEXT='X = 1' \
	ft run -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "recording (module made): $(cat "$FT_SCRATCH/run.out")"
got=$(T2046_MAKE=helper.py affected --explain)
grep -q "tests/test_a.py::test_a" <<<"$got" || ft_fail "a module made on sys.path: test_a not selected: $got"
grep -q "unknown at recording" <<<"$got" || ft_fail "a module made on sys.path: the reason: $got"
