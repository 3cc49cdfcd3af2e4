/*
 * ft_watch_build.c - running the watch daemon's build command (contract in
 * ft_watch_build.h).
 *
 * The daemon stays single-threaded and keeps answering queries while a
 * build runs: it polls the build's pidfd with its other descriptors.  (A
 * build that runs `ftrace affected` is answered, not deadlocked.)
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ft_watch_build.h"

static void clock_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

/* The child: never returns.  Only async-signal-safe calls after fork. */
static void child(const struct ft_watch_build *b, int logfd)
{
	static const int sigs[] = { SIGPIPE, SIGHUP, SIGTERM, SIGINT, SIGCHLD };
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	int nul;

	/* the daemon ignores SIGPIPE and SIGHUP: exec keeps ignored
	 * dispositions, and a build must see the usual ones */
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	(void)setpgid(0, 0);
	if ((nul = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0 || dup2(nul, 0) < 0 ||
	    dup2(logfd, 1) < 0 || dup2(logfd, 2) < 0 || chdir(b->top) < 0)
		_exit(127);
	execl("/bin/sh", "sh", "-c", b->cmd, (char *)NULL);
	_exit(127);
}

int ft_watch_build_start(struct ft_watch_build *b, const char *state_dir, long long now_ms)
{
	struct stat sb;
	int logfd, rc;
	pid_t pid;

	ft__watch_build_started(b, now_ms);
	clock_now(&b->started);
	b->ended.tv_sec = b->ended.tv_nsec = 0;
	b->status = 0;
	b->error[0] = '\0';
	if (snprintf(b->log, sizeof(b->log), "%s/%s", state_dir, FT_WATCH_BUILD_LOG) >= (int)sizeof(b->log)) {
		rc = -ENAMETOOLONG;
		snprintf(b->error, sizeof(b->error), "the log's path is too long");
		goto failed;
	}
	/* the state directory is ours (checked by `ftrace watch start`);
	 * O_NOFOLLOW and O_NONBLOCK: a link or a FIFO put there is refused,
	 * never followed or waited on */
	errno = 0;
	sb.st_mode = 0;
	logfd = open(b->log, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0600);
	if (logfd < 0 || fstat(logfd, &sb) < 0 || !S_ISREG(sb.st_mode) || ftruncate(logfd, 0) < 0) {
		int notreg = logfd >= 0 && sb.st_mode && !S_ISREG(sb.st_mode);
		rc = -(errno ? errno : EINVAL);
		snprintf(b->error, sizeof(b->error), "the build log: %s",
			 notreg ? "not a regular file" : strerror(-rc));
		if (logfd >= 0)
			close(logfd);
		goto failed;
	}
	(void)fcntl(logfd, F_SETFL, O_WRONLY);
	if ((pid = fork()) < 0) {
		rc = -errno;
		snprintf(b->error, sizeof(b->error), "fork: %s", strerror(errno));
		close(logfd);
		goto failed;
	}
	if (pid == 0)
		child(b, logfd);
	close(logfd);
	(void)setpgid(pid, pid); /* also here: no race with an early kill */
	b->pid = pid;
#ifdef SYS_pidfd_open
	b->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
#else
	b->pidfd = -1;
#endif
	return 0;
failed:
	clock_now(&b->ended);
	b->status = -1;
	ft__watch_build_ended(b, now_ms);
	return rc;
}

static void reaped(struct ft_watch_build *b, int status, long long now_ms)
{
	b->status = status;
	clock_now(&b->ended);
	if (b->pidfd >= 0)
		close(b->pidfd);
	b->pidfd = -1;
	b->pid = 0;
	ft__watch_build_ended(b, now_ms);
}

int ft_watch_build_reap(struct ft_watch_build *b, long long now_ms)
{
	int status;
	pid_t r;

	if (!b->pid)
		return 0;
	while ((r = waitpid(b->pid, &status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == 0)
		return 0;
	if (r < 0)
		status = -1; /* ECHILD: someone reaped it (cannot happen here) */
	reaped(b, status, now_ms);
	return 1;
}

void ft_watch_build_release(struct ft_watch_build *b)
{
	if (b->pid) {
		int status = -1;
		pid_t r = 0;

		(void)kill(-b->pid, SIGTERM);
		for (int i = 0; i < 50 && (r = waitpid(b->pid, &status, WNOHANG)) == 0; i++)
			poll(NULL, 0, 20);
		if (r == 0) {
			(void)kill(-b->pid, SIGKILL);
			(void)waitpid(b->pid, &status, 0);
		}
		reaped(b, status, 0);
	}
	ft_map_release(&b->entries);
	free(b->output);
	b->output = NULL;
	b->cap_output = 0;
}
