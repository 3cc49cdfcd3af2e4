/*
 * hook_times.c - calls that set a path's times: utime, utimes, futimes,
 * lutimes, futimesat, utimensat, futimens (`touch`, Python's os.utime,
 * tar, rsync, `cp -p`).
 *
 * Why record them: a utime moves the file's ctime (and sets its mtime), so
 * without a record ingest sees a file changed during the run that no
 * recorded write explains, and its readers are unknown on every run
 * (jinja's test_loader touches a template that 20 tests read).  The record
 * is an ATTR-class access, op `utime` (the path's inode changed, not its
 * content).
 *
 * The evidence: a utime erases the trace an unrecorded write leaves in the
 * inode (mtime, ctime), so the record alone cannot show that the content
 * is what the readers read.  Each hook stats the file just before and just
 * after the call (the real fstatat: nothing recorded, async-signal-safe),
 * hashes its content before the call (at most FT_TIMES_HASH_MAX bytes,
 * read into a 1 KiB stack buffer, without touching atime) and, when both stats name the same
 * regular file of the same size and mode, emits FT_REC_TIMES with all
 * three.  Ingest chains them from the run's start to its own stat and
 * compares the hash with the content it finds (docs/racy-stat.md, "A
 * run's own utime"); without them the readers stay unknown, as before.
 * The cost is two stats and a read of the file per call; nothing is done
 * while not recording.  What a program can see of it: an inotify or
 * fanotify watch on the file reports the hook's open, read and close
 * (IN_OPEN, IN_ACCESS, IN_CLOSE_NOWRITE) before the call's IN_ATTRIB.
 *
 * The fd forms (futimes, futimens, and futimesat or utimensat with a NULL
 * path, which the kernel accepts) are named by /proc/self/fd; as for
 * fchmod, a failed one records nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "ft_preload.h"

static int64_t ft_ns(struct timespec ts)
{
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Stat what the call will change: (dirfd, path), or fd dirfd itself when
 * path is NULL.  -1 when not recording. */
static int ft_times_stat(int dirfd, const char *path, int nofollow, struct stat *sb)
{
	int saved = errno, r;

	if (!ft__on())
		return -1;
	if (path)
		r = FT_REAL(fstatat)(dirfd, path, sb, nofollow ? AT_SYMLINK_NOFOLLOW : 0);
	else
		r = FT_REAL(fstatat)(dirfd, "", sb, AT_EMPTY_PATH);
	errno = saved;
	return r;
}

/*
 * The content of the file `sb` describes, hashed (ft_times_hash) before
 * the call: ingest compares it with the content it finds, so that a write
 * the utime's times hide still shows.  Opened again, by its name or, for
 * an fd, by /proc/self/fd/N (whatever the fd's own mode; its offset is not
 * touched), with O_NONBLOCK (never a FIFO's open that waits) and O_NOATIME
 * (the read leaves atime as it was: setting times is what the program is
 * doing; a utime needs ownership, as O_NOATIME does, except UTIME_NOW by a
 * writer, which then gets no evidence).  Closed before the call.  0, or
 * -1 when the file cannot be read whole (too big, not readable, another
 * inode by now): no evidence then.
 */
static int ft_times_content(int dirfd, const char *path, int nofollow, const struct stat *sb,
			    uint64_t *hash)
{
	char buf[1024], self[32] = "/proc/self/fd/";
	struct stat fsb;
	uint64_t h = FT_TIMES_HASH_INIT, off = 0;
	int saved = errno, fd, r = -1;
	ssize_t n;

	if (!S_ISREG(sb->st_mode) || (uint64_t)sb->st_size > FT_TIMES_HASH_MAX)
		return -1;
	if (!path) {
		if (dirfd < 0)
			return -1;
		*ft__utoa(self + 14, (unsigned long)dirfd) = '\0';
		dirfd = AT_FDCWD;
		path = self;
		nofollow = 0;
	}
	fd = FT_REAL(openat)(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOATIME |
			     (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		goto out;
	if (FT_REAL(fstatat)(fd, "", &fsb, AT_EMPTY_PATH) < 0 || fsb.st_dev != sb->st_dev ||
	    fsb.st_ino != sb->st_ino)
		goto done;
	while (off <= (uint64_t)sb->st_size && (n = read(fd, buf, sizeof(buf))) > 0) {
		h = ft_times_hash(h, buf, (uint64_t)n);
		off += (uint64_t)n;
	}
	if (off == (uint64_t)sb->st_size) {
		*hash = h;
		r = 0;
	}
done:
	close(fd);
out:
	errno = saved;
	return r;
}

/* After a call that succeeded: the evidence, if the file is one. */
static void ft_times_evidence(int dirfd, const char *path, int nofollow, int pre_ok,
			      const struct stat *pre, int hashed, uint64_t hash)
{
	struct ft_times t = { 0 };
	struct stat post;

	if (pre_ok < 0 || !S_ISREG(pre->st_mode) || ft_times_stat(dirfd, path, nofollow, &post) < 0)
		return;
	if (post.st_dev != pre->st_dev || post.st_ino != pre->st_ino || post.st_size != pre->st_size ||
	    post.st_mode != pre->st_mode)
		return;
	t.dev = pre->st_dev;
	t.ino = pre->st_ino;
	t.size = pre->st_size;
	t.mode = pre->st_mode;
	t.pre_mtime_ns = ft_ns(pre->st_mtim);
	t.pre_ctime_ns = ft_ns(pre->st_ctim);
	t.post_mtime_ns = ft_ns(post.st_mtim);
	t.post_ctime_ns = ft_ns(post.st_ctim);
	t.hashed = hashed == 0;
	t.hash = hash;
	ft__times(dirfd, path, &t);
}

/* What is known of the file before the call. */
struct ft__pre {
	int ok;          /* the stat succeeded (0), or -1 */
	struct stat sb;
	int hashed;      /* 0: hash is its content's, or -1 */
	uint64_t hash;
};

static void ft_times_before(int dirfd, const char *path, int nofollow, struct ft__pre *pre)
{
	pre->ok = ft_times_stat(dirfd, path, nofollow, &pre->sb);
	pre->hashed = pre->ok < 0 ? -1 : ft_times_content(dirfd, path, nofollow, &pre->sb, &pre->hash);
}

/* The path forms: stat, call (done by the caller), record, evidence. */
static int ft_times_path(int dirfd, const char *path, int nofollow, const struct ft__pre *pre, int r)
{
	int saved = errno;

	ft__access(dirfd, path, FT_OP_UTIME, ft__op_class(FT_OP_UTIME), r < 0 ? errno : 0);
	if (r == 0)
		ft_times_evidence(dirfd, path, nofollow, pre->ok, &pre->sb, pre->hashed, pre->hash);
	errno = saved;
	return r;
}

/* The fd forms: a failed one records nothing. */
static int ft_times_fd(int fd, const struct ft__pre *pre, int r)
{
	int saved = errno;

	if (r == 0) {
		ft__access_fd(fd, FT_OP_UTIME, ft__op_class(FT_OP_UTIME), 0);
		ft_times_evidence(fd, NULL, 0, pre->ok, &pre->sb, pre->hashed, pre->hash);
	}
	errno = saved;
	return r;
}

FT_EXPORT int utime(const char *path, const struct utimbuf *times)
{
	struct ft__pre pre;

	ft_times_before(AT_FDCWD, path, 0, &pre);
	return ft_times_path(AT_FDCWD, path, 0, &pre, FT_REAL(utime)(path, times));
}

FT_EXPORT int utimes(const char *path, const struct timeval tv[2])
{
	struct ft__pre pre;

	ft_times_before(AT_FDCWD, path, 0, &pre);
	return ft_times_path(AT_FDCWD, path, 0, &pre, FT_REAL(utimes)(path, tv));
}

FT_EXPORT int lutimes(const char *path, const struct timeval tv[2])
{
	struct ft__pre pre;

	ft_times_before(AT_FDCWD, path, 1, &pre);
	return ft_times_path(AT_FDCWD, path, 1, &pre, FT_REAL(lutimes)(path, tv));
}

FT_EXPORT int futimes(int fd, const struct timeval tv[2])
{
	struct ft__pre pre;

	ft_times_before(fd, NULL, 0, &pre);
	return ft_times_fd(fd, &pre, FT_REAL(futimes)(fd, tv));
}

FT_EXPORT int futimesat(int dirfd, const char *path, const struct timeval tv[2])
{
	struct ft__pre pre;
	int null = ft__path_null(path), r;

	ft_times_before(dirfd, null ? NULL : path, 0, &pre);
	r = FT_REAL(futimesat)(dirfd, path, tv);
	if (null)
		return ft_times_fd(dirfd, &pre, r);
	return ft_times_path(dirfd, path, 0, &pre, r);
}

/* utimensat(fd, NULL, ...) is futimens(fd) to the kernel (glibc refuses
 * it: EINVAL); so is (fd, "", AT_EMPTY_PATH) */
FT_EXPORT int utimensat(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	struct ft__pre pre;
	int self = ft__path_null(path) || ((flags & AT_EMPTY_PATH) && ft__path_empty(path));
	int nofollow = (flags & AT_SYMLINK_NOFOLLOW) != 0, r;

	ft_times_before(dirfd, self ? NULL : path, nofollow, &pre);
	r = FT_REAL(utimensat)(dirfd, path, ts, flags);
	if (self)
		return ft_times_fd(dirfd, &pre, r);
	return ft_times_path(dirfd, path, nofollow, &pre, r);
}

FT_EXPORT int futimens(int fd, const struct timespec ts[2])
{
	struct ft__pre pre;

	ft_times_before(fd, NULL, 0, &pre);
	return ft_times_fd(fd, &pre, FT_REAL(futimens)(fd, ts));
}
