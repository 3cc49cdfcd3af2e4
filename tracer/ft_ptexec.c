/*
 * ft_ptexec.c - see ft_ptexec.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ft_error.h"
#include "ft_ptexec.h"
#include "ft_record.h"
#include "ptrace_tracer.h"

extern char **environ;

static volatile sig_atomic_t ft_child;

static void forward(int sig)
{
	if (ft_child > 0)
		kill((pid_t)ft_child, sig);
}

int ft_ptexec_run(const char *program, char **argv, int *wstatus)
{
	const char *run_dir = getenv(FT_ENV_RUN_DIR), *state_dir = getenv(FT_ENV_STATE_DIR);
	const char *ctx = getenv(FT_ENV_TEST_ID);
	struct sigaction fwd, ign, old[4];
	static const int sigs[4] = { SIGINT, SIGQUIT, SIGTERM, SIGHUP };
	struct ft_ptrace pt;
	int pipefd[2], rc, err = 0;
	pid_t pid;
	ssize_t n;

	if (!run_dir || run_dir[0] != '/')
		return FT_EUSAGE;
	if (setenv(FT_ENV_PTRACED, "1", 1) < 0)
		return -errno;
	if ((rc = ft_ptrace_prepare(&pt, program, run_dir, state_dir ? state_dir : "",
				    ctx ? ctx : "")) < 0)
		return rc;
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		rc = -errno;
		ft_ptrace_release(&pt);
		return rc;
	}
	/* the terminal's signals reach the program in our process group
	 * itself; the ones sent to our pid (the program's, for the caller)
	 * are passed on */
	memset(&fwd, 0, sizeof(fwd));
	fwd.sa_handler = forward;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], i < 2 ? &ign : &fwd, &old[i]);
	pid = fork();
	if (pid < 0) {
		rc = -errno;
		goto out;
	}
	if (pid == 0) {
		for (int i = 0; i < 4; i++)
			sigaction(sigs[i], &old[i], NULL);
		close(pipefd[0]);
		ft_ptrace_child(&pt);
		execve(program, argv, environ);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	ft_child = pid;
	close(pipefd[1]);
	pipefd[1] = -1;
	rc = ft_ptrace_parent(&pt, pid, wstatus);
	do
		n = read(pipefd[0], &err, sizeof(err));
	while (n < 0 && errno == EINTR);
	if (rc >= 0 && n == (ssize_t)sizeof(err))
		rc = -err;
out:
	ft_child = 0;
	for (int i = 0; i < 4; i++)
		sigaction(sigs[i], &old[i], NULL);
	close(pipefd[0]);
	if (pipefd[1] >= 0)
		close(pipefd[1]);
	ft_ptrace_release(&pt);
	return rc;
}
