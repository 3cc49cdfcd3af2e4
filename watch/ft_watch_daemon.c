/*
 * ft_watch_daemon.c - the daemon's loop and its answers (contract in
 * ft_watch_daemon.h; the reasoning in docs/watch.md).
 *
 * Why draining the queue at query time is enough: inotify queues an
 * event before the system call that caused it returns (fsnotify runs in
 * the writer's context), so every change the user made before running
 * `ftrace affected` is in the queue when the query arrives.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_watch_client.h"
#include "ft_watch_int.h"
#include "ft_watch_proto.h"

static volatile sig_atomic_t stop_flag;
static dev_t sock_dev;   /* the socket ft_watchd_listen bound */
static ino_t sock_ino;

void ft_watchd_stop_signal(void)
{
	stop_flag = 1;
}

int ft_watchd_lock(const char *state_dir, int *fd, struct ft_err *e)
{
	char path[PATH_MAX];
	int f;

	ft_err_set(e, 0, NULL);
	if (ft_watch_file(state_dir, FT_WATCH_LOCK, path, sizeof(path)) < 0)
		return ft_err_set(e, FT_ETOOLONG, NULL);
	if ((f = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600)) < 0)
		return ft_err_set(e, -errno, "%s: %s", path, strerror(errno));
	if (flock(f, LOCK_EX | LOCK_NB) < 0) {
		close(f);
		return 1;
	}
	*fd = f;
	return 0;
}

int ft_watchd_listen(const char *state_dir, int *fd, struct ft_err *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat sb;
	mode_t old;
	int s, rc;

	if (ft_watch_file(state_dir, FT_WATCH_SOCK, sa.sun_path, sizeof(sa.sun_path)) < 0) {
		return ft_err_set(e, FT_ETOOLONG,
				  "%s/%s: the path is too long for a socket", state_dir, FT_WATCH_SOCK);
	}
	/* a leftover of a killed daemon: ours to remove, since we hold the
	 * lock; anything else there is left alone and bind fails */
	if (lstat(sa.sun_path, &sb) == 0 && S_ISSOCK(sb.st_mode) && sb.st_uid == getuid())
		(void)unlink(sa.sun_path);
	if ((s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		return ft_err_set(e, -errno, "socket: %s", strerror(errno));
	}
	old = umask(077);
	rc = bind(s, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(s, 64) < 0) {
		rc = ft_err_set(e, -errno, "%s: %s", sa.sun_path, strerror(errno));
		close(s);
		return rc;
	}
	if (lstat(sa.sun_path, &sb) == 0) {
		sock_dev = sb.st_dev;
		sock_ino = sb.st_ino;
	}
	*fd = s;
	return 0;
}

void ft_watchd_unlink(const char *state_dir)
{
	char path[PATH_MAX];
	struct stat sb;

	/* only the socket we bound: after the state directory was removed,
	 * the path may be a new directory's, with another daemon on it */
	if (ft_watch_file(state_dir, FT_WATCH_SOCK, path, sizeof(path)) == 0 && lstat(path, &sb) == 0 &&
	    S_ISSOCK(sb.st_mode) && sb.st_dev == sock_dev && sb.st_ino == sock_ino)
		(void)unlink(path);
}

static void logf_(struct ft__watchd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct ft__watchd *d, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!d->o->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	d->o->log(line);
}

long long ft__watchd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An event reached a recorded path inside the repository: tell the build
 * scheduler, naming the event's entry "<dir>/<name>" (ft_watch_build.h). */
static void build_trigger(struct ft__watchd *d, int wd, const char *name)
{
	char entry[PATH_MAX + NAME_MAX + 2];
	const char *dir = NULL;
	size_t dlen = 0;

	if (wd >= 0 && (size_t)wd < d->set.cap_wd && d->set.wd_dir[wd])
		dir = ft_map_key(&d->set.dirs, d->set.wd_dir[wd] - 1, &dlen);
	if (!dir) {
		ft_watch_build_trigger(&d->build, NULL, ft__watchd_now_ms());
		return;
	}
	snprintf(entry, sizeof(entry), "%.*s%s%s", (int)dlen, dir, name ? "/" : "", name ? name : "");
	if (ft_watch_build_trigger(&d->build, entry, ft__watchd_now_ms()) < 0)
		logf_(d, "out of memory learning a build's outputs");
}

/* Read every queued event of the watches (never blocks). */
static void drain(struct ft__watchd *d)
{
	char buf[65536] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n;

	while (d->walker.ifd >= 0 && (n = read(d->walker.ifd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			const char *name = ev->len ? ev->name : NULL;
			uint32_t mask = ev->mask;

			p += sizeof(*ev) + ev->len;
			d->events++;
			if (d->o->overflow_name && name && !strcmp(name, d->o->overflow_name))
				mask |= IN_Q_OVERFLOW; /* tests only: see ft_watch_daemon.h */
			if (ft_watch_set_event(&d->set, ev->wd, mask, name)) {
				ft_watch_build_trigger(&d->build, NULL, ft__watchd_now_ms());
				d->overflows++;
				d->need_baseline = 1;
				d->overflowed = 1;
				snprintf(d->fallback, sizeof(d->fallback),
					 "the inotify queue overflowed: events were lost; building a new baseline");
				logf_(d, "%s", d->fallback);
			} else if (d->set.hits) {
				build_trigger(d, ev->wd, name);
			}
		}
	}
}

/* The database file itself, or its -wal. */
static int is_db_file(const char *name, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(name, base, n) && (!name[n] || !strcmp(name + n, "-wal"));
}

/* Events in the state directory: the database (or its journal) changed;
 * or our socket was removed or renamed (`rm -rf .ftrace`; nothing of
 * ftrace removes it while we hold the lock), or the state directory
 * itself: then no client can reach this daemon any more, and it ends
 * (1).  The directory's own IN_DELETE_SELF is not enough: the files we
 * keep open in it (the lock, the log) delay it until we exit. */
static int drain_db(struct ft__watchd *d)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	const char *base = strrchr(d->o->db, '/');
	ssize_t n;

	base = base ? base + 1 : d->o->db;
	while ((n = read(d->dbfd, buf, sizeof(buf))) > 0)
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;
			p += sizeof(*ev) + ev->len;
			if ((ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_UNMOUNT)) ||
			    ((ev->mask & (IN_DELETE | IN_MOVED_FROM)) && ev->len &&
			     !strcmp(ev->name, FT_WATCH_SOCK))) {
				logf_(d, "the socket or the state directory %s went away", d->o->state_dir);
				return 1;
			}
			if ((ev->mask & IN_Q_OVERFLOW) ||
			    (ev->len && !strncmp(ev->name, base, strlen(base))))
				d->check_gen = 1;
			/* a write to the database or its -wal: what the
			 * baseline verified may not be what is there now (a
			 * reader's -shm, and a close without a write, are not) */
			if ((ev->mask & IN_Q_OVERFLOW) ||
			    ((ev->mask & (IN_MODIFY | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE)) &&
			     ev->len && is_db_file(ev->name, base))) {
				d->db_writes++;
				d->verified = 0;
			}
		}
	return 0;
}

int ft__watchd_db_quiet(struct ft__watchd *d, unsigned long long since)
{
	if (d->dbfd < 0)
		return 0; /* no way to see a write: never whole */
	if (drain_db(d))
		d->gone = 1;
	return d->db_writes == since;
}

static void reply(int c, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(c, buf, len, MSG_NOSIGNAL);
		if (n <= 0)
			return; /* the client gave up: it falls back by itself */
		buf += n;
		len -= (size_t)n;
	}
}

static void reply_text(int c, enum ft_watch_kind kind, const char *text)
{
	char *buf;
	size_t len;

	if (ft_watch_reply_text(kind, text, &buf, &len) == 0) {
		reply(c, buf, len);
		free(buf);
	}
}

static void fall_back(struct ft__watchd *d, int c, const char *why)
{
	d->fell_back++;
	snprintf(d->last_fallback, sizeof(d->last_fallback), "%.500s", why);
	reply_text(c, FT_WATCH_FALLBACK, why);
}

static void query(struct ft__watchd *d, int c, const struct ft_watch_request *rq)
{
	char gen[FT_WATCH_GEN_MAX], why[512];
	struct stat sb;
	char **paths, *buf;
	size_t n, len;
	int whole;

	d->queries++;
	drain(d);
	/* a write to the database before this query is in the queue now */
	ft__watchd_db_quiet(d, d->db_writes);
	if (d->overflowed) {
		/* the loop builds the new baseline right after this answer */
		fall_back(d, c, d->fallback);
		return;
	}
	/* the database file replaced (a bundle imported, a copy put back), or
	 * a new recording in it: a new baseline first, whatever it costs (the
	 * client stops waiting after its timeout and stats everything) */
	if (stat(d->o->db, &sb) < 0 || (unsigned long long)sb.st_dev != d->dev ||
	    (unsigned long long)sb.st_ino != d->ino ||
	    (strcmp(rq->gen, d->gen) && ft__watchd_generation(d->o->db, gen, sizeof(gen)) == 0 &&
	     strcmp(gen, d->gen))) {
		logf_(d, "the database changed: a new baseline");
		ft__watchd_baseline(d);
	}
	if (d->fallback[0]) {
		fall_back(d, c, d->fallback);
		return;
	}
	if (rq->dev != d->dev || rq->ino != d->ino) {
		snprintf(why, sizeof(why), "the database asked about is not %.400s, the one watched", d->o->db);
		fall_back(d, c, why);
		return;
	}
	if (strcmp(rq->gen, d->gen)) {
		snprintf(why, sizeof(why), "the daemon's baseline is of another recording (generation %s, asked %s)",
			 d->gen, rq->gen);
		fall_back(d, c, why);
		return;
	}
	if (ft_watch_set_list(&d->set, &paths, &n) < 0) {
		fall_back(d, c, "out of memory");
		return;
	}
	whole = ft__watchd_whole(d, NULL);
	if (!whole && d->verified && d->coverable) {
		/* too old: verified again once this answer is out (the loop
		 * does it when the database has been quiet for 200 ms) */
		d->verified = 0;
		d->check_gen = 1;
	}
	if (ft_watch_reply_ok(paths, n, whole, &buf, &len) == 0) {
		reply(c, buf, len);
		free(buf);
		d->answered++;
	} else {
		fall_back(d, c, "too many changed paths for one answer");
	}
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
}

/* One connection: the peer must be this user; one request, one reply. */
static void serve(struct ft__watchd *d, int c, int *stop)
{
	struct ft_watch_request rq;
	struct timeval tv = { .tv_sec = 1 };
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	char line[FT_WATCH_REQ_MAX];
	size_t got = 0;
	char *text;

	if (getsockopt(c, SOL_SOCKET, SO_PEERCRED, &cred, &clen) < 0 || cred.uid != getuid())
		return;
	/* blocking, bounded: a client that stalls costs at most a second */
	(void)fcntl(c, F_SETFL, fcntl(c, F_GETFL) & ~O_NONBLOCK);
	(void)setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (got < sizeof(line) && (!got || line[got - 1] != '\n')) {
		ssize_t n = recv(c, line + got, sizeof(line) - got, 0);
		if (n <= 0)
			return;
		got += (size_t)n;
	}
	if (ft_watch_request_parse(line, got, &rq) < 0) {
		fall_back(d, c, "a malformed request");
		return;
	}
	switch (rq.op) {
	case FT_WATCH_QUERY:
		query(d, c, &rq);
		break;
	case FT_WATCH_STATUS:
	case FT_WATCH_STATUS_JSON:
		drain(d);
		if ((text = ft__watchd_status(d, rq.op == FT_WATCH_STATUS_JSON))) {
			reply_text(c, FT_WATCH_TEXT, text);
			free(text);
		}
		break;
	case FT_WATCH_STOP:
		reply_text(c, FT_WATCH_TEXT, "stopping\n");
		*stop = 1;
		break;
	}
}

static void watch_state_dir(struct ft__watchd *d)
{
	if ((d->dbfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) >= 0 &&
	    inotify_add_watch(d->dbfd, d->o->state_dir, IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE |
			      IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_DELETE_SELF |
			      IN_ONLYDIR | IN_DONT_FOLLOW) < 0) {
		close(d->dbfd);
		d->dbfd = -1; /* queries still compare generations */
	}
}

/* The build: start it when due, reap it when it ended.  The events its
 * writes raised are drained before it is counted as ended, so they are
 * known as its own (ft_watch_build.h). */
static void build_step(struct ft__watchd *d, int pidfd_ready)
{
	struct ft_watch_build *b = &d->build;

	if (b->pid && (pidfd_ready || b->pidfd < 0)) {
		drain(d);
		if (ft_watch_build_reap(b, ft__watchd_now_ms())) {
			if (WIFEXITED(b->status))
				logf_(d, "the build exited %d (%s)", WEXITSTATUS(b->status), b->log);
			else
				logf_(d, "the build was killed by signal %d (%s)",
				      WIFSIGNALED(b->status) ? WTERMSIG(b->status) : 0, b->log);
		}
	}
	if (ft_watch_build_due(b, ft__watchd_now_ms()) == 0) {
		/* what is queued now happened before the build starts */
		drain(d);
		if (ft_watch_build_due(b, ft__watchd_now_ms()) != 0)
			return; /* a trigger just now: quiet first */
		if (ft_watch_build_start(b, d->o->state_dir, ft__watchd_now_ms()) < 0)
			logf_(d, "the build could not start: %s", b->error);
		else
			logf_(d, "building (pid %ld): %s", (long)b->pid, b->cmd);
	}
}

int ft__watchd_whole(const struct ft__watchd *d, const char **why)
{
	long long max = d->o->verify_max_ms > 0 ? d->o->verify_max_ms : FT_WATCH_VERIFY_MAX_MS;
	const char *w = NULL;

	if (d->fallback[0] || !d->gen[0])
		w = "no (no baseline)";
	else if (d->dbfd < 0)
		w = "no (no watch on the state directory: a write to the database cannot be seen)";
	else if (!d->coverable)
		w = "no (a recorded row names no path an answer can hold)";
	else if (!d->verified)
		w = "no (the database was written since it was verified; verifying again once it is quiet)";
	else if (ft__watchd_now_ms() - d->verified_ms > max)
		w = "no (its last verification is too old; verifying again after the next query)";
	if (why)
		*why = w;
	return !w;
}

/* The database had a write that left its generation as it was (the stat
 * cache written back, the flaky table, a checkpoint, a hand edit): whole
 * answers again once it verifies again. */
static void verify_again(struct ft__watchd *d)
{
	int rc = ft__watchd_verify(d);

	if (rc == 1)
		d->need_baseline = 1;
	else if (rc < 0 && rc != d->verify_rc) /* once, not at every query's touch */
		logf_(d, "the database does not verify (%s): answers are not whole", ft_strerror(rc));
	d->verify_rc = rc < 0 ? rc : 0;
}

/* The poll timeout: the generation check's, the build's debounce, or a
 * build without a pidfd to poll for. */
static int poll_timeout(const struct ft__watchd *d)
{
	long long due = ft_watch_build_due(&d->build, ft__watchd_now_ms());
	int t = d->check_gen ? 200 : -1;

	if (d->build.pid && d->build.pidfd < 0)
		due = due < 0 || due > 100 ? 100 : due;
	if (due >= 0 && (t < 0 || due < t))
		t = (int)due;
	return t;
}

int ft_watchd_run(const struct ft_watchd_opts *o, int lfd, struct ft_err *e)
{
	struct ft__watchd d = { .o = o, .dbfd = -1 };
	int stop = 0, rc = 0;

	ft_err_set(e, 0, NULL);
	d.walker.ifd = -1;
	d.started = time(NULL);
	ft_watch_build_init(&d.build, o->build, o->top);
	if (d.build.cmd)
		snprintf(d.build.log, sizeof(d.build.log), "%s/%s", o->state_dir, FT_WATCH_BUILD_LOG);
	if (!o->top || !realpath(o->top, d.top))
		d.top[0] = '\0';
	if (!realpath(o->state_dir, d.state))
		snprintf(d.state, sizeof(d.state), "%s", o->state_dir);
	watch_state_dir(&d);
	ft__watchd_baseline(&d);
	if (o->ready_fd > 0) {
		/* the first baseline is built (or failed, with a reason that
		 * every query will give): `ftrace watch start` may return */
		if (write(o->ready_fd, "1", 1) < 0)
			logf_(&d, "the starter went away");
		close(o->ready_fd);
	}
	logf_(&d, "watching %zu paths in %zu directories%s%s", ft_watch_set_npaths(&d.set),
	      d.set.dirs.count, d.fallback[0] ? "; falling back: " : "", d.fallback);
	while (!stop && !stop_flag) {
		struct pollfd pf[4] = {
			{ .fd = lfd, .events = POLLIN },
			{ .fd = d.walker.ifd, .events = POLLIN },
			{ .fd = d.dbfd, .events = POLLIN },
			{ .fd = d.build.pid ? d.build.pidfd : -1, .events = POLLIN },
		};
		int c;

		if (d.need_baseline) {
			logf_(&d, "a new baseline");
			ft__watchd_baseline(&d);
			continue;
		}
		if (poll(pf, 4, poll_timeout(&d)) < 0) {
			if (errno == EINTR)
				continue;
			rc = ft_err_set(e, -errno, "poll: %s", strerror(errno));
			break;
		}
		if (pf[1].revents)
			drain(&d);
		build_step(&d, pf[3].revents != 0);
		if (pf[2].revents) {
			if (drain_db(&d))
				break;
		} else if (d.check_gen) {
			/* quiet for 200 ms after the database moved: a new
			 * recording is built now, not at the next query */
			char gen[FT_WATCH_GEN_MAX];
			d.check_gen = 0;
			if (ft__watchd_generation(o->db, gen, sizeof(gen)) == 0 && strcmp(gen, d.gen))
				d.need_baseline = 1;
			else if (!d.verified && d.coverable && !d.fallback[0])
				verify_again(&d);
		}
		if (d.gone)
			break;
		while ((c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
			serve(&d, c, &stop);
			close(c);
		}
	}
	logf_(&d, "stopping");
	ft_watch_build_release(&d.build);
	ft_watch_set_release(&d.set);
	ft_watch_walker_release(&d.walker);
	if (d.walker.ifd >= 0)
		close(d.walker.ifd);
	if (d.dbfd >= 0)
		close(d.dbfd);
	return rc;
}
