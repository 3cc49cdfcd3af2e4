#!/usr/bin/env bash
# .ftrace.json's "granularity" is the project's default for `ftrace run`,
# `ftrace affected` and `ftrace test`; --granularity overrides it both ways;
# a bad value stops every command with status 78 (fixtures/pytest-funcs).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYTHON
ft_fixture pytest-funcs
NET=tests/test_prices.py::test_net

rows() {
	"$FT_PYTHON" -c 'import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
have = db.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", ("pyfunc_tests",)).fetchone()[0]
print(db.execute("SELECT count(*) FROM pyfunc_tests").fetchone()[0] if have else 0)' .ftrace/ftrace.db
}
rec() {
	ft run "$@" -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
		{ cat "$FT_SCRATCH/out" >&2; ft_fail "ftrace run $* failed"; }
}

printf '{"granularity": "function"}\n' >.ftrace.json
git add .ftrace.json && git -c user.email=t@t -c user.name=t commit -qm config
ft_settle
rec
assert_eq 10 "$(rows)" "function rows, recorded by .ftrace.json's default"

ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
assert_set "$NET" "$(ft affected --format ids)" "a body edit, selected by function by default"
assert_eq 10 "$(ft affected --format ids --granularity=file | wc -l)" "--granularity=file overrides"
ft test -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "ftrace test failed"; }
grep -q '^1 passed, 9 deselected' "$FT_SCRATCH/out" || ft_fail "ftrace test by default: $(cat "$FT_SCRATCH/out")"

# "file" in the file: an exported FTRACE_GRANULARITY records nothing more,
# --granularity=function still does.
printf '{"granularity": "file"}\n' >.ftrace.json
rm -rf .ftrace
FTRACE_GRANULARITY=function rec
assert_eq 0 "$(rows)" "function rows with \"file\" in .ftrace.json"
rm -rf .ftrace
rec --granularity=function
assert_eq 10 "$(rows)" "function rows with --granularity=function over \"file\""

printf '{\n  "granularity": "functions"\n}\n' >.ftrace.json
for cmd in "affected" "run -- true" "test -- true"; do
	rc=0
	ft $cmd >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	assert_eq 78 "$rc" "ftrace $cmd with a bad granularity"
	grep -q '.ftrace.json:2: key "granularity": must be "file", "function" or "auto"' "$FT_SCRATCH/err" ||
		ft_fail "ftrace $cmd: $(cat "$FT_SCRATCH/err")"
done
