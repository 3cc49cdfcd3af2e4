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

/* $GOROOT/go.env: from GOROOT, or from the first go on PATH, where it
 * really is */
static void test_goenv_file__root(void **unused)
{
	char buf[PATH_MAX], dir[256], path[640], link[320];
	char want[PATH_MAX + 64];

	assert_int_equal(ft_goenv_root_path("/opt/go", "/usr/bin", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/opt/go/go.env");
	assert_int_equal(ft_goenv_root_path("/opt/go", NULL, buf, 8), -ENAMETOOLONG);
	/* an installation at tmp/inst (bin/go), reached through tmp/links/go */
	snprintf(dir, sizeof(dir), "%s/inst", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(dir, sizeof(dir), "%s/inst/bin", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, sizeof(path), "%s/go", dir);
	put("inst/bin/go", "#!/bin/sh\n", path);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/links", tmp);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(link, sizeof(link), "%s/go", dir);
	assert_int_equal(symlink(path, link), 0);
	/* a PATH with an empty entry, a relative one, a directory without go */
	snprintf(path, sizeof(path), ":rel:%s/none:%s:/usr/bin", tmp, dir);
	assert_int_equal(ft_goenv_root_path(NULL, path, buf, sizeof(buf)), 0);
	assert_non_null(realpath(tmp, want));
	strcat(want, "/inst/go.env");
	assert_string_equal(buf, want);
	assert_int_equal(ft_goenv_root_path("", path, buf, sizeof(buf)), 0);
	assert_string_equal(buf, want);
	/* a go that is not executable is passed over; one not in a bin is no
	 * installation */
	snprintf(path, sizeof(path), "%s/inst/bin/go", tmp);
	assert_int_equal(chmod(path, 0644), 0);
	snprintf(path, sizeof(path), "%s", dir);
	assert_int_equal(ft_goenv_root_path(NULL, path, buf, sizeof(buf)), -ENOENT);
	snprintf(path, sizeof(path), "%s/inst/bin/go", tmp);
	assert_int_equal(chmod(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/inst/bin", tmp);
	assert_int_equal(ft_goenv_root_path(NULL, path, buf, sizeof(buf)), 0);
	snprintf(path, sizeof(path), "%s/plain", tmp);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(link, sizeof(link), "%s/plain/go", tmp);
	put("plain/go", "#!/bin/sh\n", link);
	assert_int_equal(chmod(link, 0755), 0);
	assert_int_equal(ft_goenv_root_path(NULL, path, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(ft_goenv_root_path(NULL, NULL, buf, sizeof(buf)), -ENOENT);
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
		cmocka_unit_test(test_goenv_file__root),
		cmocka_unit_test(test_goenv_file__value),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
