#!/usr/bin/env bash
# `ftrace verify -- node --test`: the three cases of t6100 with a third
# runner (issue 27 asks for pytest and at least two others).
# fixtures/node-basic plus a test file `remote.test.js` that reads a file
# through an HTTP server started outside ftrace (lib-verify.sh), so that
# ftrace is blind to it.  Nothing changed: 0.  A data file of a test
# broken: node's own 1, a plain failure, and the other files, whose
# failure is only the run's status, cannot be judged.  The served file
# changed: 99, the remote test named, in the report too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v node >/dev/null || ft_skip "node not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"

ft_fixture node-basic
mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
cat >test/remote.test.js <<JS
const test = require('node:test');
const assert = require('node:assert');
const http = require('node:http');
test('remote flag', async () => {
	const body = await new Promise((resolve, reject) => {
		http.get('http://127.0.0.1:$BLIND_PORT/flag', (res) => {
			let s = '';
			res.on('data', (d) => { s += d; });
			res.on('end', () => resolve(s));
		}).on('error', reject);
	});
	assert.strictEqual(body, 'ok\n');
});
JS
node --test >/dev/null 2>&1 || ft_fail "the suite does not pass before ftrace"

# 0. No recording: everything runs and is recorded; no verdict: 2.
fverify 2 node --test
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
fverify 0 node --test
verify_counts "4 known, 0 selected, 4 run, 0 failed, 0 escapes$"

# 2. A selected test broken: node's own 1, no escape.  node --test says
# only the run's status, so the other files' failure is the run's: with
# a selected test failing too, they cannot be judged (not escapes).
ft_change data/b.txt
fverify 1 node --test
verify_counts "4 known, 1 selected, 4 run, 4 failed, 0 escapes, 3 cannot be judged$"
grep -qx "ftrace: verify: failed (selected): test/b.test.js" "$FT_SCRATCH/verify.err" ||
	ft_fail "b is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
for f in a c remote; do
	grep -q "^ftrace: verify: cannot judge (not selected): test/$f.test.js: " "$FT_SCRATCH/verify.err" ||
		ft_fail "$f is not 'cannot judge': $(cat "$FT_SCRATCH/verify.err")"
done
assert_eq "['test/a.test.js', 'test/c.test.js', 'test/remote.test.js'] False" \
	"$(report_get '"%s %s" % (sorted(u["id"] for u in r["unjudged"]), r["escapes_by_run_status"])')" "report: unjudged"
"$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict \
	"$FTRACE_SOURCE_DIR/docs/schema/verify-report.schema.json" "$FT_SCRATCH/report.json" ||
	ft_fail "the report does not match its schema: $(cat "$FT_SCRATCH/report.json")"
ft_revert data/b.txt
fverify 0 node --test

# 3. The blind dependency.  Nothing is selected and the run fails: the
# failure came from a test left out, so it is an escape (99), though the
# runner cannot say which: every failed file counts, remote among them.
echo broken >"$FT_SCRATCH/served/flag"
fverify 99 node --test
verify_counts "4 known, 0 selected, 4 run, 4 failed, 4 escapes: exit 99$"
grep -q "ESCAPE: test 'test/remote.test.js' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "^ftrace: verify: the run failed, no selected test failed, and the runner reports only the run's status" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escapes by status are not explained: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "True 4 0" "$(report_get '"%s %d %d" % (r["escapes_by_run_status"], len(r["escapes"]), len(r["unjudged"]))')" \
	"report: escapes by the run's status"
"$FT_PYTHON" "$FTRACE_SOURCE_DIR/tests/tools/ftt_jsonschema.py" --strict \
	"$FTRACE_SOURCE_DIR/docs/schema/verify-report.schema.json" "$FT_SCRATCH/report.json" ||
	ft_fail "the report does not match its schema: $(cat "$FT_SCRATCH/report.json")"
