#!/usr/bin/env bash
# t6610-share-carry.sh - what a leaky test handed on travels in a bundle
# (issue 28; docs/pytest.md, "A run of some tests").  fixtures/
# pytest-subset-leak: test_a fills pkg.conf's cache from pkg/data.json and
# leaves it filled; test_b reads it.  A full recording exported, imported
# (directly, or through `ftrace merge`) into another clone, and there a
# run of test_b alone (as `ftrace test` runs what an edit of
# tests/test_b.py selects): an edit of data.json, or of the code test_a
# ran to fill the cache, must select test_b too, since test_b fails in a
# full run.  Before, bundles held no table run_shares, so the importing
# clone's run of test_b forgot test_a's share and selected test_a alone.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-subset-leak src
cd "$FT_SCRATCH"

BOTH="tests/test_a.py::test_load tests/test_b.py::test_mode"
record() { # record WHAT GRAN [PYTEST ARGS...]
	local what=$1 gran=$2
	shift 2
	ft run --granularity="$gran" -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "$what failed: $(cat "$FT_SCRATCH/run.out")"
}
# fails_b WHAT: the edit reaches test_b in a full run (the case is real)
fails_b() {
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "$1: a full run passed: $(cat "$FT_SCRATCH/full.out")"
	fi
	grep -q "FAILED tests/test_b.py::test_mode" "$FT_SCRATCH/full.out" ||
		ft_fail "$1: test_b passed in a full run: $(cat "$FT_SCRATCH/full.out")"
}
revert() { git checkout -q . && ft_clock_past_ctime; }

for gran in file function; do
	rm -rf a b c golden.ftb merged.ftb
	for d in a b c; do
		git clone -q src "$d"
		(cd "$d" && ft_settle)
	done
	(cd a && record "the full recording ($gran)" "$gran" &&
		ft export "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/export.err") ||
		ft_fail "export ($gran): $(cat "$FT_SCRATCH/export.err")"
	ft merge "$FT_SCRATCH/merged.ftb" "$FT_SCRATCH/golden.ftb" 2>"$FT_SCRATCH/merge.err" ||
		ft_fail "merge ($gran): $(cat "$FT_SCRATCH/merge.err")"
	# the leaky test's shares are in the bundle, and come through merge
	for f in golden merged; do
		n=$("$FTRACE_BUILD_DIR/tests/tools/ftt_bundle" stats "$FT_SCRATCH/$f.ftb" |
			sed -n 's/.* shares \([0-9]*\).*/\1/p')
		[ -n "$n" ] && [ "$n" -ge 1 ] || ft_fail "$f.ftb holds no share ($gran)"
	done
	for pair in b:golden c:merged; do
		d=${pair%%:*} f=${pair#*:}
		cd "$FT_SCRATCH/$d"
		ft import "$FT_SCRATCH/$f.ftb" 2>"$FT_SCRATCH/import.err" ||
			ft_fail "import $f ($gran): $(cat "$FT_SCRATCH/import.err")"
		n=$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM run_shares s JOIN tests t
			ON t.name = s.test AND t.run_id = s.run_id
			WHERE s.test = 'tests/test_a.py::test_load'") || ft_fail "sqlite3"
		[ "$n" -ge 1 ] || ft_fail "$d: the import noted no share of test_a ($gran)"
		sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
		assert_set "$BOTH" "$(ft affected --format ids)" "$d: data.json, after the import ($gran)"
		revert

		# test_b recorded again alone in the importing clone
		record "$d: test_b alone ($gran)" "$gran" tests/test_b.py
		sed -i 's/"fast"/"slow"/' pkg/data.json && ft_clock_past_ctime
		fails_b "$d: data.json ($gran)"
		assert_set "$BOTH" "$(ft affected --format ids)" \
			"$d: data.json, after test_b was recorded alone ($gran)"
		revert
		sed -i 's/    return json.loads(text)/    return dict(json.loads(text), mode="slow")/' pkg/parse.py
		grep -q 'mode="slow"' pkg/parse.py || ft_fail "could not edit parse()"
		ft_clock_past_ctime
		fails_b "$d: parse() ($gran)"
		assert_set "$BOTH" "$(ft affected --format ids)" \
			"$d: parse(), after test_b was recorded alone ($gran)"
		revert
	done
	cd "$FT_SCRATCH"
done
