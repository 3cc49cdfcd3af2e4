#!/usr/bin/env bash
# Flaky go packages learned across a cold and a warm build cache (issue
# 27).  The case that broke: a package whose outcome flipped between a
# recording made with an empty GOCACHE and the next one (warm) was never
# learned flaky.  The cold build reads the content (and lists the
# directories) of GOROOT files that the warm one only stats: the go
# command indexes each standard package's files once, into its cache, and
# a warm go reads the index instead.  The rule then compared a path both
# recordings saw with a content state on one side only, and called it a
# change.  Now a content or listing state only one recording has, of a
# path both saw as the same type (docs/internals.md, "Flaky tests"), is
# no difference.
# fixtures/go-mod plus a package `coin` whose test fails when a counter
# file in a temp dir outside the repository says so (as t6114), and a
# package `dial` whose test fails when its repository file
# dial/testdata/mode.txt says "fail".
#  1. cold (a fresh GOCACHE): all pass;
#  2. warm (the same GOCACHE): coin fails: learned, alone;
#  3. cold again (another fresh GOCACHE), after an edit of dial's
#     mode.txt: coin passes (learned again: warm -> cold), dial fails, but
#     what it read changed: not learned.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-go.sh"

ft_need_go
ft_fixture go-mod
printf '.ftrace/\n' >.gitignore
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; chmod -R u+w "$FLAKY_DIR" 2>/dev/null; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
echo 0 >"$FLAKY_COUNTER"
mkdir dial dial/testdata
ft_go_coin
cat >dial/dial_test.go <<'GO'
package dial

import (
	"os"
	"strings"
	"testing"
)

func TestDial(t *testing.T) {
	b, err := os.ReadFile("testdata/mode.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(b)) == "fail" {
		t.Fatal("mode.txt says fail")
	}
}
GO
echo pass >dial/testdata/mode.txt
echo '{}' >.ftrace.json
git add -A && git -c user.email=t@t -c user.name=t commit -qm 'coin and dial'
ft_settle
# A build cache of its own per cold recording, outside the repository
# (Go's cache files are not dependencies wherever they are: docs/go.md).
cold_cache() {
	GOCACHE=$(mktemp -d "$FLAKY_DIR/gocache.XXXXXX")
	export GOCACHE
}
K=example.com/gomod/coin D=example.com/gomod/dial

run_go() {
	local rc=0
	ft run -- go test ./... >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" >&2;
		ft_fail "ftrace run -- go test ./... exited $rc, expected $1"; }
}
flaky_rows() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1]))
print(" ".join("%s:%s:%s:%s" % (t["name"], t["count"], t["last_from"], t["last_to"]) for t in r["tests"]))' \
		"$FT_SCRATCH/flaky.json"
}

# 1. cold
cold_cache
run_go 0
grep -q "recorded 5 tests" "$FT_SCRATCH/run.err" || ft_fail "expected 5 tests: $(cat "$FT_SCRATCH/run.err")"
assert_eq "" "$(flaky_rows)" "nothing flaky yet"

# 2. warm: coin fails (counter 1), and nothing it read changed
run_go 1
grep -q -- "--- FAIL: TestCoin" "$FT_SCRATCH/run.out" || ft_fail "coin did not fail: $(cat "$FT_SCRATCH/run.out")"
grep -q "learned 1 flaky test .*: $K;" "$FT_SCRATCH/run.err" ||
	ft_fail "a flip from a cold to a warm cache is not learned: $(cat "$FT_SCRATCH/run.err")"
assert_eq "$K:1:passed:failed" "$(flaky_rows)" "coin learned, alone"

# 3. cold again, with a real change: dial's mode.txt, which its test
# reads, now makes it fail.  coin flips back (learned: warm -> cold);
# dial's flip is explained by the edit, not learned.
echo fail >dial/testdata/mode.txt
ft_settle
cold_cache
run_go 1
grep -q -- "--- FAIL: TestDial" "$FT_SCRATCH/run.out" || ft_fail "dial did not fail: $(cat "$FT_SCRATCH/run.out")"
assert_eq "$K:2:failed:passed" "$(flaky_rows)" \
	"coin counted again (warm to cold), dial's flip with its input changed not learned"
