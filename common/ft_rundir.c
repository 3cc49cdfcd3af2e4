/*
 * ft_rundir.c - see ft_rundir.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ft_rundir.h"

static int64_t coarse_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void ft_rundir_release(struct ft_rundir *r)
{
	if (r->fd >= 0)
		close(r->fd);
	if (r->runs_fd >= 0)
		close(r->runs_fd);
	r->fd = r->runs_fd = -1;
}

int ft_rundir_create(struct ft_rundir *r, const char *state_dir)
{
	struct stat sb;
	int sfd, rc = 0;

	r->runs_fd = r->fd = -1;
	snprintf(r->name, sizeof(r->name), "%lld-%d", (long long)coarse_now_ns(), (int)getpid());
	sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return -errno;
	if (mkdirat(sfd, "runs", 0700) < 0 && errno != EEXIST)
		rc = -errno;
	/* runs/ as a link or a file is refused, never followed */
	if (!rc && (r->runs_fd = openat(sfd, "runs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		rc = errno == ELOOP ? -ENOTDIR : -errno;
	close(sfd);
	if (!rc && (fstat(r->runs_fd, &sb) < 0 || sb.st_uid != geteuid()))
		rc = -EPERM;
	if (!rc && mkdirat(r->runs_fd, r->name, 0700) < 0)
		rc = -errno; /* EEXIST: someone was there first */
	if (!rc && (r->fd = openat(r->runs_fd, r->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		rc = errno == ELOOP ? -ENOTDIR : -errno;
	if (!rc && (fstat(r->fd, &sb) < 0 || sb.st_uid != geteuid() || (sb.st_mode & 077)))
		rc = -EPERM;
	if (rc < 0)
		ft_rundir_release(r);
	return rc;
}

int ft_rundir_intact(const struct ft_rundir *r, const char *path)
{
	struct stat ours, there, at;

	return fstat(r->fd, &ours) == 0 &&
	       fstatat(r->runs_fd, r->name, &at, AT_SYMLINK_NOFOLLOW) == 0 &&
	       lstat(path, &there) == 0 && S_ISDIR(there.st_mode) && S_ISDIR(at.st_mode) &&
	       ours.st_dev == there.st_dev && ours.st_ino == there.st_ino &&
	       ours.st_dev == at.st_dev && ours.st_ino == at.st_ino;
}

void ft_rundir_remove(struct ft_rundir *r, const char *path)
{
	struct dirent *de;
	int fd;
	DIR *d;

	if (r->fd < 0)
		return;
	if (ft_rundir_intact(r, path) && (fd = dup(r->fd)) >= 0) {
		if ((d = fdopendir(fd))) {
			while ((de = readdir(d)))
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					unlinkat(r->fd, de->d_name, 0);
			closedir(d);
		} else {
			close(fd);
		}
		unlinkat(r->runs_fd, r->name, AT_REMOVEDIR);
	}
	ft_rundir_release(r);
}

void ft_rundir_remove_path(const char *dir)
{
	struct ft_rundir r = FT_RUNDIR_INIT;
	char parent[PATH_MAX];
	const char *slash = strrchr(dir, '/');
	struct stat sb;

	if (!slash || slash == dir || (size_t)(slash - dir) >= sizeof(parent) ||
	    strlen(slash + 1) >= sizeof(r.name))
		return;
	memcpy(parent, dir, (size_t)(slash - dir));
	parent[slash - dir] = '\0';
	snprintf(r.name, sizeof(r.name), "%s", slash + 1);
	r.runs_fd = open(parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r.runs_fd >= 0)
		r.fd = openat(r.runs_fd, r.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (r.fd >= 0 && fstat(r.fd, &sb) == 0 && sb.st_uid == geteuid())
		ft_rundir_remove(&r, dir);
	else
		ft_rundir_release(&r);
}

/*
 * Make sure the run's t0 comes after what ftrace itself just changed.
 *
 * The first `ftrace run` in a repository creates .ftrace/ in its top
 * directory.  Taken in the same clock tick, t0 would be <= the top dir's
 * new ctime, and every test that lists the top dir (make does) would be
 * recorded as "modified during the run": unknown, selected forever after.
 * So wait until the coarse clock is past those ctimes: usually no wait at
 * all, at most one tick, and bounded at 100 ms.
 */
int64_t ft_rundir_start_clock(const char *const *paths, size_t n)
{
	int64_t newest = 0;

	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (paths[i] && stat(paths[i], &sb) == 0) {
			int64_t c = (int64_t)sb.st_ctim.tv_sec * 1000000000 + sb.st_ctim.tv_nsec;
			if (c > newest)
				newest = c;
		}
	}
	for (int i = 0; i < 100 && coarse_now_ns() <= newest; i++) {
		struct timespec ms = { 0, 1000000 };
		nanosleep(&ms, NULL);
	}
	return coarse_now_ns();
}
