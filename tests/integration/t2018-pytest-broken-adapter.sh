#!/usr/bin/env bash
# When the adapter fails inside (here: sabotaged from a conftest), the run is
# not broken: pytest's status and results are unchanged, stdout gains only
# pytest's warning, and the side file says "broken": true.  Ingest must then
# not split the prelude: an edit of any module imported during collection
# selects every test.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# Python's default: .pyc files are written, so later runs only stat sources.
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
ft_fixture pytest-basic
# The fixture's files were all just touched (ft_fixture): wait until the
# clock is past their ctime, so that the first recording cannot see them as
# changed during the run (a condition, at most a few milliseconds).
ft_clock_past_ctime

ARITH="tests/test_arith.py::test_add tests/test_arith.py::test_mul"
FMT="tests/test_fmt.py::test_fmt_two_places tests/test_fmt.py::test_fmt_negative"
TABLE="tests/test_table.py::test_table_sum tests/test_table.py::test_parse_row"
CONFIG="tests/test_config.py::test_config_default tests/test_config.py::test_config_parse"
PLUGINS="tests/test_plugins.py::test_discover tests/test_plugins.py::test_plugin_name"
GREET="tests/tools/test_greet.py::test_greet tests/tools/test_greet.py::test_script_name"
ALL="$ARITH $FMT $TABLE $CONFIG $PLUGINS $GREET"

# record [PYTEST ARGS...]: `ftrace run -- python -m pytest -q ARGS`, which
# must pass, and whose stdout must be pytest's own quiet lines, nothing else.
record() {
	local out rc=0
	out=$(ft run -- "$FT_PYTHON" -m pytest -q "$@" 2>"$FT_SCRATCH/run.err") || rc=$?
	[ $rc -eq 0 ] || { cat "$FT_SCRATCH/run.err" >&2; ft_fail "ftrace run -- pytest -q $* exited $rc: $out"; }
	check_quiet "$out"
}

# check_quiet STDOUT: only the progress line(s) and the summary of -q.
check_quiet() {
	local extra
	extra=$(printf '%s\n' "$1" | grep -Ev '^[.sxFE]+ +\[ *[0-9]+%\]$|^[0-9]+ (passed|failed|skipped)(, [0-9]+ [a-z]+)* in [0-9.]+s$' || true)
	[ -z "$extra" ] || ft_fail "recording stdout has more than pytest's output: $extra"
}

# affected [ARGS]: `ftrace affected`, which must exit 0 (it could tell).
affected() {
	local out rc=0
	out=$(ft affected "$@") || rc=$?
	[ $rc -eq 0 ] || ft_fail "ftrace affected $* exited $rc"
	printf '%s\n' "$out"
}

# revert FILE: back to the committed content, with a new mtime.
revert() {
	git checkout -q -- "$1"
	settle "$1"
}

# settle PATH...: a past mtime on PATH and its directory.  A file modified
# in the clock tick the recording starts in may have changed during the run,
# and is then rightly recorded as "unknown"; tests that edit and record at
# once must not depend on how fast they are.
settle() {
	local p
	for p in "$@"; do
		touch -d '2023-03-03 03:03:03' "$p" "$(dirname "$p")"
	done
}

cat >>tests/conftest.py <<'EOF'

import ftrace_pytest  # sabotage: the adapter fails while building its side file

ftrace_pytest._build = None
EOF
git -c user.email=t@t -c user.name=t commit -qam "sabotage the adapter"
settle tests/conftest.py

rc=0
out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") || rc=$?
[ $rc -eq 0 ] || ft_fail "ftrace run with a failing adapter exited $rc: $out"
printf '%s\n' "$out" | grep -q '^12 passed, 1 warning in' || ft_fail "expected 12 passes and one warning: $out"
printf '%s\n' "$out" | grep -q 'PytestWarning: ftrace: the pytest adapter failed' ||
	ft_fail "the warning does not say that the adapter failed: $out"
set -- .ftrace/runs/*/adapter-pytest-*.json
[ -f "$1" ] || ft_fail "no side file kept in .ftrace/runs"
"$FT_PYTHON" -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if d["broken"] is True and d["errors"] else 1)' "$1" ||
	ft_fail "the side file does not say broken: $(cat "$1")"

assert_set "" "$(affected)" "no change"
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$ALL" "$(affected)" "calc/plugins.py edited, and no closures to trust"
