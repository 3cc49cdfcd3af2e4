/*
 * test_ptrace.c - the pure parts of the ptrace back end: the syscall table
 * (common/ft_sctab.c), path naming (ptrace_path.c), the dedup set
 * (ptrace_seen.c), and the seccomp filter, installed for real in a child.
 * The tracer loop itself runs against real programs in t7000-t7030.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "ft_openclass.h"
#include "ft_record.h"
#include "ft_sctab.h"
#include "ptrace_env.h"
#include "ptrace_path.h"
#include "ptrace_seccomp.h"
#include "ptrace_seen.h"

static void classify(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		     uint64_t how, enum ft_op *op, uint32_t *cls)
{
	const struct ft_sc *sc = ft_sctab_find(nr);
	uint64_t args[6] = { a0, a1, a2, a3, a4, 0 };

	assert_non_null(sc);
	ft_sctab_class(sc, args, how, op, cls);
}

static void test_ptrace__open_flags_map_like_the_preload(void **s)
{
	static const int flags[] = { O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC, O_RDWR | O_APPEND,
				     O_PATH | O_NOFOLLOW, O_RDONLY | O_DIRECTORY, O_TMPFILE | O_RDWR,
				     O_WRONLY | O_CREAT | O_EXCL };
	enum ft_op op;
	uint32_t cls;

	(void)s;
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		classify(SYS_openat, (uint64_t)AT_FDCWD, 0, (uint64_t)flags[i], 0, 0, 0, &op, &cls);
		assert_int_equal(op, FT_OP_OPEN);
		assert_int_equal(cls, ft_open_class(flags[i]));
		classify(SYS_open, 0, (uint64_t)flags[i], 0, 0, 0, 0, &op, &cls);
		assert_int_equal(cls, ft_open_class(flags[i]));
		/* openat2 takes its flags from struct open_how */
		classify(SYS_openat2, (uint64_t)AT_FDCWD, 0, 0x1234, 0, 0, (uint64_t)flags[i], &op, &cls);
		assert_int_equal(cls, ft_open_class(flags[i]));
	}
	classify(SYS_openat, (uint64_t)AT_FDCWD, 0, O_WRONLY | O_CREAT | O_TRUNC, 0, 0, 0, &op, &cls);
	assert_int_equal(cls, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC);
	classify(SYS_creat, 0, 0644, 0, 0, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_CREAT);
	assert_int_equal(cls, FT_AC_WRITE | FT_AC_CREATE | FT_AC_TRUNC);
}

static void test_ptrace__at_flags_change_the_op(void **s)
{
	enum ft_op op;
	uint32_t cls;

	(void)s;
	classify(SYS_newfstatat, (uint64_t)AT_FDCWD, 0, 0, 0, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_STAT);
	classify(SYS_newfstatat, (uint64_t)AT_FDCWD, 0, 0, AT_SYMLINK_NOFOLLOW, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LSTAT);
	assert_int_equal(cls, FT_AC_STAT | FT_AC_NOFOLLOW);
	classify(SYS_statx, (uint64_t)AT_FDCWD, 0, AT_SYMLINK_NOFOLLOW, 0x7ff, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LSTAT);
	classify(SYS_statx, (uint64_t)AT_FDCWD, 0, 0, AT_SYMLINK_NOFOLLOW /* the mask */, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_STAT);
	classify(SYS_unlinkat, (uint64_t)AT_FDCWD, 0, AT_REMOVEDIR, 0, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_RMDIR);
	assert_int_equal(cls, FT_AC_DELETE);
	classify(SYS_unlinkat, (uint64_t)AT_FDCWD, 0, 0, 0, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_UNLINK);
	/* a link's source is read, followed or not (a read of the new name
	 * follows it) */
	classify(SYS_linkat, (uint64_t)AT_FDCWD, 0, (uint64_t)AT_FDCWD, 0, AT_SYMLINK_FOLLOW, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LINK_SRC);
	assert_int_equal(cls, FT_AC_READ);
	classify(SYS_linkat, (uint64_t)AT_FDCWD, 0, (uint64_t)AT_FDCWD, 0, 0, 0, &op, &cls);
	assert_int_equal(op, FT_OP_LINK_SRC);
	assert_int_equal(cls, FT_AC_READ);
	classify(SYS_execveat, 3, 0, 0, 0, AT_SYMLINK_NOFOLLOW, 0, &op, &cls);
	assert_int_equal(op, FT_OP_EXEC);
	assert_int_equal(cls, FT_AC_READ | FT_AC_EXEC);
}

/* Every call the issue names has a row, with a path or an fd to name. */
static void test_ptrace__table_covers_the_file_calls(void **s)
{
	static const long want[] = {
		SYS_open, SYS_openat, SYS_openat2, SYS_creat, SYS_stat, SYS_lstat, SYS_newfstatat,
		SYS_statx, SYS_access, SYS_faccessat, SYS_faccessat2, SYS_readlink, SYS_readlinkat,
		SYS_execve, SYS_execveat, SYS_getdents64, SYS_chdir, SYS_fchdir, SYS_rename,
		SYS_renameat, SYS_renameat2, SYS_unlink, SYS_unlinkat, SYS_rmdir, SYS_mkdir,
		SYS_mkdirat, SYS_link, SYS_linkat, SYS_symlink, SYS_symlinkat, SYS_truncate,
		SYS_chmod, SYS_fchmod, SYS_fchmodat, SYS_chown, SYS_fchown, SYS_lchown, SYS_fchownat,
	};
	(void)s;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct ft_sc *sc = ft_sctab_find(want[i]);
		assert_non_null(sc);
		assert_true(sc->path >= 0 || sc->fd >= 0);
		assert_true(sc->op > FT_OP__NONE && sc->op < FT_OP__COUNT);
	}
	assert_null(ft_sctab_find(SYS_read));
	assert_null(ft_sctab_find(SYS_write));
	assert_null(ft_sctab_find(SYS_fstat));
	/* two-path calls: rename names both, symlink only the link */
	assert_int_equal(ft_sctab_find(SYS_renameat2)->op2, FT_OP_RENAME_DST);
	assert_int_equal(ft_sctab_find(SYS_renameat2)->path2, 3);
	assert_int_equal(ft_sctab_find(SYS_symlinkat)->path, 2);
	assert_int_equal(ft_sctab_find(SYS_symlinkat)->op2, FT_OP__NONE);
}

/*
 * The filter for real: in a child with no tracer, SECCOMP_RET_TRACE makes a
 * call fail with ENOSYS, so "stops" shows as ENOSYS; io_uring_setup fails
 * with ENOSYS by ERRNO; a call that is not in the table runs.
 */
static void test_ptrace__filter_stops_only_file_calls(void **s)
{
	int st;
	pid_t pid;

	(void)s;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fds[2];
		if (pipe(fds) < 0)
			_exit(10);
		if (ft_ptrace_seccomp_install() < 0)
			_exit(11);
		errno = 0;
		if (open("/", O_RDONLY) >= 0 || errno != ENOSYS)
			_exit(12);
		errno = 0;
		if (access("/", F_OK) == 0 || errno != ENOSYS)
			_exit(13);
		errno = 0;
		if (syscall(SYS_io_uring_setup, 1, NULL) >= 0 || errno != ENOSYS)
			_exit(14);
		if (write(fds[1], "x", 1) != 1 || getpid() <= 0)
			_exit(15);
		errno = 0;
		if (syscall(SYS_statx, AT_FDCWD, "/", 0, 0, NULL) >= 0 || errno != ENOSYS)
			_exit(16);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_ptrace__join_keeps_dots_squashes_leading_dot_slash(void **s)
{
	char out[FT_PATH_MAX];

	(void)s;
	assert_int_equal(ft_ptrace_path_join("/w", "a.txt", out, sizeof(out)), 8);
	assert_string_equal(out, "/w/a.txt");
	ft_ptrace_path_join("/w", "./a", out, sizeof(out));
	assert_string_equal(out, "/w/a");
	ft_ptrace_path_join("/w", ".//.//a", out, sizeof(out));
	assert_string_equal(out, "/w/a");
	ft_ptrace_path_join("/w", ".", out, sizeof(out));
	assert_string_equal(out, "/w");
	ft_ptrace_path_join("/w", "x/../y", out, sizeof(out));
	assert_string_equal(out, "/w/x/../y");
	ft_ptrace_path_join("/", "etc", out, sizeof(out));
	assert_string_equal(out, "/etc");
	assert_int_equal(ft_ptrace_path_join("relative", "x", out, sizeof(out)), -1);
	assert_int_equal(ft_ptrace_path_join("/w", "abcdef", out, 6), -1);
}

static void test_ptrace__resolve_through_proc(void **s)
{
	char cwd[PATH_MAX], out[FT_PATH_MAX], want[PATH_MAX + 16];
	struct ft_ptrace_ignore ign = { "/tmp/state-dir", NULL };
	int fd;

	(void)s;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/x.txt", cwd);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "x.txt", &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, want);
	fd = open("/usr", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_true(ft_ptrace_path_resolve(getpid(), fd, "lib", &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, "/usr/lib");
	assert_true(ft_ptrace_path_fd(getpid(), fd, &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, "/usr");
	close(fd);
	/* a closed dirfd cannot be named */
	assert_int_equal(ft_ptrace_path_resolve(getpid(), fd, "lib", &ign, out, sizeof(out)), -1);
	/* absolute paths pass; ignored ones and "" record nothing */
	assert_int_equal(ft_ptrace_path_resolve(getpid(), fd, "/etc/hosts", &ign, out, sizeof(out)), 10);
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/proc/self/maps", &ign, out, sizeof(out)), 0);
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/tmp/state-dir/db", &ign, out, sizeof(out)), 0);
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "", &ign, out, sizeof(out)), 0);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/procfs", &ign, out, sizeof(out)) > 0);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/tmp/state-dir2", &ign, out, sizeof(out)) > 0);
	/* a pipe is not a path */
	{
		int p[2];
		assert_int_equal(pipe(p), 0);
		assert_int_equal(ft_ptrace_path_fd(getpid(), p[0], &ign, out, sizeof(out)), -1);
		close(p[0]);
		close(p[1]);
	}
}

/* Issue 24: /proc/self/cwd/f, /proc/<pid>/root/f, /dev/fd/N/f read f, and
 * were dropped as /proc or /dev paths.  They name the tracee's own places
 * ("self" is the tracee), rewritten at the access to where they lead. */
static void test_ptrace__process_relative_names_lead_out(void **s)
{
	char cwd[PATH_MAX], out[FT_PATH_MAX], in[PATH_MAX], want[PATH_MAX + 16];
	struct ft_ptrace_ignore ign = { "/tmp/state-dir", NULL };
	int fd;

	(void)s;
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/x.txt", cwd);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/proc/self/cwd/x.txt", &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, want);
	snprintf(in, sizeof(in), "/proc/%d/root/etc/hosts", (int)getpid());
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, in, &ign, out, sizeof(out)), 10);
	assert_string_equal(out, "/etc/hosts");
	fd = open("/usr", O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	snprintf(in, sizeof(in), "/dev/fd/%d/lib", fd);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, in, &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, "/usr/lib");
	snprintf(in, sizeof(in), "/proc/thread-self/fd/%d/bin", fd);
	assert_true(ft_ptrace_path_resolve(getpid(), AT_FDCWD, in, &ign, out, sizeof(out)) > 0);
	assert_string_equal(out, "/usr/bin");
	/* the magic link alone (readlink of it: ftrace's own naming) stays */
	snprintf(in, sizeof(in), "/proc/self/fd/%d", fd);
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, in, &ign, out, sizeof(out)), 0);
	close(fd);
	/* the rest of /proc stays out */
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/proc/self/maps", &ign, out, sizeof(out)), 0);
	assert_int_equal(ft_ptrace_path_resolve(getpid(), AT_FDCWD, "/proc/self/fdinfo/0", &ign, out, sizeof(out)), 0);
}

/* A string that ends on the last byte before an unmapped page is read. */
static void test_ptrace__read_string_up_to_unmapped_page(void **s)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, (size_t)pg * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[FT_PATH_MAX];
	char *str;

	(void)s;
	assert_true(m != MAP_FAILED);
	assert_int_equal(munmap(m + pg, (size_t)pg), 0);
	str = m + pg - 6;
	memcpy(str, "/a/b1", 6);
	assert_int_equal(ft_ptrace_path_read(getpid(), (uint64_t)(uintptr_t)str, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "/a/b1");
	/* no NUL before the hole: unreadable, not a truncated path */
	memset(m + pg - 3, 'x', 3);
	assert_int_equal(ft_ptrace_path_read(getpid(), (uint64_t)(uintptr_t)(m + pg - 3), buf, sizeof(buf)), -1);
	/* too long for the buffer */
	memset(m, 'y', 100);
	m[100] = '\0';
	assert_int_equal(ft_ptrace_path_read(getpid(), (uint64_t)(uintptr_t)m, buf, 50), -1);
	assert_int_equal(ft_ptrace_path_read(getpid(), 0, buf, sizeof(buf)), -1);
	munmap(m, (size_t)pg);
}

static void test_ptrace__seen_dedups_by_context_path_class_and_errno(void **s)
{
	struct ft_ptrace_seen seen = FT_PTRACE_SEEN_INIT;
	char path[64];

	(void)s;
	assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, 0, "/a", 2), 1);
	assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, 0, "/a", 2), 0);
	assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_STAT, 0, "/a", 2), 1);
	assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, ENOENT, "/a", 2), 1);
	assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, 0, "/ab", 2), 0); /* len 2 = "/a" */
	assert_int_equal(ft_ptrace_seen_add(&seen, 1, FT_AC_READ, 0, "/a", 2), 1); /* another test */
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(path, sizeof(path), "/f/%d", i);
		assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, 0, path, (size_t)n), 1);
	}
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(path, sizeof(path), "/f/%d", i);
		assert_int_equal(ft_ptrace_seen_add(&seen, 0, FT_AC_READ, 0, path, (size_t)n), 0);
	}
	assert_int_equal(seen.n, 5004);
	ft_ptrace_seen_release(&seen);
}

/* FTRACE_TEST_ID out of an envp array in a process's memory (our own). */
static void test_ptrace__env_var_from_an_exec_environment(void **s)
{
	char buf[FT_ID_MAX + 1];
	char *envp[200];
	static char long_var[FT_ID_MAX + 200];
	int n = 0;

	(void)s;
	envp[n++] = "PATH=/bin";
	envp[n++] = "FTRACE_TEST_IDX=no";
	envp[n++] = "FTRACE_TEST_I=no";
	memset(long_var, 'v', sizeof(long_var) - 1); /* longer than any id: skipped, not an error */
	memcpy(long_var, "OTHER=", 6);
	envp[n++] = long_var;
	while (n < 150) /* more than one batch of pointers */
		envp[n++] = "FILLER=1";
	envp[n++] = "FTRACE_TEST_ID=tests/a b";
	envp[n] = NULL;
	assert_int_equal(ft_ptrace_env_get(getpid(), (uint64_t)(uintptr_t)envp, "FTRACE_TEST_ID", buf,
					   sizeof(buf)), 9);
	assert_string_equal(buf, "tests/a b");
	envp[n - 1] = NULL;
	assert_int_equal(ft_ptrace_env_get(getpid(), (uint64_t)(uintptr_t)envp, "FTRACE_TEST_ID", buf,
					   sizeof(buf)), -1);
	envp[0] = "FTRACE_TEST_ID=";
	assert_int_equal(ft_ptrace_env_get(getpid(), (uint64_t)(uintptr_t)envp, "FTRACE_TEST_ID", buf,
					   sizeof(buf)), 0);
	assert_int_equal(ft_ptrace_env_get(getpid(), 0, "FTRACE_TEST_ID", buf, sizeof(buf)), -1);
	assert_int_equal(ft_ptrace_env_get(getpid(), 8, "FTRACE_TEST_ID", buf, sizeof(buf)), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptrace__open_flags_map_like_the_preload),
		cmocka_unit_test(test_ptrace__at_flags_change_the_op),
		cmocka_unit_test(test_ptrace__table_covers_the_file_calls),
		cmocka_unit_test(test_ptrace__filter_stops_only_file_calls),
		cmocka_unit_test(test_ptrace__join_keeps_dots_squashes_leading_dot_slash),
		cmocka_unit_test(test_ptrace__resolve_through_proc),
		cmocka_unit_test(test_ptrace__read_string_up_to_unmapped_page),
		cmocka_unit_test(test_ptrace__seen_dedups_by_context_path_class_and_errno),
		cmocka_unit_test(test_ptrace__process_relative_names_lead_out),
		cmocka_unit_test(test_ptrace__env_var_from_an_exec_environment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
