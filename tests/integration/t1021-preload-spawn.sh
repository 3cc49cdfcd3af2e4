#!/usr/bin/env bash
# t1021-preload-spawn.sh - children started without an exec call of ours:
# posix_spawn and posix_spawnp (libc execs in the child: Rust's Command),
# vfork+execve (make), system() and popen() (/bin/sh from environ).  The
# child's records must be there, in a region of its own.
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
for mode in posix_spawn posix_spawnp vfork system popen; do
	rm -rf "$RUN" "$FT_SCRATCH/$mode"
	mkdir -p "$RUN" "$FT_SCRATCH/$mode"
	traced "$P/ftp_exec" "$mode" "$FT_SCRATCH/$mode" "$P/ftp_probe" > "$FT_SCRATCH/expect" ||
		ft_fail "ftp_exec $mode failed"
	expect_records "$FT_SCRATCH/expect"
	ft records "$RUN" > "$FT_SCRATCH/records"
	parent=$(awk '$3 == "PROC" { print $1; exit }' "$FT_SCRATCH/records")
	child=$(awk -v p="$FT_SCRATCH/$mode/$mode.probe" '$NF == p { print $1 }' "$FT_SCRATCH/records")
	[ -n "$child" ] && [ "$child" != "$parent" ] || ft_fail "$mode: child not in its own region"
	ft_log "$mode ok"
done
