#!/usr/bin/env bash
# `ftrace test --report FILE.json` (docs/usage.md, "Reports"), against
# hand counts, with pytest and ctest.  pytest-basic plus test_coin (its
# outcome from a counter file in a temp dir outside the repository: fails
# on its second run only) and test_nap (sleeps 0.2 s): the first test
# cannot tell (complete false, every test run, none selected); a plain
# `run` makes coin fail (learned flaky); the next test selects coin alone
# (failed last time, flaky), which passes: listed as a known flaky test
# that flipped, no escape.  After an edit of tests/test_arith.py the
# report has its 2 tests with the reason, and coin (known flaky tests are
# always selected), with their outcomes; nap's
# recorded duration is pytest's (>= 0.2 s).  Nothing affected: the
# selection, no test.  ctest: an edit of data/beta.txt selects beta with
# that path; it ran, timed by ctest itself.  Each report validates.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

SCHEMAS=$FTRACE_SOURCE_DIR/docs/schema
CHECK=("$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py")
PYTEST="$FT_PYTHON -m pytest -q -p no:cacheprovider"
COIN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftcoin.XXXXXX")
trap 'ft__rc=$?; rm -rf "$COIN_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export COIN_FILE=$COIN_DIR/count
echo 0 >"$COIN_FILE"
cat >tests/test_coin.py <<'PY'
import os


def test_coin():
    p = os.environ["COIN_FILE"]
    n = int(open(p).read())
    open(p, "w").write(str(n + 1))
    assert n != 1
PY
cat >tests/test_nap.py <<'PY'
import time


def test_nap():
    time.sleep(0.2)
PY
git add tests && git -c user.email=t@t -c user.name=t commit -qm coin
ft_settle

# rep FILE EXPR: a Python expression over report FILE (as r), after
# validating it against the schema
rep() {
	"${CHECK[@]}" --strict "$SCHEMAS/test-report.schema.json" "$1" || ft_fail "$1: $(cat "$1")"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# 1. No recording: it cannot tell, all 14 run, none selected.
ft test --report "$FT_SCRATCH/r1.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "first test exited $?"
assert_eq "False 0 [] 14 14 0 0 []" \
	"$(rep "$FT_SCRATCH/r1.json" '" ".join(str(x) for x in (r["selection"]["complete"], r["selection"]["known"], r["selection"]["tests"], len(r["tests"]), r["counts"]["run"], r["counts"]["selected"], r["counts"]["failed"], r["escapes"]))')" \
	"cannot tell: everything ran"

# 2. coin fails in a plain run (learned flaky); the next test selects it
# alone, and it passes: a known flaky test that flipped.
assert_status 1 ft run -q -- $PYTEST
ft test --report "$FT_SCRATCH/r2.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "coin's rerun exited $?"
assert_eq "tests/test_coin.py::test_coin:failed last time,flaky" \
	"$(rep "$FT_SCRATCH/r2.json" '" ".join(t["id"] + ":" + ",".join(x["change"] for x in t["reasons"]) for t in r["selection"]["tests"])')" \
	"the selection and its reasons"
assert_eq "tests/test_coin.py::test_coin failed passed True False 1" \
	"$(rep "$FT_SCRATCH/r2.json" '" ".join(str(x) for x in (r["flaky"][0]["id"], r["flaky"][0]["recorded"], r["flaky"][0]["now"], r["flaky"][0]["known"], r["flaky"][0]["escape"], r["counts"]["flaky"]))')" \
	"coin: known flaky, flipped, no escape"
assert_eq "passed failed True True runner" \
	"$(rep "$FT_SCRATCH/r2.json" '" ".join(str(x) for x in (r["tests"][0]["outcome"], r["tests"][0]["recorded"], r["tests"][0]["known"], r["tests"][0]["selected"], r["tests"][0]["duration_source"]))')" \
	"coin's outcome and duration"

# 3. An edit of tests/test_arith.py: its 2 tests, with the reason.
ft_edit tests/test_arith.py "def test_add" "# edited
def test_add"
ft test --report "$FT_SCRATCH/r3.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "arith's test exited $?"
assert_eq "tests/test_arith.py::test_add:content changed:$PWD/tests/test_arith.py tests/test_arith.py::test_mul:content changed:$PWD/tests/test_arith.py tests/test_coin.py::test_coin:flaky:None" \
	"$(rep "$FT_SCRATCH/r3.json" '" ".join(t["id"] + ":" + t["reasons"][0]["change"] + ":" + str(t["reasons"][0]["path"]) for t in r["selection"]["tests"])')" \
	"the selection: content changed, and coin (known flaky: always selected)"
assert_eq "14 3 3 0 0 tests/test_arith.py::test_add:passed tests/test_arith.py::test_mul:passed tests/test_coin.py::test_coin:passed" \
	"$(rep "$FT_SCRATCH/r3.json" '" ".join(str(x) for x in (r["counts"]["known"], r["counts"]["selected"], r["counts"]["run"], r["counts"]["failed"], r["command_status"])) + " " + " ".join(t["id"] + ":" + t["outcome"] for t in r["tests"])')" \
	"the counts and outcomes"
nap=$("$FT_PYTHON" -c 'import sqlite3; print(sqlite3.connect(".ftrace/ftrace.db").execute("SELECT ns >= 200000000, source FROM test_times WHERE name = ? ORDER BY run_id DESC", ("tests/test_nap.py::test_nap",)).fetchone())')
assert_eq "(1, 'runner')" "$nap" "nap's recorded duration: pytest's, >= its 0.2 s sleep"

# 4. Nothing affected (no flaky selection: .ftrace.json says so): the
# selection (empty), no test ran.
echo '{"flaky": {"select": false}}' >.ftrace.json
ft test --report "$FT_SCRATCH/r4.json" -- $PYTEST >/dev/null 2>&1 || ft_fail "nothing affected exited $?"
assert_eq "True [] [] 0 0" \
	"$(rep "$FT_SCRATCH/r4.json" '" ".join(str(x) for x in (r["selection"]["complete"], r["selection"]["tests"], r["tests"], r["counts"]["run"], r["exit_status"]))')" \
	"nothing affected"

# 5. ctest.
command -v cmake >/dev/null && command -v ctest >/dev/null && command -v cc >/dev/null ||
	{ ft_log "no cmake/ctest/cc: the ctest part is skipped"; exit 0; }
mkdir -p "$FT_SCRATCH/ct" && cp -a "$FTRACE_SOURCE_DIR/fixtures/ctest-basic/." "$FT_SCRATCH/ct/"
cd "$FT_SCRATCH/ct"
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm c
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
ft_settle
(cd build && ft test -- ctest) >/dev/null 2>&1 || ft_fail "ctest: the first test exited $?"
echo changed >>data/beta.txt
ft_settle
(cd build && ft test --report "$FT_SCRATCH/c1.json" -- ctest) >/dev/null 2>&1 || ft_fail "ctest: beta's test exited $?"
assert_eq "beta:content changed:$PWD/data/beta.txt beta:passed:runner 3 1 1" \
	"$(rep "$FT_SCRATCH/c1.json" '" ".join(t["id"] + ":" + t["reasons"][0]["change"] + ":" + t["reasons"][0]["path"] for t in r["selection"]["tests"]) + " " + " ".join(t["id"] + ":" + t["outcome"] + ":" + t["duration_source"] for t in r["tests"]) + " %d %d %d" % (r["counts"]["known"], r["counts"]["selected"], r["counts"]["run"])')" \
	"ctest: beta selected by its data file, run, timed by ctest"
