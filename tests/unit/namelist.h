/*
 * namelist.h - a unit test's collector of the names a scanner reports
 * through a callback fn(arg, name, len) (the environment variable
 * scanners: ft_goexec_log, ft_go_env_names, ft_script_env_names).
 *
 * ft_test_names_add appends "name;" to s (cut at its size) and counts the
 * call; at call number stop_at (1-based; 0 never) it adds nothing and
 * returns -EIO, to check that a scanner stops on its callback's error.
 * Header-only; include it after <cmocka.h>.
 */
#ifndef FT_TEST_NAMELIST_H
#define FT_TEST_NAMELIST_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

struct ft_test_names {
	char s[1024];
	int calls, stop_at;
};

static int ft_test_names_add(void *arg, const char *name, size_t len)
{
	struct ft_test_names *g = arg;
	size_t at = strlen(g->s);

	if (++g->calls == g->stop_at)
		return -EIO;
	snprintf(g->s + at, sizeof(g->s) - at, "%.*s;", (int)len, name);
	return 0;
}

#endif
