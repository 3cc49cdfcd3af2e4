#!/usr/bin/env bash
# t1021-preload-spawn.sh - children started without an exec call of ours:
# posix_spawn and posix_spawnp (libc execs in the child: Rust's Command),
# vfork+execve (make), system() and popen() (/bin/sh from environ).  The
# child's records must be there, in a region of its own.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

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
