#!/usr/bin/env bash
# t1034-preload-no-rawtrap.sh - where the kernel cannot trap the system
# calls a program makes without libc (no syscall user dispatch: before
# Linux 5.11, or not x86-64), those calls are not recorded (t1033 shows
# what is recorded where it can).  That must not be silent: `ftrace run`
# says so on stderr.  A kernel without the feature is stood in for by a
# seccomp filter that makes prctl(PR_SET_SYSCALL_USER_DISPATCH) fail with
# EINVAL, as such a kernel does; the run goes on and the command's own
# status is kept.
. "$(dirname "$0")/lib.sh"
. "$FTRACE_SOURCE_DIR/fixtures/cmd-common/helpers.sh"

[ "$(uname -m)" = x86_64 ] || ft_skip "the filter below is written for x86-64"
BIN=$FT_SCRATCH/bin
mkdir -p "$BIN"
cat > "$BIN/nosud.c" <<'C'
/* nosud CMD...: run CMD with prctl(59, ...) failing with EINVAL */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_prctl, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 59, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EINVAL),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 2 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("nosud");
		return 2;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
C
cc -o "$BIN/nosud" "$BIN/nosud.c" || ft_fail "cc nosud failed"
printf '#include <sys/prctl.h>\nint main(void){static volatile char a=0;return prctl(59,1,0UL,0UL,&a)!=0;}\n' |
	cc -x c -o "$BIN/sudprobe" - || ft_fail "cc sudprobe failed"
"$BIN/nosud" "$BIN/sudprobe" && ft_fail "the premise: prctl(59) still works under the filter"

ft_fixture cmd-partial
warn='cannot trap the system calls a program makes without libc'
if "$BIN/sudprobe"; then
	ft_record 0 --name here -- cat a.txt
	grep -qF "$warn" "$FT_SCRATCH/run.err" && ft_fail "warned on a kernel that can trap: $(cat "$FT_SCRATCH/run.err")"
fi
ft_settle
rc=0
"$BIN/nosud" "$FTRACE_BIN" run --name without -- sh -c 'cat a.txt; exit 3' >"$FT_SCRATCH/out" 2>"$FT_SCRATCH/err" || rc=$?
assert_eq 3 "$rc" "the command's own status"
assert_eq "$(cat a.txt)" "$(cat "$FT_SCRATCH/out")" "the command ran"
grep -qF "$warn" "$FT_SCRATCH/err" || ft_fail "no warning without syscall user dispatch: $(cat "$FT_SCRATCH/err")"
ft_change a.txt
ft_affected_has "without" "the run was recorded all the same"
