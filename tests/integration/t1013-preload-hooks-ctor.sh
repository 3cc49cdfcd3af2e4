#!/usr/bin/env bash
# t1013-preload-hooks-ctor.sh - every hooked family, called from a constructor
# of the program (it runs before main, after the interposer's; a constructor
# of a library initialized before ours exercises the lazy init path).
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
FTP_CTOR_BASE=$FT_SCRATCH/base traced "$P/ftp_hooks" ctor "$FT_SCRATCH/base" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
