/*
 * hook_stat.c - metadata lookups: the stat family in both ABIs, and access.
 *
 * Since glibc 2.33 stat, lstat, fstatat, statx and their 64 forms are real
 * exported functions; programs built against older glibc still call
 * __xstat & co.  Hooking only one ABI misses the other entirely (fsatrace's
 * blind spot).  Python checks a .py whose .pyc is valid with stat alone, so
 * these records are what makes an edited module select its tests.
 *
 * The old ABI is served by the new functions: on x86-64 `ver` is always
 * _STAT_VER_LINUX (1) and struct stat is the kernel's, so __xstat(1, p, b)
 * is stat(p, b).
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ft_preload.h"

static int ft_statted(int dirfd, const char *path, int atflags, int r)
{
	enum ft_op op = (atflags & AT_SYMLINK_NOFOLLOW) ? FT_OP_LSTAT : FT_OP_STAT;

	ft__access(dirfd, path, op, ft__op_class(op), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT int stat(const char *path, struct stat *buf)
{
	return ft_statted(AT_FDCWD, path, 0, FT_REAL(stat)(path, buf));
}

FT_EXPORT int stat64(const char *path, struct stat64 *buf)
{
	return ft_statted(AT_FDCWD, path, 0, FT_REAL(stat64)(path, buf));
}

FT_EXPORT int lstat(const char *path, struct stat *buf)
{
	return ft_statted(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, FT_REAL(lstat)(path, buf));
}

FT_EXPORT int lstat64(const char *path, struct stat64 *buf)
{
	return ft_statted(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, FT_REAL(lstat64)(path, buf));
}

FT_EXPORT int fstatat(int dirfd, const char *path, struct stat *buf, int flags)
{
	return ft_statted(dirfd, path, flags, FT_REAL(fstatat)(dirfd, path, buf, flags));
}

FT_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *buf, int flags)
{
	return ft_statted(dirfd, path, flags, FT_REAL(fstatat64)(dirfd, path, buf, flags));
}

FT_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buf)
{
	return ft_statted(dirfd, path, flags, FT_REAL(statx)(dirfd, path, flags, mask, buf));
}

FT_EXPORT int __xstat(int ver, const char *path, struct stat *buf)
{
	return ft_statted(AT_FDCWD, path, 0, FT_REAL(stat)(path, buf));
}

FT_EXPORT int __xstat64(int ver, const char *path, struct stat64 *buf)
{
	return ft_statted(AT_FDCWD, path, 0, FT_REAL(stat64)(path, buf));
}

FT_EXPORT int __lxstat(int ver, const char *path, struct stat *buf)
{
	return ft_statted(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, FT_REAL(lstat)(path, buf));
}

FT_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *buf)
{
	return ft_statted(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, FT_REAL(lstat64)(path, buf));
}

FT_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *buf, int flags)
{
	return ft_statted(dirfd, path, flags, FT_REAL(fstatat)(dirfd, path, buf, flags));
}

FT_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *buf, int flags)
{
	return ft_statted(dirfd, path, flags, FT_REAL(fstatat64)(dirfd, path, buf, flags));
}

static int ft_accessed(int dirfd, const char *path, int r)
{
	ft__access(dirfd, path, FT_OP_ACCESS, ft__op_class(FT_OP_ACCESS), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT int access(const char *path, int mode)
{
	return ft_accessed(AT_FDCWD, path, FT_REAL(access)(path, mode));
}

FT_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	return ft_accessed(dirfd, path, FT_REAL(faccessat)(dirfd, path, mode, flags));
}

FT_EXPORT int eaccess(const char *path, int mode)
{
	return ft_accessed(AT_FDCWD, path, FT_REAL(eaccess)(path, mode));
}

FT_EXPORT int euidaccess(const char *path, int mode)
{
	return ft_accessed(AT_FDCWD, path, FT_REAL(euidaccess)(path, mode));
}
