#!/usr/bin/env bash
# t1023-preload-wait.sh - how each child ended, as its parent reaps it
# (preload/hook_wait.c, FT_REC_EXIT): waitpid, wait4, wait3, wait(NULL),
# waitid with P_PID and P_ALL, a child killed by a signal, WNOHANG that
# returns 0 and WNOWAIT (neither leaves a record), each from main, from a
# thread and from a fork child.  Exactly one EXIT record per child: a
# second one (the WNOWAIT peek) would read as a reused pid at ingest.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

for mode in direct thread fork; do
	rm -rf "$RUN"; mkdir -p "$RUN"
	traced "$FT_PROGS/ftp_wait" "$mode" > "$FT_SCRATCH/expect" ||
		ft_fail "$mode: ftp_wait failed under the preload"
	expect_records "$FT_SCRATCH/expect"
	assert_eq "$(wc -l < "$FT_SCRATCH/expect")" "$(ft records "$RUN" | awk '$3 == "EXIT"' | wc -l)" \
		"$mode: one EXIT record per child"
done
# the same program without the preload behaves the same
"$FT_PROGS/ftp_wait" direct >/dev/null || ft_fail "ftp_wait fails without the preload"
