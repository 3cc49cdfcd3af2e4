#!/usr/bin/env bash
# t1040-preload-fds.sh - a program that runs close_range(3, ~0U, 0) and gets
# fds 3 and 4 back for its own files keeps its files intact (ftp_fds checks
# their contents) while 300 more records are written.  The interposer holds
# no descriptor: regions are mapped and closed at creation.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
traced "$P/ftp_fds" "$FT_SCRATCH" > "$FT_SCRATCH/expect" || ft_fail "ftp_fds failed (its files corrupted?)"
assert_eq 303 "$(wc -l < "$FT_SCRATCH/expect")" "expectations"
expect_records "$FT_SCRATCH/expect"
# and no descriptor of ours is inherited by a child: a traced ls sees the
# same descriptors as an untraced one
bare=$(/bin/ls /proc/self/fd | LC_ALL=C sort -n | tr '\n' ' ')
fds=$(traced /bin/ls /proc/self/fd | LC_ALL=C sort -n | tr '\n' ' ')
assert_eq "$bare" "$fds" "descriptors of a traced child"
