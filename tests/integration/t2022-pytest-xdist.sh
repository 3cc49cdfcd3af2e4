#!/usr/bin/env bash
# pytest-xdist: every worker is its own pytest session, with its own pid and
# side file, and the controller runs no test.  Selection must be the same as
# without -n.  Skipped when pytest-xdist is not installed for $FT_PYTHON
# (checked by hand with pytest-xdist 3.8.0 in a venv).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
"$FT_PYTHON" -c "import xdist" 2>/dev/null || ft_skip "no pytest-xdist for $FT_PYTHON"
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


out=$(ft run --keep-records -- "$FT_PYTHON" -m pytest -q -n 2 2>"$FT_SCRATCH/run.err") ||
	ft_fail "ftrace run -- pytest -n 2 failed: $out $(cat "$FT_SCRATCH/run.err")"
printf '%s\n' "$out" | grep -q '^12 passed in' || ft_fail "unexpected pytest output: $out"
"$FT_PYTHON" - .ftrace/runs/*/adapter-pytest-*.json <<'PY' || ft_fail "side files of the xdist session"
import json, sys
docs = [json.load(open(f)) for f in sys.argv[1:]]
ids = sorted(t["id"] for d in docs for t in d["tests"])
assert len(docs) >= 3, "want a side file per worker and one for the controller: %d" % len(docs)
assert len(ids) == 12 and len(set(ids)) == 12, ids
assert not any(d["broken"] for d in docs), [d["errors"] for d in docs]
PY
assert_set "" "$(affected)" "no change"
printf 'plum,4,1.25\n' >>tests/data/table.csv
assert_set "tests/test_table.py::test_table_sum" "$(affected)" "tests/data/table.csv changed"
git checkout -q -- tests/data/table.csv
printf '\n\ndef version():\n    return 2\n' >>calc/plugins.py
assert_set "$PLUGINS" "$(affected)" "calc/plugins.py edited"
