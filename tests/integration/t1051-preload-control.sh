#!/usr/bin/env bash
# t1051-preload-control.sh - the control API (ftrace.h) as an in-process
# runner uses it, found with dlsym like the pytest plugin finds it through
# ctypes: begin/end with outcomes, context switches, and a subprocess
# started during a test belongs to that test without starting one.
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
traced "$P/ftp_control" "$FT_SCRATCH" "$P/ftp_probe" > "$FT_SCRATCH/expect" || ft_fail "ftp_control failed"
expect_records "$FT_SCRATCH/expect"
assert_eq 2 "$(ft records "$RUN" | awk '$3 == "BEGIN"' | wc -l)" "TEST_BEGIN records (the child starts none)"
