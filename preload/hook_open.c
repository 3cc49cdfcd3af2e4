/*
 * hook_open.c - open, creat, fopen and their 64-bit and fortified forms.
 *
 * All of them are needed on glibc 2.36: a call made inside libc (fopen's own
 * open) never reaches our `open`, and programs built with _FORTIFY_SOURCE
 * call __open_2 instead of open.  The class comes from the flags
 * (ft__open_class / ft__fopen_class), so "opened for writing and created"
 * and "read" stay apart for ingest.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>

#include "ft_preload.h"

/* The mode argument exists only with O_CREAT or O_TMPFILE. */
#define FT_OPEN_MODE(flags, last, mode)                                        \
	do {                                                                   \
		if (((flags) & O_CREAT) || ((flags) & O_TMPFILE) == O_TMPFILE) { \
			va_list ap;                                            \
			va_start(ap, last);                                    \
			mode = va_arg(ap, mode_t);                             \
			va_end(ap);                                            \
		}                                                              \
	} while (0)

static int ft_opened(int dirfd, const char *path, int flags, int r)
{
	ft__access(dirfd, path, FT_OP_OPEN, ft__open_class(flags), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;

	FT_OPEN_MODE(flags, flags, mode);
	return ft_opened(AT_FDCWD, path, flags, FT_REAL(open)(path, flags, mode));
}

FT_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;

	FT_OPEN_MODE(flags, flags, mode);
	return ft_opened(AT_FDCWD, path, flags, FT_REAL(open64)(path, flags, mode));
}

FT_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	FT_OPEN_MODE(flags, flags, mode);
	return ft_opened(dirfd, path, flags, FT_REAL(openat)(dirfd, path, flags, mode));
}

FT_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;

	FT_OPEN_MODE(flags, flags, mode);
	return ft_opened(dirfd, path, flags, FT_REAL(openat64)(dirfd, path, flags, mode));
}

FT_EXPORT int __open_2(const char *path, int flags)
{
	return ft_opened(AT_FDCWD, path, flags, FT_REAL(__open_2)(path, flags));
}

FT_EXPORT int __open64_2(const char *path, int flags)
{
	return ft_opened(AT_FDCWD, path, flags, FT_REAL(__open64_2)(path, flags));
}

FT_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	return ft_opened(dirfd, path, flags, FT_REAL(__openat_2)(dirfd, path, flags));
}

FT_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	return ft_opened(dirfd, path, flags, FT_REAL(__openat64_2)(dirfd, path, flags));
}

static int ft_created(const char *path, int r)
{
	ft__access(AT_FDCWD, path, FT_OP_CREAT, ft__op_class(FT_OP_CREAT), r < 0 ? errno : 0);
	return r;
}

FT_EXPORT int creat(const char *path, mode_t mode)
{
	return ft_created(path, FT_REAL(creat)(path, mode));
}

FT_EXPORT int creat64(const char *path, mode_t mode)
{
	return ft_created(path, FT_REAL(creat64)(path, mode));
}

static FILE *ft_fopened(const char *path, const char *mode, FILE *f)
{
	if (path)  /* freopen(NULL, ...) changes the mode of the same file */
		ft__access(AT_FDCWD, path, FT_OP_FOPEN, ft__fopen_class(mode), f ? 0 : errno);
	return f;
}

FT_EXPORT FILE *fopen(const char *path, const char *mode)
{
	return ft_fopened(path, mode, FT_REAL(fopen)(path, mode));
}

FT_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	return ft_fopened(path, mode, FT_REAL(fopen64)(path, mode));
}

FT_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	return ft_fopened(path, mode, FT_REAL(freopen)(path, mode, stream));
}

FT_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	return ft_fopened(path, mode, FT_REAL(freopen64)(path, mode, stream));
}
