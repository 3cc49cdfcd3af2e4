#!/usr/bin/env bash
# The ptrace back end follows a static program's whole tree: a fork()ed
# child, a second thread, a dynamic program started with vfork + execve
# (traced by ptrace and by its own preload: double records are harmless),
# a chdir, openat2 (no libc wrapper), a dirfd-relative open, readlink, an
# exec of an absent program.  Each of those files is a dependency: changing
# it selects the test; the renamed output does not.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

ft_fixture static-c
cc -O0 -static -pthread -o tree "$FTRACE_SOURCE_DIR/tests/preload/ftp_static_tree.c" 2>/dev/null ||
	ft_skip "cc -static does not work here (no static libc)"
mkdir -p sub
for f in child.txt thread.txt exec.txt sub/rel.txt o2.txt at.txt; do echo "$f" >"$f"; done
ln -s child.txt link

ft_record 0 --name t -- ./tree
grep -q '^tree: ok' "$FT_SCRATCH/run.out" || ft_fail "tree did not run cleanly: $(cat "$FT_SCRATCH/run.out")"
grep -q '^exec.txt$' "$FT_SCRATCH/run.out" || ft_fail "cat did not run"
grep -q warning "$FT_SCRATCH/run.err" && ft_fail "unexpected warning: $(cat "$FT_SCRATCH/run.err")"
ft_affected_is "" "no change"

for f in child.txt thread.txt exec.txt sub/rel.txt o2.txt at.txt; do
	ft_change "$f"
	ft_affected_is "t" "$f changed"
	ft_revert "$f"
done
ft_affected_is "" "all reverted"

ln -sfn thread.txt link
ft_affected_is "t" "the readlink'ed symlink retargeted"
ln -sfn child.txt link

printf '#!/bin/sh\n' >nope && chmod +x nope
ft_affected_is "t" "the absent ./nope created"
rm nope

echo "other" >made.out
ft_affected_is "" "the output rewritten"
exit 0
