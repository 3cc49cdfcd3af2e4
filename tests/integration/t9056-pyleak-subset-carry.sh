#!/usr/bin/env bash
# t9056-pyleak-subset-carry.sh - a run that records only some tests keeps
# what a leaky test it did not run handed on (store/ft_store_carry.h;
# docs/pytest.md, "A run of some tests").  fixtures/pytest-subset-leak:
# test_a fills pkg.conf's _CFG from pkg/data.json and leaves it filled;
# test_b asks pkg.conf.mode(), which sees what test_a left in a full run
# and "default" alone.  Before, once a second run had recorded test_b
# alone, an edit of data.json (or of the code test_a ran to fill the
# cache) selected test_a only, and test_b failed in a full run (a probe,
# both granularities).  A share naming a set that is gone carries
# nothing (planted, at the end).
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-subset-leak

BOTH="tests/test_a.py::test_load tests/test_b.py::test_mode"
pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@"; }
record() { # record WHAT GRAN [PYTEST ARGS...]
	local what=$1 gran=$2
	shift 2
	ft run --granularity="$gran" -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "$what failed: $(cat "$FT_SCRATCH/run.out")"
}
# fails_b WHAT: the edit reaches test_b in a full run (the case is real)
fails_b() {
	if pytest_q tests >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "$1: a full run passed: $(cat "$FT_SCRATCH/full.out")"
	fi
	grep -q "FAILED tests/test_b.py::test_mode" "$FT_SCRATCH/full.out" ||
		ft_fail "$1: test_b passed in a full run: $(cat "$FT_SCRATCH/full.out")"
}
revert() { git checkout -q . && ft_clock_past_ctime; }

for gran in file function; do
	rm -rf .ftrace
	ft_clock_past_ctime
	record "the full recording ($gran)" "$gran"
	sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
	assert_set "$BOTH" "$(ft affected --format ids)" "data.json, after the full recording ($gran)"
	revert

	# test_b recorded again alone: alone, it reads no data.json
	record "test_b alone ($gran)" "$gran" tests/test_b.py
	sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
	fails_b "data.json ($gran)"
	assert_set "$BOTH" "$(ft affected --format ids)" "data.json, after test_b was recorded alone ($gran)"
	revert
	# pkg.parse.parse(), which only test_a ran (in the test, as it filled
	# the cache; a body of its own, as no stateful function of its module
	# names it):
	# at function granularity what a leaky test ran is every later test's
	# through its run's prelude, which test_b's run now carries
	sed -i 's/    return json.loads(text)/    return dict(json.loads(text), mode="slow")/' pkg/parse.py
	grep -q 'mode="slow"' pkg/parse.py || ft_fail "could not edit parse()"
	ft_clock_past_ctime
	fails_b "parse() ($gran)"
	assert_set "$BOTH" "$(ft affected --format ids)" "parse(), after test_b was recorded alone ($gran)"
	revert

	# a second subset run still carries it while test_a is not recorded again
	record "test_b alone, again ($gran)" "$gran" tests/test_b.py
	sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
	assert_set "$BOTH" "$(ft affected --format ids)" "data.json, test_b recorded alone twice ($gran)"
	revert

	# parse.py changed in between (a comment: another version, the same
	# code): test_b's run saw a version of it no other run saw, whose
	# fingerprints know nothing of test_a's share; its run carries it
	if [ "$gran" = function ]; then
		printf '# the parser\n' >>pkg/parse.py && ft_clock_past_ctime
		record "test_b alone, parse.py another version ($gran)" "$gran" tests/test_b.py
		sed -i 's/    return json.loads(text)/    return dict(json.loads(text), mode="slow")/' pkg/parse.py
		ft_clock_past_ctime
		fails_b "parse(), another version ($gran)"
		assert_set "$BOTH" "$(ft affected --format ids)" \
			"parse(), test_b recorded alone with another version of parse.py ($gran)"
		revert
	fi

	# test_a recorded again (alone): its new recording decides, and test_b's
	# carried share goes (test_b's own recording never had data.json)
	record "test_a alone ($gran)" "$gran" tests/test_a.py
	n=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM run_shares WHERE run_id =
		(SELECT run_id FROM tests WHERE name = 'tests/test_a.py::test_load')") ||
		ft_fail "sqlite3"
	[ "$n" -ge 1 ] || ft_fail "test_a's new run noted no share ($gran)"
	n=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM run_shares WHERE run_id <>
		(SELECT run_id FROM tests WHERE name = 'tests/test_a.py::test_load')") ||
		ft_fail "sqlite3"
	[ "$n" -eq 0 ] || ft_fail "the shares of test_a's older run were kept ($gran)"
done

# A share naming a set that is gone (only an import can leave one: every
# later test that held the set was kept locally; planted here) carries
# nothing: test_b's new recording names no missing set, and selection
# reads the database as before.
rm -rf .ftrace
ft_clock_past_ctime
record "the full recording (a planted share)" file
sqlite3 .ftrace/ftrace.db "INSERT INTO run_shares(run_id, test, runner, set_id)
	SELECT run_id, name, 'pytest', 424242 FROM tests WHERE name = 'tests/test_a.py::test_load'" ||
	ft_fail "sqlite3: plant a share"
record "test_b alone (a planted share)" file tests/test_b.py
n=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM test_sets WHERE set_id NOT IN
	(SELECT id FROM depsets)") || ft_fail "sqlite3"
[ "$n" -eq 0 ] || ft_fail "a carried share names $n missing set(s)"
sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
assert_set "$BOTH" "$(ft affected --format ids)" "data.json, after a run that carried a planted share"
revert
