/*
 * hook_walk.c - libc functions that walk directories themselves: glob,
 * nftw and ftw, fts.
 *
 * glibc reads directories inside these with its own internal opendir,
 * readdir and stat, which no hook sees: a test that globs the JSON files
 * of data/ or walks a tree with nftw() would depend on nothing there, and
 * a file added to the tree would select nothing.  Each hook records what the walk read:
 *   - glob: the call runs with GLOB_ALTDIRFUNC and our own opendir, stat
 *     and lstat (the exported hooks), so each directory it lists and each
 *     name it stats is recorded as if the program had done it; the
 *     caller's glob_t gets its flags back afterwards.  A caller that
 *     passes its own GLOB_ALTDIRFUNC functions is left alone (what they
 *     call is hooked);
 *   - nftw and ftw: the walk calls our function, which records the entry
 *     (a directory as listed, anything else as stat'ed, or lstat'ed with
 *     FTW_PHYS) and then calls the program's; a walk that could not start
 *     records its root with the error;
 *   - fts_read: the entry it returns, in the same way (a directory as
 *     listed when it is returned before its children, FTS_D).
 * The program's callback is kept per thread, saved and put back around
 * each call: a walk started from another walk's callback nests.
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <dirent.h>
#include <sys/stat.h>

#include "ft_preload.h"

/* ---- glob -------------------------------------------------------------- */

/* GLOB_ALTDIRFUNC's functions: our opendir, stat and lstat (the exported
 * hooks, so that each records), libc's readdir and closedir. */
static void ft_gl_closedir(void *d) { closedir(d); }
static struct dirent *ft_gl_readdir(void *d) { return readdir(d); }
static struct dirent64 *ft_gl_readdir64(void *d) { return readdir64(d); }
static void *ft_gl_opendir(const char *path) { return opendir(path); }
static int ft_gl_stat(const char *path, struct stat *st) { return stat(path, st); }
static int ft_gl_lstat(const char *path, struct stat *st) { return lstat(path, st); }
static int ft_gl_stat64(const char *path, struct stat64 *st) { return stat64(path, st); }
static int ft_gl_lstat64(const char *path, struct stat64 *st) { return lstat64(path, st); }

FT_EXPORT int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *pglob)
{
	int r;

	if (flags & GLOB_ALTDIRFUNC)
		return FT_REAL(glob)(pattern, flags, errfunc, pglob);
	pglob->gl_closedir = ft_gl_closedir;
	pglob->gl_readdir = ft_gl_readdir;
	pglob->gl_opendir = ft_gl_opendir;
	pglob->gl_lstat = ft_gl_lstat;
	pglob->gl_stat = ft_gl_stat;
	r = FT_REAL(glob)(pattern, flags | GLOB_ALTDIRFUNC, errfunc, pglob);
	pglob->gl_flags &= ~GLOB_ALTDIRFUNC;
	return r;
}

FT_EXPORT int glob64(const char *pattern, int flags, int (*errfunc)(const char *, int), glob64_t *pglob)
{
	int r;

	if (flags & GLOB_ALTDIRFUNC)
		return FT_REAL(glob64)(pattern, flags, errfunc, pglob);
	pglob->gl_closedir = ft_gl_closedir;
	pglob->gl_readdir = ft_gl_readdir64;
	pglob->gl_opendir = ft_gl_opendir;
	pglob->gl_lstat = ft_gl_lstat64;
	pglob->gl_stat = ft_gl_stat64;
	r = FT_REAL(glob64)(pattern, flags | GLOB_ALTDIRFUNC, errfunc, pglob);
	pglob->gl_flags &= ~GLOB_ALTDIRFUNC;
	return r;
}

/* ---- nftw, ftw --------------------------------------------------------- */

/* One entry a walk handed over: (dirfd AT_FDCWD, name) as the walk's own
 * calls named it then. */
static void ft_walked(const char *name, int dir, int follow, int err)
{
	enum ft_op op = dir ? FT_OP_OPENDIR : follow ? FT_OP_STAT : FT_OP_LSTAT;

	ft__access(AT_FDCWD, name, op, ft__op_class(op), err);
}

/* nftw's type flag: a directory (listed, or not readable), a name it
 * could not stat, a link whose target is missing (stat'ed: ENOENT). */
static void ft_nftw_entry(const char *path, int type, const struct FTW *f, int flags)
{
	/* with FTW_CHDIR the walk is in the entry's directory: its name is
	 * the last part of the path */
	const char *name = (flags & FTW_CHDIR) && f ? path + f->base : path;
	int follow = !(flags & FTW_PHYS);

	switch (type) {
	case FTW_D:
	case FTW_DP:
		ft_walked(name, 1, 1, 0);
		break;
	case FTW_DNR:
		ft_walked(name, 1, 1, EACCES);
		break;
	case FTW_NS:
		ft_walked(name, 0, follow, EACCES);
		break;
	case FTW_SLN:
		ft_walked(name, 0, 1, ENOENT);
		break;
	default:  /* FTW_F, FTW_SL */
		ft_walked(name, 0, follow, 0);
		break;
	}
}

typedef int (*ft_nftw_fn)(const char *, const struct stat *, int, struct FTW *);
typedef int (*ft_nftw64_fn)(const char *, const struct stat64 *, int, struct FTW *);
typedef int (*ft_ftw_fn)(const char *, const struct stat *, int);
typedef int (*ft_ftw64_fn)(const char *, const struct stat64 *, int);

static __thread ft_nftw_fn ft_user_nftw __attribute__((tls_model("initial-exec")));
static __thread ft_nftw64_fn ft_user_nftw64 __attribute__((tls_model("initial-exec")));
static __thread ft_ftw_fn ft_user_ftw __attribute__((tls_model("initial-exec")));
static __thread ft_ftw64_fn ft_user_ftw64 __attribute__((tls_model("initial-exec")));
static __thread int ft_walk_flags __attribute__((tls_model("initial-exec")));
static __thread int ft_walk_seen __attribute__((tls_model("initial-exec")));  /* entries handed over */

static int ft_nftw_cb(const char *path, const struct stat *sb, int type, struct FTW *f)
{
	ft_walk_seen = 1;
	ft_nftw_entry(path, type, f, ft_walk_flags);
	return ft_user_nftw(path, sb, type, f);
}

static int ft_nftw64_cb(const char *path, const struct stat64 *sb, int type, struct FTW *f)
{
	ft_walk_seen = 1;
	ft_nftw_entry(path, type, f, ft_walk_flags);
	return ft_user_nftw64(path, sb, type, f);
}

static int ft_ftw_cb(const char *path, const struct stat *sb, int type)
{
	ft_walk_seen = 1;
	ft_nftw_entry(path, type, NULL, ft_walk_flags);
	return ft_user_ftw(path, sb, type);
}

static int ft_ftw64_cb(const char *path, const struct stat64 *sb, int type)
{
	ft_walk_seen = 1;
	ft_nftw_entry(path, type, NULL, ft_walk_flags);
	return ft_user_ftw64(path, sb, type);
}

/* What a walk changes of this thread's walk state, to put back for an
 * enclosing walk (one started from another walk's callback). */
struct ft_walk_saved {
	int flags, seen;
};

static void ft_walk_enter(struct ft_walk_saved *s, int flags)
{
	s->flags = ft_walk_flags;
	s->seen = ft_walk_seen;
	ft_walk_flags = flags;
	ft_walk_seen = 0;
}

/* After the walk (errno still its): the enclosing walk's state back, and
 * for a walk that failed before it handed over any entry (its root
 * missing, not searchable), the root with the error.  (-1 after entries
 * is the program's callback's own value, or a failure further down,
 * whose directory was listed.) */
static int ft_walk_leave(const struct ft_walk_saved *s, const char *dir, int r)
{
	int err = errno, any = ft_walk_seen;

	ft_walk_flags = s->flags;
	ft_walk_seen = s->seen;
	if (r == -1 && !any)
		ft_walked(dir, 0, 1, err);
	errno = err;
	return r;
}

FT_EXPORT int nftw(const char *dir, ft_nftw_fn fn, int nfd, int flags)
{
	ft_nftw_fn user = ft_user_nftw;
	struct ft_walk_saved s;
	int r;

	ft_user_nftw = fn;
	ft_walk_enter(&s, flags);
	r = FT_REAL(nftw)(dir, ft_nftw_cb, nfd, flags);
	ft_user_nftw = user;
	return ft_walk_leave(&s, dir, r);
}

FT_EXPORT int nftw64(const char *dir, ft_nftw64_fn fn, int nfd, int flags)
{
	ft_nftw64_fn user = ft_user_nftw64;
	struct ft_walk_saved s;
	int r;

	ft_user_nftw64 = fn;
	ft_walk_enter(&s, flags);
	r = FT_REAL(nftw64)(dir, ft_nftw64_cb, nfd, flags);
	ft_user_nftw64 = user;
	return ft_walk_leave(&s, dir, r);
}

FT_EXPORT int ftw(const char *dir, ft_ftw_fn fn, int nfd)
{
	ft_ftw_fn user = ft_user_ftw;
	struct ft_walk_saved s;
	int r;

	ft_user_ftw = fn;
	ft_walk_enter(&s, 0);
	r = FT_REAL(ftw)(dir, ft_ftw_cb, nfd);
	ft_user_ftw = user;
	return ft_walk_leave(&s, dir, r);
}

FT_EXPORT int ftw64(const char *dir, ft_ftw64_fn fn, int nfd)
{
	ft_ftw64_fn user = ft_user_ftw64;
	struct ft_walk_saved s;
	int r;

	ft_user_ftw64 = fn;
	ft_walk_enter(&s, 0);
	r = FT_REAL(ftw64)(dir, ft_ftw64_cb, nfd);
	ft_user_ftw64 = user;
	return ft_walk_leave(&s, dir, r);
}

/* ---- fts --------------------------------------------------------------- */

/* The entry fts_read returns: fts_accpath names it from the walk's
 * current directory (fts changes directory itself unless FTS_NOCHDIR;
 * a relative name is resolved against the cwd at the time it is
 * recorded).  FTS_PHYSICAL: links are lstat'ed; FTS_NOSTAT leaves the
 * type to the listing (FTS_NSOK): lstat'ed here. */
static void ft_fts_entry(int info, const char *name, int physical, int err)
{
	switch (info) {
	case FTS_D:
		ft_walked(name, 1, 1, 0);
		break;
	case FTS_DNR:
		ft_walked(name, 1, 1, EACCES);
		break;
	case FTS_NS:
		ft_walked(name, 0, !physical, err ? err : ENOENT);
		break;
	case FTS_SLNONE:   /* followed, to nothing */
		ft_walked(name, 0, 1, ENOENT);
		break;
	case FTS_DP:
	case FTS_DC:
	case FTS_DOT:
	case FTS_ERR:
		break;
	case FTS_NSOK:
		ft_walked(name, 0, 0, 0);
		break;
	default:  /* FTS_F, FTS_SL, FTS_DEFAULT */
		ft_walked(name, 0, !physical, 0);
		break;
	}
}

FT_EXPORT FTSENT *fts_read(FTS *ftsp)
{
	FTSENT *p = FT_REAL(fts_read)(ftsp);

	if (p) {
		int err = errno;

		ft_fts_entry(p->fts_info, p->fts_accpath, (ftsp->fts_options & FTS_PHYSICAL) != 0,
			     p->fts_errno);
		errno = err;
	}
	return p;
}

FT_EXPORT FTSENT64 *fts64_read(FTS64 *ftsp)
{
	FTSENT64 *p = FT_REAL(fts64_read)(ftsp);

	if (p) {
		int err = errno;

		ft_fts_entry(p->fts_info, p->fts_accpath, (ftsp->fts_options & FTS_PHYSICAL) != 0,
			     p->fts_errno);
		errno = err;
	}
	return p;
}
