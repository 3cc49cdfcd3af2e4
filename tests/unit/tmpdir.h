/*
 * tmpdir.h - a unit test's scratch directory.
 *
 * ft_test_tmpdir(buf, size, tag) makes a fresh directory
 * /tmp/ft-test-<tag>.XXXXXX (mode 0700) into buf and fails the test
 * when it cannot.  ft_test_rmtree(dir) removes it and everything below,
 * without following a symbolic link and without a shell; it returns 0,
 * or -1 when something could not be removed (a cmocka teardown's
 * status).  Include it after <cmocka.h>.
 */
#ifndef FT_TEST_TMPDIR_H
#define FT_TEST_TMPDIR_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void ft_test_tmpdir(char *buf, size_t size, const char *tag)
{
	int n = snprintf(buf, size, "/tmp/ft-test-%s.XXXXXX", tag);

	assert_true(n > 0 && (size_t)n < size);
	assert_non_null(mkdtemp(buf));
}

static int ft_test_rm1(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (type == FTW_DP ? rmdir(path) : unlink(path)) == 0 ? 0 : -1;
}

static int ft_test_rmtree(const char *dir)
{
	return nftw(dir, ft_test_rm1, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

#endif
