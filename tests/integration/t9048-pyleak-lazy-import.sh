#!/usr/bin/env bash
# State in a project module that a test imports first, in its own body
# (fixtures/pyleak-lazyimport; docs/python-functions.md, "State a test
# leaves behind", "Modules a test imports").  The state guard took such a
# module into its baseline only at the test's end mark, with the state the
# test had left in it: a cache or lru_cache the test filled after the
# import was no change, and the test that later got the cached value
# escaped, at both granularities (an edit of the data file the cache was
# filled from, or of the function the lru_cache ran, failed it in a full
# run and did not select it).  Now the guard takes each module a test
# imports into its baseline as the import ends (Guard.baseline):
#
# - the side file's `leaky` list names exactly the tests that changed
#   state after their import (the dict filler, the lru_cache filler) or
#   whose import changed an older module (a registration), and not the
#   test that imports a module and only reads it;
# - each edit selects every test the full run fails (checked), and at
#   function granularity the lru_cache's users alone, and the quiet
#   module's reader alone;
# - what an import during a test ran (a function its body calls, whose
#   result the module keeps) is the import's, shared, not the importing
#   test's alone: the test that reads the result from the module another
#   test imported is selected when that function changes.
# Under each interpreter of 3.11 or later found with pytest.
. "$(dirname "$0")/lib.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

TF=tests/test_table.py::test_fill TH=tests/test_table.py::test_hit
CF=tests/test_cached.py::test_fill CH=tests/test_cached.py::test_hit
CO=tests/test_cached.py::test_other Q=tests/test_quiet.py::test_quiet
RR=tests/test_registry.py::test_register RN=tests/test_registry.py::test_names
AF=tests/test_atimport.py::test_first AS=tests/test_atimport.py::test_second
Z=tests/test_z.py::test_z

side() { # side KEY: the kept side file's top-level KEY, as JSON
	"$PY" - "$1" <<'PY'
import glob, importlib, json, os, sys
sys.path.insert(0, os.path.join(os.environ["FTRACE_SOURCE_DIR"], "tests", "integration"))
f, = glob.glob(".ftrace/runs/*/adapter-pytest-*.json")
d = importlib.import_module("lib-sidefile").load(f)
print(json.dumps(sorted(d.get(sys.argv[1]) or [])))
PY
}

sel() { ft affected --format ids --granularity="$GRAN"; }

# full_fails WHAT ID...: a plain full run fails exactly the IDs
full_fails() {
	local what=$1 out got
	shift
	out=$("$PY" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "$what: the full run fails no test: $out"
	got=$(sed -n 's/^FAILED \([^ ]*\).*/\1/p' <<<"$out")
	assert_set "$*" "$got" "$what: the tests the full run fails"
}

# has WHAT ID...: each ID is selected
has() {
	local what=$1 got id
	shift
	got=$(sel)
	for id in "$@"; do
		grep -qxF -- "$id" <<<"$got" || ft_fail "$what: $id not selected; selected: $(printf '%s ' $got)"
	done
}

# edited FILE FROM TO WHAT ID...: after the edit, a full run fails exactly
# the IDs, and they are selected (at function granularity, exactly them)
edited() {
	local file=$1 from=$2 to=$3 what="$PY $GRAN: $4"
	shift 4
	ft_edit "$file" "$from" "$to"
	full_fails "$what" "$@"
	if [ "$GRAN" = function ]; then
		assert_set "$*" "$(sel)" "$what"
	else
		has "$what" "$@"
	fi
	ft_back "$file"
}

check() { # check NAME (GRAN set)
	ft_fixture pyleak-lazyimport "$1-$GRAN"
	ft_clock_past_ctime
	ft run -q --keep-records --granularity="$GRAN" -- "$PY" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel)" "$PY $GRAN: nothing changed"
	assert_eq "[\"$CF\", \"$RR\", \"$TF\"]" "$(side leaky)" \
		"$PY $GRAN: the leaky tests (not $Q, whose module it only read)"

	echo 5 >pkg/data.txt
	full_fails "$PY $GRAN: data.txt edited" "$TF" "$TH"
	has "$PY $GRAN: data.txt edited (the cache test_fill filled)" "$TF" "$TH"
	ft_back pkg/data.txt

	edited pkg/helper.py 'return 1' 'return 5' "base() edited (the lru_cache's users)" "$CF" "$CH"

	ft_edit pkg/registers.py '"registers"' '"other"'
	full_fails "$PY $GRAN: the registration edited" "$RR" "$RN"
	has "$PY $GRAN: the registration edited" "$RR" "$RN"
	ft_back pkg/registers.py

	# what the import ran (its body's compute()) is the import's: the test
	# that reads X from the module another test imported gets it too
	edited pkg/atimport.py 'return 1' 'return 5' "compute(), run by the import in test_first" \
		"$AF" "$AS"

	if [ "$GRAN" = function ]; then
		ft_edit pkg/quiet.py 'return ANSWER' 'return ANSWER + 1'
		full_fails "$PY $GRAN: answer() edited" "$Q"
		assert_set "$Q" "$(sel)" "$PY $GRAN: answer() edited (a module a test only read)"
		ft_back pkg/quiet.py
	fi
}

each() { # each INDEX: with $PY
	GRAN=file check "p$1"
	if "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 12))' || [ "$PY" = "$FT_PYTHON" ]; then
		GRAN=function check "p$1"
	fi
}
ft_each_python each
