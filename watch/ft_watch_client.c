/*
 * ft_watch_client.c - the client side of the watch socket (contract in
 * ft_watch_client.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_select.h"
#include "ft_watch_client.h"

int ft_watch_file(const char *state_dir, const char *name, char *out, size_t cap)
{
	struct sockaddr_un sa;
	int n = snprintf(out, cap, "%s/%s", state_dir, name);

	if (n < 0 || (size_t)n >= cap)
		return FT_ETOOLONG;
	if (!strcmp(name, FT_WATCH_SOCK) && (size_t)n >= sizeof(sa.sun_path))
		return FT_ETOOLONG;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* No daemon answers on a socket file: remove it if no daemon holds the
 * lock (then it is a leftover of a killed one: said once, the next call
 * finds no socket), else it is starting. */
static int stale(const char *state_dir, const char *sock, struct ft_err *e)
{
	char lock[4096];
	int fd, rc;

	if (ft_watch_file(state_dir, FT_WATCH_LOCK, lock, sizeof(lock)) < 0 ||
	    (fd = open(lock, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)) < 0) {
		return ft_err_set(e, FT_EUNKNOWN, "watch daemon: no daemon answers on %s", sock);
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		rc = ft_err_set(e, FT_EUNKNOWN, "watch daemon: %s is starting or stuck (it holds %s)",
				sock, lock);
	} else {
		struct stat sb;
		/* only a socket of ours: never something a link points at */
		if (lstat(sock, &sb) == 0 && S_ISSOCK(sb.st_mode) && sb.st_uid == getuid())
			(void)unlink(sock);
		rc = ft_err_set(e, FT_EUNKNOWN, "watch daemon: none answers on %s (a stale socket, "
				"removed; `ftrace watch start` starts one)", sock);
	}
	close(fd);
	return rc;
}

/* Connect to the daemon: 0 and *out, 1 (none runs), or FT_E* + why. */
static int connect_daemon(const char *state_dir, int *out, struct ft_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct stat sb;
	int fd, rc;

	if (ft_watch_file(state_dir, FT_WATCH_SOCK, sa.sun_path, sizeof(sa.sun_path)) < 0) {
		return ft_err_set(e, FT_ETOOLONG,
				  "watch daemon: the state directory's path is too long for a socket");
	}
	if (lstat(sa.sun_path, &sb) < 0)
		return errno == ENOENT ? 1 : ft_err_set(e, -errno, "watch daemon: %s: %s", sa.sun_path,
							strerror(errno));
	if (!S_ISSOCK(sb.st_mode) || sb.st_uid != getuid()) {
		return ft_err_set(e, FT_EUNSAFE,
				  "watch daemon: %s is not a socket of this user; not used", sa.sun_path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		return ft_err_set(e, -errno, "watch daemon: socket: %s", strerror(errno));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rc = -errno;
		close(fd);
		if (rc == -ECONNREFUSED)
			return stale(state_dir, sa.sun_path, e);
		return ft_err_set(e, rc, "watch daemon: %s: %s", sa.sun_path, strerror(-rc));
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != getuid()) {
		close(fd);
		return ft_err_set(e, FT_EUNSAFE,
				  "watch daemon: the process on %s is not this user's; not used", sa.sun_path);
	}
	*out = fd;
	return 0;
}

/* Send `req` and read the whole reply before the deadline. */
static int exchange(int fd, const char *req, size_t rlen, int timeout_ms, struct ft_watch_reply *rep,
		    struct ft_err *e)
{
	long long deadline = now_ms() + timeout_ms;
	size_t got = 0, bcap = 4096;
	long long want = 0;
	char *buf = malloc(bcap);
	int rc = 0;

	if (!buf)
		return ft_err_set(e, -ENOMEM, NULL);
	if (send(fd, req, rlen, MSG_NOSIGNAL) != (ssize_t)rlen) {
		ft_err_set(e, FT_EUNKNOWN, "watch daemon: sending the request failed: %s",
			   strerror(errno));
		free(buf);
		return FT_EUNKNOWN;
	}
	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		long long left = deadline - now_ms();
		ssize_t n;

		if (want > 0 && got == (size_t)want)
			break;
		if (left <= 0 || poll(&pf, 1, (int)left) <= 0) {
			rc = ft_err_set(e, FT_EUNKNOWN, "watch daemon: no answer within %d ms",
					timeout_ms);
			break;
		}
		if (got == bcap) {
			char *nb = bcap < FT_WATCH_REPLY_MAX + 4096u ? realloc(buf, bcap * 2) : NULL;
			if (!nb) {
				rc = FT_EFORMAT;
				break;
			}
			buf = nb;
			bcap *= 2;
		}
		n = recv(fd, buf + got, want > 0 ? (size_t)want - got < bcap - got ?
			 (size_t)want - got : bcap - got : bcap - got, 0);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			rc = FT_EFORMAT; /* closed before the reply was whole */
			break;
		}
		got += (size_t)n;
		if (!want && (want = ft_watch_reply_size(buf, got)) < 0) {
			rc = FT_EFORMAT;
			break;
		}
	}
	if (rc == 0)
		rc = ft_watch_reply_parse(buf, got, rep);
	if (rc == FT_EFORMAT)
		ft_err_set(e, rc, "watch daemon: a malformed answer");
	else if (rc == -ENOMEM)
		ft_err_set(e, rc, "watch daemon: out of memory reading the answer");
	free(buf);
	return rc;
}

int ft_watch_call(const char *state_dir, enum ft_watch_op op, int timeout_ms, char **text,
		  struct ft_err *e)
{
	struct ft_watch_request rq = { .op = op };
	struct ft_watch_reply rep;
	char line[FT_WATCH_REQ_MAX];
	int fd, n, rc;

	*text = NULL;
	ft_err_set(e, 0, NULL);
	if ((rc = connect_daemon(state_dir, &fd, e)) != 0)
		return rc;
	if ((n = ft_watch_request_format(&rq, line, sizeof(line))) < 0) {
		close(fd);
		return ft_err_set(e, n, NULL);
	}
	rc = exchange(fd, line, (size_t)n, timeout_ms, &rep, e);
	close(fd);
	if (rc < 0)
		return rc;
	if (rep.kind == FT_WATCH_OK)
		rc = ft_err_set(e, FT_EFORMAT, NULL);
	else if (rep.kind == FT_WATCH_FALLBACK)
		/* a request it does not know: `status json` to a daemon of an
		 * older ftrace */
		rc = ft_err_set(e, FT_EUNKNOWN, "watch daemon: it answered \"%.200s\" (a daemon of an "
				"older ftrace? `ftrace watch stop`, then start it again)", rep.text);
	else {
		*text = rep.text;
		rep.text = NULL;
	}
	ft_watch_reply_release(&rep);
	return rc;
}

int ft_watch_query(const char *state_dir, const char *db, const char *gen, struct ft_select_dirty *out,
		   struct ft_err *e)
{
	struct ft_watch_request rq = { .op = FT_WATCH_QUERY };
	struct ft_watch_reply rep;
	char line[FT_WATCH_REQ_MAX];
	struct stat sb;
	int fd, n, rc;

	ft_err_set(e, 0, NULL);
	out->paths = NULL;
	out->n = 0;
	out->whole = 0;
	if (stat(db, &sb) < 0)
		return 1; /* the selection says what is wrong with it */
	rq.dev = (unsigned long long)sb.st_dev;
	rq.ino = (unsigned long long)sb.st_ino;
	if (snprintf(rq.gen, sizeof(rq.gen), "%s", gen) >= (int)sizeof(rq.gen))
		return ft_err_set(e, FT_ETOOLONG, NULL);
	if ((rc = connect_daemon(state_dir, &fd, e)) != 0)
		return rc;
	if ((n = ft_watch_request_format(&rq, line, sizeof(line))) < 0) {
		close(fd);
		return ft_err_set(e, n, "watch daemon: the database's generation cannot be sent");
	}
	rc = exchange(fd, line, (size_t)n, FT_WATCH_TIMEOUT_MS, &rep, e);
	close(fd);
	if (rc < 0)
		return rc;
	if (rep.kind != FT_WATCH_OK) {
		ft_err_set(e, FT_EUNKNOWN, "watch daemon: %s", rep.kind == FT_WATCH_FALLBACK ?
			   rep.text : "an answer that is not one");
		ft_watch_reply_release(&rep);
		return FT_EUNKNOWN;
	}
	out->paths = rep.paths;
	out->n = rep.n;
	out->whole = rep.whole;
	rep.paths = NULL;
	rep.n = 0;
	ft_watch_reply_release(&rep);
	return 0;
}
