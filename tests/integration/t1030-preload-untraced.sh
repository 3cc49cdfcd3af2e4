#!/usr/bin/env bash
# t1030-preload-untraced.sh - programs LD_PRELOAD cannot follow are marked
# UNTRACED before the exec (the test is then always selected): a static ELF
# (no PT_INTERP), a set-user-ID program (ld.so ignores LD_PRELOAD in secure
# mode) and a Go binary (raw system calls; ftp_gonote carries a Go note).
# A dynamic program and a #! script are not marked.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

. "$(dirname "${BASH_SOURCE[0]}")/lib-preload.sh"

P=$FT_PROGS
untraced_of() { # PROGRAM -> the reason recorded for it, or ""
	rm -rf "$RUN"; mkdir -p "$RUN"
	traced "$P/ftp_exec" prog "$FT_SCRATCH" "$1" > /dev/null || ft_fail "exec of $1 failed"
	ft records "$RUN" | awk -v p="$1" '$3 == "UNTRACED" && $NF == p { print $6 }'
}

cp "$P/ftp_probe" "$FT_SCRATCH/suid-probe"
chmod u+s "$FT_SCRATCH/suid-probe"
assert_eq setuid "$(untraced_of "$FT_SCRATCH/suid-probe")" "setuid program"
cp "$P/ftp_probe" "$FT_SCRATCH/sgid-probe"
chmod g+s "$FT_SCRATCH/sgid-probe"
assert_eq setuid "$(untraced_of "$FT_SCRATCH/sgid-probe")" "setgid program"
assert_eq go "$(untraced_of "$P/ftp_gonote")" "Go binary"
assert_eq "" "$(untraced_of "$P/ftp_probe")" "dynamic program"
printf '#!/bin/sh\nexit 0\n' > "$FT_SCRATCH/script.sh"
chmod +x "$FT_SCRATCH/script.sh"
assert_eq "" "$(untraced_of "$FT_SCRATCH/script.sh")" "#! script with a dynamic interpreter"

# the check opens the target: a FIFO named as a program must not hang it
# (the exec then fails with EACCES, as without ftrace)
mkfifo "$FT_SCRATCH/fifo"
chmod +x "$FT_SCRATCH/fifo"
rc=0
timeout 20 env LD_PRELOAD="$LIB" FTRACE_RUN_DIR="$RUN" FTRACE__PRELOAD="$LIB" \
	"$P/ftp_exec" prog "$FT_SCRATCH" "$FT_SCRATCH/fifo" > /dev/null 2>&1 || rc=$?
assert_eq 1 "$rc" "exec of a FIFO fails normally (124 would be a hang)"

printf 'int main(void) { return 0; }\n' > "$FT_SCRATCH/static.c"
if ! cc -static -o "$FT_SCRATCH/static-prog" "$FT_SCRATCH/static.c" 2> /dev/null; then
	ft_skip "cc -static does not work here (no static libc)"
fi
assert_eq static "$(untraced_of "$FT_SCRATCH/static-prog")" "static program"
# a script whose interpreter is static is as untraceable
printf '#!%s\n' "$FT_SCRATCH/static-prog" > "$FT_SCRATCH/static-script"
chmod +x "$FT_SCRATCH/static-script"
rm -rf "$RUN"; mkdir -p "$RUN"
traced "$P/ftp_exec" prog "$FT_SCRATCH" "$FT_SCRATCH/static-script" > /dev/null
got=$(ft records "$RUN" | awk '$3 == "UNTRACED" { print $6, $NF }')
assert_eq "static $FT_SCRATCH/static-prog" "$got" "static interpreter of a script"

