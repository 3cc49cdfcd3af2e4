#!/usr/bin/env bash
# `ftrace affected --shard K/N` balanced by the recorded durations
# (docs/usage.md, "Shards"), not by the run's wall time shared equally.
# pytest: six tests recorded in one run, one of them sleeping 0.6 s: by the
# estimate they all cost the same; by pytest's own timing the slow one is
# alone in its shard of 2.  ctest (its own timing, from LastTest.log):
# three tests and one sleeping 0.6 s, recorded in one run: the slow one
# alone again.  The parts stay disjoint and cover the selection.
. "$(dirname "$0")/lib.sh"
"$FT_PYTHON" -m pytest --version >/dev/null 2>&1 || ft_skip "no pytest for $FT_PYTHON"
export FTRACE_GRANULARITY=file

# shards_of N: each shard's ids on one line, sorted, shards sorted
shards_of() {
	local k out
	for k in $(seq 1 "$1"); do
		out=$(ft affected --format ids --shard "$k/$1") || ft_fail "--shard $k/$1 exited $?"
		printf '%s\n' "$out" | sed '/^$/d' | sort | tr '\n' ' ' | sed 's/ $//'
		echo
	done | sort
}

mkdir -p "$FT_SCRATCH/py/tests" && cd "$FT_SCRATCH/py"
echo 1 >common.txt
for t in a b c d e; do
	printf 'def test_%s():\n    assert open("common.txt").read()\n' "$t" >"tests/test_$t.py"
done
printf 'import time\n\n\ndef test_z():\n    assert open("common.txt").read()\n    time.sleep(0.6)\n' >tests/test_z.py
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm c
ft_settle
ft run -q -- "$FT_PYTHON" -m pytest -q -p no:cacheprovider >/dev/null || ft_fail "record pytest"
echo 2 >common.txt
ft_settle
assert_eq "tests/test_a.py::test_a tests/test_b.py::test_b tests/test_c.py::test_c tests/test_d.py::test_d tests/test_e.py::test_e
tests/test_z.py::test_z" "$(shards_of 2)" "pytest: the slow test alone, by its recorded duration"

command -v cmake >/dev/null && command -v ctest >/dev/null || { ft_log "no cmake/ctest: ctest part skipped"; exit 0; }
mkdir -p "$FT_SCRATCH/ct" && cd "$FT_SCRATCH/ct"
echo 1 >common.txt
# (each test its own command: ctest tests with the same one cannot be told
# apart, docs/runners.md)
cat >CMakeLists.txt <<CMAKE
cmake_minimum_required(VERSION 3.16)
project(shard NONE)
enable_testing()
foreach(t a b c)
	add_test(NAME \${t} COMMAND sh -c "cat $PWD/common.txt # \${t}")
endforeach()
add_test(NAME z COMMAND sh -c "cat $PWD/common.txt && sleep 0.6")
CMAKE
git init -q . && git add -A && git -c user.email=t@t -c user.name=t commit -qm c
cmake -S . -B build >/dev/null || ft_fail "cmake configure failed"
cd build
ft_settle
ft run -q -- ctest >/dev/null || ft_fail "record ctest"
ns=$("$FT_PYTHON" -c 'import sqlite3; print(sqlite3.connect(".ftrace/ftrace.db").execute("SELECT source, ns >= 600000000 FROM test_times WHERE name = ?", ("z",)).fetchone())' 2>/dev/null ||
	"$FT_PYTHON" -c 'import sqlite3; print(sqlite3.connect("../.ftrace/ftrace.db").execute("SELECT source, ns >= 600000000 FROM test_times WHERE name = ?", ("z",)).fetchone())')
assert_eq "('runner', 1)" "$ns" "ctest: the slow test's duration, ctest's own"
echo 2 >../common.txt
ft_settle
assert_eq "a b c
z" "$(shards_of 2)" "ctest: the slow test alone"
