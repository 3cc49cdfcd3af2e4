#!/usr/bin/env bash
# What a test reads and keeps in memory reaches the tests after it
# (fixtures/pytest-keptdata; docs/pytest.md, "State a test leaves behind").
# test_a's tests fill an lru_cache from conf.json, a module dict from
# other.json and a module list from the listing of pkg/plugins/; test_b's
# tests use what was kept and never open or list anything.  An edit of
# either file, or a new plugin, fails a test of test_b in a full run, so it
# must select it: the state guard finds test_a's tests leaving state behind
# (an lru_cache, also one under staticmethod, by the results it
# computed; a dict in a decorator's closure or in a default argument),
# and what they saw is every test's, also what a process they started read
# (its output, kept: a pipe is no file).  A file read by a test that keeps nothing
# (table.csv) still selects that test alone.  At both granularities: at
# file granularity the guard runs alone.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pyfunc.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1
ft_fixture pytest-keptdata
ft_clock_past_ctime

for GRAN in function file; do
ft_log "granularity $GRAN"
rm -rf .ftrace
ft run --granularity=$GRAN -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^16 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=$GRAN; }
assert_set "" "$(fn)" "$GRAN: nothing changed"

# selected_has ID WHAT: the selection holds ID
selected_has() {
	local sel
	sel=$(fn)
	grep -qxF -- "$1" <<<"$sel" || ft_fail "$GRAN: $2: $1 not selected; selected: $sel; $(ft affected --explain 2>&1)"
}

# kept_case FILE OLD NEW "N failed" ID WHAT: the edit fails a full run as
# said and selects ID; then the file is put back
kept_case() {
	ft_edit "$1" "$2" "$3"
	full_run_fails tests "$4" "${1##*/}"
	selected_has "$5" "${1##*/} edited ($6)"
	ft_back "$1"
}

kept_case pkg/data/conf.json '"y": 2' '"y": 3' "1 failed" tests/test_b.py::test_load_again \
	"kept by an lru_cache"
assert_set "" "$(fn)" "$GRAN: conf.json put back"
kept_case pkg/data/other.json '"q": 2' '"q": 3' "1 failed" tests/test_b.py::test_get_again \
	"kept in a module dict"
kept_case pkg/data/theme.txt 'dark' 'light' "2 failed" tests/test_b.py::test_theme_again \
	"kept by a static method's lru_cache"
kept_case pkg/data/banner.txt 'hello' 'bye' "2 failed" tests/test_b.py::test_banner_again \
	"kept in a memoizing decorator's closure"
kept_case pkg/data/units.txt 'kg' 'g' "2 failed" tests/test_b.py::test_units_again \
	"kept in a default argument"
kept_case pkg/data/motd.txt 'welcome' 'bye' "2 failed" tests/test_b.py::test_motd_again \
	"what a subprocess printed, kept in a module dict"

echo three >pkg/plugins/three.txt
ft_settle
full_run_fails tests "1 failed" "a new plugin"
selected_has tests/test_b.py::test_plugins_again "a new plugin (a listing kept in a module list)"
rm pkg/plugins/three.txt
ft_settle
assert_set "" "$(fn)" "$GRAN: the plugin removed again"

# No state kept: the reader alone.
ft_edit pkg/data/table.csv 'b,2' 'b,3'
full_run_fails tests "1 failed" "table.csv"
assert_set "tests/test_c.py::test_table" "$(fn)" "$GRAN: table.csv edited: its reader keeps nothing"
ft_back pkg/data/table.csv
done
