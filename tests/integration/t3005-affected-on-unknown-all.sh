#!/usr/bin/env bash
# When a valid recording cannot give a complete answer, --on-unknown=all
# prints every known test (exit 2), and the default prints nothing (exit 2).
# Case: a directory added under the pytest rootdir nests deeper than the
# new-test walk goes (64 levels), so new test files inside it could be
# missed: "cannot tell", never a shrunk set.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
ft_fixture pytest-basic

out=$(ft run -- "$FT_PYTHON" -m pytest -q 2>"$FT_SCRATCH/run.err") || {
	cat "$FT_SCRATCH/run.err" >&2; ft_fail "ftrace run -- pytest failed: $out"; }
known=$(sqlite3 .ftrace/ftrace.db 'SELECT name FROM tests' | LC_ALL=C sort)
[ "$(wc -l <<<"$known")" -ge 6 ] || ft_fail "too few tests recorded: $known"

d=tests/deep
for i in $(seq 1 70); do d=$d/d; done
mkdir -p "$d"
printf 'def test_deep():\n    pass\n' >"$d/test_deep.py"

rc=0
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "exit status when the walk is cut short"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "stdout not empty: $(cat "$FT_SCRATCH/out")"
grep -q 'too deep' "$FT_SCRATCH/err" || ft_fail "message: $(cat "$FT_SCRATCH/err")"

rc=0
all=$(ft affected --on-unknown=all --format ids 2>/dev/null) || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all"
assert_eq "$known" "$all" "--on-unknown=all prints every known test"
# the default format: every module whole (each has all its tests printed)
rc=0
all=$(ft affected --on-unknown=all 2>/dev/null) || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all, lines"
assert_eq "$(printf '%s\n' "$known" | sed 's/::.*//' | uniq)" "$all" \
	"--on-unknown=all prints every module of the known tests"

rc=0
ft affected --on-unknown=all --format json >"$FT_SCRATCH/all.json" 2>/dev/null || rc=$?
assert_eq 2 "$rc" "exit status with --on-unknown=all --format json"
"$FT_PYTHON" - "$FT_SCRATCH/all.json" <<'PY' || ft_fail "JSON: $(cat "$FT_SCRATCH/all.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] is False and len(d["tests"]) >= 6, d
PY

# Shallow enough: it is found, and nothing else is selected.
rm -rf tests/deep
mkdir -p tests/deep/a/b
printf 'def test_deep():\n    pass\n' >tests/deep/a/b/test_deep.py
assert_eq "tests/deep/a/b/test_deep.py" "$(ft affected)" "a new test file in a new nested directory"
