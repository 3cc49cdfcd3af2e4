#!/usr/bin/env bash
# Node ids with spaces, brackets and non-ASCII characters (parametrize ids,
# unicode file and test names) survive the round trip: the plugin hands them
# to the preload library as UTF-8 bytes, the side file keeps them, and
# `ftrace affected --format null | xargs -0 -r pytest` runs exactly them:
# one parametrized test (a data file only it reads), or the whole module by
# its odd name (the module edited: every test of it affected).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file   # its edits are checked by file (t9000: the default)
export LC_ALL=C.UTF-8 PYTHONIOENCODING=utf-8
mkdir "$FT_SCRATCH/odd"
cd "$FT_SCRATCH/odd"
cat >pytest.ini <<'EOF'
[pytest]
disable_test_id_escaping_and_forfeit_all_rights_to_community_support = true
EOF
cat >test_ünï.py <<'EOF'
import pytest


@pytest.mark.parametrize("x", ["a b", "ü", "x[1]"])
def test_p(x):
    if x == "a b":
        with open("data.txt") as f:
            assert f.read()
    assert x


def test_ünicode_name():
    pass
EOF
echo data >data.txt
cat >test_plain.py <<'EOF'
def test_plain():
    pass
EOF
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
# The fixture's files were all just touched (ft_fixture): wait until the
# clock is past their ctime, so that the first recording cannot see them as
# changed during the run (a condition, at most a few milliseconds).
ft_clock_past_ctime

out=$(ft run -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") || ft_fail "recording failed: $out"
grep -q '^5 passed in' <<<"$out" || ft_fail "unexpected output: $out"
assert_set "" "$(ft affected)" "nothing changed"

echo more >>data.txt
got=$(ft affected --format null | tr '\0' '\n')
assert_eq 'test_ünï.py::test_p[a b]' "$got" "the one test that reads data.txt, NUL-separated"
out=$(ft affected --format null | xargs -0 -r "$FT_PYTHON" -m pytest -q) || ft_fail "pytest over the affected ids failed: $out"
grep -q '^1 passed in' <<<"$out" || ft_fail "pytest did not run exactly the 1 affected test: $out"
rm -f data.txt && git checkout -q -- data.txt

printf '\n# edited\n' >>test_ünï.py
want=$(printf '%s\n' 'test_ünï.py::test_p[a b]' 'test_ünï.py::test_p[x[1]]' 'test_ünï.py::test_p[ü]' 'test_ünï.py::test_ünicode_name' | LC_ALL=C sort)
got=$(ft affected --format ids | LC_ALL=C sort)
assert_eq "$want" "$got" "affected ids"
got=$(ft affected --format null | tr '\0' '\n')
assert_eq 'test_ünï.py' "$got" "every test of the module affected: the module, NUL-separated"
out=$(ft affected --format null | xargs -0 -r "$FT_PYTHON" -m pytest -q) || ft_fail "pytest over the affected module failed: $out"
grep -q '^4 passed in' <<<"$out" || ft_fail "pytest did not run exactly the 4 affected tests: $out"
