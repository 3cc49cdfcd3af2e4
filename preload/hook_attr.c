/*
 * hook_attr.c - calls that change a path's mode or owner: the chmod and
 * chown families (chown clears set-user-ID and set-group-ID).
 *
 * Why record them: ingest keeps the type and mode a test saw of an inode
 * changed during the run when the run's own writes explain the change
 * (mtime == ctime: docs/internals.md, "Type and mode").  A chmod earlier in
 * the run than such a write leaves no trace in the inode: test a stats d
 * (0755), test b chmods it to 0700 and then adds an entry, and a was
 * stored with 0700, which it never saw.  With these records, a mode the run
 * changed is never kept (unknown, selected), unless the test changed it
 * itself before its first use (its output).
 *
 * The fd forms are named by /proc/self/fd (ft__access_fd: a readlink, a
 * plain syscall); as in the ptrace back end, a failed one records nothing
 * (it changed nothing, and names no lookup).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_preload.h"

static int ft_attr(int dirfd, const char *path, enum ft_op op, int r)
{
	ft__access(dirfd, path, op, ft__op_class(op), r < 0 ? errno : 0);
	return r;
}

static int ft_attr_fd(int fd, enum ft_op op, int r)
{
	if (r == 0)
		ft__access_fd(fd, op, ft__op_class(op), 0);
	return r;
}

FT_EXPORT int chmod(const char *path, mode_t mode)
{
	return ft_attr(AT_FDCWD, path, FT_OP_CHMOD, FT_REAL(chmod)(path, mode));
}

/* glibc 2.32: chmod of a symlink itself (fails with EOPNOTSUPP on Linux) */
FT_EXPORT int lchmod(const char *path, mode_t mode)
{
	return ft_attr(AT_FDCWD, path, FT_OP_CHMOD, FT_REAL(lchmod)(path, mode));
}

FT_EXPORT int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	return ft_attr(dirfd, path, FT_OP_CHMOD, FT_REAL(fchmodat)(dirfd, path, mode, flags));
}

FT_EXPORT int fchmod(int fd, mode_t mode)
{
	return ft_attr_fd(fd, FT_OP_CHMOD, FT_REAL(fchmod)(fd, mode));
}

FT_EXPORT int chown(const char *path, uid_t owner, gid_t group)
{
	return ft_attr(AT_FDCWD, path, FT_OP_CHOWN, FT_REAL(chown)(path, owner, group));
}

FT_EXPORT int lchown(const char *path, uid_t owner, gid_t group)
{
	return ft_attr(AT_FDCWD, path, FT_OP_CHOWN, FT_REAL(lchown)(path, owner, group));
}

FT_EXPORT int fchown(int fd, uid_t owner, gid_t group)
{
	return ft_attr_fd(fd, FT_OP_CHOWN, FT_REAL(fchown)(fd, owner, group));
}

/* fchownat(fd, "", AT_EMPTY_PATH) changes the fd's file */
FT_EXPORT int fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
	int r = FT_REAL(fchownat)(dirfd, path, owner, group, flags);

	if ((flags & AT_EMPTY_PATH) && ft__path_empty(path))
		return ft_attr_fd(dirfd, FT_OP_CHOWN, r);
	return ft_attr(dirfd, path, FT_OP_CHOWN, r);
}
