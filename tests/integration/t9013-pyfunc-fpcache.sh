#!/usr/bin/env bash
# The fingerprint cache of `ftrace affected --granularity=function`
# (python/ft_pyfunc_fpcache.h): a second call over the same working tree
# starts no Python and selects the same; a file edited since, a file whose
# ctime is too fresh to trust, another interpreter, or
# FTRACE_PYFUNC_FPCACHE=0 start it again.  A logging wrapper counts the
# interpreter's starts.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
unset PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_FPCACHE
ft_fixture pytest-funcs

LOG=$FT_PYLOG
ft_counting_python python other
export FTRACE_PYTHON=$FT_SCRATCH/python

NET=tests/test_prices.py::test_net
GROSS=tests/test_prices.py::test_gross

ft run -q --granularity=function -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >"$FT_SCRATCH/out" 2>&1 ||
	{ cat "$FT_SCRATCH/out" >&2; ft_fail "recording failed"; }

fn() { ft affected --format ids --granularity=function; }
starts() { wc -l <"$LOG"; }
# settled: the edit's ctime more than FT_FPCACHE_SETTLE_NS (2 s) old
settled() { sleep 2.2; }

ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
settled
: >"$LOG"
assert_set "$NET" "$(fn)" "a body edit: the first call"
assert_eq 1 "$(starts)" "the first call fingerprints"
: >"$LOG"
assert_set "$NET" "$(fn)" "a body edit: the second call"
assert_eq 0 "$(starts)" "the second call starts no python"
FTRACE_PYFUNC_FPCACHE=0 fn >"$FT_SCRATCH/o" || ft_fail "FTRACE_PYFUNC_FPCACHE=0 failed"
assert_set "$NET" "$(cat "$FT_SCRATCH/o")" "the cache off: the same"
assert_eq 1 "$(starts)" "the cache off: python again"

# Edited again, a skeleton change this time: the cached body-only answer
# must not be reused (the stat changed), and a fresh ctime is not stored.
ft_edit shop/prices.py "TAX = 0.25" "TAX = float(0.5)"
touch shop/prices.py   # its ctime now: far from settled
: >"$LOG"
n=$(fn | wc -l)
assert_eq "$(sqlite3 .ftrace/ftrace.db 'SELECT count(*) FROM tests')" "$n" "a skeleton edit selects every test"
assert_eq 1 "$(starts)" "an edited file is fingerprinted again"
fn >/dev/null
assert_eq 2 "$(starts)" "a fresh ctime is not cached: python again"

# Another interpreter does not use this one's fingerprints.
ft_back shop/prices.py
ft_edit shop/prices.py "return round(amount, 2)" "return round(amount, 3)"
settled
fn >/dev/null
: >"$LOG"
fn >/dev/null
assert_eq 0 "$(starts)" "cached again"
FTRACE_PYTHON=$FT_SCRATCH/other fn >"$FT_SCRATCH/o" || ft_fail "another interpreter failed"
assert_set "$NET" "$(cat "$FT_SCRATCH/o")" "another interpreter: the same"
assert_eq 1 "$(starts)" "another interpreter: not its cache"

# Another version of the fingerprint tool (an upgraded ftrace: its files'
# size or mtime differ) does not use the fingerprints of this one.  A copy
# of the adapters with the same mtimes is the same tool.
# (the build tree's adapters, which ftrace finds beside itself)
[ -d "$FTRACE_BUILD_DIR/adapters/pytest" ] || ft_skip "no adapters in the build tree"
cp -a "$FTRACE_BUILD_DIR/adapters" "$FT_SCRATCH/adapters-copy"
fn >/dev/null   # (the cache keeps one row per file: this interpreter's again)
: >"$LOG"
FTRACE_ADAPTERS_DIR=$FT_SCRATCH/adapters-copy fn >"$FT_SCRATCH/o" || ft_fail "the copied tool failed"
assert_set "$NET" "$(cat "$FT_SCRATCH/o")" "the copied tool: the same"
assert_eq 0 "$(starts)" "the same tool's files (mtimes kept): cached"
for f in ftrace_fingerprint.py ftrace_pystate.py; do
	touch "$FT_SCRATCH/adapters-copy/pytest/$f"
	: >"$LOG"
	FTRACE_ADAPTERS_DIR=$FT_SCRATCH/adapters-copy fn >"$FT_SCRATCH/o" || ft_fail "the touched tool failed"
	assert_set "$NET" "$(cat "$FT_SCRATCH/o")" "$f changed: the same selection"
	assert_eq 1 "$(starts)" "$f changed: another tool, not its cache"
done
