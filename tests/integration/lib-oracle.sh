# lib-oracle.sh - the soundness oracle, sourced after lib.sh and
# fixtures/cmd-common/helpers.sh by tests/integration/t98NN-oracle-*.sh and
# t99NN-fault-*.sh.
#
# ftrace's one promise is that `ftrace affected` never leaves out a test
# that a change can affect.  The runner-specific tests check exact sets that
# someone worked out by hand; the oracle checks the promise itself, against
# the runner's own verdict: for a scenario (a recorded fixture, then a real
# change), it runs the WHOLE suite after the change with the runner's
# per-test outcome report, and asserts that every test whose outcome
# differs from the recorded one, and every test that fails now, is in
# `ftrace affected`'s output.  An `ftrace affected` that exits 2 ("cannot
# tell": run everything) is sound too, and is logged.
#
# A script using it defines:
#   oracle_suite     runs the whole suite, NOT under ftrace, and prints one
#                    line per test on stdout: "ID<TAB>pass|fail|skip", the
#                    id as ftrace records it.  Its exit status is ignored
#                    (a failing suite is what scenarios make); an empty
#                    report is an error.  A test reported several times
#                    (parametrized cases folded into one id) fails if any
#                    of its reports failed.
# and may override:
#   oracle_selected  prints ftrace's selection, one entry per line, and
#                    returns affected's status (default: `ftrace affected`,
#                    the lines format, from the current directory)
#   oracle_covers SEL ID   true when running selection entry SEL runs test
#                    ID (default: equal, or one is a pytest node id below
#                    the other: a module path covers its tests)
#
# Then: record the fixture (ft_record or the runner's own way), call
# oracle_baseline once, one oracle_scenario per change, and oracle_finish.
#
# Ready-made: oracle_pytest_suite (an oracle_suite for pytest),
# oracle_junit (JUnit XML), oracle_go_begin (the Go module's suite and
# selection, recorded, baseline taken), oracle_pytest_tmp_begin (pytest-basic
# plus tests reaching it through tmp_path, recorded, baseline taken).

ORACLE_DIR=$FT_SCRATCH/oracle
mkdir -p "$ORACLE_DIR"
ORACLE_N=0

oracle_selected() { "$FTRACE_BIN" affected; }

oracle_covers() {
	[ "$1" = "$2" ] || [[ "$2" == "$1::"* ]] || [[ "$1" == "$2::"* ]]
}

# oracle__outcomes FILE: the suite's report, folded to one line per test
# (fail > pass > skip), sorted.
oracle__outcomes() {
	oracle_suite >"$1.raw" 2>"$1.err" || true
	awk -F '\t' 'NF >= 2 {
		r = ($2 == "fail") ? 3 : ($2 == "pass") ? 2 : 1
		if (r > rank[$1]) { rank[$1] = r; out[$1] = $2 }
	} END { for (k in out) printf "%s\t%s\n", k, out[k] }' "$1.raw" | LC_ALL=C sort >"$1"
	[ -s "$1" ] || ft_fail "oracle: the runner reported no test outcome: $(tail -20 "$1.err")"
}

# oracle__covered ID SELFILE: some entry of SELFILE runs ID
oracle__covered() {
	local sel
	while IFS= read -r sel; do
		[ -n "$sel" ] || continue
		oracle_covers "$sel" "$1" && return 0
	done <"$2"
	return 1
}

# oracle_baseline: the suite's outcomes right after the recording, and the
# recorded outcomes: every test that fails now must be recorded as failed
# (`ftrace affected --format json` lists it with an "outcome" reason, or
# selects it for some other reason), so that the recording agrees with the
# runner.  Run it right after recording, with nothing changed.
oracle_baseline() {
	local rc=0 id outcome
	oracle__outcomes "$ORACLE_DIR/base"
	"$FTRACE_BIN" affected --format json >"$ORACLE_DIR/base.json" 2>"$ORACLE_DIR/base.json.err" || rc=$?
	[ "$rc" -eq 0 ] || ft_fail "oracle baseline: affected --format json exited $rc: $(cat "$ORACLE_DIR/base.json.err")"
	"$FT_PYTHON" -c '
import json, sys
for t in json.load(open(sys.argv[1]))["tests"]:
    print(t["id"])' "$ORACLE_DIR/base.json" >"$ORACLE_DIR/base.selected" ||
		ft_fail "oracle baseline: affected --format json is not JSON: $(head -c 300 "$ORACLE_DIR/base.json")"
	while IFS=$'\t' read -r id outcome; do
		[ "$outcome" = fail ] || continue
		oracle__covered "$id" "$ORACLE_DIR/base.selected" ||
			ft_fail "oracle baseline: '$id' fails, but the recording does not select it"
	done <"$ORACLE_DIR/base"
	ft_log "oracle baseline: $(grep -c $'\tpass$' "$ORACLE_DIR/base" || true) passed," \
		"$(grep -c $'\tfail$' "$ORACLE_DIR/base" || true) failed"
}

# oracle_scenario WHAT CHANGE REVERT: eval CHANGE (shell code that makes a
# real change), take ftrace's selection, run the whole suite, and require
# that every test that fails now, or whose outcome differs from the
# baseline (a new test included), is selected; a scenario must flip at
# least one test's outcome, or it proves nothing.  Then eval REVERT, which
# must restore the recorded tree (oracle_finish checks that the suite is
# back to its baseline).
oracle_scenario() {
	local what=$1 dir rc=0 id outcome was flips=0 missed=""
	ORACLE_N=$((ORACLE_N + 1))
	dir=$ORACLE_DIR/s$ORACLE_N
	mkdir -p "$dir"
	eval "$2" || ft_fail "oracle: $what: the change failed"
	oracle_selected >"$dir/selected" 2>"$dir/selected.err" || rc=$?
	case $rc in
	0) ;;
	2) ft_log "oracle: $what: affected says it cannot tell (2): every test runs, sound" ;;
	*) ft_fail "oracle: $what: affected exited $rc: $(cat "$dir/selected.err")" ;;
	esac
	oracle__outcomes "$dir/now"
	while IFS=$'\t' read -r id outcome; do
		was=$(awk -F '\t' -v id="$id" '$1 == id { print $2 }' "$ORACLE_DIR/base")
		[ "$outcome" != "$was" ] && flips=$((flips + 1))
		if [ "$outcome" = fail ] || [ "$outcome" != "$was" ]; then
			[ "$rc" -eq 2 ] && continue
			oracle__covered "$id" "$dir/selected" ||
				missed="$missed
  $id: ${was:-new} -> $outcome"
		fi
	done <"$dir/now"
	if [ -n "$missed" ]; then
		ft_fail "oracle: $what: ftrace affected left out tests the change affects:$missed
selected: $(tr '\n' ' ' <"$dir/selected")"
	fi
	[ "$flips" -gt 0 ] || ft_fail "oracle: $what: no test's outcome changed; the scenario proves nothing"
	ft_log "oracle: $what: $flips outcome(s) changed, all selected ($(wc -l <"$dir/selected") selected)"
	eval "$3" || ft_fail "oracle: $what: the revert failed"
}

# oracle_finish: after the last scenario, the suite is back to its
# baseline (every revert restored the tree the recording saw).
oracle_finish() {
	oracle__outcomes "$ORACLE_DIR/end"
	cmp -s "$ORACLE_DIR/base" "$ORACLE_DIR/end" ||
		ft_fail "oracle: the reverts did not restore the suite: $(diff "$ORACLE_DIR/base" "$ORACLE_DIR/end")"
	[ "$ORACLE_N" -gt 0 ] || ft_fail "oracle: no scenario ran"
}

# oracle_junit FILE [ID_EXPR]: a JUnit XML report's test cases as oracle
# lines: a <failure> or <error> (or a ctest status other than "run") fails,
# <skipped> skips, anything else passes.  The id is the case's name, or
# ID_EXPR, a Python expression over `name`, `classname` and `attrs`.
oracle_junit() {
	"$FT_PYTHON" - "$1" "${2:-name}" <<'PY'
import sys, xml.etree.ElementTree as ET
expr = sys.argv[2]
for case in ET.parse(sys.argv[1]).iter("testcase"):
    attrs = case.attrib
    name, classname = attrs.get("name", ""), attrs.get("classname", "")
    tags = {c.tag for c in case}
    if tags & {"failure", "error"} or attrs.get("status", "run") not in ("run", ""):
        outcome = "skip" if attrs.get("status") in ("disabled", "notrun") and not tags & {"failure", "error"} else "fail"
    elif "skipped" in tags:
        outcome = "skip"
    else:
        outcome = "pass"
    print("%s\t%s" % (eval(expr), outcome))
PY
}

# oracle_go_begin: the oracle for the Go module in the current directory
# (lib-go.sh's ft_need_go done): the suite is `go test -json ./...`'s
# package-level events (no "Test" field: pass, fail, skip for no test
# files), the selection `ftrace affected --format go`; records `go test
# ./...` (ft_record) and takes the baseline.
oracle_go_begin() {
	oracle_suite() {
		go test -count=1 -json ./... 2>/dev/null | "$FT_PYTHON" -c '
import json, sys
for line in sys.stdin:
    try:
        ev = json.loads(line)
    except ValueError:
        continue
    if "Test" not in ev and ev.get("Package") and ev.get("Action") in ("pass", "fail", "skip"):
        print("%s\t%s" % (ev["Package"], ev["Action"]))'
	}
	oracle_selected() { "$FTRACE_BIN" affected --format go; }
	ft_record 0 -- go test ./...
	oracle_baseline
}

# oracle_pytest_suite: an oracle_suite for pytest in the current
# directory: pytest's short summary of every test, "PASSED id", "FAILED id
# - why", "ERROR id - why" (a module that does not import: its path).
oracle_pytest_suite() {
	"$FT_PYTHON" -m pytest -q -rA --tb=no -p no:cacheprovider 2>&1 |
		sed -n -e 's/^\(PASSED\|XFAIL\) \(.*\)$/\2\tpass/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \(.*\) - .*$/\2\tfail/p' \
			-e 's/^\(FAILED\|ERROR\|XPASS\) \([^ ]*\)$/\2\tfail/p'
}

# oracle_pytest_tmp_begin: fixtures/pytest-basic (skip without pytest)
# plus a committed tests/test_tmplink.py whose tests read repository files
# through paths under pytest's tmp_path: a symlink to tests/data/table.csv,
# and tmp_path/../<as many ..>/<repo>/plugins/alpha.txt; then the oracle
# over pytest (oracle_pytest_suite), recorded, with its baseline.
oracle_pytest_tmp_begin() {
	"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "pytest not installed"
	ft_fixture pytest-basic
	cat >tests/test_tmplink.py <<'PY'
import os


def test_through_tmp_symlink(tmp_path, data_dir):
    link = tmp_path / "table.csv"
    os.symlink(os.path.join(data_dir, "table.csv"), link)
    assert link.read_text().startswith("item,qty")


def test_through_tmp_dotdot(tmp_path, project_root):
    # tmp_path/../<as many ..>/<repo>/plugins/alpha.txt
    up = os.path.relpath("/", tmp_path)
    path = os.path.join(str(tmp_path), up, project_root.lstrip("/"), "plugins", "alpha.txt")
    assert open(path).read().startswith("alpha:")
PY
	git add -A && git -c user.email=t@t -c user.name=t commit -qm tmplink
	oracle_suite() { oracle_pytest_suite; }
	ft_record 0 -- "$FT_PYTHON" -m pytest -p no:cacheprovider
	oracle_baseline
}
