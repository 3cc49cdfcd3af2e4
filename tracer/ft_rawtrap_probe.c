/*
 * ft_rawtrap_probe.c - can this kernel trap the system calls a program
 * makes without libc?  The preload's trap (preload/rawtrap.c) needs
 * syscall user dispatch (Linux 5.11+) and decodes x86-64 only.
 */
#include <sys/prctl.h>

#include "ft_launch.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

int ft_launch_rawtrap_ok(void)
{
#if defined(__x86_64__)
	/* the selector says "allow": switched on, nothing is trapped, and it
	 * is switched off again at once */
	static volatile char allow = 0;

	if (prctl(PR_SET_SYSCALL_USER_DISPATCH, 1, 0UL, 0UL, &allow) != 0)
		return 0;
	return prctl(PR_SET_SYSCALL_USER_DISPATCH, 0, 0UL, 0UL, 0UL) == 0;
#else
	return 0;
#endif
}
