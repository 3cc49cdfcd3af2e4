/*
 * hook_syscall.c - file system calls made through the syscall() wrapper.
 *
 * Node 20's libuv calls statx as syscall(SYS_statx, ...), and openat2 has
 * no glibc wrapper at all, so both are only visible here.  One table row
 * per system call number says where its dirfd, path and flags are and which
 * op it is; everything else passes straight through.
 *
 * NEEDSWORK: syscall(SYS_vfork) or a CLONE_VM|CLONE_VFORK clone through
 * this wrapper returns twice through our stack frame; glibc's own syscall()
 * has no frame to clobber.  No runtime we know does this.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/syscall.h>

#include "ft_preload.h"

enum ft_sc_shape {
	FT_SC_PATH,      /* (path, ...) */
	FT_SC_AT,        /* (dirfd, path, ...) */
	FT_SC_FD,        /* (fd, ...) */
};

struct ft_sc {
	long nr;
	enum ft_sc_shape shape;
	enum ft_op op;
	signed char flags_arg;   /* index of open flags, -1 none */
	signed char atflags_arg; /* index of AT_* flags (statx, fstatat), -1 none */
	signed char how_arg;     /* index of struct open_how (openat2), -1 none */
};

static const struct ft_sc ft_sc_table[] = {
	{ SYS_open,       FT_SC_PATH, FT_OP_OPEN,     1, -1, -1 },
	{ SYS_openat,     FT_SC_AT,   FT_OP_OPEN,     2, -1, -1 },
	{ SYS_openat2,    FT_SC_AT,   FT_OP_OPEN,    -1, -1,  2 },
	{ SYS_creat,      FT_SC_PATH, FT_OP_CREAT,   -1, -1, -1 },
	{ SYS_stat,       FT_SC_PATH, FT_OP_STAT,    -1, -1, -1 },
	{ SYS_lstat,      FT_SC_PATH, FT_OP_LSTAT,   -1, -1, -1 },
	{ SYS_newfstatat, FT_SC_AT,   FT_OP_STAT,    -1,  3, -1 },
	{ SYS_statx,      FT_SC_AT,   FT_OP_STAT,    -1,  2, -1 },
	{ SYS_access,     FT_SC_PATH, FT_OP_ACCESS,  -1, -1, -1 },
	{ SYS_faccessat,  FT_SC_AT,   FT_OP_ACCESS,  -1, -1, -1 },
	{ SYS_faccessat2, FT_SC_AT,   FT_OP_ACCESS,  -1, -1, -1 },
	{ SYS_readlink,   FT_SC_PATH, FT_OP_READLINK,-1, -1, -1 },
	{ SYS_readlinkat, FT_SC_AT,   FT_OP_READLINK,-1, -1, -1 },
	{ SYS_getdents64, FT_SC_FD,   FT_OP_GETDENTS,-1, -1, -1 },
	{ SYS_getdents,   FT_SC_FD,   FT_OP_GETDENTS,-1, -1, -1 },
	{ SYS_chdir,      FT_SC_PATH, FT_OP_CHDIR,   -1, -1, -1 },
};

static const struct ft_sc *ft_sc_find(long nr)
{
	for (size_t i = 0; i < sizeof(ft_sc_table) / sizeof(ft_sc_table[0]); i++)
		if (ft_sc_table[i].nr == nr)
			return &ft_sc_table[i];
	return NULL;
}

static void ft_sc_record(const struct ft_sc *sc, const long *a, long r)
{
	int err = r < 0 ? errno : 0;
	uint32_t cls = ft__op_class(sc->op);
	enum ft_op op = sc->op;

	if (sc->flags_arg >= 0)
		cls = ft__open_class((int)a[(int)sc->flags_arg]);
	if (sc->how_arg >= 0) {
		const struct open_how *how = (const struct open_how *)a[(int)sc->how_arg];
		/* the kernel read *how before we could; if it faulted, r is EFAULT */
		if (how && !(r < 0 && err == EFAULT))
			cls = ft__open_class((int)how->flags);
	}
	if (sc->atflags_arg >= 0 && (a[(int)sc->atflags_arg] & AT_SYMLINK_NOFOLLOW)) {
		op = FT_OP_LSTAT;
		cls = ft__op_class(op);
	}
	switch (sc->shape) {
	case FT_SC_PATH:
		ft__access(AT_FDCWD, (const char *)a[0], op, cls, err);
		break;
	case FT_SC_AT:
		ft__access((int)a[0], (const char *)a[1], op, cls, err);
		break;
	case FT_SC_FD:
		if (r >= 0)
			ft__access_fd((int)a[0], op, cls, 0);
		break;
	}
}

FT_EXPORT long syscall(long nr, ...)
{
	const struct ft_sc *sc;
	va_list ap;
	long a[6], r;

	va_start(ap, nr);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	if (nr == SYS_execve && ft__on())
		return execve((const char *)a[0], (char *const *)a[1], (char *const *)a[2]);
	/* named before the call, as chdir() does (hook_dir.c) */
	if (nr == SYS_chdir && ft__on())
		return chdir((const char *)a[0]);
	r = FT_REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ft__on() && (sc = ft_sc_find(nr)))
		ft_sc_record(sc, a, r);
	return r;
}
