#!/usr/bin/env bash
# Each test's duration and outcome per run (table test_times, schema 7) and
# `ftrace stats`'s time saved (docs/usage.md, "ftrace stats").  pytest-basic
# plus tests/test_slow.py (one test that sleeps 0.3 s, one that fails):
# pytest's own timing is recorded (source "runner", the slow test at least
# 0.3 s), a named command's wall time as ftrace saw it (source "ftrace", a
# 0.2 s sleep at least 0.2 s), each with its outcome.  After an edit of
# tests/test_arith.py, `ftrace test` selects its 2 tests and the failing
# one: `stats` shows the 11 others as skipped, the time saved being their
# recorded durations summed (the slow test's among them), in text and
# JSON; a verify keeps what its selection would have skipped too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

PYTEST="$FT_PYTHON -m pytest -q -p no:cacheprovider"
cat >tests/test_slow.py <<'PY'
import time


def test_slow():
    time.sleep(0.3)


def test_red():
    assert False
PY
git add tests/test_slow.py && git -c user.email=t@t -c user.name=t commit -qm slow
ft_settle

# py EXPR [ARGS...]: a Python expression, with `db` the database (sqlite3)
# and `s` `ftrace stats --json` (when asked for with ARGS "stats")
db_py() {
	"$FT_PYTHON" -c 'import sqlite3,sys; db=sqlite3.connect(".ftrace/ftrace.db"); print(eval(sys.argv[1]))' "$1"
}
stats_json() {
	ft stats --json >"$FT_SCRATCH/stats.json" || ft_fail "ftrace stats --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/stats.json" "$1"
}

# 1. The first `test` runs everything: 14 rows of pytest's own timing.
assert_status 1 ft test -q -- $PYTEST
assert_eq "14 runner" \
	"$(db_py '" ".join(str(x) for x in db.execute("SELECT count(*), group_concat(DISTINCT source) FROM test_times").fetchone())')" \
	"each pytest test timed by pytest"
assert_eq "1 1" \
	"$(db_py '" ".join(str(x) for x in db.execute("SELECT ns >= 300000000, outcome FROM test_times WHERE name = ?", ("tests/test_slow.py::test_slow",)).fetchone())')" \
	"the slow test's duration (>= its 0.3 s sleep) and outcome (passed)"
assert_eq "2" "$(db_py 'db.execute("SELECT outcome FROM test_times WHERE name = ?", ("tests/test_slow.py::test_red",)).fetchone()[0]')" \
	"the red test's outcome (failed)"

# 2. A named command: the wall time ftrace saw.
ft run -q --name nap -- sleep 0.2 || ft_fail "ftrace run --name nap exited $?"
assert_eq "ftrace 1 1" \
	"$(db_py '" ".join(str(x) for x in db.execute("SELECT source, ns >= 200000000, outcome FROM test_times WHERE name = ?", ("nap",)).fetchone())')" \
	"a command test's wall time as ftrace saw it"

# 3. An edit: test_arith's 2 tests and the failed one run; the other 11
# pytest tests and nap (12) are skipped, each with a recorded duration.
ft_edit tests/test_arith.py "def test_add" "# edited
def test_add"
assert_status 1 ft test -- $PYTEST >"$FT_SCRATCH/test.out" 2>&1
grep -q "1 failed, 2 passed, 11 deselected" "$FT_SCRATCH/test.out" || ft_fail "$(cat "$FT_SCRATCH/test.out")"
want_ns=$(db_py 'db.execute("SELECT sum(ns) FROM test_times WHERE run_id IN (1, 2) AND name NOT IN (?, ?, ?)", ("tests/test_arith.py::test_add", "tests/test_arith.py::test_mul", "tests/test_slow.py::test_red")).fetchone()[0]')
[ "$want_ns" -ge 500000000 ] || ft_fail "the skipped tests' recorded durations: $want_ns ns, not >= 0.5 s"
assert_eq "12 $want_ns 0" \
	"$(stats_json '"%s %s %s" % (r["selections"]["each"][-1]["skipped_timed"], r["selections"]["each"][-1]["skipped_ns"], r["selections"]["untimed"])')" \
	"the time saved: the skipped tests' recorded durations"
assert_eq "None None" \
	"$(stats_json '"%s %s" % (r["selections"]["each"][0]["skipped_timed"], r["selections"]["each"][0]["skipped_ns"])')" \
	"the first test could not tell: nothing measured"
assert_eq "12 $want_ns" \
	"$(stats_json '"%s %s" % (r["selections"]["skipped_timed"], r["selections"]["skipped_ns"])')" \
	"summed"
ft stats >"$FT_SCRATCH/stats.txt" || ft_fail "ftrace stats exited $?"
secs=$("$FT_PYTHON" -c "print('%.3f' % ($want_ns / 1e9))")
grep -q "^  time saved:     $secs s, the recorded durations of the 12 skipped tests that had one (what each took when it last ran)$" \
	"$FT_SCRATCH/stats.txt" || ft_fail "text: $(cat "$FT_SCRATCH/stats.txt")"

# 4. verify keeps what its selection left out, timed, too (nothing changed:
# only the failed test is selected; 14 others known, all timed).
ft verify -q -- $PYTEST >/dev/null 2>&1 || :
assert_eq "verify 14" \
	"$(stats_json '"%s %s" % (r["selections"]["each"][-1]["command"], r["selections"]["each"][-1]["skipped_timed"])')" \
	"verify's skipped tests, timed"
