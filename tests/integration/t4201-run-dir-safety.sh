#!/usr/bin/env bash
# `ftrace run` followed a symlink placed at its run directory and unlinked
# every file in the link's target: a test that moved $FTRACE_RUN_DIR away
# and put a link to another directory in its place lost that directory's
# files.  The run dir is now created exclusively, opened O_NOFOLLOW, and
# removed only through its descriptor while runs/<name> is still the dir
# ftrace made; a replaced run dir saves nothing and deletes nothing.  The
# state dir, run dirs, regions and the database hold every path the tests
# touched, so they are owner-only (0700 dirs, 0600 files).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture cmd-partial

# 1. modes of what a run creates
ft_record 0 --keep-records --name modes -- ./a.sh
mode() { stat -c %a "$1"; }
[ "$(mode .ftrace)" = 700 ] || ft_fail ".ftrace is $(mode .ftrace), expected 700"
[ "$(mode .ftrace/runs)" = 700 ] || ft_fail ".ftrace/runs is $(mode .ftrace/runs)"
for d in .ftrace/runs/*/; do
	[ "$(mode "$d")" = 700 ] || ft_fail "run dir $d is $(mode "$d")"
done
n=0
for f in .ftrace/runs/*/r-*.rec; do
	[ "$(mode "$f")" = 600 ] || ft_fail "region $f is $(mode "$f")"
	n=$((n + 1))
done
[ "$n" -ge 2 ] || ft_fail "expected the launcher's and a.sh's regions, found $n"
for f in .ftrace/ftrace.db .ftrace/ftrace.db-wal .ftrace/ftrace.db-shm; do
	[ ! -e "$f" ] || [ "$(mode "$f")" = 600 ] || ft_fail "$f is $(mode "$f")"
done
rm -rf .ftrace/runs/*

# 2. the command replaces its run dir by a link to another directory
victim=$FT_SCRATCH/victim
mkdir "$victim"
echo keep >"$victim/keep.txt"
cp -p .ftrace/ftrace.db "$victim/r-1-0.rec"  # any file named like a region
cat >swap.sh <<'SH'
#!/bin/sh
cat a.txt >/dev/null
mv "$FTRACE_RUN_DIR" "$FTRACE_RUN_DIR.moved"
ln -s "$1" "$FTRACE_RUN_DIR"
SH
chmod +x swap.sh
ft_old swap.sh
ft_settle
rc=0
"$FTRACE_BIN" run --name swapped -- ./swap.sh "$victim" >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
[ -f "$victim/keep.txt" ] && [ -f "$victim/r-1-0.rec" ] ||
	ft_fail "files outside the state dir were deleted: $(ls -A "$victim")"
[ "$rc" -eq 70 ] || ft_fail "expected 70 (a passing command whose recording was not saved), got $rc: $(cat "$FT_SCRATCH/run.err")"
grep -q 'moved or replaced' "$FT_SCRATCH/run.err" || ft_fail "no message: $(cat "$FT_SCRATCH/run.err")"
# nothing read through the link: the named test is stored untraced, with
# no dependency (so always selected)
assert_eq "1" "$(sqlite3 .ftrace/ftrace.db "SELECT untraced FROM tests WHERE name = 'swapped'")" \
	"the swapped run's test: untraced"
assert_eq "0" "$(sqlite3 .ftrace/ftrace.db "SELECT count(*) FROM test_sets ts JOIN depset_states d
	ON d.set_id = ts.set_id JOIN tests t ON t.id = ts.test_id WHERE t.name = 'swapped'")" \
	"a recording read through the link was saved"
assert_set "swapped" "$("$FTRACE_BIN" affected | grep -x swapped)" "the swapped run's test is selected"
rm -f .ftrace/runs/*/ 2>/dev/null || true
find .ftrace/runs -mindepth 1 -maxdepth 1 -type l -delete

# 3. runs/ itself is a link to another directory: refused, nothing created there
rm -rf .ftrace/runs
ln -s "$victim" .ftrace/runs
rc=0
"$FTRACE_BIN" run --name linked -- ./a.sh >"$FT_SCRATCH/run.out" 2>"$FT_SCRATCH/run.err" || rc=$?
[ "$rc" -eq 70 ] || ft_fail "runs/ as a link: expected 70, got $rc: $(cat "$FT_SCRATCH/run.err")"
grep -q 'cannot create the run directory' "$FT_SCRATCH/run.err" || ft_fail "no message: $(cat "$FT_SCRATCH/run.err")"
[ "$(ls -A "$victim" | LC_ALL=C sort | tr '\n' ' ')" = "keep.txt r-1-0.rec " ] ||
	ft_fail "something was created or deleted in the link's target: $(ls -A "$victim")"
