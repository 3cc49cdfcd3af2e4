#!/usr/bin/env bash
# t9061-pyfunc-doctest-leaves-nothing.sh - a doctest that only computes
# leaves no state behind (fixtures/pytest-doctest).  Found on tabulate
# (--doctest-modules): an edit of a function that only doctests ran
# selected all 383 tests, "ran outside any test: skeleton", because the
# state guard took two things for state the doctest left:
# - builtins' `_`, which doctest's displayhook sets to the last value an
#   example shows: a module's `__builtins__` put builtins' dict into the
#   project's holders, where _outside()'s exception for `_` did not reach;
# - sys.path, which pytest's Package.setup changes in the setup of a
#   package's first test (it imports its __init__.py as a test module,
#   and puts the rootdir in front again when tests/ was collected after
#   it): shared setup now, as a shared fixture's is.
# Then what the doctest ran was every test's.  A doctest that does leave
# state (an append to its module's list, which a later test counts) still
# shares what it ran, with the tests that can see it.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-doctest
ft_settle

INC=pkg/calc.py::pkg.calc.inc
SUB=pkg/calc.py::pkg.calc.sub
REG=pkg/reg.py::pkg.reg.register
DBL=tests/test_calc.py::test_double
CNT=tests/test_reg.py::test_count
pytest_q() { "$FT_PYTHON" -m pytest -q -p no:cacheprovider --doctest-modules "$@"; }
# fails WHAT TEST...: the edit fails exactly these in a full run
fails() {
	local what=$1 got
	shift
	pytest_q -rf >"$FT_SCRATCH/full.out" 2>&1 && ft_fail "$what: the full run passed"
	got=$(sed -n 's/^FAILED \([^ ]*\).*/\1/p' "$FT_SCRATCH/full.out")
	assert_set "$*" "$got" "$what: what fails in a full run"
}
revert() { git checkout -q . && ft_clock_past_ctime; }

rm -rf .ftrace
ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider --doctest-modules \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording failed: $(cat "$FT_SCRATCH/run.out")"
grep -q '^5 passed' "$FT_SCRATCH/run.out" || ft_fail "unexpected pytest output: $(cat "$FT_SCRATCH/run.out")"
assert_set "" "$(ft affected --format ids)" "nothing changed"

# the first doctest of the package (its setup is Package.setup's)
ft_pyedit pkg/calc.py 's.replace("return x + 1", "return x + 2")'
fails "inc's body" "$INC"
assert_set "$INC" "$(ft affected --format ids)" "inc's body, which only its doctest ran"
revert

# a later doctest: only builtins' `_` changed in it
ft_pyedit pkg/calc.py 's.replace("return a - b", "return b - a")'
fails "sub's body" "$SUB"
assert_set "$SUB" "$(ft affected --format ids)" "sub's body, which only its doctest ran"
revert

ft_pyedit pkg/calc.py 's.replace("return x * 2", "return x * 3")'
fails "double's body" "$DBL"
assert_set "$DBL" "$(ft affected --format ids)" "double's body"
revert

# a doctest that leaves state: what it ran is shared with the tests that
# can see pkg.reg, the counter among them
ft_pyedit pkg/reg.py 's.replace("    REG.append(name)\n", "    REG.append(name)\n    REG.append(name)\n")'
fails "register's body" "$CNT"
got=$(ft affected --format ids)
for t in $REG $CNT; do
	grep -qxF "$t" <<<"$got" || ft_fail "register's body: $t not selected: $got"
done
revert

# by file: the doctests of calc.py and the test that imports it
rm -rf .ftrace
ft run --granularity=file -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider --doctest-modules \
	>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording failed (file): $(cat "$FT_SCRATCH/run.out")"
ft_pyedit pkg/calc.py 's.replace("return a - b", "return b - a")'
assert_set "$INC $SUB $DBL" "$(ft affected --format ids)" "calc.py edited, by file"
revert
