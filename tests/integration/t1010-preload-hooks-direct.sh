#!/usr/bin/env bash
# t1010-preload-hooks-direct.sh - every hooked function family, called from
# the main thread: open/creat/fopen (plain, 64, fortified), stat (both ABIs),
# access, readlink, realpath, opendir/scandir, chdir/fchdir, mkdir, rename,
# unlink, link, symlink, truncate, syscall() (statx, openat2, getdents64),
# dlopen.  ftp_hooks prints the record each call must produce, including
# absent paths (ENOENT, ENOTDIR) and failed calls (EEXIST, EINVAL), and fails
# itself if a call returned or set errno differently than it should.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
traced "$P/ftp_hooks" direct "$FT_SCRATCH/base" > "$FT_SCRATCH/expect" 2> "$FT_SCRATCH/stderr" ||
	ft_fail "ftp_hooks failed under the interposer: $(cat "$FT_SCRATCH/stderr")"
[ ! -s "$FT_SCRATCH/stderr" ] || ft_fail "output on stderr: $(cat "$FT_SCRATCH/stderr")"
[ "$(wc -l < "$FT_SCRATCH/expect")" -ge 80 ] || ft_fail "ftp_hooks printed too few expectations"
expect_records "$FT_SCRATCH/expect"

# one process, one region: nothing was written to another file
assert_eq 1 "$(ls "$RUN" | wc -l)" "region files"
