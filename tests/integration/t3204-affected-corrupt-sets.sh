#!/usr/bin/env bash
# Integrity of stored sets (issue 24, "Corruption that SQLite does not
# notice").  The case that broke: single-bit flips in data pages gave
# `ftrace affected` exit 0 with 31-39 of 40 tests in about 1% of trials,
# and edits of rows that SQLite cannot tell from real ones (a state's
# value, a set's member, a test's outcome or set reference) dropped tests
# silently.  Now every stored set's digest and size are verified from its
# members, and the tests' rows and set references against a digest each
# run writes: a mismatch is exit 2 "database is corrupt: <what>", and
# `affected` writes nothing into that database.  Then a bounded bit-flip
# loop with fixed seeds: every trial is exit 2 or a superset of the truth.
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"
unset FTRACE_DIR

mkdir -p "$FT_SCRATCH/repo"
cd "$FT_SCRATCH/repo"
git init -q .
ALL=""
for i in $(seq 1 20); do
	echo "$i" >"f$i"
	ALL="$ALL t$i"
done
echo shared >common
touch -d '2020-01-01 00:00:00' f* common
for i in $(seq 1 20); do
	ft run -q --name "t$i" -- cat "f$i" common >/dev/null || ft_fail "recording t$i failed"
done
ft run -q --name tfail -- sh -c 'cat f1; exit 1' >/dev/null 2>&1 || true
DB=$PWD/.ftrace/ftrace.db
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
cp "$DB" "$FT_SCRATCH/good.db"
assert_set "tfail" "$(ft affected --format ids)" "no change: only the failed test"

# edited WHAT SQL: with the edit, affected exits 2 as corrupt, and leaves
# the database as it was
edited() {
	local rc=0 before after
	cp "$FT_SCRATCH/good.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	sqlite3 "$DB" "$2"
	before=$(sqlite3 "$DB" .dump | md5sum)
	ft affected --format ids >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
	[ $rc -eq 2 ] || ft_fail "$1: exit $rc, expected 2; printed: $(tr '\n' ' ' <"$FT_SCRATCH/out")"
	grep -q "database is corrupt: " "$FT_SCRATCH/err" || ft_fail "$1: no message: $(cat "$FT_SCRATCH/err")"
	after=$(sqlite3 "$DB" .dump | md5sum)
	[ "$before" = "$after" ] || ft_fail "$1: affected wrote into the corrupt database"
}
fid=$(sqlite3 "$DB" "SELECT id FROM paths WHERE path = CAST('$PWD/f3' AS BLOB)")
t5=$(sqlite3 "$DB" "SELECT id FROM tests WHERE name = 't5'")
edited "a state's value" "UPDATE states SET value = value + 1 WHERE path_id = $fid"
edited "a path's bytes" "UPDATE paths SET path = CAST('$PWD/g3' AS BLOB) WHERE id = $fid"
edited "a set's member dropped" "DELETE FROM depset_states WHERE state_id IN (SELECT id FROM states WHERE path_id = $fid)"
edited "a member moved to another set" "UPDATE depset_states SET set_id = (SELECT max(id) FROM depsets) WHERE state_id IN (SELECT id FROM states WHERE path_id = $fid)"
edited "a set's size" "UPDATE depsets SET n = n - 1 WHERE id = (SELECT min(id) FROM depsets)"
edited "a test's set reference dropped" "DELETE FROM test_sets WHERE test_id = $t5"
# (t5 has two sets, its own and the prelude's environment variables: one
# reference moves, to a set it does not have)
edited "a test's set reference moved" "UPDATE test_sets SET set_id = (SELECT min(id) FROM depsets WHERE id NOT IN (SELECT set_id FROM test_sets WHERE test_id = $t5)) WHERE test_id = $t5 AND set_id = (SELECT max(set_id) FROM test_sets WHERE test_id = $t5)"
edited "a failed test passed" "UPDATE tests SET outcome = 1 WHERE name = 'tfail'"
edited "an untraced flag" "UPDATE tests SET untraced = 1 - untraced WHERE name = 't7'"
edited "a test renamed" "UPDATE tests SET name = 'tX' WHERE name = 't9'"
# the runner lists read are those of the runs the tests name (schema 3)
edited "a test's run moved" "UPDATE tests SET run_id = run_id + 1 WHERE name = 't5'"
edited "a test's run deleted" "DELETE FROM runs WHERE id = (SELECT run_id FROM tests WHERE name = 't5')"
cp "$FT_SCRATCH/good.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
assert_set "tfail" "$(ft affected --format ids)" "restored"
# A run by an older ftrace (no tests digest of its own) leaves the digest
# behind: skipped, never a false "corrupt".  (Its runs row made as the
# 2 -> 3 migration would have: with its row checksum.)
sqlite3 "$DB" "INSERT INTO runs(command, cwd) VALUES('an older ftrace', '$PWD')"
"$FTRACE_BUILD_DIR/tests/tools/ftt_plantset" --redigest "$DB" || ft_fail "redigest"
assert_set "tfail" "$(ft affected --format ids)" "after an older ftrace's run"
cp "$FT_SCRATCH/good.db" "$DB"
rm -f "$DB-wal" "$DB-shm"

# A run into a database whose tests are already corrupt saves nothing: its
# commit would write a fresh tests digest over the dropped set reference,
# and every later check would pass with t5 left out.
sqlite3 "$DB" "DELETE FROM test_sets WHERE test_id = $t5"
rc=0
ft run -q --name t6 -- cat f6 >/dev/null 2>"$FT_SCRATCH/err" || rc=$?
[ $rc -ne 0 ] || ft_fail "a run into a corrupt database exited 0"
grep -q "database is corrupt: " "$FT_SCRATCH/err" || ft_fail "the run gave no reason: $(cat "$FT_SCRATCH/err")"
grep -q "ftrace ingest" "$FT_SCRATCH/err" || ft_fail "the run did not say its records are kept: $(cat "$FT_SCRATCH/err")"
rc=0
ft affected --format ids >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || ft_fail "after a run into it, the corrupt database answered (exit $rc)"
rm -rf .ftrace/runs
cp "$FT_SCRATCH/good.db" "$DB"
rm -f "$DB-wal" "$DB-shm"

# Bit flips, bounded and deterministic: `common` changed, so the truth is
# every test.  Each trial flips one bit of a copy of the database.
echo changed >common
touch -d '2020-01-01 00:00:00' common
TRUTH=$(ft affected --format ids) || ft_fail "affected on the good database failed"
assert_set "$ALL tfail" "$TRUTH" "the truth"
TRIALS=${FT_FLIP_TRIALS:-150}
mkdir -p "$FT_SCRATCH/flip"
"$FT_PYTHON" - "$FT_SCRATCH/good.db" "$FT_SCRATCH/flip" "$TRIALS" <<'PY' || ft_fail "preparing the flips"
import random, sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
page = int.from_bytes(data[16:18], "big") or 65536
for seed in range(n):
    r = random.Random(seed)
    pg = r.randrange(1, len(data) // page)      # not page 1: the header and schema
    off = pg * page + r.randrange(page)
    b = bytearray(data)
    b[off] ^= 1 << r.randrange(8)
    open("%s/%d.db" % (out, seed), "wb").write(bytes(b))
PY
exit2=0 same=0
for seed in $(seq 0 $((TRIALS - 1))); do
	rc=0
	out=$(ft affected --format ids --db "$FT_SCRATCH/flip/$seed.db" 2>"$FT_SCRATCH/err") || rc=$?
	if [ $rc -eq 2 ]; then
		exit2=$((exit2 + 1))
		continue
	fi
	[ $rc -eq 0 ] || ft_fail "seed $seed: exit $rc: $(cat "$FT_SCRATCH/err")"
	missing=$(comm -23 <(printf '%s\n' $TRUTH | sort) <(printf '%s\n' "$out" | sort))
	[ -z "$missing" ] || ft_fail "seed $seed: exit 0 without $(echo $missing)"
	same=$((same + 1))
done
ft_log "bit flips: $exit2 of $TRIALS cannot tell, $same a superset of the truth"
