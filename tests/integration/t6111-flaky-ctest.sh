#!/usr/bin/env bash
# Flaky tests with ctest, and in `ftrace verify`.  fixtures/ctest-basic
# plus `coin`, whose outcome depends on a counter file in a temp dir
# outside the repository (scratch for ingest), and `coin2`, which fails
# when a mode file there says so.  Recorded twice with the same tree,
# `coin` is learned flaky and selected with the reason flaky.  In verify,
# with "flaky": {"select": false}: `coin`, known flaky and not selected,
# flips: reported as flaky, not an escape (ctest's own 8).  `coin2` flips
# for the first time: ftrace learns it flaky in that run, but it stays an
# escape (99): one flip with nothing recorded changing is what a
# dependency ftrace cannot see looks like (t6100); the report says it was
# learned.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"

command -v cmake >/dev/null && command -v ctest >/dev/null || ft_skip "cmake/ctest not installed"
command -v cc >/dev/null || ft_skip "no C compiler"

ft_fixture ctest-basic
VERIFY_TOP=$PWD
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter FLAKY_MODE=$FLAKY_DIR/ftflaky-mode
echo 0 >"$FLAKY_COUNTER"
echo pass >"$FLAKY_MODE"
cat >>CMakeLists.txt <<CMAKE
add_test(NAME coin COMMAND "$FT_PYTHON" -c
	"import os, sys; p = os.environ['FLAKY_COUNTER']; n = int(open(p).read()); open(p, 'w').write(str(n + 1)); sys.exit(n % 10 == 1)")
add_test(NAME coin2 COMMAND "$FT_PYTHON" -c
	"import os, sys; sys.exit(open(os.environ['FLAKY_MODE']).read().strip() == 'fail')")
CMAKE
echo '{}' >.ftrace.json
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cmake --build build >/dev/null || ft_fail "build failed"
cd build
ft_settle

run_ctest() {
	local rc=0
	ft run -- ctest >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
	[ "$rc" -eq "$1" ] || { cat "$FT_SCRATCH/run.out" "$FT_SCRATCH/run.err" >&2;
		ft_fail "ftrace run -- ctest exited $rc, expected $1"; }
}
flaky_json() {
	ft flaky --json >"$FT_SCRATCH/flaky.json" || ft_fail "ftrace flaky --json exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/flaky.json" "$1"
}

# 1-3. Learned on the second recording (coin fails), counted again on the
# third (it passes), then selected as flaky alone.
run_ctest 0
assert_eq "[]" "$(flaky_json 'r["tests"]')" "nothing flaky yet"
run_ctest 8
grep -q "learned 1 flaky test .*: coin;" "$FT_SCRATCH/run.err" ||
	ft_fail "not learned: $(cat "$FT_SCRATCH/run.err")"
assert_eq "coin 1 passed failed" \
	"$(flaky_json '" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"]))')" \
	"coin learned"
run_ctest 0
assert_eq "coin 2 failed passed" \
	"$(flaky_json '" ".join(str(x) for t in r["tests"] for x in (t["name"], t["count"], t["last_from"], t["last_to"]))')" \
	"coin learned twice"
assert_eq '^(coin)$' "$(ft affected --format ctest)" "coin selected"
assert_eq "coin flaky" \
	"$(ft affected --format json | "$FT_PYTHON" -c 'import json,sys; t=json.load(sys.stdin)["tests"]; print(" ".join((x["id"] + " " + x["reasons"][0]["change"]) for x in t))')" \
	"selected with the reason flaky"

# 4. verify, flaky tests not selected: coin flips (the counter's 11th run
# fails): flaky, not an escape: ctest's own 8.
echo '{"flaky": {"select": false}}' >../.ftrace.json
echo 11 >"$FLAKY_COUNTER"
fverify 8 ctest
verify_counts "5 known, 0 selected, 5 run, 1 failed, 0 escapes, 1 flaky (not escapes)$"
grep -qx "ftrace: verify: flaky (known flaky, not selected, not an escape): coin (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "coin is not reported flaky: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ESCAPE" "$FT_SCRATCH/verify.err" && ft_fail "an escape: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "coin passed failed True False 0 1" \
	"$(report_get '" ".join(str(x) for x in (r["flaky"][0]["id"], r["flaky"][0]["recorded"], r["flaky"][0]["now"], r["flaky"][0]["known"], r["flaky"][0]["escape"], r["counts"]["escapes"], r["counts"]["flaky"]))')" \
	"report: coin flaky"

# 5. coin passes again (selected: it failed last time), and coin2 fails
# for the first time, not selected: learned flaky by this run, still an
# escape, and the paragraph says it was learned.
echo fail >"$FLAKY_MODE"
fverify 99 ctest
verify_counts "5 known, 1 selected, 5 run, 1 failed, 1 escape: exit 99$"
grep -q "ESCAPE: test 'coin2' was not selected, but it fails now (recorded: passed, now: failed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "coin2 is not an escape: $(cat "$FT_SCRATCH/verify.err")"
grep -q "ftrace learned it flaky in this run" "$FT_SCRATCH/verify.err" ||
	ft_fail "the escape does not say it was learned flaky: $(cat "$FT_SCRATCH/verify.err")"
grep -qx "ftrace: verify: learned flaky: coin (recorded: failed, now: passed; nothing it read changed)" \
	"$FT_SCRATCH/verify.err" || ft_fail "coin (selected) is not said learned: $(cat "$FT_SCRATCH/verify.err")"
assert_eq "coin:False:False coin2:True:True" \
	"$(report_get '" ".join("%s:%s:%s" % (f["id"], f["learned"] and f["escape"], f["escape"]) for f in sorted(r["flaky"], key=lambda f: f["id"]))')" \
	"report: coin learned and selected, coin2 learned and an escape"
assert_eq "coin coin2" "$(flaky_json '" ".join(t["name"] for t in r["tests"])')" "both flaky now"

# 6. coin2 passes again: selected (it failed last time), no escape.
echo pass >"$FLAKY_MODE"
fverify 0 ctest
verify_counts "5 known, 1 selected, 5 run, 0 failed, 0 escapes$"
