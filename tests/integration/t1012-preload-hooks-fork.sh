#!/usr/bin/env bash
# t1012-preload-hooks-fork.sh - every hooked family, called in a fork child.
# The child must write its own region (r-<childpid>-0.rec), not append to
# its parent's: a record carries its process only through its region.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIB=$FTRACE_BUILD_DIR/libftrace_preload.so
[ -f "$LIB" ] || ft_fail "preload library not built: $LIB"
RUN=$FT_SCRATCH/run
mkdir -p "$RUN"
# traced CMD...: run CMD under the interposer, recording into $RUN
traced() { LD_PRELOAD=$LIB FTRACE_RUN_DIR=$RUN FTRACE__PRELOAD=$LIB "$@"; }
# expect_records FILE: each line of FILE is a line of `ftrace records $RUN`
# without its pid column ("<context> <TYPE> <op> <err> <flags> <data>").
expect_records() {
	local want=$1 got=$FT_SCRATCH/got missing
	[ -s "$want" ] || ft_fail "no expectations in $want"
	ft records "$RUN" | cut -d" " -f2- > "$got"
	missing=$(grep -vxF -f "$got" "$want" || true)
	[ -z "$missing" ] || ft_fail "records missing from $RUN:
$missing"
}

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
