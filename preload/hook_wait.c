/*
 * hook_wait.c - waitpid, wait4, wait3, wait and waitid: how each child
 * ended, as its parent reaps it (FT_REC_EXIT, FT_EXIT_REAPED).
 *
 * A process cannot report its own status: returning from main calls exit
 * inside libc, out of our reach, and a signal ends it with nothing run at
 * all.  Its parent's wait does see the kernel's word on it, so that is
 * where it is recorded; ingest ties the pid to the child in its process
 * tree (ingest/ft_ptree.h).  A child reaped any other way (glibc's
 * system(), which waits inside libc; SIGCHLD ignored; a raw wait4) has
 * no recorded status, which ingest reads as "not known", never "passed".
 * node (libuv) and Rust's std (cargo, nextest, test binaries) reap with
 * waitpid through the PLT; Go's raw wait4 is the ptrace back end's, which
 * sees every tracee end by itself (tracer/ptrace_tracer.c).
 *
 * A caller's NULL status pointer is replaced by one of ours (the kernel
 * writes the same either way).  WNOWAIT leaves the child waitable: its
 * real reap records it.  Stopped and continued children are no end.
 */
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "ft_preload.h"

/* Record that child `pid` ended with `wstatus`.  Async-signal-safe (a
 * SIGCHLD handler reaps); keeps errno. */
static void ft_reaped(pid_t pid, int wstatus)
{
	struct ft_rec_exit e = { (int32_t)pid, (int32_t)wstatus };
	int saved = errno;

	if (pid <= 0 || !(WIFEXITED(wstatus) || WIFSIGNALED(wstatus)) || !ft__on())
		return;
	ft__guard++;
	ft__emit(FT_REC_EXIT, FT_OP__NONE, 0, FT_EXIT_REAPED, (const char *)&e, sizeof(e));
	ft__guard--;
	errno = saved;
}

FT_EXPORT pid_t waitpid(pid_t pid, int *wstatus, int options)
{
	int st = 0;
	pid_t r = FT_REAL(waitpid)(pid, &st, options);

	if (wstatus && r > 0)
		*wstatus = st;
	if (r > 0 && !(options & WNOWAIT))
		ft_reaped(r, st);
	return r;
}

FT_EXPORT pid_t wait(int *wstatus)
{
	int st = 0;
	pid_t r = FT_REAL(wait)(&st);

	if (wstatus && r > 0)
		*wstatus = st;
	if (r > 0)
		ft_reaped(r, st);
	return r;
}

FT_EXPORT pid_t wait3(int *wstatus, int options, struct rusage *ru)
{
	int st = 0;
	pid_t r = FT_REAL(wait3)(&st, options, ru);

	if (wstatus && r > 0)
		*wstatus = st;
	if (r > 0 && !(options & WNOWAIT))
		ft_reaped(r, st);
	return r;
}

FT_EXPORT pid_t wait4(pid_t pid, int *wstatus, int options, struct rusage *ru)
{
	int st = 0;
	pid_t r = FT_REAL(wait4)(pid, &st, options, ru);

	if (wstatus && r > 0)
		*wstatus = st;
	if (r > 0 && !(options & WNOWAIT))
		ft_reaped(r, st);
	return r;
}

/* waitid's siginfo as a wait status: an exit code, or the signal (with
 * the core flag). */
FT_EXPORT int waitid(idtype_t idtype, id_t id, siginfo_t *info, int options)
{
	siginfo_t own = { 0 };
	siginfo_t *si = info ? info : &own;
	int r = FT_REAL(waitid)(idtype, id, si, options);

	/* WNOHANG with no child ready: 0 and si_pid 0 (the kernel clears it) */
	if (r != 0 || (options & WNOWAIT) || !(options & WEXITED) || si->si_signo != SIGCHLD ||
	    si->si_pid <= 0)
		return r;
	if (si->si_code == CLD_EXITED)
		ft_reaped(si->si_pid, (si->si_status & 0xff) << 8);
	else if (si->si_code == CLD_KILLED)
		ft_reaped(si->si_pid, si->si_status & 0x7f);
	else if (si->si_code == CLD_DUMPED)
		ft_reaped(si->si_pid, (si->si_status & 0x7f) | 0x80);
	return r;
}
