# lib-pytest.sh - sourced, after lib.sh, by the tests/integration/t20NN-pytest-*
# scripts that record fixtures/pytest-basic.  It holds the fixture's test ids
# and the record / check / settle steps every one of them repeats.

# ft_pytest_fixture NAME: skip without pytest, copy fixtures/NAME (ft_fixture)
# and let the clock pass the copy's ctimes before the first recording.
ft_pytest_fixture() {
	"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
	# Python's default: .pyc files are written, so later runs only stat sources.
	unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
	# These scripts check file granularity's rules.  The default (auto: by
	# function where the interpreter has a cheap hook) is t9000's and the
	# demo's (t2021).
	export FTRACE_GRANULARITY=file
	ft_fixture "$1"
	ft_clock_past_ctime
}

# The tests of fixtures/pytest-basic, by test module.
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

# affected [ARGS]: `ftrace affected`, which must exit 0 (it could tell);
# with no --format, `--format ids`: every selected test by its id (the
# default format gives a module whose every test is selected as its path,
# t2024).
# cannot_tell WHAT FILE [ARGS...]: `ftrace affected ARGS` exits 2, prints
# no test, and says that pytest's configuration changed in FILE (a base
# name): pytest may now collect tests no run recorded (python/ft_pyconf.h).
# Its stderr stays in $FT_SCRATCH/err.
cannot_tell() {
	local out rc=0
	out=$(ft affected --format ids "${@:3}" 2>"$FT_SCRATCH/err") || rc=$?
	assert_eq 2 "$rc" "$1: exit status ($(cat "$FT_SCRATCH/err"))"
	[ -z "$out" ] || ft_fail "$1: tests printed: $out"
	grep -q "pytest's configuration changed (.*/$2: " "$FT_SCRATCH/err" ||
		ft_fail "$1: the reason: $(cat "$FT_SCRATCH/err")"
}

affected() {
	local out rc=0 a fmt=(--format ids)
	for a in "$@"; do
		case $a in --format | --format=*) fmt=() ;; esac
	done
	out=$(ft affected "${fmt[@]}" "$@") || rc=$?
	[ $rc -eq 0 ] || ft_fail "ftrace affected $* exited $rc"
	printf '%s\n' "$out"
}

# revert FILE: back to the committed content, with a new mtime.
revert() {
	rm -f -- "$1" && git checkout -q -- "$1"   # (see ft_back in lib.sh)
	settle "$1"
}

# settle PATH...: a past mtime on PATH and its directory, then the clock past
# their ctime (lib.sh: ft_clock_past_ctime).
settle() {
	local p dirs=()
	for p in "$@"; do
		touch -d '2023-03-03 03:03:03' "$p" "$(dirname "$p")"
		dirs+=("$p" "$(dirname "$p")")
	done
	ft_clock_past_ctime "${dirs[@]}"
}
