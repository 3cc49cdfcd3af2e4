#!/usr/bin/env bash
# Flaky tests with pytest (docs/usage.md, "Flaky tests"): a test whose
# outcome depends on a counter file outside the repository, in a temp
# dir ingest treats as scratch (so its change is no dependency change),
# recorded again with the same tree.  The second recording learns it
# (`ftrace flaky` lists it), `ftrace affected` then always selects it with
# the reason "flaky" (not with "flaky": {"select": false}), a flip that a
# change of what the test read explains is not flakiness, and the mark
# decays after the configured clean runs.  Bad usage is 64.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

# the counter: under a temp dir, not under the scratch dir that holds
# the repository (that one is no scratch for ingest); named to the test
# through the environment, which ftrace does not record
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
echo 0 >"$FLAKY_COUNTER"
cat >tests/test_flaky.py <<'PY'
import os


def test_flaky():
    path = os.environ["FLAKY_COUNTER"]
    with open(path) as f:
        n = int(f.read())
    with open(path, "w") as f:
        f.write("%d\n" % (n + 1))
    assert n % 10 != 1, "the counter's runs 1, 11, 21... fail"
PY
FLAKY=tests/test_flaky.py::test_flaky
# .ftrace.json from the start: its edits below then change no listing
echo '{}' >.ftrace.json
ft_settle

# run_pytest WANT_STATUS: `ftrace run -- python -m pytest -q`, stderr kept
run_pytest() {
	local rc=0
	ft run -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" >&2;
		ft_fail "ftrace run -- pytest exited $rc, expected $1"; }
}
# flaky_json EXPR: a Python expression over `ftrace flaky --json` (as r)
flaky_json() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/flaky.json" "$1"
}

# 1. First recording: every test passes; nothing is flaky.
run_pytest 0
assert_eq "" "$(ft flaky)" "nothing flaky after one recording"
assert_eq "[]" "$(flaky_json 'r["tests"]')" "json: nothing flaky"
assert_set "" "$(affected)" "nothing changed"

# 2. The same tree again: test_flaky fails, nothing it read changed: it is
# learned, and `ftrace run` says so.
run_pytest 1
grep -q "learned 1 flaky test .*: $FLAKY; \`ftrace flaky\` lists them" "$FT_SCRATCH/run.err" ||
	ft_fail "ftrace run does not say it learned a flaky test: $(cat "$FT_SCRATCH/run.err")"
ft flaky >"$FT_SCRATCH/flaky.txt"
grep -Eq "^$FLAKY	1 time, last [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z \(passed -> failed\), 0 clean runs since$" \
	"$FT_SCRATCH/flaky.txt" || ft_fail "ftrace flaky: $(cat "$FT_SCRATCH/flaky.txt")"
assert_eq "$FLAKY 1 passed failed 0 True 5" \
	"$(flaky_json '" ".join(str(x) for x in (r["tests"][0]["name"], r["tests"][0]["count"], r["tests"][0]["last_from"], r["tests"][0]["last_to"], r["tests"][0]["clean"], r["select"], r["decay"]))')" \
	"json: learned"
now=$(date +%s)
last=$(flaky_json 'r["tests"][0]["last_ns"] // 10**9')
[ $((now - last)) -ge 0 ] && [ $((now - last)) -lt 600 ] || ft_fail "last time $last is not about now ($now)"

# 3. It passes again (counted twice now) and, passed last time, is selected
# as flaky alone: reason "flaky" in --format json and --explain.
run_pytest 0
assert_eq "2 failed passed" "$(flaky_json '" ".join(str(x) for x in (r["tests"][0]["count"], r["tests"][0]["last_from"], r["tests"][0]["last_to"]))')" \
	"json: learned twice"
assert_set "$FLAKY" "$(affected)" "a flaky test is always selected"
assert_eq "flaky history" \
	"$(ft affected --format json | "$FT_PYTHON" -c 'import json,sys; t=json.load(sys.stdin)["tests"]; assert len(t) == 1, t; print(t[0]["reasons"][0]["change"], t[0]["reasons"][0]["kind"])')" \
	"json reason"
grep -qx "    flaky" <<<"$(ft affected --explain)" || ft_fail "--explain does not say flaky: $(ft affected --explain)"
# `ftrace test` runs it (the same pipeline): a clean run (passed again)
ft test -- "$FT_PYTHON" -m pytest -q >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" ||
	ft_fail "ftrace test exited $?: $(cat "$FT_SCRATCH/test.out" "$FT_SCRATCH/test.err")"
grep -q "^1 passed, 12 deselected" "$FT_SCRATCH/test.out" ||
	ft_fail "ftrace test did not run the flaky test alone: $(cat "$FT_SCRATCH/test.out")"
assert_eq "1" "$(flaky_json 'r["tests"][0]["clean"]')" "ftrace test's run was clean"
# a test selected for its own reasons gets "flaky" too
cp tests/test_flaky.py "$FT_SCRATCH/test_flaky.py"
echo "# edited" >>tests/test_flaky.py
ft_settle
assert_eq "content changed flaky" \
	"$(ft affected --format json | "$FT_PYTHON" -c 'import json,sys; t=json.load(sys.stdin)["tests"]; print(" ".join(r["change"] for r in t[0]["reasons"]))')" \
	"a flaky test selected by a change"
cp "$FT_SCRATCH/test_flaky.py" tests/test_flaky.py
ft_settle
assert_set "$FLAKY" "$(affected)" "the edit undone"

# 4. "select": false: not selected for being flaky.
echo '{"flaky": {"select": false}}' >.ftrace.json
ft_settle
assert_set "" "$(affected)" "flaky.select false"
assert_eq "False" "$(flaky_json 'r["select"]')" "json: select false"

# 5. A flip that a change explains is no flakiness: test_mul fails after an
# edit of what it reads, and is not learned.
sed -i 's/return a \* b/return a * b + 1/' calc/arith.py
ft_settle
run_pytest 1
assert_eq "$FLAKY" "$(flaky_json '" ".join(t["name"] for t in r["tests"])')" "a real change learns nothing"
revert calc/arith.py
ft_settle

# 6. Decay: after "decay" clean runs (outcome unchanged) the mark is gone.
# (`ftrace test`'s run and run 5 were clean for test_flaky.)
echo '{"flaky": {"decay": 4}}' >.ftrace.json
ft_settle
assert_eq "2" "$(flaky_json 'r["tests"][0]["clean"]')" "two clean runs"
run_pytest 0
assert_eq "3" "$(flaky_json 'r["tests"][0]["clean"]')" "three clean runs"
assert_set "$FLAKY" "$(affected)" "still flaky"
run_pytest 0
assert_eq "[]" "$(flaky_json 'r["tests"]')" "decayed after 4 clean runs"
ft flaky 2>"$FT_SCRATCH/flaky.err" >/dev/null
grep -q "no flaky test known" "$FT_SCRATCH/flaky.err" || ft_fail "no 'none' note"
assert_set "" "$(affected)" "no longer selected"

# 7. Usage.
assert_status 0 ft flaky --help
grep -q "exit status: 0" <<<"$(ft flaky --help)" || ft_fail "--help lacks the exit status"
assert_status 64 ft flaky --bogus
assert_status 64 ft flaky extra
echo '{"flaky": {"decay": -1}}' >.ftrace.json
assert_status 78 ft flaky
grep -q "^  flaky " <<<"$(ft --help)" || ft_fail "ftrace --help does not list flaky"
