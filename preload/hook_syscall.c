/*
 * hook_syscall.c - file system calls made through the syscall() wrapper.
 *
 * Node 20's libuv calls statx as syscall(SYS_statx, ...), and openat2 has
 * no glibc wrapper at all, so both are only visible here.  The rows of the
 * one syscall table (common/ft_sctab.h) marked FT_SC_SYSCALL say where a
 * call's dirfd, path and flags are and which op it records, as they do for
 * the ptrace decoder; every other number passes straight through.
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
#include "ft_sctab.h"

void ft__sc_record(const struct ft_sc *sc, const long *a, long r)
{
	int err = r < 0 ? errno : 0;
	uint64_t args[6], how_flags = 0;
	enum ft_op op;
	uint32_t cls;

	for (int i = 0; i < 6; i++)
		args[i] = (uint64_t)a[i];
	if (sc->how >= 0) {
		const struct open_how *how = (const struct open_how *)a[(int)sc->how];
		/* the kernel read *how before we could; if it faulted, r is
		 * EFAULT (and the class that of a plain open, as for flags 0) */
		if (how && !(r < 0 && err == EFAULT))
			how_flags = how->flags;
	}
	ft_sctab_class(sc, args, how_flags, &op, &cls);
	/* utimensat and futimesat with a NULL path set the dirfd's times */
	if ((sc->nr == SYS_utimensat || sc->nr == SYS_futimesat) && !a[(int)sc->path]) {
		if (r >= 0)
			ft__access_fd((int)a[(int)sc->dirfd], op, cls, 0);
		return;
	}
	if (sc->fd >= 0) {
		if (r >= 0)
			ft__access_fd((int)a[(int)sc->fd], op, cls, 0);
		return;
	}
	ft__access(sc->dirfd >= 0 ? (int)a[(int)sc->dirfd] : AT_FDCWD, (const char *)a[(int)sc->path],
		   op, cls, err);
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
	/* io_uring's submissions open, stat and read with no system call of
	 * their own: what a ring does is invisible here.  The program keeps
	 * its ring (its behaviour must not change); the process is untraced. */
	if (nr == SYS_io_uring_setup && ft__on())
		ft__rawsys_mark("io_uring");
	r = FT_REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (ft__on() && (sc = ft_sctab_find(nr)) && (sc->who & FT_SC_SYSCALL))
		ft__sc_record(sc, a, r);
	return r;
}
