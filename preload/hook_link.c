/*
 * hook_link.c - symlink contents and path resolution: readlink (plain and
 * fortified) and realpath.
 *
 * realpath() resolves every component with libc-internal calls, which we do
 * not see.  We record the name asked for and, on success, the name it
 * resolved to: a test that resolves a path depends on where it leads.
 * NEEDSWORK: an intermediate symlink that is retargeted to an equivalent
 * file is visible only through the final path's state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft_preload.h"

static ssize_t ft_readlinked(int dirfd, const char *path, ssize_t r)
{
	ft__access(dirfd, path, FT_OP_READLINK, ft__op_class(FT_OP_READLINK), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT ssize_t readlink(const char *path, char *buf, size_t len)
{
	return ft_readlinked(AT_FDCWD, path, FT_REAL(readlink)(path, buf, len));
}

FT_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t len)
{
	return ft_readlinked(dirfd, path, FT_REAL(readlinkat)(dirfd, path, buf, len));
}

FT_EXPORT ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	return ft_readlinked(AT_FDCWD, path, FT_REAL(__readlink_chk)(path, buf, len, buflen));
}

FT_EXPORT ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen)
{
	return ft_readlinked(dirfd, path, FT_REAL(__readlinkat_chk)(dirfd, path, buf, len, buflen));
}

static char *ft_resolved(const char *path, char *r)
{
	int err = r ? 0 : errno;

	ft__access(AT_FDCWD, path, FT_OP_REALPATH, ft__op_class(FT_OP_REALPATH), err);
	if (r)
		ft__access_abs(r, strlen(r), FT_OP_REALPATH, ft__op_class(FT_OP_REALPATH), 0);
	return r;
}

FT_EXPORT char *realpath(const char *path, char *resolved)
{
	return ft_resolved(path, FT_REAL(realpath)(path, resolved));
}

FT_EXPORT char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	return ft_resolved(path, FT_REAL(__realpath_chk)(path, resolved, resolvedlen));
}

FT_EXPORT char *canonicalize_file_name(const char *path)
{
	return ft_resolved(path, FT_REAL(canonicalize_file_name)(path));
}
