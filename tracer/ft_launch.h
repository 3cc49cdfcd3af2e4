/*
 * ft_launch.h - start the test command under the interposer and wait for it.
 *
 * The child gets the caller's environment plus:
 *   LD_PRELOAD=<preload>[:<previous>]   FTRACE_RUN_DIR, FTRACE__PRELOAD,
 *   FTRACE__STATE_DIR                    UV_USE_IO_URING=0 (libuv's io_uring
 *   PYTHONPATH=<adapters>/pytest[:...]   path bypasses libc), and
 *   PYTEST_PLUGINS=...,ftrace_pytest     FTRACE_TEST_ID=<test_id> if given.
 *   NODE_OPTIONS=[...] --require <adapters>/jest/ftrace_jest.js (the jest
 *   adapter), FTRACE__TOP=<top> (jest test ids are relative to it).
 * A stale FTRACE__OWNER is removed.  What only the launcher can see (the
 * PATH search for argv[0], a first command that cannot be preloaded) is
 * written to the run directory as a region of its own.  A statically linked
 * first command (not Go, not set-user-ID) is traced with ptrace instead
 * (ptrace_tracer.h), which writes its records, or marks it untraced.
 *
 * While the child runs, the launcher ignores SIGINT and SIGQUIT (the child,
 * in the same process group, gets them from the terminal) and forwards
 * SIGTERM and SIGHUP.
 *
 * Returns 0 and the child's wait status in *wstatus, or a negative code:
 * -errno from exec (the command could not be started: *wstatus unset),
 * FT_ETOOLONG, -ENOMEM.
 */
#ifndef FT_LAUNCH_H
#define FT_LAUNCH_H

struct ft_launch {
	char **argv;             /* command and arguments, NULL-terminated */
	const char *preload;     /* absolute path of libftrace_preload.so */
	const char *adapters;    /* absolute path of the adapters dir, or NULL */
	const char *run_dir;     /* where the regions go (exists) */
	const char *state_dir;   /* never recorded */
	const char *test_id;     /* --name, or NULL */
	const char *top;         /* the repository top, or NULL */
};

int ft_launch_run(const struct ft_launch *l, int *wstatus);

/* Run argv as it is, with no interposer (nowhere to record: the command
 * still runs as it would without ftrace).  0 and the wait status (exit 127
 * when it could not be started), or -errno when it could not be forked or
 * waited for. */
int ft_launch_plain(char *const *argv, int *wstatus);

/* 1 if the preload can trap the system calls a program makes without libc
 * in this kernel (syscall user dispatch, x86-64: preload/rawtrap.c), else
 * 0: such calls by a non-Go program are then not recorded
 * (tracer/ft_rawtrap_probe.c). */
int ft_launch_rawtrap_ok(void);

#endif
