#!/usr/bin/env bash
# A project module pickled or copied under function-granularity recording
# (fixtures/pytest-pickle; adapters/pytest/ftrace_pyreduce.py).  Project
# modules are then tracked modules, a ModuleType subclass, and a pickler
# finds a reducer by the exact type: cloudpickle and dill failed with
# "cannot pickle 'TrackedModule' object" where a plain run passes
# (recording changed what a test saw).  Every test of the fixture must
# pass under the recording as without it: cloudpickle and dill, a
# pickler's own dispatch_table (C and Python), copyreg, pickle._Pickler
# with the save function importing dill puts there, and the plain
# module's errors and type name.  Then the selection stays sound and
# narrow: dill's save function reads the whole namespace (any new name
# selects its test), cloudpickle of a function reads what the function
# reads.  cloudpickle 3.1.3 and dill 0.4.1 come from PyPI (lib-pip.sh);
# without the registry the test is skipped.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pip.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON   # (fingerprints by the tests' interpreter)
ft_fixture pytest-pickle
ft_clock_past_ctime
ft_pip_site pickle-libs cloudpickle/__init__.py cloudpickle==3.1.3 dill==0.4.1

"$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/plain.out" 2>&1 ||
	ft_fail "the fixture fails without ftrace: $(cat "$FT_SCRATCH/plain.out")"
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "a test failed under the recording: $(cat "$FT_SCRATCH/run.out")"
grep -q '^42 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"

# The selections, recorded anew without the tests that load a module by
# value (they write its namespace: leaky, so what they ran is every
# test's).
rm -rf .ftrace
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
	tests/test_pickle.py >"$FT_SCRATCH/run.out" 2>&1 ||
	ft_fail "recording test_pickle.py failed: $(cat "$FT_SCRATCH/run.out")"
fn() { ft affected --format ids --granularity=function; }
assert_set "" "$(fn)" "nothing changed"
P=tests/test_pickle.py
DILL=""
for p in 0 1 2 3 4 5; do
	"$FT_PYTHON" -c "import pickle, sys; sys.exit($p > pickle.HIGHEST_PROTOCOL)" &&
		DILL="$DILL $P::test_dill_dumps[$p]"
done

# A new name in pkg: only dill's by-value pickle of the module reads it.
printf '\nADDED = 1\n' >>pkg/__init__.py
ft_settle
assert_set "$DILL" "$(fn)" "a name added to pkg"
ft_back pkg/__init__.py

# A value the function reads: the test that ran it through cloudpickle,
# and dill's.
ft_edit pkg/__init__.py 'VALUE = 3' 'VALUE = 4'
assert_set "$P::test_cloudpickle_function $DILL" "$(fn)" "VALUE edited"
ft_back pkg/__init__.py

# pkg.mod, pickled by reference (cloudpickle, the tables, copyreg) and
# run by test_other: SCALE is read by the function test_other ran, and by
# dill, which pickles pkg by value and with it pkg.mod, its attribute.
ft_edit pkg/mod.py 'SCALE = 2' 'SCALE = 3'
assert_set "$P::test_other $DILL" "$(fn)" "SCALE edited"
ft_back pkg/mod.py
