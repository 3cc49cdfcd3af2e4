#!/usr/bin/env bash
# Issue 24, "Concurrent first runs": eight `ftrace run` started at once on a
# fresh state directory; seven exited 70 "database is corrupt" (they found
# the zero-byte file the first one was still creating), and a concurrent
# `ftrace affected` advised deleting the database.  Every run must save its
# test, and a reader must never call a database being created corrupt.
# The same for a zero-byte ftrace.db left behind (an older ftrace killed
# while creating it).
. "$(dirname "$0")/lib.sh"

cd "$FT_SCRATCH"
git init -q .
echo data >f.txt
touch -d '2020-01-01 00:00:00' f.txt

# N runs and N readers at once; every run exits 0, every reader 0 or 2 and
# never says "corrupt" or "delete"
race() {
	local what=$1 i rc
	local -a pids=()
	for i in 1 2 3 4 5 6 7 8; do
		ft run -q --name "t$i" -- cat f.txt >/dev/null 2>"$FT_SCRATCH/run$i.err" &
		pids+=($!)
		ft affected >/dev/null 2>"$FT_SCRATCH/aff$i.err" &
		pids+=($!)
	done
	for i in 0 1 2 3 4 5 6 7; do
		rc=0; wait "${pids[$((2 * i))]}" || rc=$?
		[ "$rc" -eq 0 ] || ft_fail "$what: run t$((i + 1)) exited $rc: $(cat "$FT_SCRATCH/run$((i + 1)).err")"
		rc=0; wait "${pids[$((2 * i + 1))]}" || rc=$?
		[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || ft_fail "$what: affected exited $rc"
		if grep -Eqi 'corrupt|delete' "$FT_SCRATCH/aff$((i + 1)).err"; then
			ft_fail "$what: affected during creation: $(cat "$FT_SCRATCH/aff$((i + 1)).err")"
		fi
	done
	assert_set "" "$(ft affected)" "$what: nothing changed"
	echo more >>f.txt
	touch -d '2020-01-01 00:00:00' f.txt
	assert_set "t1 t2 t3 t4 t5 t6 t7 t8" "$(ft affected)" "$what: every run was saved"
	echo data >f.txt
	touch -d '2020-01-01 00:00:00' f.txt
	[ -z "$(ls .ftrace/runs 2>/dev/null)" ] || ft_fail "$what: records left behind: $(ls .ftrace/runs)"
	grep -q '\.new-' <<<"$(ls .ftrace)" && ft_fail "$what: a private creation file was left: $(ls .ftrace)"
	return 0
}

race "fresh state directory"

# a zero-byte database: "no recording yet", exit 2, no advice to delete it
rm -rf .ftrace
mkdir .ftrace
: >.ftrace/ftrace.db
rc=0
ft affected >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 2 "$rc" "affected on an empty database"
grep -q 'no recording yet' "$FT_SCRATCH/err" || ft_fail "empty database: $(cat "$FT_SCRATCH/err")"
grep -Eqi 'corrupt|delete' "$FT_SCRATCH/err" && ft_fail "empty database called corrupt: $(cat "$FT_SCRATCH/err")"
[ ! -s "$FT_SCRATCH/out" ] || ft_fail "empty database: stdout not empty"

race "zero-byte database"
