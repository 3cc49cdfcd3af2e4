#!/usr/bin/env bash
# A region file is published whole: made as .t-<pid>-<n>.tmp with its
# header and first record, then linked to r-<pid>-<seq>.rec.  A process
# killed half way (a test that kills `less`) leaves a temporary name,
# which ingest does not read, instead of a headerless r-*.rec, which it
# would call damaged, making every test of the run untraced.  Also: a
# normal run leaves no temporary name behind, and a headerless region
# (what the old order could leave) still makes the run untraced (sound).
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"
command -v sqlite3 >/dev/null || ft_skip "no sqlite3 CLI"

ft_fixture cmd-kinds

# A process killed between creating its region file and filling it: strace
# kills sh at its first fallocate, which the preload calls right after
# creating the file.  Before, that left an empty r-*.rec: damaged, untraced.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
	ft_record 137 --name killed -- strace -f -qq -o /dev/null -e inject=fallocate:signal=KILL \
		sh -c 'cat mode.txt'
	assert_eq 0 "$(ft_untraced killed)" "a process killed while making its region: not damaged"
else
	ft_log "no usable strace: the kill-while-creating case is not run"
fi
ft_record 0 --name left -- sh -c 'head -c 1048576 /dev/zero > "$FTRACE_RUN_DIR/.t-999999-0.tmp"; cat mode.txt >/dev/null'
assert_eq 0 "$(ft_untraced left)" "a left-over temporary region is not read"
grep -q ' ./mode.txt$' <<<"$(ft_deps left)" || ft_fail "the test's own records were lost"

# many processes, many regions: every one published, no temporary left
ft_record 0 --keep-records --name many -- sh -c 'for i in 1 2 3 4 5 6 7 8; do cat mode.txt >/dev/null & done; wait'
kept=$(ls -d .ftrace/runs/*/ 2>/dev/null | tail -1)
[ -n "$kept" ] || ft_fail "--keep-records kept no run directory"
[ "$(find "$kept" -name 'r-*.rec' | wc -l)" -ge 9 ] || ft_fail "fewer regions than processes in $kept"
[ -z "$(find "$kept" -name '.t-*')" ] || ft_fail "temporary region names left in $kept: $(ls -a "$kept")"

# the old failure, a headerless r-*.rec: damaged, so untraced (selected)
ft_record 0 --name damaged -- sh -c 'head -c 1048576 /dev/zero > "$FTRACE_RUN_DIR/r-999999-0.rec"'
assert_eq 1 "$(ft_untraced damaged)" "a headerless region still makes the run untraced"
