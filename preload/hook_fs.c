/*
 * hook_fs.c - calls that change the file system: mkdir, rename, unlink,
 * rmdir, link, symlink, truncate.
 *
 * These are outputs, but ingest needs them to tell outputs from inputs:
 * a path the test created (or renamed into place) before reading it is not
 * an input.  They also carry absence information: mkdir failing with EEXIST
 * says the path existed, unlink failing with ENOENT says it did not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_preload.h"

static int ft_changed(int dirfd, const char *path, enum ft_op op, int r)
{
	ft__access(dirfd, path, op, ft__op_class(op), r < 0 ? errno : 0);
	return r;
}

/* A two-path call: record both with the call's result. */
static int ft_changed2(int fd1, const char *p1, enum ft_op op1, int fd2, const char *p2,
		       enum ft_op op2, int r)
{
	int err = r < 0 ? errno : 0;

	ft__access(fd1, p1, op1, ft__op_class(op1), err);
	ft__access(fd2, p2, op2, ft__op_class(op2), err);
	return r;
}

FT_EXPORT int mkdir(const char *path, mode_t mode)
{
	return ft_changed(AT_FDCWD, path, FT_OP_MKDIR, FT_REAL(mkdir)(path, mode));
}

FT_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return ft_changed(dirfd, path, FT_OP_MKDIR, FT_REAL(mkdirat)(dirfd, path, mode));
}

FT_EXPORT int rename(const char *from, const char *to)
{
	return ft_changed2(AT_FDCWD, from, FT_OP_RENAME_SRC, AT_FDCWD, to, FT_OP_RENAME_DST,
			   FT_REAL(rename)(from, to));
}

FT_EXPORT int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	return ft_changed2(fromfd, from, FT_OP_RENAME_SRC, tofd, to, FT_OP_RENAME_DST,
			   FT_REAL(renameat)(fromfd, from, tofd, to));
}

FT_EXPORT int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
	return ft_changed2(fromfd, from, FT_OP_RENAME_SRC, tofd, to, FT_OP_RENAME_DST,
			   FT_REAL(renameat2)(fromfd, from, tofd, to, flags));
}

FT_EXPORT int unlink(const char *path)
{
	return ft_changed(AT_FDCWD, path, FT_OP_UNLINK, FT_REAL(unlink)(path));
}

FT_EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
	return ft_changed(dirfd, path, (flags & AT_REMOVEDIR) ? FT_OP_RMDIR : FT_OP_UNLINK,
			  FT_REAL(unlinkat)(dirfd, path, flags));
}

FT_EXPORT int rmdir(const char *path)
{
	return ft_changed(AT_FDCWD, path, FT_OP_RMDIR, FT_REAL(rmdir)(path));
}

/* remove(3): unlink, or rmdir for a directory, called inside libc where
 * neither hook sees it (a C test's remove("out.json") was no deletion).
 * Recorded as an unlink: a deletion either way. */
FT_EXPORT int remove(const char *path)
{
	return ft_changed(AT_FDCWD, path, FT_OP_UNLINK, FT_REAL(remove)(path));
}

/*
 * link() reads its source: the new name reaches its content, and a read of
 * that name under /tmp is dropped as scratch.  Ingest pairs the two
 * records (the source's comes first, both from this thread) and counts a
 * read of the new name as a read of the source (docs/internals.md).
 * Followed or not (AT_SYMLINK_FOLLOW), a read through the new name follows
 * it, so both are FT_OP_LINK_SRC.  linkat(fd, "", AT_EMPTY_PATH) links the
 * fd's file: named by /proc/self/fd (its open is recorded as well).
 */
FT_EXPORT int link(const char *from, const char *to)
{
	return ft_changed2(AT_FDCWD, from, FT_OP_LINK_SRC, AT_FDCWD, to, FT_OP_LINK_DST,
			   FT_REAL(link)(from, to));
}

FT_EXPORT int linkat(int fromfd, const char *from, int tofd, const char *to, int flags)
{
	int r = FT_REAL(linkat)(fromfd, from, tofd, to, flags);
	int err = r < 0 ? errno : 0;

	if (!(flags & AT_EMPTY_PATH) || !ft__path_empty(from))
		return ft_changed2(fromfd, from, FT_OP_LINK_SRC, tofd, to, FT_OP_LINK_DST, r);
	ft__access_fd(fromfd, FT_OP_LINK_SRC, ft__op_class(FT_OP_LINK_SRC), err);
	ft__access(tofd, to, FT_OP_LINK_DST, ft__op_class(FT_OP_LINK_DST), err);
	return r;
}

/* symlink()'s target is only a string: nothing is looked up. */
FT_EXPORT int symlink(const char *target, const char *linkpath)
{
	return ft_changed(AT_FDCWD, linkpath, FT_OP_SYMLINK_DST, FT_REAL(symlink)(target, linkpath));
}

FT_EXPORT int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	return ft_changed(dirfd, linkpath, FT_OP_SYMLINK_DST,
			  FT_REAL(symlinkat)(target, dirfd, linkpath));
}

FT_EXPORT int truncate(const char *path, off_t len)
{
	return ft_changed(AT_FDCWD, path, FT_OP_TRUNCATE, FT_REAL(truncate)(path, len));
}

FT_EXPORT int truncate64(const char *path, off64_t len)
{
	return ft_changed(AT_FDCWD, path, FT_OP_TRUNCATE, FT_REAL(truncate64)(path, len));
}
