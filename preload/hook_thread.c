/*
 * hook_thread.c - what keeps the raw-call trap (rawtrap.c) on: each new
 * thread arms it for itself, and a program that takes SIGSYS for its own
 * handler switches it off (the process is then untraced).
 *
 * signal(), sigset() and bsd_signal() reach the kernel without passing
 * through sigaction's symbol; signal() is hooked too, the others are rare
 * for SIGSYS (a raw rt_sigaction is trapped like any raw call).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "ft_preload.h"

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
	if (sig == SIGSYS && act)
		ft__rawtrap_off("the program handles SIGSYS");
	return FT_REAL(sigaction)(sig, act, old);
}

FT_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	if (sig == SIGSYS)
		ft__rawtrap_off("the program handles SIGSYS");
	return FT_REAL(signal)(sig, handler);
}
