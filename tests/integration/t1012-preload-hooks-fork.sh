#!/usr/bin/env bash
# t1012-preload-hooks-fork.sh - every hooked family, called in a fork child.
# The child must write its own region (r-<childpid>-0.rec), not append to
# its parent's: a record carries its process only through its region.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
"$P/ftp_hooks" setup "$FT_SCRATCH/base"
traced "$P/ftp_hooks" fork "$FT_SCRATCH/base" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"

assert_eq 2 "$(ls "$RUN" | wc -l)" "region files (parent and child)"
ft records "$RUN" > "$FT_SCRATCH/records"
parent=$(awk '$3 == "PROC" { print $1; exit }' "$FT_SCRATCH/records")
child=$(awk -v p="$FT_SCRATCH/base/open" '$NF == p { print $1 }' "$FT_SCRATCH/records")
[ -n "$child" ] && [ "$child" != "$parent" ] ||
	ft_fail "the fork child's records are not in a region of its own (parent $parent, child '$child')"
