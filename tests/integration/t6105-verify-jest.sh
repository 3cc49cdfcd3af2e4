#!/usr/bin/env bash
# t6105-verify-jest.sh - `ftrace verify -- npx jest`: each jest test file is
# judged by its own outcome, which the adapter (adapters/jest) reports in
# its end mark from jest's result for the file (docs/jest.md, "Outcome"),
# not by the run's status.  fixtures/jest-basic plus test/remote.test.js,
# which reads a file through an HTTP server started outside ftrace
# (lib-verify.sh), so that ftrace is blind to it.
#
# Issue 27 read jest's files as taking the run's status (one failing file
# made every file "failed", and `verify` could not judge them): this pins
# down that they do not, with jest's workers (-w 2) and in band (-i).
#  1. one file broken by a change ftrace sees: that file alone is recorded
#     failed (the report's tests, `ftrace stats`), a plain failure; the
#     other files passed by their own outcome, so nothing "cannot be
#     judged";
#     Each file's duration is jest's own (perfStats.runtime, reported with
#     the outcome in the end mark), source "runner" (docs/usage.md,
#     "Durations"), whole ms;
#  2. the served file broken: 99, remote.test.js the one escape, judged by
#     its own outcome (not escapes_by_run_status), and learned flaky
#     (nothing it read changed); recorded again passing, the flip back is
#     counted, which needs its stored failure to be its own.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
. "$(dirname "$0")/lib-jest.sh"

ft_jest_fixture
mkdir "$FT_SCRATCH/served"
echo ok >"$FT_SCRATCH/served/flag"
ft_blind_server "$FT_SCRATCH/served"
ft_js_remote_test test/remote.test.js "" "expect(body).toBe('ok\\n')"
echo '{}' >.ftrace.json

# jest runs in band when its timing cache says the tests are fast: removed
# before each workers run (t8041)
JEST_W=(npx jest --cacheDirectory="$JEST_CACHE" -w 2)
JEST_I=(npx jest --cacheDirectory="$JEST_CACHE" -i)
fverify_w() { rm -f "$JEST_CACHE"/perf-cache-*; fverify "$1" "${JEST_W[@]}"; }

# outcomes: "id:outcome ..." of the report's tests, sorted
outcomes() { report_get '" ".join(sorted("%s:%s" % (t["id"], t["outcome"]) for t in r["tests"]))'; }
# durations WHAT: every file's duration is jest's own, in whole ms
durations() {
	assert_eq "runner True" \
		"$(report_get '"%s %s" % (" ".join(sorted(set(t["duration_source"] for t in r["tests"]))), all(isinstance(t["duration_ns"], int) and t["duration_ns"] % 1000000 == 0 for t in r["tests"]))')" \
		"$1: durations"
}
flaky_of() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"])))' \
		"$FT_SCRATCH/flaky.json"
}

ALL_PASS="test/a.test.js:passed test/b.test.js:passed test/c.test.js:passed test/d.test.js:passed test/remote.test.js:passed"
A_FAILS="test/a.test.js:failed test/b.test.js:passed test/c.test.js:passed test/d.test.js:passed test/remote.test.js:passed"

# 0. No recording: no verdict (2).  Then nothing changed: 0.
fverify_w 2
fverify_w 0
verify_counts "5 known, 0 selected, 5 run, 0 failed, 0 escapes$"
assert_eq "$ALL_PASS" "$(outcomes)" "nothing changed: every file passed"
durations "workers"

# 1. A change ftrace sees breaks a.test.js (twice(2) is no longer 4): with
# workers, then in band.  a alone failed; the others are judged.
for mode in w i; do
	ft_edit lib/only_a.js "add(x, x)" "add(x, 1)"
	if [ $mode = w ]; then fverify_w 1; else fverify 1 "${JEST_I[@]}"; fi
	verify_counts "5 known, 1 selected, 5 run, 1 failed, 0 escapes$"
	grep -qx "ftrace: verify: failed (selected): test/a.test.js" "$FT_SCRATCH/verify.err" ||
		ft_fail "-$mode: a is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
	grep -q "cannot judge" "$FT_SCRATCH/verify.err" &&
		ft_fail "-$mode: a file that passed cannot be judged: $(cat "$FT_SCRATCH/verify.err")"
	assert_eq "$A_FAILS" "$(outcomes)" "-$mode: only a.test.js recorded failed"
	durations "-$mode"
	assert_eq "[] False" \
		"$(report_get '"%s %s" % (sorted(u["id"] for u in r["unjudged"]), r["escapes_by_run_status"])')" \
		"-$mode: report: unjudged"
	verify_report_valid
	grep -q "last outcomes: *4 passed, 1 failed, 0 error" <<<"$(ft stats)" ||
		ft_fail "-$mode: stats: $(ft stats)"
	ft_back lib/only_a.js
	fverify_w 0
done
assert_eq "" "$(flaky_of)" "a's failures came with a change: not flaky"

# 2. The blind dependency: nothing is selected and the run fails; the
# remote file failed by its own outcome, the others passed: one escape.
echo broken >"$FT_SCRATCH/served/flag"
fverify_w 99
verify_counts "5 known, 0 selected, 5 run, 1 failed, 1 escape"
grep -q "ESCAPE: test 'test/remote.test.js' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "the escape is not named: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ESCAPE: test 'test/[abcd].test.js'" "$FT_SCRATCH/verify.err" &&
	ft_fail "a file that passed is an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "False 1 0 test/remote.test.js" \
	"$(report_get '"%s %d %d %s" % (r["escapes_by_run_status"], len(r["escapes"]), len(r["unjudged"]), r["escapes"][0]["id"])')" \
	"report: one escape, judged by its own outcome"
verify_report_valid
assert_eq "test/remote.test.js 1 passed failed" "$(flaky_of)" "remote learned flaky, alone"

# the flip back: counted, its stored failure being its own
echo ok >"$FT_SCRATCH/served/flag"
rm -f "$JEST_CACHE"/perf-cache-*
ft_jest_record 0 -w 2
assert_eq "test/remote.test.js 2 failed passed" "$(flaky_of)" "remote's flip back counted"
