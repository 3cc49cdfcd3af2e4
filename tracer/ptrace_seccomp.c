/*
 * ptrace_seccomp.c - see ptrace_seccomp.h.
 *
 * Layout of the program (N: the FT_SC_PTRACE rows of common/ft_sctab.h):
 *   0   ld arch
 *   1   jeq AUDIT_ARCH_X86_64 ? next : TRACE
 *   2   ld nr
 *   3   jge __X32_SYSCALL_BIT ? TRACE : next
 *   4.. one "jeq nr ? TRACE : next" per row
 *       jeq io_uring_setup ? ENOSYS : next
 *       ret ALLOW
 *       ret ERRNO(ENOSYS)
 *       ret TRACE
 * Jump offsets are 8 bits; with ~35 rows every jump stays far below 255.
 */
#include <errno.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "ft_sctab.h"
#include "ptrace_seccomp.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

#define STMT(code, k) ((struct sock_filter){ (unsigned short)(code), 0, 0, (unsigned)(k) })
#define JUMP(code, k, jt, jf) \
	((struct sock_filter){ (unsigned short)(code), (unsigned char)(jt), (unsigned char)(jf), (unsigned)(k) })

/* The rows the filter traps: the tracer decodes them. */
static size_t traced_rows(void)
{
	size_t n = 0;

	for (size_t i = 0; i < ft_sctab_count(); i++)
		n += (ft_sctab_at(i)->who & FT_SC_PTRACE) != 0;
	return n;
}

int ft_ptrace_seccomp_build(struct sock_filter *prog, size_t max)
{
	size_t rows = traced_rows();
	size_t total = 4 + rows + 1 + 3, i, pc = 0;
	size_t ret_allow = total - 3, ret_enosys = total - 2, ret_trace = total - 1;

	if (total > max || total - 4 > 250)
		return -1;
	prog[pc++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	prog[pc] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, ret_trace - pc - 1);
	pc++;
	prog[pc++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	prog[pc] = JUMP(BPF_JMP | BPF_JGE | BPF_K, __X32_SYSCALL_BIT, ret_trace - pc - 1, 0);
	pc++;
	for (i = 0; i < ft_sctab_count(); i++) {
		const struct ft_sc *sc = ft_sctab_at(i);
		if (!(sc->who & FT_SC_PTRACE))
			continue;
		prog[pc] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, sc->nr, ret_trace - pc - 1, 0);
		pc++;
	}
	prog[pc] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, ret_enosys - pc - 1, 0);
	pc++;
	prog[pc++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog[pc++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA));
	prog[pc++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
	(void)ret_allow;
	return (int)pc;
}

int ft_ptrace_seccomp_install(void)
{
	struct sock_filter insns[64];
	struct sock_fprog prog;
	int n = ft_ptrace_seccomp_build(insns, sizeof(insns) / sizeof(insns[0]));

	if (n < 0)
		return -E2BIG;
	prog.len = (unsigned short)n;
	prog.filter = insns;
	/* With CAP_SYS_ADMIN no no_new_privs is needed, and a set-user-ID
	 * program exec'd by the tree keeps its privileges: try that first. */
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) == 0)
		return 0;
	if (errno != EACCES)
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
		return -errno;
	return 0;
}
