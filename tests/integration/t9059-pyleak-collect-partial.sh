#!/usr/bin/env bash
# t9059-pyleak-collect-partial.sh - a test that reads state another test
# module's collection built, recorded again alone (docs/pytest.md, "A run
# of some tests").  fixtures/pytest-collect-leak: collecting test_plugin.py
# imports pkg.plugin, whose body registers calc.base() * 2 into pkg.reg.
# Here test_reg2.py reads the value and passes with or without it, so it
# passes alone.  Recorded in a full run, its closure holds test_plugin.py's
# (t9052); recorded again alone (`pytest tests/test_reg2.py`), its session
# never collects test_plugin.py.  Before, an edit of calc.base then
# selected test_plugin.py's test only, and test_reg2 failed in a full run
# (both granularities).  Now the tests of a module whose collection
# changed state hand its closure's part of the prelude on, as a leaky
# test's shares are carried.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
export PYTHONDONTWRITEBYTECODE=1 FTRACE_PYTHON=$FT_PYTHON
ft_fixture pytest-collect-leak

printf 'from pkg import reg\n\n\ndef test_reg2():\n    assert reg.get("answer") in (None, 42)\n' \
	>tests/test_reg2.py
git add -A && git -c user.email=t@t -c user.name=t commit -qm reg2
ft_settle

REG2=tests/test_reg2.py::test_reg2
for gran in function file; do
	rm -rf .ftrace
	ft_clock_past_ctime
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "the recording failed ($gran): $(cat "$FT_SCRATCH/run.out")"
	ft run --granularity=$gran -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider tests/test_reg2.py \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "test_reg2 alone ($gran): $(cat "$FT_SCRATCH/run.out")"
	assert_set "" "$(ft affected --format ids)" "nothing changed ($gran)"

	sed -i 's/return 21/return 22/' pkg/calc.py && ft_clock_past_ctime
	if "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/full.out" 2>&1; then
		ft_fail "a full run passed ($gran): $(cat "$FT_SCRATCH/full.out")"
	fi
	grep -q "FAILED $REG2" "$FT_SCRATCH/full.out" ||
		ft_fail "test_reg2 passed in a full run ($gran): $(cat "$FT_SCRATCH/full.out")"
	grep -qx "$REG2" <<<"$(ft affected --format ids)" ||
		ft_fail "calc.base, with test_reg2 recorded again alone ($gran): not selected: $(ft affected --format ids)"
	git checkout -q . && ft_clock_past_ctime

	# an edit no collection reached stays its importers' (pkg.plain)
	sed -i 's/return 1/return 2/' pkg/plain.py && ft_clock_past_ctime
	assert_set "tests/test_plain.py::test_plain" "$(ft affected --format ids)" "pkg.plain ($gran)"
	git checkout -q . && ft_clock_past_ctime
done
