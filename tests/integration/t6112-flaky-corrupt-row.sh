#!/usr/bin/env bash
# A flaky row whose checksum does not match (edited with the sqlite3 CLI,
# as a flipped bit would leave it): `ftrace flaky` and `ftrace affected`
# exit 2 naming the table and the test, `ftrace verify` has
# no verdict, and `ftrace run` does not save over it (a corrupt row is
# never written back with a fresh checksum).  The flaky test here is a
# named command whose outcome depends on a counter file in a temp dir
# outside the repository.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-verify.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"

ft_fixture cmd-common
FLAKY_DIR=$(mktemp -d "${TMPDIR:-/tmp}/ftflaky.XXXXXX")
trap 'ft__rc=$?; rm -rf "$FLAKY_DIR"; (exit $ft__rc); ft__cleanup' EXIT
export FLAKY_COUNTER=$FLAKY_DIR/ftflaky-counter
echo 0 >"$FLAKY_COUNTER"
COIN=(sh -c 'n=$(cat "$FLAKY_COUNTER"); echo $((n + 1)) >"$FLAKY_COUNTER"; [ $((n % 10)) -ne 1 ]')
ft_settle

assert_status 0 ft run -q --name coin -- "${COIN[@]}"
assert_status 1 ft run -q --name coin -- "${COIN[@]}" 2>"$FT_SCRATCH/run.err"
grep -q "learned 1 flaky test .*: coin;" "$FT_SCRATCH/run.err" ||
	ft_fail "the named command is not learned flaky: $(cat "$FT_SCRATCH/run.err")"
assert_status 0 ft run -q --name coin -- "${COIN[@]}"
assert_eq "coin" "$(ft affected)" "selected as flaky"
grep -q "^coin	2 times, " <<<"$(ft flaky)" || ft_fail "ftrace flaky: $(ft flaky)"

sqlite3 .ftrace/ftrace.db "UPDATE flaky SET clean = clean + 1 WHERE name = 'coin'"
want="database is corrupt: flaky coin (checksum mismatch"
rc=0; ft flaky >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq "2" "$rc" "ftrace flaky on a corrupt row"
grep -q "$want" "$FT_SCRATCH/err" || ft_fail "ftrace flaky: $(cat "$FT_SCRATCH/err")"
assert_eq "" "$(cat "$FT_SCRATCH/out")" "nothing listed"
rc=0; ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq "2" "$rc" "ftrace affected on a corrupt flaky row"
grep -q "$want" "$FT_SCRATCH/err" || ft_fail "ftrace affected: $(cat "$FT_SCRATCH/err")"
rc=0; ft flaky --json >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq "2" "$rc" "ftrace flaky --json on a corrupt row"
fverify 2 true
grep -q "no verdict: .*$want" "$FT_SCRATCH/verify.err" || ft_fail "verify: $(cat "$FT_SCRATCH/verify.err")"
# a run does not launder the row: not saved, the records kept
rc=0; ft run -q --name coin -- "${COIN[@]}" 2>"$FT_SCRATCH/run.err" || rc=$?
[ "$rc" -ne 0 ] || ft_fail "a run saved over a corrupt flaky row"
grep -q "$want" "$FT_SCRATCH/run.err" || ft_fail "ftrace run: $(cat "$FT_SCRATCH/run.err")"
rc=0; ft flaky 2>"$FT_SCRATCH/err" || rc=$?
assert_eq "2" "$rc" "still corrupt after the run"
