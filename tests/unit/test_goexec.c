/*
 * test_goexec.c - a Go test binary's test log as the tracer reads it
 * (tracer/ft_goexec.c): the names of its "getenv" lines, and nothing from
 * a log that is not whole or not a regular file.  The whole path, with the
 * go command and ftrace-goexec, runs in t7104.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "ft_error.h"
#include "ft_goexec.h"
#include "namelist.h"
#include "tmpdir.h"

static void put(const char *dir, pid_t pid, const char *text, size_t len)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/" FT_GOTESTLOG_PREFIX "%ld", dir, (long)pid);
	assert_non_null(f = fopen(p, "w"));
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int gone(const char *dir, pid_t pid)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/" FT_GOTESTLOG_PREFIX "%ld", dir, (long)pid);
	return access(p, F_OK) != 0;
}

#define PUT(dir, pid, s) put(dir, pid, s, sizeof(s) - 1)

static void test_goexec__getenv_lines_only(void **s)
{
	char dir[256];
	struct ft_test_names n = { 0 };

	(void)s;
	ft_test_tmpdir(dir, sizeof(dir), "goexec");
	PUT(dir, 41, "# test log\ngetenv HOME\nstat /etc/x\ngetenv A_B\nopen y\nchdir /\n"
		     "getenv \ngetenv TRAIL \n");
	assert_int_equal(ft_goexec_log(dir, 41, ft_test_names_add, &n), 0);
	/* an empty name is skipped; a name is everything after "getenv " */
	assert_string_equal(n.s, "HOME;A_B;TRAIL ;");
	assert_true(gone(dir, 41));
	/* a log with no read at all: whole, nothing read */
	memset(&n, 0, sizeof(n));
	PUT(dir, 42, "# test log\n");
	assert_int_equal(ft_goexec_log(dir, 42, ft_test_names_add, &n), 0);
	assert_int_equal(n.calls, 0);
	assert_int_equal(ft_test_rmtree(dir), 0);
}

static void test_goexec__not_whole_is_an_error(void **s)
{
	static const struct { const char *text; size_t len; } bad[] = {
		{ "", 0 },                                   /* empty */
		{ "getenv HOME\n", 12 },                     /* no header */
		{ "# test log\ngetenv HOME", 22 },           /* cut: no last newline */
		{ "# test log\ngetenv A\0B\n", 22 },         /* a NUL */
		{ "# test lo", 9 },                          /* a cut header */
	};
	char dir[256];
	struct ft_test_names n = { 0 };

	(void)s;
	ft_test_tmpdir(dir, sizeof(dir), "goexec");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&n, 0, sizeof(n));
		put(dir, 7, bad[i].text, bad[i].len);
		assert_int_equal(ft_goexec_log(dir, 7, ft_test_names_add, &n), FT_EFORMAT);
		assert_int_equal(n.calls, 0);
	}
	/* none: -ENOENT */
	assert_int_equal(ft_goexec_log(dir, 8, ft_test_names_add, &n), -ENOENT);
	/* the walk's error stops it and is returned */
	memset(&n, 0, sizeof(n));
	n.stop_at = 2;
	PUT(dir, 9, "# test log\ngetenv A\ngetenv B\ngetenv C\n");
	assert_int_equal(ft_goexec_log(dir, 9, ft_test_names_add, &n), -EIO);
	assert_int_equal(n.calls, 2);
	assert_int_equal(ft_test_rmtree(dir), 0);
}

static void test_goexec__links_fifos_and_big_files_refused(void **s)
{
	char dir[256], p[512], q[512];
	struct ft_test_names n = { 0 };
	int fd;

	(void)s;
	ft_test_tmpdir(dir, sizeof(dir), "goexec");
	/* a link to a good log elsewhere: not followed */
	snprintf(q, sizeof(q), "%s/elsewhere", dir);
	assert_non_null(fopen(q, "w"));
	snprintf(p, sizeof(p), "%s/" FT_GOTESTLOG_PREFIX "5", dir);
	assert_int_equal(symlink(q, p), 0);
	assert_true(ft_goexec_log(dir, 5, ft_test_names_add, &n) < 0);
	unlink(p);
	/* a FIFO: refused at once, never waited on */
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(ft_goexec_log(dir, 5, ft_test_names_add, &n), FT_ENOTREG);
	unlink(p);
	/* larger than FT_GOTESTLOG_MAX: refused unread, and removed */
	assert_true((fd = open(p, O_WRONLY | O_CREAT, 0600)) >= 0);
	assert_int_equal(ftruncate(fd, (off_t)FT_GOTESTLOG_MAX + 1), 0);
	close(fd);
	assert_int_equal(ft_goexec_log(dir, 5, ft_test_names_add, &n), -EFBIG);
	assert_true(access(p, F_OK) != 0);
	assert_int_equal(n.calls, 0);
	assert_int_equal(ft_test_rmtree(dir), 0);
}

static void test_goexec__test_binary_names(void **s)
{
	(void)s;
	assert_true(ft_goexec_is_test("/tmp/go-build1/b001/calc.test"));
	assert_true(ft_goexec_is_test("x.test"));
	assert_false(ft_goexec_is_test(".test"));
	assert_false(ft_goexec_is_test("/a/b/.test"));
	assert_false(ft_goexec_is_test("/a.test/calc"));
	assert_false(ft_goexec_is_test("/usr/bin/go"));
	assert_false(ft_goexec_is_test("calc.tests"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goexec__getenv_lines_only),
		cmocka_unit_test(test_goexec__not_whole_is_an_error),
		cmocka_unit_test(test_goexec__links_fifos_and_big_files_refused),
		cmocka_unit_test(test_goexec__test_binary_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
