/*
 * ftp_hooks - call every hooked function family directly, and print the
 * records each call must produce.
 *
 *   ftp_hooks setup BASE      create the fixture tree (run WITHOUT preload)
 *   ftp_hooks WHERE BASE      WHERE: direct | thread | fork | ctor
 *
 * WHERE says from where the calls are made: the main thread, a second
 * thread, a fork child (which must write its own region), or a constructor
 * of the program itself (FTP_CTOR_BASE=BASE; the calls then run before
 * main, as a library constructor's would).  Every call uses its own path
 * under BASE, so dedup cannot hide a hook that does not work.
 *
 * Real-world cases behind some rows: Python imports only call the 64 forms;
 * fortified builds call __open_2/__readlink_chk; Node's libuv calls statx
 * through syscall(); old binaries call __xstat.
 */
#include <dirent.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <fts.h>
#include <ftw.h>
#include <glob.h>
#include <pthread.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <utime.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif
#include <sys/wait.h>

#include "ftp_common.h"

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);
ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len, size_t buflen);
char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);

static const char *const ftp_files[] = {
	"open", "open64", "openat64", "__open_2", "__open64_2", "__openat_2", "__openat64_2",
	"o_path", "fopen", "fopen64", "freopen", "freopen64",
	"stat", "lstat64", "fstatat", "fstatat64", "statx", "__xstat", "__xstat64",
	"__lxstat", "__lxstat64", "__fxstatat", "__fxstatat64", "access", "eaccess", "euidaccess",
	"realpath", "realpath_target", "canonicalize_file_name",
	"rename", "renameat", "renameat2", "unlink", "unlinkat", "remove", "link", "linkat",
	"truncate", "truncate64", "sys_statx", "sys_openat", "sys_openat2", "sys_open",
	"sys_newfstatat", "sub/x", "chmod", "lchmod", "fchmodat", "fchmod", "chown", "lchown",
	"fchown", "fchownat", "fchownat_fd", "sys_chmod", "sys_fchmodat2", "sys_fchown",
	"utime", "utimes", "lutimes", "futimes", "futimesat", "futimesat_fd", "utimensat",
	"utimensat_dir", "utimensat_nofollow", "utimensat_fd", "utimensat_empty", "futimens",
	"sys_utimensat", "sys_utimensat_fd", NULL
};
static const char *const ftp_dirs[] = {
	"sub", "opendir", "fdopendir", "scandir", "scandir64", "scandirat", "chdir", "fchdir",
	"rmdir", "unlinkat_dir", "remove_dir", "getdents", "glob", "glob64", "nftw", "nftw64",
	"ftw", "ftw64", "fts", "fts_chdir", NULL
};
static const char *const ftp_links[][2] = {
	{ "lstat", "stat" }, { "lstat_sym", "stat" }, { "readlink", "stat" },
	{ "readlinkat", "stat" }, { "__readlink_chk", "stat" }, { "__readlinkat_chk", "stat" },
	{ "sub/lx", "x" }, { "realpath_link", "realpath_target" },
	{ "utimensat_link", "utimensat_nofollow" }, { NULL, NULL }
};

static void ftp_setup(const char *base)
{
	mkdir(base, 0755);
	for (int i = 0; ftp_dirs[i]; i++)
		mkdir(ftp_join(base, ftp_dirs[i]), 0755);
	for (int i = 0; ftp_files[i]; i++) {
		FILE *f = fopen(ftp_join(base, ftp_files[i]), "w");
		if (!f) {
			perror(ftp_files[i]);
			exit(1);
		}
		fputs("content\n", f);
		fclose(f);
	}
	for (int i = 0; ftp_links[i][0]; i++)
		symlink(ftp_links[i][1], ftp_join(base, ftp_links[i][0]));
	for (const char *const *d = ftp_dirs; *d; d++) {
		FILE *f = fopen(ftp_join(ftp_join(base, *d), "entry"), "w");
		if (f)
			fclose(f);
	}
}

/* Run one open-like call: r >= 0 expected when want_err is 0. */
#define P(name) ftp_join(base, name)

static void ftp_family_open(const char *base)
{
	int dfd = open(P("sub"), O_RDONLY | O_DIRECTORY);
	int r;
	FILE *f;

	ftp_expect("open", 0, "r", P("sub"));
	FTP_MARK();
	r = open(P("open"), O_RDONLY);
	FTP_CHECK(r >= 0, 0, "open"); FTP_MARK_KEPT("open"); close(r);
	ftp_expect("open", 0, "r", P("open"));
	r = open64(P("open64"), O_RDWR);
	FTP_CHECK(r >= 0, 0, "open64"); close(r);
	ftp_expect("open", 0, "rw", P("open64"));
	r = openat(dfd, "new_openat", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	FTP_CHECK(r >= 0, 0, "openat"); close(r);
	ftp_expect("open", 0, "wct", P("sub/new_openat"));
	r = openat64(AT_FDCWD, P("openat64.absent"), O_RDONLY);
	FTP_CHECK(r < 0, ENOENT, "openat64 absent");
	ftp_expect("open", ENOENT, "r", P("openat64.absent"));
	r = __open_2(P("__open_2"), O_RDONLY);
	FTP_CHECK(r >= 0, 0, "__open_2"); close(r);
	ftp_expect("open", 0, "r", P("__open_2"));
	r = __open64_2(P("__open64_2"), O_RDONLY | O_NOFOLLOW);
	FTP_CHECK(r >= 0, 0, "__open64_2"); close(r);
	ftp_expect("open", 0, "rn", P("__open64_2"));
	r = __openat_2(dfd, "../__openat_2", O_RDONLY);
	FTP_CHECK(r >= 0, 0, "__openat_2"); close(r);
	ftp_expect("open", 0, "r", P("sub/../__openat_2"));
	r = __openat64_2(AT_FDCWD, P("__openat64_2/below"), O_RDONLY);
	FTP_CHECK(r < 0, ENOTDIR, "__openat64_2 notdir");
	ftp_expect("open", ENOTDIR, "r", P("__openat64_2/below"));
	r = open(P("o_path"), O_PATH);
	FTP_CHECK(r >= 0, 0, "open O_PATH"); close(r);
	ftp_expect("open", 0, "s", P("o_path"));
	r = creat(P("new_creat"), 0644);
	FTP_CHECK(r >= 0, 0, "creat"); close(r);
	ftp_expect("creat", 0, "wct", P("new_creat"));
	r = creat64(P("new_creat64"), 0644);
	FTP_CHECK(r >= 0, 0, "creat64"); close(r);
	ftp_expect("creat", 0, "wct", P("new_creat64"));
	f = fopen(P("fopen"), "r");
	FTP_CHECK(f != NULL, 0, "fopen");
	ftp_expect("fopen", 0, "r", P("fopen"));
	f = freopen(P("freopen"), "a+", f);
	FTP_CHECK(f != NULL, 0, "freopen");
	ftp_expect("fopen", 0, "rwc", P("freopen"));
	f = freopen64(P("freopen64"), "r+", f);
	FTP_CHECK(f != NULL, 0, "freopen64");
	ftp_expect("fopen", 0, "rw", P("freopen64"));
	fclose(f);
	f = fopen64(P("new_fopen64"), "w");
	FTP_CHECK(f != NULL, 0, "fopen64"); fclose(f);
	ftp_expect("fopen", 0, "wct", P("new_fopen64"));
	f = fopen(P("fopen.absent"), "r");
	FTP_CHECK(f == NULL, ENOENT, "fopen absent");
	ftp_expect("fopen", ENOENT, "r", P("fopen.absent"));
	close(dfd);
}

static void ftp_family_stat(const char *base)
{
	int dfd = open(P("sub"), O_RDONLY | O_DIRECTORY);
	struct stat st;
	struct stat64 st64;
	struct statx stx;
	int r;
	int (*xstat)(int, const char *, struct stat *) = dlsym(RTLD_DEFAULT, "__xstat");
	int (*xstat64)(int, const char *, struct stat64 *) = dlsym(RTLD_DEFAULT, "__xstat64");
	int (*lxstat)(int, const char *, struct stat *) = dlsym(RTLD_DEFAULT, "__lxstat");
	int (*lxstat64)(int, const char *, struct stat64 *) = dlsym(RTLD_DEFAULT, "__lxstat64");
	int (*fxstatat)(int, int, const char *, struct stat *, int) = dlsym(RTLD_DEFAULT, "__fxstatat");
	int (*fxstatat64)(int, int, const char *, struct stat64 *, int) = dlsym(RTLD_DEFAULT, "__fxstatat64");

	FTP_MARK();
	r = stat(P("stat"), &st);
	FTP_CHECK(r == 0, 0, "stat"); FTP_MARK_KEPT("stat");
	ftp_expect("stat", 0, "s", P("stat"));
	r = stat64(P("stat64.absent"), &st64);
	FTP_CHECK(r < 0, ENOENT, "stat64 absent");
	ftp_expect("stat", ENOENT, "s", P("stat64.absent"));
	r = lstat(P("lstat"), &st);
	FTP_CHECK(r == 0 && S_ISLNK(st.st_mode), 0, "lstat");
	ftp_expect("lstat", 0, "sn", P("lstat"));
	r = lstat64(P("lstat64"), &st64);
	FTP_CHECK(r == 0, 0, "lstat64");
	ftp_expect("lstat", 0, "sn", P("lstat64"));
	r = fstatat(dfd, "lx", &st, AT_SYMLINK_NOFOLLOW);
	FTP_CHECK(r == 0 && S_ISLNK(st.st_mode), 0, "fstatat nofollow");
	ftp_expect("lstat", 0, "sn", P("sub/lx"));
	r = fstatat64(AT_FDCWD, P("fstatat64"), &st64, 0);
	FTP_CHECK(r == 0, 0, "fstatat64");
	ftp_expect("stat", 0, "s", P("fstatat64"));
	r = statx(AT_FDCWD, P("statx"), 0, STATX_BASIC_STATS, &stx);
	FTP_CHECK(r == 0, 0, "statx");
	ftp_expect("stat", 0, "s", P("statx"));
	r = statx(dfd, "statx.absent", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx);
	FTP_CHECK(r < 0, ENOENT, "statx absent");
	ftp_expect("lstat", ENOENT, "sn", P("sub/statx.absent"));
	FTP_CHECK(xstat && xstat64 && lxstat && lxstat64 && fxstatat && fxstatat64, 0, "old stat ABI symbols");
	if (xstat) {
		r = xstat(1, P("__xstat"), &st);
		FTP_CHECK(r == 0, 0, "__xstat");
		ftp_expect("stat", 0, "s", P("__xstat"));
		r = xstat64(1, P("__xstat64"), &st64);
		FTP_CHECK(r == 0, 0, "__xstat64");
		ftp_expect("stat", 0, "s", P("__xstat64"));
		r = lxstat(1, P("__lxstat"), &st);
		FTP_CHECK(r == 0, 0, "__lxstat");
		ftp_expect("lstat", 0, "sn", P("__lxstat"));
		r = lxstat64(1, P("__lxstat64.absent"), &st64);
		FTP_CHECK(r < 0, ENOENT, "__lxstat64 absent");
		ftp_expect("lstat", ENOENT, "sn", P("__lxstat64.absent"));
		r = fxstatat(1, AT_FDCWD, P("__fxstatat"), &st, 0);
		FTP_CHECK(r == 0, 0, "__fxstatat");
		ftp_expect("stat", 0, "s", P("__fxstatat"));
		r = fxstatat64(1, AT_FDCWD, P("__fxstatat64"), &st64, AT_SYMLINK_NOFOLLOW);
		FTP_CHECK(r == 0, 0, "__fxstatat64");
		ftp_expect("lstat", 0, "sn", P("__fxstatat64"));
	}
	FTP_MARK();
	r = access(P("access"), R_OK);
	FTP_CHECK(r == 0, 0, "access"); FTP_MARK_KEPT("access");
	ftp_expect("access", 0, "s", P("access"));
	r = faccessat(dfd, "faccessat.absent", R_OK, 0);
	FTP_CHECK(r < 0, ENOENT, "faccessat absent");
	ftp_expect("access", ENOENT, "s", P("sub/faccessat.absent"));
	r = eaccess(P("eaccess"), F_OK);
	FTP_CHECK(r == 0, 0, "eaccess");
	ftp_expect("access", 0, "s", P("eaccess"));
	r = euidaccess(P("euidaccess"), F_OK);
	FTP_CHECK(r == 0, 0, "euidaccess");
	ftp_expect("access", 0, "s", P("euidaccess"));
	close(dfd);
}

static void ftp_family_link(const char *base)
{
	int dfd = open(P("sub"), O_RDONLY | O_DIRECTORY);
	char buf[4096], *res;
	ssize_t n;

	n = readlink(P("readlink"), buf, sizeof(buf));
	FTP_CHECK(n == 4, 0, "readlink");
	ftp_expect("readlink", 0, "nk", P("readlink"));
	n = readlinkat(dfd, "x", buf, sizeof(buf));
	FTP_CHECK(n < 0, EINVAL, "readlinkat of a file");
	ftp_expect("readlink", EINVAL, "nk", P("sub/x"));
	n = __readlink_chk(P("__readlink_chk"), buf, sizeof(buf), sizeof(buf));
	FTP_CHECK(n == 4, 0, "__readlink_chk");
	ftp_expect("readlink", 0, "nk", P("__readlink_chk"));
	n = __readlinkat_chk(AT_FDCWD, P("__readlinkat_chk"), buf, sizeof(buf), sizeof(buf));
	FTP_CHECK(n == 4, 0, "__readlinkat_chk");
	ftp_expect("readlink", 0, "nk", P("__readlinkat_chk"));
	res = realpath(P("realpath"), buf);
	FTP_CHECK(res != NULL, 0, "realpath");
	ftp_expect("realpath", 0, "s", P("realpath"));
	res = __realpath_chk(P("realpath_link"), buf, sizeof(buf));
	FTP_CHECK(res != NULL, 0, "__realpath_chk");
	ftp_expect("realpath", 0, "s", P("realpath_link"));
	ftp_expect("realpath", 0, "s", buf); /* where it led: .../realpath_target */
	/* and every component on the way: the link's target, and no link */
	ftp_expect("readlink", 0, "nk", P("realpath_link"));
	ftp_expect("readlink", EINVAL, "nk", base);
	res = canonicalize_file_name(P("canonicalize.absent"));
	FTP_CHECK(res == NULL, ENOENT, "canonicalize_file_name absent");
	ftp_expect("realpath", ENOENT, "s", P("canonicalize.absent"));
	close(dfd);
}

static int ftp_all(const struct dirent *d) { return 1; }
static int ftp_all64(const struct dirent64 *d) { return 1; }

static void ftp_family_dir(const char *base)
{
	int dfd = open(base, O_RDONLY | O_DIRECTORY);
	struct dirent **list;
	struct dirent64 **list64;
	DIR *d;
	int n, fd;
	char cwd[4096];

	ftp_expect("open", 0, "r", base);
	d = opendir(P("opendir"));
	FTP_CHECK(d != NULL, 0, "opendir"); closedir(d);
	ftp_expect("opendir", 0, "l", P("opendir"));
	d = opendir(P("opendir.absent"));
	FTP_CHECK(d == NULL, ENOENT, "opendir absent");
	ftp_expect("opendir", ENOENT, "l", P("opendir.absent"));
	fd = open(P("fdopendir"), O_RDONLY | O_DIRECTORY);
	ftp_expect("open", 0, "r", P("fdopendir"));
	d = fdopendir(fd);
	FTP_CHECK(d != NULL, 0, "fdopendir"); closedir(d);
	ftp_expect("opendir", 0, "l", P("fdopendir"));
	n = scandir(P("scandir"), &list, ftp_all, alphasort);
	FTP_CHECK(n == 3, 0, "scandir");
	ftp_expect("opendir", 0, "l", P("scandir"));
	n = scandir64(P("scandir64"), &list64, ftp_all64, alphasort64);
	FTP_CHECK(n == 3, 0, "scandir64");
	ftp_expect("opendir", 0, "l", P("scandir64"));
	n = scandirat(dfd, "scandirat", &list, ftp_all, alphasort);
	FTP_CHECK(n == 3, 0, "scandirat");
	ftp_expect("opendir", 0, "l", P("scandirat"));
	fd = open(P("getdents"), O_RDONLY | O_DIRECTORY);
	ftp_expect("open", 0, "r", P("getdents"));
	n = (int)syscall(SYS_getdents64, fd, cwd, sizeof(cwd));
	FTP_CHECK(n > 0, 0, "syscall getdents64");
	ftp_expect("getdents", 0, "l", P("getdents"));
	close(fd);

	getcwd(cwd, sizeof(cwd));
	n = chdir(P("chdir"));
	FTP_CHECK(n == 0, 0, "chdir");
	ftp_expect("chdir", 0, "sh", P("chdir"));
	fd = open("entry", O_RDONLY);  /* relative: joined with the new cwd */
	FTP_CHECK(fd >= 0, 0, "open relative after chdir"); close(fd);
	ftp_expect("open", 0, "r", P("chdir/entry"));
	fd = open(P("fchdir"), O_RDONLY | O_DIRECTORY);
	ftp_expect("open", 0, "r", P("fchdir"));
	n = fchdir(fd);
	FTP_CHECK(n == 0, 0, "fchdir");
	ftp_expect("chdir", 0, "sh", P("fchdir"));
	n = access("./entry", F_OK);
	FTP_CHECK(n == 0, 0, "access ./entry after fchdir");
	ftp_expect("access", 0, "s", P("fchdir/entry"));
	close(fd);

	/* A cwd that was removed: open(".") still works, but the interposer
	 * cannot name what it opened (getcwd fails with ENOENT inside the
	 * hook).  It must say so (UNTRACED unknown) and keep errno as it was. */
	mkdir(P("gone"), 0755);
	chdir(P("gone"));
	rmdir(P("gone"));
	FTP_MARK();
	fd = open(".", O_RDONLY);
	FTP_CHECK(fd >= 0, 0, "open . in a removed cwd"); FTP_MARK_KEPT("open . in a removed cwd");
	close(fd);
	printf("%s UNTRACED - 0 unknown .\n", ftp_context());
	chdir(cwd);
	close(dfd);
}

static void ftp_family_fs(const char *base)
{
	int dfd = open(P("sub"), O_RDONLY | O_DIRECTORY);
	int r;

	r = mkdir(P("new_mkdir"), 0755);
	FTP_CHECK(r == 0, 0, "mkdir");
	ftp_expect("mkdir", 0, "c", P("new_mkdir"));
	r = mkdir(P("sub"), 0755);
	FTP_CHECK(r < 0, EEXIST, "mkdir existing");
	ftp_expect("mkdir", EEXIST, "c", P("sub"));
	r = mkdirat(dfd, "new_mkdirat", 0755);
	FTP_CHECK(r == 0, 0, "mkdirat");
	ftp_expect("mkdir", 0, "c", P("sub/new_mkdirat"));
	r = rename(P("rename"), P("new_rename"));
	FTP_CHECK(r == 0, 0, "rename");
	ftp_expect("rename-from", 0, "d", P("rename"));
	ftp_expect("rename-to", 0, "ct", P("new_rename"));
	r = renameat(AT_FDCWD, P("renameat"), dfd, "new_renameat");
	FTP_CHECK(r == 0, 0, "renameat");
	ftp_expect("rename-from", 0, "d", P("renameat"));
	ftp_expect("rename-to", 0, "ct", P("sub/new_renameat"));
	r = renameat2(AT_FDCWD, P("renameat2"), AT_FDCWD, P("new_renameat2"), RENAME_NOREPLACE);
	FTP_CHECK(r == 0, 0, "renameat2");
	ftp_expect("rename-from", 0, "d", P("renameat2"));
	ftp_expect("rename-to", 0, "ct", P("new_renameat2"));
	r = unlink(P("unlink"));
	FTP_CHECK(r == 0, 0, "unlink");
	ftp_expect("unlink", 0, "d", P("unlink"));
	r = unlink(P("unlink.absent"));
	FTP_CHECK(r < 0, ENOENT, "unlink absent");
	ftp_expect("unlink", ENOENT, "d", P("unlink.absent"));
	r = unlinkat(AT_FDCWD, P("unlinkat"), 0);
	FTP_CHECK(r == 0, 0, "unlinkat");
	ftp_expect("unlink", 0, "d", P("unlinkat"));
	/* remove(3) unlinks, or rmdirs a directory, inside libc: one record */
	r = remove(P("remove"));
	FTP_CHECK(r == 0, 0, "remove");
	ftp_expect("unlink", 0, "d", P("remove"));
	unlink(P("remove_dir/entry"));
	ftp_expect("unlink", 0, "d", P("remove_dir/entry"));
	r = remove(P("remove_dir"));
	FTP_CHECK(r == 0, 0, "remove a directory");
	ftp_expect("unlink", 0, "d", P("remove_dir"));
	r = remove(P("remove.absent"));
	FTP_CHECK(r < 0, ENOENT, "remove absent");
	ftp_expect("unlink", ENOENT, "d", P("remove.absent"));
	unlink(P("unlinkat_dir/entry"));
	ftp_expect("unlink", 0, "d", P("unlinkat_dir/entry"));
	r = unlinkat(AT_FDCWD, P("unlinkat_dir"), AT_REMOVEDIR);
	FTP_CHECK(r == 0, 0, "unlinkat AT_REMOVEDIR");
	ftp_expect("rmdir", 0, "d", P("unlinkat_dir"));
	unlink(P("rmdir/entry"));
	ftp_expect("unlink", 0, "d", P("rmdir/entry"));
	r = rmdir(P("rmdir"));
	FTP_CHECK(r == 0, 0, "rmdir");
	ftp_expect("rmdir", 0, "d", P("rmdir"));
	r = link(P("link"), P("new_link"));
	FTP_CHECK(r == 0, 0, "link");
	ftp_expect("link-from", 0, "r", P("link"));
	ftp_expect("link-to", 0, "c", P("new_link"));
	r = linkat(AT_FDCWD, P("linkat"), dfd, "new_linkat", AT_SYMLINK_FOLLOW);
	FTP_CHECK(r == 0, 0, "linkat");
	ftp_expect("link-from", 0, "r", P("linkat"));
	ftp_expect("link-to", 0, "c", P("sub/new_linkat"));
	r = symlink("whatever", P("new_symlink"));
	FTP_CHECK(r == 0, 0, "symlink");
	ftp_expect("symlink-to", 0, "c", P("new_symlink"));
	r = symlinkat("whatever", dfd, "new_symlinkat");
	FTP_CHECK(r == 0, 0, "symlinkat");
	ftp_expect("symlink-to", 0, "c", P("sub/new_symlinkat"));
	r = truncate(P("truncate"), 1);
	FTP_CHECK(r == 0, 0, "truncate");
	ftp_expect("truncate", 0, "wt", P("truncate"));
	r = truncate64(P("truncate64"), 2);
	FTP_CHECK(r == 0, 0, "truncate64");
	ftp_expect("truncate", 0, "wt", P("truncate64"));
	close(dfd);
}

/* The mode and owner changes: recorded so that ingest never keeps a mode
 * the run changed (hook_attr.c).  The fd forms name the fd's file. */
static void ftp_family_attr(const char *base)
{
	int r, fd;

	r = chmod(P("chmod"), 0640);
	FTP_CHECK(r == 0, 0, "chmod");
	ftp_expect("chmod", 0, "m", P("chmod"));
	r = chmod(P("chmod.absent"), 0640);
	FTP_CHECK(r < 0, ENOENT, "chmod absent");
	ftp_expect("chmod", ENOENT, "m", P("chmod.absent"));
	r = lchmod(P("lchmod"), 0640);
	FTP_CHECK(r == 0, 0, "lchmod");
	ftp_expect("chmod", 0, "m", P("lchmod"));
	r = fchmodat(AT_FDCWD, P("fchmodat"), 0640, 0);
	FTP_CHECK(r == 0, 0, "fchmodat");
	ftp_expect("chmod", 0, "m", P("fchmodat"));
	fd = open(P("fchmod"), O_RDONLY);
	ftp_expect("open", 0, "r", P("fchmod"));
	r = fchmod(fd, 0640);
	FTP_CHECK(r == 0, 0, "fchmod");
	ftp_expect("chmod", 0, "m", P("fchmod"));
	close(fd);
	r = chown(P("chown"), getuid(), getgid());
	FTP_CHECK(r == 0, 0, "chown");
	ftp_expect("chown", 0, "m", P("chown"));
	r = lchown(P("lchown"), getuid(), getgid());
	FTP_CHECK(r == 0, 0, "lchown");
	ftp_expect("chown", 0, "m", P("lchown"));
	r = fchownat(AT_FDCWD, P("fchownat"), getuid(), getgid(), AT_SYMLINK_NOFOLLOW);
	FTP_CHECK(r == 0, 0, "fchownat");
	ftp_expect("chown", 0, "m", P("fchownat"));
	fd = open(P("fchown"), O_RDONLY);
	ftp_expect("open", 0, "r", P("fchown"));
	r = fchown(fd, getuid(), getgid());
	FTP_CHECK(r == 0, 0, "fchown");
	ftp_expect("chown", 0, "m", P("fchown"));
	close(fd);
	fd = open(P("fchownat_fd"), O_RDONLY);
	ftp_expect("open", 0, "r", P("fchownat_fd"));
	r = fchownat(fd, "", getuid(), getgid(), AT_EMPTY_PATH);
	FTP_CHECK(r == 0, 0, "fchownat AT_EMPTY_PATH");
	ftp_expect("chown", 0, "m", P("fchownat_fd"));
	close(fd);
}

/* A TIMES record: the utime hooks' evidence for a regular file they set
 * the times of (hook_times.c). */
static void ftp_expect_times(const char *path)
{
	printf("%s TIMES - 0 - %s\n", ftp_context(), path);
	fflush(stdout);
}

/* The times changes: op utime, class m, and a TIMES record for a regular
 * file (the stat before and after: ingest's evidence that only the times
 * changed).  NULL paths name the dirfd, as in the kernel; a symlink set
 * with AT_SYMLINK_NOFOLLOW gets no evidence (not a regular file). */
static const char *volatile ftp_null; /* glibc declares utimensat's path nonnull */

static void ftp_family_times(const char *base)
{
	struct timespec ts[2] = { { 1000, 0 }, { 2000, 5 } };
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 7 } };
	struct utimbuf ub = { 1000, 2000 };
	int r, fd, dfd = open(P("sub"), O_RDONLY | O_DIRECTORY);

	ftp_expect("open", 0, "r", P("sub"));
	r = utime(P("utime"), &ub);
	FTP_CHECK(r == 0, 0, "utime");
	ftp_expect("utime", 0, "m", P("utime"));
	ftp_expect_times(P("utime"));
	r = utime(P("utime.absent"), &ub);
	FTP_CHECK(r < 0, ENOENT, "utime absent");
	ftp_expect("utime", ENOENT, "m", P("utime.absent"));
	r = utimes(P("utimes"), tv);
	FTP_CHECK(r == 0, 0, "utimes");
	ftp_expect("utime", 0, "m", P("utimes"));
	ftp_expect_times(P("utimes"));
	r = lutimes(P("lutimes"), tv);
	FTP_CHECK(r == 0, 0, "lutimes");
	ftp_expect("utime", 0, "m", P("lutimes"));
	ftp_expect_times(P("lutimes"));
	fd = open(P("futimes"), O_RDONLY);
	ftp_expect("open", 0, "r", P("futimes"));
	r = futimes(fd, tv);
	FTP_CHECK(r == 0, 0, "futimes");
	ftp_expect("utime", 0, "m", P("futimes"));
	ftp_expect_times(P("futimes"));
	close(fd);
	r = futimesat(AT_FDCWD, P("futimesat"), tv);
	FTP_CHECK(r == 0, 0, "futimesat");
	ftp_expect("utime", 0, "m", P("futimesat"));
	ftp_expect_times(P("futimesat"));
	fd = open(P("futimesat_fd"), O_RDONLY);
	ftp_expect("open", 0, "r", P("futimesat_fd"));
	r = futimesat(fd, NULL, tv);
	FTP_CHECK(r == 0, 0, "futimesat NULL");
	ftp_expect("utime", 0, "m", P("futimesat_fd"));
	ftp_expect_times(P("futimesat_fd"));
	close(fd);
	r = utimensat(AT_FDCWD, P("utimensat"), ts, 0);
	FTP_CHECK(r == 0, 0, "utimensat AT_FDCWD");
	ftp_expect("utime", 0, "m", P("utimensat"));
	ftp_expect_times(P("utimensat"));
	r = utimensat(dfd, "../utimensat_dir", ts, 0);
	FTP_CHECK(r == 0, 0, "utimensat dirfd");
	ftp_expect("utime", 0, "m", P("sub/../utimensat_dir"));
	ftp_expect_times(P("sub/../utimensat_dir"));
	r = utimensat(dfd, "utimensat.absent", ts, 0);
	FTP_CHECK(r < 0, ENOENT, "utimensat dirfd absent");
	ftp_expect("utime", ENOENT, "m", P("sub/utimensat.absent"));
	r = utimensat(AT_FDCWD, P("utimensat_link"), ts, AT_SYMLINK_NOFOLLOW);
	FTP_CHECK(r == 0, 0, "utimensat AT_SYMLINK_NOFOLLOW");
	ftp_expect("utime", 0, "m", P("utimensat_link"));
	fd = open(P("utimensat_fd"), O_RDONLY);
	ftp_expect("open", 0, "r", P("utimensat_fd"));
	/* glibc refuses a NULL path itself (the kernel takes it: below) */
	r = utimensat(fd, ftp_null, ts, 0);
	FTP_CHECK(r < 0, EINVAL, "utimensat NULL");
	close(fd);
	fd = open(P("utimensat_empty"), O_RDONLY);
	ftp_expect("open", 0, "r", P("utimensat_empty"));
	r = utimensat(fd, "", ts, AT_EMPTY_PATH);
	if (r < 0 && errno == EINVAL) {
		/* a kernel before AT_EMPTY_PATH for utimensat: nothing changed */
	} else {
		FTP_CHECK(r == 0, 0, "utimensat AT_EMPTY_PATH");
		ftp_expect("utime", 0, "m", P("utimensat_empty"));
		ftp_expect_times(P("utimensat_empty"));
	}
	close(fd);
	fd = open(P("futimens"), O_RDONLY);
	ftp_expect("open", 0, "r", P("futimens"));
	r = futimens(fd, ts);
	FTP_CHECK(r == 0, 0, "futimens");
	ftp_expect("utime", 0, "m", P("futimens"));
	ftp_expect_times(P("futimens"));
	close(fd);
	/* through syscall(): recorded from the table, no evidence */
	r = (int)syscall(SYS_utimensat, AT_FDCWD, P("sys_utimensat"), ts, 0);
	FTP_CHECK(r == 0, 0, "syscall utimensat");
	ftp_expect("utime", 0, "m", P("sys_utimensat"));
	fd = open(P("sys_utimensat_fd"), O_RDONLY);
	ftp_expect("open", 0, "r", P("sys_utimensat_fd"));
	r = (int)syscall(SYS_utimensat, fd, NULL, ts, 0);
	FTP_CHECK(r == 0, 0, "syscall utimensat NULL");
	ftp_expect("utime", 0, "m", P("sys_utimensat_fd"));
	close(fd);
	close(dfd);
}

static void ftp_family_syscall(const char *base)
{
	struct statx stx;
	struct stat st;
	struct open_how how = { .flags = O_RDONLY | O_NOFOLLOW };
	long r;
	int fd;

	FTP_MARK();
	r = syscall(SYS_statx, AT_FDCWD, P("sys_statx"), 0, STATX_BASIC_STATS, &stx);
	FTP_CHECK(r == 0, 0, "syscall statx"); FTP_MARK_KEPT("syscall statx");
	ftp_expect("stat", 0, "s", P("sys_statx"));
	r = syscall(SYS_statx, AT_FDCWD, P("sys_statx.absent"), 0, STATX_BASIC_STATS, &stx);
	FTP_CHECK(r < 0, ENOENT, "syscall statx absent");
	ftp_expect("stat", ENOENT, "s", P("sys_statx.absent"));
	r = syscall(SYS_openat, AT_FDCWD, P("sys_openat"), O_RDONLY, 0);
	FTP_CHECK(r >= 0, 0, "syscall openat"); close((int)r);
	ftp_expect("open", 0, "r", P("sys_openat"));
	r = syscall(SYS_openat2, AT_FDCWD, P("sys_openat2"), &how, sizeof(how));
	FTP_CHECK(r >= 0, 0, "syscall openat2"); close((int)r);
	ftp_expect("open", 0, "rn", P("sys_openat2"));
	r = syscall(SYS_open, P("sys_open"), O_WRONLY | O_APPEND, 0);
	FTP_CHECK(r >= 0, 0, "syscall open"); close((int)r);
	ftp_expect("open", 0, "w", P("sys_open"));
	r = syscall(SYS_newfstatat, AT_FDCWD, P("sys_newfstatat"), &st, AT_SYMLINK_NOFOLLOW);
	FTP_CHECK(r == 0, 0, "syscall newfstatat");
	ftp_expect("lstat", 0, "sn", P("sys_newfstatat"));
	/* the mode and owner changes through syscall(): fchmodat2 has no glibc
	 * wrapper before 2.39 (Linux 6.6: ENOSYS before, still a record) */
	r = syscall(SYS_chmod, P("sys_chmod"), 0640);
	FTP_CHECK(r == 0, 0, "syscall chmod");
	ftp_expect("chmod", 0, "m", P("sys_chmod"));
	r = syscall(SYS_fchmodat2, AT_FDCWD, P("sys_fchmodat2"), 0640, 0);
	if (r < 0 && errno == ENOSYS) {
		ftp_expect("chmod", ENOSYS, "m", P("sys_fchmodat2"));
	} else {
		FTP_CHECK(r == 0, 0, "syscall fchmodat2");
		ftp_expect("chmod", 0, "m", P("sys_fchmodat2"));
	}
	fd = open(P("sys_fchown"), O_RDONLY);
	ftp_expect("open", 0, "r", P("sys_fchown"));
	r = syscall(SYS_fchown, fd, getuid(), getgid());
	FTP_CHECK(r == 0, 0, "syscall fchown");
	ftp_expect("chown", 0, "m", P("sys_fchown"));
	close(fd);
	r = syscall(SYS_getpid);
	FTP_CHECK(r == getpid(), 0, "syscall getpid passes through");
}

/* The user calls and chroot (hook_reach.c) pass through: a change to the ids the
 * process already has keeps the run dir writable, so nothing is recorded;
 * a failing call keeps its errno. */
static void ftp_family_cred(void)
{
	uid_t u = getuid(), e = geteuid();
	int r;

	FTP_MARK();
	r = setuid(u);
	FTP_CHECK(r == 0, 0, "setuid"); FTP_MARK_KEPT("setuid");
	r = seteuid(e);
	FTP_CHECK(r == 0, 0, "seteuid");
	r = setreuid((uid_t)-1, (uid_t)-1);
	FTP_CHECK(r == 0, 0, "setreuid");
	r = setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1);
	FTP_CHECK(r == 0, 0, "setresuid");
	r = setfsuid(e);
	FTP_CHECK(r == (int)e, 0, "setfsuid returns the old fsuid");
	r = setuid((uid_t)-1);
	FTP_CHECK(r < 0, EINVAL, "setuid(-1) fails as libc's");
	FTP_MARK();
	r = chroot("/");
	if (r == 0) { /* root (or CAP_SYS_CHROOT): the same root, no record */
		FTP_MARK_KEPT("chroot");
	} else {
		FTP_CHECK(r < 0, EPERM, "chroot fails as libc's");
	}
}

static void ftp_family_lib(const char *base)
{
	void *h = dlopen("libm.so.6", RTLD_NOW);

	FTP_CHECK(h != NULL, 0, "dlopen libm");
	ftp_expect("libload", 0, "rb", "/lib/x86_64-linux-gnu/libm.so.6");
	h = dlopen(P("absent.so"), RTLD_NOW);
	FTP_CHECK(h == NULL, 0, "dlopen absent");
	ftp_expect("dlopen", ENOENT, "rb", P("absent.so"));
}

static int ftp_walk_cb(const char *p, const struct stat *sb, int type, struct FTW *f) { return 0; }
static int ftp_walk_cb64(const char *p, const struct stat64 *sb, int type, struct FTW *f) { return 0; }
static int ftp_ftw_cb(const char *p, const struct stat *sb, int type) { return 0; }
static int ftp_ftw_cb64(const char *p, const struct stat64 *sb, int type) { return 0; }

/* libc's own walks: each directory they list, each entry they stat */
static void ftp_family_walk(const char *base)
{
	glob_t g;
	glob64_t g64;
	char *roots[2] = { NULL, NULL };
	FTS *fts;
	FTSENT *e;
	int r, n;

	r = glob(P("glob/*"), 0, NULL, &g);
	FTP_CHECK(r == 0 && g.gl_pathc == 1 && !(g.gl_flags & GLOB_ALTDIRFUNC), 0, "glob");
	globfree(&g);
	ftp_expect("opendir", 0, "l", P("glob"));
	r = glob64(P("glob64/entr?"), GLOB_MARK, NULL, &g64);
	FTP_CHECK(r == 0 && g64.gl_pathc == 1, 0, "glob64");
	globfree64(&g64);
	ftp_expect("opendir", 0, "l", P("glob64"));
	r = glob(P("glob.absent/*"), 0, NULL, &g);
	FTP_CHECK(r == GLOB_NOMATCH, 0, "glob absent");
	ftp_expect("opendir", ENOENT, "l", P("glob.absent"));
	r = nftw(P("nftw"), ftp_walk_cb, 4, FTW_PHYS);
	FTP_CHECK(r == 0, 0, "nftw");
	ftp_expect("opendir", 0, "l", P("nftw"));
	ftp_expect("lstat", 0, "sn", P("nftw/entry"));
	r = nftw64(P("nftw64"), ftp_walk_cb64, 4, 0);
	FTP_CHECK(r == 0, 0, "nftw64");
	ftp_expect("opendir", 0, "l", P("nftw64"));
	ftp_expect("stat", 0, "s", P("nftw64/entry"));
	r = nftw(P("nftw.absent"), ftp_walk_cb, 4, 0);
	FTP_CHECK(r == -1, ENOENT, "nftw absent");
	ftp_expect("stat", ENOENT, "s", P("nftw.absent"));
	r = ftw(P("ftw"), ftp_ftw_cb, 4);
	FTP_CHECK(r == 0, 0, "ftw");
	ftp_expect("opendir", 0, "l", P("ftw"));
	ftp_expect("stat", 0, "s", P("ftw/entry"));
	r = ftw64(P("ftw64"), ftp_ftw_cb64, 4);
	FTP_CHECK(r == 0, 0, "ftw64");
	ftp_expect("opendir", 0, "l", P("ftw64"));
	ftp_expect("stat", 0, "s", P("ftw64/entry"));
	roots[0] = (char *)P("fts");
	fts = fts_open(roots, FTS_LOGICAL, NULL);   /* (which never changes directory) */
	for (n = 0; fts && (e = fts_read(fts)); n++)
		;
	FTP_CHECK(fts && n == 3, 0, "fts");   /* fts, fts/entry, fts again (FTS_DP) */
	fts_close(fts);
	ftp_expect("opendir", 0, "l", P("fts"));
	ftp_expect("stat", 0, "s", P("fts/entry"));
	/* fts changes directory itself: each name is resolved where it is */
	roots[0] = (char *)P("fts_chdir");
	fts = fts_open(roots, FTS_PHYSICAL, NULL);
	for (n = 0; fts && (e = fts_read(fts)); n++)
		;
	FTP_CHECK(fts && n == 3, 0, "fts with chdir");
	fts_close(fts);
	ftp_expect("opendir", 0, "l", P("fts_chdir"));
	ftp_expect("lstat", 0, "sn", P("fts_chdir/entry"));
}

static void ftp_run(const char *base)
{
	ftp_family_open(base);
	ftp_family_stat(base);
	ftp_family_link(base);
	ftp_family_dir(base);
	ftp_family_walk(base);
	ftp_family_fs(base);
	ftp_family_attr(base);
	ftp_family_times(base);
	ftp_family_syscall(base);
	ftp_family_lib(base);
	ftp_family_cred();
}

static void *ftp_thread(void *base)
{
	ftp_run(base);
	return NULL;
}

static int ftp_ctor_ran;

__attribute__((constructor)) static void ftp_ctor(void)
{
	const char *base = getenv("FTP_CTOR_BASE");

	if (base) {
		ftp_run(base);
		ftp_ctor_ran = 1;
	}
}

int main(int argc, char **argv)
{
	const char *where, *base;

	if (argc != 3) {
		fprintf(stderr, "usage: ftp_hooks setup|direct|thread|fork|ctor BASE\n");
		return 2;
	}
	where = argv[1];
	base = argv[2];
	if (!strcmp(where, "setup")) {
		ftp_setup(base);
	} else if (!strcmp(where, "direct")) {
		ftp_run(base);
	} else if (!strcmp(where, "thread")) {
		pthread_t t;
		pthread_create(&t, NULL, ftp_thread, (void *)base);
		pthread_join(t, NULL);
	} else if (!strcmp(where, "fork")) {
		int status;
		pid_t pid = fork();
		if (pid == 0) {
			ftp_run(base);
			exit(ftp_failures ? 1 : 0);
		}
		waitpid(pid, &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			ftp_failures++;
	} else if (!strcmp(where, "ctor")) {
		if (!ftp_ctor_ran) {
			fprintf(stderr, "ftp_hooks: constructor did not run (FTP_CTOR_BASE unset?)\n");
			return 1;
		}
	} else {
		fprintf(stderr, "ftp_hooks: unknown WHERE %s\n", where);
		return 2;
	}
	return ftp_failures ? 1 : 0;
}
