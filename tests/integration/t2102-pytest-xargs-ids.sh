#!/usr/bin/env bash
# t2102-pytest-xargs-ids.sh - the README's `ftrace affected | xargs -r
# pytest` with parametrized ids that hold a space or a quote.  The case that
# broke: xargs split `test_p[a b]` at the blank and stopped at the quote of
# `test_p[it's]` ("unmatched single quote"), so pytest ran the wrong tests
# or nothing.  The default format escapes those characters as xargs
# expects; `--format null | xargs -0 -r` keeps working.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
mkdir "$FT_SCRATCH/q"
cd "$FT_SCRATCH/q"
cat >test_q.py <<'PY'
import pytest


@pytest.mark.parametrize("x", ["a b", "it's", 'say "hi"', "back\\slash", "tab\there"])
def test_p(x):
    with open("data.txt") as f:
        assert f.read()


def test_other():
    pass
PY
echo data >data.txt
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
ft_clock_past_ctime
out=$(ft run -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") || ft_fail "recording failed: $out"
grep -q '^6 passed in' <<<"$out" || ft_fail "unexpected output: $out"

echo more >>data.txt
# the README's pipeline: exactly the 5 parametrized tests run
rc=0
out=$(ft affected | xargs -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) || rc=$?
[ "$rc" -eq 0 ] || ft_fail "ftrace affected | xargs -r pytest exited $rc: $out"
grep -q '^5 passed in' <<<"$out" || ft_fail "xargs -r pytest did not run exactly the 5 affected tests: $out"
# the pipeline that always works
out=$(ft affected --format null | xargs -0 -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) ||
	ft_fail "--format null | xargs -0 -r pytest failed: $out"
grep -q '^5 passed in' <<<"$out" || ft_fail "xargs -0 did not run exactly the 5 affected tests: $out"
# --format ids stays as recorded
grep -qxF "test_q.py::test_p[it's]" <<<"$(ft affected --format ids)" || ft_fail "--format ids changed an id: $(ft affected --format ids)"
