#!/usr/bin/env bash
# A database never chooses what ftrace executes (issue 24, "affected runs a
# program named in the database").  The case that broke: `ftrace affected
# --granularity=function` ran the interpreter the recording's meta table
# named (pyfunc_python, pyconf_python), and the view tool imported
# iniconfig from the directory meta pyconf_iniconfig named.  A database
# restored from a CI cache, given with --db or planted by another user ran
# its own program as the user.  Here each of the three names a planted
# program that would leave a marker file; `affected` (and `ftrace test`)
# with a .py edit and a tox.ini edit, which start both helpers, must leave
# none, and still answer as before (python3 from PATH runs the helpers).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
ft_pytest_fixture pytest-inicfg
unset FTRACE_PYTHON

SHAPES="tests/test_shapes.py::test_area tests/test_shapes.py::test_square"
META="tests/test_meta.py::test_version_is_semver"

ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"

# The planted programs: an interpreter that would run (and then work, so
# that only the marker tells), and an iniconfig package.
mkdir -p "$FT_SCRATCH/evil/site/iniconfig"
cat >"$FT_SCRATCH/evil/python" <<SH
#!/bin/sh
: >"$FT_SCRATCH/ran-python"
exec "$FT_PYTHON" "\$@"
SH
chmod +x "$FT_SCRATCH/evil/python"
printf 'open(%s, "w").close()\nraise ImportError("planted")\n' "'$FT_SCRATCH/ran-iniconfig'" \
	>"$FT_SCRATCH/evil/site/iniconfig/__init__.py"
plant() {
	sqlite3 .ftrace/ftrace.db "INSERT OR REPLACE INTO meta(key, value) VALUES
		('pyfunc_python', '$FT_SCRATCH/evil/python'),
		('pyconf_python', '$FT_SCRATCH/evil/python'),
		('pyconf_iniconfig', '$FT_SCRATCH/evil/site')"
}
plant
markers() {
	[ ! -e "$FT_SCRATCH/ran-python" ] || ft_fail "$1: ran the interpreter the database named"
	[ ! -e "$FT_SCRATCH/ran-iniconfig" ] || ft_fail "$1: imported iniconfig from the directory the database named"
}

# A .py body edit (the fingerprint tool runs) and a tox.ini edit outside
# pytest's section (the view tool runs, and needs iniconfig).
ft_edit shapes/__init__.py 'return' 'return 0 +'
ft_edit tox.ini 'deps = pytest' 'deps = pytest>=7'
out=$(ft affected --format ids --granularity=function 2>"$FT_SCRATCH/err") ||
	ft_fail "affected exited $?: $(cat "$FT_SCRATCH/err")"
markers "affected"
assert_set "$SHAPES" "$out" "body edit and tox.ini [testenv] edit"
[ ! -s "$FT_SCRATCH/err" ] || ft_fail "unexpected message: $(cat "$FT_SCRATCH/err")"

# The same through --db, from another directory.
out=$(cd "$FT_SCRATCH" && "$FTRACE_BIN" affected --db "$OLDPWD/.ftrace/ftrace.db" --format ids \
	--granularity=function 2>/dev/null) || true
markers "affected --db"

# ftrace test runs the same filters before it runs the command.
ft test -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/test.out" 2>&1 || ft_fail "ftrace test failed: $(cat "$FT_SCRATCH/test.out")"
markers "ftrace test"
