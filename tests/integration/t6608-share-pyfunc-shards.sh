#!/usr/bin/env bash
# Function-granularity shards merged (issue 28): fixtures/pytest-funcs
# recorded by function in two shards on two clones (test_util.py, whose
# session fixture runs shop.util.session_label in the prelude, and the
# rest), exported, merged with `ftrace merge` and imported into a third
# clone, selects exactly what one unsharded recording selects, for a body
# edit of a function one test ran (net), of a function only one shard's
# prelude ran (session_label: the unsharded recording keeps every test, as
# that body is baked into module state; the merged fingerprint row keeps
# the union of both shards' prelude qualnames), of slug, and a module-top
# edit.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY
ft_fixture pytest-funcs src
cd "$FT_SCRATCH"
for d in whole s1 s2 b; do
	git clone -q src $d
	(cd $d && ft_settle)
done
rec() {
	(cd "$FT_SCRATCH/$1" && shift && ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q \
		-p no:cacheprovider "$@" >"$FT_SCRATCH/out" 2>&1) ||
		{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording $*"; }
}
rec whole
rec s1 tests/test_util.py
rec s2 tests/test_prices.py tests/test_catalog.py tests/test_registry.py tests/test_env.py
(cd s1 && ft export "$FT_SCRATCH/s1.ftb" 2>/dev/null) || ft_fail "export s1"
(cd s2 && ft export "$FT_SCRATCH/s2.ftb" 2>/dev/null) || ft_fail "export s2"
# s2 first: its row for shop/util.py's version lacks session_label, which
# only s1's prelude ran (a merge keeping the first row would lose it)
ft merge "$FT_SCRATCH/m.ftb" "$FT_SCRATCH/s2.ftb" "$FT_SCRATCH/s1.ftb" 2>/dev/null || ft_fail "merge exited $?"
(cd b && ft import "$FT_SCRATCH/m.ftb" 2>/dev/null) || ft_fail "import exited $?"
fn() { (cd "$FT_SCRATCH/$1" && ft affected --format ids --granularity=function); }
assert_set "" "$(fn b)" "b: nothing changed after the import"

# shellcheck disable=SC2016
edits=(
	"ft_edit shop/prices.py 'return round(amount, 2)' 'return round(amount, 3)'"
	"ft_edit shop/util.py 'return \"session\"' 'return \"session!\"'"
	"ft_edit shop/util.py 'return \"-\".join(text.lower().split())' 'return \"_\".join(text.lower().split())'"
	"ft_edit shop/prices.py 'TAX = 0.25' 'TAX = 0.5'"
)
for e in "${edits[@]}"; do
	for d in whole b; do
		(cd "$FT_SCRATCH/$d" && eval "$e" && ft_settle)
	done
	want=$(fn whole)
	[ -n "$want" ] || ft_fail "edit '$e' selects nothing in the unsharded recording"
	case $e in *session*) [ "$(printf '%s\n' "$want" | wc -l)" -ge 10 ] ||
		ft_fail "a body only the prelude ran selects only: $want" ;; esac
	assert_set "$want" "$(fn b)" "edit '$e': the merged shards select what one recording does"
	for d in whole b; do
		(cd "$FT_SCRATCH/$d" && git checkout -q -- . && ft_settle)
	done
done
