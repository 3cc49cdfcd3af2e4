#!/usr/bin/env bash
# t1020-preload-exec.sh - every exec function: the program is recorded
# (exec 0 rx) before the call, and the new image is traced (ftp_probe's stat
# of DIR/<mode>.probe shows up).  The PATH-search forms (execvp, execvpe,
# execlp) also record each candidate they passed over: the missing
# DIR/nobin/ftp_probe (an absence: creating it changes which program runs)
# and the non-executable DIR/noexec/ftp_probe.  A failed exec records the
# absent program.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
for mode in execve execv execl execle execveat fexecve execvp execvpe execlp syscall absent; do
	rm -rf "$RUN" "$FT_SCRATCH/$mode"
	mkdir -p "$RUN" "$FT_SCRATCH/$mode"
	traced "$P/ftp_exec" "$mode" "$FT_SCRATCH/$mode" "$P/ftp_probe" > "$FT_SCRATCH/expect" ||
		ft_fail "ftp_exec $mode failed"
	expect_records "$FT_SCRATCH/expect"
	ft_log "$mode ok"
done
