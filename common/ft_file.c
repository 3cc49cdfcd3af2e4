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
	ssize_t n;
	char *buf;
	int fd = ft_file_open(AT_FDCWD, path, (extra_oflags & O_NOFOLLOW) ? 0 : FT_FILE_FOLLOW, &sb);

	if (fd < 0) {
		errno = errno_of(fd);
		return NULL;
	}
	if (!(buf = malloc((size_t)sb.st_size + 1))) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	while (off < (size_t)sb.st_size && (n = read(fd, buf + off, (size_t)sb.st_size - off)) > 0)
		off += (size_t)n;
	close(fd);
	buf[off] = '\0';
	*len = off;
	if (mode)
		*mode = sb.st_mode;
	return buf;
}
