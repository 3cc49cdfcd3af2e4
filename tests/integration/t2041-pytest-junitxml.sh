#!/usr/bin/env bash
# pytest's --junitxml report (docs/pytest.md, "Reports the session
# writes").  The option's argument check (_pytest.config.filename_arg)
# stats the path to ask whether it is a directory, before any test; the
# session writes the report after its last test.  A fresh checkout (every
# CI run) has no report: found absent, then made by the session, it was
# unknown (a path the test found absent and then made is its dependency),
# and every recording selected every test; a report under a directory the
# collection walk did not stat was unknown from the second recording on
# (stat'ed, then rewritten).  The adapter names the paths checked by
# filename_arg (its text checked) and ingest keeps their type alone:
# absent or a file, the check answered the same.  The same report written
# by a plugin whose check is another function stays unknown (sound).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic
printf 'reports/\nreport.xml\nmy.xml\n' >>.gitignore
cat >myreport.py <<'PY'
import functools
import os


def check(path, optname):
    # what pytest's filename_arg does, by another text: not named
    if os.path.isdir(path):
        raise ValueError("%s must be a filename" % optname)
    return path


def pytest_addoption(parser):
    parser.addoption("--my-report", type=functools.partial(check, optname="--my-report"))


def pytest_sessionfinish(session):
    path = session.config.getoption("my_report")
    if path:
        with open(path, "w") as f:
            f.write("report\n")
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm t2041
settle .gitignore myreport.py

for args in "--junitxml report.xml" "--junitxml=reports/ci/junit.xml"; do
	rm -rf .ftrace reports report.xml
	# shellcheck disable=SC2086 # (two words, or one)
	record $args
	[ -s "${args##*[ =]}" ] || ft_fail "pytest $args wrote no report"
	assert_set "" "$(affected)" "$args: first recording, the report made"
	if grep -q 'note:' "$FT_SCRATCH/run.err"; then
		ft_fail "$args: a note on a clean recording: $(cat "$FT_SCRATCH/run.err")"
	fi
	# shellcheck disable=SC2086
	record $args
	assert_set "" "$(affected)" "$args: second recording, the report rewritten"
done

# The report a test reads (another test's use) is still every reader's:
# the session rewrote it, so it is unknown.
rm -rf .ftrace reports
record --junitxml report.xml
cat >tests/test_reads_report.py <<'PY'
def test_reads_report():
    with open("report.xml") as f:
        assert f.read(1)
PY
git add -A && git -c user.email=t@t -c user.name=t commit -qm reader
settle tests/test_reads_report.py
record --junitxml report.xml
assert_set "tests/test_reads_report.py::test_reads_report" "$(affected)" \
	"a test read the report the session then rewrote"
git rm -q tests/test_reads_report.py && git -c user.email=t@t -c user.name=t commit -qm noreader
settle tests

# Another plugin's report, checked by a function of its own text: found
# absent and made, it is unknown (every test once).
rm -rf .ftrace my.xml
record -p myreport --my-report my.xml
[ -s my.xml ] || ft_fail "the plugin wrote no report"
# `ftrace run` says so, and names the way out
grep -q 'note: my.xml changed during the run, or was made after a lookup found it absent.*"ignore"' \
	"$FT_SCRATCH/run.err" || ft_fail "no note naming my.xml: $(cat "$FT_SCRATCH/run.err")"
assert_set "$ALL" "$(affected)" "a report checked by another function"
ft affected --explain >"$FT_SCRATCH/explain" 2>&1
grep -q 'my.xml: unknown dependency' "$FT_SCRATCH/explain" ||
	ft_fail "explain names the plugin's report: $(cat "$FT_SCRATCH/explain")"
