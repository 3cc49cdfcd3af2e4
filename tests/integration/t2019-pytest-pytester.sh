#!/usr/bin/env bash
# Tests of pytest plugins run pytest inside a test: inline (pytester's
# runpytest, same process, a second plugin manager) or in a subprocess
# (runpytest_subprocess, which inherits FTRACE_TEST_ID).  Either way the
# inner session's tests must not become tests of the recording, and the
# inner failure that the outer test expects must not mark the outer test
# failed.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file   # its edits are checked by file (t9000: the default)
mkdir "$FT_SCRATCH/pt"
cd "$FT_SCRATCH/pt"
cat >test_outer.py <<'EOF'
pytest_plugins = ["pytester"]


def test_inline(pytester):
    pytester.makepyfile(test_inner="def test_fails():\n    assert False\n\ndef test_ok():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1, passed=1)


def test_subprocess(pytester):
    pytester.makepyfile(test_inner2="def test_fails():\n    assert False\n")
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(failed=1)
EOF
find . -exec touch -h -d '2020-01-01 00:00:00' {} +
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm fixture
# The fixture's files were all just touched (ft_fixture): wait until the
# clock is past their ctime, so that the first recording cannot see them as
# changed during the run (a condition, at most a few milliseconds).
ft_clock_past_ctime

for i in 1 2; do
	out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") ||
		ft_fail "recording $i failed: $out $(cat "$FT_SCRATCH/run.err")"
	grep -q '^2 passed in' <<<"$out" || ft_fail "recording $i: unexpected output: $out"
done
# The first recording creates .pytest_cache (through a temporary directory
# in the project), which the second does not: it is the one that counts.
assert_set "" "$(ft affected)" "nothing changed; no inner test was recorded as failed"
for f in .ftrace/runs/*/adapter-pytest-*.json; do
	"$FT_PYTHON" - "$f" <<'PY' || ft_fail "side file $f"
import json, sys
doc = json.load(open(sys.argv[1]))
got = sorted((t["id"], t["outcome"]) for t in doc["tests"])
want = [("test_outer.py::test_inline", "passed"), ("test_outer.py::test_subprocess", "passed")]
if got != want or doc["broken"]:
    print("want %r\ngot  %r (broken: %r)" % (want, got, doc["broken"]), file=sys.stderr)
    sys.exit(1)
PY
done
printf '\n# one more comment\n' >>test_outer.py
assert_set "test_outer.py::test_inline test_outer.py::test_subprocess" "$(ft affected --format ids)" "test_outer.py edited"
