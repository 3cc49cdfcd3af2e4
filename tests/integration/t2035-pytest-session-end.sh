#!/usr/bin/env bash
# What a session does after its last test is no test's input: a report
# that the session reads and writes again at its end (coverage's HTML
# report keeps htmlcov/status.json so, pytest-html its assets) was read,
# then rewritten in the run (unknown), and from the second recording on
# every test was selected every time.  Here a conftest's
# pytest_sessionfinish does the same with report/status.json.  What the
# session reads before its tests (tests/data/table.csv's reader aside, a
# sessionstart hook's settings file) stays every test's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic
cat >>tests/conftest.py <<'PY'


def pytest_sessionstart(session):
    with open("settings.txt") as f:
        session.config._t2035_settings = f.read()


def pytest_sessionfinish(session):
    import os
    os.makedirs("report", exist_ok=True)
    old = ""
    if os.path.exists("report/status.json"):
        with open("report/status.json") as f:
            old = f.read()
    with open("report/status.json", "w") as f:
        f.write(old + "x")
PY
echo "mode=1" >settings.txt
printf 'report/\n' >>.gitignore
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2035
settle tests/conftest.py settings.txt .gitignore

record
[ -f report/status.json ] || ft_fail "the session wrote no report"
assert_set "" "$(affected)" "first recording: no change"
record
assert_set "" "$(affected)" "second recording (the report read and rewritten): no change"
"$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null 2>&1 || ft_fail "plain run failed"
assert_set "" "$(affected)" "after a plain run rewrote the report: no change"

echo "mode=2" >settings.txt
settle settings.txt
assert_set "$ALL" "$(affected)" "settings.txt, read before the tests, changed: every test"
