# lib-pyfunc.sh - sourced, after lib.sh, by the t90NN-pyfunc-* scripts (and t2038) that
# record a fixture at function granularity and run pytest on what
# `ftrace affected` prints (t9020, t9021), or check that an edit fails a
# full run (t9022, t9024, t9038, t9040).

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
# full_run_fails PATH WANT WHAT: with the edit of WHAT in place, a full run
# of pytest on PATH fails, and its summary has WANT ("2 failed"): the edit
# does change the outcome of tests a selection must not leave out.
full_run_fails() {
	local out
	out=$("$FT_PYTHON" -m pytest -q -p no:cacheprovider "$1" 2>&1) && ft_fail "the edit of $3 should fail tests: $out"
	grep -q "$2" <<<"$out" || ft_fail "$3's edit: expected $2: $out"
}
# run_selected N [PYTEST-ARG...]: pytest on what `ftrace affected` prints
# runs N tests, which pass
run_selected() {
	local out n=$1
	shift
	out=$(lines | xargs -r "$FT_PYTHON" -m pytest -q -p no:cacheprovider "$@" 2>&1) ||
		ft_fail "pytest on the selection failed: $out"
	grep -q "^$n passed" <<<"$out" || ft_fail "expected $n passed: $out"
}
# full_fails WHAT ID...: a plain full run of pytest fails each ID, and only
# them (the edit of WHAT changes what those tests see)
full_fails() {
	local what=$1 out
	shift
	out=$("$PY" -m pytest -q -p no:cacheprovider 2>&1) && ft_fail "$what: the full run fails no test: $out"
	assert_set "$*" "$(sed -n 's/^FAILED \([^ ]*\).*/\1/p' <<<"$out")" "$what: the tests a full run fails"
}
