/*
 * record.c - the one way a hook records: name the path, filter it, dedup,
 * emit.  Everything here runs inside the hooked call, so it keeps to the
 * interposer rules: no allocation (the path buffer is per thread), no
 * locks, errno restored, and ft__guard set so that nothing we call records.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "ft_openclass.h"
#include "ft_preload.h"

__thread int ft__guard __attribute__((tls_model("initial-exec")));
static __thread char ft_pathbuf[FT__PATHBUF] __attribute__((tls_model("initial-exec")));

uint32_t ft__op_class(enum ft_op op)
{
	return ft_op_class(op);
}

/* One rule for both back ends: common/ft_openclass.h. */
uint32_t ft__open_class(int flags)
{
	return ft_open_class(flags);
}

uint32_t ft__fopen_class(const char *mode)
{
	uint32_t cls;

	if (!mode)
		return FT_AC_READ;
	switch (mode[0]) {
	case 'w': cls = FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC; break;
	case 'a': cls = FT_AC_WRITE | FT_AC_CREATE; break;
	default:  cls = FT_AC_READ; break;
	}
	if (mode[0] && strchr(mode + 1, '+'))
		cls |= FT_AC_READ | FT_AC_WRITE;
	return cls;
}

/* Emit an access of a named, filtered absolute path. */
static void ft_emit_access(const char *abs, size_t len, enum ft_op op, uint32_t cls, int err)
{
	/* a link's two records are paired by ingest (ft_record.h): neither is
	 * left out as seen before */
	if (op != FT_OP_LINK_SRC && op != FT_OP_LINK_DST && ft__dedup_seen(cls, abs, len))
		return;
	ft__emit(FT_REC_ACCESS, op, err, cls, abs, len);
}

/* A path we cannot name.  A call that failed because of the path itself
 * (too long, bad dirfd) read nothing; anything else is a dependency we
 * cannot write down, so the test must count as untraced. */
static void ft_unnamed(const char *path, int err)
{
	if (err == ENAMETOOLONG || err == EBADF)
		return;
	ft__untraced(path ? path : "", path ? strnlen(path, 256) : 0, FT_UNTRACED_UNKNOWN);
}

void ft__access(int dirfd, const char *path, enum ft_op op, uint32_t cls, int err)
{
	int saved = errno;
	long n;

	if (!ft__on())
		return;
	ft__guard = 1;
	n = ft__path_abs(dirfd, path, ft_pathbuf, sizeof(ft_pathbuf));
	if (n > 0)
		ft_emit_access(ft_pathbuf, (size_t)n, op, cls, err);
	else if (n < 0)
		ft_unnamed(path, err);
	else if (path && path[0])
		/* an ignored place: the control path lives in the run dir */
		ft__control_path(ft_pathbuf, strlen(ft_pathbuf));
	ft__guard = 0;
	errno = saved;
}

long ft__access_prepare(int dirfd, const char *path, char *buf, size_t size)
{
	int saved = errno;
	long n;

	if (!ft__on())
		return 0;
	ft__guard = 1;
	n = ft__path_abs(dirfd, path, buf, size);
	ft__guard = 0;
	errno = saved;
	return n;
}

void ft__access_done(const char *buf, long n, const char *path, enum ft_op op, uint32_t cls, int err)
{
	int saved = errno;

	if (n > 0) {
		ft__access_abs(buf, (size_t)n, op, cls, err);
		return;
	}
	if (n == 0 || !ft__on())
		return;
	ft__guard = 1;
	ft_unnamed(path, err);
	ft__guard = 0;
	errno = saved;
}

int ft__path_empty(const char *path)
{
	return path && !path[0];
}

int ft__path_null(const char *path)
{
	return !path;
}

void ft__times(int dirfd, const char *path, const struct ft_times *t)
{
	char *name = ft_pathbuf + sizeof(*t);
	size_t size = sizeof(ft_pathbuf) - sizeof(*t);
	int saved = errno;
	long n;

	if (!ft__on())
		return;
	ft__guard = 1;
	n = path ? ft__path_abs(dirfd, path, name, size) : ft__path_fd(dirfd, name, size);
	/* An unnamed path: its UTIME record says so; with no evidence,
	 * ingest keeps the readers unknown */
	if (n > 0 && (size_t)n < FT_PATH_MAX) {
		memcpy(ft_pathbuf, t, sizeof(*t));
		ft__emit(FT_REC_TIMES, FT_OP__NONE, 0, 0, ft_pathbuf, sizeof(*t) + (size_t)n);
	}
	ft__guard = 0;
	errno = saved;
}

void ft__access_fd(int fd, enum ft_op op, uint32_t cls, int err)
{
	int saved = errno;
	long n;

	if (!ft__on())
		return;
	ft__guard = 1;
	n = ft__path_fd(fd, ft_pathbuf, sizeof(ft_pathbuf));
	if (n > 0)
		ft_emit_access(ft_pathbuf, (size_t)n, op, cls, err);
	/* n < 0: not a file system object (pipe, socket): nothing to depend on */
	ft__guard = 0;
	errno = saved;
}

void ft__access_abs(const char *abs, size_t len, enum ft_op op, uint32_t cls, int err)
{
	int saved = errno;

	if (!ft__on())
		return;
	ft__guard = 1;
	if (len >= FT_PATH_MAX)
		ft_unnamed(abs, 0);
	else if (len && !ft__path_ignored(abs, len))
		ft_emit_access(abs, len, op, cls, err);
	ft__guard = 0;
	errno = saved;
}

void ft__untraced(const char *what, size_t len, enum ft_untraced_why why)
{
	int saved = errno;

	if (!ft__proc.active)
		return;
	if (len > 1024)
		len = 1024;
	ft__emit(FT_REC_UNTRACED, FT_OP__NONE, 0, (uint32_t)why, what, len);
	errno = saved;
}

void ft__rawsys_mark(const char *what)
{
	size_t n = strnlen(what, sizeof(ft__proc.rawsys_what) - 1);

	if (!ft__proc.active || ft__proc.ptraced)
		return;
	if (!ft__proc.rawsys) {
		memcpy(ft__proc.rawsys_what, what, n);
		ft__proc.rawsys_what[n] = '\0';
		ft__proc.rawsys = 1;
	}
	ft__untraced(what, n, FT_UNTRACED_RAWSYS);
}

void ft__rawsys_again(void)
{
	if (ft__proc.rawsys)
		ft__untraced(ft__proc.rawsys_what, strlen(ft__proc.rawsys_what), FT_UNTRACED_RAWSYS);
}
