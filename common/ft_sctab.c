/*
 * ft_sctab.c - see ft_sctab.h.
 *
 * Rows follow the preload's libc hooks (preload/hook_*.c) call for call, so
 * that a static and a dynamic build of one program record the same classes:
 * what the preload sees as fopen/opendir/realpath reaches the kernel as
 * openat, getdents64 and a walk of lstat/readlink calls, and each of those
 * has a row.
 *
 * The FT_SC_SYSCALL rows are the calls programs are known to make through
 * syscall(): Node 20's libuv calls statx that way, openat2 has no glibc
 * wrapper at all, and the other rows are the lookups beside them.  A new
 * FT_SC_SYSCALL row makes the preload record calls it did not: add it with
 * a test (t1xxx).
 */
#include <fcntl.h>
#include <sys/syscall.h>

#include "ft_openclass.h"
#include "ft_sctab.h"

/* Linux 6.6; glibc 2.39 uses it for fchmodat(AT_SYMLINK_NOFOLLOW), so a
 * static program may call it where these headers do not name it yet. */
#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

#define N FT_SC_NONE
#define X FT_OP__NONE
#define P FT_SC_PTRACE
#define S FT_SC_SYSCALL
#define NOFOLLOW AT_SYMLINK_NOFOLLOW
/*
 *   nr, name, op, dirfd, path, fd, flags, how, atflags, at_bit, at_op,
 *   op2, dirfd2, path2, who
 */
static const struct ft_sc ft_sctab[] = {
	{ SYS_open,       "open",       FT_OP_OPEN,      N, 0, N, 1, N, N, 0, X, X, N, N, P | S },
	{ SYS_openat,     "openat",     FT_OP_OPEN,      0, 1, N, 2, N, N, 0, X, X, N, N, P | S },
	{ SYS_openat2,    "openat2",    FT_OP_OPEN,      0, 1, N, N, 2, N, 0, X, X, N, N, P | S },
	{ SYS_creat,      "creat",      FT_OP_CREAT,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_stat,       "stat",       FT_OP_STAT,      N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_lstat,      "lstat",      FT_OP_LSTAT,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_newfstatat, "newfstatat", FT_OP_STAT,      0, 1, N, N, N, 3, NOFOLLOW, FT_OP_LSTAT, X, N, N, P | S },
	{ SYS_statx,      "statx",      FT_OP_STAT,      0, 1, N, N, N, 2, NOFOLLOW, FT_OP_LSTAT, X, N, N, P | S },
	{ SYS_access,     "access",     FT_OP_ACCESS,    N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_faccessat,  "faccessat",  FT_OP_ACCESS,    0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	/* NEEDSWORK: faccessat2's AT_SYMLINK_NOFOLLOW (argument 3) is not
	 * read: the call records a followed access either way. */
	{ SYS_faccessat2, "faccessat2", FT_OP_ACCESS,    0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_readlink,   "readlink",   FT_OP_READLINK,  N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_readlinkat, "readlinkat", FT_OP_READLINK,  0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_execve,     "execve",     FT_OP_EXEC,      N, 0, N, N, N, N, 0, X, X, N, N, P },
	/* AT_SYMLINK_NOFOLLOW makes exec of a link fail (ELOOP): still an exec */
	{ SYS_execveat,   "execveat",   FT_OP_EXEC,      0, 1, N, N, N, 4, 0, X, X, N, N, P },
	{ SYS_getdents64, "getdents64", FT_OP_GETDENTS,  N, N, 0, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_getdents,   "getdents",   FT_OP_GETDENTS,  N, N, 0, N, N, N, 0, X, X, N, N, P | S },
	/* the preload hands chdir to its hook, which names the path before
	 * the call; the row is read there only when the hook was not taken
	 * (another thread turned recording on during the call) */
	{ SYS_chdir,      "chdir",      FT_OP_CHDIR,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchdir,     "fchdir",     FT_OP_CHDIR,     N, N, 0, N, N, N, 0, X, X, N, N, P },
	{ SYS_rename,     "rename",     FT_OP_RENAME_SRC,N, 0, N, N, N, N, 0, X, FT_OP_RENAME_DST, N, 1, P },
	{ SYS_renameat,   "renameat",   FT_OP_RENAME_SRC,0, 1, N, N, N, N, 0, X, FT_OP_RENAME_DST, 2, 3, P },
	{ SYS_renameat2,  "renameat2",  FT_OP_RENAME_SRC,0, 1, N, N, N, N, 0, X, FT_OP_RENAME_DST, 2, 3, P },
	{ SYS_unlink,     "unlink",     FT_OP_UNLINK,    N, 0, N, N, N, N, 0, X, X, N, N, P },
	{ SYS_unlinkat,   "unlinkat",   FT_OP_UNLINK,    0, 1, N, N, N, 2, AT_REMOVEDIR, FT_OP_RMDIR, X, N, N, P },
	{ SYS_rmdir,      "rmdir",      FT_OP_RMDIR,     N, 0, N, N, N, N, 0, X, X, N, N, P },
	{ SYS_mkdir,      "mkdir",      FT_OP_MKDIR,     N, 0, N, N, N, N, 0, X, X, N, N, P },
	{ SYS_mkdirat,    "mkdirat",    FT_OP_MKDIR,     0, 1, N, N, N, N, 0, X, X, N, N, P },
	/* link()'s source is read: the new name reaches its content (a read
	 * of the new name under /tmp is dropped as scratch, so ingest pairs
	 * the two records and counts it as a read of the source).  Followed
	 * or not (AT_SYMLINK_FOLLOW), a read through the new name follows
	 * it.  linkat(fd, "", AT_EMPTY_PATH) names the fd (the tracer, as
	 * for execveat); its open is recorded as well. */
	{ SYS_link,       "link",       FT_OP_LINK_SRC,  N, 0, N, N, N, N, 0, X, FT_OP_LINK_DST, N, 1, P },
	{ SYS_linkat,     "linkat",     FT_OP_LINK_SRC,  0, 1, N, N, N, 4, 0, X, FT_OP_LINK_DST, 2, 3, P },
	/* symlink()'s target is only a string: nothing is looked up */
	{ SYS_symlink,    "symlink",    FT_OP_SYMLINK_DST, N, 1, N, N, N, N, 0, X, X, N, N, P },
	{ SYS_symlinkat,  "symlinkat",  FT_OP_SYMLINK_DST, 1, 2, N, N, N, N, 0, X, X, N, N, P },
	{ SYS_truncate,   "truncate",   FT_OP_TRUNCATE,  N, 0, N, N, N, N, 0, X, X, N, N, P },
	/* The run changed the path's mode (chown clears set-user-ID): ingest
	 * then never keeps a type or mode it saw for the path, unless the
	 * test made the change itself before its first use (docs/internals.md,
	 * "Type and mode").  fchmod and fchown name the fd; fchownat's
	 * AT_EMPTY_PATH names the dirfd (the tracer, as for execveat).
	 * Through syscall() too (FT_SC_SYSCALL): fchmodat2 has no glibc
	 * wrapper before 2.39, so a program that wants it calls it that way. */
	{ SYS_chmod,      "chmod",      FT_OP_CHMOD,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchmod,     "fchmod",     FT_OP_CHMOD,     N, N, 0, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchmodat,   "fchmodat",   FT_OP_CHMOD,     0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchmodat2,  "fchmodat2",  FT_OP_CHMOD,     0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_chown,      "chown",      FT_OP_CHOWN,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchown,     "fchown",     FT_OP_CHOWN,     N, N, 0, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_lchown,     "lchown",     FT_OP_CHOWN,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_fchownat,   "fchownat",   FT_OP_CHOWN,     0, 1, N, N, N, 4, 0, X, X, N, N, P | S },
	/* The utime family sets times, as `touch` does, and moves ctime:
	 * recorded so that ingest can tell the run's own change of a file's
	 * times from an unexplained one (docs/racy-stat.md, "A run's own
	 * utime").  futimesat and utimensat with a NULL path name their dirfd
	 * (both back ends test for it, as for AT_EMPTY_PATH); futimens is
	 * utimensat(fd, NULL) in the kernel, futimes futimesat(fd, NULL).
	 * AT_SYMLINK_NOFOLLOW changes which inode, not what is recorded: the
	 * path as named. */
	{ SYS_utime,      "utime",      FT_OP_UTIME,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_utimes,     "utimes",     FT_OP_UTIME,     N, 0, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_futimesat,  "futimesat",  FT_OP_UTIME,     0, 1, N, N, N, N, 0, X, X, N, N, P | S },
	{ SYS_utimensat,  "utimensat",  FT_OP_UTIME,     0, 1, N, N, N, N, 0, X, X, N, N, P | S },
};
#undef NOFOLLOW
#undef S
#undef P
#undef X
#undef N

const struct ft_sc *ft_sctab_find(long nr)
{
	for (size_t i = 0; i < ft_sctab_count(); i++)
		if (ft_sctab[i].nr == nr)
			return &ft_sctab[i];
	return NULL;
}

const struct ft_sc *ft_sctab_at(size_t i)
{
	return i < ft_sctab_count() ? &ft_sctab[i] : NULL;
}

size_t ft_sctab_count(void)
{
	return sizeof(ft_sctab) / sizeof(ft_sctab[0]);
}

void ft_sctab_class(const struct ft_sc *sc, const uint64_t args[6], uint64_t how_flags,
		    enum ft_op *op, uint32_t *cls)
{
	*op = sc->op;
	*cls = ft_op_class(sc->op);
	if (sc->flags >= 0)
		*cls = ft_open_class((int)args[(int)sc->flags]);
	else if (sc->how >= 0)
		*cls = ft_open_class((int)how_flags);
	else if (sc->atflags >= 0 && (args[(int)sc->atflags] & (uint64_t)sc->at_bit))
		*op = sc->at_op;
	if (*op != sc->op)
		*cls = ft_op_class(*op);
}
