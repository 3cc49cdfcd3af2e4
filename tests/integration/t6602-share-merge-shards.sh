#!/usr/bin/env bash
# Shards merged equal one unsharded recording (issue 28): pytest-basic
# recorded whole in one clone, and in two shards (by test module) in two
# other clones; the shards' bundles merged with `ftrace merge`, imported
# into a fourth clone, answer `ftrace affected` as the whole recording's
# bundle imported into a fifth does, and as the recording clone itself,
# for a set of edits.  A test in both shards keeps the later recording.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-pytest.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX
export FTRACE_GRANULARITY=file
ft_fixture pytest-basic src
cd "$FT_SCRATCH"
for d in whole s1 s2 merged single; do
	git clone -q src "$d"
	(cd "$d" && ft_settle)
done

(cd whole && record && ft export "$FT_SCRATCH/whole.ftb" 2>/dev/null) || ft_fail "whole recording"
(cd s1 && record tests/test_arith.py tests/test_fmt.py tests/test_table.py &&
	ft export "$FT_SCRATCH/s1.ftb" 2>/dev/null) || ft_fail "shard 1"
(cd s2 && record tests/test_config.py tests/test_plugins.py tests/tools &&
	ft export "$FT_SCRATCH/s2.ftb" 2>/dev/null) || ft_fail "shard 2"
ft merge "$FT_SCRATCH/m.ftb" "$FT_SCRATCH/s1.ftb" "$FT_SCRATCH/s2.ftb" 2>"$FT_SCRATCH/merge.err" ||
	ft_fail "merge exited $?: $(cat "$FT_SCRATCH/merge.err")"
grep -q "merge: 12 tests from 2 bundles" "$FT_SCRATCH/merge.err" || ft_fail "merge: $(cat "$FT_SCRATCH/merge.err")"
(cd merged && ft import "$FT_SCRATCH/m.ftb" 2>/dev/null) || ft_fail "import of the merged bundle"
(cd single && ft import "$FT_SCRATCH/whole.ftb" 2>/dev/null) || ft_fail "import of the whole bundle"
for d in whole merged single; do
	assert_set "" "$(cd "$d" && affected)" "$d: nothing changed"
done

# shellcheck disable=SC2016
edits=(
	'printf "\nX = 1\n" >>calc/fmt.py && ft_settle'
	'printf "\nX = 1\n" >>calc/arith.py && ft_settle'
	'printf "\nX = 1\n" >>tests/test_config.py && ft_settle'
	'printf "def test_new():\n    pass\n" >tests/test_new.py && ft_settle'
	'echo 9,9 >>tests/data/table.csv && ft_settle'
	'touch plugins/gamma.txt && ft_settle'
	'printf "\nX = 1\n" >>tests/conftest.py && ft_settle'
)
for e in "${edits[@]}"; do
	for d in whole merged single; do
		(cd "$FT_SCRATCH/$d" && eval "$e")
	done
	want=$(cd whole && affected)
	[ -n "$want" ] || ft_fail "edit '$e' selects nothing"
	assert_set "$want" "$(cd single && affected)" "edit '$e': the whole bundle imported"
	assert_set "$want" "$(cd merged && affected)" "edit '$e': the merged shards imported"
	for d in whole merged single; do
		(cd "$FT_SCRATCH/$d" && rm -f tests/test_new.py plugins/gamma.txt && git checkout -q -- . && ft_settle)
	done
done

# A test in both: the later recording wins, whichever order on the
# command line.  s1 records test_arith again after an edit of calc/arith.py
# (committed there, so its recording sees the new content).
cd "$FT_SCRATCH/s1"
printf "\nZ = 1\n" >>calc/arith.py && ft_settle
record tests/test_arith.py
ft export "$FT_SCRATCH/s1b.ftb" 2>/dev/null || ft_fail "export s1b"
for order in "s1b.ftb whole.ftb" "whole.ftb s1b.ftb"; do
	# shellcheck disable=SC2086
	(cd "$FT_SCRATCH" && ft merge m2.ftb $order 2>/dev/null) || ft_fail "merge $order"
	rm -rf "$FT_SCRATCH/c2" && git clone -q "$FT_SCRATCH/src" "$FT_SCRATCH/c2"
	(cd "$FT_SCRATCH/c2" && ft_settle && ft import "$FT_SCRATCH/m2.ftb" 2>/dev/null) || ft_fail "import m2"
	# c2 has the old arith.py: the later recording saw the new one
	assert_set "$ARITH" "$(cd "$FT_SCRATCH/c2" && affected)" "merge $order: the later recording of test_arith"
done
