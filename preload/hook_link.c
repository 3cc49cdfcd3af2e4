/*
 * hook_link.c - symlink contents and path resolution: readlink (plain and
 * fortified) and realpath.
 *
 * realpath() resolves every component with libc-internal calls, which we do
 * not see.  We record the name asked for and, on success, the name it
 * resolved to, and every component the resolution went through as a
 * readlink of it (ft_walk_links): a link's target, or EINVAL for a
 * component that is no link.  The result is a string the program sees:
 * `data/current -> releases/v1` retargeted to releases/v2, a directory of
 * the same type, changes it, and so does a directory replaced by a link.
 * The ptrace back end sees the same, since glibc's realpath reads every
 * component with readlink(2).
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

/* Resolve `path` as realpath() does, recording each component as a
 * readlink (its target, or EINVAL: no link).  Two PATH_MAX buffers on the
 * stack: a resolution that does not fit in them is one realpath() failed
 * (ENAMETOOLONG), and the walk is made only after a success.  Stops at a
 * component that cannot be read (changed since), and after 40 links. */
static void ft_walk_links(const char *path)
{
	char res[4096], rest[4096];
	size_t rl, len, pos = 0, size = sizeof(rest);
	int links = 0;
	long n;

	if (!ft__on())
		return;
	len = strnlen(path, size);
	if (len == size)
		return;
	if (path[0] == '/') {
		rl = 0;
	} else {
		if (!getcwd(res, sizeof(res)) || res[0] != '/')
			return;
		rl = strlen(res);
		if (rl == 1)
			rl = 0;   /* "/": components are appended as "/name" */
	}
	memcpy(rest, path, len);
	while (pos < len) {
		size_t c, cl;

		while (pos < len && rest[pos] == '/')
			pos++;
		if (pos == len)
			break;
		c = pos;
		while (pos < len && rest[pos] != '/')
			pos++;
		cl = pos - c;
		if (cl == 1 && rest[c] == '.')
			continue;
		if (cl == 2 && rest[c] == '.' && rest[c + 1] == '.') {
			while (rl > 0 && res[--rl] != '/')
				;
			continue;
		}
		size_t before = rl;
		if (rl + 1 + cl >= sizeof(res))
			return;
		res[rl++] = '/';
		memcpy(res + rl, rest + c, cl);
		rl += cl;
		res[rl] = '\0';
		/* the rest after this component, moved to the buffer's end;
		 * the link's target is read in front of it */
		size_t left = len - pos, at = size - left;
		memmove(rest + at, rest + pos, left);
		n = FT_REAL(readlink)(res, rest, at > 0 ? at - 1 : 0);
		if (n < 0) {
			int err = errno;
			ft__access_abs(res, rl, FT_OP_READLINK, ft__op_class(FT_OP_READLINK), err);
			if (err != EINVAL)
				return;
			memmove(rest, rest + at, left);   /* not a link: go on */
			len = left;
			pos = 0;
			continue;
		}
		ft__access_abs(res, rl, FT_OP_READLINK, ft__op_class(FT_OP_READLINK), 0);
		if (++links > 40 || (size_t)n + 1 >= at)
			return;
		rest[n] = '/';
		memmove(rest + n + 1, rest + at, left);
		len = (size_t)n + 1 + left;
		pos = 0;
		rl = rest[0] == '/' ? 0 : before;   /* a relative target: from the link's directory */
	}
}

static char *ft_resolved(const char *path, char *r)
{
	int err = r ? 0 : errno;

	ft__access(AT_FDCWD, path, FT_OP_REALPATH, ft__op_class(FT_OP_REALPATH), err);
	if (r) {
		int kept = errno;

		ft__access_abs(r, strlen(r), FT_OP_REALPATH, ft__op_class(FT_OP_REALPATH), 0);
		ft_walk_links(path);
		errno = kept;
	}
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
