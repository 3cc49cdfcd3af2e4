/*
 * ptrace_sctab.c - see ptrace_sctab.h.
 *
 * Rows follow the preload hooks (preload/hook_*.c) call for call, so that a
 * static and a dynamic build of one program record the same classes: what
 * the preload sees as fopen/opendir/realpath reaches the kernel as openat,
 * getdents64 and a walk of lstat/readlink calls, and each of those has a row.
 */
#include <fcntl.h>
#include <sys/syscall.h>

#include "ft_openclass.h"
#include "ptrace_sctab.h"

#define N FT_SC_NONE
/*  nr, name, op, dirfd, path, fd, flags, how, atflags, op2, dirfd2, path2 */
static const struct ft_ptrace_sc ft_sctab[] = {
	{ SYS_open,       "open",       FT_OP_OPEN,      N, 0, N, 1, N, N, FT_OP__NONE, N, N },
	{ SYS_openat,     "openat",     FT_OP_OPEN,      0, 1, N, 2, N, N, FT_OP__NONE, N, N },
	{ SYS_openat2,    "openat2",    FT_OP_OPEN,      0, 1, N, N, 2, N, FT_OP__NONE, N, N },
	{ SYS_creat,      "creat",      FT_OP_CREAT,     N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_stat,       "stat",       FT_OP_STAT,      N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_lstat,      "lstat",      FT_OP_LSTAT,     N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_newfstatat, "newfstatat", FT_OP_STAT,      0, 1, N, N, N, 3, FT_OP__NONE, N, N },
	{ SYS_statx,      "statx",      FT_OP_STAT,      0, 1, N, N, N, 2, FT_OP__NONE, N, N },
	{ SYS_access,     "access",     FT_OP_ACCESS,    N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_faccessat,  "faccessat",  FT_OP_ACCESS,    0, 1, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_faccessat2, "faccessat2", FT_OP_ACCESS,    0, 1, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_readlink,   "readlink",   FT_OP_READLINK,  N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_readlinkat, "readlinkat", FT_OP_READLINK,  0, 1, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_execve,     "execve",     FT_OP_EXEC,      N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_execveat,   "execveat",   FT_OP_EXEC,      0, 1, N, N, N, 4, FT_OP__NONE, N, N },
	{ SYS_getdents64, "getdents64", FT_OP_GETDENTS,  N, N, 0, N, N, N, FT_OP__NONE, N, N },
	{ SYS_getdents,   "getdents",   FT_OP_GETDENTS,  N, N, 0, N, N, N, FT_OP__NONE, N, N },
	{ SYS_chdir,      "chdir",      FT_OP_CHDIR,     N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_fchdir,     "fchdir",     FT_OP_CHDIR,     N, N, 0, N, N, N, FT_OP__NONE, N, N },
	{ SYS_rename,     "rename",     FT_OP_RENAME_SRC,N, 0, N, N, N, N, FT_OP_RENAME_DST, N, 1 },
	{ SYS_renameat,   "renameat",   FT_OP_RENAME_SRC,0, 1, N, N, N, N, FT_OP_RENAME_DST, 2, 3 },
	{ SYS_renameat2,  "renameat2",  FT_OP_RENAME_SRC,0, 1, N, N, N, N, FT_OP_RENAME_DST, 2, 3 },
	{ SYS_unlink,     "unlink",     FT_OP_UNLINK,    N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_unlinkat,   "unlinkat",   FT_OP_UNLINK,    0, 1, N, N, N, 2, FT_OP__NONE, N, N },
	{ SYS_rmdir,      "rmdir",      FT_OP_RMDIR,     N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_mkdir,      "mkdir",      FT_OP_MKDIR,     N, 0, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_mkdirat,    "mkdirat",    FT_OP_MKDIR,     0, 1, N, N, N, N, FT_OP__NONE, N, N },
	/* link() reads its source: it must exist, and is not followed */
	{ SYS_link,       "link",       FT_OP_LSTAT,     N, 0, N, N, N, N, FT_OP_LINK_DST, N, 1 },
	{ SYS_linkat,     "linkat",     FT_OP_LSTAT,     0, 1, N, N, N, 4, FT_OP_LINK_DST, 2, 3 },
	/* symlink()'s target is only a string: nothing is looked up */
	{ SYS_symlink,    "symlink",    FT_OP_SYMLINK_DST, N, 1, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_symlinkat,  "symlinkat",  FT_OP_SYMLINK_DST, 1, 2, N, N, N, N, FT_OP__NONE, N, N },
	{ SYS_truncate,   "truncate",   FT_OP_TRUNCATE,  N, 0, N, N, N, N, FT_OP__NONE, N, N },
};
#undef N

uint32_t ft_ptrace_op_class(enum ft_op op)
{
	return ft_op_class(op);
}

const struct ft_ptrace_sc *ft_ptrace_sc_find(long nr)
{
	for (size_t i = 0; i < sizeof(ft_sctab) / sizeof(ft_sctab[0]); i++)
		if (ft_sctab[i].nr == nr)
			return &ft_sctab[i];
	return NULL;
}

const struct ft_ptrace_sc *ft_ptrace_sc_at(size_t i)
{
	return i < ft_ptrace_sc_count() ? &ft_sctab[i] : NULL;
}

size_t ft_ptrace_sc_count(void)
{
	return sizeof(ft_sctab) / sizeof(ft_sctab[0]);
}

void ft_ptrace_sc_class(const struct ft_ptrace_sc *sc, const uint64_t args[6],
			uint64_t how_flags, enum ft_op *op, uint32_t *cls)
{
	long atf = sc->atflags >= 0 ? (long)args[(int)sc->atflags] : 0;

	*op = sc->op;
	*cls = ft_ptrace_op_class(sc->op);
	if (sc->flags >= 0)
		*cls = ft_open_class((int)args[(int)sc->flags]);
	else if (sc->how >= 0)
		*cls = ft_open_class((int)how_flags);
	else if (sc->nr == SYS_unlinkat) {
		if (atf & AT_REMOVEDIR)
			*op = FT_OP_RMDIR;
	} else if (sc->nr == SYS_linkat) {
		if (atf & AT_SYMLINK_FOLLOW)
			*op = FT_OP_STAT;
	} else if (sc->nr == SYS_execveat) {
		/* AT_SYMLINK_NOFOLLOW makes exec of a link fail (ELOOP): still an exec */
	} else if (atf & AT_SYMLINK_NOFOLLOW) {
		*op = FT_OP_LSTAT;
	}
	if (*op != sc->op)
		*cls = ft_ptrace_op_class(*op);
}
