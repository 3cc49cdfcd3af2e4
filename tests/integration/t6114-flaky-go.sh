#!/usr/bin/env bash
# Flaky tests with `go test`, whose test is a package (docs/go.md: one
# test per package, named by its import path; go's test functions are not
# split).  go test says only the run's status, but each package's test
# binary is a process of its own, a child of the static go command: the
# ptrace back end's EXIT record (`self`, docs/ptrace.md) is its outcome.
# fixtures/go-mod plus a package `coin` whose test fails when a counter
# file in a temp dir outside the repository (scratch for ingest) says so.
# Recorded three times with the same tree: passed, failed (learned: coin
# alone; calc and report passed by their own status; the build-only
# tools/lonely takes the go command's status, guessed, and is neither a
# flip nor a clean run), passed (counted again: failed -> passed, which
# needs the stored failure to be coin's own).  Then, known flaky, coin is
# selected in `ftrace verify` and its failure there is a plain failure,
# not an escape.  Without the exit records (exit_is_outcome off for go)
# every package of the failed run is failed by the run's status and
# nothing is learned.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
printf '.gocache/\n.ftrace/\n' >.gitignore
export GOCACHE=$PWD/.gocache
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
echo 0 >"$FLAKY_COUNTER"
ft_go_coin
echo '{}' >.ftrace.json
# A warm build cache, so that this test is about exit statuses alone: a
# cold build reads more of GOROOT (the content of files that a warm one
# only stats), which the flaky rule tolerates (t6115 tests that).
go test -count=1 -run '^$' ./... >"$FT_SCRATCH/warm.out" 2>&1 ||
	ft_fail "go test does not build: $(cat "$FT_SCRATCH/warm.out")"
ft_settle
C=example.com/gomod/calc R=example.com/gomod/report K=example.com/gomod/coin
L=example.com/gomod/tools/lonely

run_go() {
	local rc=0
	ft run -- go test ./... >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" >&2;
		ft_fail "ftrace run -- go test ./... exited $rc, expected $1"; }
}
flaky_json() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/flaky.json" "$1"
}
flaky_row='" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"]))'

run_go 0
grep -q "recorded 4 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 4 tests: $(cat "$FT_SCRATCH/run.err")"
assert_eq "[]" "$(flaky_json 'r["tests"]')" "nothing flaky yet"

# coin fails (counter 1): go test's own 1; coin alone is learned
run_go 1
grep -q -- "--- FAIL: TestCoin" "$FT_SCRATCH/run.out" || ft_fail "coin did not fail: $(cat "$FT_SCRATCH/run.out")"
grep -q "learned 1 flaky test .*: $K;" "$FT_SCRATCH/run.err" ||
	ft_fail "not learned: $(cat "$FT_SCRATCH/run.err")"
assert_eq "$K 1 passed failed" "$(flaky_json "$flaky_row")" "coin learned, alone"

run_go 0
assert_eq "$K 2 failed passed" "$(flaky_json "$flaky_row")" \
	"coin's flip back counted: its stored failure was its own"
ft flaky >"$FT_SCRATCH/flaky.txt" || ft_fail "ftrace flaky exited $?"
grep -q "^$K	2 times" "$FT_SCRATCH/flaky.txt" || ft_fail "ftrace flaky does not list coin: $(cat "$FT_SCRATCH/flaky.txt")"

# Known flaky, coin is always selected: failing again in verify (counter
# 11), it is a selected test that failed, not an escape; the other
# packages passed by their own status.  The build-only tools/lonely has
# no process of its own: it takes the go command's failure (guessed), so
# it cannot be judged, and it is no escape.
echo 11 >"$FLAKY_COUNTER"
fverify 1 go test ./...
verify_counts "4 known, 1 selected, 4 run, 2 failed, 0 escapes, 1 cannot be judged$"
grep -qx "ftrace: verify: cannot judge (not selected): $L: .*" "$FT_SCRATCH/verify.err" ||
	ft_fail "lonely is not the one unjudged: $(cat "$FT_SCRATCH/verify.err")"
grep -qx "ftrace: verify: failed (selected): $K" "$FT_SCRATCH/verify.err" ||
	ft_fail "coin is not a plain failure: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "$C:passed $K:failed $R:passed $L:failed" \
	"$(report_get '" ".join("%s:%s" % (t["id"], t["outcome"]) for t in sorted(r["tests"], key=lambda t: t["id"]))')" \
	"report: each package's outcome"
