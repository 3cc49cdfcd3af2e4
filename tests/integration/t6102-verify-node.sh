#!/usr/bin/env bash
# `ftrace verify -- node --test`: the three cases of t6100 with a third
# runner (issue 27 asks for pytest and at least two others).
# fixtures/node-basic plus a test file `remote.test.js` that reads a file
# through an HTTP server started outside ftrace (lib-verify.sh), so that
# ftrace is blind to it.  Nothing changed: 0.  A data file of a test
# broken: node's own 1, a plain failure; the other files passed, as their
# own processes' exit statuses say (FT_REC_EXIT), so they are judged
# exactly: no "cannot judge".  Before the statuses, every file of a failed
# node run was failed by the run's status and could not be judged.  The
# served file changed: 99, the remote test named, and it alone: the other
# files are known to have passed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

command -v node >/dev/null || ft_skip "node not installed"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || ft_skip "node older than 20"

ft_fixture node-basic
mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
ft_js_remote_test test/remote.test.js "const test = require('node:test');
const assert = require('node:assert');" "assert.strictEqual(body, 'ok\\n')"
node --test >/dev/null 2>&1 || ft_fail "the suite does not pass before ftrace"

# 0. No recording: everything runs and is recorded; no verdict: 2.
fverify 2 node --test
grep -q "no verdict: cannot tell" "$FT_SCRATCH/verify.err" || ft_fail "no 'no verdict': $(cat "$FT_SCRATCH/verify.err")"

# 1. Nothing changed.
fverify 0 node --test
verify_counts "4 known, 0 selected, 4 run, 0 failed, 0 escapes$"

# 2. A selected test broken: node's own 1, no escape.  node --test says
# only the run's status, but each file's process says its own (its exit
# status, as node reaped it): b alone failed, the others are judged.
ft_change data/b.txt
fverify 1 node --test
verify_counts "4 known, 1 selected, 4 run, 1 failed, 0 escapes$"
grep -qx "ftrace: verify: failed (selected): test/b.test.js" "$FT_SCRATCH/verify.err" ||
	ft_fail "b is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
grep -q "cannot judge" "$FT_SCRATCH/verify.err" &&
	ft_fail "a file that passed cannot be judged: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "[] False" \
	"$(report_get '"%s %s" % (sorted(u["id"] for u in r["unjudged"]), r["escapes_by_run_status"])')" "report: unjudged"
verify_report_valid
ft_revert data/b.txt
fverify 0 node --test

# 3. The blind dependency.  Nothing is selected and the run fails: the
# failure came from a test left out, so it is an escape (99); the remote
# file's process failed, the others passed, so it is the one escape.
echo broken >"$FT_SCRATCH/served/flag"
fverify 99 node --test
verify_counts "4 known, 0 selected, 4 run, 1 failed, 1 escape"
grep -q "ESCAPE: test 'test/remote.test.js' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ESCAPE: test 'test/[abc].test.js'" "$FT_SCRATCH/verify.err" &&
	ft_fail "a file that passed is an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "False 1 0 test/remote.test.js" \
	"$(report_get '"%s %d %d %s" % (r["escapes_by_run_status"], len(r["escapes"]), len(r["unjudged"]), r["escapes"][0]["id"])')" \
	"report: one escape, judged by its own status"
verify_report_valid
