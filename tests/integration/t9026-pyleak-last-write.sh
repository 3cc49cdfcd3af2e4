#!/usr/bin/env bash
# A leaky test shares only the code it ran before its last write to the
# state it left, when that state is in dicts (docs/python-functions.md,
# "State a test leaves behind"; fixtures/pyleak-seq).  Under each
# interpreter of 3.11 or later found with pytest (and those named in
# FT_EXTRA_PYTHONS, e.g. venvs), at function granularity:
#
# - test_a fills cache._cache through get() and build(), then runs
#   render(): render() first ran after test_a's last write, so it is not
#   shared.  An edit of render() selects the tests that ran it and not
#   test_b (which shares the cache test_a left); an edit of build() (the
#   last function first run before the write: the boundary) still selects
#   test_b, whose outcome it changes in a full run.
# - late/test_d runs render() and then writes the cache: render() is
#   shared, and its edit selects every test that can see cache.py.
# - test_fill sets an attribute of a module-level instance through
#   make_table(), then runs describe(): an edit of describe() selects
#   test_fill only, one of make_table() test_read too.
# - test_attach stores a new instance, then sets its attribute through
#   compute(): that write moves no dict version (inline values), and
#   compute() must stay shared: its edit selects test_child.
# - test_list appends to a module-level list (no write clock): everything
#   it ran is shared, as before, after() too, which it ran after the
#   append: its edit selects test_other.
# - The side file says which rule ran ("leak_rule"); the C profile hook
#   (FTRACE_PYFUNC_HOOK=cprofile) notes no clock and keeps the old rule.
# - test_store runs work() and tail() again after test_warm ran them
#   first: under sys.monitoring they come through the callback for
#   re-armed code (_ftrace_mon's, in C, where built), which must note the
#   clock as the first one does: an edit of tail(), run after the write,
#   selects test_warm and test_store only; one of work() test_later too.
. "$(dirname "$0")/lib.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

CACHE="tests/test_a.py::test_a tests/test_b.py::test_b tests/test_c.py::test_c"
LATE="late/test_d.py::test_d"
HIST="tests/test_e.py::test_list tests/test_e.py::test_other"
LAZY="tests/test_f.py::test_fill tests/test_f.py::test_read"
CHILD="tests/test_g.py::test_attach tests/test_g.py::test_child"
WARM_RAN="tests/test_h.py::test_warm tests/test_h.py::test_store"
WARM="$WARM_RAN tests/test_h.py::test_later"

# edit FILE OLD NEW: replace OLD (which must be there) in FILE
edit() {
	"$PY" - "$@" <<'PY' || ft_fail "edit $*"
import sys
p, a, b = sys.argv[1:]
s = open(p).read()
assert a in s
open(p, "w").write(s.replace(a, b))
PY
}

# side KEY: the kept side file's functions[KEY], as JSON
side() {
	"$PY" - "$1" <<'PY'
import glob, json, sys
f, = glob.glob(".ftrace/runs/*/adapter-pytest-*.json")
print(json.dumps(json.load(open(f))["functions"].get(sys.argv[1])))
PY
}

# check NAME RULE [PYTEST ARGS]: record the fixture's copy NAME with $PY,
# check the side file's rule, then each edit's selection
check() {
	local name=$1 rule=$2 hook out
	shift 2
	ft_fixture pyleak-seq "$name"
	ft_clock_past_ctime
	ft run -q --keep-records --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	hook=$(side hook)
	assert_eq "\"$rule\"" "$(side leak_rule)" "$PY, hook $hook: the leak rule in the side file"
	ft_log "$PY ($hook, $*): leak_rule $rule, narrowed $(side leak_narrowed), why $(side leak_rule_why)"
	sel() { ft affected --format ids --granularity=function; }
	assert_eq "" "$(sel)" "$PY: nothing changed"
	local all="$CACHE" narrow="tests/test_a.py::test_a tests/test_c.py::test_c"
	[ "$*" = tests ] || all="$CACHE $LATE" narrow="$CACHE $LATE"
	[ "$rule" = last-write ] || narrow=$all

	edit pkg/cache.py '"<%s>"' '"<%s >"'
	assert_set "$narrow" "$(sel)" "$PY ($hook, $*): render() edited"
	git checkout -q pkg

	edit pkg/cache.py 'k * 10' 'k * 11'
	out=$("$PY" -m pytest -q -p no:cacheprovider "$@" 2>&1) && ft_fail "build()'s edit fails no test: $out"
	grep -q "FAILED tests/test_b.py::test_b" <<<"$out" || ft_fail "build()'s edit: test_b passes: $out"
	assert_set "$all" "$(sel)" "$PY ($hook, $*): build() edited"
	git checkout -q pkg

	edit pkg/hist.py '"after"' '"after" + ""'
	assert_set "$HIST" "$(sel)" "$PY ($hook, $*): after() edited (a list: all of test_list shared)"
	git checkout -q pkg

	edit pkg/lazy.py '{"x": 1}' '{"x": 2}'
	out=$("$PY" -m pytest -q -p no:cacheprovider "$@" 2>&1) && ft_fail "make_table()'s edit fails no test: $out"
	grep -q "FAILED tests/test_f.py::test_read" <<<"$out" || ft_fail "make_table()'s edit: test_read passes: $out"
	assert_set "$LAZY" "$(sel)" "$PY ($hook, $*): make_table() edited"
	git checkout -q pkg

	edit pkg/lazy.py '"table of %d"' '"table of %d" + ""'
	if [ "$rule" = last-write ]; then
		assert_set "tests/test_f.py::test_fill" "$(sel)" "$PY ($hook, $*): describe() edited"
	else
		assert_set "$LAZY" "$(sel)" "$PY ($hook, $*): describe() edited"
	fi
	git checkout -q pkg

	# test_store's work() and tail() come through the callback for
	# re-armed code (test_warm ran them first): it notes the clock too
	edit pkg/warm.py '"[%s]"' '"[%s]" + ""'
	if [ "$rule" = last-write ]; then
		assert_set "$WARM_RAN" "$(sel)" "$PY ($hook, $*): tail() edited (run again, after the write)"
	else
		assert_set "$WARM" "$(sel)" "$PY ($hook, $*): tail() edited"
	fi
	git checkout -q pkg
	edit pkg/warm.py 'k * 2' 'k * 3'
	out=$("$PY" -m pytest -q -p no:cacheprovider "$@" 2>&1) && ft_fail "work()'s edit fails no test: $out"
	grep -q "FAILED tests/test_h.py::test_later" <<<"$out" || ft_fail "work()'s edit: test_later passes: $out"
	assert_set "$WARM" "$(sel)" "$PY ($hook, $*): work() edited (run again, before the write)"
	git checkout -q pkg

	edit pkg/child.py 'return 5' 'return 6'
	out=$("$PY" -m pytest -q -p no:cacheprovider "$@" 2>&1) && ft_fail "compute()'s edit fails no test: $out"
	grep -q "FAILED tests/test_g.py::test_child" <<<"$out" || ft_fail "compute()'s edit: test_child passes: $out"
	assert_set "$CHILD" "$(sel)" "$PY ($hook, $*): compute() edited (set on a new instance after the store)"
	git checkout -q pkg
}

each() { # each INDEX: with $PY
	local rule
	# the hooks that note a clock: 3.12's sys.monitoring, 3.11's frame
	# evaluation function; 3.13 leaves an instance's __dict__'s version
	# alone (ftrace_pyclock)
	rule=$("$PY" -c 'import sys; print("last-write" if (3, 11) <= sys.version_info < (3, 13) else "all")')
	check "p$1" "$rule" tests
	check "p$1-late" "$rule" tests late
	if [ "$PY" = "$FT_PYTHON" ]; then
		FTRACE_PYFUNC_HOOK=cprofile check "p$1-cprofile" all tests
	fi
}
ft_each_python each
