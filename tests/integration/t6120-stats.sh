#!/usr/bin/env bash
# `ftrace stats` (docs/usage.md, "ftrace stats") against figures counted by
# hand: pytest-basic's 12 tests recorded by a first `ftrace test` (no
# recording: it cannot tell, all run), an edit of tests/test_arith.py (its
# 2 tests selected for a content change), a `test` with nothing affected,
# and a `verify` (nothing selected, no escape).  Each of them keeps one row
# of history (schema version 5); --last N shows the newest N; a history
# row edited behind ftrace's back is exit 2 naming the table.  Usage: 64,
# --help 0, no recording 2.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
ft_pytest_fixture pytest-basic

PYTEST="$FT_PYTHON -m pytest -q -p no:cacheprovider"
# stats_json EXPR: a Python expression over `ftrace stats --json ARGS` (as r)
stats_json() {
	local expr=$1; shift
	ft stats --json "$@" >"$FT_SCRATCH/stats.json" || ft_fail "ftrace stats --json $* exited $?"
	"$FT_PYTHON" -c 'import json,sys; r=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$FT_SCRATCH/stats.json" "$expr"
}
# run_test: `ftrace test -- pytest`, which must pass
run_test() {
	ft test -- $PYTEST >"$FT_SCRATCH/test.out" 2>"$FT_SCRATCH/test.err" ||
		{ cat "$FT_SCRATCH/test.out" "$FT_SCRATCH/test.err" >&2; ft_fail "ftrace test exited $?"; }
}

# 1. Usage, and nothing recorded yet.
assert_status 0 ft stats --help
assert_status 64 ft stats --bogus
assert_status 64 ft stats --last x
assert_status 64 ft stats --last 1001
assert_status 64 ft stats extra
assert_status 2 ft stats
ft stats 2>"$FT_SCRATCH/stats.err" || :
grep -q "stats: cannot read the recording: nothing was recorded here yet" "$FT_SCRATCH/stats.err" ||
	ft_fail "no recording: $(cat "$FT_SCRATCH/stats.err")"

# 2. The selections.
run_test                                   # cannot tell: all 12 run
ft_edit tests/test_arith.py "def test_add" "# edited
def test_add"
run_test                                   # 2 of 12: content
grep -q "^2 passed, 10 deselected" "$FT_SCRATCH/test.out" || ft_fail "$(cat "$FT_SCRATCH/test.out")"
run_test                                   # nothing affected: 0 of 12
grep -q "nothing affected" "$FT_SCRATCH/test.err" || ft_fail "$(cat "$FT_SCRATCH/test.err")"
ft verify -- $PYTEST >/dev/null 2>"$FT_SCRATCH/verify.err" ||
	{ cat "$FT_SCRATCH/verify.err" >&2; ft_fail "ftrace verify exited $?"; }

# 3. The figures, by hand: 12 tests, all passed, recorded by 2 runs (the
# first test's and verify's: verify's recording replaced the others');
# 4 selections: 3 tests, 1 verify; the first could not tell; the other 3
# knew 12 each (36), selected 2 + 0 + 0, skipped 34; fractions 2/12, 0, 0:
# mean 1/18, median 0; 1 verdict, 0 escapes.
assert_eq "12 0 0 0 12 0 0 0 0" \
	"$(stats_json '" ".join(str(x) for x in (r["tests"]["recorded"], r["tests"]["untraced"], r["tests"]["unknown_state"], r["tests"]["flaky"], r["tests"]["outcomes"]["passed"], r["tests"]["outcomes"]["failed"], r["tests"]["outcomes"]["error"], r["tests"]["outcomes"]["skipped"], r["tests"]["outcomes"]["no_result"]))')" \
	"the recording's tests"
assert_eq "1" "$(stats_json 'r["recording"]["runs"]')" "verify's run owns every test"
assert_eq "4 4 3 1 1 36 2 34 0 1" \
	"$(stats_json '" ".join(str(x) for x in (r["selections"][k] for k in ("kept", "shown", "test", "verify", "cannot_tell", "known", "selected", "skipped", "escapes", "verdicts")))')" \
	"the selections summed"
assert_eq "True True" \
	"$(stats_json '"%s %s" % (abs(r["selections"]["mean_fraction"] - 1/18) < 1e-9, r["selections"]["median_fraction"] == 0)')" \
	"mean and median"
assert_eq "{'content': 2}" "$(stats_json 'r["selections"]["by_reason"]')" "by reason"
assert_eq "test:None:None test:2:None test:0:None verify:0:0" \
	"$(stats_json '" ".join("%s:%s:%s" % (e["command"], e["selected"], e["escapes"]) for e in r["selections"]["each"])')" \
	"each selection, oldest first"
db_bytes=$(stat -c %s .ftrace/ftrace.db)
[ -e .ftrace/ftrace.db-wal ] && db_bytes=$((db_bytes + $(stat -c %s .ftrace/ftrace.db-wal)))
assert_eq "$db_bytes" "$(stats_json 'r["bytes"]')" "the database's size"
assert_eq "1 verify 4" "$(stats_json '" ".join(str(x) for x in (r["selections"]["shown"], r["selections"]["each"][0]["command"], r["selections"]["kept"]))' --last 1)" \
	"--last 1"
ft stats >"$FT_SCRATCH/stats.txt" || ft_fail "ftrace stats exited $?"
grep -qx "tests recorded:   12 (untraced 0, with a state unknown at recording 0: both always selected)" \
	"$FT_SCRATCH/stats.txt" || ft_fail "text: $(cat "$FT_SCRATCH/stats.txt")"
grep -q "^  selected:       2 of 36 known tests (per selection: mean 5.6%, median 0.0%); 1 ran everything" \
	"$FT_SCRATCH/stats.txt" || ft_fail "text: $(cat "$FT_SCRATCH/stats.txt")"
grep -q "^  escapes:        0, in 1 verify with a verdict$" "$FT_SCRATCH/stats.txt" ||
	ft_fail "text: $(cat "$FT_SCRATCH/stats.txt")"

# 4. A history row edited behind ftrace's back: exit 2, the table named,
# no figure printed.
command -v sqlite3 >/dev/null || exit 0
sqlite3 .ftrace/ftrace.db "UPDATE history SET selected = 0 WHERE id = 2"
rc=0; ft stats >"$FT_SCRATCH/stats.out" 2>"$FT_SCRATCH/stats.err" || rc=$?
assert_eq 2 "$rc" "a corrupt history row"
grep -q "database is corrupt: history 2 (checksum mismatch" "$FT_SCRATCH/stats.err" ||
	ft_fail "corrupt row: $(cat "$FT_SCRATCH/stats.err")"
assert_eq "" "$(cat "$FT_SCRATCH/stats.out")" "no figure from a corrupt history"
