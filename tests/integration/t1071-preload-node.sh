#!/usr/bin/env bash
# t1071-preload-node.sh - Node 20's libuv calls statx through syscall(), not
# through the statx wrapper: without the syscall() hook statSync is invisible.
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

command -v node > /dev/null || ft_skip "no node"
cd "$FT_SCRATCH"
traced node -e "try { require('fs').statSync('x') } catch (e) { if (e.code !== 'ENOENT') throw e }"
echo "- ACCESS stat ENOENT s $FT_SCRATCH/x" > "$FT_SCRATCH/expect"
expect_records "$FT_SCRATCH/expect"
