#!/usr/bin/env bash
# calc/constants.py computes PRECISION when it is imported (during collection,
# in the session prelude).  Changing it selects the tests of every test module
# whose imports reach it: test_fmt (calc.fmt) and test_config (calc.config),
# and not the others: pytest-testmon's blind spot.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
# Python's default: .pyc files are written, so later runs only stat sources.
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
ft_fixture pytest-basic
# The fixture's files were all just touched (ft_fixture): wait until the
# clock is past their ctime, so that the first recording cannot see them as
# changed during the run (a condition, at most a few milliseconds).
"$FT_PYTHON" - <<'PY'
import os, time
newest = 0
for d, dirs, files in os.walk("."):
    if ".git" in dirs:
        dirs.remove(".git")
    for n in dirs + files + ["."]:
        try:
            newest = max(newest, os.lstat(os.path.join(d, n)).st_ctime_ns)
        except OSError:
            pass
while time.time_ns() < newest + 20000000:
    time.sleep(0.001)
PY

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

# settle PATH...: a past mtime on PATH and its directory, and the clock
# past their ctime (which touch cannot set).  A file changed in the clock
# tick a recording starts in may have changed during the run, and is then
# rightly recorded as "unknown"; a test that edits and records at once must
# not depend on how fast it is.  This waits for a condition, at most a few
# milliseconds, never for a fixed time.
settle() {
	local p
	for p in "$@"; do
		touch -d '2023-03-03 03:03:03' "$p" "$(dirname "$p")"
	done
	"$FT_PYTHON" - "$@" <<'PY'
import os, sys, time
paths = [q for p in sys.argv[1:] for q in (p, os.path.dirname(p) or ".")]
end = max(os.stat(q).st_ctime_ns for q in paths) + 20000000
while time.time_ns() < end:
    time.sleep(0.001)
PY
}

record
sed -i 's/return len(str(10 \*\* 2)) - 1/return len(str(10 ** 3)) - 1/' calc/constants.py
git diff --quiet calc/constants.py && ft_fail "sed did not change calc/constants.py"
assert_set "$FMT $CONFIG" "$(affected)" "import-time constant changed"
