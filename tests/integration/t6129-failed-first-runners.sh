#!/usr/bin/env bash
# `ftrace test --failed-first` beyond pytest (docs/hooks.md): node --test,
# whose test files ftrace passes in its own order, gets last time's failed
# file (the one it ran last without the option) first, then the others in
# the runner's order (the command as run, kept in runs.command, shows it); ctest run in parallel (-j 2)
# starts last time's failed test first by itself (its CTestCostData.txt),
# and ftrace's -R narrowing keeps that: said on stderr, and the tests'
# own start log shows it; serial ctest is said to take no order.
# The failures come from FTT_FAIL, which ftrace does not record.
. "$(dirname "$0")/lib.sh"

# last_command: the newest run's command line, as recorded
last_command() {
	"$FT_PYTHON" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT command FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])' "$1"
}

# 1. node --test
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
	mkdir -p "$FT_SCRATCH/node/test" && cd "$FT_SCRATCH/node"
	echo 1 >common.txt
	for f in a b c; do
		echo 1 >"$f.txt"
		cat >"test/$f.test.js" <<JS
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
test('$f', () => {
	assert.ok(fs.readFileSync('common.txt', 'utf8') && fs.readFileSync('$f.txt', 'utf8'));
	assert.notStrictEqual(process.env.FTT_FAIL, '$f');
});
JS
	done
	git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm node
	ft_settle
	ft test -q -- node --test >/dev/null 2>&1 || ft_fail "node: the first test failed"
	# the runner's order: all three selected, without the option
	echo 2 >common.txt && ft_settle
	ft test -q -- node --test >/dev/null 2>&1 || ft_fail "node: the plain test exited $?"
	plain=$(last_command .ftrace/ftrace.db)
	# the file it runs last fails, alone (node's run says which test
	# failed only through its status, so it runs alone)
	last=${plain##* } name=${last#test/} name=${name%.test.js}
	echo 2 >"$name.txt" && ft_settle
	FTT_FAIL=$name ft test -q -- node --test >/dev/null 2>&1 && ft_fail "node: $name did not fail"
	echo 3 >common.txt && ft_settle
	ft test --failed-first -- node --test >/dev/null 2>"$FT_SCRATCH/node.err" ||
		ft_fail "node: --failed-first exited $?: $(cat "$FT_SCRATCH/node.err")"
	grep -q "^ftrace: 1 test that failed last time runs first$" "$FT_SCRATCH/node.err" ||
		ft_fail "node: not said: $(cat "$FT_SCRATCH/node.err")"
	rest=${plain#node --test } rest=${rest% "$last"}
	assert_eq "node --test $last $rest" "$(last_command .ftrace/ftrace.db)" \
		"node: the failed file first, then the runner's order ($plain)"
else
	ft_log "node 20 or later not installed: node part skipped"
fi

# 2. ctest
command -v cmake >/dev/null && command -v ctest >/dev/null ||
	{ ft_log "no cmake/ctest: ctest part skipped"; exit 0; }
mkdir -p "$FT_SCRATCH/ct" && cd "$FT_SCRATCH/ct"
export START_LOG=$FT_SCRATCH/started.log
echo 1 >common.txt
cat >CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(ff NONE)
enable_testing()
foreach(t a b c d z)
	add_test(NAME \${t} COMMAND sh -c "echo \${t} >>\\\$START_LOG; cat $PWD/common.txt >/dev/null; test \${t} != z || test \\"\\\$FTT_FAIL\\" != 1")
endforeach()
CMAKE
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm ct
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cd build && ft_settle
ft test -q -- ctest -j 2 >/dev/null 2>&1 || ft_fail "ctest: the first test failed"
echo 2 >../common.txt && ft_settle
FTT_FAIL=1 ft test -q -- ctest -j 2 >/dev/null 2>&1 && ft_fail "ctest: z did not fail"
echo 3 >../common.txt && ft_settle
: >"$START_LOG"
ft test --failed-first -- ctest -j 2 >"$FT_SCRATCH/ct.out" 2>"$FT_SCRATCH/ct.err" ||
	ft_fail "ctest: --failed-first exited $?: $(cat "$FT_SCRATCH/ct.err")"
grep -q "^ftrace: test: --failed-first: ctest runs the tests that failed last time first itself when parallel (-j)" \
	"$FT_SCRATCH/ct.err" || ft_fail "ctest -j: not said: $(cat "$FT_SCRATCH/ct.err")"
assert_set "a b c d z" "$(cat "$START_LOG")" "ctest: every affected test ran"
# the order ctest launched them in, as it says ("Start N: name"): the
# started log's order is the order the shells got to run, which a loaded
# machine can swap
started=$(sed -n 's/^ *Start *[0-9]*: *//p' "$FT_SCRATCH/ct.out")
grep -qx z <<<"$(head -2 <<<"$started")" ||
	ft_fail "ctest -j 2: z is not among the first two launched: $started"
ft test --failed-first -- ctest >/dev/null 2>"$FT_SCRATCH/ct1.err" || :
grep -q "^ftrace: test: --failed-first: ctest runs its tests in their declared order unless it runs in parallel" \
	"$FT_SCRATCH/ct1.err" || ft_fail "serial ctest: not said: $(cat "$FT_SCRATCH/ct1.err")"
