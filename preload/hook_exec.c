/*
 * hook_exec.c - the exec family.
 *
 * execv, execvp, execl* call execve inside libc, where no hook sees them, so
 * each is hooked.  Every variant does the same three things before the real
 * call (a successful exec does not return):
 *   1. record the program (FT_OP_EXEC), and for a PATH search every
 *      candidate probed before it that does not exist (FT_OP_EXEC_SEARCH:
 *      creating one of them later changes which program runs);
 *   2. a static or Go program (exec_target.c) is run as
 *      `ftrace __ptrace-exec PROG -- ARGV...` instead, which traces it
 *      with ptrace (docs/ptrace.md); without that helper, record
 *      FT_REC_UNTRACED;
 *   3. pass an envp with ftrace's variables re-injected (env.c), so that
 *      `env -i prog` and programs that drop LD_PRELOAD are still traced.
 * The execl forms gather their arguments on the stack and share the execve
 * / execvpe paths, so that there is one place per behaviour.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "ft_preload.h"

extern char **environ;

/* Exec the helper for `via`; if that fails, the program itself, untraced. */
static int ft_exec_via(const char *via, char *const argv[], char *const envp[])
{
	char *hargv[ft__argv_count(argv) + 6];

	ft__exec_via_argv(via, argv, hargv);
	FT_REAL(execve)(ft__proc.exe, hargv, envp);
	ft__exec_via_failed(via);
	return FT_REAL(execve)(via, argv, envp);
}

/* execve (search 0) or execvpe (search 1) of `file`, with the steps above */
static int ft_exec(const char *file, char *const argv[], char *const envp[], int search)
{
	struct ft__envfix fix;
	char via[FT__PATHBUF];
	int r, e, rerouted;

	if (!ft__on())
		return search ? FT_REAL(execvpe)(file, argv, envp) : FT_REAL(execve)(file, argv, envp);
	rerouted = search ? ft__exec_search(file, FT_OP_EXEC, envp, via)
			  : ft__exec_path(file, FT_OP_EXEC, envp, via);
	if (rerouted == FT__EXEC_FOREIGN)
		ft__env_strip(envp, &fix);
	else
		ft__env_fix(envp, &fix);
	if (rerouted == FT__EXEC_VIA)
		r = ft_exec_via(via, argv, fix.envp);
	else if (search)
		r = FT_REAL(execvpe)(file, argv, fix.envp);
	else
		r = FT_REAL(execve)(file, argv, fix.envp);
	e = errno;
	ft__env_release(&fix);
	errno = e;
	return r;
}

static int ft_execve(const char *path, char *const argv[], char *const envp[])
{
	return ft_exec(path, argv, envp, 0);
}

static int ft_execvpe(const char *file, char *const argv[], char *const envp[])
{
	return ft_exec(file, argv, envp, 1);
}

FT_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	return ft_execve(path, argv, envp);
}

FT_EXPORT int execv(const char *path, char *const argv[])
{
	return ft_execve(path, argv, environ);
}

FT_EXPORT int execvp(const char *file, char *const argv[])
{
	return ft_execvpe(file, argv, environ);
}

FT_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	return ft_execvpe(file, argv, envp);
}

/* Count the variadic arguments after arg0, up to the NULL. */
#define FT_COUNT_ARGS(arg0, n)                          \
	do {                                            \
		va_list ap_;                            \
		va_start(ap_, arg0);                    \
		for (n = 1; va_arg(ap_, const char *); n++) \
			;                               \
		va_end(ap_);                            \
	} while (0)

/* Fill argv[0..n] (argv[n] = NULL); `ap` is left after the NULL. */
#define FT_GATHER_ARGS(arg0, argv, n, ap)               \
	do {                                            \
		va_start(ap, arg0);                     \
		argv[0] = (char *)arg0;                 \
		for (size_t i_ = 1; i_ <= n; i_++)      \
			argv[i_] = va_arg(ap, char *);  \
	} while (0)

FT_EXPORT int execl(const char *path, const char *arg, ...)
{
	size_t n;
	va_list ap;

	FT_COUNT_ARGS(arg, n);
	{
		char *argv[n + 1];
		FT_GATHER_ARGS(arg, argv, n, ap);
		va_end(ap);
		return ft_execve(path, argv, environ);
	}
}

FT_EXPORT int execlp(const char *file, const char *arg, ...)
{
	size_t n;
	va_list ap;

	FT_COUNT_ARGS(arg, n);
	{
		char *argv[n + 1];
		FT_GATHER_ARGS(arg, argv, n, ap);
		va_end(ap);
		return ft_execvpe(file, argv, environ);
	}
}

FT_EXPORT int execle(const char *path, const char *arg, ...)
{
	size_t n;
	va_list ap;

	FT_COUNT_ARGS(arg, n);
	{
		char *argv[n + 1];
		char *const *envp;
		FT_GATHER_ARGS(arg, argv, n, ap);
		envp = va_arg(ap, char *const *);
		va_end(ap);
		return ft_execve(path, argv, envp);
	}
}

FT_EXPORT int execveat(int dirfd, const char *path, char *const argv[], char *const envp[], int flags)
{
	struct ft__envfix fix;
	char buf[FT__PATHBUF];
	long n;
	int r, e, foreign = 0;

	if (!ft__on())
		return FT_REAL(execveat)(dirfd, path, argv, envp, flags);
	buf[0] = '\0';
	if ((flags & AT_EMPTY_PATH) && !path[0])
		n = ft__path_fd(dirfd, buf, sizeof(buf));
	else
		n = ft__path_abs(dirfd, path, buf, sizeof(buf));
	if (n >= 0 && buf[0] == '/')
		foreign = ft__exec_target(buf, FT_OP_EXEC, envp) == FT__EXEC_FOREIGN;
	else
		ft__untraced(path, strnlen(path, 256), FT_UNTRACED_UNKNOWN);
	if (foreign)
		ft__env_strip(envp, &fix);
	else
		ft__env_fix(envp, &fix);
	r = FT_REAL(execveat)(dirfd, path, argv, fix.envp, flags);
	e = errno;
	ft__env_release(&fix);
	errno = e;
	return r;
}

FT_EXPORT int fexecve(int fd, char *const argv[], char *const envp[])
{
	struct ft__envfix fix;
	char buf[FT__PATHBUF];
	long n;
	int r, e, foreign = 0;

	if (!ft__on())
		return FT_REAL(fexecve)(fd, argv, envp);
	buf[0] = '\0';
	n = ft__path_fd(fd, buf, sizeof(buf));
	if (n >= 0 && buf[0] == '/')
		foreign = ft__exec_target(buf, FT_OP_EXEC, envp) == FT__EXEC_FOREIGN;
	else
		ft__untraced("fexecve", 7, FT_UNTRACED_UNKNOWN); /* a memfd: unnamed program */
	if (foreign)
		ft__env_strip(envp, &fix);
	else
		ft__env_fix(envp, &fix);
	r = FT_REAL(fexecve)(fd, argv, fix.envp);
	e = errno;
	ft__env_release(&fix);
	errno = e;
	return r;
}
