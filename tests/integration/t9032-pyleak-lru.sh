#!/usr/bin/env bash
# A test whose only lasting change is in lru_cache wrappers shares what it
# ran with the tests that called those wrappers (or read their counts),
# not with every test (docs/python-functions.md, "An lru_cache a test
# filled"; fixtures/pyleak-lru).  Under each interpreter of 3.11 or later
# found with pytest (and those named in FT_EXTRA_PYTHONS), at function
# granularity, and under the C profile hook for the first:
#
# - tests/test_lru.py alone: an edit of inc(), which only test_a ran
#   (through the cache's miss; no static rule makes it the cache's),
#   selects test_a, test_b (it got test_a's result from the cache, and
#   fails in a full run) and test_d (it reads the cache's counts), never
#   test_c, which never called the cache: before, test_a's code was every
#   test's (and under xdist, t9032-x).  The same for an edit of step.txt, which inc() reads: what
#   test_a saw goes to the same tests (ingest, "leaky_scoped").  An
#   edit of render() that makes test_a fill a second entry fails test_d:
#   selected.
# - with tests/test_z.py: a module-scoped fixture's setup gets test_a's
#   result, so what test_a ran is every test's again (test_c included).
# - the chains' closure (_reach, one pass over the strongly connected
#   components of "got from") and leak_scoped's inversion (_users_of)
#   equal a plain search on seeded random graphs: cycles, chains, a
#   node that gets from every other, nodes with no edge.
. "$(dirname "$0")/lib.sh"
unset PYTHONPYCACHEPREFIX FTRACE_GRANULARITY FTRACE_PYFUNC_HOOK
export PYTHONDONTWRITEBYTECODE=1

A=tests/test_lru.py::test_a B=tests/test_lru.py::test_b
C=tests/test_lru.py::test_c D=tests/test_lru.py::test_d
Z=tests/test_z.py::test_z

# side KEY: the kept side file's top-level KEY, as JSON (leaky_scoped is
# there only: moved out of "functions", one copy in the file)
side() {
	"$PY" - "$1" <<'PY'
import glob, importlib, json, os, sys
sys.path.insert(0, os.path.join(os.environ["FTRACE_SOURCE_DIR"], "tests", "integration"))
f, = glob.glob(".ftrace/runs/*/adapter-pytest-*.json")
d = importlib.import_module("lib-sidefile").load(f)
assert "leak_scoped" not in d["functions"], "functions.leak_scoped is written twice"
print(json.dumps(d.get(sys.argv[1]), sort_keys=True))
PY
}

sel() { ft affected --format ids --granularity=function; }

# full_fails WHAT ID... [-- PYTEST ARGS]: a plain full run fails each ID
full_fails() {
	local what=$1 out id
	shift
	local ids=() args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do ids+=("$1"); shift; done
	[ $# -gt 0 ] && shift && args=("$@")
	out=$("$PY" -m pytest -q -p no:cacheprovider "${args[@]}" 2>&1) && ft_fail "$what: the full run fails no test: $out"
	for id in "${ids[@]}"; do
		grep -qF "FAILED $id" <<<"$out" || ft_fail "$what: $id passes in the full run: $out"
	done
}

record() { # record NAME PYTEST-ARGS...
	local name=$1
	shift
	ft_fixture pyleak-lru "$name"
	ft_clock_past_ctime
	ft run -q --keep-records --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider "$@" \
		>"$FT_SCRATCH/run.out" 2>&1 || ft_fail "recording failed: $(cat "$FT_SCRATCH/run.out")"
	assert_eq "" "$(sel)" "$PY: nothing changed"
}

check() { # check NAME
	local name=$1
	record "$name" tests/test_lru.py
	assert_eq "{\"$A\": [\"$B\", \"$D\"]}" "$(side leaky_scoped)" "$PY ($name): the side file's leaky_scoped"

	ft_edit pkg/tz.py 'h + int' 'h + 1 + int'
	full_fails "$PY ($name): inc() edited" "$A" "$B" -- tests/test_lru.py
	assert_set "$A $B $D" "$(sel)" "$PY ($name): inc() edited (test_c never called the cache)"
	ft_back pkg/tz.py

	# what test_a saw goes to the same tests (ingest, the side file's
	# leaky_scoped)
	echo 2 >pkg/step.txt
	full_fails "$PY ($name): step.txt edited" "$A" "$B" -- tests/test_lru.py
	assert_set "$A $B $D" "$(sel)" "$PY ($name): step.txt edited (test_c never called the cache)"
	ft_back pkg/step.txt

	ft_edit pkg/tz.py '    return "r%d" % x' '    cached("inc", x + 10)
    return "r%d" % x'
	full_fails "$PY ($name): render() fills a second entry" "$D" -- tests/test_lru.py
	assert_set "$A $B $C $D" "$(sel)" "$PY ($name): render() edited"
	ft_back pkg/tz.py

	record "$name-z" tests
	assert_eq "{}" "$(side leaky_scoped)" "$PY ($name-z): a fixture's setup used the cache"
	ft_edit pkg/tz.py 'h + int' 'h + 1 + int'
	full_fails "$PY ($name-z): inc() edited" "$A" "$B" "$Z" -- tests
	assert_set "$A $B $C $D $Z" "$(sel)" "$PY ($name-z): inc() edited (the fixture's value)"
	ft_back pkg/tz.py
	echo 2 >pkg/step.txt
	assert_set "$A $B $C $D $Z" "$(sel)" "$PY ($name-z): step.txt edited (the fixture's value)"
	ft_back pkg/step.txt
}

# xdist: each worker's callers are its own, and the next run may place a
# caller in the filler's worker: no test is scoped (t9032-x; ingest scopes
# none where several side files name leaky tests, unit/test_adapter).
xdist() {
	"$PY" -c 'import xdist' 2>/dev/null || return 0
	ft_fixture pyleak-lru "$1-x"
	ft_clock_past_ctime
	# (test_d, which expects test_a's entry, fails where they ran apart)
	ft run -q --granularity=function -- "$PY" -m pytest -q -p no:cacheprovider -n 2 tests/test_lru.py \
		>"$FT_SCRATCH/run.out" 2>&1 || :
	ft_edit pkg/tz.py 'h + int' 'h + 1 + int'
	assert_set "$A $B $C $D" "$(sel)" "$PY ($1-x): inc() edited, recorded under xdist: every test"
	ft_back pkg/tz.py
}

closure() {
	local adapter=$FTRACE_BUILD_DIR/adapters/pytest
	[ -f "$adapter/ftrace_pytest_funcs.py" ] || adapter=$FTRACE_SOURCE_DIR/adapters/pytest
	"$FT_PYTHON" - "$adapter" <<'PY' || ft_fail "_reach or _users_of differs from a plain search"
import random, sys
sys.path.insert(0, sys.argv[1])
import ftrace_pytest_funcs as funcs

def plain(edges, v):
    seen, todo = set(), list(edges[v])
    while todo:
        w = todo.pop()
        if w not in seen:
            seen.add(w)
            todo.extend(edges[w])
    return seen

rng = random.Random(9032)
shapes = 0
for n in list(range(1, 9)) + [40, 200]:
    for density in (0.0, 0.02, 0.1, 0.5, 1.0):
        nodes = [("t%d" % i, "call") for i in range(n)]
        edges = {v: {w for w in nodes if w != v and rng.random() < density} for v in nodes}
        if n > 3 and density == 0.02:      # one long chain, then back
            for a, b in zip(nodes, nodes[1:]):
                edges[a].add(b)
            edges[nodes[-1]].add(nodes[n // 2])
        reach, comp = funcs._reach(edges)
        for v in nodes:
            assert reach[comp[v]] == plain(edges, v), (n, density, v)
        users = funcs._users_of(set(nodes), edges)
        for t in nodes:
            assert users[t[0]] == sorted(u[0] for u in nodes if t in edges[u]), (n, density, t)
        shapes += 1
print(shapes)
PY
}
closure

each() { # each INDEX: with $PY
	check "p$1"
	xdist "p$1"
	if [ "$PY" = "$FT_PYTHON" ]; then
		FTRACE_PYFUNC_HOOK=cprofile check "p$1-cprofile"
	fi
}
ft_each_python each
