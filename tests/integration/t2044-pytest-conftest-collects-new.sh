#!/usr/bin/env bash
# A conftest.py can change what pytest collects below its directory
# (`collect_ignore`, `pytest_ignore_collect`, `pytest_collect_file`): a test
# file it lets in is one no run recorded.  A probe (2026-11-28): removing
# `collect_ignore = ["test_b.py"]` from tests/sub/conftest.py selected
# every recorded test, printed as module paths, and test_b.py, which then
# failed in a full run, was not among them.  Now a directory whose changed
# conftest is a selected test's reason, and whose every recorded module is
# selected whole, is printed as its path (pytest collects it whole); at or
# above pytest's rootdir that would collect what testpaths leave out, so
# it is "cannot tell", in every format (runners/ft_pytest_args.h,
# docs/selection.md "A changed conftest: whole directories").  A conftest edit that selects only some tests below it stays
# narrow.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
mkdir "$FT_SCRATCH/repo" && cd "$FT_SCRATCH/repo" && git init -q .
mkdir -p tests/sub
printf '[pytest]\ntestpaths = tests\n' >pytest.ini
cat >tests/sub/conftest.py <<'EOF'
import pytest

collect_ignore = ["test_b.py"]


@pytest.fixture
def fx():
    return 1
EOF
cat >tests/sub/test_a.py <<'EOF'
def test_a(fx):
    assert fx == 1
EOF
cat >tests/sub/test_b.py <<'EOF'
def test_b():
    raise AssertionError("a test no run recorded")
EOF
cat >tests/sub/test_d.py <<'EOF'
def test_d():
    assert True
EOF
cat >tests/test_c.py <<'EOF'
def test_c():
    assert True
EOF
mkdir bench && printf 'def test_slow():\n    raise AssertionError("not in testpaths")\n' >bench/test_slow.py
git add -A && git -c user.email=t@t -c user.name=t commit -qm init
ft_settle
pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"; }
revert() { git checkout -q . && git clean -fdq && ft_settle; }
# lines [DIR]: `ftrace affected` (the default format, run in DIR), exit 0
lines() {
	local out rc=0
	out=$(cd "${1:-.}" && ft affected) || rc=$?
	[ $rc -eq 0 ] || ft_fail "ftrace affected exited $rc"
	printf '%s\n' "$out"
}

for gran in file function; do
	rm -rf .ftrace
	out=$(ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider 2>&1) ||
		ft_fail "recording ($gran): $out"
	assert_set "" "$(lines)" "nothing changed ($gran)"

	# the conftest lets test_b.py in: tests/sub whole
	ft_edit tests/sub/conftest.py 'collect_ignore = ["test_b.py"]' 'collect_ignore = []'
	if pytest_q >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "the full run passed ($gran): $(cat "$FT_SCRATCH/full.out")"
	fi
	got=$(lines)
	# (by file the closure split keeps test_c.py out: no test module of
	# its directory loads tests/sub/conftest.py)
	want="tests/sub tests/test_c.py" wantrel="sub test_c.py"
	[ $gran = function ] || want="tests/sub" wantrel="sub"
	assert_set "$want" "$got" "collect_ignore emptied ($gran)"
	# shellcheck disable=SC2086 # the printed arguments, as xargs gives them
	if pytest_q $got >"$FT_SCRATCH/sel.out" 2>&1; then
		ft_fail "the selection passed ($gran): test_b.py was not run: $(cat "$FT_SCRATCH/sel.out")"
	fi
	grep -q "FAILED tests/sub/test_b.py::test_b" "$FT_SCRATCH/sel.out" ||
		ft_fail "test_b did not fail in the selection ($gran): $(cat "$FT_SCRATCH/sel.out")"
	assert_set "$wantrel" "$(lines tests)" "collect_ignore emptied, from tests/ ($gran)"
	revert

	# a conftest at the rootdir: cannot tell, naming why
	printf 'collect_ignore = ["bench"]\n' >conftest.py
	ft_settle
	rc=0
	out=$(ft affected 2>"$FT_SCRATCH/err") || rc=$?
	# (a new file: each session's collection looked its name up)
	assert_eq 2 "$rc" "a conftest at the rootdir ($gran): exit status ($(cat "$FT_SCRATCH/err"))"
	[ -z "$out" ] || ft_fail "a conftest at the rootdir ($gran): printed $out"
	grep -q "a conftest.py changed .* at or above pytest's rootdir" "$FT_SCRATCH/err" ||
		ft_fail "a conftest at the rootdir ($gran): the reason: $(cat "$FT_SCRATCH/err")"
	# every format: none can name what it may now collect (the ids and
	# json formats once said "complete" with the recorded ids)
	for f in "--format ids" "--format json" "--format null" --explain; do
		rc=0
		# shellcheck disable=SC2086 # the option and its value
		out=$(ft affected $f 2>"$FT_SCRATCH/err") || rc=$?
		assert_eq 2 "$rc" "a conftest at the rootdir ($gran), $f: exit status ($out)"
		[ -z "$out" ] || ft_fail "a conftest at the rootdir ($gran), $f: printed $out"
	done
	ft affected --format json --on-unknown=all >"$FT_SCRATCH/all.json" 2>/dev/null && ft_fail "--on-unknown=all exited 0"
	"$FT_PYTHON" - "$FT_SCRATCH/all.json" <<'PY' || ft_fail "a conftest at the rootdir ($gran): json --on-unknown=all: $(cat "$FT_SCRATCH/all.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False, d
assert len(d["tests"]) == 3 and len(d["args"]) == 3, d
PY
	revert

	# a fixture's body: at function granularity only the test that uses it,
	# by its module; by file every test below the conftest, as a directory
	ft_edit tests/sub/conftest.py '    return 1' '    return 2'
	if [ $gran = function ]; then
		assert_set "tests/sub/test_a.py" "$(lines)" "a fixture's body ($gran)"
	else
		assert_set "tests/sub" "$(lines)" "a fixture's body ($gran)"
	fi
	revert
done
