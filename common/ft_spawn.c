/*
 * ft_spawn.c - see ft_spawn.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ft_error.h"
#include "ft_spawn.h"

#define FT_SPAWN_MAX (64u << 20)

extern char **environ;

int ft_spawn_start(const char *dir, char *const *argv, const char *input, struct ft_spawn *sp)
{
	posix_spawn_file_actions_t fa;
	int ofd[2], ifd[2] = { -1, -1 }, rc, err;
	pid_t pid;

	sp->pid = -1;
	if (pipe2(ofd, O_CLOEXEC) < 0)
		return -errno;
	/* our end never blocks: a full stdin pipe must not stop us draining
	 * stdout while the program waits for us to read */
	if (input && (pipe2(ifd, O_CLOEXEC) < 0 || fcntl(ifd[1], F_SETFL, O_NONBLOCK) < 0)) {
		err = -errno;
		if (ifd[0] >= 0) {
			close(ifd[0]);
			close(ifd[1]);
		}
		close(ofd[0]);
		close(ofd[1]);
		return err;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, ofd[1], 1);
	if (input)
		posix_spawn_file_actions_adddup2(&fa, ifd[0], 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	if (dir)
		posix_spawn_file_actions_addchdir_np(&fa, dir);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(ofd[1]);
	if (input)
		close(ifd[0]);
	if (rc) {
		close(ofd[0]);
		if (input)
			close(ifd[1]);
		return -rc;
	}
	sp->pid = pid;
	sp->ofd = ofd[0];
	sp->ifd = input ? ifd[1] : -1;
	sp->input = input;
	return 0;
}

int ft_spawn_finish(struct ft_spawn *sp, char **out, size_t *len)
{
	int ofd[2] = { sp->ofd, -1 }, ifd[2] = { -1, sp->ifd }, status, err = 0;
	const char *input = sp->input;
	size_t n = 0, cap = 0, in_len = input ? strlen(input) : 0, in_off = 0;
	char *buf = NULL;
	pid_t pid = sp->pid;

	*out = NULL;
	*len = 0;
	if (pid < 0)
		return -ECHILD;
	sp->pid = -1;
	/* feed stdin and drain stdout together: neither side may block the other */
	if (input && !in_len) {
		close(ifd[1]);
		ifd[1] = -1;
	}
	for (;;) {
		struct pollfd p[2] = { { ofd[0], POLLIN, 0 }, { ifd[1], POLLOUT, 0 } };
		ssize_t got;
		if (poll(p, ifd[1] >= 0 ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (ifd[1] >= 0 && p[1].revents) {
			sigset_t blk, old;
			/* a program that exits without reading: EPIPE, not SIGPIPE */
			sigemptyset(&blk);
			sigaddset(&blk, SIGPIPE);
			pthread_sigmask(SIG_BLOCK, &blk, &old);
			got = write(ifd[1], input + in_off, in_len - in_off);
			if (got > 0)
				in_off += (size_t)got;
			if ((got < 0 && errno != EAGAIN && errno != EINTR) || in_off == in_len) {
				struct timespec zero = { 0, 0 };
				close(ifd[1]);
				ifd[1] = -1;
				(void)sigtimedwait(&blk, NULL, &zero);
			}
			pthread_sigmask(SIG_SETMASK, &old, NULL);
		}
		if (!p[0].revents)
			continue;
		if (n + 4097 > cap) {
			char *nb;
			if (cap >= FT_SPAWN_MAX) {
				err = FT_EFORMAT;
				break;
			}
			if (!(nb = realloc(buf, cap = cap ? cap * 2 : 65536))) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		got = read(ofd[0], buf + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			break;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	close(ofd[0]);
	if (ifd[1] >= 0)
		close(ifd[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!err && !buf && !(buf = malloc(1)))
		err = -ENOMEM;
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	if (!WIFEXITED(status)) {
		free(buf);
		*out = NULL;
		*len = 0;
		return FT_EFORMAT;
	}
	return WEXITSTATUS(status);
}

int ft_spawn_abandon(struct ft_spawn *sp)
{
	int status = 0;
	pid_t r;

	if (sp->pid < 0)
		return -ECHILD;
	(void)kill(sp->pid, SIGKILL);
	close(sp->ofd);
	if (sp->ifd >= 0)
		close(sp->ifd);
	while ((r = waitpid(sp->pid, &status, 0)) < 0 && errno == EINTR)
		;
	sp->pid = -1;
	if (r < 0)
		return -errno;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

int ft_spawn_capture(const char *dir, char *const *argv, const char *input, char **out,
		     size_t *len)
{
	struct ft_spawn sp;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = ft_spawn_start(dir, argv, input, &sp)) < 0)
		return rc;
	return ft_spawn_finish(&sp, out, len);
}
