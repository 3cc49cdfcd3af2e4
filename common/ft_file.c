/*
 * ft_file.c - see ft_file.h.
 *
 * The case that broke: `mkfifo .ftrace/runs/<run>/r-1-1.rec` made
 * `ftrace run` and `ftrace records` hang for ever, because the region
 * reader opened the file before it checked that it was a regular one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "ft_error.h"
#include "ft_file.h"

int ft_file_open(int dirfd, const char *path, unsigned flags, struct stat *sb)
{
	struct stat local;
	int oflags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, fd;

	if (!(flags & FT_FILE_FOLLOW))
		oflags |= O_NOFOLLOW;
	if (!sb)
		sb = &local;
	fd = openat(dirfd, path, oflags);
	if (fd < 0)
		/* ELOOP under O_NOFOLLOW: the last component is a symlink */
		return errno == ELOOP && !(flags & FT_FILE_FOLLOW) ? FT_ENOTREG : -errno;
	if (fstat(fd, sb) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	if (!S_ISREG(sb->st_mode)) {
		close(fd);
		return FT_ENOTREG;
	}
	/* regular files ignore O_NONBLOCK; clear it all the same, so that a
	 * reader never sees EAGAIN from a file system that honours it */
	(void)fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static int errno_of(int rc)
{
	return rc == FT_ENOTREG ? EINVAL : rc > -FT_E__BASE ? -rc : EIO;
}

FILE *ft_file_fopen(const char *path, unsigned flags)
{
	int fd = ft_file_open(AT_FDCWD, path, flags, NULL);
	FILE *f;

	if (fd < 0) {
		errno = errno_of(fd);
		return NULL;
	}
	if (!(f = fdopen(fd, "r")))
		close(fd);
	return f;
}

char *ft_file_read(const char *path, int extra_oflags, size_t *len, mode_t *mode)
{
	struct stat sb;
	size_t off = 0;
	char *buf;
	int rc, fd = ft_file_open(AT_FDCWD, path, (extra_oflags & O_NOFOLLOW) ? 0 : FT_FILE_FOLLOW,
				  &sb);

	if (fd < 0) {
		errno = errno_of(fd);
		return NULL;
	}
	rc = ft_file_read_fd(fd, (size_t)sb.st_size, &buf, &off);
	close(fd);
	if (rc == -ENOMEM) {
		errno = ENOMEM;
		return NULL;
	}
	/* a failed read: what was read before it, as at the file's end */
	*len = off;
	if (mode)
		*mode = sb.st_mode;
	return buf;
}

int ft_file_read_fd(int fd, size_t size, char **out, size_t *got)
{
	char *buf = malloc(size + 1);
	size_t off = 0;
	int rc = 0;

	*out = NULL;
	*got = 0;
	if (!buf)
		return -ENOMEM;
	while (off < size) {
		ssize_t n = read(fd, buf + off, size - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			rc = -errno;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	*out = buf;
	*got = off;
	return rc;
}
