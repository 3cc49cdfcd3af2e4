#!/usr/bin/env bash
# Flaky tests with node --test, a runner that says only the run's status:
# each file's own process status (FT_REC_EXIT) is its outcome, so a flip
# of one file is learned.  fixtures/node-basic plus test/coin.test.js,
# whose outcome depends on a counter file in a temp dir outside the
# repository (scratch for ingest).  Recorded three times with the same
# tree: passed, failed (learned: coin alone, the other files passed by
# their own status), passed (counted again: failed -> passed, which needs
# the stored failure to be coin's own, not the run's).  Before the exit
# records every file of the failed run was failed by the run's status and
# nothing was learned.
. "$(dirname "$0")/lib.sh"

command -v node >/dev/null || ft_skip "node not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"

ft_fixture node-basic
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
echo 0 >"$FLAKY_COUNTER"
cat >test/coin.test.js <<'JS'
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
test('coin', () => {
	const p = process.env.FLAKY_COUNTER, n = Number(fs.readFileSync(p, 'utf8'));
	fs.writeFileSync(p, String(n + 1));
	assert.notStrictEqual(n % 10, 1);
});
JS
echo '{}' >.ftrace.json
ft_settle

run_node() {
	local rc=0
	ft run -- node --test >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" >&2;
		ft_fail "ftrace run -- node --test exited $rc, expected $1"; }
}
flaky_json() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/flaky.json" "$1"
}

run_node 0
assert_eq "[]" "$(flaky_json 'r["tests"]')" "nothing flaky yet"
run_node 1
grep -q "learned 1 flaky test .*: test/coin.test.js;" "$FT_SCRATCH/run.err" ||
	ft_fail "not learned: $(cat "$FT_SCRATCH/run.err")"
assert_eq "test/coin.test.js 1 passed failed" \
	"$(flaky_json '" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"]))')" \
	"coin learned, alone"
run_node 0
assert_eq "test/coin.test.js 2 failed passed" \
	"$(flaky_json '" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"]))')" \
	"coin's flip back counted: its stored failure was its own"
