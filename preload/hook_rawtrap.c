/*
 * hook_rawtrap.c - what keeps the raw-call trap (rawtrap.c) on: each new
 * thread arms it for itself; what the program sets for SIGSYS is kept
 * aside for the trap's handler to pass on (ft__rawtrap_sigaction); a
 * program that sets up syscall user dispatch itself switches it off (the
 * process is then untraced).
 *
 * signal(), sigset() and bsd_signal() reach the kernel without passing
 * through sigaction's symbol; signal() is hooked too, the others are rare
 * for SIGSYS (a raw rt_sigaction is trapped like any raw call).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>

#include "ft_preload.h"

#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#endif

struct ft_start {
	void *(*fn)(void *);
	void *arg;
};

static void *ft_thread_start(void *p)
{
	struct ft_start s = *(struct ft_start *)p;

	free(p);
	ft__rawtrap_thread();
	return s.fn(s.arg);
}

FT_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	struct ft_start *s;
	int r;

	if (!ft__rawtrap_armed())
		return FT_REAL(pthread_create)(thread, attr, fn, arg);
	s = malloc(sizeof(*s));
	if (!s) {
		ft__rawtrap_off("raw system calls of a thread left unseen");
		return FT_REAL(pthread_create)(thread, attr, fn, arg);
	}
	s->fn = fn;
	s->arg = arg;
	r = FT_REAL(pthread_create)(thread, attr, ft_thread_start, s);
	if (r != 0)
		free(s);
	return r;
}

FT_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig == SIGSYS && ft__rawtrap_sigaction(act, old))
		return 0;
	return FT_REAL(sigaction)(sig, act, old);
}

FT_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	struct sigaction act, old;

	if (sig == SIGSYS) {
		/* glibc's signal(): BSD semantics */
		memset(&act, 0, sizeof(act));
		act.sa_handler = handler;
		act.sa_flags = SA_RESTART;
		if (ft__rawtrap_sigaction(&act, &old))
			return old.sa_handler;
	}
	return FT_REAL(signal)(sig, handler);
}

FT_EXPORT int prctl(int option, ...)
{
	unsigned long a[4];
	va_list ap;

	va_start(ap, option);
	for (int i = 0; i < 4; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);
	if (option == PR_SET_SYSCALL_USER_DISPATCH)
		ft__rawtrap_off("the program sets up syscall user dispatch");
	return FT_REAL(prctl)(option, a[0], a[1], a[2], a[3]);
}
