/*
 * ptrace_seccomp.h - the seccomp-bpf filter that makes only file calls stop.
 *
 * Built from the syscall table (common/ft_sctab.h): every FT_SC_PTRACE row
 * returns SECCOMP_RET_TRACE, so the tracer gets a PTRACE_EVENT_SECCOMP
 * stop; io_uring_setup fails with ENOSYS (its submissions would reach the
 * file system without any system call we could see), everything else is
 * allowed and never stops.  A call made through another ABI (i386 int 0x80, x32)
 * also returns SECCOMP_RET_TRACE: the tracer cannot decode it and marks the
 * test untraced rather than miss it.
 *
 * ft_ptrace_seccomp_install() runs in the child between fork and exec: no
 * allocation, async-signal-safe.  Without CAP_SYS_ADMIN it must set
 * PR_SET_NO_NEW_PRIVS first, and then a set-user-ID program exec'd in the
 * tree runs without its privileges (which is why a set-user-ID first
 * command is not ptraced); with it, no_new_privs is left alone.
 * Returns 0 or -errno.  A filter that returns TRACE with no tracer attached
 * makes the call fail with ENOSYS, so install it only once the parent has
 * seized the child.
 */
#ifndef FT_PTRACE_SECCOMP_H
#define FT_PTRACE_SECCOMP_H

#include <stddef.h>
#include <linux/filter.h>

/* Fill `prog` (at most `max` instructions); returns the count or -1. */
int ft_ptrace_seccomp_build(struct sock_filter *prog, size_t max);

int ft_ptrace_seccomp_install(void);

#endif
