# lib-pyfunc.sh - sourced, after lib.sh, by the t90NN-pyfunc-* scripts that
# record a fixture at function granularity and run pytest on what
# `ftrace affected` prints (t9020, t9021).

# record [PYTEST ARGS...]: `ftrace run --granularity=function -- python -m
# pytest -q -p no:cacheprovider ARGS`, which must pass; its output is in
# $FT_SCRATCH/run.out.
record() {
	ft run --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
}
# fn: the selection by test id; lines: as pytest takes it (a whole module
# as its path, a test function or class asked for whole as its id).
fn() { ft affected --format ids --granularity=function; }
lines() { ft affected --granularity=function; }
# run_selected N [PYTEST-ARG...]: pytest on what `ftrace affected` prints
# runs N tests, which pass
run_selected() {
	local out n=$1
	shift
	out=$(lines | xargs -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" 2>&1) ||
		ft_fail "pytest on the selection failed: $out"
	grep -q "^$n passed" <<<"$out" || ft_fail "expected $n passed: $out"
}
