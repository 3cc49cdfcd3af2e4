/*
 * test_goenv_file.c - where the go command's environment file is, and a
 * value in it (tracer/ft_goenv_file.h).  Real files in a temp dir.
 */
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ft_goenv_file.h"
#include "tmpdir.h"

static char tmp[64];

static void put(const char *name, const char *content, char *path)
{
	FILE *f;

	snprintf(path, PATH_MAX, "%s/%s", tmp, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void test_goenv_file__path(void **unused)
{
	char buf[PATH_MAX];

	assert_int_equal(ft_goenv_file_path("/g/env", "/x", "/h", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/g/env");
	assert_int_equal(ft_goenv_file_path("off", "/x", "/h", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ft_goenv_file_path("", "/x", "/h", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/go/env");
	assert_int_equal(ft_goenv_file_path(NULL, "rel", "/h", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/h/.config/go/env");
	assert_int_equal(ft_goenv_file_path(NULL, NULL, NULL, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ft_goenv_file_path(NULL, NULL, "rel", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ft_goenv_file_path(NULL, "/x", NULL, buf, 4), -ENAMETOOLONG);
}

static void test_goenv_file__value(void **unused)
{
	char path[PATH_MAX], out[32];

	put("env", "GOPROXY=off\nGOFLAGS=-tags=a\nXGOFLAGS=no\nGOFLAGS=-tags=b -mod=mod\nGOFLAGSX=no", path);
	assert_int_equal(ft_goenv_file_value(path, "GOFLAGS", out, sizeof(out)), 1);
	assert_string_equal(out, "-tags=b -mod=mod"); /* the last one, as go reads it */
	assert_int_equal(ft_goenv_file_value(path, "GOPROXY", out, sizeof(out)), 1);
	assert_string_equal(out, "off");
	assert_int_equal(ft_goenv_file_value(path, "GOOS", out, sizeof(out)), 0);
	assert_int_equal(ft_goenv_file_value(path, "GOFLAGS", out, 8), -ENAMETOOLONG);

	put("empty", "GOFLAGS=\n", path);
	assert_int_equal(ft_goenv_file_value(path, "GOFLAGS", out, sizeof(out)), 1);
	assert_string_equal(out, "");

	/* no file, a directory, a FIFO (never blocks) */
	snprintf(path, sizeof(path), "%s/none", tmp);
	assert_int_equal(ft_goenv_file_value(path, "GOFLAGS", out, sizeof(out)), 0);
	assert_int_equal(ft_goenv_file_value(tmp, "GOFLAGS", out, sizeof(out)), 0);
	snprintf(path, sizeof(path), "%s/fifo", tmp);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(ft_goenv_file_value(path, "GOFLAGS", out, sizeof(out)), 0);
}

static int setup(void **s)
{
	ft_test_tmpdir(tmp, sizeof(tmp), "goenv");
	return 0;
}

static int teardown(void **s)
{
	return ft_test_rmtree(tmp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_goenv_file__path),
		cmocka_unit_test(test_goenv_file__value),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
