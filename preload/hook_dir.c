/*
 * hook_dir.c - directories: listings (opendir, scandir) and the current
 * directory (chdir, fchdir).
 *
 * readdir() reads through getdents64 inside libc, so the listing is recorded
 * where the directory is opened.  Ingest hashes the sorted entry names: a
 * file added to a directory that a test listed selects the test (pytest
 * collection, glob(), plugin discovery).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "ft_preload.h"

static void ft_listed(int dirfd, const char *path, int ok)
{
	ft__access(dirfd, path, FT_OP_OPENDIR, ft__op_class(FT_OP_OPENDIR), ok ? 0 : errno);
}

FT_EXPORT DIR *opendir(const char *path)
{
	DIR *d = FT_REAL(opendir)(path);

	ft_listed(AT_FDCWD, path, d != NULL);
	return d;
}

FT_EXPORT DIR *fdopendir(int fd)
{
	DIR *d = FT_REAL(fdopendir)(fd);

	if (d)
		ft__access_fd(fd, FT_OP_OPENDIR, ft__op_class(FT_OP_OPENDIR), 0);
	return d;
}

FT_EXPORT int scandir(const char *path, struct dirent ***list,
		      int (*filter)(const struct dirent *),
		      int (*compar)(const struct dirent **, const struct dirent **))
{
	int r = FT_REAL(scandir)(path, list, filter, compar);

	ft_listed(AT_FDCWD, path, r >= 0);
	return r;
}

FT_EXPORT int scandir64(const char *path, struct dirent64 ***list,
			int (*filter)(const struct dirent64 *),
			int (*compar)(const struct dirent64 **, const struct dirent64 **))
{
	int r = FT_REAL(scandir64)(path, list, filter, compar);

	ft_listed(AT_FDCWD, path, r >= 0);
	return r;
}

FT_EXPORT int scandirat(int dirfd, const char *path, struct dirent ***list,
			int (*filter)(const struct dirent *),
			int (*compar)(const struct dirent **, const struct dirent **))
{
	int r = FT_REAL(scandirat)(dirfd, path, list, filter, compar);

	ft_listed(dirfd, path, r >= 0);
	return r;
}

/* A relative path names a directory below the cwd of before the call:
 * named after it, chdir("sub") was recorded as ./sub/sub, an absence that
 * is never true, and the test was selected for ever. */
FT_EXPORT int chdir(const char *path)
{
	char buf[FT__PATHBUF];
	long n = ft__access_prepare(AT_FDCWD, path, buf, sizeof(buf));
	int r = FT_REAL(chdir)(path);

	ft__access_done(buf, n, path, FT_OP_CHDIR, ft__op_class(FT_OP_CHDIR), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT int fchdir(int fd)
{
	int r = FT_REAL(fchdir)(fd);

	if (r == 0)
		ft__access_fd(fd, FT_OP_CHDIR, ft__op_class(FT_OP_CHDIR), 0);
	return r;
}
